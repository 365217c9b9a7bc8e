"""The window's status bar: passing messages, the progress of background work with its
Cancel button, and the text size.

Its one job is showing those three; it never decides what to say. The window points
the components' ``progressed`` / ``status_posted`` signals here, and Cancel's
``cancel_requested`` at the work that can be stopped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from viewer.ui.theme import icon


class StatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("taskProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelTask")
        self.cancel_button.setIcon(icon("close"))
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.hide()
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.zoom_label)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.progress.setAccessibleName(self.tr("Progress"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the running task"))
        self.zoom_label.setAccessibleName(self.tr("Zoom"))
        self.zoom_label.setToolTip(self.tr("Text size (Ctrl+0: actual size)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_progress(self, text: str, done: int, total: int, cancellable: bool) -> None:
        """``total`` 0: how far is not known (a busy bar)."""
        self.showMessage(text)
        self.progress.setRange(0, max(0, total))
        if total:
            self.progress.setValue(done)
        self.progress.show()
        self.cancel_button.setVisible(cancellable)

    def hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.clearMessage()

    def show_zoom(self, percent: int) -> None:
        self.zoom_label.setText(f"{percent}%")
