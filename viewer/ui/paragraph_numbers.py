"""Paragraph numbers in the margin, for the article and the printed page.

Its one job is drawing them. Each paragraph of a section, of the lead and of the closing
gets the number a citation gives it, counting from 1 within its section (the paragraph
numbered 2 is the one cited as "第 2 段"); headlines and the title, number and issuer get
none. A number stands in the margin left of its paragraph, right-aligned, on the baseline
of the paragraph's first line. The numbers are painted over the document, not part of its
text: selecting, copying, finding and bookmarking never meet them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QTextDocument

from viewer.model import HEAD
from viewer.ui.article_document import BlockInfo, PassageMap

#: The numbers' size, relative to the text's.
NUMBER_SCALE = 0.72


def paragraph_number(info: BlockInfo) -> int | None:
    """The number shown beside a passage's block (None: a headline or the head)."""
    if info.section == HEAD or info.paragraph < 0:
        return None
    return info.paragraph + 1


def number_font(text_font: QFont) -> QFont:
    font = QFont(text_font)
    font.setPointSizeF(text_font.pointSizeF() * NUMBER_SCALE)
    tabular = QFont.Tag.fromString("tnum")
    if tabular is not None:
        font.setFeature(tabular, 1)  # digits of one width line up down the margin
    return font


def draw_paragraph_numbers(
    painter: QPainter,
    doc: QTextDocument,
    passages: PassageMap,
    *,
    right: float,
    top: float,
    bottom: float,
    dy: float = 0.0,
    color: QColor,
) -> int:
    """Draw the number of each paragraph whose first line starts between ``top`` and
    ``bottom`` (document coordinates), ending at ``right`` (painter coordinates), each at its
    document position moved down by ``dy``. Returns how many were drawn."""
    font = number_font(doc.defaultFont())
    metrics = QFontMetricsF(font, painter.device())
    drawn = 0
    painter.save()
    painter.setFont(font)
    painter.setPen(color)
    for number in sorted(passages.blocks):
        shown = paragraph_number(passages.blocks[number])
        if shown is None:
            continue
        block = doc.findBlockByNumber(number)
        layout = block.layout()
        if layout is None or layout.lineCount() == 0:
            continue
        line = layout.lineAt(0)
        line_top = layout.position().y() + line.y()
        if line_top >= bottom:
            break
        if line_top < top:
            continue
        text = str(shown)
        baseline = line_top + line.ascent() + dy
        painter.drawText(QPointF(right - metrics.horizontalAdvance(text), baseline), text)
        drawn += 1
    painter.restore()
    return drawn
