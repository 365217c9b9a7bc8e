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


# -- 5. homes that cannot be written, do not exist yet, or hold odd files --------------------
def _filled_home(home: Path, tmp_path: Path) -> dict[str, bytes]:
    """``home`` with two imported bulletins, an index that is up to date and a bookmark; the
    output of the read commands there, to compare with."""
    from tests.conftest import write_bulletins

    env = {"BULLETIN_VIEWER_HOME": str(home)}
    files = write_bulletins(tmp_path / "in", 2)
    assert _run("import", *map(str, files), env=env).returncode == 0
    added = _run("bookmarks", "add", "--quote", "织密基层防控网络", env=env)
    assert added.returncode == 0, added.stderr
    return {name: _run(*args, env=env).stdout for name, args in _READS.items()}


_READS = {
    "list": ("list", "--json"),
    "search": ("search", "消毒", "--json", "--limit", "0"),
    "bookmarks": ("bookmarks", "list", "--json"),
}


def _read_only(home: Path) -> list[str] | None:
    """A prefix that runs a command with ``home`` read-only: as a user, by taking the write
    permission away (done here); as root (who writes anyway), in a mount namespace of its own
    where ``home`` is a read-only bind mount. None where neither can be had."""
    if os.geteuid() != 0:
        for folder, dirs, files in os.walk(home):
            for name in files + dirs:
                Path(folder, name).chmod(Path(folder, name).stat().st_mode & ~0o222)
        home.chmod(home.stat().st_mode & ~0o222)
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, str(home)]
    try:
        probe = subprocess.run(
            [*prefix, "touch", str(home / "probe")], capture_output=True, timeout=TIMEOUT_S
        )
    except OSError:  # no unshare
        return None
    if probe.returncode == 0 or b"Read-only file system" not in probe.stderr:
        (home / "probe").unlink(missing_ok=True)
        return None
    return prefix


def _writable_again(home: Path) -> None:
    if os.geteuid() != 0:
        for folder, dirs, _files in os.walk(home):
            Path(folder).chmod(0o755)
            for name in dirs:
                Path(folder, name).chmod(0o755)


def test_a_read_only_home_reads_what_is_there_and_refuses_writes_naming_the_folder(tmp_path):
    home = tmp_path / "home"
    before = _filled_home(home, tmp_path)
    prefix = _read_only(home)
    if prefix is None:
        pytest.skip("no way to make a read-only folder here (root without mount namespaces)")
    try:

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "viewer", *args],
                capture_output=True,
                env={**os.environ, "BULLETIN_VIEWER_HOME": str(home)},
                cwd=str(ROOT),
                timeout=TIMEOUT_S,
            )

        for name, args in _READS.items():
            result = run(*args)
            assert result.returncode == 0 and _plain(result.stderr) == "", (name, result.stderr)
            assert result.stdout == before[name], name
        measures = run("measures", "--json")  # reads the lexicon from the settings folder, if any
        assert measures.returncode == 0, measures.stderr
        refused = "read-only file system" if prefix else "permission denied"
        (extra,) = write_bulletins_elsewhere(tmp_path)
        imported = run("import", str(extra))
        assert imported.returncode == 2
        assert f"error: cannot write to {home / 'data' / 'archive'}: {refused}" in _plain(imported.stderr)
        bundled = next(r["id"] for r in json.loads(before["list"]) if r["bundled"])
        bookmarked = run("bookmarks", "add", "--quote", "出台16项措施打好疫情防控战", "--bulletin", bundled)
        assert bookmarked.returncode == 2
        assert f"cannot write to {home / 'data'}: {refused}" in _plain(bookmarked.stderr)
    finally:
        _writable_again(home)


def write_bulletins_elsewhere(tmp_path: Path) -> list[Path]:
    from tests.conftest import write_bulletins

    return write_bulletins(tmp_path / "more", 1, seed=7)


def test_a_home_that_does_not_exist_yet_or_cannot_be_made_reads_the_bundled_bulletin(tmp_path):
    missing = tmp_path / "not-yet" / "home"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    for home in (missing, blocked):
        env = {"BULLETIN_VIEWER_HOME": str(home)}
        listed = _run("list", "--json", env=env)
        assert listed.returncode == 0 and _plain(listed.stderr) == ""
        assert [r["bundled"] for r in json.loads(listed.stdout)] == [True]
        marks = _run("bookmarks", "list", env=env)
        assert marks.returncode == 0 and marks.stdout == b"no bookmarks yet\n"
        if home == missing:
            assert not missing.parent.exists()  # reading made nothing
        searched = _run("search", "消毒", "--json", env=env)
        assert searched.returncode == 0, searched.stderr
        assert json.loads(searched.stdout)["total"] > 0
    assert f"cannot write the search index in {blocked}/cache/index" in _plain(searched.stderr)
    imported = _run("import", str(BUNDLED_TXT), env={"BULLETIN_VIEWER_HOME": str(blocked)})
    assert imported.returncode == 0  # already there: bundled
    (extra,) = write_bulletins_elsewhere(tmp_path)
    imported = _run("import", str(extra), env={"BULLETIN_VIEWER_HOME": str(blocked)})
    assert imported.returncode == 2
    assert f"error: cannot write to {blocked}/data/archive: {blocked} is a file, not a folder" in _plain(
        imported.stderr
    )


def test_pipes_and_folders_in_the_archive_and_index_folders_hang_nothing(tmp_path):
    home = tmp_path / "home"
    before = _filled_home(home, tmp_path)
    archive, index = home / "data" / "archive", home / "cache" / "index"
    imported = sorted(p.stem for p in archive.glob("*.json"))
    os.mkfifo(archive / "0123456789abcdef.json")  # named like an entry
    (archive / "fedcba9876543210.json").mkdir()
    os.mkfifo(archive / f"{imported[0]}.extracted.txt")
    os.mkfifo(archive / "notes.json")  # not named like an entry: never opened
    os.mkfifo(index / "_MAIN_99.toc")  # a table of contents newer than any
    os.mkfifo(index / "viewer-index.damaged")
    (index / "MAIN_0000000000000000.seg").mkdir()
    for name, args in _READS.items():
        result = _run(*args, env={"BULLETIN_VIEWER_HOME": str(home)})
        assert result.returncode == 0, (name, result.stderr)
        assert result.stdout == before[name], name
        stderr = _plain(result.stderr)
        for odd, reason in (
            ("0123456789abcdef.json", "it is a named pipe (FIFO), not a regular file"),
            ("fedcba9876543210.json", "it is a folder, not a file"),
        ):
            assert stderr.count(f"skipping archive entry {odd}: {reason}") == 1, (name, stderr)
        assert "notes.json" not in stderr and ".extracted.txt" not in stderr
    # The index was rebuilt once (what lay in its folder went with the damaged index).
    assert not [p for p in index.iterdir() if not p.is_file()]
    assert (archive / "notes.json").exists()  # the archive folder is the user's: left as it is
    os.mkfifo(index / "viewer-index.damaged")  # and the window starts on all of it
    shot = tmp_path / "shot.png"
    window = _run(
        "--screenshot",
        str(shot),
        "--search",
        "消毒",
        env={"BULLETIN_VIEWER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert window.returncode == 0, window.stderr
    assert shot.stat().st_size > 0
    assert _plain(window.stderr).count("skipping archive entry 0123456789abcdef.json") == 1


def test_a_pipe_in_place_of_the_index_metadata_hangs_nothing(tmp_path):
    home = tmp_path / "home"
    before = _filled_home(home, tmp_path)
    meta = home / "cache" / "index" / "viewer-index.json"
    meta.unlink()
    os.mkfifo(meta)
    result = _run(*_READS["search"], env={"BULLETIN_VIEWER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == before["search"]


def test_bookmark_rows_with_bad_bytes_do_not_block_list_or_export(tmp_path, viewer_home):
    import contextlib
    import sqlite3

    for quote in ("出台16项措施打好疫情防控战", "加强平房院落社区消毒工作", "智慧家医远程服务10万居民"):
        added = run_cli("bookmarks", "add", "--quote", quote)
        assert added.returncode == 0, added.stderr
    with contextlib.closing(sqlite3.connect(viewer_home / "data" / "bookmarks.sqlite3")) as conn:
        conn.execute("UPDATE bookmarks SET note = CAST(x'ff' AS TEXT) || note WHERE id = 1")  # not UTF-8
        conn.execute("UPDATE bookmarks SET paragraph = 'x' WHERE id = 2")  # cannot be placed at all
        conn.commit()
    listed = _run("bookmarks", "list", "--json")
    assert listed.returncode == 0
    assert [(b["id"], b["note"]) for b in json.loads(listed.stdout)] == [(1, "\ufffd"), (3, "")]
    stderr = _plain(listed.stderr)
    assert stderr.count("bookmark 1 is damaged (its note is not valid UTF-8)") == 1
    assert stderr.count("bookmark 2 cannot be read and is left out: its paragraph is 'x'") == 1
    exported = _run("bookmarks", "export", "--format", "csv")
    assert exported.returncode == 0
    assert len(exported.stdout.decode("utf-8-sig").splitlines()) == 3  # a header and two rows
