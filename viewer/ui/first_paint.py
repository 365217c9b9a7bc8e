"""Run something once a view has painted its next frame: start-up's deferred work.

The window reads the archive and shows the text first; the search index, the bookmark
store and the single-instance server start only after that frame is on screen, so that
neither their imports nor their threads (which share the interpreter's lock) delay it.
A view that is not painted (a hidden or minimised window) gets the work after a short
wait instead.

The frame is seen through a signal the view emits as it paints (``ArticleView.painted``),
not through an event filter on its viewport: asking a text view for its viewport before
the first frame makes PySide wrap an object of a class it does not know, which builds the
Python types of every widget class first (some 15 ms).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

#: How long to wait for a frame that may never come (a minimised window), in ms.
PATIENCE_MS = 1000


class AfterNextPaint(QObject):
    """Calls ``then`` once, just after ``view`` next paints (``painted`` is emitted as it
    paints), or after ``patience_ms`` when no frame comes."""

    def __init__(
        self,
        view: QWidget,
        painted: SignalInstance,
        then: Callable[[], None],
        patience_ms: int = PATIENCE_MS,
    ) -> None:
        super().__init__(view)
        self._then: Callable[[], None] | None = then
        self._painted: SignalInstance | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        if not view.isVisible():
            QTimer.singleShot(0, self, self._fire)  # nothing will paint: go on with the event loop
            return
        self._painted = painted
        painted.connect(self._on_painted)
        self._timer.start(patience_ms)

    def _on_painted(self) -> None:
        self._stop_watching()
        QTimer.singleShot(0, self, self._fire)  # once this frame is painted (not if closed before)

    def _stop_watching(self) -> None:
        if self._painted is not None:
            self._painted.disconnect(self._on_painted)
            self._painted = None

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        self._timer.stop()
        self._stop_watching()
        self.deleteLater()
        then()
