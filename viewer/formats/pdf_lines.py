"""Characters of a PDF page → line fragments: runs of characters on one baseline.

One job: group :class:`~viewer.formats.pdf_chars.Char` into :class:`Frag` (a piece of a
printed line that no wide gap interrupts, superscripts and subscripts included) and give
each its text: a space where Latin words are apart, none between CJK characters, the
characters repaired by :func:`~viewer.formats.repair.repair_line`. A line wider than one
column gutter never becomes one fragment, so two columns side by side stay apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from viewer.formats.pdf_chars import Char
from viewer.formats.repair import repair_line

#: A horizontal gap wider than this (in font sizes) splits a line into fragments.
SPLIT_GAP = 1.2
#: A gap wider than this (in font sizes) between two characters is a word space.
_SPACE_GAP = 0.1


@dataclass(slots=True)
class Frag:
    """A run of characters on one baseline, with its box (points from the page's top left)."""

    chars: list[Char]
    x0: float
    top: float
    x1: float
    bottom: float
    spaces: set[int] = field(default_factory=set)  # ids of chars a real space followed
    text: str = ""
    size: float = 0.0
    bold: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    def add(self, ch: Char) -> None:
        self.chars.append(ch)
        self.x0 = min(self.x0, ch.x0)
        self.x1 = max(self.x1, ch.x1)
        self.top = min(self.top, ch.top)
        self.bottom = max(self.bottom, ch.bottom)


def _new(ch: Char) -> Frag:
    return Frag([ch], ch.x0, ch.top, ch.x1, ch.bottom)


def v_overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    """Vertical overlap of two boxes as a share of the lower one's height (0..1)."""
    inter = min(a_bottom, b_bottom) - max(a_top, b_top)
    smaller = min(a_bottom - a_top, b_bottom - b_top)
    return inter / smaller if smaller > 0 else 0.0


def _continues(frag: Frag, ch: Char) -> bool:
    if v_overlap(frag.top, frag.bottom, ch.top, ch.bottom) < 0.3:
        return False
    last = frag.chars[-1]
    em = max(last.size, ch.size)
    return -0.5 * em <= ch.x0 - last.x1 <= SPLIT_GAP * em


def _finish(frag: Frag) -> Frag:
    frag.chars.sort(key=lambda c: c.x0)
    sizes = Counter(round(c.size, 1) for c in frag.chars if not c.text.isspace())
    frag.size = sizes.most_common(1)[0][0] if sizes else frag.chars[0].size
    visible = [c for c in frag.chars if not c.text.isspace()]
    frag.bold = bool(visible) and all(c.bold for c in visible)
    parts: list[str] = []
    prev: Char | None = None
    for ch in frag.chars:
        if prev is not None and (
            id(prev) in frag.spaces or ch.x0 - prev.x1 > _SPACE_GAP * max(prev.size, ch.size)
        ):
            parts.append(" ")
        parts.append(ch.text)
        prev = ch
    frag.text = repair_line("".join(parts))
    return frag


def _is_duplicate(frag: Frag, ch: Char) -> bool:
    """Text printed twice on the same spot (fake bold) is read once."""
    last = frag.chars[-1]
    return (
        last.text == ch.text
        and abs(last.x0 - ch.x0) < 0.2 * ch.size
        and abs(last.top - ch.top) < 0.2 * ch.size
    )


def _merge_close(frags: list[Frag]) -> list[Frag]:
    """Join fragments of one line that the content order split (a late superscript, runs
    drawn out of order) when they are closer than a gutter."""
    frags.sort(key=lambda f: (f.top, f.x0))
    out: list[Frag] = []
    for frag in frags:
        for other in reversed(out[-12:]):
            if v_overlap(other.top, other.bottom, frag.top, frag.bottom) < 0.5:
                continue
            em = max(other.chars[-1].size, frag.chars[0].size)
            gap = max(frag.x0 - other.x1, other.x0 - frag.x1)
            if -0.3 * em <= gap <= SPLIT_GAP * em:
                other.chars.extend(frag.chars)
                other.spaces |= frag.spaces
                other.x0 = min(other.x0, frag.x0)
                other.x1 = max(other.x1, frag.x1)
                other.top = min(other.top, frag.top)
                other.bottom = max(other.bottom, frag.bottom)
                break
        else:
            out.append(frag)
    return out


def build_frags(chars: list[Char]) -> list[Frag]:
    """The page's fragments, each with its text, size and boldness; empty ones dropped."""
    frags: list[Frag] = []
    current: Frag | None = None
    for ch in chars:
        if ch.text.isspace():
            if current is not None:
                current.spaces.add(id(current.chars[-1]))
            continue
        if current is not None and _continues(current, ch):
            if not _is_duplicate(current, ch):
                current.add(ch)
            continue
        current = _new(ch)
        frags.append(current)
    finished = [_finish(f) for f in _merge_close(frags)]
    return [f for f in finished if f.text]


def join_frags(frags: list[Frag]) -> Frag:
    """Fragments of one printed line (left to right) as one fragment."""
    if len(frags) == 1:
        return frags[0]
    frags = sorted(frags, key=lambda f: f.x0)
    merged = Frag([], frags[0].x0, min(f.top for f in frags), max(f.x1 for f in frags), 0.0)
    merged.bottom = max(f.bottom for f in frags)
    for f in frags:
        merged.chars.extend(f.chars)
    merged.text = repair_line(" ".join(f.text for f in frags))
    sizes = Counter()
    for f in frags:
        sizes[f.size] += len(f.text)
    merged.size = sizes.most_common(1)[0][0]
    merged.bold = all(f.bold for f in frags)
    return merged
