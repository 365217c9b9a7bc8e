"""Smoke test of the built bundle: start it as a user would, headless, and check what it does.

    python packaging/bundle_smoke.py [dist/bulletin-viewer]      (make bundle-smoke)

Runs the frozen executable with the offscreen Qt platform and a throw-away
BULLETIN_VIEWER_HOME: --version, parse and list on the bundled bulletin (data/ found
inside the bundle), a search (the index built inside the frozen program), a window
screenshot (a PNG of real size with real content) in English and in Chinese (the
translations found inside the bundle), and checks that the unwanted Qt parts were
left out. Prints the bundle's size. Exit 1 on the first failed check.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer import __version__  # noqa: E402

TITLE = "北京：全力打好疫情防控阻击战！"
UNWANTED = re.compile(r"libQt6(Qml|Quick|WebEngine|3D|Multimedia|Pdf|Designer|Sql)")
KEPT_TRANSLATION = re.compile(r"^qt(base)?_(zh_CN|en)\.qm$")


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check_png(path: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(str(path))
    check(not image.isNull(), f"{path} is not a readable image")
    check(
        image.width() >= 400 and image.height() >= 300, f"screenshot is only {image.width()}x{image.height()}"
    )
    small = image.scaled(64, 48).convertToFormat(QImage.Format.Format_RGB32)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    check(len(colours) >= 8, f"screenshot looks blank ({len(colours)} colours)")
    return f"{image.width()}x{image.height()}, {len(colours)} colours in a 64x48 thumbnail"


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else ROOT / "dist" / "bulletin-viewer").resolve()
    exe = bundle / ("bulletin-viewer.exe" if sys.platform == "win32" else "bulletin-viewer")
    if not exe.is_file():
        print(f"error: no bundle at {bundle} (build it with: make dist)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bundle-smoke-") as tmp:
        env = dict(os.environ, BULLETIN_VIEWER_HOME=str(Path(tmp) / "home"), QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONPATH", None)

        def run(*args: str) -> subprocess.CompletedProcess:
            result = subprocess.run(
                [str(exe), *args],
                capture_output=True,
                text=True,
                encoding="utf-8",
                env=env,
                cwd=tmp,
                timeout=180,
            )
            check(
                result.returncode == 0, f"{' '.join(args)}: exit {result.returncode}\n{result.stderr[-2000:]}"
            )
            return result

        try:
            version = run("--version").stdout.strip()
            check(version == f"bulletin-viewer {__version__}", f"--version says {version!r}")
            print(f"ok  --version: {version}")

            (bundled,) = bundle.glob("**/viewer/data/beijing-districts-bulletin.txt")
            parsed = json.loads(run("parse", "--json", str(bundled)).stdout)
            check(parsed["title"] == TITLE and len(parsed["sections"]) == 12, "parse: wrong structure")
            print(f"ok  parse: {parsed['title']}, {len(parsed['sections'])} districts")

            records = json.loads(run("list", "--json").stdout)
            check([r["title"] for r in records if r["bundled"]] == [TITLE], f"list: {records!r}")
            print("ok  list: the bundled bulletin is found inside the bundle")

            found = json.loads(run("search", "疫情", "--json").stdout)
            hit = found["hits"][0]
            start, end = hit["highlights"][0]
            check(found["total"] > 0 and hit["text"][start:end] == "疫情", f"search: {found!r:.300}")
            print(f"ok  search: {found['total']} hits for 疫情 (Whoosh, rjieba, OpenCC frozen)")

            shot = Path(tmp) / "shot.png"
            run("--screenshot", str(shot))
            check(shot.is_file(), "--screenshot wrote no file")
            print(f"ok  --screenshot: {check_png(shot)}")

            # In Chinese: Qt's own catalogue and ours must be found inside the bundle.
            env.update(LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8", LANGUAGE="zh_CN")
            shot_zh = Path(tmp) / "shot-zh.png"
            missing = [
                line for line in run("--screenshot", str(shot_zh)).stderr.splitlines() if "not found" in line
            ]
            check(not missing, f"in Chinese: {missing}")
            print(f"ok  --screenshot in Chinese, translations found: {check_png(shot_zh)}")

            names = [p.name for p in bundle.rglob("*")]
            unwanted = sorted(n for n in names if UNWANTED.match(n))
            check(not unwanted, f"unwanted Qt libraries in the bundle: {unwanted}")
            translations = sorted(n for n in names if n.endswith(".qm") and n.startswith("qt"))
            check(all(KEPT_TRANSLATION.match(n) for n in translations), f"extra translations: {translations}")
            print(f"ok  Qt cut down: no QML/Quick/WebEngine/...; Qt translations {translations}")
        except SmokeFailure as failure:
            print(f"FAILED  {failure}", file=sys.stderr)
            return 1
    print(f"bundle {bundle}: {folder_size(bundle) / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
