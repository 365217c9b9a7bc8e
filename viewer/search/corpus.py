"""Literal matching over one committed index generation: which passages hold a piece.

A ``Corpus`` puts the grams files of the generation's segments (``grams``) side by side:
passage positions are the searcher's document numbers (a segment's numbers plus its
offset), the per-passage tables (kind, district, bulletin, section, length) are
concatenated once, and deleted documents and bulletin markers are masked out. What it
holds is a few arrays of one number per passage; the text and the postings stay in the
mapped files, so building one takes milliseconds and a new process answers at once.

Sets of passages are sorted ``int64`` arrays of positions: intersections are binary
searches of the smaller array in the larger one, so a rare piece costs little however
large the archive. A piece of one or two characters is one posting list per segment; a
longer piece is the intersection of its pairs' lists (rarest first), verified on the
candidates' text. Typing refines a query step by step, so recent pieces are remembered.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path

import numpy as np

from viewer.progress import Cancel
from viewer.search import grams
from viewer.search.errors import Cancelled
from viewer.search.query import ParsedQuery, Term
from viewer.search.schema import KIND_HEAD, KIND_HEADLINE, KIND_MARKER

log = logging.getLogger("viewer.search")

Positions = np.ndarray  # sorted, distinct int64 passage positions

#: Pieces whose passages are remembered, and at most how many positions they hold together.
PIECE_CACHE_SIZE = 512
PIECE_CACHE_POSITIONS = 2_000_000
#: Bytes of a grams file read by searches before its pages are let go (resident memory).
RESIDENT_BUDGET = 48 << 20
#: Long pieces whose occurrences are remembered (a query's words are counted once per query).
OCCURRENCES_KEPT = 4
#: A long piece's candidates stop being narrowed by further pairs once this few remain.
NARROW_ENOUGH = 32
#: A long piece whose rarest pair is in more documents than this is found from where its
#: pairs occur; a rarer one by testing the text of its candidates.
PHRASE_FROM = 2048
#: Below this share of the corpus, a filter's passages are tested one by one instead of
#: looking a long piece up in the whole archive.
FEW_PASSAGES = 8

EMPTY: Positions = np.zeros(0, dtype=np.int64)


def intersect(a: Positions, b: Positions) -> Positions:
    """Positions in both sorted arrays."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return EMPTY
    if len(a) * grams.SEARCH_BELOW < len(b):
        return grams.intersect(a, b)
    return a[_mask(b, max(int(a[-1]), int(b[-1])) + 1)[a]]


def subtract(a: Positions, b: Positions) -> Positions:
    """Positions of ``a`` not in ``b``."""
    if not len(a) or not len(b):
        return a
    return a[~_mask(b, max(int(a[-1]), int(b[-1])) + 1)[a]]


def _mask(positions: Positions, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask


def union(a: Positions, b: Positions) -> Positions:
    if not len(a):
        return b
    if not len(b):
        return a
    return np.union1d(a, b)


def _kind_code(kind: str) -> int:
    if kind == KIND_MARKER:
        return grams.MARKER
    return grams.BOOSTED if kind in (KIND_HEADLINE, KIND_HEAD) else grams.PASSAGE


def build_grams(segment_reader) -> grams.Built:
    """The grams of a Whoosh segment, from its columns (every document, deleted or not)."""
    column = segment_reader.column_reader

    def texts(name: str) -> list[str]:
        return [value.decode("utf-8") for value in column(name)]

    return grams.build(
        list(column("raw")),
        [_kind_code(k) for k in texts("kind")],
        list(column("bulletin")),
        texts("district"),
        texts("label"),
        list(column("section")),
        list(column("paragraph")),
    )


def open_grams(segment_reader, index_dir: Path | None) -> grams.SegmentGrams:
    """The segment's grams file; built in memory if it is missing or not whole (a reader
    that opened a generation its writer has not finished, or a file removed by hand)."""
    segment_id = segment_reader.segment().segment_id()
    if index_dir is not None:
        path = index_dir / grams.file_name(segment_id)
        try:
            found = grams.SegmentGrams.open(path)
            if found.docs == segment_reader.doc_count_all():
                return found
            why = "its document count differs"
        except FileNotFoundError:
            why = "missing"
        except (OSError, grams.GramsError) as exc:
            why = str(exc)
        log.warning("grams of segment %s %s: built in memory", segment_id, why)
    return grams.SegmentGrams(build_grams(segment_reader).to_bytes(), segment_id)


class LazyCounts(Mapping):
    """A mapping made on first use (most searches never read their per-section counts)."""

    def __init__(self, make: Callable[[], dict]) -> None:
        self._make: Callable[[], dict] | None = make
        self._data: dict = {}

    def _get(self) -> dict:
        if self._make is not None:
            self._data, self._make = self._make(), None
        return self._data

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self) -> Iterator:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __eq__(self, other: object) -> bool:
        return self._get() == other

    def __repr__(self) -> str:
        return repr(self._get())


class Corpus:
    """The passages of one index generation, their tables, and literal matching."""

    def __init__(self, reader, index_dir: Path | None = None) -> None:
        self.parts: list[tuple[grams.SegmentGrams, int]] = []
        self.bulletin_names: list[str] = []
        self.district_names: list[str] = []
        b_index: dict[str, int] = {}
        d_index: dict[str, int] = {}
        kinds, bulletins, districts, sections, lengths, section_of = [], [], [], [], [], []
        sec_bulletin, sec_district, sec_number = [], [], []
        deleted: list[int] = []
        sec_base = 0
        for sub, offset in reader.leaf_readers():
            part = open_grams(sub, index_dir)
            self.parts.append((part, offset))
            b_lut = np.array([b_index.setdefault(n, len(b_index)) for n in part.bulletin_names], np.int64)
            d_lut = np.array([d_index.setdefault(n, len(d_index)) for n in part.district_names], np.int64)
            kinds.append(part.kind)
            bulletins.append(b_lut[part.bulletin])
            districts.append(d_lut[part.district])
            sections.append(part.section)
            lengths.append(part.length)
            section_of.append(part.section_of.astype(np.int64) + sec_base)
            sec_bulletin.append(b_lut[part.sec_bulletin])
            sec_district.append(d_lut[part.sec_district])
            sec_number.append(part.sec_number)
            sec_base += len(part.sec_number)
            deleted.extend(offset + d for d in sub.segment().deleted_docs())
        self.bulletin_names = list(b_index)
        self.district_names = list(d_index)
        self._b_index, self._d_index = b_index, d_index

        def joined(arrays: list[np.ndarray], dtype) -> np.ndarray:
            return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype)

        self.kind = joined(kinds, np.uint8)
        self.bulletin = joined(bulletins, np.int64)
        self.district = joined(districts, np.int64)
        self.section = joined(sections, np.int32)
        self.length = joined(lengths, np.uint32)
        self.section_of = joined(section_of, np.int64)
        self.sec_bulletin = joined(sec_bulletin, np.int64)
        self.sec_district = joined(sec_district, np.int64)
        self.sec_number = joined(sec_number, np.int32)
        self.undeleted = np.ones(len(self.kind), dtype=bool)
        if deleted:
            self.undeleted[np.asarray(deleted, dtype=np.int64)] = False
        self.live = self.undeleted & (self.kind != grams.MARKER)
        self.size = int(self.live.sum())
        self.docs = len(self.kind)
        self._cache: OrderedDict[str, Positions] = OrderedDict()
        self._cached_positions = 0
        self._seen: OrderedDict[str, Positions] = OrderedDict()  # piece → its occurrences
        self._lock = threading.Lock()

    # -- pieces ----------------------------------------------------------------
    def _live(self, positions: Positions) -> Positions:
        return positions[self.live[positions]] if len(positions) else positions

    def postings(self, piece: str) -> tuple[Positions, np.ndarray]:
        """(positions, counts) of a piece of one or two characters, deleted ones included."""
        docs, tfs = [], []
        for part, offset in self.parts:
            found, tf = part.unigram(piece) if len(piece) == 1 else part.bigram(piece[0], piece[1])
            if len(found):
                docs.append(found.astype(np.int64) + offset)
                tfs.append(tf)
        if not docs:
            return EMPTY, np.zeros(0, np.uint8)
        if len(docs) == 1:
            return docs[0], tfs[0]
        return np.concatenate(docs), np.concatenate(tfs)

    def _long_piece(self, piece: str, within: Positions | None) -> Positions:
        """Passages holding a piece of three or more characters (among ``within``): from
        where it occurs when its pairs are common, else by testing its candidates' text."""
        pairs = list(dict.fromkeys(pairwise(piece)))
        if within is None:
            rarest = min(sum(part.bigram_count(a, b) for part, _ in self.parts) for a, b in pairs)
            if rarest > PHRASE_FROM:
                return grams.distinct(self.occurrences(piece))
        encoded = piece.encode("utf-8")
        found: list[Positions] = []
        for part, offset in self.parts:
            counts = [(part.bigram_count(a, b), a, b) for a, b in pairs]
            if not counts or min(counts)[0] == 0:
                continue
            counts.sort()
            local: np.ndarray | None = None
            if within is not None:
                inside = within[(within >= offset) & (within < offset + part.docs)] - offset
                local = inside.astype(np.uint32)
            for _count, a, b in counts:
                docs = part.bigram(a, b)[0]
                local = docs if local is None else intersect(local, docs)
                if len(local) <= NARROW_ENOUGH:
                    break
            assert local is not None
            held = part.holding(local.astype(np.int64), encoded)
            if len(held):
                found.append(held + offset)
        if not found:
            return EMPTY
        return found[0] if len(found) == 1 else np.concatenate(found)

    def passages_with(self, piece: str) -> Positions:
        """Live passages whose folded text holds ``piece`` literally."""
        with self._lock:
            cached = self._cache.get(piece)
            if cached is not None:
                self._cache.move_to_end(piece)
                return cached
        if len(piece) <= 2:
            found = self._live(self.postings(piece)[0])
        else:
            found = self._live(self._long_piece(piece, None))
        with self._lock:
            if piece not in self._cache:
                self._cache[piece] = found
                self._cached_positions += len(found)
            while self._cache and (
                len(self._cache) > PIECE_CACHE_SIZE or self._cached_positions > PIECE_CACHE_POSITIONS
            ):
                self._cached_positions -= len(self._cache.popitem(last=False)[1])
        return found

    def cached(self, piece: str) -> Positions | None:
        with self._lock:
            return self._cache.get(piece)

    def _all_of(self, pieces: Iterable[str], cancel: Cancel | None, within: Positions | None) -> Positions:
        """Passages (among ``within``, if given) holding every piece, longest piece first."""
        result = within
        for piece in sorted(set(pieces), key=len, reverse=True):
            if cancel is not None and cancel():
                raise Cancelled
            if result is not None and not len(result):
                break
            few = result is not None and len(result) * FEW_PASSAGES < self.size
            if few and len(piece) > 2 and self.cached(piece) is None:
                result = self._long_piece(piece, result)
            else:
                found = self.passages_with(piece)
                result = found if result is None else intersect(result, found)
        return result if result is not None else EMPTY

    def literal(self, term: Term, cancel: Cancel | None, within: Positions | None = None) -> Positions:
        return self._all_of(term.runs, cancel, within)

    def loose(self, term: Term, cancel: Cancel | None, within: Positions | None = None) -> Positions:
        return self._all_of(term.words, cancel, within)

    # -- queries ---------------------------------------------------------------
    def filtered(self, districts: list[str], bulletin: str | None) -> Positions | None:
        """Live passages of those districts (keys) and that bulletin; None: no filter."""
        if not districts and not bulletin:
            return None
        mask = self.live.copy()
        if districts:
            wanted = [self._d_index[d] for d in districts if d in self._d_index]
            mask &= np.isin(self.district, np.asarray(wanted, dtype=np.int64))
        if bulletin:
            index = self._b_index.get(bulletin)
            if index is None:
                return EMPTY
            mask &= self.bulletin == index
        return np.flatnonzero(mask).astype(np.int64)

    def match(
        self, parsed: ParsedQuery, bulletin: str | None, cancel: Cancel | None
    ) -> tuple[Positions, Positions]:
        """(matching passages, those holding every group literally).

        Each step looks only among the passages still in the running: the filters first,
        then each group among the passages the groups before it matched.
        """
        within = self.filtered(parsed.districts, bulletin)
        matched: Positions | None = None
        exact: Positions | None = None
        for group in parsed.groups:
            if matched is not None:
                within = matched
            loose, literal = EMPTY, EMPTY
            for term in group:
                if term.quoted:
                    lit = term_loose = self.literal(term, cancel, within)
                else:
                    # Its words are pieces of its runs: the literal passages are among these.
                    term_loose = self.loose(term, cancel, within)
                    if set(term.runs) <= set(term.words):  # one word (消, 消毒): the same passages
                        lit = term_loose
                    else:
                        lit = self.literal(term, cancel, within=term_loose)
                literal = union(literal, lit)
                loose = union(loose, term_loose)
            matched = loose if matched is None else intersect(matched, loose)
            exact = literal if exact is None else intersect(exact, literal)
            if not len(matched):
                return EMPTY, EMPTY
        if matched is None or exact is None:
            return EMPTY, EMPTY
        for term in parsed.excluded:
            matched = subtract(matched, self.literal(term, cancel, within=matched))
        return matched, intersect(exact, matched)

    # -- counts ----------------------------------------------------------------
    def counts(
        self, matched: Positions
    ) -> tuple[dict[str, int], dict[str, int], Mapping[tuple[str, int], int]]:
        """Matches per district key (passages outside districts left out), per bulletin id
        and per section ((bulletin id, section index)); the last is made when first read."""
        per_section = np.bincount(self.section_of[matched], minlength=len(self.sec_number))
        used = np.flatnonzero(per_section)
        weights = per_section[used]
        per_district = np.bincount(
            self.sec_district[used], weights=weights, minlength=len(self.district_names)
        )
        per_bulletin = np.bincount(
            self.sec_bulletin[used], weights=weights, minlength=len(self.bulletin_names)
        )
        names = self.district_names
        districts = {names[i]: int(per_district[i]) for i in np.flatnonzero(per_district).tolist()}
        districts.pop("", None)  # the lead, the closing, headings belong to no district
        b_names = self.bulletin_names
        bulletins = dict(
            zip(
                map(b_names.__getitem__, np.flatnonzero(per_bulletin).tolist()),
                per_bulletin[per_bulletin > 0].astype(np.int64).tolist(),
                strict=True,
            )
        )

        def sections() -> dict[tuple[str, int], int]:
            keys = zip(
                map(b_names.__getitem__, self.sec_bulletin[used].tolist()),
                self.sec_number[used].tolist(),
                strict=True,
            )
            return dict(zip(keys, weights.tolist(), strict=True))

        return districts, bulletins, LazyCounts(sections)

    # -- text ------------------------------------------------------------------
    def release(self) -> None:
        """Let go of the mapped pages searches have read, past a budget (``RESIDENT_BUDGET``)."""
        for part, _offset in self.parts:
            part.release(RESIDENT_BUDGET)

    def part_of(self, position: int) -> tuple[grams.SegmentGrams, int]:
        """(the segment's grams, the position's number in it)."""
        for part, offset in reversed(self.parts):
            if position >= offset:
                return part, position - offset
        raise IndexError(position)

    def occurrences(self, piece: str) -> Positions:
        """The position of each occurrence of a piece of two characters or more (sorted, a
        passage once per occurrence; deleted ones included)."""
        with self._lock:
            cached = self._seen.get(piece)
            if cached is not None:
                return cached
        found = [part.occurrences(piece) + offset for part, offset in self.parts]
        found = [f for f in found if len(f)]
        seen = EMPTY if not found else found[0] if len(found) == 1 else np.concatenate(found)
        with self._lock:
            self._seen[piece] = seen
            while len(self._seen) > OCCURRENCES_KEPT:
                self._seen.popitem(last=False)
        return seen

    def hit_fields(self, position: int) -> dict:
        """What a hit shows of a passage: bulletin id and title, label, section, paragraph, text."""
        part, doc = self.part_of(position)
        bulletin = int(part.bulletin[doc])
        return {
            "bulletin": part.bulletin_names[bulletin],
            "title": part.titles[bulletin],
            "label": part.label_names[int(part.label[doc])],
            "section": int(part.section[doc]),
            "paragraph": int(part.paragraph[doc]),
            "text": part.text(doc),
        }

    def indexed_bulletins(self) -> set[str]:
        """Ids of the bulletins whose marker is live (committed whole)."""
        markers = np.flatnonzero((self.kind == grams.MARKER) & self.undeleted)
        return {self.bulletin_names[i] for i in set(self.bulletin[markers].tolist())}
