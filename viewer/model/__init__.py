"""GUI-free model: plain data types and the bulletin parser."""

from __future__ import annotations

from viewer.model.bookmark import (
    CONTEXT,
    Anchor,
    Bookmark,
    PassageError,
    find_quote,
    locate,
    make_bookmark,
    make_bookmark_at,
    passage_text,
    reattach,
)
from viewer.model.decoding import decode_text
from viewer.model.errors import ModelError, ParseError
from viewer.model.hit import Hit, SearchResult
from viewer.model.lines import Line, lines_from_text
from viewer.model.parser import PARSER_VERSION, content_id, parse_bytes, parse_lines, parse_text
from viewer.model.types import (
    CLOSING,
    HEAD,
    HEADLINE,
    LEAD,
    Bulletin,
    Paragraph,
    Section,
    district_key,
)

__all__ = [
    "CLOSING",
    "CONTEXT",
    "HEAD",
    "HEADLINE",
    "LEAD",
    "PARSER_VERSION",
    "Anchor",
    "Bookmark",
    "Bulletin",
    "Hit",
    "Line",
    "ModelError",
    "Paragraph",
    "ParseError",
    "PassageError",
    "SearchResult",
    "Section",
    "content_id",
    "decode_text",
    "district_key",
    "find_quote",
    "lines_from_text",
    "locate",
    "make_bookmark",
    "make_bookmark_at",
    "parse_bytes",
    "parse_lines",
    "parse_text",
    "passage_text",
    "reattach",
]
