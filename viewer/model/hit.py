"""Search results as plain data (the search layer's API speaks these, never Whoosh types)."""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.model.types import LEAD

Span = tuple[int, int]


@dataclass(frozen=True)
class Hit:
    """One matching paragraph (or headline)."""

    bulletin_id: str
    bulletin_title: str
    district: str  # label as printed ("东城"); "" for a lead paragraph
    paragraph: int  # 0-based index within the section (or the lead); HEADLINE for a headline
    text: str  # the whole paragraph (or headline) as shown to the reader
    snippet: str  # a stretch of ``text`` around the first hit
    highlights: tuple[Span, ...]  # [start, end) character offsets into ``text``, every occurrence
    snippet_highlights: tuple[Span, ...]  # the same, as offsets into ``snippet``
    score: float
    exact: bool  # the passage holds the query literally (not only its words)
    #: Index of the section in the bulletin, or LEAD / CLOSING / HEAD (viewer.model.types).
    section: int = LEAD

    def to_dict(self) -> dict:
        """The public JSON shape of a hit (see DESIGN.md)."""
        return {
            "bulletin": self.bulletin_id,
            "district": self.district,
            "paragraph": self.paragraph,
            "section": self.section,
            "text": self.text,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to one query: exact total, the hits asked for, counts over all matches."""

    query: str
    total: int
    hits: tuple[Hit, ...] = ()
    district_counts: dict[str, int] = field(default_factory=dict)  # district key → matches
    bulletin_counts: dict[str, int] = field(default_factory=dict)  # bulletin id → matches
    cancelled: bool = False
    #: (bulletin id, section index) → matches, over every match like the counts above; the
    #: lead, closing and head of a bulletin count under LEAD, CLOSING and HEAD.
    section_counts: dict[tuple[str, int], int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits]}
