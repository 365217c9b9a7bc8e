"""Which district did what: passages of each measure type, by district, across bulletins.

A passage shows a type when its folded text (folded as search folds it: full-width, case,
traditional characters, invisible characters) holds one of the type's phrases, or every
word of one of its combinations, literally — the passages the search finds for the same
quoted phrases. Rows are districts (by their grouping key, named as first printed);
passages outside districts (a notice's paragraphs, a heading's) form the row "".
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import contains

from viewer.measures.figures import Figure, figures
from viewer.measures.lexicon import MeasureType
from viewer.model import HEAD, Bulletin, district_key
from viewer.search.normalize import fold

_SEPARATOR = "\n"  # never inside a folded passage
#: Once a piece was found in this many passages and in more than one in _DENSE of those
#: passed, the rest are tested one by one (the search engine's break-even, measured there).
_DENSE_MIN, _DENSE = 64, 8


@dataclass(frozen=True)
class Place:
    """A passage: its bulletin, section (or LEAD / CLOSING), paragraph (or HEADLINE)."""

    bulletin_id: str
    section: int
    paragraph: int
    district: str  # as printed; "" outside districts
    text: str


@dataclass
class Cell:
    district: str  # as printed (the first printing seen for the district's key)
    type: MeasureType
    places: list[Place] = field(default_factory=list)

    @property
    def figures(self) -> list[tuple[Figure, Place]]:
        """The key figures of its passages, with the passage each stands in (found when asked)."""
        return [(f, place) for place in self.places for f in _figures_of(place.text)]

    @property
    def bulletins(self) -> set[str]:
        return {p.bulletin_id for p in self.places}

    def to_dict(self) -> dict:
        return {
            "district": self.district,
            "type": self.type.id,
            "passages": len(self.places),
            "bulletins": len(self.bulletins),
            "figures": [
                f.to_dict() | {"bulletin": p.bulletin_id, "section": p.section, "paragraph": p.paragraph}
                for f, p in self.figures
            ],
        }


@dataclass
class Matrix:
    types: list[MeasureType]
    districts: list[str]  # row labels in order of first appearance ("" last)
    cells: dict[tuple[str, str], Cell]  # (district key, type id) → cell

    def cell(self, district: str, type_id: str) -> Cell | None:
        return self.cells.get((district_key(district), type_id))

    def to_dict(self) -> dict:
        rows = {district_key(d): n for n, d in enumerate(self.districts)}
        order = {t.id: n for n, t in enumerate(self.types)}
        cells = sorted(self.cells.values(), key=lambda c: (rows[district_key(c.district)], order[c.type.id]))
        return {"types": [t.to_dict() for t in self.types], "cells": [c.to_dict() for c in cells]}


class _Corpus:
    """Every passage's folded text, joined, for literal scans at C speed."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        texts = self.texts = [fold(p.text) for p in places]
        self.joined = _SEPARATOR.join(texts)
        self.starts: list[int] = []
        offset = 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text) + 1

    def holding(self, piece: str) -> set[int]:
        """Indexes of the passages whose folded text holds ``piece``."""
        piece = fold(piece)
        found: set[int] = set()
        if not piece:
            return found
        pos = self.joined.find(piece)
        while pos >= 0:
            i = bisect_right(self.starts, pos) - 1
            found.add(i)
            if len(found) >= _DENSE_MIN and len(found) * _DENSE > i:
                # A common piece: test every passage at C level rather than hop from hit to hit.
                contained = map(contains, self.texts, repeat(piece))
                return set(compress(range(len(self.texts)), contained))
            nxt = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.joined)
            pos = self.joined.find(piece, nxt)
        return found


@functools.lru_cache(maxsize=4096)  # a passage is in several cells
def _figures_of(text: str) -> tuple[Figure, ...]:
    return tuple(figures(text))


def _places(bulletins: Iterable[Bulletin], district: str | None) -> list[Place]:
    key = district_key(district) if district else None
    out = []
    for bulletin in bulletins:
        for section, paragraph, text in bulletin.passages():
            if section == HEAD:
                continue  # titles name the bulletin, not what a district did
            label = bulletin.district_of(section)
            if key is not None and district_key(label) != key:
                continue
            out.append(Place(bulletin.id, section, paragraph, label, text))
    return out


def measure(
    bulletins: Iterable[Bulletin], types: list[MeasureType], *, district: str | None = None
) -> Matrix:
    """The matrix of districts × measure types over ``bulletins`` (one district only if given)."""
    corpus = _Corpus(_places(bulletins, district))
    labels: dict[str, str] = {}
    for place in corpus.places:
        labels.setdefault(district_key(place.district), place.district)
    cells: dict[tuple[str, str], Cell] = {}
    for kind in types:
        matched: set[int] = set()
        for phrase in kind.phrases:
            matched |= corpus.holding(phrase)
        for words in kind.combinations:
            sets = [corpus.holding(w) for w in words]
            matched |= set.intersection(*sets) if sets else set()
        for i in sorted(matched):
            place = corpus.places[i]
            key = district_key(place.district)
            cell = cells.get((key, kind.id))
            if cell is None:
                cell = cells[(key, kind.id)] = Cell(labels[key], kind)
            cell.places.append(place)
    districts = [d for k, d in labels.items() if k] + ([""] if "" in labels else [])
    return Matrix(types, districts, cells)
