"""Drawing helpers shared by the item delegates."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption

ELLIPSIS = "…"


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
