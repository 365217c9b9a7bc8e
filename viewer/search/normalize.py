"""Text normalisation shared by indexing, querying and highlighting.

Every character is folded on its own, without context, so that a query folds exactly
as the same characters fold inside a paragraph — the basis of literal-substring recall:
NFKC (full-width ＥＭＳ → EMS), case folding, then traditional → simplified (東 → 东)
with OpenCC's character table. Folding character by character keeps a map from folded
offsets back to the original text, so highlights land on what the reader sees.

Only letters and digits are searchable ("word characters"); punctuation, symbols and
white space split the text into runs and are never indexed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import rjieba

#: A maximal run of searchable characters (letters and digits of any script).
RUN_RE = re.compile(r"[^\W_]+")

_opencc_lock = threading.Lock()
_opencc = None


def _t2s(text: str) -> str:
    global _opencc
    with _opencc_lock:
        if _opencc is None:
            import opencc

            _opencc = opencc.OpenCC("t2s")
        return _opencc.convert(text)


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character.

    Values are ints (one character) or strings (NFKC may expand: "①" → "1", "ß" → "ss").
    """

    def __init__(self) -> None:
        super().__init__()
        self.expanding: set[str] = set()  # characters whose folded form is not one character
        self._lock = threading.Lock()

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).casefold()
        if any(ord(c) > 0x2E7F for c in folded):
            folded = "".join(_t2s(c) if ord(c) > 0x2E7F else c for c in folded)
        with self._lock:
            if len(folded) == 1:
                value: int | str = ord(folded)
            else:
                value = folded
                self.expanding.add(char)
            self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The normalised form of ``text`` (NFKC, case fold, traditional → simplified)."""
    return text.translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` and, if its length differs from the original's, a map from each
    folded character to the original offset it came from (None when offsets are equal)."""
    folded = text.translate(_TABLE)
    if _TABLE.expanding.isdisjoint(text):
        return folded, None
    starts: list[int] = []
    for i, char in enumerate(text):
        piece = _TABLE[ord(char)]
        n = 1 if isinstance(piece, int) else len(piece)
        starts.extend([i] * n)
    return folded, starts


def runs(folded: str) -> list[str]:
    """The runs of searchable characters in already folded text."""
    return RUN_RE.findall(folded)


def has_searchable(text: str) -> bool:
    return RUN_RE.search(fold(text)) is not None


def grams(folded: str) -> Iterator[str]:
    """Index tokens of folded text, one per searchable character, in order.

    Within a run, character ``i`` yields the bigram ``run[i:i+2]``; the run's last
    character yields itself. Any literal piece of two or more characters is then a
    sequence of consecutive bigrams, and a single character is a prefix of a token.
    """
    for run in RUN_RE.findall(folded):
        for i in range(len(run) - 1):
            yield run[i : i + 2]
        yield run[-1]


def query_grams(run: str) -> list[str]:
    """The consecutive tokens that spell a run of two or more characters."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _keep(token: str) -> bool:
    return RUN_RE.fullmatch(token) is not None


def words_for_index(folded: str) -> list[str]:
    """Search-mode words of folded text (for ranking), punctuation and spaces dropped."""
    out: list[str] = []
    for run in RUN_RE.findall(folded):
        out.extend(t for t in rjieba.cut_for_search(run) if _keep(t))
    return out


@lru_cache(maxsize=4096)
def words_of_term(folded: str) -> tuple[str, ...]:
    """Words of a query term (accurate mode): all must occur for a non-literal match."""
    out: list[str] = []
    for run in RUN_RE.findall(folded):
        out.extend(t for t in rjieba.cut(run) if _keep(t))
    return tuple(out)


@lru_cache(maxsize=4096)
def ranking_words(folded: str) -> tuple[str, ...]:
    """Search-mode words of a query term, for the ranking part of a query."""
    return tuple(dict.fromkeys(words_for_index(folded)))
