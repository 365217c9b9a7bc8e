"""The real program against a careful tester (issue 10): it never hangs on a pipe or a
device, never prints a traceback or a catch-all error, never lets a title drive the
terminal, and refuses a bad bookmark file whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import opencc
import pytest

from tests.conftest import BUNDLED_TXT, ROOT, run_cli

#: A hang fails the test after this long instead of waiting for run_cli's two minutes.
TIMEOUT_S = 30
ESCAPES = "\x1b[31mred\x1b]0;owned\x07"


def _run(*args: str | bytes, env: dict | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """``python -m viewer ARGS`` with bytes out (arguments may be bytes: not UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=str(ROOT),
        timeout=TIMEOUT_S,
    )


def _plain(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text and "unexpected failure" not in text
    return text


# -- 1. pipes, devices, sizes ---------------------------------------------------------
def test_a_fifo_or_a_device_is_refused_at_once_by_every_command(tmp_path):
    fifo = tmp_path / "bulletin.txt"
    os.mkfifo(fifo)
    for command in (["parse"], ["import"], ["bookmarks", "import"]):
        for path, reason in (
            (fifo, "is a named pipe (FIFO), not a regular file"),
            ("/dev/zero", "is a device"),
        ):
            result = _run(*command, str(path))
            assert result.returncode == 2
            assert _plain(result.stderr).splitlines()[-1].startswith(f"error: {path} {reason}")
    assert "/dev/null is a device" in _plain(_run("parse", "/dev/null").stderr)


def test_a_document_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(200 << 20)
    result = _run("import", str(big))
    assert result.returncode == 2
    assert f"error: {big} is 200 MB; the limit is 64 MB (BULLETIN_VIEWER_MAX_MB)" in _plain(result.stderr)
    smaller = _run("parse", str(BUNDLED_TXT), env={"BULLETIN_VIEWER_MAX_MB": "0.01"})
    assert smaller.returncode == 2 and "the limit is 10.3 KB (BULLETIN_VIEWER_MAX_MB)" in _plain(
        smaller.stderr
    )


# -- 2. output that cannot be written, encodings, bytes -----------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_disk_as_stdout_is_one_plain_error():
    for args in (["list"], ["parse", str(BUNDLED_TXT), "--json"], ["--version"], ["bookmarks", "export"]):
        with open("/dev/full", "wb") as full:
            result = _run(*args, stdout=full)
        assert result.returncode == 2, args
        assert _plain(result.stderr) == "error: cannot write the output: no space left on device\n", args


def test_a_closed_stdout_is_an_error_and_a_reader_that_stops_is_a_quiet_end():
    closed = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "viewer", "list"],
        capture_output=True,
        cwd=str(ROOT),
        timeout=TIMEOUT_S,
    )
    assert closed.returncode == 2
    assert _plain(closed.stderr) == "error: cannot write the output: standard output is closed\n"
    # `| head -0`: the reader goes away before the first write (output far beyond a pipe's buffer).
    reader = subprocess.Popen(
        [sys.executable, "-m", "viewer", "parse", *[str(BUNDLED_TXT)] * 30, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(ROOT),
    )
    reader.stdout.close()
    _out, err = reader.communicate(timeout=TIMEOUT_S)
    assert reader.returncode == 0 and _plain(err) == ""


def test_an_ascii_terminal_gets_escapes_not_a_traceback():
    env = {"PYTHONIOENCODING": "ascii"}
    listed = _run("list", env=env)
    assert listed.returncode == 0 and _plain(listed.stderr) == ""
    assert listed.stdout.isascii() and "\\u5317\\u4eac" in listed.stdout.decode("ascii")  # 北京
    missing = _run("parse", "东城.txt", env=env)
    assert missing.returncode == 2 and _plain(missing.stderr) == "error: \\u4e1c\\u57ce.txt: no such file\n"


def test_arguments_that_are_not_utf8_give_results_or_plain_errors(tmp_path):
    query = _run("search", b"\xff\xfe", b"\xe9\x98\xb2\xe7\x96\xab\xff", "--json")  # …, 防疫 + a stray byte
    assert query.returncode == 0, query.stderr
    first, second = (json.loads(line) for line in query.stdout.decode("utf-8").splitlines())
    assert first["total"] == 0 and second["total"] > 0
    readable = _run("search", b"\xff\xfe")
    assert readable.returncode == 0 and readable.stdout.startswith(b"\\xff\\xfe: 0 passages")
    folder = os.fsencode(tmp_path)
    named = folder + b"/\xb1\xb1\xbe\xa9.txt"  # 北京.txt in GBK, as an old archive names it
    Path(os.fsdecode(named)).write_bytes(BUNDLED_TXT.read_bytes())
    parsed = _run("parse", named)
    assert parsed.returncode == 0 and _plain(parsed.stderr) == ""
    assert parsed.stdout.startswith(folder + b"/\\xb1\\xb1\\xbe\\xa9.txt: ")
    missing = _run("parse", folder + b"/\xff.txt")
    assert missing.returncode == 2
    assert _plain(missing.stderr) == f"error: {tmp_path}/\\xff.txt: no such file\n"
    note = _run("bookmarks", "add", "--quote", "消毒", "--note", b"\xff")
    assert note.returncode == 2 and "argument --note: the text is not valid UTF-8" in _plain(note.stderr)
    removed = _run("bookmarks", "remove", "9" * 30)
    assert removed.returncode == 2 and "no bookmark has the id" in _plain(removed.stderr)


def _bookmark(n: int, **fields) -> dict:
    return {"bulletin": "b1", "district": "东城", "paragraph": n, "quote": f"消毒{n}", **fields}


def test_a_bad_bookmark_file_is_refused_whole_with_the_reason(tmp_path):
    cases = {
        "large.json": ([_bookmark(0), _bookmark(1), _bookmark(2, id=2**63)], "bookmark 3: 'id' is too large"),
        "surrogate.json": (
            [_bookmark(0, note="\udcff")],
            "bookmark 1: 'note' holds a character that is not valid",
        ),
    }
    for name, (rows, _reason) in cases.items():
        (tmp_path / name).write_text(json.dumps(rows), encoding="ascii")
    (tmp_path / "deep.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    cases["deep.json"] = (None, "nested too deeply")
    for name, (_rows, reason) in cases.items():
        result = _run("bookmarks", "import", str(tmp_path / name))
        assert result.returncode == 2 and reason in _plain(result.stderr), name
    listed = run_cli("bookmarks", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []  # nothing half-imported


# -- 3. Big5 ------------------------------------------------------------------------------
def test_a_big5_bulletin_is_read_as_big5(tmp_path):
    # Taiwan's forms (s2tw): every one of them is in Big5 (s2t's 爲 is not).
    traditional = opencc.OpenCC("s2tw").convert(BUNDLED_TXT.read_text(encoding="utf-8"))
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    result = run_cli("parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "北京：全力打好疫情防控阻擊戰！"


# -- 4. control characters ------------------------------------------------------------------
def test_titles_quotes_and_names_never_drive_the_terminal(tmp_path):
    # A document without a title line is shown under its file name, escapes and all.
    named = tmp_path / f"{ESCAPES}.txt"
    named.write_text("各位代表：\n\n现在，我代表市人民政府，向大会报告政府工作。\n", encoding="utf-8")
    bookmarks = tmp_path / "bookmarks.json"
    bookmarks.write_text(
        json.dumps([_bookmark(0, quote=f"消毒{ESCAPES}", note=ESCAPES, title=ESCAPES, tags=[ESCAPES])]),
        encoding="utf-8",
    )
    outputs = []
    for args in (
        ["parse", str(named)],
        ["import", str(named)],
        ["list"],
        ["search", ESCAPES],
        ["bookmarks", "import", str(bookmarks)],
        ["bookmarks", "list"],
        ["list", "--json"],
        ["bookmarks", "list", "--json"],
    ):
        result = run_cli(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout, args
        outputs.append(result.stdout)
    parsed, imported, listed, searched, *_ = outputs
    for shown in (parsed, imported, listed, searched):
        assert "\\x1b[31mred\\x1b]0;owned\\x07" in shown
    assert ESCAPES in [r["title"] for r in json.loads(outputs[-2])]  # JSON keeps the data as it is
    assert json.loads(outputs[-1])[0]["note"] == ESCAPES
