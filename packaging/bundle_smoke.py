"""Smoke test of the built bundle: start it as a user would, headless, and check what it does.

    python packaging/bundle_smoke.py [dist/bulletin-viewer]      (make bundle-smoke)

Runs the frozen executable with the offscreen Qt platform and a throw-away
BULLETIN_VIEWER_HOME: --version, parse and list on the bundled bulletin (data/ found
inside the bundle), a search (the index built inside the frozen program), a window
screenshot (a PNG of real size with real content) in English and in Chinese (the
translations found inside the bundle), and checks that the unwanted Qt parts were
left out.

Then the document formats, whose libraries the readers import only when a file is
read: a two-column PDF (tests/corpus/make_pdf.py, pdfium), a Word file, a web page
and a Markdown file (tests/corpus/make_documents.py: python-docx, lxml, markdown-it),
generated here in the temporary folder, are parsed by the frozen program; the PDF and
the Word file are imported and then found by ``list`` and ``search``; a scanned PDF
is refused with exit 2 and the reader's own reason. Prints the bundle's size, what the
format libraries take of it, and how long the smoke test took. Exit 1 on the first
failed check.

Run it with the development venv's Python (make bundle-smoke): the generators need
PySide6 and python-docx, and the PDF generator the font Noto Sans CJK SC.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer import __version__  # noqa: E402
from viewer.formats.pdf import SCAN  # noqa: E402  (the reason a scan is refused; no pdfium needed)

TITLE = "北京：全力打好疫情防控阻击战！"
UNWANTED = re.compile(r"libQt6(Qml|Quick|WebEngine|3D|Multimedia|Pdf|Designer|Sql)")
KEPT_TRANSLATION = re.compile(r"^qt(base)?_(zh_CN|en)\.qm$")
#: lxml parts the spec leaves out (only etree and html are used).
UNWANTED_LXML = re.compile(r"^(objectify|sax|builder|diff|_difflib)\.[^/]*\.(so|pyd)$|^isoschematron$")
#: A phrase of a document to search for: a whole clause, of Chinese characters only.
CLAUSE = re.compile(r"(?:^|(?<=[，。；：、]))[\u4e00-\u9fff]{4,16}(?=[，。；：、]|$)")


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


_QT_APP = None


def qt_app() -> None:
    """One QGuiApplication for this process (image checks, the PDF generator), kept alive."""
    global _QT_APP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _QT_APP = QGuiApplication.instance() or QGuiApplication([])


def check_png(path: Path) -> str:
    from PySide6.QtGui import QImage

    qt_app()
    image = QImage(str(path))
    check(not image.isNull(), f"{path} is not a readable image")
    check(
        image.width() >= 400 and image.height() >= 300, f"screenshot is only {image.width()}x{image.height()}"
    )
    small = image.scaled(64, 48).convertToFormat(QImage.Format.Format_RGB32)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    check(len(colours) >= 8, f"screenshot looks blank ({len(colours)} colours)")
    return f"{image.width()}x{image.height()}, {len(colours)} colours in a 64x48 thumbnail"


def _load_generator(name: str):
    """tests/corpus/<name>.py as a module (by path, as the tests load it)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "corpus" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@dataclass
class Document:
    path: Path
    phrase: str  # to search for once imported (empty: not imported)


def first_clause(paragraphs: list[str]) -> str:
    for text in paragraphs:
        match = CLAUSE.search(text)
        if match:
            return match.group()
    raise SmokeFailure(f"no phrase to search for in {paragraphs[:2]!r}")


def make_documents(folder: Path) -> tuple[dict[str, Document], Path]:
    """The format fixtures, written to ``folder``: {kind: Document}, and a scanned PDF."""
    qt_app()
    from PySide6.QtGui import QFontDatabase

    pdfs = _load_generator("make_pdf")
    docs = _load_generator("make_documents")
    check(
        pdfs.FONT_FAMILY in QFontDatabase.families(),
        f"the PDF generator needs the font {pdfs.FONT_FAMILY} (fonts-noto-cjk)",
    )
    folder.mkdir()
    made = pdfs.make_pdf(columns=2, sections=3, seed=1)
    check(made.pages >= 2 and bool(made.across_column), "make_pdf: no paragraph runs across a column")
    # The phrase from the paragraph that runs on from the first column into the second.
    body = [made.paragraphs[i] for i in made.across_column] + made.paragraphs[2:]
    sample = docs.SAMPLE
    texts = [p for section in sample["sections"] for p in section["paragraphs"]]
    files = {
        "pdf": ("two-column.pdf", made.data, first_clause(body)),
        "docx": ("notice.docx", docs.render_docx(sample), first_clause(texts)),
        "html": ("notice.html", docs.render_html(sample), ""),
        "md": ("notice.md", docs.render_md(sample), ""),
    }
    out = {}
    for kind, (name, data, phrase) in files.items():
        (folder / name).write_bytes(data)
        out[kind] = Document(folder / name, phrase)
    scan = folder / "scan.pdf"
    scan.write_bytes(pdfs.make_scan())
    return out, scan


def check_structure(kind: str, parsed: dict) -> str:
    check(bool(parsed.get("title", "").strip()), f"parse {kind}: no title: {parsed!r:.300}")
    sections, lead = parsed.get("sections", []), parsed.get("lead", [])
    check(bool(sections or lead), f"parse {kind}: neither sections nor lead: {parsed!r:.300}")
    paragraphs = len(lead) + sum(len(s["paragraphs"]) for s in sections)
    return f"{parsed['title'][:24]}, {len(sections)} sections, {paragraphs} paragraphs"


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def package_folder(bundle: Path, name: str) -> Path:
    folders = [p for p in bundle.rglob(name) if p.is_dir()]
    check(len(folders) == 1, f"{name} folders in the bundle: {folders}")
    return folders[0]


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else ROOT / "dist" / "bulletin-viewer").resolve()
    exe = bundle / ("bulletin-viewer.exe" if sys.platform == "win32" else "bulletin-viewer")
    if not exe.is_file():
        print(f"error: no bundle at {bundle} (build it with: make dist)", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bundle-smoke-") as tmp:
        env = dict(os.environ, BULLETIN_VIEWER_HOME=str(Path(tmp) / "home"), QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONPATH", None)

        def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess:
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
                result.returncode == expect,
                f"{' '.join(args)}: exit {result.returncode}, not {expect}\n{result.stderr[-2000:]}",
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

            # A query cut into words: rjieba's engine with the words file, not its whole dictionary.
            worded = run("-v", "search", "机关干部下沉", "--json")
            words = {
                tuple(hit["text"][a:b] for a, b in hit["highlights"])
                for hit in json.loads(worded.stdout)["hits"]
            }
            check(
                "whole word dictionary" not in worded.stderr, f"segmenter fell back: {worded.stderr[-500:]}"
            )
            check(any("干部" in w for w in words), f"search 机关干部下沉: {words!r:.300}")
            print("ok  search 机关干部下沉: cut with the words file (no whole dictionary loaded)")

            shot = Path(tmp) / "shot.png"
            run("--screenshot", str(shot))
            check(shot.is_file(), "--screenshot wrote no file")
            print(f"ok  --screenshot: {check_png(shot)}")

            # In Chinese: Qt's own catalogue and ours must be found inside the bundle.
            plain_env = dict(env)
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

            formats_started = time.monotonic()
            env.clear()
            env.update(plain_env)  # the rest in the caller's language again
            documents, scan = make_documents(Path(tmp) / "documents")
            print(
                f"ok  documents generated in {time.monotonic() - formats_started:.1f} s: {sorted(documents)}"
            )
            for kind, doc in documents.items():
                parsed = json.loads(run("parse", "--json", str(doc.path)).stdout)
                print(f"ok  parse {kind}: {check_structure(kind, parsed)}")

            imported = {}
            for kind in ("pdf", "docx"):
                path = documents[kind].path
                out = run("import", str(path)).stdout
                check("1 imported" in out, f"import {path.name}: {out!r}")
                imported[kind] = path.name
            records = {r["source"]: r for r in json.loads(run("list", "--json").stdout)}
            for name in imported.values():
                record = records.get(name)
                check(record is not None, f"list: {name} is not in the archive: {sorted(records)}")
                check(bool(record["title"]) and record["chars"] > 0, f"list: {record!r}")
            print(f"ok  import + list: {', '.join(imported.values())} in the archive")

            phrases = {kind: documents[kind].phrase for kind in imported}
            results = [
                json.loads(line) for line in run("search", *phrases.values(), "--json").stdout.splitlines()
            ]
            check(len(results) == len(phrases), f"search: {len(results)} results for {len(phrases)} queries")
            for (kind, phrase), found in zip(phrases.items(), results, strict=True):
                wanted = records[imported[kind]]["id"]
                hits = [h for h in found["hits"] if h["bulletin"] == wanted and phrase in h["text"]]
                check(bool(hits), f"search {phrase}: not found in the imported {kind}: {found!r:.300}")
                print(f"ok  search {phrase}: {len(hits)} hits in the imported {kind}")

            for command in ("parse", "import"):
                refused = run(command, str(scan), expect=2)
                check(SCAN in refused.stderr, f"{command} scan.pdf: {refused.stderr.strip()!r}")
            sources = {r["source"] for r in json.loads(run("list", "--json").stdout)}
            check(scan.name not in sources, "the scan went into the archive")
            print(f"ok  scan.pdf refused (exit 2): {SCAN}")

            lxml = package_folder(bundle, "lxml")
            cut = sorted(p.name for p in lxml.rglob("*") if UNWANTED_LXML.match(p.name))
            check(not cut, f"unused lxml parts in the bundle: {cut}")
            docx_folder = package_folder(bundle, "docx")
            check(
                not (docx_folder / "templates" / "default-docx-template").exists(),
                "python-docx's unpacked default-docx-template/ is in the bundle",
            )
            pdfium = [p for p in package_folder(bundle, "pypdfium2_raw").iterdir() if "pdfium" in p.name]
            check(len(pdfium) == 1, f"pdfium libraries in the bundle: {pdfium}")
            sizes = {
                "pdfium": pdfium[0].stat().st_size,
                "lxml": folder_size(lxml),
                "python-docx": folder_size(docx_folder),
            }
            print(
                f"ok  formats checked in {time.monotonic() - formats_started:.1f} s; in the bundle "
                + ", ".join(f"{name} {mib(size)}" for name, size in sizes.items())
            )
        except SmokeFailure as failure:
            print(f"FAILED  {failure}", file=sys.stderr)
            return 1
    took = time.monotonic() - started
    print(f"bundle {bundle}: {folder_size(bundle) / 2**20:.0f} MiB; smoke test {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
