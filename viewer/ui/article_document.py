"""The article's text document: built from model objects, one text block per passage.

Its one job is typesetting: a section (with the headings nested in it) or a bulletin's
own page (title, number, issuer, date, lead, closing) becomes a QTextDocument built with
QTextCursor and formats, never from the bulletin's text as HTML, so nothing in a
bulletin can load anything or inject markup. Every passage is one text block whose text
equals the model's text, so offsets of search hits and selections are offsets into it;
``build_document`` returns which block shows which passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from viewer.model import CLOSING, HEAD, HEADLINE, LEAD, Bulletin
from viewer.model.official import is_addressee, is_date_line, is_signature

# Fonts for Chinese text, in order; without an explicit choice Qt may pick Japanese glyph forms.
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]

ZOOM_STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 170, 200, 240, 300)
DEFAULT_ZOOM = 100
LINE_HEIGHT = 170  # percent
MEASURE_CHARS = 36  # characters per line at most: a comfortable measure for Chinese
Span = tuple[int, int]
#: Where a passage is: (section index or LEAD / CLOSING / HEAD, paragraph or HEADLINE).
Place = tuple[int, int]


def view_of(section: int) -> int | None:
    """The view that shows a passage of ``section``: its own, or (None) the bulletin's page."""
    return section if section >= 0 else None


def shown_sections(bulletin: Bulletin, view: int | None) -> list[int]:
    """The sections whose passages a view shows: the bulletin's page shows its title,
    number, issuer, lead and closing; a section's view, the headings nested in it too."""
    return [HEAD, LEAD, CLOSING] if view is None else list(bulletin.nested(view))


class SelectionRef(NamedTuple):
    """The current selection: offsets [start, end) into a passage's text.

    ``section`` is LEAD for a lead paragraph; ``paragraph`` is HEADLINE for a headline.
    """

    bulletin_id: str
    section: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class BlockInfo:
    section: int  # index in Bulletin.sections, or LEAD / CLOSING / HEAD
    paragraph: int  # index within the section / lead / closing, or HEADLINE

    @property
    def place(self) -> Place:
        return self.section, self.paragraph


@dataclass
class PassageMap:
    """Which text block shows which passage, both ways."""

    blocks: dict[int, BlockInfo]  # block number -> what it shows
    places: dict[Place, int]  # (section, paragraph) -> block number


def reading_font(point_size: float) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def build_document(
    doc: QTextDocument, bulletin: Bulletin, section: int | None, size: float, muted: QColor
) -> PassageMap:
    """Typeset a section of ``bulletin`` (None: its own page) into ``doc`` at ``size`` points."""
    passages = PassageMap({}, {})
    base = reading_font(size)
    doc.clear()
    doc.setDefaultFont(base)
    doc.setUndoRedoEnabled(False)
    doc.setDocumentMargin(0)
    metrics = QFontMetricsF(base)
    em = metrics.horizontalAdvance("中")
    gap = max(0.0, em * LINE_HEIGHT / 100 - metrics.lineSpacing())

    def char_format(scale: float = 1.0, bold: bool = False, color: QColor | None = None) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(CJK_FAMILIES)
        fmt.setFontPointSize(size * scale)
        fmt.setFontWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        if color is not None:
            fmt.setForeground(color)
        return fmt

    def block_format(top: float, bottom: float, indent: float = 0.0, right: bool = False) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        if right:
            fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
        fmt.setTopMargin(top)
        fmt.setBottomMargin(bottom)
        fmt.setTextIndent(indent)
        # Line height as typographers mean it: LINE_HEIGHT percent of the font size.
        fmt.setLineHeight(gap, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        return fmt

    cursor = QTextCursor(doc)
    first = True

    def add_block(text: str, bfmt: QTextBlockFormat, cfmt: QTextCharFormat, info: BlockInfo | None) -> None:
        nonlocal first
        if first:
            cursor.setBlockFormat(bfmt)
            cursor.setBlockCharFormat(cfmt)
            first = False
        else:
            cursor.insertBlock(bfmt, cfmt)
        cursor.insertText(text, cfmt)
        if info is not None:
            number = cursor.block().blockNumber()
            passages.blocks[number] = info
            passages.places[info.place] = number

    body = char_format()
    title_format = char_format(1.45, bold=True)
    small = char_format(0.85, color=muted)
    own_page = section is None
    # The title is a passage of the bulletin's page (a hit in it is shown there).
    add_block(
        bulletin.title,
        block_format(em * 0.6, em * 0.3),
        title_format,
        BlockInfo(HEAD, 0) if own_page else None,
    )
    if own_page:
        for n, text in ((1, bulletin.number), (2, bulletin.issuer)):
            if text:
                add_block(text, block_format(0, em * 0.15), small, BlockInfo(HEAD, n))
    where = [bulletin.date, bulletin.column]
    if section is not None:
        where.append(bulletin.sections[section].district)
    # The line under the title: date, column, district (a gap of its height when empty).
    add_block("  ·  ".join(w for w in where if w) or " ", block_format(0, em * 0.9), small, None)
    if section is None:
        for para in bulletin.lead:
            indent = 0 if is_addressee(para.text) else em * 2  # 主送机关 stands flush left
            add_block(para.text, block_format(0, em * 0.7, indent), body, BlockInfo(LEAD, para.index))
        districts = bulletin.districts
        if districts:
            add_block("、".join(districts), block_format(em * 0.6, 0), char_format(0.9, color=muted), None)
        for para in bulletin.closing:
            signed = is_signature(para.text) or is_date_line(para.text)
            add_block(
                para.text,
                block_format(em * 0.2, em * 0.3, 0 if signed else em * 2, right=signed),
                body,
                BlockInfo(CLOSING, para.index),
            )
        return passages
    top = bulletin.sections[section]
    for index in bulletin.nested(section):
        nested = bulletin.sections[index]
        depth = nested.level - top.level
        if nested.headline:
            add_block(
                nested.headline,
                block_format(em * (0.2 if depth == 0 else 0.8), em * 0.8),
                char_format(max(1.0, 1.2 - 0.1 * depth), bold=True),
                BlockInfo(index, HEADLINE),
            )
        for para in nested.paragraphs:
            add_block(para.text, block_format(0, em * 0.7, em * 2), body, BlockInfo(index, para.index))
    return passages
