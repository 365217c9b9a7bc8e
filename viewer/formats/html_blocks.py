"""A saved web page's block elements → Lines: paragraphs, headings, table rows.

One job: walk the elements of the main text as a browser lays them out. Block elements
(``<p>``, ``<div>``, ``<li>``…) start lines, ``<br>`` breaks them (resolved by
:func:`~viewer.formats.paragraph_text.group_breaks`: a break inside a sentence does not
split it), ``<h1>``–``<h6>`` give headings, bold tags and ``font-weight`` give bold lines,
``text-indent`` gives indentation, and a table of data gives one line a row, its cells
joined by " | " (a table that only lays out the page is read as blocks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.html_tree import tag_of
from viewer.formats.paragraph_text import collapse, group_breaks, join, leading_indent
from viewer.model.lines import Line

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_TEXT_INDENT = re.compile(r"text-indent\s*:\s*([\d.]+)\s*em", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)


@dataclass
class _Paragraph:
    segments: list[str] = field(default_factory=lambda: [""])
    bold: list[bool] = field(default_factory=lambda: [True])  # per segment: all its text bold
    indent: float | None = None

    def add(self, text: str, bold: bool) -> None:
        self.segments[-1] += text
        if text.strip() and not bold:
            self.bold[-1] = False

    def brk(self) -> None:
        self.segments.append("")
        self.bold.append(True)


class Walker:
    """Block elements → lines: paragraphs split at their line breaks, headings, table rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.para = _Paragraph()

    def walk(self, element: Any) -> Walker:
        self.block(element, bold=False)
        self.flush()
        return self

    def flush(self, heading: int = 0) -> None:
        para, self.para = self.para, _Paragraph()
        if heading:
            text = ""
            for segment in para.segments:
                text = join(text, collapse(segment))
            if text:
                self.lines.append(Line(text, heading=heading))
            return
        first = True
        for group in group_breaks(para.segments):
            text = ""
            for n in group:
                text = join(text, collapse(para.segments[n]))
            indent = leading_indent(para.segments[group[0]].lstrip(" \t\r\n\f"))
            if first and para.indent is not None:
                indent = max(indent, para.indent)
            bold = all(para.bold[n] for n in group)
            self.lines.append(Line(text, indent=indent, bold=bold))
            first = False

    def block(self, element: Any, bold: bool) -> None:
        tag = tag_of(element)
        bold = bold or _bold(tag, element)
        if tag in _HEADINGS:
            self.flush()
            self.inline_children(element, bold)
            self.flush(heading=_HEADINGS[tag])
            return
        if tag == "table" and self.is_data_table(element):
            self.flush()
            for row in _rows(element):
                cells = [_cell_text(cell) for cell in row]
                if any(cells):
                    self.lines.append(Line(" | ".join(cells), table=True))
            return
        if tag == "br":
            self.para.brk()
            return
        if tag == "hr":
            self.flush()
            return
        if tag in BLOCK_TAGS:
            self.flush()
            indent = _TEXT_INDENT.search(element.get("style", ""))
            if indent:
                self.para.indent = float(indent.group(1))
            self.children(element, bold, self.block)
            self.flush()
            return
        self.inline(element, bold)

    def inline_children(self, element: Any, bold: bool) -> None:
        self.children(element, bold, self.inline)

    def children(self, element: Any, bold: bool, visit: Callable[[Any, bool], None]) -> None:
        """``element``'s own text, then each child (read by ``visit``) and the text after it."""
        if element.text:
            self.para.add(element.text, bold)
        for child in element:
            visit(child, bold)
            if child.tail:
                self.para.add(child.tail, bold)

    def inline(self, element: Any, bold: bool) -> None:
        tag = tag_of(element)
        if tag == "br":
            self.para.brk()
            return
        if tag in BLOCK_TAGS and tag not in _HEADINGS:
            # A block inside an inline element (<a><div>…</div></a>): still a block.
            self.block(element, bold)
            return
        bold = bold or _bold(tag, element)
        if tag == "img":
            return
        self.inline_children(element, bold)

    def is_data_table(self, table: Any) -> bool:
        """A table of data (rows of cells) rather than one laying out the page or the text:
        two columns or more, no table inside, no cell holding most of the table's text."""
        rows = list(_rows(table))
        if not rows or max(len(row) for row in rows) < 2:
            return False
        if any(True for _ in table.iterdescendants("table")):
            return False
        total = sum(len(_cell_text(cell)) for row in rows for cell in row)
        return not any(len(_cell_text(cell)) > max(300, 0.6 * total) for row in rows for cell in row)


def _bold(tag: str, element: Any) -> bool:
    """Whether ``element`` makes its text bold: by its tag or by its style."""
    return tag in ("b", "strong") or bool(_BOLD_STYLE.search(element.get("style", "")))


def _rows(table: Any) -> Iterator[list[Any]]:
    for part in [table, *[child for child in table if tag_of(child) in ("thead", "tbody", "tfoot")]]:
        for row in part:
            if tag_of(row) == "tr":
                yield [cell for cell in row if tag_of(cell) in ("td", "th")]


def _cell_text(cell: Any) -> str:
    lines = Walker().walk(cell).lines
    text = ""
    for line in lines:
        text = join(text, line.text) if text else line.text
    return text.replace("|", "｜")
