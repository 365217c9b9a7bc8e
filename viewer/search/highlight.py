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

SNIPPET_CHARS = 80
SNIPPET_LEAD = 20  # characters shown before the first hit


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


def snippet(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """A stretch of ``text`` around the first span, and the spans that fall inside it."""
    if len(text) <= SNIPPET_CHARS:
        return text, list(spans)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - SNIPPET_LEAD, len(text) - SNIPPET_CHARS))
    end = start + SNIPPET_CHARS
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    return text[start:end], inside
