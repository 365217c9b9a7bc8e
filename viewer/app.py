"""The window's entry point: ``run()`` is called by ``viewer.cli`` when no command is given.

Qt is imported here and only here (and in ``viewer.ui``). A machine without Qt's
system libraries gets a plain ``error:`` line naming the packages, exit status 2.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import logging
import os
import sys
from pathlib import Path

from viewer import paths

log = logging.getLogger("viewer.ui")

RUNTIME_PACKAGES = "libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3"
XCB_PACKAGES = (
    "libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
    "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
)
SCREENSHOT_TIMEOUT_MS = 60_000


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _platform_problem(screenshot: bool) -> str | None:
    """What keeps Qt from opening a window here (Qt would abort instead of raising)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        if screenshot:  # a screenshot needs no screen: draw off-screen
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            return None
        return "no graphical display (DISPLAY and WAYLAND_DISPLAY are not set); run it in a desktop session"
    if not os.environ.get("WAYLAND_DISPLAY") and ctypes.util.find_library("xcb-cursor") is None:
        return (
            "Qt's X11 support needs system libraries that are missing; "
            f"install them with: sudo apt install {XCB_PACKAGES}"
        )
    return None


# Qt messages that say nothing to a user (the offscreen platform used for screenshots).
_QT_NOISE = ("This plugin does not support",)  # offscreen: raise(), propagateSizeHints()


def _qt_message(mode, _context, message: str) -> None:
    """Qt's own messages go to the log (named logger), not raw to stderr."""
    from PySide6.QtCore import QtMsgType

    qt_log = logging.getLogger("viewer.ui.qt")
    if any(noise in message for noise in _QT_NOISE):
        qt_log.debug("%s", message)
    elif mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        qt_log.error("%s", message)
    elif mode == QtMsgType.QtWarningMsg:
        qt_log.warning("%s", message)
    else:
        qt_log.debug("%s", message)


def _instance_name() -> str:
    digest = hashlib.sha1(str(paths.data_dir()).encode("utf-8")).hexdigest()[:12]
    return f"{paths.APP_NAME}-{digest}"


def run(screenshot: str | None, search: str | None, district: str | None) -> int:
    problem = _platform_problem(screenshot is not None)
    if problem:
        return _error(problem)
    # The Qt-free layers first: the window needs them, and modules imported before PySide6
    # escape its per-import source check (measurably faster start; tests/bench/bench_startup.py).
    import viewer.store  # noqa: F401

    try:
        from PySide6 import QtWidgets  # noqa: F401
    except ImportError as exc:
        return _error(
            f"the Qt libraries cannot be loaded ({exc}); install the system packages with: "
            f"sudo apt install {RUNTIME_PACKAGES}"
        )
    return _run_qt(screenshot, search, district)


def _run_qt(screenshot: str | None, search: str | None, district: str | None) -> int:
    from PySide6.QtCore import QLockFile, QSettings, QTimer, qInstallMessageHandler
    from PySide6.QtGui import QFont, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from viewer.ui import theme
    from viewer.ui.article import CJK_FAMILIES
    from viewer.ui.i18n import LanguageChoice, Translations
    from viewer.ui.main_window import MainWindow

    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName("Bulletin Viewer")
    QGuiApplication.setDesktopFileName(paths.APP_ID)
    font = QFont(app.font())
    font.setFamilies([app.font().family(), *CJK_FAMILIES])
    app.setFont(font)

    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    translations = Translations()
    try:
        language = LanguageChoice(settings.value("ui/language", LanguageChoice.SYSTEM.value))
    except ValueError:
        language = LanguageChoice.SYSTEM
    translations.apply(language)
    try:
        theme_choice = theme.ThemeChoice(settings.value("ui/theme", theme.ThemeChoice.SYSTEM.value))
    except ValueError:
        theme_choice = theme.ThemeChoice.SYSTEM
    theme.apply_theme(app, theme_choice)

    # One window per data folder: a second one would write the same archive and index.
    lock = QLockFile(str(paths.data_dir() / "window.lock"))
    lock.setStaleLockTime(0)  # only a lock of a process that is gone counts as stale
    if not lock.tryLock(100):
        if screenshot is not None:
            return _error(
                f"Bulletin Viewer is already running with the data in {paths.data_dir()}; "
                "close it first (or set BULLETIN_VIEWER_HOME to another folder)"
            )
        from PySide6.QtNetwork import QLocalSocket
        from PySide6.QtWidgets import QMessageBox

        socket = QLocalSocket()
        socket.connectToServer(_instance_name())
        if socket.waitForConnected(1000):
            socket.write(b"raise\n")
            socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()
            print("Bulletin Viewer is already running; its window was brought to the front.", file=sys.stderr)
            return 0
        QMessageBox.information(
            None,
            "Bulletin Viewer",
            app.translate("MainWindow", "Bulletin Viewer is already running. Switch to its window."),
        )
        return 0

    window = MainWindow(settings, translations)
    if screenshot is not None:
        window.setProperty("quiet", True)  # no dialogs in a screenshot run
        window.set_persistent(False)

    previous_hook = sys.excepthook

    def _excepthook(kind, exc, tb) -> None:
        """A bug in a slot: say so in plain words; the traceback goes to the log (-v)."""
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        log.debug("unexpected error", exc_info=(kind, exc, tb))
        log.error("unexpected error: %s: %s", kind.__name__, exc)
        window.report_error(app.translate("MainWindow", "Something went wrong."), f"{kind.__name__}: {exc}")

    sys.excepthook = _excepthook
    window.show()
    app.processEvents()  # paint before the archive and the index are touched
    if screenshot is None:
        QTimer.singleShot(0, lambda: _serve_raise_requests(window))
    status = {"code": 0}
    if screenshot is not None:
        shooter = _Screenshot(window, Path(screenshot), search, district, status)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, shooter.timed_out)
    QTimer.singleShot(0, window.start)
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
        lock.unlock()
    return status["code"]


def _serve_raise_requests(window) -> None:
    """Bring the window to the front when another start finds it running (the lock in
    ``_run_qt``). Set up once the window is on screen: QtNetwork is loaded only then."""
    from PySide6.QtNetwork import QLocalServer

    server = QLocalServer(window)
    QLocalServer.removeServer(_instance_name())
    if not server.listen(_instance_name()):
        log.info("no single-instance server: %s", server.errorString())
        return

    def _raise_window() -> None:
        while server.hasPendingConnections():
            server.nextPendingConnection().deleteLater()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    server.newConnection.connect(_raise_window)


class _Screenshot:
    """Drives --screenshot: wait for the archive (and the search), then save the window."""

    def __init__(self, window, path: Path, search: str | None, district: str | None, status: dict) -> None:
        self.window = window
        self.path = path
        self.search = search
        self.district = district
        self.status = status
        self.done = False
        self.library = False
        self.index = False
        window.library_loaded.connect(self._on_library_loaded)
        window.index_ready.connect(self._on_index_ready)
        window.search_shown.connect(self._on_search_shown)

    def _on_library_loaded(self) -> None:
        self.library = True
        if self.district and not self.window.open_district(self.district):
            self._fail(f"no district called {self.district!r} in the archive")
            return
        self._maybe_continue()

    def _on_index_ready(self) -> None:
        self.index = True
        self._maybe_continue()

    def _maybe_continue(self) -> None:
        if self.done or not (self.library and self.index):
            return
        if self.search and self.window.search_index() is not None:
            self.window.run_search(self.search)
        else:  # no search asked for, or no index to search (the status bar says why)
            self._shoot_soon()

    def _on_search_shown(self, outcome) -> None:
        if self.done or not self.search:
            return
        panel = self.window.search_panel
        if self.district:
            from viewer.model import district_key

            key = district_key(self.district)
            for _index, hit in panel.model.hits_in_order():
                if hit.district and district_key(hit.district) == key:
                    self.window.open_hit(hit)
                    break
        elif outcome.result.hits:
            panel.open_first()
        self._shoot_soon()

    def _shoot_soon(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(150, self._shoot)

    def timed_out(self) -> None:
        if not self.done:
            log.warning(
                "the window did not settle within %d s; saving it as it is", SCREENSHOT_TIMEOUT_MS // 1000
            )
            self._shoot()

    def _shoot(self) -> None:
        if self.done:
            return
        from PySide6.QtWidgets import QApplication

        self.done = True
        QApplication.processEvents()
        pixmap = self.window.grab()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(self.path), "PNG"):
            print(f"error: could not write {self.path}", file=sys.stderr)
            self.status["code"] = 2
        self.window.close()

    def _fail(self, message: str) -> None:
        from PySide6.QtCore import QTimer

        self.done = True
        print(f"error: {message}", file=sys.stderr)
        self.status["code"] = 2
        QTimer.singleShot(0, self.window.close)
