"""GUI-free model: plain data types and the bulletin parser."""

from __future__ import annotations

from viewer.model.decoding import decode_text
from viewer.model.errors import ModelError, ParseError
from viewer.model.hit import HEADLINE, Hit, SearchResult
from viewer.model.parser import PARSER_VERSION, content_id, parse_bytes, parse_text
from viewer.model.types import Bulletin, Paragraph, Section, district_key

__all__ = [
    "HEADLINE",
    "PARSER_VERSION",
    "Bulletin",
    "Hit",
    "ModelError",
    "Paragraph",
    "ParseError",
    "SearchResult",
    "Section",
    "content_id",
    "decode_text",
    "district_key",
    "parse_bytes",
    "parse_text",
]
