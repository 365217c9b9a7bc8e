"""Small widgets: the field above a list, a label cut to a few lines, the find-in-section bar
and the notice banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from viewer.ui import plain_text
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import icon

_NO_BREAK_SPACE, _WORD_JOINER = "\u00a0", "\u2060"


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def keep_together(text: str) -> str:
    """``text`` as one unbreakable piece for a wrapping label (a break may come before it, where
    it starts with a space, or after a leading "，"): its spaces do not break, nor do the gaps
    beside Chinese characters, which Qt would otherwise break at."""
    head = text[: len(text) - len(text.lstrip(" ，、"))]
    out = []
    for ch in text[len(head) :]:
        if out and (_is_cjk(ch) or _is_cjk(out[-1])) and not ch.isspace() and not out[-1].isspace():
            out.append(_WORD_JOINER)
        out.append(_NO_BREAK_SPACE if ch.isspace() else ch)
    return head + "".join(out)


def glue_numbers(text: str) -> str:
    """``text`` whose numbers stay on one line with the words beside them ("16 个区", "12 districts"):
    the spaces around a number do not break, nor does the gap before a Chinese unit."""
    out: list[str] = []
    for n, ch in enumerate(text):
        before = out[-1] if out else ""
        after = text[n + 1] if n + 1 < len(text) else ""
        if ch == " " and (before.isdigit() or after.isdigit()):
            ch = _NO_BREAK_SPACE
        elif before.isdigit() and _is_cjk(ch):
            out.append(_WORD_JOINER)
        out.append(ch)
    return "".join(out)


def name_line_edit_buttons(edit: QLineEdit) -> None:
    """Give the buttons Qt puts inside a line edit (icon, clear) their action's text as accessible name."""
    for button in edit.findChildren(QToolButton):
        action = button.defaultAction()
        if action is not None:
            button.setAccessibleName(action.text() or action.toolTip() or edit.accessibleName())


class ClampedLabel(QLabel):
    """Plain text, wrapped, in ``max_lines`` lines at most: a longer text is cut at the end of
    the last line with "…" (the whole of it in the tooltip). Cut again when the width changes."""

    def __init__(self, text: str, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # quotes from documents: never HTML
        self.setWordWrap(True)
        self._full = text
        self._max_lines = max_lines
        self._width = -1
        super().setText(text)

    def fit(self, width: int) -> None:
        """Cut the text for ``width`` pixels of the label (its margins included)."""
        self.ensurePolished()  # the style sheet's border and padding are known from here on
        inner = width - (self.width() - self.contentsRect().width()) - 2 * self.margin()
        if inner == self._width or inner <= 0:
            return
        self._width = inner
        # Text layout, only for the labels that cut (the bookmark dialog's quote); the window's
        # first frame does without it.
        from viewer.ui.painting import ELLIPSIS, layout_clamped

        # A little narrower than the label: QLabel wraps a line a few pixels before its edge.
        clamped = layout_clamped(self._full, self.font(), inner - 4, self._max_lines)
        cut = clamped.cut_line
        if cut is None:
            text = self._full
        else:
            text = self._full[: cut.textStart() + cut.textLength()].rstrip() + ELLIPSIS
        if text != self.text():
            super().setText(text)
        self.setToolTip(plain_text.tooltip(self._full) if text != self._full else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit(self.width())


class SearchField(QLineEdit):
    """A field above a list: Down or Enter goes into the list (``results_requested``); Escape clears."""

    results_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.results_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class FindLineEdit(QLineEdit):
    """Enter: next match; Shift+Enter: previous; Escape: close the bar."""

    stepped = Signal(bool)  # forward
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.stepped.emit(not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class FindBar(QFrame):
    """Find in this section: incremental, with next/previous and the number of matches."""

    text_changed = Signal(str)
    stepped = Signal(bool)  # forward
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = FindLineEdit(self)
        self.edit.setObjectName("findField")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("000 / 000") + 8)
        self.previous_button = QToolButton(self)
        self.previous_button.setIcon(icon("go-up"))
        self.next_button = QToolButton(self)
        self.next_button.setIcon(icon("go-down"))
        self.close_button = QToolButton(self)
        self.close_button.setIcon(icon("close"))
        for button in (self.previous_button, self.next_button, self.close_button):
            button.setAutoRaise(True)
        self.label = QLabel(self)
        self.label.setBuddy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)
        self.edit.textChanged.connect(self.text_changed)
        self.edit.stepped.connect(self.stepped)
        self.edit.escaped.connect(self.closed)
        self.previous_button.clicked.connect(lambda: self.stepped.emit(False))
        self.next_button.clicked.connect(lambda: self.stepped.emit(True))
        self.close_button.clicked.connect(self.closed)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("&Find:"))
        self.edit.setPlaceholderText(self.tr("Find in this section"))
        self.edit.setAccessibleName(self.tr("Find in this section"))
        self.count.setAccessibleName(self.tr("Matches in this section"))
        self.previous_button.setToolTip(self.tr("Previous match (Shift+Enter)"))
        self.previous_button.setAccessibleName(self.tr("Previous match"))
        self.next_button.setToolTip(self.tr("Next match (Enter)"))
        self.next_button.setAccessibleName(self.tr("Next match"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.setAccessibleName(self.tr("Close find bar"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText(self.tr("no matches"))
        elif current == 0:
            self.count.setText(self.tr("%n matches", "", total))
        else:
            self.count.setText(f"{current} / {total}")

    def text(self) -> str:
        return self.edit.text()


class NoticeBar(QFrame):
    """A calm, dismissible notice above the text (never a modal dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text_fn: Callable[[], str] | None = None
        self.setObjectName("notice")
        self.icon = QLabel(self)  # its pixmap is drawn when a notice is first shown
        self.icon.setFixedSize(18, 18)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(icon("close"))
        self.close_button.setAutoRaise(True)
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss notice"))
        self.setAccessibleName(self.tr("Notice"))
        if self._text_fn is not None:
            self.text.setText(self._text_fn())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange and self._text_fn is not None:
            self._draw_icon()  # tinted for the new theme
        super().changeEvent(event)

    def _draw_icon(self) -> None:
        self.icon.setPixmap(icon("warning").pixmap(18, 18))

    def _prepare(self) -> None:
        """Settings that take Qt enums, made with the first notice: a notice bar is made with
        the window's first frame, which builds none (viewer.ui.qt_namespace)."""
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # names and quotes: never HTML
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.icon, self.close_button):
            self._layout.setAlignment(widget, Qt.AlignmentFlag.AlignTop)
        self._draw_icon()

    def show_message(self, text: Callable[[], str]) -> None:
        """Show ``text()`` (called again when the language changes)."""
        if self._text_fn is None:
            self._prepare()
        self._text_fn = text
        self.text.setText(text())
        self.show()

    def add_message(self, text: Callable[[], str]) -> None:
        """Show ``text()`` below a notice already shown (or on its own)."""
        before = self._text_fn if self.isVisibleTo(self.parentWidget() or self) else None
        if before is None:
            self.show_message(text)
        else:
            self.show_message(lambda: f"{before()}\n\n{text()}")
