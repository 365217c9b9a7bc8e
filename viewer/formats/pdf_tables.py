"""Ruled tables on a PDF page: grids of rules → rows of cells.

One job: find the grids the page's rules draw (horizontal and vertical rules that meet,
at least two cells), take the characters inside each grid away from the body text, and
give each grid row as one text with its cells joined by " | " (a cell merged across
columns is one cell; the lines inside a cell are joined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from viewer.formats.pdf_chars import Char, Rule
from viewer.formats.pdf_layout import rows_of
from viewer.formats.pdf_lines import build_frags
from viewer.formats.repair import repair_line

#: Rules closer than this (points) are one rule; rules meet within it.
_TOL = 2.0
CELL_SEPARATOR = " | "


@dataclass(slots=True)
class TableRow:
    text: str
    box: tuple[float, float, float, float]


@dataclass(slots=True)
class Table:
    """A ruled table: its box and rows (a block of the page like a fragment)."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0
    rows: list[TableRow] = field(default_factory=list)


def _merge(rules: list[Rule], horizontal: bool) -> list[Rule]:
    def key(r: Rule) -> tuple[float, float, float]:
        return (r.y0, r.x0, r.x1) if horizontal else (r.x0, r.y0, r.y1)

    out: list[Rule] = []
    for r in sorted(rules, key=key):
        if out:
            last = out[-1]
            if horizontal and abs(r.y0 - last.y0) <= _TOL and r.x0 <= last.x1 + _TOL:
                out[-1] = Rule(last.x0, last.y0, max(last.x1, r.x1), last.y0)
                continue
            if not horizontal and abs(r.x0 - last.x0) <= _TOL and r.y0 <= last.y1 + _TOL:
                out[-1] = Rule(last.x0, last.y0, last.x0, max(last.y1, r.y1))
                continue
        out.append(r)
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _grids(rules: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    hs = _merge([r for r in rules if r.horizontal], True)
    vs = _merge([r for r in rules if not r.horizontal], False)
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.x0 - _TOL <= v.x0 <= h.x1 + _TOL and v.y0 - _TOL <= h.y0 <= v.y1 + _TOL:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _cell_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    lines = [" ".join(f.text for f in row) for row in rows_of(build_frags(chars))]
    return repair_line(" ".join(lines))


def _framed(hs: list[Rule], vs: list[Rule], x0: float, x1: float, top: float, bottom: float) -> bool:
    """A table's outer rules run along its whole width and height (a figure's boxes do not)."""
    width, height = x1 - x0, bottom - top

    def across(rules: list[Rule], at: float, horizontal: bool) -> bool:
        if horizontal:
            return any(abs(r.y0 - at) <= _TOL and r.x1 - r.x0 >= 0.9 * width for r in rules)
        return any(abs(r.x0 - at) <= _TOL and r.y1 - r.y0 >= 0.9 * height for r in rules)

    return (
        across(hs, top, True) and across(hs, bottom, True) and across(vs, x0, False) and across(vs, x1, False)
    )


def _crossed(chars: list[Char], hs: list[Rule], vs: list[Rule]) -> int:
    """How many characters a rule runs through (text over a drawing, not in a cell)."""
    count = 0
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        pad = 0.2 * (c.x1 - c.x0)
        if any(c.x0 + pad < v.x0 < c.x1 - pad and v.y0 <= cy <= v.y1 for v in vs) or any(
            c.top + pad < h.y0 < c.bottom - pad and h.x0 <= cx <= h.x1 for h in hs
        ):
            count += 1
    return count


def _cut_through(inside: list[Char], outside: list[Char], x0: float, x1: float) -> bool:
    """Whether the box's left or right side cuts a printed line in two (text runs on
    across it: the rules are a drawing's, not a table's)."""
    for edge in (x0, x1):
        near_in = [c for c in inside if min(abs(c.x0 - edge), abs(c.x1 - edge)) < c.size]
        if not near_in:
            continue
        for c in outside:
            if min(abs(c.x0 - edge), abs(c.x1 - edge)) < c.size and any(
                min(c.bottom, d.bottom) - max(c.top, d.top) > 0.5 * min(c.size, d.size) for d in near_in
            ):
                return True
    return False


def find_tables(chars: list[Char], rules: list[Rule]) -> tuple[list[Table], list[Char]]:
    """The page's ruled tables and the characters outside them."""
    tables: list[Table] = []
    rest = chars
    for hs, vs in _grids(rules):
        ys = _cluster([h.y0 for h in hs])
        xs = _cluster([v.x0 for v in vs])
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue
        x0, x1, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
        inside: list[Char] = []
        outside: list[Char] = []
        for ch in rest:
            cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
            (inside if x0 <= cx <= x1 and top <= cy <= bottom else outside).append(ch)
        if (
            not inside
            or not _framed(hs, vs, x0, x1, top, bottom)
            or _crossed(inside, hs, vs) > 0.05 * len(inside)
            or _cut_through(inside, outside, x0, x1)
        ):
            continue
        table = Table(x0, top, x1, bottom, size=median(c.size for c in inside))
        rich = False
        for r_top, r_bottom in pairwise(ys):
            middle = (r_top + r_bottom) / 2
            edges = [x for x in xs if any(abs(v.x0 - x) <= _TOL and v.y0 <= middle <= v.y1 for v in vs)]
            edges = sorted({x0, x1, *edges})
            row_chars = [c for c in inside if r_top <= (c.top + c.bottom) / 2 < r_bottom]
            cells = []
            for c_left, c_right in pairwise(edges):
                cells.append(_cell_text([c for c in row_chars if c_left <= (c.x0 + c.x1) / 2 < c_right]))
            rich = rich or sum(1 for c in cells if c) >= 2
            if any(cells):
                table.rows.append(TableRow(CELL_SEPARATOR.join(cells), (x0, r_top, x1, r_bottom)))
        if len(table.rows) >= 2 and rich:
            table.size = round(table.size, 2)
            tables.append(table)
            rest = outside
    return tables, rest
