"""Word segmentation of query runs: rjieba's words, without loading its whole dictionary.

rjieba (jieba-rs) loads its built-in dictionary of 349,045 words when it is imported: a
tenth of a second and 34 MB in every process, which a one-shot ``bulletin-viewer search``
would spend on a query of a few characters. How jieba cuts a text depends only on the
dictionary words that occur in it, their frequencies and the dictionary's total frequency.
So each run is cut by an rjieba segmenter given just those words (and those of the runs
cut before, which change nothing for this one), read from
``resources/segmenter/words.txt`` (jieba's dictionary, which is rjieba's, sorted; made by
``packaging/make_segmenter_words.py``) by binary search over the memory-mapped file, and
one filler word that brings the total frequency to the full dictionary's. The cuts are
rjieba's own (``tests/unit/test_segmenter.py`` compares them with the full dictionary's).

Without the words file (a broken install) the full rjieba is loaded instead, with a
warning: slower to start, the same words.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import mmap
import threading
from functools import cache, lru_cache
from pathlib import Path

from viewer.paths import resource_path

log = logging.getLogger("viewer.search")

#: The longest word in the dictionary, in characters.
MAX_WORD = 16
#: A word no searched run holds (private use: never a letter or a digit), carrying the
#: rest of the dictionary's total frequency.
_FILLER = "\ue000"


def words_path() -> Path:
    return resource_path("segmenter", "words.txt")


class Dictionary:
    """The sorted ``word frequency`` lines of the words file, searched in place."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        header_end = self._map.find(b"\n") + 1
        header = self._map[:header_end].decode("utf-8").split()
        if not header or header[0] != "#" or "total" not in header:
            raise ValueError(f"{path}: not a segmenter words file")
        self.total = int(header[header.index("total") + 1])
        self._start = header_end

    def _first_at_least(self, key: bytes, lo: int = 0) -> tuple[int, bytes]:
        """The first line (from line offset ``lo`` on) whose word is ``>= key``: its offset
        and its word."""
        data = self._map
        lo, hi = max(lo, self._start), len(data)
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo, mid) + 1 or lo
            word = data[start : data.find(b" ", start)]
            if word < key:
                lo = data.find(b"\n", start) + 1
            else:
                hi = start
        if lo >= len(data):
            return lo, b""
        return lo, data[lo : data.find(b" ", lo)]

    @lru_cache(maxsize=8192)  # noqa: B019 - one dictionary per process
    def words_from(self, char: str) -> dict[str, int]:
        """The words that begin with ``char``, with their frequencies (one slice of the file,
        read once: queries share their characters)."""
        lo, _word = self._first_at_least(char.encode("utf-8", "surrogatepass"))
        after = chr(ord(char) + 1) if ord(char) < 0x10FFFF else None
        hi = self._first_at_least(after.encode("utf-8", "surrogatepass"), lo)[0] if after else len(self._map)
        lines = self._map[lo:hi].decode("utf-8").splitlines()
        return {word: int(freq) for word, _, freq in (line.partition(" ") for line in lines)}

    def words_in(self, text: str) -> dict[str, int]:
        """Every dictionary word that occurs in ``text``, with its frequency."""
        found: dict[str, int] = {}
        for at in range(len(text)):
            words = self.words_from(text[at])
            if not words:
                continue
            for end in range(at + 1, min(len(text), at + MAX_WORD) + 1):
                freq = words.get(text[at:end])
                if freq is not None:
                    found[text[at:end]] = freq
        return found


def _load_engine():
    """rjieba's ``Jieba`` class, without the package's import, which builds the default
    segmenter and so loads the whole dictionary."""
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rjieba is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = folder / f"rjieba{suffix}"
        if candidate.is_file():
            ext = importlib.util.spec_from_file_location("rjieba.rjieba", candidate)
            module = importlib.util.module_from_spec(ext)
            ext.loader.exec_module(module)
            return module.Jieba
    raise ImportError(f"rjieba's extension module not found in {folder}")


class _Segmenter:
    """One rjieba engine that holds the dictionary words of every text cut so far, and a
    filler whose frequency keeps the total at the whole dictionary's. A text is cut only
    with the words it holds, so the words of other texts change nothing; making a new
    engine for each text cost 0.5-0.9 ms a query."""

    def __init__(self) -> None:
        self._full = None
        self._lock = threading.Lock()  # the engine is changed (add_word) and read (cut)
        try:
            self._dictionary = Dictionary(words_path())
            self._jieba = _load_engine().empty()
        except (OSError, ValueError, ImportError) as exc:
            log.warning("loading the whole word dictionary (%s)", exc)
            import rjieba

            self._full = rjieba
            return
        self._held: set[str] = set()
        self._held_total = 0
        self._last_held = ""

    def _hold_words_of(self, text: str) -> None:
        if text == self._last_held:  # its other cut, just after this one
            return
        self._last_held = text
        found = {w: f for w, f in self._dictionary.words_in(text).items() if w not in self._held}
        if not found:
            return
        for word, freq in found.items():
            self._jieba.add_word(word, freq, None)
        self._held.update(found)
        self._held_total += sum(found.values())
        # add_word on a word held already sets its frequency (and the total with it).
        self._jieba.add_word(_FILLER, max(self._dictionary.total - self._held_total, 1), None)

    def cut(self, text: str) -> list[str]:
        return self._cut(text, "cut")

    def cut_for_search(self, text: str) -> list[str]:
        return self._cut(text, "cut_for_search")

    def _cut(self, text: str, mode: str) -> list[str]:
        if self._full is not None:
            return getattr(self._full, mode)(text)
        with self._lock:
            self._hold_words_of(text)
            return getattr(self._jieba, mode)(text)


@cache
def segmenter() -> _Segmenter:
    return _Segmenter()


@lru_cache(maxsize=4096)
def cut(text: str) -> tuple[str, ...]:
    """rjieba's accurate-mode words of ``text`` (with its HMM for unknown words)."""
    return tuple(segmenter().cut(text))


@lru_cache(maxsize=4096)
def cut_for_search(text: str) -> tuple[str, ...]:
    """rjieba's search-mode words of ``text`` (overlapping: 共和 and 共和国)."""
    return tuple(segmenter().cut_for_search(text))
