"""Recover a document's structure from its lines: title, number, issuer, date, lead,
sections (districts or headings), closing.

Two steps, each in its own module: lines → paragraphs by the document's paragraph
convention (``paragraphs``; the district-bulletin layout of the bundled bulletin has its
own reader, ``district_layout``), then paragraphs → parts (``structure``). Every
non-whitespace character of the source is kept once: in the parts, in ``meta_lines``
(metadata lines shown as metadata), or in ``removed`` (page chrome dropped on purpose).

Everything here is a pure function of the text: no I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

from viewer.model import district_layout
from viewer.model.decoding import decode_text
from viewer.model.errors import ParseError
from viewer.model.lines import Line, lines_from_text
from viewer.model.official import SENTENCE_END
from viewer.model.paragraphs import paragraphs
from viewer.model.structure import Item, build
from viewer.model.types import Bulletin, Paragraph
from viewer.model.version import PARSER_VERSION

__all__ = ["PARSER_VERSION", "SENTENCE_END", "content_id", "parse_bytes", "parse_lines", "parse_text"]

_SPACES = re.compile(r"\s+")


def content_id(bulletin_text_pieces: list[str]) -> str:
    """A stable id from the bulletin's content: whitespace and Unicode form do not count.

    The same bulletin imported again, in another encoding or with other line
    breaks, gets the same id.
    """
    joined = "".join(_SPACES.sub("", unicodedata.normalize("NFC", p)) for p in bulletin_text_pieces)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _items(groups: list[list[Line]]) -> list[Item]:
    items = []
    for lines in groups:
        first = lines[0]
        items.append(
            Item(
                lines=[line.text for line in lines],
                heading=first.heading,
                bold=all(line.bold for line in lines),
                table=first.table,
                size=max((line.size for line in lines if line.size), default=None),
                page=first.page,
            )
        )
    return items


def parse_lines(lines: list[Line], *, removed: list[str] | tuple[str, ...] = ()) -> Bulletin:
    """Parse lines in reading order into a Bulletin. ``removed`` is page furniture the
    format reader dropped (kept in ``Bulletin.removed``). Raises ParseError only when
    there is no text at all."""
    if not any(line.text for line in lines):
        raise ParseError("the file holds only blank lines")
    if district_layout.applies(lines):
        title, column, items = district_layout.read(lines)
        parts = build(items, title=title, column=column)
    else:
        parts = build(_items(paragraphs(lines)))
    if not (parts.title or parts.lead or parts.sections or parts.closing):
        raise ParseError("the file holds no text to read, only page furniture (links, buttons, notices)")
    lead = tuple(Paragraph(n, t) for n, t in enumerate(parts.lead))
    closing = tuple(Paragraph(n, t) for n, t in enumerate(parts.closing))
    bulletin = Bulletin(
        id="",
        title=parts.title,
        column=parts.column,
        date=parts.date,
        number=parts.number,
        issuer=parts.issuer,
        lead=lead,
        sections=tuple(parts.sections),
        closing=closing,
        meta_lines=tuple(parts.meta_lines),
        removed=(*removed, *parts.removed),
    )
    # The id covers what is read and the metadata lines; the chrome does not count.
    return replace(bulletin, id=content_id([*bulletin.pieces(), *bulletin.meta_lines]))


def parse_text(text: str) -> Bulletin:
    """Parse decoded plain text into a Bulletin. Never raises for non-blank text."""
    return parse_lines(lines_from_text(text))


def parse_bytes(data: bytes) -> Bulletin:
    """Decode and parse the bytes of a plain-text document (raises ParseError)."""
    text, _encoding = decode_text(data)
    return parse_text(text)
