"""The window's status bar: passing messages, the progress of background work with its
Cancel button, and the text size.

Its one job is showing those three; it never decides what to say. The window points
the components' ``progressed`` / ``status_posted`` signals here, and Cancel's
``cancel_requested`` at the work that can be stopped. What the work is doing is shown
beside its progress bar, not in the message area: a message that says what happened
("12 bulletins imported.") stays while the work that follows (indexing) runs and ends.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from viewer.ui import plain_text
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import icon

TASK_TEXT_WIDTH = 320  # pixels at most for what the running work is doing (elided in the middle)


class StatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prepared = False
        self.task_label = QLabel(self)
        self.task_label.setObjectName("taskLabel")
        self.task_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("taskProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelTask")
        self.cancel_button.setIcon(icon("close"))
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.hide()
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.addPermanentWidget(self.task_label)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.zoom_label)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.task_label.setAccessibleName(self.tr("Running task"))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the running task"))
        self.zoom_label.setAccessibleName(self.tr("Zoom"))
        self.zoom_label.setToolTip(self.tr("Text size (Ctrl+0: actual size)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _prepare(self) -> None:
        """Settings that take Qt enums, made with the first task: the status bar is made with
        the window's first frame, which builds none (viewer.ui.qt_namespace)."""
        self._prepared = True
        self.task_label.setTextFormat(Qt.TextFormat.PlainText)  # it names files: never HTML
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def show_progress(self, text: str, done: int, total: int, cancellable: bool) -> None:
        """``total`` 0: how far is not known (a busy bar)."""
        if not self._prepared:
            self._prepare()
        metrics = self.task_label.fontMetrics()
        self.task_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, TASK_TEXT_WIDTH))
        self.task_label.setToolTip(plain_text.tooltip(text) if self.task_label.text() != text else "")
        self.task_label.show()
        self.progress.setRange(0, max(0, total))
        if total:
            self.progress.setValue(done)
        self.progress.show()
        self.cancel_button.setVisible(cancellable)

    def hide_progress(self) -> None:
        """The work ended: its progress goes; the last message (what it did) stays."""
        self.task_label.hide()
        self.task_label.clear()
        self.progress.hide()
        self.cancel_button.hide()

    def task_text(self) -> str:
        """What the running work is doing ("" when nothing runs)."""
        return self.task_label.text() if not self.task_label.isHidden() else ""

    def show_zoom(self, percent: int) -> None:
        self.zoom_label.setText(f"{percent}%")
