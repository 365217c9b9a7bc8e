"""Which district did what: passages of each measure type, by district, across bulletins.

A passage shows a type when its folded text (folded as search folds it: full-width, case,
traditional characters, invisible characters) holds one of the type's phrases, or every
word of one of its combinations, literally — the passages the search finds for the same
quoted phrases. Rows are districts (by their grouping key, named as first printed);
passages outside districts (a notice's paragraphs, a heading's) form the row "".

How it is fast (1,000 bulletins, 34k passages, in a fraction of a second): each distinct
passage text is folded once; every piece (phrase or combination word) of every type is
looked for in one pass of one compiled alternation per text, except the few pieces an
alternation could hide (one inside another, or one whose start can overlap another's end:
租金 in 减免租金), which are tested on every text at C level. ``scan`` does that once;
``Scan.matrix`` then counts any choice of bulletins and types without scanning again (the
window's filters). Figures are found only when a cell is asked for them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, chain
from operator import itemgetter
from typing import NamedTuple

from viewer.measures.cache import ScanCache, bulletin_digest, cache_key, no_gc
from viewer.measures.figures import Figure, figures
from viewer.measures.lexicon import MeasureType
from viewer.model import HEAD, Bulletin, district_key
from viewer.progress import Cancel


class Place(NamedTuple):
    """A passage: its bulletin, section (or LEAD / CLOSING), paragraph (or HEADLINE)."""

    bulletin_id: str
    section: int
    paragraph: int
    district: str  # as printed; "" outside districts
    text: str


_new_place = partial(tuple.__new__, Place)  # Place(*fields) without a Python-level call
_TEXT = itemgetter(4)


@dataclass
class Cell:
    district: str  # as printed (the first printing seen for the district's key)
    type: MeasureType
    places: list[Place] = field(default_factory=list)

    @property
    def figures(self) -> list[tuple[Figure, Place]]:
        """The key figures of its passages, with the passage each stands in (found when asked)."""
        return list(self.iter_figures())

    def iter_figures(self) -> Iterator[tuple[Figure, Place]]:
        """``figures`` one by one, each passage's found only when reached."""
        for place in self.places:
            for figure in figures_of(place.text, place[:3]):
                yield figure, place

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
    #: How many passages (and bulletins) show one of the types at least, over all cells.
    passages: int = 0
    bulletins: int = 0

    def cell(self, district: str, type_id: str) -> Cell | None:
        return self.cells.get((district_key(district), type_id))

    def ordered_cells(self) -> list[Cell]:
        """The cells row by row, each row in the order of the types."""
        rows = {district_key(d): n for n, d in enumerate(self.districts)}
        order = {t.id: n for n, t in enumerate(self.types)}
        return sorted(self.cells.values(), key=lambda c: (rows[district_key(c.district)], order[c.type.id]))

    def to_dict(self) -> dict:
        return {
            "types": [t.to_dict() for t in self.types],
            "cells": [c.to_dict() for c in self.ordered_cells()],
        }


#: The key figures of one passage text, remembered: a passage text stands in several cells,
#: and generated or republished bulletins repeat whole paragraphs.
_FIGURES: dict[str, tuple[Figure, ...]] = {}
_FIGURES_MAX = 65_536


#: Figures read from the scan cache, by place (bulletin id, section, paragraph), as stored.
_CACHED_FIGURES: dict[tuple[str, int, int], list] = {}


def figures_of(text: str, place: tuple[str, int, int] | None = None) -> tuple[Figure, ...]:
    """``figures(text)``, remembered (the figures of a text never change); at ``place``,
    taken from the scan cache when it holds them."""
    found = _FIGURES.get(text)
    if found is None:
        if len(_FIGURES) >= _FIGURES_MAX:
            _FIGURES.clear()
        rows = _CACHED_FIGURES.get(place) if place is not None else None
        try:
            found = tuple(Figure(*row) for row in rows) if rows is not None else None
        except TypeError:  # not what the cache writes
            found = None
        if found is None:
            found = tuple(figures(text))
        _FIGURES[text] = found
    return found


# -- folding ---------------------------------------------------------------------------


def fold_all(texts: list[str]) -> list[str]:
    """``[fold(t) for t in texts]``, faster on many texts.

    Search folds every character on its own (``viewer.search.normalize``): so each distinct
    character of the texts is folded once by ``fold`` and the texts are mapped through that
    table at C speed (numpy, which search uses too). A text holding a character that folds
    to more or less than one character (… → ..., a soft hyphen → nothing) is folded whole
    by ``fold``; without numpy, every text is.
    """
    from viewer.search.normalize import fold  # here: a scan answered by the cache needs none of it

    if len(texts) < 64:
        return [fold(t) for t in texts]
    try:
        import numpy as np

        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    except (ImportError, UnicodeEncodeError):  # no numpy; a lone surrogate
        return [fold(t) for t in texts]
    if not len(codes):
        return list(texts)
    present = np.flatnonzero(np.bincount(codes))
    folded = [fold(chr(c)) for c in present.tolist()]
    single = np.fromiter((len(f) == 1 for f in folded), dtype=bool, count=len(folded))
    table = np.arange(int(present[-1]) + 1, dtype=np.uint32)
    table[present[single]] = np.fromiter(
        (ord(f) for f in folded if len(f) == 1), dtype=np.uint32, count=int(single.sum())
    )
    mapped = table[codes].tobytes().decode("utf-32-le")
    ends = list(accumulate(map(len, texts)))
    out = [mapped[end - len(text) : end] for text, end in zip(texts, ends, strict=True)]
    if not single.all():
        odd = np.flatnonzero(np.isin(codes, present[~single]))
        for i in set(np.searchsorted(ends, odd, side="right").tolist()):
            out[i] = fold(texts[i])
    return out


# -- matching ---------------------------------------------------------------------------


def _can_hide(outer: str, inner: str) -> bool:
    """Whether a leftmost, non-overlapping scan that reports ``outer`` can pass over an
    occurrence of ``inner``: ``inner`` lies inside ``outer``, or starts inside its end."""
    if inner in outer:
        return True
    return any(outer.endswith(inner[:k]) for k in range(1, min(len(outer), len(inner))))


def _longest_first(pieces: list[str]) -> str:
    """A pattern that matches, where any of ``pieces`` starts, the longest one starting
    there: the pieces as a trie (下(?:沉(?:社区|基层)?|派)), so that each position costs one
    look at its character rather than a try of every piece."""
    trie: dict = {}
    for piece in pieces:
        node = trie
        for char in piece:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(sub) for char, sub in sorted(node.items()) if char]
        if not branches:
            return ""
        ends_here = "" in node
        if len(branches) == 1 and not ends_here:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")

    return pattern(trie)


@dataclass(frozen=True)
class _Matcher:
    """Every piece of every type, and how to find them all in a folded text.

    One pattern of every piece (the longest where several start) finds, leftmost and
    without overlaps, the pieces it reports; an occurrence it passes over lies inside or across the end of a
    piece it reported (``_can_hide``), so only the pieces a reported one can hide are then
    tested, on that text alone. Exact: a piece is held iff it is a substring.
    """

    alternation: re.Pattern[str] | None
    hides: dict[str, frozenset[str]]  # piece → the pieces an occurrence of it can hide
    phrase_types: dict[str, tuple[int, ...]]  # piece → types it signals as a phrase
    combinations: tuple[tuple[int, frozenset[str]], ...]  # (type index, its words)

    @classmethod
    def build(cls, types: list[MeasureType]) -> _Matcher:
        from viewer.search.normalize import fold

        phrase_types: dict[str, list[int]] = {}
        combinations: list[tuple[int, frozenset[str]]] = []
        pieces: dict[str, None] = {}
        for n, kind in enumerate(types):
            for phrase in kind.phrases:
                folded = fold(phrase)
                if folded:  # one that folds to nothing is found nowhere (as a search for it)
                    pieces[folded] = None
                    if n not in phrase_types.setdefault(folded, []):
                        phrase_types[folded].append(n)
            for words in kind.combinations:
                folded_words = [fold(w) for w in words]
                if folded_words and all(folded_words):
                    pieces.update(dict.fromkeys(folded_words))
                    combinations.append((n, frozenset(folded_words)))
        ordered = list(pieces)
        alternation = re.compile(_longest_first(ordered)) if ordered else None
        hides = {
            outer: frozenset(inner for inner in ordered if inner != outer and _can_hide(outer, inner))
            for outer in ordered
        }
        return cls(
            alternation,
            hides,
            {p: tuple(t) for p, t in phrase_types.items()},
            tuple(combinations),
        )

    def held(self, text: str) -> frozenset[str]:
        """The pieces ``text`` (folded) holds."""
        if self.alternation is None:
            return frozenset()
        reported = set(self.alternation.findall(text))
        if not reported:
            return frozenset()
        held = set(reported)
        for piece in reported:
            for hidden in self.hides[piece]:
                if hidden not in held and hidden in text:
                    held.add(hidden)
        return frozenset(held)

    def types_in(self, folded: list[str]) -> list[tuple[int, ...]]:
        """For each folded text, the indexes of the types it shows, in order."""
        known: dict[frozenset[str], tuple[int, ...]] = {}
        out: list[tuple[int, ...]] = []
        phrase_types, combinations = self.phrase_types, self.combinations
        for text in folded:
            held = self.held(text)
            kinds = known.get(held)
            if kinds is None:
                found = {t for p in held for t in phrase_types.get(p, ())}
                found.update(t for t, needed in combinations if needed <= held)
                kinds = known[held] = tuple(sorted(found))
            out.append(kinds)
        return out


_MATCHERS: dict[tuple[MeasureType, ...], _Matcher] = {}


def _matcher(types: list[MeasureType]) -> _Matcher:
    key = tuple(types)
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        found = _MATCHERS[key] = _Matcher.build(types)
    return found


# -- the scan and its matrices ------------------------------------------------------------


@dataclass
class Scan:
    """Which passages show which types, over a set of bulletins: counted into a ``Matrix``
    for any choice of those bulletins and types by ``matrix`` without scanning again."""

    types: list[MeasureType]
    #: Per bulletin (in the order given): its id and its rows' (district key, label) in order
    #: of first appearance, the row of every passage scanned (matching or not).
    rows: list[tuple[str, list[tuple[str, str]]]]
    places: list[Place]  # the passages that show at least one type, in reading order
    kinds: list[tuple[int, ...]]  # per place: indexes into ``types``
    keys: list[str]  # per place: its district key

    def matrix(
        self,
        bulletin_ids: Collection[str] | None = None,
        type_ids: Collection[str] | None = None,
    ) -> Matrix:
        """The districts × types matrix over those bulletins (all when None) and types."""
        with no_gc():
            return self._matrix(bulletin_ids, type_ids)

    def _matrix(self, bulletin_ids: Collection[str] | None, type_ids: Collection[str] | None) -> Matrix:
        wanted_bulletins = None if bulletin_ids is None else set(bulletin_ids)
        chosen = [
            n for n, t in enumerate(self.types) if type_ids is None or t.id in type_ids
        ]  # in the lexicon's order
        types = [self.types[n] for n in chosen]
        labels: dict[str, str] = {}
        for bulletin_id, rows in self.rows:
            if wanted_bulletins is None or bulletin_id in wanted_bulletins:
                for key, label in rows:
                    labels.setdefault(key, label)
        lists: list[list[int]] = [[] for _ in self.types]
        wanted_types = set(chosen)
        shown: set[str] = set()
        passages = 0
        for at, (place, kinds) in enumerate(zip(self.places, self.kinds, strict=True)):
            if wanted_bulletins is None or place.bulletin_id in wanted_bulletins:
                for n in kinds:
                    lists[n].append(at)
                if not wanted_types.isdisjoint(kinds):
                    passages += 1
                    shown.add(place.bulletin_id)
        places, keys = self.places, self.keys
        cells: dict[tuple[str, str], Cell] = {}
        for n in chosen:
            kind = self.types[n]
            for at in lists[n]:
                key = keys[at]
                cell = cells.get((key, kind.id))
                if cell is None:
                    cell = cells[(key, kind.id)] = Cell(labels[key], kind)
                cell.places.append(places[at])
        districts = [d for k, d in labels.items() if k] + ([""] if "" in labels else [])
        return Matrix(types, districts, cells, passages, len(shown))


def scan(
    bulletins: Iterable[Bulletin],
    types: list[MeasureType],
    *,
    district: str | None = None,
    cancel: Cancel | None = None,
    cache: ScanCache | None = None,
    save: bool = True,
) -> Scan:
    """Find the passages of every type in ``bulletins`` (of one district only if given).

    With a ``cache``, bulletins it knows are not scanned again, and what is found in the
    others (with their figures) is added to it — unless ``save`` is False: ``remember``
    does that later (the window shows the matrix first). ``cancel`` is asked between
    bulletins while they are read; on True the scan stops and holds what was read so far."""
    with no_gc():  # tens of thousands of small containers (see no_gc)
        return _scan(bulletins, types, district, cancel, cache if save else None, cache)


def remember(found: Scan, bulletins: Iterable[Bulletin], cache: ScanCache) -> int:
    """Add to ``cache`` what ``found`` (a scan of every passage of ``bulletins``, no district
    filter) holds for the bulletins it does not know yet, with their figures; how many."""
    with no_gc():
        cache_id = cache_key(found.types)
        known = cache.load(cache_id)
        by_bulletin: dict[str, list] = {}
        for place, kinds in zip(found.places, found.kinds, strict=True):
            by_bulletin.setdefault(place.bulletin_id, []).append((place, kinds))
        digests, new = set(), {}
        for bulletin in bulletins:
            digest = bulletin_digest((s, p, t) for s, p, t in bulletin.passages() if s != HEAD)
            digests.add(digest)
            if digest not in known:
                new[digest] = [
                    [
                        place.section,
                        place.paragraph,
                        list(kinds),
                        [_figure_row(f) for f in figures_of(place.text)],
                    ]
                    for place, kinds in by_bulletin.get(bulletin.id, ())
                ]
        if new:
            cache.save(cache_id, new, digests)
        return len(new)


def _scan(
    bulletins: Iterable[Bulletin],
    types: list[MeasureType],
    district: str | None,
    cancel: Cancel | None,
    cache: ScanCache | None,
    reader: ScanCache | None = None,
) -> Scan:
    only = district_key(district) if district else None
    rows: list[tuple[str, list[tuple[str, str]]]] = []
    walked: list[list[tuple[str, int, int, str, str]]] = []  # per bulletin: its passages
    keys_of: dict[str, str] = {"": ""}
    for bulletin in bulletins:
        if cancel is not None and cancel():
            break
        labels = {s: sec.district for s, sec in enumerate(bulletin.sections)}
        bid = bulletin.id
        passages = [
            (bid, section, paragraph, labels.get(section, ""), text)
            for section, paragraph, text in bulletin.passages()
            if section != HEAD  # titles name the bulletin, not what a district did
        ]
        seen: dict[str, str] = {}
        for label in map(_LABEL, passages):
            key = keys_of.get(label)
            if key is None:
                key = keys_of[label] = district_key(label)
            if key not in seen and (only is None or key == only):
                seen[key] = label
        rows.append((bid, list(seen.items())))
        walked.append(passages)

    # What each passage shows: from the cache, else by matching (all such texts at once).
    shown: dict[tuple[str, int, int], tuple[int, ...]] = {}
    missed = list(range(len(walked)))
    reader = reader or cache
    if reader is not None:
        cache_id = cache_key(types)
        known = reader.load(cache_id)
        digests = [bulletin_digest((s, p, t) for _b, s, p, _l, t in passages) for passages in walked]
        missed = [
            n
            for n, (passages, digest) in enumerate(zip(walked, digests, strict=True))
            if not _take(known.get(digest), passages, len(types), shown)
        ]
    texts = list(dict.fromkeys(t for n in missed for t in map(_TEXT, walked[n])))
    kinds_of = dict(zip(texts, _matcher(types).types_in(fold_all(texts)), strict=True)) if texts else {}
    for n in missed:
        for place in walked[n]:
            if kinds := kinds_of[place[4]]:
                shown[place[0], place[1], place[2]] = kinds
    if cache is not None and missed:
        found = {
            digests[n]: [
                [s, p, list(kinds_of[t]), [_figure_row(f) for f in figures_of(t)]]
                for _b, s, p, _l, t in walked[n]
                if kinds_of[t]
            ]
            for n in missed
        }
        cache.save(cache_id, found, set(digests))

    places: list[Place] = []
    kinds: list[tuple[int, ...]] = []
    keys: list[str] = []
    for passage in chain.from_iterable(walked):
        found_kinds = shown.get(passage[:3])
        if found_kinds:
            key_of = keys_of[passage[3]]
            if only is None or key_of == only:
                places.append(_new_place(passage))
                kinds.append(found_kinds)
                keys.append(key_of)
    return Scan(list(types), rows, places, kinds, keys)


_LABEL = itemgetter(3)


def _figure_row(figure: Figure) -> list:
    return [figure.text, figure.value, figure.unit, figure.counts, figure.start]


def _take(entries: object, passages: list, types: int, shown: dict) -> bool:
    """Put a cached bulletin's findings in ``shown`` and its figures where ``figures_of``
    finds them; False if there are none or they are not what the cache writes (then the
    bulletin is scanned)."""
    if not isinstance(entries, list):
        return False
    bulletin_id = passages[0][0] if passages else ""
    try:
        found = [((bulletin_id, s, p), tuple(kinds), rows) for s, p, kinds, rows in entries]
        valid = all(
            type(k) is int and 0 <= k < types for _place, kinds, _rows in found for k in kinds
        ) and all(isinstance(rows, list) for _place, _kinds, rows in found)
    except (TypeError, ValueError):
        return False
    if not valid:
        return False
    if len(_CACHED_FIGURES) > _FIGURES_MAX:
        _CACHED_FIGURES.clear()
    for place, kinds, rows in found:
        shown[place] = kinds
        _CACHED_FIGURES[place] = rows
    return True


def phrases_in(text: str, kind: MeasureType) -> list[str]:
    """The phrases of ``kind`` that ``text`` holds (folded, literally), and the words of each
    combination it holds whole: what to highlight in the passage."""
    from viewer.search.normalize import fold

    folded = fold(text)
    found = [p for p in kind.phrases if (f := fold(p)) and f in folded]
    for words in kind.combinations:
        pieces = [fold(w) for w in words]
        if pieces and all(pieces) and all(p in folded for p in pieces):
            found.extend(w for w in words if w not in found)
    return found


def measure(
    bulletins: Iterable[Bulletin],
    types: list[MeasureType],
    *,
    district: str | None = None,
    cache: ScanCache | None = None,
) -> Matrix:
    """The matrix of districts × measure types over ``bulletins`` (one district only if given)."""
    return scan(bulletins, types, district=district, cache=cache).matrix()
