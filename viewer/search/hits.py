"""A page of ranked passages as the model's hits: text, place, highlights and snippet."""

from __future__ import annotations

from viewer.model import Hit
from viewer.search.corpus import Corpus
from viewer.search.highlight import snippet, spans_for
from viewer.search.query import ParsedQuery
from viewer.search.ranking import Ranked


def hits_of(corpus: Corpus, ranked: Ranked, parsed: ParsedQuery) -> tuple[Hit, ...]:
    """The hits of ``ranked.order``, highlighted for ``parsed``."""
    hits = []
    for position in ranked.order:
        fields = corpus.hit_fields(position)
        text = fields["text"]
        spans = spans_for(text, parsed)
        snip, snip_spans = snippet(text, spans)
        exact = position in ranked.exact
        hits.append(
            Hit(
                bulletin_id=fields["bulletin"],
                bulletin_title=fields["title"],
                district=fields["label"],
                paragraph=fields["paragraph"],
                section=fields["section"],
                text=text,
                snippet=snip,
                highlights=tuple(spans),
                snippet_highlights=tuple(snip_spans),
                score=ranked.scores.get(position, 0.0),
                exact=exact,
            )
        )
    return tuple(hits)
