"""Reading order of one PDF page: columns found from their gutters, blocks in order.

One job: given a page's blocks (line fragments and tables, each with a box), find the
vertical gutters that separate columns of text — x-ranges that many printed rows leave
empty between two fragments, with real columns of text (not a label and its value) on
both sides — and return the blocks in reading order: a block that spans a gutter (title,
abstract, a wide table, a footnote) where it stands, the column blocks between two such
spanning blocks column by column, each column top to bottom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Protocol

from viewer.formats.pdf_lines import v_overlap

#: A gutter is at least this wide (font sizes) and left empty by at least this many rows.
_MIN_GUTTER = 1.0
_MIN_ROWS = 3
#: A column is at least this wide (font sizes); at least _MIN_ROWS of its lines beside
#: the other column fill at least this share of it.
_MIN_COLUMN = 6.0
_MIN_FILL = 0.7


class Block(Protocol):
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class Gutter:
    x0: float
    x1: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Placed:
    """A block in reading order: its column (0-based; -1 when it spans the gutters)."""

    block: Block
    column: int


def rows_of(blocks: Sequence[Block]) -> list[list[Block]]:
    """Blocks grouped into printed rows (vertically overlapping), each row left to right."""
    rows: list[list[Block]] = []
    bands: list[tuple[float, float]] = []
    for b in sorted(blocks, key=lambda b: (b.top + b.bottom) / 2):
        if bands and v_overlap(*bands[-1], b.top, b.bottom) >= 0.5:
            rows[-1].append(b)
            top, bottom = bands[-1]
            bands[-1] = (min(top, b.top), max(bottom, b.bottom))
        else:
            rows.append([b])
            bands.append((b.top, b.bottom))
    for row in rows:
        row.sort(key=lambda b: b.x0)
    return rows


def _column_ok(blocks: list[Block], left: float, right: float, em: float) -> bool:
    if right - left < _MIN_COLUMN * em:
        return False
    full = sum(1 for b in blocks if b.x1 - b.x0 >= _MIN_FILL * (right - left))
    return full >= _MIN_ROWS


def find_gutters(blocks: Sequence[Block], width: float) -> list[Gutter]:
    """The page's column gutters, left to right (none for a single column)."""
    if len(blocks) < 2 * _MIN_ROWS:
        return []
    em = median(b.size for b in blocks)
    bins = int(width) + 2
    gaps = [0] * bins
    rows = rows_of(blocks)
    for row in rows:
        for a, b in pairwise(row):
            if b.x0 - a.x1 >= _MIN_GUTTER * em:
                for x in range(max(int(a.x1) + 1, 0), min(int(b.x0), bins)):
                    gaps[x] += 1
    gutters: list[Gutter] = []
    taken = [False] * bins
    while True:
        peak = max((g for g, t in zip(gaps, taken, strict=True) if not t), default=0)
        if peak < _MIN_ROWS:
            break
        at = next(x for x in range(bins) if gaps[x] == peak and not taken[x])
        lo, hi = at, at
        while lo > 0 and gaps[lo - 1] * 5 >= peak * 4 and not taken[lo - 1]:
            lo -= 1
        while hi < bins - 1 and gaps[hi + 1] * 5 >= peak * 4 and not taken[hi + 1]:
            hi += 1
        for x in range(max(lo - 1, 0), min(hi + 2, bins)):
            taken[x] = True
        found = _gutter_ok(rows, gutters, Gutter(float(lo), float(hi + 1)), em)
        if found is not None:
            gutters.append(found)
            gutters.sort(key=lambda g: g.x0)
        if len(gutters) >= 3:
            break
    return gutters


def _gutter_ok(rows: list[list[Block]], gutters: list[Gutter], candidate: Gutter, em: float) -> Gutter | None:
    """The gutter ``candidate`` lies in, as wide as the text beside it leaves free, when the
    text on both sides (on the rows that have text on both sides) is two columns of text —
    several lines on each side fill their column — not labels and their values."""
    lower = max((g.middle for g in gutters if g.middle < candidate.middle), default=0.0)
    upper = min((g.middle for g in gutters if g.middle > candidate.middle), default=float("inf"))
    left: list[Block] = []
    right: list[Block] = []
    for row in rows:
        row_left = [b for b in row if b.x0 >= lower and b.x1 <= candidate.middle]
        row_right = [b for b in row if b.x0 >= candidate.middle and b.x1 <= upper]
        if row_left and row_right:
            left.extend(row_left)
            right.extend(row_right)
    if not left:
        return None
    found = Gutter(max(b.x1 for b in left), min(b.x0 for b in right))
    if found.x1 - found.x0 < _MIN_GUTTER * em:
        return None
    if _column_ok(left, min(b.x0 for b in left), found.x0, em) and _column_ok(
        right, found.x1, max(b.x1 for b in right), em
    ):
        return found
    return None


def fits_columns(blocks: Sequence[Block], gutters: Sequence[Gutter]) -> bool:
    """Whether no block crosses these gutters (a short page of a document in columns)."""
    return bool(blocks) and all(column_of(b, gutters) >= 0 for b in blocks)


def column_of(block: Block, gutters: Sequence[Gutter]) -> int:
    """The column ``block`` lies in, or -1 when it crosses a gutter."""
    column = 0
    for g in gutters:
        if block.x1 <= g.middle:
            return column
        if block.x0 < g.middle:
            return -1
        column += 1
    return column


def _columnwise(members: list[Placed]) -> bool:
    """Whether the blocks between two spanning blocks are read column by column: when
    columns stand side by side for several rows (or one column runs on beside another)."""
    by_column: dict[int, list[Block]] = {}
    for p in members:
        by_column.setdefault(p.column, []).append(p.block)
    if len(by_column) < 2:
        return False
    side_by_side = 0
    for p in members:
        for q in members:
            if (
                p.column < q.column
                and v_overlap(p.block.top, p.block.bottom, q.block.top, q.block.bottom) > 0
            ):
                side_by_side += 1
    longest = max(len(v) for v in by_column.values())
    return side_by_side >= 3 or (side_by_side >= 1 and longest >= 4)


def reading_order(blocks: Sequence[Block], gutters: Sequence[Gutter]) -> list[Placed]:
    """``blocks`` in reading order (see the module docstring)."""
    ordered: list[Placed] = []
    pending: list[Placed] = []

    def flush() -> None:
        if _columnwise(pending):
            pending.sort(key=lambda p: (p.column, p.block.top))
            ordered.extend(pending)
        else:
            # Columns that never stand side by side: a run of the full-width text.
            ordered.extend(Placed(b, -1) for row in rows_of([p.block for p in pending]) for b in row)
        pending.clear()

    for b in sorted(blocks, key=lambda b: (b.top, b.x0)):
        column = column_of(b, gutters) if gutters else 0
        if column < 0:
            flush()
            ordered.append(Placed(b, -1))
        else:
            pending.append(Placed(b, column))
    flush()
    return ordered
