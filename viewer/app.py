"""The window's entry point: ``run()`` is called by ``viewer.cli`` when no command is given.

Qt is imported here and only here (and in ``viewer.ui``). A machine without Qt's
system libraries gets a plain ``error:`` line naming the packages, exit status 2.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import sys
import tempfile
from collections.abc import Callable
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
    if not os.environ.get("WAYLAND_DISPLAY") and not _loadable("libxcb-cursor.so.0"):
        return (
            "Qt's X11 support needs system libraries that are missing; "
            f"install them with: sudo apt install {XCB_PACKAGES}"
        )
    return None


def _loadable(library: str) -> bool:
    """Whether the dynamic loader finds ``library`` (Qt loads it next anyway). Asking the
    loader takes a millisecond; ``ctypes.util.find_library`` runs ``ldconfig -p``."""
    import ctypes

    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


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


def _can_create_in(folder: Path) -> str | None:
    """Why a file cannot be made in ``folder`` (None: it can); tried for real, as only that
    tells (read-only file systems, permissions, root squashing, ACLs)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".bulletin-viewer-", suffix=".tmp", dir=folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    os.unlink(probe)
    return None


def screenshot_problem(path: Path) -> str | None:
    """Why a PNG cannot be saved at ``path`` (None: it can), checked before the window opens.

    The folder must exist (it is not made: a mistyped path should not grow folders)."""
    if path.is_dir():
        return os.strerror(errno.EISDIR)
    if (path.exists() or path.is_symlink()) and not path.is_file():
        return "it is not a regular file"  # a pipe or a device: saving would wait for ever
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    return _can_create_in(folder)


def data_folder_problem() -> tuple[str, str] | None:
    """The first folder the window writes to (data, index, settings) that cannot be
    written, and why; None when all can."""
    for folder_of in (paths.data_dir, paths.cache_dir, paths.config_dir):
        try:
            folder = paths.ensure_dir(folder_of())  # made when missing: the window writes there
        except OSError as exc:
            return str(exc.filename or folder_of()), exc.strerror or str(exc)
        reason = _can_create_in(folder)
        if reason is not None:
            return str(folder), reason
    return None


def _instance_name() -> str:
    # hashlib here, not at the top: it loads OpenSSL (11 M instructions), and the name is
    # wanted only by a second start and once the first window's text is on screen.
    import hashlib

    digest = hashlib.sha1(str(paths.data_dir()).encode("utf-8")).hexdigest()[:12]
    return f"{paths.APP_NAME}-{digest}"


def run(screenshot: str | None, search: str | None, district: str | None) -> int:
    # Starting the window makes some 40,000 objects that live as long as the program (modules,
    # classes, Qt's enums) and next to no garbage; the cyclic garbage collector would walk them
    # some 80 times before the first frame (15 ms). It is paused until the text is shown.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(screenshot, search, district, resume_collection=gc.enable if collecting else None)
    finally:
        if collecting:
            gc.enable()


def _run(
    screenshot: str | None,
    search: str | None,
    district: str | None,
    resume_collection: Callable[[], None] | None,
) -> int:
    if screenshot is not None:
        reason = screenshot_problem(Path(screenshot))
        if reason is not None:
            return _error(f"cannot save the screenshot to {screenshot}: {reason}")
    problem = _platform_problem(screenshot is not None)
    if problem:
        return _error(problem)
    # The Qt-free modules the first frame needs, first: PySide reads the source of every module
    # imported after it (its __feature__ check; 10 M instructions for these). The packages
    # themselves import nothing (lazy exports). A test fails if the first frame needs another.
    import viewer.model.errors  # what the window reports
    import viewer.model.official  # the article's typesetting
    import viewer.opencc_conversion  # the display's script
    import viewer.store.archive  # noqa: F401  (the bulletin on screen, the model's types)

    try:
        from PySide6 import QtWidgets  # noqa: F401
    except ImportError as exc:
        return _error(
            f"the Qt libraries cannot be loaded ({exc}); install the system packages with: "
            f"sudo apt install {RUNTIME_PACKAGES}"
        )
    return _run_qt(screenshot, search, district, resume_collection)


def _run_qt(
    screenshot: str | None,
    search: str | None,
    district: str | None,
    resume_collection: Callable[[], None] | None,
) -> int:
    from PySide6.QtCore import QSettings, QTimer, qInstallMessageHandler
    from PySide6.QtGui import QFont, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from viewer.ui import theme
    from viewer.ui.article import CJK_FAMILIES
    from viewer.ui.i18n import LanguageChoice, Translations
    from viewer.ui.main_window import MainWindow
    from viewer.ui.window_lock import LOCK_NAME, take_window_lock
    from viewer.ui.window_state import WindowState

    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or theme.new_application(sys.argv[0])
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName("Bulletin Viewer")
    QGuiApplication.setDesktopFileName(paths.APP_ID)
    font = QFont(app.font())
    font.setFamilies([app.font().family(), *CJK_FAMILIES])
    app.setFont(font)

    translations = Translations()
    unwritable = data_folder_problem()
    if unwritable is not None:  # before the settings: their folder may be the one
        translations.apply(LanguageChoice.SYSTEM)
        return _refuse_unwritable(app, *unwritable, dialog=screenshot is None)

    settings_file = paths.settings_path()
    if (settings_file.exists() or settings_file.is_symlink()) and not settings_file.is_file():
        # QSettings would wait for ever on a pipe, and cannot keep a folder or device.
        translations.apply(LanguageChoice.SYSTEM)
        why = f"its settings file {settings_file.name} is not a regular file"
        return _refuse_unwritable(app, str(settings_file.parent), why, dialog=screenshot is None)
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    state = WindowState(settings)
    translations.apply(state.language())
    theme.apply_theme(app, state.theme(), system_dark=state.system_dark())  # checked after the first frame

    # One window per data folder: a second one would write the same archive and index.
    lock_path = paths.data_dir() / LOCK_NAME
    taken = take_window_lock(lock_path)
    if taken.problem is not None:  # not held by another window: the lock cannot be used at all
        if taken.unwritable:
            return _refuse_unwritable(app, str(lock_path.parent), taken.problem, dialog=screenshot is None)
        return _refuse_lock(app, taken.problem, dialog=screenshot is None)
    lock = taken.lock
    if lock is None:  # held by a window that is running
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
    shooter: _Screenshot | None = None
    if screenshot is not None:
        window.setProperty("quiet", True)  # no dialogs in a screenshot run
        window.set_persistent(False)
        shooter = _Screenshot(window, Path(screenshot), search, district)

    previous_hook = sys.excepthook

    def _excepthook(kind, exc, tb) -> None:
        """A bug in a slot: say so in plain words; the traceback goes to the log (-v)."""
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        log.debug("unexpected error", exc_info=(kind, exc, tb))
        log.error("unexpected error: %s: %s", kind.__name__, exc)
        if shooter is not None:  # nobody is there to read a dialog: end the run, do not hang
            shooter.fail(f"unexpected failure: {kind.__name__}: {exc}")
            return
        window.report_error(app.translate("MainWindow", "Something went wrong."), f"{kind.__name__}: {exc}")

    sys.excepthook = _excepthook
    if resume_collection is not None:
        window.text_shown.connect(resume_collection)
    if screenshot is None:
        window.text_shown.connect(lambda: _serve_raise_requests(window))
    if shooter is not None:
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, shooter.timed_out)
    window.show()
    # A small archive is read here, so that the first frame holds its text; a larger one is
    # read in the background while the window paints. No events are handled before exec():
    # a run that ends at once (a --screenshot of an unknown district) closes the window from
    # the event loop, where closing the last window can end it.
    window.start()
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
        lock.unlock()
    return shooter.status["code"] if shooter is not None else 0


def _refuse_lock(app, problem: str, *, dialog: bool) -> int:
    """The lock file cannot be used (something else lies where it goes): say so, exit 2."""
    code = _error(problem)
    if dialog:
        from PySide6.QtWidgets import QMessageBox

        from viewer.ui.message_box import message_box

        summary = app.translate("MainWindow", "Bulletin Viewer cannot start.")
        message_box(QMessageBox.Icon.Critical, "Bulletin Viewer", summary, problem).exec()
    return code


def _refuse_unwritable(app, folder: str, reason: str, *, dialog: bool) -> int:
    """The data folder cannot be written: say so (a dialog too, when started as a window:
    from a desktop menu nobody reads stderr) and exit 2.

    Not a read-only window: bookmarks, the search index and the settings would all be
    lost without a word, and without the lock two windows could write the same archive.
    """
    code = _error(
        f"the data folder {folder} cannot be written ({reason}); check its permissions, "
        f"or set {paths.HOME_ENV} to a folder you can write"
    )
    if dialog:
        from PySide6.QtWidgets import QMessageBox

        from viewer.ui.message_box import message_box

        summary = app.translate("MainWindow", "Bulletin Viewer cannot write to its data folder.")
        details = (
            app.translate(
                "MainWindow",
                "%1 cannot be written (%2). Bulletin Viewer keeps the archive, the search index, "
                "the bookmarks and the settings there. Check the folder's permissions, or start "
                "Bulletin Viewer with %3 set to a folder you can write.",
            )
            .replace("%1", folder)
            .replace("%2", reason)
            .replace("%3", paths.HOME_ENV)
        )
        message_box(QMessageBox.Icon.Critical, "Bulletin Viewer", summary, details).exec()
    return code


def _serve_raise_requests(window) -> None:
    """Bring the window to the front when another start finds it running (the lock in
    ``_run_qt``). Set up once the text is on screen: QtNetwork is loaded only then."""
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

    def __init__(self, window, path: Path, search: str | None, district: str | None) -> None:
        self.window = window
        self.path = path
        self.search = search
        self.district = district
        self.status = {"code": 0}
        self.done = False
        self.failed = False
        self.library = False
        self.index = False
        window.library_loaded.connect(self._on_library_loaded)
        window.index_ready.connect(self._on_index_ready)
        window.search_shown.connect(self._on_search_shown)

    def _on_library_loaded(self) -> None:
        self.library = True
        if self.district and not self.window.open_district(self.district):
            self.fail(f"no district called {self.district!r} in the archive")
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
        from PySide6.QtGui import QImageWriter
        from PySide6.QtWidgets import QApplication

        self.done = True
        try:
            QApplication.processEvents()
            image = self.window.grab().toImage()
            # The path was checked before the window opened; the folder may have gone since,
            # or the disk filled up: the run ends either way, with the reason.
            writer = QImageWriter(str(self.path), b"png")
            if not writer.write(image):
                self.fail(f"cannot save the screenshot to {self.path}: {writer.errorString()}")
        except Exception as exc:  # never leave the window open: nobody would close it
            log.debug("screenshot failed", exc_info=True)
            self.fail(f"cannot save the screenshot to {self.path}: {exc}")
        finally:
            self.window.close()

    def fail(self, message: str) -> None:
        """End the run with exit status 2 and ``error: message`` (once)."""
        from PySide6.QtCore import QTimer

        self.done = True
        if not self.failed:
            self.failed = True
            print(f"error: {message}", file=sys.stderr)
        self.status["code"] = 2
        QTimer.singleShot(0, self.window.close)
