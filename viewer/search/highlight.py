"""Highlight spans and snippets, found by exact search in folded text.

Whoosh's highlighter ignores phrases and mishandles overlapping CJK grams, so the
spans are computed here: every occurrence of every positive query term (and of its
words) in the folded paragraph, mapped back to offsets in the original text.
"""

from __future__ import annotations

from collections.abc import Iterable

from viewer.search.normalize import fold_with_offsets
from viewer.search.query import ParsedQuery, parse_query

Span = tuple[int, int]

SNIPPET_CHARS = 80  # characters of the paragraph a snippet shows (an ellipsis aside)
SNIPPET_LEAD = 20  # characters shown before the first hit when no clause starts near it
SNIPPET_LEAD_MAX = 32  # how far before the first hit a clause start is looked for
#: A clause or sentence ends after one of these: a snippet starts after the last one
#: near before the first hit (then after any closing quotes or brackets and spaces).
CLAUSE_ENDS = frozenset("，。；！？：,;!?…")  # not 、: it separates items of a list (市、区)
_CLOSERS = frozenset("”’」』）)》〉】]\"' \u3000")
ELLIPSIS = "…"


def _occurrences(folded: str, pattern: str) -> Iterable[Span]:
    start = folded.find(pattern)
    while start >= 0:
        yield start, start + len(pattern)
        start = folded.find(pattern, start + 1)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def spans_for(text: str, parsed: ParsedQuery) -> list[Span]:
    """Merged spans in ``text`` of every pattern of the query's positive terms."""
    patterns = dict.fromkeys(p for term in parsed.positive_terms() for p in term.patterns)
    if not patterns or not text:
        return []
    folded, starts = fold_with_offsets(text)
    spans: list[Span] = []
    for pattern in patterns:
        spans.extend(_occurrences(folded, pattern))
    if starts is not None:
        spans = [(starts[s], starts[e - 1] + 1) for s, e in spans]
    return _merge(spans)


def highlight_spans(text: str, query: str) -> list[Span]:
    """Every occurrence of every positive query term in ``text``, as [start, end) offsets
    into the original text, with the same folding as search (NFKC, case, 東 → 东)."""
    return spans_for(text, parse_query(query))


def _clause_start(text: str, first: int) -> int | None:
    """Where the clause holding ``first`` starts, if that is at most SNIPPET_LEAD_MAX
    characters before it (0: the paragraph's own start); else None."""
    low = max(0, first - SNIPPET_LEAD_MAX)
    for i in range(first - 1, low - 1, -1):
        if text[i] in CLAUSE_ENDS:
            start = i + 1
            while start < first and text[start] in _CLOSERS:
                start += 1
            return start
    return 0 if low == 0 else None


def snippet(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """A stretch of ``text`` around the first span, and the spans inside it (as offsets
    into the snippet).

    It starts where the clause holding the first hit starts (after ，。；！？ and the
    like) when that is near, otherwise a little before the hit with a leading "…", and
    ends with "…" when the paragraph goes on.
    """
    if len(text) <= SNIPPET_CHARS:
        return text, list(spans)
    first = spans[0][0] if spans else 0
    start = _clause_start(text, first)
    prefix = ""
    if start is None:
        start, prefix = max(0, first - SNIPPET_LEAD), ELLIPSIS
    end = min(len(text), start + SNIPPET_CHARS)
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start]
    return prefix + text[start:end] + suffix, inside
