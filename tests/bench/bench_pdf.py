"""PDF reading speed and memory on the real text PDFs and a generated 26-page two-column PDF
(run by hand; prints figures, asserts nothing on time).

QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_pdf.py [--repeat 3]

Each document is read in a fresh subprocess so that peak memory (ru_maxrss, which
includes pdfium's own allocations) belongs to that one read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / ".." / "shared" / "corpus" / "real"
DOCUMENTS = ["08_beijing_gov_work_report_2024.pdf", "02_kongzhi_yu_juece_2024_2col_cnki.pdf"]

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from viewer.formats import pdf
data = open({path!r}, "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import pypdfium2  # the import is not the read
runs = []
for _ in range({repeat}):
    start = time.perf_counter()
    extracted = pdf.read(data)
    runs.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"pages": extracted.pages, "lines": len(extracted.lines), "best": min(runs),
                  "peak_mb": peak / 1024, "delta_mb": (peak - base) / 1024}}))
"""


def _generated(path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tests" / "corpus" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    made = module.make_pdf(columns=2, sections=70, seed=7)
    path.write_bytes(made.data)
    del app


def _measure(path: Path, repeat: int) -> dict:
    code = _CHILD.format(root=str(ROOT), path=str(path), repeat=repeat)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated-2col.pdf"
        _generated(generated)
        paths = [REAL / name for name in DOCUMENTS if (REAL / name).exists()] + [generated]
        for path in paths:
            r = _measure(path, args.repeat)
            print(
                f"{path.name:45s} {r['pages']:3d} pages {r['lines']:5d} lines  "
                f"{r['best']:.3f} s  {r['pages'] / r['best']:6.1f} pages/s  "
                f"{1000 * r['best'] / r['pages']:5.1f} ms/page  peak RSS {r['peak_mb']:.0f} MB "
                f"(+{r['delta_mb']:.0f} MB while reading)"
            )


if __name__ == "__main__":
    main()
