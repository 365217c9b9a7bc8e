"""GUI-free model: plain data types and the bulletin parser."""

from __future__ import annotations

from viewer.lazy import lazy_exports

#: Each public name → the submodule that defines it (imported on first use).
_EXPORTS = {
    "Anchor": "bookmark",
    "Bookmark": "bookmark",
    "CONTEXT": "bookmark",
    "find_quote": "bookmark",
    "locate": "bookmark",
    "make_bookmark": "bookmark",
    "make_bookmark_at": "bookmark",
    "passage_text": "bookmark",
    "reattach": "bookmark",
    "ENGLISH": "citation",
    "PlaceWords": "citation",
    "citation_label": "citation",
    "place_label": "citation",
    "decode_text": "decoding",
    "ModelError": "errors",
    "ParseError": "errors",
    "PassageError": "errors",
    "Hit": "hit",
    "SearchResult": "hit",
    "Line": "lines",
    "lines_from_text": "lines",
    "content_id": "parser",
    "parse_bytes": "parser",
    "parse_lines": "parser",
    "parse_text": "parser",
    "Bulletin": "types",
    "CLOSING": "types",
    "HEAD": "types",
    "HEADLINE": "types",
    "LEAD": "types",
    "Paragraph": "types",
    "Section": "types",
    "district_key": "types",
    "PARSER_VERSION": "version",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
