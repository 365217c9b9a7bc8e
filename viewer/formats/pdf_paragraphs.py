"""Printed lines of a PDF in reading order → ``Line`` records with paragraph starts.

One job: measure each printed line against its column (the left and right edges most of
the column's lines share) — indent in font sizes, fill 0..1 — and decide whether a
paragraph starts on it: a first-line indent, a change of font size or weight, a wide
vertical gap, or a previous line that stopped short of the right edge start one; a line
that goes on from a full line (a hard wrap, also across a column or page break) does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from viewer.formats.pdf_lines import Frag
from viewer.formats.pdf_tables import Table
from viewer.model.lines import Line

#: A line indented at least this much (font sizes) starts a paragraph (first-line indent).
_INDENT = 1.5
#: A line ending more than this (font sizes) short of the right edge ends its paragraph.
_SHORT = 1.0
#: Extra vertical space (font sizes) beyond the column's usual leading that parts paragraphs.
_GAP = 0.6
#: Font size change (share) that parts paragraphs (a heading and its text).
_SIZE_CHANGE = 0.12
#: The column number of a page's footnotes.
NOTES = -2
#: A column needs this many lines to measure its own edges; else the document's are used.
_MIN_LINES = 4


@dataclass(slots=True)
class Printed:
    """A printed line (or a table) on a page, in reading order."""

    item: Frag | Table
    page: int
    column: int  # -1: spans the page's columns
    layout: int  # the page's number of columns
    #: A footnote: read after the paragraph that runs on past its page ends.
    note: bool = False


@dataclass(frozen=True, slots=True)
class Frame:
    left: float
    right: float


def _edge(values: list[float], lowest: bool) -> float:
    """The edge most lines share: the outermost value that at least half as many lines come
    within 2 pt of as of the most shared value (indented and centred lines lie inside it)."""
    support = {v: sum(1 for w in values if abs(w - v) <= 2.0) for v in values}
    best = max(support.values())
    candidates = [v for v, n in support.items() if n * 2 >= best]
    return min(candidates) if lowest else max(candidates)


def _measure(lines: list[Frag]) -> Frame:
    return Frame(_edge([f.x0 for f in lines], True), _edge([f.x1 for f in lines], False))


def frames(printed: Sequence[Printed]) -> dict[tuple[int, int], Frame]:
    """Each (page, column)'s frame, from its own lines or, when it has few, from the
    same column of the other pages laid out alike (or its own few lines at last)."""
    groups: dict[tuple[int, int], list[Frag]] = {}
    layouts: dict[tuple[int, int], int] = {}
    for p in printed:
        if isinstance(p.item, Frag):
            groups.setdefault((p.page, p.column), []).append(p.item)
            layouts[(p.page, p.column)] = p.layout
    measured = {key: _measure(lines) for key, lines in groups.items() if len(lines) >= _MIN_LINES}
    shared: dict[tuple[int, int], list[Frame]] = {}
    for key, frame in measured.items():
        shared.setdefault((layouts[key], key[1]), []).append(frame)
    typical = {
        key: Frame(median(f.left for f in fs), median(f.right for f in fs)) for key, fs in shared.items()
    }
    out: dict[tuple[int, int], Frame] = {}
    for key, lines in groups.items():
        if key in measured:
            out[key] = measured[key]
        elif (layouts[key], key[1]) in typical:
            own = _measure(lines)
            doc = typical[(layouts[key], key[1])]
            out[key] = Frame(min(doc.left, own.left), max(doc.right, own.right))
        else:
            out[key] = _measure(lines)
    return out


def _leading(printed: Sequence[Printed]) -> dict[tuple[int, int], float]:
    """Each (page, column)'s usual gap between one line's bottom and the next line's top."""
    gaps: dict[tuple[int, int], list[float]] = {}
    prev: Printed | None = None
    for p in printed:
        if (
            isinstance(p.item, Frag)
            and prev is not None
            and isinstance(prev.item, Frag)
            and (prev.page, prev.column) == (p.page, p.column)
        ):
            gaps.setdefault((p.page, p.column), []).append(p.item.top - prev.item.bottom)
        prev = p
    return {key: median(values) for key, values in gaps.items()}


def _line(p: Printed, prev: Printed | None, frame_of: dict, leading: dict) -> list[Line]:
    item = p.item
    column = max(p.column, 0)
    if isinstance(item, Table):
        return [
            Line(
                row.text,
                starts_paragraph=True,
                size=item.size,
                table=True,
                page=p.page,
                column=column,
                box=row.box,
            )
            for row in item.rows
        ]
    frame = frame_of[(p.page, p.column)]
    em = item.size or 1.0
    width = max(frame.right - frame.left, em)
    indent = max(0.0, (item.x0 - frame.left) / em)
    fill = min(1.0, max(0.0, (item.x1 - frame.left) / width))
    x0, top, x1, bottom = item.box
    return [
        Line(
            item.text,
            indent=round(indent, 2),
            starts_paragraph=_starts(p, prev, indent, frame_of, leading),
            bold=item.bold,
            size=round(item.size, 2),
            fill=round(fill, 3),
            page=p.page,
            column=column,
            box=(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)),
        )
    ]


def to_lines(printed: Sequence[Printed]) -> Iterable[Line]:
    """The Line records of ``printed``: table rows as table lines, text lines measured;
    a page's footnotes after the paragraph that runs on past the page's end."""
    frame_of = frames(printed)
    leading = _leading(printed)
    prev: Printed | None = None
    prev_note: Printed | None = None
    held: list[Line] = []
    for p in printed:
        if p.note:
            held.extend(_line(p, prev_note, frame_of, leading))
            prev_note = p
            continue
        lines = _line(p, prev, frame_of, leading)
        prev = p
        if held and lines and lines[0].starts_paragraph:
            yield from held
            held.clear()
        yield from lines
    yield from held


def _starts(
    p: Printed,
    prev: Printed | None,
    indent: float,
    frame_of: dict[tuple[int, int], Frame],
    leading: dict[tuple[int, int], float],
) -> bool:
    item = p.item
    if prev is None or not isinstance(prev.item, Frag):
        return True
    last = prev.item
    assert isinstance(item, Frag)
    if item.bold != last.bold or abs(item.size - last.size) > _SIZE_CHANGE * max(item.size, last.size):
        return True
    if indent >= _INDENT:
        return True
    key = (p.page, p.column)
    if (prev.page, prev.column) == key:
        gap = item.top - last.bottom
        if gap > leading.get(key, 0.0) + _GAP * item.size:
            return True
    last_frame = frame_of[(prev.page, prev.column)]
    return last_frame.right - last.x1 > _SHORT * last.size
