"""Character unigram and bigram postings of one Whoosh segment, in a file of its own.

Whoosh segments never change once written (deletions are kept apart, in the table of
contents), so what literal matching needs of a segment is computed once, when the
segment is committed, and written beside it as ``viewer-grams-<segment id>.bin``:

- per document (the segment's own numbering): its folded text and its text as the reader
  sees it (UTF-8, a blob each, with byte offsets), folded length in characters, kind
  (marker, passage, boosted headline or head), bulletin, district, label as printed,
  section and paragraph (as numbers into the segment's name tables and its table of
  sections), and each bulletin's title;
- for every character and every pair of neighbouring characters of the folded text:
  the sorted documents holding it and how often each holds it (``uint32`` documents,
  ``uint8`` counts, clipped);
- for every pair, where it occurs: offsets into the documents' folded texts joined by
  one separator (``uint32``, so a segment holds at most 4 G characters).

A new process maps the file (``mmap``) and reads the arrays in place (``numpy``): it
opens in milliseconds and only the pages a query touches are read. A piece of one or
two characters is answered by one posting list, exactly; a longer piece, when rare, by
the intersection of its pairs' document lists verified on the candidates' text
(``mmap.find``), and when common by its pairs' positions (the piece starts at p when its
i-th pair starts at p + i): recall is exact by construction either way.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), a JSON header (counts,
name tables, where each array starts), then the arrays, each aligned to 8 bytes, the
folded text and the text last.
"""

from __future__ import annotations

import json
import mmap
import os
import stat
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from viewer.search.errors import GramsError
from viewer.search.normalize import fold

MAGIC = b"BVGRAM01"
PREFIX = "viewer-grams-"
SUFFIX = ".bin"
#: Joins the folded texts while building (never inside a passage's folded text).
SEPARATOR = 0x0A
#: Kind codes.
MARKER, PASSAGE, BOOSTED = 0, 1, 2
_DOC_BITS = 22  # documents of a segment are numbered below 2**22: they pack with a pair into 64 bits
_CP_BITS = 21  # every code point is below 2**21
_TF_MAX = np.iinfo(np.uint8).max  # counts are clipped (BM25 saturates long before)
#: Documents are cut into chunks of about this many characters while building (memory).
CHUNK_CHARS = 250_000
MAX_DOCS = 1 << _DOC_BITS
#: Intersecting a sorted array with one this many times longer searches each value of
#: the short one; arrays closer in size are merged.
SEARCH_BELOW = 16

_ARRAYS = (
    ("kind", np.uint8),
    ("bulletin", np.uint32),
    ("district", np.uint32),
    ("label", np.uint32),
    ("section", np.int32),
    ("paragraph", np.int32),
    ("length", np.uint32),
    ("starts", np.uint64),
    ("raw_starts", np.uint64),
    ("cstarts", np.int64),
    ("section_of", np.uint32),
    ("sec_bulletin", np.uint32),
    ("sec_district", np.uint32),
    ("sec_number", np.int32),
    ("uni_keys", np.uint32),
    ("uni_starts", np.uint64),
    ("uni_docs", np.uint32),
    ("uni_tf", np.uint8),
    ("bi_keys", np.uint64),
    ("bi_starts", np.uint64),
    ("bi_docs", np.uint32),
    ("bi_tf", np.uint8),
    ("pos_starts", np.uint64),
    ("positions", np.uint32),
)


def file_name(segment_id: str) -> str:
    return f"{PREFIX}{segment_id}{SUFFIX}"


def pair_key(first: str, second: str) -> int:
    return (ord(first) << _CP_BITS) | ord(second)


def _pairs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (key, doc) pairs of one chunk, packed ``key << _DOC_BITS | doc`` and
    sorted, with how often each occurs (clipped)."""
    packed, tf = np.unique((keys << np.uint64(_DOC_BITS)) | docs.astype(np.uint64), return_counts=True)
    return packed, np.minimum(tf, _TF_MAX).astype(np.uint8)


_SLICE = 1 << 22  # values unpacked at a time (bounds the temporaries)
_TF_BITS = 8
_RANK_SHIFT = np.uint64(_DOC_BITS + _TF_BITS)


def _postings(chunks: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """(distinct keys, their starts into the postings, documents, counts) from the pairs of
    every chunk (the list is emptied as it is read). Chunks hold documents apart, so no
    pair occurs in two of them. Each pair is packed as (rank of its key, doc, count) in one
    64-bit number — a key's rank needs at most 34 bits, as there are fewer than 2**32
    pairs — so one in-place sort orders them all without a second array."""
    doc_mask = np.uint64((1 << _DOC_BITS) - 1)
    shift = np.uint64(_DOC_BITS)
    keys = (
        distinct(np.sort(np.concatenate([distinct(c[0] >> shift) for c in chunks])))
        if chunks
        else (np.zeros(0, np.uint64))
    )
    total = sum(len(c[0]) for c in chunks)
    packed = np.empty(total, dtype=np.uint64)
    at = 0
    while chunks:
        pairs, tf = chunks.pop(0)
        rank = np.searchsorted(keys, pairs >> shift).astype(np.uint64)
        packed[at : at + len(pairs)] = (
            (rank << _RANK_SHIFT) | ((pairs & doc_mask) << np.uint64(_TF_BITS)) | tf
        )
        at += len(pairs)
        del pairs, tf, rank
    packed.sort()
    docs = np.empty(total, dtype=np.uint32)
    tfs = np.empty(total, dtype=np.uint8)
    counts = np.zeros(len(keys), dtype=np.int64)
    for lo in range(0, total, _SLICE):
        part = packed[lo : lo + _SLICE]
        docs[lo : lo + len(part)] = (part >> np.uint64(_TF_BITS)) & doc_mask
        tfs[lo : lo + len(part)] = part & np.uint64(_TF_MAX)
        counts += np.bincount((part >> _RANK_SHIFT).astype(np.int64), minlength=len(keys))
    del packed
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
    return keys, starts, docs, tfs


def _table(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    names = list(dict.fromkeys(values))
    index = {name: i for i, name in enumerate(names)}
    return names, np.fromiter(map(index.__getitem__, values), np.uint32, len(values))


def _starts(blobs: Sequence[bytes]) -> np.ndarray:
    sizes = np.fromiter(map(len, blobs), np.uint64, len(blobs))
    return np.concatenate(([0], np.cumsum(sizes, dtype=np.uint64))).astype(np.uint64)


def build(
    raw: Sequence[bytes],
    kinds: Sequence[int],
    bulletins: Sequence[str],
    districts: Sequence[str],
    labels: Sequence[str],
    sections: Sequence[int],
    paragraphs: Sequence[int],
) -> Built:
    """The grams file of a segment whose documents have these columns (in docnum order):
    ``raw`` is a passage's text as the reader sees it (UTF-8), a marker's the title."""
    n = len(raw)
    if n > MAX_DOCS:
        raise GramsError(f"a segment of {n} documents (at most {MAX_DOCS})")
    kind = np.asarray(kinds, dtype=np.uint8).reshape(n)
    decoded = [t.decode("utf-8") for t in raw]
    texts = [fold(t) if k != MARKER else "" for t, k in zip(decoded, kind.tolist(), strict=True)]
    folded = [t.encode("utf-8") for t in texts]
    bulletin_names, bulletin_of = _table(bulletins)
    district_names, district_of = _table(districts)
    label_names, label_of = _table(labels)
    titles = dict.fromkeys(bulletin_names, "")
    for doc in np.flatnonzero(kind == MARKER).tolist():
        titles[bulletins[doc]] = decoded[doc]
    arrays: dict[str, np.ndarray] = {
        "kind": kind,
        "bulletin": bulletin_of,
        "district": district_of,
        "label": label_of,
        "section": np.asarray(sections, dtype=np.int32).reshape(n),
        "paragraph": np.asarray(paragraphs, dtype=np.int32).reshape(n),
        "length": np.fromiter(map(len, texts), np.uint32, n),
        "starts": _starts(folded),
        "raw_starts": _starts(raw),
    }
    # Sections: one local number per (bulletin, section), in order of first sight.
    sec_ids: dict[tuple[int, int], int] = {}
    sec_district: list[int] = []
    section_of = np.empty(n, dtype=np.uint32)
    for doc, key in enumerate(zip(arrays["bulletin"].tolist(), arrays["section"].tolist(), strict=True)):
        sid = sec_ids.get(key)
        if sid is None:
            sid = sec_ids[key] = len(sec_ids)
            sec_district.append(int(arrays["district"][doc]))
        section_of[doc] = sid
    arrays["section_of"] = section_of
    arrays["sec_bulletin"] = np.fromiter((b for b, _ in sec_ids), np.uint32, len(sec_ids))
    arrays["sec_number"] = np.fromiter((s for _, s in sec_ids), np.int32, len(sec_ids))
    arrays["sec_district"] = np.asarray(sec_district, dtype=np.uint32)
    lengths = arrays["length"].astype(np.int64)
    cstarts = np.concatenate(([0], np.cumsum(lengths + 1))).astype(np.int64)
    if cstarts[-1] >= 1 << 32:
        raise GramsError(f"a segment of {cstarts[-1]} characters (at most {1 << 32})")
    arrays["cstarts"] = cstarts
    chunks = list(_chunks(lengths))
    uni_chunks: list[tuple[np.ndarray, np.ndarray]] = []
    bi_chunks: list[tuple[np.ndarray, np.ndarray]] = []
    occurrences = 0
    for first, last in chunks:
        occurrences += _chunk(texts[first:last], lengths[first:last], first, uni_chunks, bi_chunks)
    uni = _postings(uni_chunks)
    arrays["uni_keys"] = uni[0].astype(np.uint32)
    arrays["uni_starts"], arrays["uni_docs"], arrays["uni_tf"] = uni[1:]
    del uni
    arrays["bi_keys"], arrays["bi_starts"], arrays["bi_docs"], arrays["bi_tf"] = _postings(bi_chunks)
    positions = _positions(texts, chunks, cstarts, arrays["bi_keys"], occurrences)
    arrays["pos_starts"], arrays["positions"] = positions
    names = {"bulletins": bulletin_names, "titles": list(titles.values())}
    names |= {"districts": district_names, "labels": label_names}
    return Built(n, names, arrays, [b"".join(folded), b"".join(raw)])


def _chunks(lengths: np.ndarray):
    """(first, end) of runs of documents of about CHUNK_CHARS characters."""
    first, n = 0, len(lengths)
    while first < n:
        last, size = first, 0
        while last < n and (size < CHUNK_CHARS or last == first):
            size += int(lengths[last]) + 1
            last += 1
        yield first, last
        first = last


def _pair_keys(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where each pair of neighbouring characters starts, its key) in joined text."""
    keep = cps != SEPARATOR
    at = np.flatnonzero(keep[:-1] & keep[1:])
    return at, (cps[at].astype(np.uint64) << np.uint64(_CP_BITS)) | cps[at + 1].astype(np.uint64)


def _positions(
    texts: list[str], chunks, cstarts: np.ndarray, keys: np.ndarray, total: int
) -> tuple[np.ndarray, np.ndarray]:
    """Where each pair occurs, as offsets into the documents' texts joined by one separator:
    (starts into the positions by pair key, sorted positions). ``total``: how many pairs."""
    packed = np.empty(total, dtype=np.uint64)
    done = 0
    for first, last in chunks:
        cps = np.frombuffer("\n".join(texts[first:last]).encode("utf-32-le"), dtype=np.uint32)
        at, pair = _pair_keys(cps)
        rank = np.searchsorted(keys, pair).astype(np.uint64)
        packed[done : done + len(at)] = (rank << np.uint64(32)) | (
            at.astype(np.uint64) + np.uint64(cstarts[first])
        )
        done += len(at)
    assert done == total
    packed.sort()
    positions = np.empty(total, dtype=np.uint32)
    counts = np.zeros(len(keys), dtype=np.int64)
    for lo in range(0, total, _SLICE):
        part = packed[lo : lo + _SLICE]
        positions[lo : lo + len(part)] = part & np.uint64(0xFFFFFFFF)
        counts += np.bincount((part >> np.uint64(32)).astype(np.int64), minlength=len(keys))
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
    return starts, positions


def _chunk(texts: list[str], lengths: np.ndarray, first: int, uni: list, bi: list) -> int:
    """Add the (character, doc) and (pair, doc) pairs of documents ``first``… to the
    lists; how many pairs of neighbouring characters they hold."""
    cps = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    doc_of = np.repeat(np.arange(first, first + len(texts), dtype=np.uint32), lengths + 1)[: len(cps)]
    keep = cps != SEPARATOR
    if keep.any():
        uni.append(_pairs(cps[keep].astype(np.uint64), doc_of[keep]))
    at, keys = _pair_keys(cps)
    if len(at):
        bi.append(_pairs(keys, doc_of[at]))
    return len(at)


class Built:
    """A grams file made in memory: its parts, written one after another."""

    def __init__(
        self, n: int, names: dict[str, list[str]], arrays: dict[str, np.ndarray], blobs: list[bytes]
    ):
        layout: dict[str, list[int]] = {}
        offset = 0
        for name, dtype in _ARRAYS:
            array = arrays[name]
            assert array.dtype == dtype, name
            layout[name] = [offset, len(array)]
            offset += -(-array.nbytes // 8) * 8
        header = {"docs": n, **names, "arrays": layout, "blob": [offset, len(blobs[0])]}
        header["raw"] = [offset + len(blobs[0]), len(blobs[1])]
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        head += b" " * (-(len(MAGIC) + 8 + len(head)) % 8)
        self._head = MAGIC + len(head).to_bytes(8, "little") + head
        self._arrays = arrays
        self._blobs = blobs

    def parts(self):
        yield self._head
        for name, _dtype in _ARRAYS:
            array = self._arrays[name]
            yield memoryview(np.ascontiguousarray(array)).cast("B")
            if array.nbytes % 8:
                yield b"\0" * (-array.nbytes % 8)
        yield from self._blobs

    def to_bytes(self) -> bytes:
        return b"".join(bytes(part) for part in self.parts())


def write(path: Path, built: Built) -> None:
    """Write a grams file atomically and durably (temp file, fsync, rename)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as handle:
            for part in built.parts():
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def distinct(sorted_values: np.ndarray) -> np.ndarray:
    """A sorted array without its repeats."""
    if not len(sorted_values):
        return sorted_values
    keep = np.empty(len(sorted_values), dtype=bool)
    keep[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=keep[1:])
    return sorted_values[keep]


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Values in both sorted arrays of distinct values (the smaller searched in the larger)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    if len(a) * SEARCH_BELOW < len(b):  # few in many: a binary search each
        at = np.searchsorted(b, a)
        at[at >= len(b)] = len(b) - 1
        return a[b[at] == a]
    both = np.concatenate((a, b))  # alike in size: one merge of two sorted runs (timsort)
    both.sort(kind="stable")
    return both[1:][both[1:] == both[:-1]]


class SegmentGrams:
    """One segment's grams file, mapped read-only (or held in memory when built for a
    segment whose file is missing)."""

    def __init__(self, data: mmap.mmap | bytes, name: str = "") -> None:
        self.name = name
        self._data = data
        try:
            if data[: len(MAGIC)] != MAGIC:
                raise GramsError("not a grams file")
            size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "little")
            start = len(MAGIC) + 8
            header = json.loads(bytes(data[start : start + size]).decode("utf-8"))
            base = start + size
            self.docs: int = header["docs"]
            self.bulletin_names: list[str] = header["bulletins"]
            self.district_names: list[str] = header["districts"]
            self.label_names: list[str] = header["labels"]
            self.titles: list[str] = header["titles"]
            for array_name, dtype in _ARRAYS:
                at, count = header["arrays"][array_name]
                setattr(self, array_name, np.frombuffer(data, dtype=dtype, count=count, offset=base + at))
            at, length = header["blob"]
            self.blob_start = base + at
            at, length = header["raw"]
            self.raw_start = base + at
            if self.raw_start + length != len(data) or len(self.titles) != len(self.bulletin_names):
                raise GramsError("cut short")
        except GramsError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise GramsError(f"unreadable ({exc.__class__.__name__}: {exc})") from exc
        if len(self.kind) != self.docs or len(self.starts) != self.docs + 1:
            raise GramsError("its tables disagree")
        self._find = data.find
        self.touched = 0  # bytes of the file read since the pages were last let go

    @classmethod
    def open(cls, path: Path) -> SegmentGrams:
        """Map ``path``; GramsError if it is not a whole grams file, OSError if unreadable."""
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
                raise GramsError("not a regular file, or empty")
            data = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        return cls(data, path.name)

    # -- postings --------------------------------------------------------------
    def unigram(self, char: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, counts) of one character."""
        return self._lookup(self.uni_keys, self.uni_starts, self.uni_docs, self.uni_tf, ord(char))

    def bigram(self, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, counts) of two neighbouring characters."""
        return self._lookup(self.bi_keys, self.bi_starts, self.bi_docs, self.bi_tf, pair_key(first, second))

    def _lookup(self, keys, starts, docs, tfs, key: int) -> tuple[np.ndarray, np.ndarray]:
        at = int(np.searchsorted(keys, key))
        if at >= len(keys) or int(keys[at]) != key:
            return docs[:0], tfs[:0]
        lo, hi = int(starts[at]), int(starts[at + 1])
        self.touched += 5 * (hi - lo)
        return docs[lo:hi], tfs[lo:hi]

    def release(self, limit: int) -> None:
        """Once searches have read more than ``limit`` bytes of the file, let the pages go
        (they stay in the system's file cache and are mapped again when next read): what
        the process holds stays small however many different pieces it is asked for."""
        if self.touched > limit and isinstance(self._data, mmap.mmap):
            self._data.madvise(mmap.MADV_DONTNEED)
            self.touched = 0

    def bigram_count(self, first: str, second: str) -> int:
        at = int(np.searchsorted(self.bi_keys, pair_key(first, second)))
        if at >= len(self.bi_keys) or int(self.bi_keys[at]) != pair_key(first, second):
            return 0
        return int(self.bi_starts[at + 1]) - int(self.bi_starts[at])

    def occurrences(self, piece: str) -> np.ndarray:
        """The document of each occurrence of ``piece`` (two characters or more; sorted,
        a document once per occurrence), from where its pairs occur: it starts at p
        exactly when its i-th pair starts at p + i, for every i."""
        lists = []
        for i in range(len(piece) - 1):
            key = pair_key(piece[i], piece[i + 1])
            at = int(np.searchsorted(self.bi_keys, key))
            if at >= len(self.bi_keys) or int(self.bi_keys[at]) != key:
                return np.zeros(0, np.int64)
            start, end = int(self.pos_starts[at]), int(self.pos_starts[at + 1])
            lists.append((end - start, start, i))
        found: np.ndarray | None = None
        for size, start, i in sorted(lists):  # the rarest pair first: each step searches the fewest
            where = self.positions[start : start + size].astype(np.int64) - i
            self.touched += 4 * size
            found = where if found is None else intersect(found, where)
            if not len(found):
                break
        assert found is not None
        return np.searchsorted(self.cstarts, found, side="right") - 1

    # -- text ------------------------------------------------------------------
    def holding(self, docs: np.ndarray, piece: bytes) -> np.ndarray:
        """Those of ``docs`` whose folded text holds ``piece`` (UTF-8: a byte match of
        whole characters is a character match)."""
        if not len(docs):
            return docs
        base = self.blob_start
        starts = (self.starts[docs] + np.uint64(base)).tolist()
        ends = (self.starts[docs + 1] + np.uint64(base)).tolist()
        found = np.fromiter(map(self._find, [piece] * len(starts), starts, ends), np.int64, len(starts))
        self.touched += 4096 * len(starts)  # a page a passage, at most
        return docs[found >= 0]

    def folded(self, doc: int) -> str:
        base = self.blob_start
        return bytes(self._data[base + int(self.starts[doc]) : base + int(self.starts[doc + 1])]).decode(
            "utf-8"
        )

    def text(self, doc: int) -> str:
        """The passage as the reader sees it."""
        base = self.raw_start
        start, end = int(self.raw_starts[doc]), int(self.raw_starts[doc + 1])
        return bytes(self._data[base + start : base + end]).decode("utf-8")
