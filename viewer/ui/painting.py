"""Drawing helpers shared by the item delegates."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption

from viewer.ui.article_document import CJK_FAMILIES

ELLIPSIS = "…"
_item_fonts: dict[str, tuple[QFont, QFont]] = {}


def item_fonts(font: QFont) -> tuple[QFont, QFont]:
    """The fonts of a two-part item drawn in a view with ``font``: the body (the view's family,
    then the CJK ones) and a smaller one for its muted line (made once per font)."""
    key = font.key()
    fonts = _item_fonts.get(key)
    if fonts is None:
        body = QFont(font)
        body.setFamilies([font.family(), *CJK_FAMILIES])
        small = QFont(body)
        small.setPointSizeF(max(7.0, body.pointSizeF() * 0.88))
        fonts = _item_fonts[key] = (body, small)
    return fonts


def draw_clamped_text(
    painter: QPainter,
    text: str,
    font: QFont,
    origin: QPointF,
    width: float,
    max_lines: int,
    formats: Sequence[QTextLayout.FormatRange] = (),
) -> int:
    """Draw ``text`` wrapped anywhere (Chinese has no spaces to wrap at) in at most ``max_lines``
    lines from ``origin``, with the painter's pen; a text that goes on ends with an ellipsis.
    Returns the number of lines drawn."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAnywhere)
    layout.setTextOption(option)
    layout.setFormats(list(formats))
    ellipsis_width = QFontMetricsF(font).horizontalAdvance(ELLIPSIS)
    layout.beginLayout()
    y, lines, cut_line = 0.0, 0, None
    while lines < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        if lines == max_lines - 1 and line.textStart() + line.textLength() < len(text):
            line.setLineWidth(width - ellipsis_width)  # the text goes on: end with "…"
            cut_line = line
        line.setPosition(QPointF(0, y))
        y += line.height()
        lines += 1
    layout.endLayout()
    layout.draw(painter, origin)
    if cut_line is not None:
        painter.setFont(font)
        x = origin.x() + cut_line.naturalTextWidth()
        painter.drawText(QPointF(x, origin.y() + cut_line.y() + cut_line.ascent()), ELLIPSIS)
    return lines
