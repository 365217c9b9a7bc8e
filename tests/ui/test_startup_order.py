"""Start-up: the text first; the index, the bookmarks and the single-instance server after it."""

from __future__ import annotations

from PySide6.QtCore import QSettings
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
    with qtbot.waitSignals([window.library_loaded, window.text_shown, window.index_ready], timeout=60_000):
        window.start()
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)
    assert seen[:2] == [("loaded", None), ("shown", None, True)]  # the text, then the rest
    assert sorted(seen[2:]) == [("bookmarks",), ("index", True)]
    window.close()


def test_work_waiting_for_a_frame_runs_even_if_none_comes(qtbot):
    hidden = QWidget()  # a window that is not shown (or minimised) never paints
    qtbot.addWidget(hidden)
    ran = []
    AfterNextPaint(hidden, lambda: ran.append("hidden"))
    qtbot.waitUntil(lambda: ran == ["hidden"], timeout=2_000)

    shown = QWidget()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    AfterNextPaint(shown, lambda: ran.append("painted"), patience_ms=60_000)
    shown.update()
    qtbot.waitUntil(lambda: ran[-1] == "painted", timeout=5_000)
    shown.update()
    qtbot.wait(50)
    assert ran == ["hidden", "painted"]  # once
