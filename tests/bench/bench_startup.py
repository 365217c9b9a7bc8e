"""Window benchmarks (run by hand; prints figures, asserts nothing on time).

1. Start to the bundled bulletin's text painted in the window (not a first empty frame),
   against a bare PySide6 window showing the same text in a tree and a text browser, in
   the same run: wall time from process launch to that frame, and peak memory (max RSS)
   at that moment; several runs each.
2. With 1,000 generated bulletins imported: keystroke to results painted, p50/p95/max,
   typing words one character at a time as an input method commits them.

QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py [--runs 5] [--count 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Shared by all children: report the first frame with the bulletin's text, then exit.
#
# The probe changes nothing of how a program starts: it imports no part of Qt itself and
# makes no QApplication; it waits for the program to import PySide6.QtWidgets (an import
# hook) and then watches the main windows it shows. A program starts as it would without
# it: it imports its own modules, then PySide6 when it needs it (PySide reads the source of
# every module imported after it, ~0.1 ms each), and makes its QApplication with its own
# arguments.
#
# It watches the main window alone, for the request to paint a frame, and checks then that
# a text view of the window holds the bulletin's text: that frame shows it. It reports once
# the frame is painted (a posted event of high priority, ahead of what the window posts for
# after its first frame). It never makes Python objects of Qt's own: PySide wraps an object
# of a class it has not met (a text view's viewport, a combo box's popup, a toolbar's
# animation…) by building the Python types, and their enums, of every class it could be
# (15–45 ms); an application-wide event filter, a viewport() call or a findChildren() over
# the window (which wraps every child to test its class) would add that to what is
# measured, and unequally. The text views are found among the objects the program has
# already made Python objects of (shiboken's wrappers).
_PAINT_PROBE = r"""
import os, resource, sys


def _watch_windows(widgets):
    from PySide6.QtCore import QEvent, QObject
    from shiboken6 import getAllValidWrappers

    def text_shown(window):
        return any(
            isinstance(view, widgets.QTextEdit)
            and view.window() is window
            and view.isVisible()
            and "疫情" in view.toPlainText()
            for view in getAllValidWrappers()
        )

    class _Probe(QObject):
        seen = False
        def watch(self, window):  # the main window, as it is shown
            if window.objectName() == "mainWindow":
                window.installEventFilter(self)
        def eventFilter(self, window, event):
            if not self.seen and event.type() == QEvent.Type.UpdateRequest and text_shown(window):
                self.seen = True
                widgets.QApplication.postEvent(self, QEvent(QEvent.Type.User), 1)  # 1: high priority
            return False
        def event(self, event):
            if event.type() == QEvent.Type.User:
                rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"painted {rss_mb:.1f}", flush=True)
                close_after = os.environ.get("BENCH_CLOSE_AFTER_MS")
                if close_after is None:
                    os._exit(0)
                from PySide6.QtCore import QTimer  # a warm-up: the program ends as when closed
                QTimer.singleShot(int(close_after), widgets.QApplication.closeAllWindows)
            return super().event(event)

    probe = _Probe()
    show = widgets.QMainWindow.show
    def _watched_show(window):
        probe.watch(window)
        show(window)
    widgets.QMainWindow.show = _watched_show
    widgets._paint_probe = probe  # kept alive with the module


class _WhenWidgetsImported:
    # A finder that steps aside: it only wraps the loader of PySide6.QtWidgets.
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec(name, path)
        execute = spec.loader.exec_module
        def exec_module(module):
            execute(module)
            _watch_windows(module)
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _WhenWidgetsImported())
"""

_VIEWER_CHILD = (
    _PAINT_PROBE
    + r"""
from viewer.cli import main  # the same path as `bulletin-viewer` with no arguments
main([])
"""
)

_WINDOW_CHILD = (
    _PAINT_PROBE
    + r"""
from viewer.app import run  # the window alone, without the command line's imports
run(None, None, None)
"""
)

_BARE_CHILD = (
    _PAINT_PROBE
    + r"""
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem
app = QApplication([sys.argv[0]])
window = QMainWindow()
window.setObjectName("mainWindow")
splitter = QSplitter()
tree = QTreeWidget()
top = QTreeWidgetItem(["北京：全力打好疫情防控阻击战！"])
tree.addTopLevelItem(top)
for name in "东城 西城 朝阳 海淀 丰台 石景山 门头沟 房山 通州 大兴 昌平 平谷".split():
    top.addChild(QTreeWidgetItem([name]))
top.setExpanded(True)
browser = QTextBrowser()
browser.setPlainText(open(sys.argv[1], encoding="utf-8").read())
splitter.addWidget(tree)
splitter.addWidget(browser)
window.setCentralWidget(splitter)
window.resize(1180, 760)
window.show()
app.exec()
"""
)


def _launch(code: str, args: list[str], env: dict) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait(timeout=60)
    if not line.startswith("painted"):
        raise RuntimeError(f"the child did not report a painted window: {line!r}")
    return elapsed, float(line.split()[1])


def bench_startup(runs: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Start as an installed program does: with compiled bytecode (pip compiles at install),
    # kept out of the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    bundled = str(ROOT / "data" / "beijing-districts-bulletin.txt")
    # One launch to warm the OS file cache and build the index, closed as a user closes it (it
    # keeps what the next start reads first, the desktop's colours among them): as any second
    # launch finds it.
    _launch(_VIEWER_CHILD, [], {**env, "BENCH_CLOSE_AFTER_MS": "3000"})
    subprocess.run(
        [sys.executable, "-m", "viewer", "--screenshot", str(home / "warm.png")], env=env, capture_output=True
    )
    _launch(_BARE_CHILD, [bundled], env)
    rows: dict[str, list[tuple[float, float]]] = {"viewer": [], "window": [], "bare": []}
    for _ in range(runs):  # interleaved, so all see the same machine load
        rows["viewer"].append(_launch(_VIEWER_CHILD, [], env))
        rows["window"].append(_launch(_WINDOW_CHILD, [], env))
        rows["bare"].append(_launch(_BARE_CHILD, [bundled], env))
    med = {
        k: (statistics.median(t for t, _ in v), statistics.median(m for _, m in v)) for k, v in rows.items()
    }
    labels = {
        "viewer": "bulletin-viewer (CLI entry)",
        "window": "window alone (viewer.app)",
        "bare": "bare PySide6 window",
    }
    bt, bm = med["bare"]
    print(f"start to the bulletin's text on screen, {runs} runs each (median time; min; median peak RSS):")
    for key, (t, m) in med.items():
        best = min(t for t, _ in rows[key])
        ratio = "" if key == "bare" else f"   ratio: time {t / bt:.2f}x, memory {m / bm:.2f}x"
        print(f"  {labels[key]:28s} {t:.3f} s; {best:.3f} s; {m:4.0f} MB{ratio}")
    print("  targets: time <= 1.6x, memory <= 2x")


def _prepare_archive(home: Path, count: int) -> None:
    from tests.conftest import write_bulletins
    from viewer.search import SearchIndex
    from viewer.store import Archive

    started = time.perf_counter()
    files = write_bulletins(home / "incoming", count, seed=11)
    report = Archive().import_files(files)
    imported = time.perf_counter()
    SearchIndex().sync(Archive())
    print(
        f"archive: {len(report.imported)} bulletins imported in {imported - started:.1f} s, "
        f"indexed in {time.perf_counter() - imported:.1f} s"
    )


def bench_keystrokes(count: int, home: Path | None) -> None:
    """``home``: reuse an archive prepared by an earlier run (it is made when missing)."""
    home = home or Path(tempfile.mkdtemp(prefix="bench-keys-"))
    os.environ["BULLETIN_VIEWER_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not (home / "data" / "archive").is_dir():
        _prepare_archive(home, count)

    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from viewer import paths
    from viewer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow(QSettings(str(paths.settings_path()), QSettings.Format.IniFormat))
    window.show()
    loop = QEventLoop()
    window.index_ready.connect(loop.quit)
    QTimer.singleShot(0, window.start)
    loop.exec()
    panel = window.search_panel
    started = time.perf_counter()
    window.search_index().search("疫情", limit=1)  # the first search after start warms caches
    print(f"first search after start (warm-up, not counted): {(time.perf_counter() - started) * 1000:.0f} ms")

    class Probe(QObject):
        """Ends the wait once the results for ``text`` have arrived and then been painted."""

        def __init__(self) -> None:
            super().__init__()
            self.text = ""
            self.outcome = None
            self.loop: QEventLoop | None = None
            self.finished_at = 0.0

        def on_shown(self, outcome) -> None:
            if outcome.query == self.text:
                self.outcome = outcome

        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and self.outcome is not None and not self.finished_at:
                QTimer.singleShot(0, self.finish)  # after every widget of this frame has painted
            return False

        def finish(self) -> None:
            if not self.finished_at:
                self.finished_at = time.perf_counter()
                if self.loop is not None:
                    self.loop.quit()

    probe = Probe()
    window.search_shown.connect(probe.on_shown)
    panel.view.viewport().installEventFilter(probe)
    panel.message.installEventFilter(probe)

    def settle() -> None:
        while window.search.is_busy():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.005)

    words = ["疫情", "防控", "消毒", "口罩", "社区", "企业", "复工复产", "街道"]
    words += ["物资", "隔离", "防护", "商务楼宇"]
    latencies: list[float] = []
    searched: list[float] = []  # time spent in SearchIndex.search (worker thread)
    per_query: list[tuple[str, float, float]] = []
    for word in words:
        window.search_field.clear()
        settle()
        window.search_field.setFocus()
        for char in word:
            probe.text = window.search_field.text() + char
            probe.outcome, probe.finished_at = None, 0.0
            probe.loop = QEventLoop()
            QTimer.singleShot(30_000, probe.loop.quit)
            event = QInputMethodEvent()
            event.setCommitString(char)
            start = time.perf_counter()
            QApplication.sendEvent(window.search_field, event)
            if not probe.finished_at:
                probe.loop.exec()  # the program idles as it does for a user, no busy waiting
            if not probe.finished_at:
                raise RuntimeError(f"no results painted for {probe.text!r}")
            latencies.append(probe.finished_at - start)
            searched.append(probe.outcome.seconds)
            per_query.append((probe.text, latencies[-1], searched[-1]))

    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    print(
        f"keystroke to results painted, {count} bulletins, {len(latencies)} keystrokes: "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95(latencies) * 1000:.0f} ms "
        f"(target <= 100 ms), max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"  of which SearchIndex.search: p50 {statistics.median(searched) * 1000:.0f} ms, "
        f"p95 {p95(searched) * 1000:.0f} ms"
    )
    if os.environ.get("BENCH_VERBOSE"):
        for text, total, search in per_query:
            print(f"  {text:8s} {total * 1000:5.0f} ms (search {search * 1000:4.0f} ms)")
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-keys", action="store_true")
    parser.add_argument("--home", type=Path, help="keep the generated archive here and reuse it")
    args = parser.parse_args()
    if not args.skip_startup:
        bench_startup(args.runs)
    if not args.skip_keys:
        bench_keystrokes(args.count, args.home)


def test_bench_startup() -> None:  # so `make bench` (pytest tests/bench) runs it too
    sys.argv = [sys.argv[0]]
    main()


if __name__ == "__main__":
    main()
