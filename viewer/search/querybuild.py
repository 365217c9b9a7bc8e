"""Turn a parsed query into Whoosh queries (built in code, never parsed from user text).

``match``  the passages to return: every group holds one of its terms, either literally
           or as all of the term's words (each word itself a literal piece);
``exact``  the passages that hold every group literally (they rank first);
``rank``   BM25 over the query's words, headlines boosted (orders the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from viewer.search.analysis import KIND_HEADLINE
from viewer.search.normalize import query_grams, ranking_words
from viewer.search.query import ParsedQuery, Term

#: Score a headline match gets on top of its word score.
HEADLINE_BONUS = 2.0


@dataclass(frozen=True)
class Queries:
    match: wq.Query
    exact: wq.Query
    rank: wq.Query


def piece_query(piece: str) -> wq.Query:
    """Passages holding ``piece`` (folded, one run) literally."""
    if len(piece) == 1:
        return wq.Prefix("grams", piece)
    if len(piece) == 2:
        return wq.Term("grams", piece)
    return wq.Phrase("grams", query_grams(piece))


def _all(pieces: list[str]) -> wq.Query:
    unique = list(dict.fromkeys(pieces))
    if len(unique) == 1:
        return piece_query(unique[0])
    return wq.And([piece_query(p) for p in unique])


def literal_query(term: Term) -> wq.Query:
    return _all(term.runs)


def loose_query(term: Term) -> wq.Query:
    return _all(list(term.words))


def _any(queries: list[wq.Query]) -> wq.Query:
    unique = list(dict.fromkeys(queries))
    return unique[0] if len(unique) == 1 else wq.Or(unique)


def build_queries(parsed: ParsedQuery, bulletin: str | None = None) -> Queries:
    filters: list[wq.Query] = []
    if parsed.districts:
        filters.append(_any([wq.Term("district", d) for d in dict.fromkeys(parsed.districts)]))
    if bulletin:
        filters.append(wq.Term("bulletin", bulletin))
    loose = [_any([loose_query(t) for t in group]) for group in parsed.groups]
    literal = [_any([literal_query(t) for t in group]) for group in parsed.groups]
    match: wq.Query = wq.And(loose + filters) if len(loose) + len(filters) > 1 else loose[0]
    exact: wq.Query = wq.And(literal + filters) if len(literal) + len(filters) > 1 else literal[0]
    if parsed.excluded:
        banned = _any([literal_query(t) for t in parsed.excluded])
        match = wq.AndNot(match, banned)
        exact = wq.AndNot(exact, banned)
    words = dict.fromkeys(w for t in parsed.positive_terms() for w in ranking_words(t.text))
    rank_parts: list[wq.Query] = [wq.Term("words", w) for w in words]
    rank_parts.append(wq.ConstantScoreQuery(wq.Term("kind", KIND_HEADLINE), HEADLINE_BONUS))
    return Queries(match=match, exact=exact, rank=wq.Or(rank_parts))
