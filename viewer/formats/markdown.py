"""Markdown (.md) → Lines: one per heading, paragraph, list item, table row; marks removed.

markdown-it-py (CommonMark, with GitHub tables and strikethrough) gives the blocks; their
inline tokens are turned back into plain text: emphasis, code and link marks dropped (a
link gives its text, an image its alt text), HTML tags stripped. A paragraph's soft line
breaks join its lines (no space between CJK text, one between Latin words), except around
a crawler's metadata line ("**发布日期**: 2025-10-31"), which stays a line of its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.base import Cancelled, Extracted
from viewer.formats.errors import FormatError
from viewer.formats.paragraph_text import collapse, continues, join, leading_indent
from viewer.formats.repair import repair_line
from viewer.model.decoding import decode_text
from viewer.model.errors import ParseError
from viewer.model.lines import Line
from viewer.progress import Cancel, Progress, never_cancel, no_progress

#: YAML front matter at the very top: "---", "key: value" lines, "---".
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:[^\n]*\n){0,60}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_TAG = re.compile(r"<[^>]*>")
_BR_TAG = re.compile(r"<br\s*/?>", re.I)
_LABEL_END = (":", "：")


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    """Read a Markdown file's bytes into lines."""
    try:
        text, _encoding = decode_text(data)
    except ParseError as exc:
        raise FormatError(str(exc)) from exc
    from markdown_it import MarkdownIt

    lines: list[Line] = []
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for raw in front.group(1).split("\n"):
            item = collapse(raw)
            if item:
                lines.append(Line(repair_line(item), starts_paragraph=True))
                key, _sep, value = item.partition(":")
                if key.strip().lower() == "title" and value.strip():
                    meta["title"] = repair_line(value.strip().strip("\"'"))
        text = text[front.end() :]
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(text)
    if cancel():
        raise Cancelled
    progress(0, len(tokens), "reading the blocks")
    _Reader(lines).blocks(tokens)
    progress(len(tokens), len(tokens), "done")
    if not meta:
        first = next((line for line in lines if line.heading == 1), None)
        if first is not None:
            meta["title"] = first.text
    return Extracted(kind="md", lines=lines, meta=meta)


@dataclass
class _Piece:
    """A line of a paragraph as written (between soft or hard breaks)."""

    text: str = ""
    bold_chars: int = 0
    plain_chars: int = 0
    label: bool = False  # starts with a bold label and a colon: "**发布日期**: …"
    hard: bool = False  # a hard break (two spaces, "\\", <br>) came before it

    def add(self, text: str, bold: bool) -> None:
        self.text += text
        chars = sum(1 for ch in text if not ch.isspace())
        if bold:
            self.bold_chars += chars
        else:
            self.plain_chars += chars


@dataclass
class _Inline:
    pieces: list[_Piece] = field(default_factory=lambda: [_Piece()])


class _Reader:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.item_labels: list[str] = []  # the number to show before a list item's first block
        self.list_kinds: list[bool] = []  # True = ordered, per open list
        self.row: list[str] | None = None

    def emit(
        self, text: str, heading: int = 0, bold: bool = False, indent: float = 0.0, table: bool = False
    ) -> None:
        text = repair_line(collapse(text))
        if text:
            self.lines.append(
                Line(
                    text,
                    indent=indent,
                    starts_paragraph=True,
                    heading=heading,
                    bold=bold and not heading,
                    table=table,
                )
            )

    def blocks(self, tokens: list[Any]) -> None:
        heading = 0
        pending_label = ""
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = int(token.tag[1])
            elif kind == "heading_close":
                heading = 0
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.list_kinds.append(kind == "ordered_list_open")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.list_kinds.pop()
            elif kind == "list_item_open":
                pending_label = (
                    f"{token.info}{token.markup} " if self.list_kinds and self.list_kinds[-1] else ""
                )
            elif kind == "tr_open":
                self.row = []
            elif kind == "tr_close":
                if self.row is not None and any(self.row):
                    self.emit(" | ".join(self.row), table=True)
                self.row = None
            elif kind == "inline":
                if self.row is not None:
                    self.row.append(collapse(self.plain(token.children or [])).replace("|", "｜"))
                elif heading:
                    self.emit(self.plain(token.children or []), heading=heading)
                else:
                    self.paragraph(token.children or [], pending_label)
                    pending_label = ""
            elif kind in ("fence", "code_block"):
                for raw in token.content.split("\n"):
                    self.emit(raw)
            elif kind == "html_block":
                for raw in _BR_TAG.sub("\n", token.content).split("\n"):
                    self.emit(html.unescape(_TAG.sub("", raw)))

    def plain(self, children: list[Any]) -> str:
        """Inline tokens as plain text, breaks as spaces (headings, table cells)."""
        inline = self.inline(children)
        text = ""
        for piece in inline.pieces:
            text = join(text, collapse(piece.text))
        return text

    def inline(self, children: list[Any]) -> _Inline:
        out = _Inline()
        bold = 0
        lead = "start"  # how the current line begins: start → bold → after_bold → done
        for child in children:
            kind = child.type
            piece = out.pieces[-1]
            if kind in ("text", "code_inline", "image"):
                content = child.content
                if not content:
                    continue
                if lead == "start" and content.strip():
                    lead = "bold" if bold else "done"
                elif lead == "after_bold" and content.strip():
                    piece.label = content.lstrip().startswith(_LABEL_END)
                    lead = "done"
                piece.add(content, bold > 0)
            elif kind in ("softbreak", "hardbreak"):
                out.pieces.append(_Piece(hard=kind == "hardbreak"))
                lead = "start"
            elif kind == "html_inline":
                if _BR_TAG.fullmatch(child.content.strip()):
                    out.pieces.append(_Piece(hard=True))
                    lead = "start"
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold = max(0, bold - 1)
                if lead == "bold" and bold == 0:
                    lead = "after_bold"
                    if piece.text.rstrip().endswith(_LABEL_END):
                        piece.label, lead = True, "done"
        return out

    def paragraph(self, children: list[Any], label: str) -> None:
        inline = self.inline(children)
        pieces = [piece for piece in inline.pieces if piece.text.strip()]
        if not pieces:
            return
        groups: list[list[_Piece]] = []
        for piece in pieces:
            if groups and not self.breaks(groups[-1], piece):
                groups[-1].append(piece)
            else:
                groups.append([piece])
        for n, group in enumerate(groups):
            text = ""
            for piece in group:
                text = join(text, collapse(piece.text))
            bold = all(piece.bold_chars and not piece.plain_chars for piece in group)
            if n == 0 and label:
                text, bold = label + text, False
            self.emit(text, bold=bold, indent=leading_indent(group[0].text))

    @staticmethod
    def breaks(group: list[_Piece], piece: _Piece) -> bool:
        """Whether ``piece`` starts a line of its own after the lines in ``group``."""
        if piece.label or group[-1].label:
            return True
        if piece.hard:
            before = ""
            for earlier in group:
                before = join(before, collapse(earlier.text))
            return not continues(before, collapse(piece.text))
        return False
