"""Measures figures on generated bulletins (run by hand; asserts nothing on time).

.venv/bin/python tests/bench/bench_measures.py [--bulletins 1000] [--seed 7] [--repeats 5]
    [--cache DIR]

On the archive bench_search.py makes (kept under /tmp/bulletin-viewer-bench, made once):

1. ``scan`` + ``matrix`` in this process (the archive read, imports warm), without the
   scan cache: wall and CPU time, best and worst of REPEATS; a filtered ``matrix`` (one
   bulletin in two; one type), which the window's filters run;
2. the view opening, each time in a fresh process (offscreen): from creating
   ``MeasuresView`` over the loaded bulletins to the matrix shown (``matrix_changed``),
   with an empty and with a filled scan cache;
3. ``bulletin-viewer measures --json`` and ``measures`` (text), each run a fresh process,
   start to exit, with an empty cache, with the answer kept, and with only the scan cache
   (as after an import); the JSON is checked to be the
   same text as ``json.dumps(measure(...).to_dict())``.

Load average is printed: the machine is shared, so ranges are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_search import DEFAULT_CACHE, _range, cached_archive  # noqa: E402

_VIEW_CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop, QTimer
app = QApplication([])
import viewer.search  # the window has it loaded before any view opens
from viewer.store import Archive
from viewer.measures import ScanCache
from viewer.ui.tasks import TaskRunner
from viewer.ui.measures_view import MeasuresView
bulletins = Archive(Path(sys.argv[1])).bulletins()
cache = ScanCache(Path(sys.argv[2])) if sys.argv[2] != "-" else None
runner = TaskRunner()
start = time.perf_counter()
view = MeasuresView(lambda: bulletins, runner, cache=cache)
view.resize(1200, 700)
view.show()
loop = QEventLoop()
view.matrix_changed.connect(loop.quit)
view.refresh()
QTimer.singleShot(60_000, loop.quit)
loop.exec()
app.processEvents()
shown = time.perf_counter() - start
assert view.model.rowCount() > 10, view.summary.text()
runner.shutdown()
print(shown)
"""


def _times(fn, repeats: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


def _run(argv: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=str(ROOT), capture_output=True, text=True, encoding="utf-8")
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{argv[-2:]} failed: {done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="where the generated archive is kept"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-measures-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        os.environ["BULLETIN_VIEWER_HOME"] = str(home)
        from viewer.measures import load, measure, scan
        from viewer.store import Archive

        archive_root, _made, _fresh = cached_archive(args.bulletins, args.seed, args.cache)
        (home / "data").mkdir(parents=True)
        (home / "data" / "archive").symlink_to(archive_root)
        bulletins = Archive(archive_root).bulletins()
        types = load()
        passages = sum(1 for b in bulletins for _ in b.passages())
        print(
            f"measures: {len(bulletins)} bulletins, {passages:,} passages, {len(types)} types; "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )

        # 1. In this process.
        walls, cpus, found = _times(lambda: scan(bulletins, types), args.repeats)
        print(f"  scan (no cache), in process:   wall {_range(walls)} s, cpu {_range(cpus)} s")
        walls, cpus, matrix = _times(found.matrix, args.repeats)
        print(f"  matrix of the scan:            wall {_range(walls)} s, cpu {_range(cpus)} s")
        half = [b.id for b in bulletins[::2]]
        walls, _cpus, _ = _times(lambda: found.matrix(half, ["disinfection"]), args.repeats)
        print(f"  matrix, filtered (filters):    wall {_range(walls)} s")
        from viewer.measures.matrix import _FIGURES

        def all_figures():
            _FIGURES.clear()
            return sum(len(c.figures) for c in matrix.cells.values())

        walls, cpus, count = _times(all_figures, max(2, args.repeats // 2))
        print(f"  figures of every cell ({count:,}): wall {_range(walls)} s, cpu {_range(cpus)} s")

        # 2. The view, each time in a new process.
        scan_cache = tmp / "view-scan.json"
        cold, warm = [], []
        for _ in range(args.repeats):
            scan_cache.unlink(missing_ok=True)
            argv = [sys.executable, "-c", _VIEW_CHILD, str(archive_root), str(scan_cache)]
            cold.append(float(_run(argv, env)[1].split()[-1]))
            warm.append(float(_run(argv, env)[1].split()[-1]))
        print(f"  view open to matrix shown:     empty cache {_range(cold)} s, filled cache {_range(warm)} s")

        # 3. The command line.
        cache_dir = home / "cache"
        argv = [sys.executable, "-m", "viewer", "measures", "--json"]
        expected = json.dumps(measure(bulletins, types).to_dict(), ensure_ascii=False) + "\n"
        cold, warm, scanned, text_cold, text_warm = [], [], [], [], []
        for _ in range(args.repeats):
            shutil.rmtree(cache_dir, ignore_errors=True)
            elapsed, out = _run(argv, env)
            cold.append(elapsed)
            assert out == expected, "the command's JSON differs from measure().to_dict()"
            elapsed, out = _run(argv, env)
            warm.append(elapsed)
            assert out == expected, "the command's JSON (the kept answer) differs"
            for kept in (cache_dir / "measures").glob("answer-*.txt"):
                kept.unlink()  # as after an import: the scan cache holds the bulletins, no answer
            elapsed, out = _run(argv, env)
            scanned.append(elapsed)
            assert out == expected, "the command's JSON (from the scan cache) differs"
            shutil.rmtree(cache_dir, ignore_errors=True)
            text_cold.append(_run(argv[:-1], env)[0])
            text_warm.append(_run(argv[:-1], env)[0])
        size = len(expected.encode("utf-8")) / 1e6
        print(
            f"  `measures --json` ({size:.1f} MB): "
            f"empty cache {_range(cold)} s, answer kept {_range(warm)} s, "
            f"scan cache only (the archive changed) {_range(scanned)} s"
        )
        print(
            f"  `measures` (text):             "
            f"empty cache {_range(text_cold)} s, filled cache {_range(text_warm)} s"
        )
        print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
