"""Hostile input (issue 10), without Qt: files that are not regular files or are too large,
bytes in an encoding that cannot be told, tiny junk, control characters meant for the
terminal, queries no text can hold, bookmark exports of any shape."""

from __future__ import annotations

import concurrent.futures
import json
import os
import random
import socket
import tempfile
import unicodedata
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BUNDLED_TXT, ROOT
from viewer.cli import readable
from viewer.model import Bookmark, ParseError, decode_text
from viewer.search.highlight import spans_for
from viewer.search.query import parse_query
from viewer.store import ArchiveError, BookmarkError, BookmarkStore, sources
from viewer.store.bookmark_export import MAX_NUMBER, parse_import
from viewer.store.sources import MAX_MB_ENV, MB, read_source

REAL = Path("/work/shared/corpus/real")
if not REAL.is_dir():  # a checkout elsewhere keeps the shared corpus beside it
    REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_TEXTS = sorted([*REAL.glob("*.txt"), *REAL.glob("*.md")])
_S2T = opencc.OpenCC("s2t")


def _within(seconds: float, function, *args):
    """``function(*args)``, failing the test (instead of hanging it) after ``seconds``."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(function, *args).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def _refusal(path) -> str:
    with pytest.raises(ArchiveError) as caught:
        _within(10, read_source, path)
    return str(caught.value)


# -- 1. only regular files, of bounded size -------------------------------------------
def test_pipes_devices_sockets_and_folders_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _refusal(fifo) == f"{fifo} is a named pipe (FIFO), not a regular file"
    assert _refusal("/dev/zero") == "/dev/zero is a device, not a regular file"
    assert _refusal("/dev/null") == "/dev/null is a device, not a regular file"
    assert _refusal(tmp_path) == f"{tmp_path} is a folder, not a file"
    sock_path = Path(tempfile.mkdtemp(dir="/tmp")) / "s"  # short: AF_UNIX paths are limited
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        assert _refusal(sock_path) == f"{sock_path} is a socket, not a regular file"
    assert "no such file" in _refusal(tmp_path / "missing.txt")


def test_a_file_swapped_for_a_pipe_after_the_check_does_not_hang(tmp_path, monkeypatch):
    regular, fifo = tmp_path / "plain.txt", tmp_path / "pipe.txt"
    regular.write_text("东城：消毒", encoding="utf-8")
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(sources.os, "stat", lambda path, *a, **k: real_stat(regular))  # the check lies
    assert _refusal(fifo) == f"{fifo} is a named pipe (FIFO), not a regular file"


def test_the_size_limit_is_checked_before_reading_and_can_be_changed(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(200 * MB)  # sparse: nothing is written
    assert _refusal(big) == f"{big} is 200 MB; the limit is 64 MB (BULLETIN_VIEWER_MAX_MB)"
    monkeypatch.setenv(MAX_MB_ENV, "300")
    assert len(read_source(big)) == 200 * MB
    monkeypatch.setenv(MAX_MB_ENV, "0.5")
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * (MB // 2 + 1))
    assert _refusal(small) == f"{small} is 512.1 KB; the limit is 512 KB (BULLETIN_VIEWER_MAX_MB)"
    for bad in ("lots", "0", "-3", "nan", "inf"):
        monkeypatch.setenv(MAX_MB_ENV, bad)
        assert (
            _refusal(small) == f"BULLETIN_VIEWER_MAX_MB must be a positive number of megabytes, not {bad!r}"
        )


def test_reading_stops_past_the_limit_even_when_stat_lies(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_MB_ENV, "1")
    real = tuple(os.stat(BUNDLED_TXT))
    fake = os.stat_result((*real[:6], 0, *real[7:]))  # a regular file's, but of size 0
    assert fake.st_size == 0 and fake.st_mode == os.stat(BUNDLED_TXT).st_mode
    # A "regular file" of size 0 that streams zeros without end: /dev/zero behind lying stats.
    monkeypatch.setattr(sources.os, "stat", lambda *a, **k: fake)
    monkeypatch.setattr(sources.os, "fstat", lambda *a, **k: fake)
    message = _refusal("/dev/zero")
    assert message == "/dev/zero is more than 1 MB; the limit is 1 MB (BULLETIN_VIEWER_MAX_MB)"


# -- 3. GB18030 or Big5, or refused -------------------------------------------------
def _texts() -> list[tuple[str, str]]:
    texts = [(BUNDLED_TXT.name, BUNDLED_TXT.read_text(encoding="utf-8"))]
    texts += [(p.name, p.read_text(encoding="utf-8")) for p in REAL_TEXTS]
    return texts


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[name for name, _ in _texts()])
def test_big5_and_gb18030_are_told_apart_on_real_text(name, text):
    traditional = _S2T.convert(text)
    title = next(line for line in text.splitlines() if line.strip() and not line.isascii())
    for piece, trad in ((text, traditional), (title, _S2T.convert(title))):
        assert decode_text(piece.encode("gb18030"))[1] == "gb18030"
        assert decode_text(trad.encode("gb18030"))[1] == "gb18030"  # traditional text in GB18030
        big5 = trad.encode("big5", errors="replace")
        decoded, encoding = decode_text(big5)
        assert encoding in ("big5", "cp950", "big5hkscs"), name
        assert decoded == big5.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def test_text_that_reads_as_neither_with_confidence_is_refused():
    japanese = "日本語のテキストです。これは試験のための文書です。".encode("shift_jis")
    with pytest.raises(ParseError, match="encoding cannot be told: it reads as neither GB18030 nor Big5"):
        decode_text(japanese)


def test_tiny_junk_is_refused_and_tiny_text_kept():
    for junk in (b"\x8f", b"a", b"\xc4\x16", b"ab\x05", b"\x1b[0m", b"\x81\x30\x81\x30", b"\xfe\xfe"):
        with pytest.raises(ParseError):
            decode_text(junk)
    for text in ("通知", "东城：消毒"):  # b"\xcd\xa8\xd6\xaa" is valid UTF-8 too: two stray marks
        assert decode_text(text.encode("gb18030")) == (text, "gb18030")
    for text in ("ok", "café résumé", "Привет мир"):
        assert decode_text(text.encode("utf-8")) == (text, "utf-8")


def test_random_bytes_are_rarely_taken_for_text_and_never_for_junk_text():
    rnd = random.Random(10)
    accepted = []
    for _ in range(3000):
        data = rnd.randbytes(rnd.randint(1, 16))
        try:
            accepted.append(decode_text(data)[0])
        except ParseError:
            continue
    assert len(accepted) < 0.05 * 3000  # was 30 % before issue 10
    for text in accepted:
        assert sum(c.isalpha() for c in text) >= 2
        assert not any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in text if c not in "\t\n\f\v")


# -- 4. control characters never reach the terminal ------------------------------------
def test_readable_escapes_controls_but_newline_and_tab():
    assert readable("\x1b[31m红\x1b]0;title\x07\tX\nY\r\x9b2J\x7f") == (
        "\\x1b[31m红\\x1b]0;title\\x07\tX\nY\\x0d\\x9b2J\\x7f"
    )
    assert readable("/tmp/\udcff.txt") == "/tmp/\\xff.txt"  # a byte of a non-UTF-8 file name
    assert readable("东城 · 第1段") == "东城 · 第1段"


def test_json_already_encoded_is_escaped_as_emit_json_escapes_it(capsys):
    from viewer.cli_output import emit_json, emit_json_text

    obj = {"t": "红\x9b2J\x7f\x1b"}
    emit_json(obj)
    emit_json_text(json.dumps(obj, ensure_ascii=False))  # as ``measures --json`` writes its text
    first, second = capsys.readouterr().out.splitlines()
    assert first == second == '{"t": "红\\u009b2J\\u007f\\u001b"}'
    assert json.loads(first) == obj


def test_log_lines_are_escaped_like_the_rest_of_the_output():
    import logging

    from viewer.cli import _ReadableFormatter

    record = logging.LogRecord("viewer.store", logging.WARNING, "", 0, "imported %s", ("\x1b[2J.txt",), None)
    assert _ReadableFormatter("%(name)s: %(message)s").format(record) == "viewer.store: imported \\x1b[2J.txt"


# -- 2. a query no text can hold --------------------------------------------------------
def test_a_query_with_lone_surrogates_parses_and_highlights():
    for query in ("\udcff", "防疫\udcff", '"防\udcff"', "-\udcff", "district:\udcff 防疫", "\ud800 OR 消毒"):
        parsed = parse_query(query, district="\udcfe")
        assert all(c < "\ud800" or c > "\udfff" for t in parsed.positive_terms() for c in t.text)
        spans_for("全力打好疫情防控阻击战", parse_query(query))


# -- 5. bookmark imports: a bookmark list, or BookmarkError -------------------------------
def _entry(**fields) -> dict:
    return {"bulletin": "b1", "district": "东城", "paragraph": 0, "quote": "消毒", **fields}


def _refused(data: bytes) -> str:
    with pytest.raises(BookmarkError) as caught:
        parse_import(data)
    return str(caught.value)


def test_bad_numbers_nesting_and_surrogates_are_refused_with_the_reason():
    three = [_entry(), _entry(quote="防疫"), _entry(id=2**63)]
    assert _refused(json.dumps(three).encode()) == "bookmark 3: 'id' is too large"
    for key in ("paragraph", "start", "section"):
        assert (
            _refused(json.dumps([_entry(**{key: MAX_NUMBER + 1})]).encode())
            == f"bookmark 1: '{key}' is too large"
        )
    assert len(parse_import(json.dumps([_entry(id=MAX_NUMBER)]).encode())) == 1
    assert "nested too deeply" in _refused(b"[" * 100_000 + b"]" * 100_000)
    assert "number too long" in _refused(b"[" + b"9" * 5000 + b"]")
    surrogate = b'[{"bulletin": "b", "district": "", "paragraph": 0, "quote": "q", "note": "\\udcff"}]'
    assert (
        _refused(surrogate)
        == "bookmark 1: 'note' holds a character that is not valid Unicode (a lone surrogate)"
    )
    tagged = json.dumps([_entry(tags=["ok", "\ud800"])]).encode()
    assert "'tags' holds a character that is not valid Unicode" in _refused(tagged)
    for version in ("null", "NaN", '"1"', "true", "0", str(10**30)):
        document = f'{{"format": "bulletin-viewer-bookmarks", "version": {version}, "bookmarks": []}}'
        assert _refused(document.encode())


_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["\udcff", "\ud800x", "\x00", "\x1b[31m", "东城", " ", ""])
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_KEYS = tuple(Bookmark(bulletin_id="b", district="", paragraph=0, quote="q").to_dict())
#: Bookmark-like objects: the right keys, each holding a valid or an arbitrary value.
_BOOKMARKISH = st.fixed_dictionaries(
    {
        "bulletin": st.sampled_from(["b1", "b2", " ", ""]) | _JSON_LEAVES,
        "district": st.sampled_from(["东城", ""]) | _JSON_LEAVES,
        "paragraph": st.integers(-3, 5) | _JSON_LEAVES,
        "quote": st.text(max_size=8) | _JSON_LEAVES,
    },
    optional={key: _JSON for key in _KEYS if key not in ("bulletin", "quote", "district", "paragraph")},
)
_DOCUMENTS = (
    st.lists(_BOOKMARKISH, max_size=4)
    | st.fixed_dictionaries(
        {
            "format": st.just("bulletin-viewer-bookmarks") | _JSON_LEAVES,
            "bookmarks": st.lists(_BOOKMARKISH, max_size=3),
        },
        optional={"version": st.just(1) | _JSON_LEAVES},
    )
    | _JSON
)


def _serialised(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=True, allow_nan=True).encode("utf-8")


def _check_import(data: bytes) -> list[Bookmark] | None:
    try:
        imported = parse_import(data)
    except BookmarkError as exc:
        assert str(exc).strip(), "a refusal says why"
        return None
    assert isinstance(imported, list) and all(isinstance(b, Bookmark) for b in imported)
    return imported


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | _DOCUMENTS.map(_serialised))
def test_any_bytes_import_or_are_refused_with_a_bookmark_error(data):
    _check_import(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BOOKMARKISH, min_size=1, max_size=4).map(_serialised))
def test_what_an_import_accepts_a_store_can_keep(data):
    imported = _check_import(data)
    if not imported:
        return
    with tempfile.TemporaryDirectory() as folder:
        store = BookmarkStore(Path(folder) / "bookmarks.sqlite3")
        try:
            report = store.merge(imported)
            assert len(report.added) + len(report.duplicates) == len(imported)
            assert len(store.list()) == len(report.added)
        finally:
            store.close()
