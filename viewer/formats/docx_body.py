"""Word (.docx) body → Lines: paragraphs and tables in reading order.

One job: walk the body's XML (python-docx's object model leaves much of it out), so that
text inside content controls, tracked insertions, hyperlinks, fields, equations and text
boxes is read, deleted text and field codes are not, and tables come in their place among
the paragraphs, one line a row. Each paragraph's heading level and boldness come from its
style (:mod:`viewer.formats.docx_styles`) and its automatic numbering label from
:mod:`viewer.formats.docx_numbering`; its line breaks are resolved by
:func:`~viewer.formats.paragraph_text.split_at_breaks`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.docx_numbering import Numbering
from viewer.formats.docx_styles import Styles, outline_heading
from viewer.formats.docx_xml import MC, M, W, is_on, num_pr, outline_level
from viewer.formats.paragraph_text import collapse, is_cjk, split_at_breaks
from viewer.formats.repair import repair_line
from viewer.model.lines import Line

#: Containers whose children are read as if they stood in their parent's place.
_TRANSPARENT = {
    f"{W}hyperlink",
    f"{W}smartTag",
    f"{W}ins",
    f"{W}moveTo",
    f"{W}customXml",
    f"{W}fldSimple",
    f"{W}dir",
    f"{W}bdo",
    f"{W}sdtContent",
    f"{W}sdt",
}


@dataclass
class _Pieces:
    """A paragraph's text as it is read: segments between line breaks, and bold runs."""

    segments: list[str] = field(default_factory=lambda: [""])
    bold_runs: int = 0
    plain_runs: int = 0
    text_boxes: list[Any] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.segments[-1] += text

    def brk(self) -> None:
        self.segments.append("")


class BodyReader:
    """The body's blocks, one at a time, → :attr:`lines`; numbering counts on across them."""

    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.lines: list[Line] = []

    # Blocks -------------------------------------------------------------------
    def block(self, element: Any) -> None:
        tag = element.tag
        if tag == f"{W}p":
            self.paragraph(element)
        elif tag == f"{W}tbl":
            for row in self.table_rows(element):
                self.lines.append(Line(row, starts_paragraph=True, table=True))
        elif tag in _TRANSPARENT or tag == f"{MC}AlternateContent":
            for child in _alternate_choice(element):
                self.block(child)

    def paragraph(self, p: Any) -> None:
        pieces, heading, bold = self.read_paragraph(p)
        texts = split_at_breaks(pieces.segments)
        for text in texts:
            self.lines.append(
                Line(
                    repair_line(text),
                    starts_paragraph=True,
                    heading=heading,
                    bold=bold and not heading,
                )
            )
        for box in pieces.text_boxes:
            for child in box:
                self.block(child)

    def read_paragraph(self, p: Any) -> tuple[_Pieces, int, bool]:
        ppr = p.find(f"{W}pPr")
        style_id = self.styles.default_paragraph
        num_id, ilvl = None, None
        outline = None
        if ppr is not None:
            style_el = ppr.find(f"{W}pStyle")
            if style_el is not None:
                style_id = style_el.get(f"{W}val")
            num_id, ilvl = num_pr(ppr.find(f"{W}numPr"))
            outline = outline_level(ppr)
        heading = self.styles.heading(style_id)
        if outline is not None:
            heading = outline_heading(outline)
        para_bold = self.styles.bold(style_id)
        pieces = _Pieces()
        self.inline(p, pieces, style_id, para_bold)
        has_text = any(segment.strip() for segment in pieces.segments)
        if has_text:
            label = self.label(num_id, ilvl, style_id)
            if label:
                pieces.segments[0] = label + pieces.segments[0].lstrip()
        bold = has_text and pieces.bold_runs > 0 and pieces.plain_runs == 0
        return pieces, heading, bold

    def label(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> str:
        if num_id is None:
            num_id, style_level, carrier = self.styles.numbering(style_id)
            if num_id is None:
                return ""
            ilvl = style_level if style_level is not None else self.numbering.level_for_style(num_id, carrier)
        if num_id == "0":
            return ""
        shown = self.numbering.label(num_id, ilvl or 0)
        if shown is None or not shown[0]:
            return ""
        text, suffix = shown
        if suffix == "nothing" or is_cjk(text[-1]):
            return text
        return text + " "

    # Inline -------------------------------------------------------------------
    def inline(self, element: Any, pieces: _Pieces, style_id: str | None, para_bold: bool | None) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                self.run(child, pieces, para_bold)
            elif tag in _TRANSPARENT:
                self.inline(child, pieces, style_id, para_bold)
            elif tag == f"{MC}AlternateContent":
                for chosen in _alternate_choice(child):
                    self.inline(chosen, pieces, style_id, para_bold)
            elif tag in (f"{M}oMath", f"{M}oMathPara"):
                pieces.add("".join(t.text or "" for t in child.iter(f"{M}t")))

    def run(self, r: Any, pieces: _Pieces, para_bold: bool | None) -> None:
        text = ""
        for child in r:
            tag = child.tag
            if tag == f"{W}t":
                text += child.text or ""
            elif tag in (f"{W}tab", f"{W}ptab"):
                text += "\t"
            elif tag in (f"{W}br", f"{W}cr"):
                pieces.add(text)
                text = ""
                pieces.brk()
            elif tag == f"{W}noBreakHyphen":
                text += "-"
            elif tag in (f"{W}drawing", f"{W}pict", f"{MC}AlternateContent"):
                pieces.text_boxes.extend(_text_boxes(child))
        pieces.add(text)
        if text.strip():
            if self.run_bold(r, para_bold):
                pieces.bold_runs += 1
            else:
                pieces.plain_runs += 1

    def run_bold(self, r: Any, para_bold: bool | None) -> bool:
        rpr = r.find(f"{W}rPr")
        if rpr is not None:
            direct = is_on(rpr.find(f"{W}b"))
            if direct is not None:
                return direct
            char_style = rpr.find(f"{W}rStyle")
            if char_style is not None:
                styled = self.styles.bold(char_style.get(f"{W}val"))
                if styled is not None:
                    return styled
        if para_bold is not None:
            return para_bold
        return self.styles.default_bold

    # Tables -------------------------------------------------------------------
    def table_rows(self, tbl: Any) -> list[str]:
        rows = []
        for tr in _children(tbl, f"{W}tr"):
            cells = [self.cell_text(tc) for tc in _children(tr, f"{W}tc")]
            if any(cells):
                rows.append(repair_line(" | ".join(cells)))
        return rows

    def cell_text(self, tc: Any) -> str:
        tcpr = tc.find(f"{W}tcPr")
        if tcpr is not None:
            vmerge = tcpr.find(f"{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                return ""  # the cell above, merged down: its text was given once, there
        parts: list[str] = []
        for child in _flat_blocks(tc):
            if child.tag == f"{W}p":
                pieces, _heading, _bold = self.read_paragraph(child)
                parts.extend(split_at_breaks(pieces.segments))
            elif child.tag == f"{W}tbl":
                parts.extend(self.table_rows(child))
        return collapse(" ".join(parts)).replace("|", "｜")


def _alternate_choice(element: Any) -> list[Any]:
    """A markup-compatibility block's first choice (its fallback repeats the same content);
    any other transparent container's children."""
    if element.tag == f"{MC}AlternateContent":
        choice = element.find(f"{MC}Choice")
        if choice is None:
            choice = element.find(f"{MC}Fallback")
        return list(choice) if choice is not None else []
    return list(element)


def _text_boxes(element: Any) -> list[Any]:
    """The text boxes (<w:txbxContent>) inside a drawing, skipping fallback copies."""
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        for child in reversed(list(node)):
            if child.tag == f"{MC}Fallback":
                continue
            if child.tag == f"{W}txbxContent":
                found.append(child)
            else:
                stack.append(child)
    return found


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _children(child, tag)


def _flat_blocks(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _flat_blocks(child)
