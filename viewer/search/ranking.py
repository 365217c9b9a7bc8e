"""Ranking of matched passages: literal matches first, then BM25, then archive order.

Scores are BM25 over the query's search-mode words, headlines and the head boosted.
How often a passage holds a word of one or two characters comes with the word's posting
list, a longer word's from where its pairs occur (``grams``): scoring every matching
passage is arithmetic over arrays, and the page is picked by a partial sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from viewer.progress import Cancel
from viewer.search import grams
from viewer.search.corpus import Corpus, Positions, subtract
from viewer.search.errors import Cancelled
from viewer.search.normalize import ranking_words
from viewer.search.query import ParsedQuery

#: BM25 parameters (the usual ones) and the boost of a headline over a paragraph.
BM25_K1 = 1.2
BM25_B = 0.75
HEADLINE_BOOST = 1.5


@dataclass
class Ranked:
    """Matching passages in rank order (corpus positions), with counts over all matches."""

    total: int
    order: list[int]  # the positions asked for, best first
    exact: frozenset[int]  # those of ``order`` that hold every group literally
    scores: dict[int, float]  # score of each position in ``order``
    district_counts: dict[str, int] = field(default_factory=dict)
    bulletin_counts: dict[str, int] = field(default_factory=dict)
    section_counts: Mapping[tuple[str, int], int] = field(default_factory=dict)


class Scorer:
    """BM25 weights and length norms of one corpus (made once per generation)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        live_lengths = corpus.length[corpus.live]
        avg = float(live_lengths.mean()) if len(live_lengths) else 1.0
        self.norms = BM25_K1 * (1 - BM25_B + BM25_B * corpus.length.astype(np.float64) / max(avg, 1e-9))
        self.boosts = np.where(corpus.kind == grams.BOOSTED, HEADLINE_BOOST, 1.0)

    def document_frequency(self, word: str) -> float:
        """Passages holding ``word``: exact for a word of one or two characters or one
        already looked up, else the passages holding its rarest pair (an upper bound)."""
        corpus = self.corpus
        found = corpus.cached(word)
        if found is not None:
            return float(len(found))
        if len(word) <= 2:
            return float(len(corpus.postings(word)[0]))
        return float(min(len(corpus.postings(word[i : i + 2])[0]) for i in range(len(word) - 1)))

    def _weight(self, word: str) -> float:
        n = max(self.corpus.size, 1)
        df = self.document_frequency(word)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5)) * (BM25_K1 + 1)

    def _counts(self, word: str, cand: Positions) -> np.ndarray:
        """How often each candidate holds ``word``: from its posting list (one or two
        characters) or from where it occurs (longer words)."""
        if len(word) <= 2:
            docs, tfs = self.corpus.postings(word)
            dense = np.zeros(self.corpus.docs, dtype=np.uint8)
            dense[docs] = tfs
        else:
            dense = np.bincount(self.corpus.occurrences(word), minlength=self.corpus.docs)
        return dense[cand].astype(np.float64)

    def best(
        self, words: tuple[str, ...], pool: Positions, count: int | None, cancel: Cancel | None
    ) -> list[tuple[float, int]]:
        """(score, position) of the ``count`` best passages of ``pool`` (all if None),
        best first; equal scores keep archive order."""
        if not len(pool):
            return []
        scores = np.zeros(len(pool))
        norms = self.norms[pool]
        for word in words:
            if cancel is not None and cancel():
                raise Cancelled
            tf = self._counts(word, pool)
            scores += self._weight(word) * tf / (tf + norms)
        return _top(scores * self.boosts[pool], pool, count)


def _top(scores: np.ndarray, positions: Positions, count: int | None) -> list[tuple[float, int]]:
    """The ``count`` best (score, position), best first, ties in archive order."""
    if count is not None and count < len(scores):
        kth = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= kth
        scores, positions = scores[keep], positions[keep]
    order = np.lexsort((positions, -scores))[:count]
    return list(zip(scores[order].tolist(), positions[order].tolist(), strict=True))


def rank(
    corpus: Corpus,
    scorer: Scorer,
    parsed: ParsedQuery,
    bulletin: str | None,
    limit: int | None,
    cancel: Cancel | None,
) -> Ranked:
    """Literal matches first, then by score, then in archive order; only the passages that
    can reach the page are scored exactly."""
    matched, exact = corpus.match(parsed, bulletin, cancel)
    district_counts, bulletin_counts, section_counts = corpus.counts(matched)
    words = tuple(dict.fromkeys(w for t in parsed.positive_terms() for w in ranking_words(t.text)))
    ranked = scorer.best(words, exact, limit, cancel)
    if not limit or len(ranked) < limit:
        rest = limit - len(ranked) if limit else None
        ranked += scorer.best(words, subtract(matched, exact), rest, cancel)
    order = [position for _score, position in ranked]
    exact_set = frozenset(order[: min(len(order), len(exact))]) if len(exact) else frozenset()
    return Ranked(
        total=len(matched),
        order=order,
        exact=exact_set,
        scores={position: score for score, position in ranked},
        district_counts=district_counts,
        bulletin_counts=bulletin_counts,
        section_counts=section_counts,
    )
