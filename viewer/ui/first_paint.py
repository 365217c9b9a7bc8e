"""Run something once a widget has painted its next frame: start-up's deferred work.

The window reads the archive and shows the text first; the search index, the bookmark
store and the single-instance server start only after that frame is on screen, so that
neither their imports nor their threads (which share the interpreter's lock) delay it.
A widget that is not painted (a hidden or minimised window) gets the work after a short
wait instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: How long to wait for a frame that may never come (a minimised window), in ms.
PATIENCE_MS = 1000


class AfterNextPaint(QObject):
    """Calls ``then`` once, just after ``widget`` next paints (or after ``patience_ms``)."""

    def __init__(self, widget: QWidget, then: Callable[[], None], patience_ms: int = PATIENCE_MS) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        if not widget.isVisible():
            QTimer.singleShot(0, self, self._fire)  # nothing will paint: go on with the event loop
            return
        widget.installEventFilter(self)
        self._timer.start(patience_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # once this frame is painted (not if closed before)
        return False

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        self._timer.stop()
        self._widget.removeEventFilter(self)
        self.deleteLater()
        then()
