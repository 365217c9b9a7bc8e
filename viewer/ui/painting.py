"""Drawing helpers shared by the item delegates: fonts, and text clamped to a few lines.

Snippets and quotes are wrapped as Chinese is set: a line may break between any two
characters, but not before closing punctuation (Qt's line breaking, UAX #14), and never
inside a number or between a number and its unit (``1450处``, ``372.53万元``, ``第2段``), which
Qt would allow. The same layout is used to measure a row and to draw it, so a row is
exactly as tall as the lines it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextLayout, QTextLine, QTextOption

from viewer.lazy import LazyPattern
from viewer.ui.article_document import CJK_FAMILIES

ELLIPSIS = "…"
_item_fonts: dict[str, tuple[QFont, QFont]] = {}

#: What stays on one line: a number with its decimals and percent, an ordinal 第 (and an
#: opening bracket) before it and up to two characters of unit after it (1450处, 372.53万元,
#: 第2段, 100%).
_UNBREAKABLE = LazyPattern(  # compiled when a snippet is first laid out (2 ms)
    r"[（(“‘《〔【]?第?[0-9０-９]+(?:[.,．][0-9０-９]+)*[%％‰]?[\u3400-\u4dbf\u4e00-\u9fff]{0,2}"
)


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


def unbreakable_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` a line must not break inside: numbers with their units."""
    return [m.span() for m in _UNBREAKABLE.finditer(text) if m.end() - m.start() > 1]


@dataclass
class ClampedText:
    """``text`` laid out in at most ``max_lines`` lines (see ``layout_clamped``)."""

    layout: QTextLayout
    lines: int
    height: float  # of the lines laid out, as drawn
    cut_line: QTextLine | None  # the last line, when the text goes on past it (ends with "…")


def layout_clamped(
    text: str,
    font: QFont,
    width: float,
    max_lines: int,
    formats: Sequence[QTextLayout.FormatRange] = (),
) -> ClampedText:
    """Lay ``text`` out in lines of ``width`` (at most ``max_lines``; the last one leaves room for
    an ellipsis when the text goes on), never breaking a number from its unit."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.setFormats(list(formats))
    ellipsis_width = QFontMetricsF(font).horizontalAdvance(ELLIPSIS)
    keep = unbreakable_spans(text)
    width = max(1.0, width)
    layout.beginLayout()
    y, lines, cut_line = 0.0, 0, None
    while lines < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        last = lines == max_lines - 1
        line_width = width
        line.setLineWidth(line_width)
        if last and line.textStart() + line.textLength() < len(text):
            line_width = max(1.0, width - ellipsis_width)  # the text goes on: end with "…"
            line.setLineWidth(line_width)
        _keep_together(line, keep, line_width, len(text))
        if last and line.textStart() + line.textLength() < len(text):
            cut_line = line
        line.setPosition(QPointF(0, y))
        y += line.height()
        lines += 1
    layout.endLayout()
    return ClampedText(layout, lines, y, cut_line)


def _keep_together(line: QTextLine, keep: Sequence[tuple[int, int]], width: float, length: int) -> None:
    """End ``line`` before a number it would cut (unless the number starts the line)."""
    start = line.textStart()
    end = start + line.textLength()
    if end >= length:
        return
    for first, after in keep:
        if first < end < after and first > start:
            line.setNumColumns(first - start, width)
            if line.textStart() + line.textLength() != first or line.naturalTextWidth() > width + 0.5:
                line.setLineWidth(width)  # no break there after all: as Qt had it
            return
        if first >= end:
            return


def text_height(
    text: str,
    font: QFont,
    width: float,
    max_lines: int,
    formats: Sequence[QTextLayout.FormatRange] = (),
) -> float:
    """How tall ``draw_clamped_text`` draws ``text``."""
    return layout_clamped(text, font, width, max_lines, formats).height


def draw_clamped_text(
    painter: QPainter,
    text: str,
    font: QFont,
    origin: QPointF,
    width: float,
    max_lines: int,
    formats: Sequence[QTextLayout.FormatRange] = (),
) -> float:
    """Draw ``text`` in at most ``max_lines`` lines from ``origin``, with the painter's pen; a
    text that goes on ends with an ellipsis. Returns the height drawn (``text_height``)."""
    clamped = layout_clamped(text, font, width, max_lines, formats)
    clamped.layout.draw(painter, origin)
    cut_line = clamped.cut_line
    if cut_line is not None:
        painter.setFont(font)
        x = origin.x() + cut_line.naturalTextWidth()
        painter.drawText(QPointF(x, origin.y() + cut_line.y() + cut_line.ascent()), ELLIPSIS)
    return clamped.height
