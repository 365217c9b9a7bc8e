"""The search results list's look: each hit drawn as its bulletin line and its snippet with
the hits marked (QTextLayout formats, never HTML), each row as tall as what it shows.

``HitDelegate`` measures a row with the layout it draws it with, so a snippet is never cut
at the bottom, whatever the font size; ``ResultsView`` measures the rows again when the
list gets wider or narrower.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QPointF, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from viewer.model import HEADLINE, Hit
from viewer.ui.painting import draw_clamped_text, item_fonts, text_height
from viewer.ui.qt_namespace import Qt
from viewer.ui.results_model import HitRole
from viewer.ui.tree_model import Index

#: A hit's mark in a snippet, (background, text) for light and dark: dark on amber, in both.
MARK_COLORS = {False: ("#ffe27a", "#1c1917"), True: ("#e3b341", "#17140c")}
RELAYOUT_MS = 80  # after the list's width changed, rows are measured again this much later


class HitDelegate(QStyledItemDelegate):
    """A hit as two parts: a muted line (bulletin title, headline tag) and the snippet, hits marked.

    A hit row is as tall as what it shows: the muted line and the snippet's lines (one or two,
    measured with the layout it is drawn with, marks included), at the list's width.
    """

    SNIPPET_LINES = 2
    PAD_X = (6, 8)  # left, right
    PAD_Y = (5, 7)  # top, bottom
    GAP = 2  # between the muted line and the snippet
    _CACHE_SIZE = 4096

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple, int] = {}
        self._marks: dict[bool, QTextCharFormat] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if index.internalId() == 0:  # a district group row
            size = super().sizeHint(option, index)
            return QSize(size.width(), size.height() + 8)
        hit: Hit | None = index.data(HitRole)
        if hit is None:
            return super().sizeHint(option, index)
        width = self._text_width(option)
        key = (hit.snippet, hit.snippet_highlights, round(width), option.font.key())
        height = self._heights.get(key)
        if height is None:
            body, small = item_fonts(option.font)
            dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
            snippet = text_height(
                hit.snippet, body, width, self.SNIPPET_LINES, self._ranges(hit, self._mark(dark))
            )
            height = math.ceil(self.PAD_Y[0] + self._meta_height(small) + self.GAP + snippet + self.PAD_Y[1])
            if len(self._heights) >= self._CACHE_SIZE:
                self._heights.clear()
            self._heights[key] = height
        return QSize(200, height)

    def _text_width(self, option: QStyleOptionViewItem) -> float:
        """The width the snippet is wrapped at: the row's, inside the padding."""
        view = self.parent()
        if isinstance(view, QTreeView):  # hit rows are one level in
            row_width = view.viewport().width() - view.indentation()
        else:
            row_width = option.rect.width()
        return max(40.0, row_width - sum(self.PAD_X))

    @staticmethod
    def _meta_height(small: QFont) -> float:
        return math.ceil(QFontMetricsF(small).lineSpacing())

    @staticmethod
    def _ranges(hit: Hit, mark: QTextCharFormat) -> list[QTextLayout.FormatRange]:
        ranges = []
        for start, end in hit.snippet_highlights:
            fr = QTextLayout.FormatRange()
            fr.start, fr.length, fr.format = start, end - start, mark
            ranges.append(fr)
        return ranges

    def _mark(self, dark: bool) -> QTextCharFormat:
        """How a hit is marked in a snippet: dark text on amber, in both themes."""
        fmt = self._marks.get(dark)
        if fmt is None:
            fmt = self._marks[dark] = QTextCharFormat()
            background, foreground = MARK_COLORS[dark]
            fmt.setBackground(QColor(background))
            fmt.setForeground(QColor(foreground))
            fmt.setFontWeight(QFont.Weight.DemiBold)
        return fmt

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: Hit | None = index.data(HitRole)
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text_color if selected else pal.color(QPalette.ColorRole.PlaceholderText)
        body, small = item_fonts(option.font)
        rect = QRectF(option.rect).adjusted(self.PAD_X[0], self.PAD_Y[0], -self.PAD_X[1], -self.PAD_Y[1])
        painter.save()
        painter.setClipRect(option.rect)
        # Line 1: bulletin title (and a tag for headline hits), muted and elided.
        meta = hit.bulletin_title
        if hit.paragraph == HEADLINE:
            tag = self.tr("Headline")
            meta = f"{tag} · {meta}"
        fm_small = QFontMetricsF(small)
        meta_height = self._meta_height(small)
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), meta_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm_small.elidedText(meta, Qt.TextElideMode.ElideRight, rect.width()),
        )
        # Then the snippet, with every hit marked, wrapped as sizeHint measured it.
        mark = self._mark(pal.color(QPalette.ColorRole.Base).lightness() < 128)
        painter.setPen(text_color)
        top = rect.top() + meta_height + self.GAP
        draw_clamped_text(
            painter,
            hit.snippet,
            body,
            QPointF(rect.left(), top),
            self._text_width(option),
            self.SNIPPET_LINES,
            self._ranges(hit, mark),
        )
        painter.restore()


class ResultsView(QTreeView):
    """Up from the first row goes back to the search field; rows are measured again when the
    list gets wider or narrower (a snippet may then need one line more or less)."""

    up_from_top = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._measured_width = -1
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(RELAYOUT_MS)
        self._relayout.timeout.connect(self._on_relayout_timeout)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._measured_width:
            self._relayout.start()

    def _on_relayout_timeout(self) -> None:
        self._measured_width = self.viewport().width()
        self.doItemsLayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Up:
            index = self.currentIndex()
            if not index.isValid() or (index.row() == 0 and not index.parent().isValid()):
                self.up_from_top.emit()
                return
        super().keyPressEvent(event)
