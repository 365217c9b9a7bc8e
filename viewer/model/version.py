"""The parser's version, on its own so that checking it does not import the parser."""

from __future__ import annotations

#: Bump when parsing changes: stored parses of imported bulletins are then redone.
PARSER_VERSION = 2
