"""Text normalisation shared by indexing, querying and highlighting.

Every character is folded on its own, without context, so that a query folds exactly
as the same characters fold inside a paragraph — the basis of literal-substring recall:
NFKC (full-width ＥＭＳ → EMS), case folding, then traditional → simplified (東 → 东)
with OpenCC's character table. Folding character by character keeps a map from folded
offsets back to the original text, so highlights land on what the reader sees.

Only letters and digits are searched for ("word characters"): punctuation, symbols and
white space in a query split it into runs, each of which must occur literally — except
inside a number, which stays whole with its decimal point, thousands separators and
percent sign (372.53, 0.00251, 1,450, 5.2%). Invisible characters (soft hyphens,
zero-width spaces and joiners, word joiners, byte-order marks) fold to nothing, so
防\u00ad控 is found by 防控.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache

from viewer.opencc_conversion import convert
from viewer.search import segmenter

log = logging.getLogger("viewer.search")

#: A maximal run of searchable characters (letters and digits of any script); a number
#: keeps its point, separators and percent sign inside the run.
RUN_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+\.\d+%?|\d+%|[^\W_])+")
#: Characters a reader never sees: folded to nothing.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: Code points of lone surrogates, which no UTF-8 text holds.
_SURROGATES = range(0xD800, 0xE000)


def _t2s(text: str) -> str:
    """OpenCC's traditional → simplified conversion; without OpenCC, search still works,
    without this one folding."""
    return convert(text, "t2s", "traditional characters will not match simplified ones")


def load_segmenter() -> None:
    """Open the word segmenter's dictionary now (a long-lived process calls this in the
    background, so that its first query of three characters or more finds it open)."""
    segmenter.segmenter()


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
        folded = "" if char in _INVISIBLE else unicodedata.normalize("NFKC", char).casefold()
        # A lone surrogate (text decoded with surrogateescape) stays as it is, as any other
        # unprintable character does: OpenCC cannot take it (it is not UTF-8).
        if code not in _SURROGATES and any(ord(c) > 0x2E7F for c in folded):
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


def _keep(token: str) -> bool:
    return RUN_RE.fullmatch(token) is not None


def _finest(word: str) -> list[str]:
    """A word as the finer words search mode finds in it, when they cover it exactly
    (机关干部 → 机关 干部, 中华人民共和国 → 中华 人民 共和国); else the word itself."""
    if len(word) <= 2:
        return [word]
    parts = sorted({p for p in segmenter.cut_for_search(word) if len(p) < len(word)}, key=len, reverse=True)
    out, at = [], 0
    while at < len(word):
        part = next((p for p in parts if word.startswith(p, at)), None)
        if part is None:
            return [word]
        out.append(part)
        at += len(part)
    return out


@lru_cache(maxsize=4096)
def words_of_term(folded: str) -> tuple[str, ...]:
    """Words of a query term: all must occur for a non-literal match. Accurate-mode words,
    each as its finer search-mode words (so 机关干部下沉 also finds 机关…党员干部…下沉基层);
    a number is one word, and so is a run of one or two characters (打好 is not 打 and 好
    apart)."""
    out: list[str] = []
    for run in RUN_RE.findall(folded):
        if len(run) <= 2:
            out.append(run)
            continue
        for token in segmenter.cut(run):
            if _keep(token):
                out.extend(_finest(token))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def ranking_words(folded: str) -> tuple[str, ...]:
    """Search-mode words of a query term (overlapping, e.g. 共和 and 共和国), for ranking;
    a run of one or two characters is one word."""
    out: list[str] = []
    for run in RUN_RE.findall(folded):
        if len(run) <= 2:
            out.append(run)
            continue
        out.extend(t for t in segmenter.cut_for_search(run) if _keep(t))
    return tuple(dict.fromkeys(out))
