"""Start-up: the text first; the index, the bookmarks and the single-instance server after it."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from viewer import paths
from viewer.ui.first_paint import AfterNextPaint
from viewer.ui.main_window import MainWindow


def test_the_index_and_the_bookmarks_open_only_after_the_text_has_painted(qtbot, viewer_home):
    window = MainWindow(QSettings(str(paths.settings_path()), QSettings.Format.IniFormat))
    window.setProperty("quiet", True)
    qtbot.addWidget(window)
    window.show()
    seen = []
    window.bookmarks.store_opened.connect(lambda: seen.append(("bookmarks",)))
    window.library_loaded.connect(lambda: seen.append(("loaded", window.search_index())))
    window.text_shown.connect(
        lambda: seen.append(("shown", window.search_index(), "疫情" in window.article.toPlainText()))
    )
    window.index_ready.connect(lambda: seen.append(("index", window.search_index() is not None)))
    # The first frame is made without the results panel and the bookmark workflows.
    window.library_loaded.connect(
        lambda: seen.append(
            (
                "parts",
                window.later.made_search_panel,
                window.later.made_bookmark_workflows,
                window.later.made_find_bar,
            )
        )
    )
    with qtbot.waitSignals([window.library_loaded, window.text_shown, window.index_ready], timeout=60_000):
        window.start()
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)
    assert seen[:3] == [
        ("loaded", None),
        ("parts", None, None, None),
        ("shown", None, True),
    ]  # the text first
    assert sorted(seen[3:]) == [("bookmarks",), ("index", True)]
    assert window.results_dock.widget() is window.search_panel  # made once the text was shown
    window.close()


class _View(QWidget):
    """A view that says when it paints, as the article does."""

    painted = Signal()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self.painted.emit()


def test_work_waiting_for_a_frame_runs_even_if_none_comes(qtbot):
    hidden = _View()  # a window that is not shown (or minimised) never paints
    qtbot.addWidget(hidden)
    ran = []
    AfterNextPaint(hidden, hidden.painted, lambda: ran.append("hidden"))
    qtbot.waitUntil(lambda: ran == ["hidden"], timeout=2_000)

    shown = _View()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    AfterNextPaint(shown, shown.painted, lambda: ran.append("painted"), patience_ms=60_000)
    shown.update()
    qtbot.waitUntil(lambda: ran[-1] == "painted", timeout=5_000)
    shown.update()
    qtbot.wait(50)
    assert ran == ["hidden", "painted"]  # once


def test_a_small_archive_is_read_at_once_and_a_large_one_in_the_background(viewer_home):
    from viewer.ui import library

    assert library.is_small_archive()  # no archive folder yet: only the bundled bulletin
    folder = paths.archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(library.SMALL_ARCHIVE_ENTRIES):
        (folder / f"{n}.json").write_text("{}", encoding="utf-8")
    assert library.is_small_archive()
    (folder / "one-more.json").write_text("{}", encoding="utf-8")
    assert not library.is_small_archive()  # many entries
    for entry in folder.iterdir():
        entry.unlink()
    (folder / "big.json").write_bytes(b" " * (library.SMALL_ARCHIVE_BYTES + 1))
    assert not library.is_small_archive()  # large
    (folder / "big.json").unlink()
    (folder / "odd").mkdir()
    assert not library.is_small_archive()  # something odd: the background reading says what


def test_a_task_run_at_once_fails_as_a_background_one_does(qtbot):
    from viewer.store.errors import StoreError
    from viewer.ui.tasks import TaskRunner

    runner = TaskRunner()
    got = []

    def broken(*, progress, cancel):
        raise StoreError("the archive folder cannot be read: permission denied")

    runner.run_now(
        "load", broken, on_finished=lambda r: got.append(("ok", r)), on_failed=lambda m: got.append(m)
    )
    runner.run_now(
        "sum", lambda a, b, *, progress, cancel: a + b, 2, 3, on_finished=got.append, on_failed=got.append
    )
    assert got == ["the archive folder cannot be read: permission denied", 5]


GC_PROBE = """
import gc, json, sys
from viewer.ui.main_window import MainWindow

seen = {"before": gc.isenabled()}
build, shown, settle = MainWindow.__init__, MainWindow._on_text_shown, MainWindow._after_first_frame

def __init__(self, *args, **kwargs):
    build(self, *args, **kwargs)
    seen["while building"] = gc.isenabled()

def _on_text_shown(self):
    seen["text on screen"] = gc.isenabled()
    later = ("viewer.model.bookmark", "viewer.model.hit", "viewer.search")
    seen["loaded for the first frame"] = sorted(name for name in later if name in sys.modules)
    shown(self)
    seen["after the text"] = gc.isenabled()

def _after_first_frame(self):
    # PySide fills QtCore's namespace with Qt (all its enums) when Qt is first used.
    seen["Qt namespace built for the first frame"] = "Qt" in vars(sys.modules["PySide6.QtCore"])
    settle(self)

MainWindow.__init__, MainWindow._on_text_shown = __init__, _on_text_shown
MainWindow._after_first_frame = _after_first_frame
from viewer.app import run
status = run(screenshot=sys.argv[1], search=None, district=None)
seen["after the run"] = gc.isenabled()
from PySide6.QtWidgets import QApplication
QApplication.instance().setStyleSheet("")  # the style under the style sheet
seen["style"] = QApplication.style().name()
print(json.dumps({"status": status, **seen}))
"""


def test_the_first_frame_waits_for_no_garbage_collection_and_no_later_model(tmp_path, viewer_home):
    import json
    import os
    import subprocess
    import sys

    # As after any earlier start: the desktop's colour scheme is known (asking it builds Qt).
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    settings.setValue("ui/system-dark", False)
    settings.sync()
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, str(tmp_path / "shot.png")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_STYLE_OVERRIDE": "Windows"},  # Fusion all the same
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "status": 0,
        "before": True,
        "while building": False,  # start-up makes long-lived objects, not garbage
        "text on screen": False,
        # what the first frame does not need: the bookmarks' model, search hits, the index
        "loaded for the first frame": [],
        "Qt namespace built for the first frame": False,  # 1,205 enum members (viewer.ui.qt_namespace)
        "after the text": True,
        "after the run": True,
        "style": "fusion",  # the same look everywhere, named when the application is made
    }


ORDER_PROBE = """
import json, sys
from importlib.machinery import PathFinder

seen = {}


def watch_first_frame(widgets):
    from PySide6.QtCore import QEvent, QObject

    class FirstFrame(QObject):
        def eventFilter(self, window, event):
            if event.type() == QEvent.Type.UpdateRequest:
                seen.setdefault("at the first frame", sorted(sys.modules))
            return False

    probe = FirstFrame()
    show = widgets.QMainWindow.show

    def watched_show(window):
        window.installEventFilter(probe)
        show(window)

    widgets.QMainWindow.show = watched_show
    widgets._order_probe = probe


class Watch:
    def find_spec(self, name, path, target=None):
        if name == "PySide6":
            seen.setdefault("before Qt", sorted(sys.modules))
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            watch_first_frame(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Watch())
from viewer.app import run

status = run(screenshot=sys.argv[1], search=None, district=None)
print(json.dumps({"status": status, **seen}))
"""


def test_the_qt_free_layers_the_first_frame_needs_are_imported_before_qt(tmp_path, viewer_home):
    # PySide reads the source of every module imported after it, for its __feature__ switches;
    # the archive, the model and the other layers without Qt are imported before it.
    import json
    import subprocess
    import sys

    for _ in range(2):  # the second start, as users start it: the bundled bulletin read before
        done = subprocess.run(
            [sys.executable, "-c", ORDER_PROBE, str(tmp_path / "shot.png")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0
    before, at_frame = set(seen["before Qt"]), seen["at the first frame"]
    assert "viewer.store.archive" in at_frame  # the bulletin on screen came from the archive
    qt_free = [name for name in at_frame if name.startswith("viewer") and not name.startswith("viewer.ui")]
    late = [name for name in qt_free if name not in before]
    assert late == [], late
