"""The bookmark dialog: the quote and where it is, with a note and tags to fill in.

Imported when first needed (Ctrl+D, editing), not before the window paints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QStringListModel, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.model import Bookmark
from viewer.model.bookmark import normalize_tags
from viewer.ui.article_document import CJK_FAMILIES
from viewer.ui.bookmarks import place_text
from viewer.ui.qt_namespace import Qt
from viewer.ui.widgets import ClampedLabel

_TAG_SEPARATORS = re.compile(r"[,，、;；]")
QUOTE_LINES = 6  # a longer quote is cut with "…" (the whole of it in the tooltip)
DIALOG_WIDTH = 460


def split_tags(text: str) -> tuple[str, ...]:
    """Tags typed in one field, separated by commas (also ，、;)."""
    return normalize_tags(_TAG_SEPARATORS.split(text))


class NoteEdit(QPlainTextEdit):
    """Enter accepts the dialog; Shift+Enter starts a new line."""

    accepted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.accepted.emit()
            return
        super().keyPressEvent(event)


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, from the known tags not yet entered."""

    def __init__(self, known_tags: Sequence[str], edit: QLineEdit) -> None:
        self._known = list(known_tags)
        self._model = QStringListModel(self._known, edit)
        super().__init__(self._model, edit)
        edit.textChanged.connect(self._on_edit_text_changed)

    def offered(self) -> list[str]:
        """The tags offered now."""
        return self._model.stringList()

    def _on_edit_text_changed(self, text: str) -> None:
        entered = {t.casefold() for t in split_tags(", ".join(_TAG_SEPARATORS.split(text)[:-1]))}
        offered = [t for t in self._known if t.casefold() not in entered]
        if offered != self._model.stringList():
            self._model.setStringList(offered)

    def splitPath(self, path: str) -> list[str]:
        return [_TAG_SEPARATORS.split(path)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        done = [t.strip() for t in _TAG_SEPARATORS.split(text)[:-1] if t.strip()]
        return ", ".join([*done, str(index.data())])


class BookmarkDialog(QDialog):
    """The quote and where it is, with a note and tags to fill in (new or edited bookmark)."""

    def __init__(
        self,
        bookmark: Bookmark,
        known_tags: Sequence[str],
        parent: QWidget | None = None,
        *,
        editing: bool = False,
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarkDialog")
        self.setWindowTitle(self.tr("Edit Bookmark") if editing else self.tr("Bookmark Passage"))
        self.quote = ClampedLabel(bookmark.quote, QUOTE_LINES, self)  # plain text, cut with "…"
        self.quote.setObjectName("bookmarkQuote")
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setAccessibleName(self.tr("Quote"))
        font = QFont(self.font())
        font.setFamilies([self.font().family(), *CJK_FAMILIES])
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.quote.setFont(font)
        self.place = QLabel(f"{place_text(bookmark)} · {bookmark.title or bookmark.bulletin_id}", self)
        self.place.setObjectName("bookmarkPlace")
        self.place.setWordWrap(True)
        self.place.setTextFormat(Qt.TextFormat.PlainText)  # the bulletin's title: never HTML
        self.place.setAccessibleName(self.tr("Where the passage is"))
        self.notice = QLabel(notice, self)
        self.notice.setObjectName("bookmarkNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setVisible(bool(notice))
        self.note_edit = NoteEdit(self)
        self.note_edit.setObjectName("bookmarkNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlainText(bookmark.note)
        self.note_edit.setPlaceholderText(
            self.tr("Why this passage matters (optional; Shift+Enter: new line)")
        )
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setFixedHeight(int(QFontMetricsF(self.note_edit.font()).lineSpacing() * 3 + 14))
        self.tags_edit = QLineEdit(", ".join(bookmark.tags), self)
        self.tags_edit.setObjectName("bookmarkTagsEdit")
        self.tags_edit.setPlaceholderText(self.tr("Separated by commas (optional)"))
        self.tags_edit.setAccessibleName(self.tr("Tags"))
        completer = TagCompleter(known_tags, self.tags_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(completer)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Save") if editing else self.tr("Bookmark"))
        ok.setDefault(True)
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))

        form = QFormLayout()
        note_label = QLabel(self.tr("&Note:"), self)
        note_label.setBuddy(self.note_edit)
        tags_label = QLabel(self.tr("&Tags:"), self)
        tags_label.setBuddy(self.tags_edit)
        form.addRow(note_label, self.note_edit)
        form.addRow(tags_label, self.tags_edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.quote)
        layout.addWidget(self.place)
        layout.addWidget(self.notice)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note_edit.accepted.connect(self.accept)
        self.setMinimumWidth(DIALOG_WIDTH)
        # The quote is cut for the width it gets; the wrapped quote makes the height depend on
        # the width: size to it (no gaps between rows).
        margins = layout.contentsMargins()
        self.quote.fit(DIALOG_WIDTH - margins.left() - margins.right())
        self.resize(DIALOG_WIDTH, max(self.minimumSizeHint().height(), self.heightForWidth(DIALOG_WIDTH)))
        self.note_edit.setFocus()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def tags(self) -> tuple[str, ...]:
        return split_tags(self.tags_edit.text())
