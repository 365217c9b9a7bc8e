"""A bookmark drawn as a card in the bookmarks panel's list.

``BookmarkDelegate`` draws each bookmark as a small card: where it is (district ·
paragraph · bulletin), the quote (two lines at most), then the note and tags. An orphaned
bookmark (its passage is no longer in the archive) is drawn greyed with a warning icon.
The selected card stands out also while the list has no focus (after Ctrl+D, say).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QFontMetricsF, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from viewer.model import Bookmark
from viewer.ui.bookmarks import place_text
from viewer.ui.painting import draw_clamped_text, item_fonts, text_height
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import icon
from viewer.ui.tree_model import Index

BookmarkRole = Qt.ItemDataRole.UserRole + 1
SELECTED_TINT = 0.32  # the selected card's tint of the highlight colour while the list has no focus


class BookmarkDelegate(QStyledItemDelegate):
    """A bookmark as a card: a muted place line, the quote (two lines), the note and tags."""

    QUOTE_LINES = 2
    PAD = 7

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        bookmark: Bookmark | None = index.data(BookmarkRole)
        body, small = item_fonts(option.font)
        small_line = QFontMetricsF(small).lineSpacing()
        view = self.parent()
        width = view.viewport().width() - 16 if isinstance(view, QListView) else option.rect.width() - 16
        if bookmark is not None:
            quote = text_height(bookmark.quote, body, width, self.QUOTE_LINES)
        else:
            quote = QFontMetricsF(body).lineSpacing() * self.QUOTE_LINES
        height = small_line + 2 + quote + 3 + 2 * self.PAD - 3
        if bookmark is not None and (bookmark.note.strip() or bookmark.tags):
            height += small_line + 3
        return QSize(200, math.ceil(height))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        bookmark: Bookmark | None = index.data(BookmarkRole)
        if bookmark is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()  # the warning icon is drawn on the place line
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        active = bool(option.state & QStyle.StateFlag.State_Active)
        opt.state &= ~QStyle.StateFlag.State_Selected  # the selection is drawn below
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        pal = option.palette
        if selected:
            self._paint_selection(painter, option, filled=active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        filled = selected and active  # the list has the focus: the text on the highlight colour
        role = QPalette.ColorRole.HighlightedText if filled else QPalette.ColorRole.Text
        text_color = pal.color(group, role)
        muted = text_color if filled else pal.color(group, QPalette.ColorRole.PlaceholderText)
        if bookmark.orphaned and not filled:
            text_color = muted
        body, small = item_fonts(option.font)
        fm_small = QFontMetricsF(small)
        rect = QRectF(option.rect).adjusted(8, self.PAD, -8, -self.PAD)
        painter.save()
        painter.setClipRect(option.rect)

        # The place line: [warning] 西城 · paragraph 2 · bulletin title
        left = rect.left()
        line_h = fm_small.lineSpacing()
        if bookmark.orphaned:
            size = int(line_h)
            icon("warning").paint(painter, int(left), int(rect.top()), size, size)
            left += size + 4
        meta = f"{place_text(bookmark)} · {bookmark.title or bookmark.bulletin_id}"
        painter.setFont(small)
        painter.setPen(muted)
        width = rect.right() - left
        painter.drawText(
            QRectF(left, rect.top(), width, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm_small.elidedText(meta, Qt.TextElideMode.ElideRight, width),
        )
        top = rect.top() + line_h + 2

        # The quote, two lines at most, ending with an ellipsis when it goes on.
        painter.setPen(text_color)
        top += 3 + draw_clamped_text(
            painter, bookmark.quote, body, QPointF(rect.left(), top), rect.width(), self.QUOTE_LINES
        )

        # The note, then the tags.
        note = " ".join(bookmark.note.split())
        tags = "  ".join(f"#{t}" for t in bookmark.tags)
        if note or tags:
            painter.setFont(small)
            tag_width = min(fm_small.horizontalAdvance(tags), rect.width() * (0.45 if note else 1.0))
            if note:
                painter.setPen(text_color)
                note_width = rect.width() - tag_width - (10 if tags else 0)
                painter.drawText(
                    QRectF(rect.left(), top, note_width, line_h),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    fm_small.elidedText("✎ " + note, Qt.TextElideMode.ElideRight, note_width),
                )
            if tags:
                painter.setPen(muted if filled else pal.color(group, QPalette.ColorRole.Link))
                painter.drawText(
                    QRectF(rect.right() - tag_width, top, tag_width, line_h),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    fm_small.elidedText(tags, Qt.TextElideMode.ElideRight, tag_width),
                )
        # A hairline between cards.
        if not filled:
            separator = QColor(pal.color(QPalette.ColorRole.Mid))
            painter.setPen(separator)
            painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()

    @staticmethod
    def _paint_selection(painter: QPainter, option: QStyleOptionViewItem, filled: bool) -> None:
        """The selected card, clearly: the highlight colour when the list has the focus; else a
        tint of it with a bar of it along the left edge (not the faint grey of an unfocused list)."""
        accent = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        painter.save()
        if filled:
            painter.fillRect(option.rect, accent)
        else:
            tint = QColor(accent)
            tint.setAlphaF(SELECTED_TINT)
            painter.fillRect(option.rect, tint)
            painter.fillRect(QRectF(option.rect.left(), option.rect.top(), 3, option.rect.height()), accent)
        painter.restore()
