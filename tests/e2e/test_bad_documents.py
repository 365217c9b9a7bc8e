"""Files that are not what they claim: the command line says why in one line, exits 2 and
stores nothing (the archive holds only the bundled bulletin afterwards)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from tests.conftest import run_cli
from viewer.store import Archive


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, qapp):
    """A two-column PDF of known text and a scan, made by the test generator."""
    from tests.corpus.make_pdf import make_pdf, make_scan

    return make_pdf(columns=2, sections=2, seed=3).data, make_scan(1)


def _junk_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "这不是一个Word文件")
    return out.getvalue()


def _bad_files(tmp_path, pdfs) -> dict[str, tuple[bytes, str]]:
    good, scan = pdfs
    html = b"<html><body><p>" + "大".encode() * (50 * 1024 * 1024 // 3) + b"</p></body></html>"
    files = {
        "scan.pdf": (scan, "no text layer"),
        "truncated.pdf": (good[: len(good) // 2], "damaged"),
        "not-a-pdf.pdf": (b"%PDF-1.7\n" + b"\x00garbage" * 100, "damaged"),
        "junk.docx": (_junk_docx(), "not a Word document"),
        "broken.docx": (b"PK\x03\x04" + b"\x13" * 300, "damaged"),
        "huge.html": (html, "too large"),
        "old.doc": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le"),
            ".docx",
        ),
    }
    if shutil.which("qpdf"):
        plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
        plain.write_bytes(good)
        subprocess.run(
            ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(plain), str(locked)],
            check=True,
            timeout=60,
        )
        files["locked.pdf"] = (locked.read_bytes(), "password")
    return files


def test_each_bad_document_is_refused_plainly_and_nothing_is_stored(viewer_home, tmp_path, pdfs):
    for name, (data, reason) in _bad_files(tmp_path, pdfs).items():
        path = tmp_path / name
        path.write_bytes(data)
        for command in ("parse", "import"):
            result = run_cli(command, str(path))
            assert result.returncode == 2, (name, command, result.stdout)
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1 and reason in errors[0], (name, result.stderr)
            assert name in errors[0] and "Traceback" not in result.stderr
    archive = Archive()
    assert [r for r in archive.records() if not r.bundled] == []
    left = sorted(p.name for p in archive.root.iterdir()) if archive.root.exists() else []
    assert left == []  # no half-written files either (a refused import makes no folder)


def test_a_good_two_column_pdf_imports_next_to_a_bad_one(viewer_home, tmp_path, pdfs):
    good, scan = pdfs
    (tmp_path / "good.pdf").write_bytes(good)
    (tmp_path / "scan.pdf").write_bytes(scan)
    result = run_cli("import", str(tmp_path / "good.pdf"), str(tmp_path / "scan.pdf"))
    assert result.returncode == 2
    assert "1 imported, 0 already present, 1 failed" in result.stdout
    (record,) = [r for r in Archive().records() if not r.bundled]
    assert record.kind == "pdf" and record.source_name == "good.pdf"
