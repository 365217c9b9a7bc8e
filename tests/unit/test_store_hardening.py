"""The store keeps what it holds through stray files, edits, killed writes and disks that
cannot be written: a WAL that is not the bookmark file's is never applied, a damaged file is
copied before anything else, a bad archive entry is re-created or skipped (never fatal),
leftovers of killed writes are cleared, and reading works where writing cannot."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, fails_instead_of_hanging, write_bulletins
from viewer.model import Bookmark
from viewer.store import Archive, ArchiveError, BookmarkError, BookmarkStore, StoreError, atomic_write_bytes
from viewer.store import entries as entries_module
from viewer.store.atomic import STALE_AFTER_S

# -- helpers ------------------------------------------------------------------------------


def _marks(prefix: str, count: int) -> list[Bookmark]:
    return [
        Bookmark(bulletin_id="b", district="东城", paragraph=n, quote=f"{prefix}-{n}-" + "长" * 40)
        for n in range(count)
    ]


def _quotes(path: Path) -> list[str]:
    with BookmarkStore(path) as store:
        return [b.quote for b in store.list()]


_CRASH = """
import os, sys
from pathlib import Path
import viewer.store.bookmark_schema as schema
from viewer.model import Bookmark
from viewer.store.bookmarks import BookmarkStore
path, prefix = Path(sys.argv[1]), sys.argv[2]
count, checkpoint_at, legacy = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
if legacy:  # the program as it was before store_state (schema 2)
    schema.MIGRATIONS, schema.SCHEMA_VERSION, schema.STAMP = schema.MIGRATIONS[:2], 2, "SELECT 1"
store = BookmarkStore(path)
for n in range(count):
    store.add(Bookmark(bulletin_id="b", district="东城", paragraph=n, quote=f"{prefix}-{n}-" + "长" * 40))
    if n == checkpoint_at:  # a checkpoint copies the WAL's transactions so far into the file
        store._connection.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
os._exit(0)  # killed: no close, so the last transactions are only in the WAL
"""


def _killed_after_adding(path: Path, prefix: str, count: int, checkpoint_at: int = -1, legacy: bool = False):
    """A process adds ``count`` bookmarks to the store at ``path`` and dies without closing it."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            _CRASH,
            str(path),
            prefix,
            str(count),
            str(checkpoint_at),
            "1" if legacy else "0",
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0  # the test is only worth something with a WAL left behind
    return wal


def _applied_by_sqlite(db: Path, wal: Path) -> list[str] | str:
    """What plain SQLite makes of ``db`` with ``wal`` beside it (on copies): the quotes, or
    the error. Shows that a test's WAL would do harm if it were applied."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copyfile(db, Path(folder) / "x.sqlite3")
        shutil.copyfile(wal, Path(folder) / "x.sqlite3-wal")
        try:
            with contextlib.closing(sqlite3.connect(Path(folder) / "x.sqlite3")) as conn:
                check = conn.execute("PRAGMA integrity_check").fetchall()
                quotes = [row[0] for row in conn.execute("SELECT quote FROM bookmarks ORDER BY id")]
        except sqlite3.Error as exc:
            return str(exc)
    return quotes if check == [("ok",)] else f"damaged: {check[0][0]}"


# -- bookmarks: a WAL not written for the file --------------------------------------------


def test_a_wal_of_another_copy_of_the_store_is_kept_aside_not_applied(tmp_path):
    """The tester's case: a restore (or a sync tool) puts the WAL of one copy of the store
    beside another copy. Both share their history, so they look alike to SQLite."""
    here, there = tmp_path / "here" / "bookmarks.sqlite3", tmp_path / "there" / "bookmarks.sqlite3"
    here.parent.mkdir()
    there.parent.mkdir()
    with BookmarkStore(here) as store:
        store.merge(_marks("old", 150))
    shutil.copyfile(here, there)  # a copy of the store: a backup, another machine
    foreign = _killed_after_adding(there, "there", 3)  # that copy goes on and dies with a WAL
    with BookmarkStore(here) as store:  # this one goes on too
        store.merge(_marks("here", 3))
    expected = _quotes(here)
    assert len(expected) == 153
    shutil.copyfile(foreign, here.with_name("bookmarks.sqlite3-wal"))
    foreign_bytes = foreign.read_bytes()
    assert _applied_by_sqlite(here, foreign) != expected  # applied, it would lose bookmarks

    with BookmarkStore(here) as store:
        assert store.foreign_wal is not None
        assert store.foreign_wal.name.startswith("bookmarks.sqlite3-wal.foreign-")
        assert store.foreign_wal.read_bytes() == foreign_bytes  # kept as it was
        assert store.recovered_from is None
        assert [b.quote for b in store.list()] == expected
        store.add(_marks("after", 1)[0])
    with BookmarkStore(here) as again:
        assert again.foreign_wal is None
        assert len(again.list()) == 154


def test_a_wal_of_another_store_altogether_is_kept_aside(tmp_path):
    here, other = tmp_path / "bookmarks.sqlite3", tmp_path / "other" / "bookmarks.sqlite3"
    other.parent.mkdir()
    with BookmarkStore(here) as store:
        store.merge(_marks("mine", 20))
    foreign = _killed_after_adding(other, "other", 5)
    shutil.copyfile(foreign, here.with_name("bookmarks.sqlite3-wal"))
    shutil.copyfile(other.with_name("bookmarks.sqlite3-shm"), here.with_name("bookmarks.sqlite3-shm"))
    with BookmarkStore(here) as store:
        assert store.foreign_wal is not None
        assert store.foreign_wal.with_name(store.foreign_wal.name.replace("-wal", "-shm")).exists()
        assert [b.quote for b in store.list()] == [b.quote for b in _marks("mine", 20)]


@pytest.mark.parametrize("checkpoint_at", [-1, 4], ids=["nothing-checkpointed", "checkpointed-half-way"])
def test_the_stores_own_wal_after_a_crash_is_applied(tmp_path, checkpoint_at):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.merge(_marks("before", 10))
    _killed_after_adding(path, "crash", 8, checkpoint_at=checkpoint_at)
    with BookmarkStore(path) as store:
        assert store.foreign_wal is None
        assert store.recovered_from is None
        quotes = [b.quote for b in store.list()]
    assert quotes == [b.quote for b in _marks("before", 10) + _marks("crash", 8)]


def test_a_fresh_stores_wal_after_a_crash_is_applied(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    _killed_after_adding(path, "first", 4)  # the file alone holds nothing yet
    with BookmarkStore(path) as store:
        assert store.foreign_wal is None
        assert len(store.list()) == 4


def test_an_older_stores_own_wal_is_applied_and_a_foreign_one_kept_aside(tmp_path):
    """A file from before store_state (schema 2) is judged by what the WAL does to it."""
    path = tmp_path / "bookmarks.sqlite3"
    _killed_after_adding(path, "old", 30, checkpoint_at=29, legacy=True)  # all in the file
    path.with_name("bookmarks.sqlite3-wal").unlink()
    legacy_copy = tmp_path / "legacy.sqlite3"
    shutil.copyfile(path, legacy_copy)
    _killed_after_adding(path, "more", 3, legacy=True)
    with BookmarkStore(path) as store:  # its own: applied (and the file migrated)
        assert store.foreign_wal is None
        assert len(store.list()) == 33
    assert _sequence_of(path) == 33

    # the same schema-2 file with the WAL of a smaller store: it would take the file back
    path.unlink()
    shutil.copyfile(legacy_copy, path)
    small = tmp_path / "small" / "bookmarks.sqlite3"
    small.parent.mkdir()
    shutil.copyfile(
        _killed_after_adding(small, "small", 2, legacy=True), path.with_name("bookmarks.sqlite3-wal")
    )
    with BookmarkStore(path) as store:
        assert store.foreign_wal is not None
        assert [b.quote for b in store.list()] == [b.quote for b in _marks("old", 30)]


def _sequence_of(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bookmarks'").fetchone()[0]


def test_a_wal_beside_no_database_is_kept_not_deleted(tmp_path):
    other = tmp_path / "other" / "bookmarks.sqlite3"
    other.parent.mkdir()
    foreign = _killed_after_adding(other, "other", 2)
    path = tmp_path / "bookmarks.sqlite3"
    shutil.copyfile(foreign, path.with_name("bookmarks.sqlite3-wal"))
    with BookmarkStore(path) as store:  # SQLite would delete it on creating the file
        assert store.foreign_wal is not None
        assert store.foreign_wal.read_bytes() == foreign.read_bytes()
        assert store.list() == []


def test_a_wal_without_a_valid_transaction_is_left_to_sqlite(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.merge(_marks("mine", 3))
    path.with_name("bookmarks.sqlite3-wal").write_bytes(os.urandom(5000))  # SQLite ignores it
    with BookmarkStore(path) as store:
        assert store.foreign_wal is None and store.recovered_from is None
        assert len(store.list()) == 3


def test_a_live_wal_of_a_running_instance_is_not_judged(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    script = (
        "import sys; from pathlib import Path; from viewer.store import BookmarkStore; "
        "from tests.unit.test_store_hardening import _marks\n"
        "store = BookmarkStore(Path(sys.argv[1])); store.merge(_marks('live', 5))\n"
        "print('ready', flush=True); sys.stdin.readline()\n"
        "store.add(_marks('later', 1)[0]); store.close()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"  # it holds the store open, WAL and all
            with BookmarkStore(path) as store:
                assert store.foreign_wal is None and store.recovered_from is None
                assert len(store.list()) == 5
                store.add(_marks("mine", 1)[0])
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.wait(timeout=60) == 0
        finally:
            if holder.poll() is None:
                holder.kill()
    assert len(_quotes(path)) == 7


def test_every_transaction_stamps_the_store(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    state = "SELECT generation, previous, nonce FROM store_state"
    with BookmarkStore(path) as store:
        first = store._connection.conn.execute(state).fetchone()
        saved = store.add(_marks("x", 1)[0])
        store.update(saved.id, note="n")
        after = store._connection.conn.execute(state).fetchone()
    assert after[0] == first[0] + 2
    assert after[2] not in (first[2], after[1])


# -- bookmarks: a damaged file is copied before anything else ------------------------------


def test_a_damaged_file_is_copied_byte_for_byte_and_a_foreign_wal_kept_too(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.merge(_marks("many", 200))
    data = bytearray(path.read_bytes())
    data[3 * 4096 : 5 * 4096] = os.urandom(2 * 4096)  # pages in the middle, header intact
    path.write_bytes(bytes(data))
    other = tmp_path / "other" / "bookmarks.sqlite3"
    other.parent.mkdir()
    shutil.copyfile(_killed_after_adding(other, "other", 2), path.with_name("bookmarks.sqlite3-wal"))
    with BookmarkStore(path) as store:
        assert store.foreign_wal is not None
        assert store.recovered_from is not None
        assert store.recovered_from.read_bytes() == bytes(data)  # never written by SQLite
        assert store.list() == []


def test_damage_is_checked_without_writing_to_the_file(tmp_path, monkeypatch):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.merge(_marks("many", 50))
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 3 * 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    opened = []
    real_connect = sqlite3.connect

    def watching(database, *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", watching)
    with BookmarkStore(path) as store:
        assert store.recovered_from is not None
    # the damaged file was opened read-only and immutable; only the fresh one read-write
    assert [d for d in opened if d == str(path)] == [str(path)]
    assert any("immutable=1" in d for d in opened)
    assert opened.index(str(path)) > max(i for i, d in enumerate(opened) if "immutable=1" in d)


# -- bookmarks: folders that cannot be written ---------------------------------------------


def _refuse_mkdir(monkeypatch, code: int = errno.EROFS) -> None:
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if not self.exists():
            raise OSError(code, os.strerror(code), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)


def test_bookmarks_in_a_home_that_cannot_be_written_read_as_empty_and_refuse_changes(
    monkeypatch, viewer_home
):
    _refuse_mkdir(monkeypatch)
    with BookmarkStore() as store:
        assert store.read_only
        assert store.list() == []
        with pytest.raises(BookmarkError, match=f"cannot write to {viewer_home}.*: read-only file system"):
            store.add(_marks("x", 1)[0])
    assert list(viewer_home.iterdir()) == []


def test_bookmarks_in_a_read_only_folder_are_read_from_the_file(tmp_path, monkeypatch):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.merge(_marks("kept", 4))
    before = path.read_bytes()
    monkeypatch.setattr(BookmarkStore, "_open_checked", _raise_cannot_open)
    monkeypatch.setattr(tempfile, "mkstemp", _raise_erofs)
    with BookmarkStore(path) as store:
        assert store.read_only
        assert [b.quote for b in store.list()] == [b.quote for b in _marks("kept", 4)]
        assert store.reanchor([]) == 4  # all orphaned here, but nothing is written
        with pytest.raises(BookmarkError, match=f"cannot write to {tmp_path}: read-only file system"):
            store.remove(1)
    assert path.read_bytes() == before


def _raise_cannot_open(self):
    raise BookmarkError(f"the bookmark file {self.path} cannot be opened")


def _raise_erofs(*_args, **_kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


# -- archive: entries of the wrong shape, edited, stale ------------------------------------


@pytest.fixture
def two_imported(tmp_path):
    files = write_bulletins(tmp_path / "in", 2)
    archive = Archive()
    return archive, [archive.import_file(f) for f in files]


def _meta_path(archive: Archive, record) -> Path:
    return archive.root / f"{record.id}.json"


def test_import_records_checksums_of_the_original_and_of_the_parse(two_imported):
    archive, (first, _second) = two_imported
    raw = _meta_path(archive, first).read_bytes()
    meta = json.loads(raw)
    assert meta["format"] == 3
    original = (archive.root / meta["original"]).read_bytes()
    assert meta["original_sha256"] == hashlib.sha256(original).hexdigest()
    payload = raw[raw.rindex(b'"bulletin": ') + len(b'"bulletin": ') : -1]
    assert json.loads(payload) == meta["bulletin"]
    assert meta["bulletin_sha256"] == hashlib.sha256(payload).hexdigest()


BAD_SHAPES = {
    "list": "[]",
    "null": "null",
    "number": "17",
    "string": '"x"',
    "empty object": "{}",
    "not json": "{not json",
    "truncated": None,  # the first half of the real file
    "missing keys": json.dumps({"format": 3, "kind": "txt"}),
    "wrong types": json.dumps(
        {
            "format": "3",
            "parser_version": [],
            "source": 1,
            "kind": None,
            "original": {},
            "imported_at": 5,
            "original_sha256": 0,
            "bulletin_sha256": 0,
            "bulletin": [],
        }
    ),
    "bulletin of another shape": None,  # the real header, with "bulletin": [1, 2]
    "not utf-8": "\udcff",
}


def _bad_shape(raw: bytes, name: str) -> bytes:
    if name == "truncated":
        return raw[: len(raw) // 2]
    if name == "bulletin of another shape":
        meta = json.loads(raw)
        meta["bulletin"] = [1, 2]
        return json.dumps(meta).encode()
    if name == "not utf-8":
        return b"\xff\xfe{}"
    return BAD_SHAPES[name].encode()


@pytest.mark.parametrize("shape", sorted(BAD_SHAPES))
def test_an_entry_of_the_wrong_shape_is_recreated_from_its_original(two_imported, shape, caplog):
    archive, (first, second) = two_imported
    meta_path = _meta_path(archive, first)
    good = json.loads(meta_path.read_bytes())
    meta_path.write_bytes(_bad_shape(meta_path.read_bytes(), shape))
    with caplog.at_level(logging.INFO, logger="viewer.store"):
        fresh = Archive()
        assert fresh.ids()[1:] == [first.id, second.id]
    assert fresh.get(first.id).sections == archive.get(first.id).sections
    (record,) = [r for r in fresh.records() if r.id == first.id]
    assert record.source_name in (first.source_name, f"{first.id}.txt")
    assert meta_path.name in caplog.text
    again = json.loads(meta_path.read_bytes())  # written anew, whole and checked
    assert again["bulletin"] == good["bulletin"] and again["format"] == 3


@pytest.mark.parametrize("shape", ["list", "null", "missing keys", "not json"])
def test_an_entry_of_the_wrong_shape_without_its_original_is_skipped_with_one_line(
    two_imported, shape, caplog
):
    archive, (first, second) = two_imported
    meta_path = _meta_path(archive, first)
    meta_path.write_bytes(_bad_shape(meta_path.read_bytes(), shape))
    (archive.root / f"{first.id}.txt").unlink()
    with caplog.at_level(logging.WARNING, logger="viewer.store"):
        fresh = Archive()
        assert fresh.ids()[1:] == [second.id]  # the rest of the archive is there
        assert len(fresh.records()) == 2
    lines = [r.getMessage() for r in caplog.records if meta_path.name in r.getMessage()]
    assert len(lines) == 1 and "skipping" in lines[0]
    assert meta_path.exists()  # left where it is


def test_an_edited_entry_is_served_from_its_original_not_stale(two_imported, caplog):
    archive, (first, _second) = two_imported
    meta_path = _meta_path(archive, first)
    meta = json.loads(meta_path.read_bytes())
    true_text = meta["bulletin"]["sections"][0]["paragraphs"][0]
    meta["bulletin"]["sections"][0]["paragraphs"][0] = "篡改的内容"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="viewer.store"):
        served = Archive().get(first.id)
    assert served.sections[0].paragraphs[0].text == true_text
    assert "checksum" in caplog.text and meta_path.name in caplog.text
    assert json.loads(meta_path.read_bytes())["bulletin"]["sections"][0]["paragraphs"][0] == true_text


def test_an_edited_entry_whose_original_was_edited_too_is_skipped(two_imported, caplog):
    archive, (first, second) = two_imported
    meta_path = _meta_path(archive, first)
    meta = json.loads(meta_path.read_bytes())
    meta["bulletin"]["title"] = "改过的标题"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    original = archive.root / f"{first.id}.txt"
    original.write_text(original.read_text(encoding="utf-8").replace("防控", "放空"), encoding="utf-8")
    edited = meta_path.read_bytes()
    with caplog.at_level(logging.WARNING, logger="viewer.store"):
        fresh = Archive()
        assert first.id not in fresh.ids() and second.id in fresh.ids()
    assert "does not match its checksum either" in caplog.text and meta_path.name in caplog.text
    assert meta_path.read_bytes() == edited and original.exists()  # nothing deleted or rewritten


def _as_format_2(meta_path: Path, edit=None) -> None:
    meta = json.loads(meta_path.read_bytes())
    for key in ("original_sha256", "bulletin_sha256"):
        del meta[key]
    meta["format"] = 2
    if edit is not None:
        edit(meta["bulletin"])
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _edit_paragraph(bulletin: dict) -> None:
    bulletin["sections"][0]["paragraphs"][0] = "篡改的内容"


def test_entries_from_before_checksums_are_checked_by_their_id_and_upgraded(tmp_path, caplog):
    files = write_bulletins(tmp_path / "in", 3)
    archive = Archive()
    kept, edited, both = (archive.import_file(f) for f in files)
    _as_format_2(_meta_path(archive, kept))
    _as_format_2(_meta_path(archive, edited), _edit_paragraph)
    _as_format_2(_meta_path(archive, both), _edit_paragraph)
    original = archive.root / f"{both.id}.txt"  # this original no longer is what its id says
    original.write_text(original.read_text(encoding="utf-8").replace("防控", "放空"), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="viewer.store"):
        fresh = Archive()
        assert [i in fresh.ids() for i in (kept.id, edited.id, both.id)] == [True, True, False]
    assert fresh.get(edited.id).sections == archive.get(edited.id).sections  # from its original
    assert f"{kept.id}.json: it was written before checksums" in caplog.text
    assert "holds another document" in caplog.text
    upgraded = json.loads(_meta_path(archive, kept).read_bytes())
    assert upgraded["format"] == 3 and upgraded["original_sha256"] is None  # not vouched for
    assert json.loads(_meta_path(archive, edited).read_bytes())["original_sha256"] is not None
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="viewer.store"):
        assert len(Archive()) == 3  # once upgraded, loaded as any other
    assert kept.id not in caplog.text and edited.id not in caplog.text


def test_a_read_only_archive_serves_a_recreated_entry_from_memory(two_imported, monkeypatch):
    archive, (first, _second) = two_imported
    meta_path = _meta_path(archive, first)
    meta_path.write_text("[]", encoding="utf-8")
    monkeypatch.setattr(entries_module, "atomic_write_bytes", _raise_store_error)
    assert Archive().get(first.id).sections == archive.get(first.id).sections
    assert meta_path.read_text(encoding="utf-8") == "[]"


def _raise_store_error(path, _data):
    raise StoreError(f"cannot write to {Path(path).parent}: read-only file system")


# -- archive fuzz: any JSON in <id>.json -----------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_fields = st.fixed_dictionaries(
    {},
    optional={
        key: st.one_of(_json, st.just(value))
        for key, value in {
            "format": 3,
            "parser_version": 2,
            "source": "x.txt",
            "kind": "txt",
            "original": "x.txt",
            "imported_at": "2020-01-01T00:00:00+00:00",
            "original_sha256": "0" * 64,
            "bulletin_sha256": "0" * 64,
        }.items()
    },
)
_storage = st.fixed_dictionaries(
    {},
    optional={
        key: _json
        for key in ("id", "title", "column", "lead", "sections", "closing", "date", "meta_lines", "removed")
    },
)


@pytest.fixture(scope="module")
def fuzz_archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    archive = Archive(root / "archive", include_bundled=False)
    (source,) = write_bulletins(root / "in", 1)
    record = archive.import_file(source)
    meta_path = archive.root / f"{record.id}.json"
    return archive.root, record, meta_path.read_bytes()


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        _json.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=64),
        st.tuples(_fields, _json).map(lambda fb: json.dumps({**fb[0], "bulletin": fb[1]}).encode()),
        st.tuples(_fields, _storage).map(lambda fb: _forged(*fb)),
    ),
    keep_original=st.booleans(),
)
def test_any_content_of_an_entry_never_breaks_loading(fuzz_archive, content, keep_original):
    root, record, good = fuzz_archive
    meta_path = root / f"{record.id}.json"
    original = root / f"{record.id}.txt"
    aside = root / "aside.bin"
    meta_path.write_bytes(content)
    if not keep_original:
        original.rename(aside)
    handler = _Lines()
    logger = logging.getLogger("viewer.store")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        archive = Archive(root, include_bundled=False)
        records = archive.records()  # never raises
        bulletins = archive.bulletins()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        if not keep_original:
            aside.rename(original)
        meta_path.write_bytes(good)
    if records:  # what is served is the true document, not the forged one
        assert [r.id for r in records] == [record.id]
        assert bulletins[0].char_count() == record.chars
        assert isinstance(bulletins[0].title, str)
    else:
        assert any(meta_path.name in line and "skipping" in line for line in handler.lines)
    if not keep_original:
        assert not records


def _forged(fields: dict, storage: dict) -> bytes:
    """A file as we write them, with a right checksum over a parse of any shape."""
    payload = json.dumps(storage).encode()
    header = dict(fields, bulletin_sha256=hashlib.sha256(payload).hexdigest())
    return json.dumps(header).encode()[:-1] + (b", " if header else b"") + b'"bulletin": ' + payload + b"}"


# -- archive: leftovers of killed writes --------------------------------------------------


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_leftovers_of_killed_writes_are_removed_on_load_once_a_minute_old(two_imported):
    archive, (first, second) = two_imported
    root = archive.root
    old_temp = root / f".{first.id}.json.a1b2c3d4.tmp"
    young_temp = root / f".{second.id}.json.zz99__xx.tmp"
    orphan = root / "0123456789abcdef.txt"  # an import killed before its .json
    orphan_extracted = root / "0123456789abcdef.extracted.txt"
    young_orphan = root / "fedcba9876543210.pdf"  # an import going on in another process
    foreign = [root / "notes.txt", root / ".hidden.tmp", root / ".x.json.short.tmp"]
    for path in (old_temp, young_temp, orphan, orphan_extracted, young_orphan, *foreign):
        path.write_bytes(b"half")
    for path in (old_temp, orphan, orphan_extracted, *foreign):
        _age(path, STALE_AFTER_S + 5)
    _age(root / f"{first.id}.txt", STALE_AFTER_S + 5)  # an old original with its .json

    fresh = Archive()
    fresh.fingerprint()  # opening and the search's cheap check touch nothing
    assert old_temp.exists() and orphan.exists()
    assert fresh.ids()[1:] == [first.id, second.id]  # loading clears them
    assert not old_temp.exists() and not orphan.exists() and not orphan_extracted.exists()
    assert young_temp.exists() and young_orphan.exists()
    assert all(path.exists() for path in foreign)  # not ours: never touched
    assert (root / f"{first.id}.txt").exists()


def test_cleaning_up_a_folder_that_cannot_be_written_is_no_error(two_imported, monkeypatch):
    archive, (first, _second) = two_imported
    leftover = archive.root / f".{first.id}.json.a1b2c3d4.tmp"
    leftover.write_bytes(b"half")
    _age(leftover, STALE_AFTER_S + 5)
    monkeypatch.setattr(os, "unlink", _raise_erofs)
    assert first.id in Archive().ids()
    assert leftover.exists()


# -- archive: read-only and full disks ----------------------------------------------------


def test_a_home_that_cannot_be_written_still_lists(monkeypatch, viewer_home, capsys):
    from viewer import cli

    (source,) = write_bulletins(viewer_home.parent / f"{viewer_home.name}-in", 1)
    _refuse_mkdir(monkeypatch)
    archive = Archive()  # creates nothing
    assert [r.bundled for r in archive.records()] == [True]
    assert list(viewer_home.iterdir()) == []
    assert cli.main(["list", "--json"]) == 0
    assert [r["bundled"] for r in json.loads(capsys.readouterr().out)] == [True]
    with pytest.raises(ArchiveError, match=f"cannot write to {viewer_home}.*: read-only file system"):
        archive.import_file(source)


@pytest.mark.parametrize(
    ("code", "words"), [(errno.EROFS, "read-only file system"), (errno.ENOSPC, "the disk is full")]
)
def test_a_write_refused_by_the_disk_fails_plainly_and_keeps_the_archive(
    two_imported, monkeypatch, code, words
):
    archive, (first, second) = two_imported
    before = sorted(p.name for p in archive.root.iterdir())
    (source,) = write_bulletins(archive.root.parent / "more", 1, seed=9)

    def refuse(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", refuse)
        with pytest.raises(ArchiveError, match=f"^cannot write to {archive.root}: {words}$"):
            archive.import_file(source)
    assert sorted(p.name for p in archive.root.iterdir()) == before  # nothing half-written
    assert Archive().ids()[1:] == [first.id, second.id]  # reading goes on


def test_removing_from_a_read_only_archive_fails_plainly_and_keeps_the_entry(two_imported, monkeypatch):
    archive, (first, _second) = two_imported
    with monkeypatch.context() as patch:
        patch.setattr(Path, "unlink", _raise_erofs)
        with pytest.raises(ArchiveError, match=f"cannot write to {archive.root}: read-only file system"):
            archive.remove(first.id)
    assert first.id in Archive().ids()


def test_atomic_writes_name_the_folder_they_cannot_write(tmp_path, monkeypatch):
    import tempfile as tempfile_module

    monkeypatch.setattr(tempfile_module, "mkstemp", _raise_erofs)
    with pytest.raises(StoreError, match=f"^cannot write to {tmp_path}: read-only file system$"):
        atomic_write_bytes(tmp_path / "x.json", b"{}")


def test_an_entry_is_only_recreated_from_its_own_files(two_imported, tmp_path):
    archive, (first, _second) = two_imported
    outside = archive.root.parent / "outside.txt"
    outside.write_bytes(write_bulletins(tmp_path / "other", 1, seed=4)[0].read_bytes())
    meta_path = _meta_path(archive, first)
    meta = json.loads(meta_path.read_bytes())
    meta["original"] = "../outside.txt"  # a path out of the archive is never followed
    meta["bulletin"]["title"] = "改过的"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert Archive().get(first.id).title == first.title  # from <id>.txt
    assert json.loads(meta_path.read_bytes())["original"] == f"{first.id}.txt"


# -- folders are named, not made: a read-only or missing home ----------------------------


def test_asking_where_files_live_creates_nothing(viewer_home, tmp_path, monkeypatch):
    from viewer import paths

    for name_of in (paths.data_dir, paths.cache_dir, paths.config_dir, paths.archive_dir, paths.index_dir):
        assert name_of().is_relative_to(viewer_home)
    assert paths.bookmarks_path().parent == paths.data_dir()
    assert paths.settings_path().parent == paths.config_dir()
    assert list(viewer_home.iterdir()) == []  # nothing made by asking
    assert paths.ensure_dir(paths.archive_dir()).is_dir()  # writers make what they need
    missing = tmp_path / "not-yet" / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(missing))
    assert [r.bundled for r in Archive().records()] == [True]  # the bundled bulletin, no error
    with BookmarkStore(create=False) as store:  # only to read: an empty store, nothing made
        assert store.list() == []
    assert not missing.exists() and not missing.parent.exists()


def test_a_file_where_the_home_should_be_reads_the_bundled_and_refuses_writes_naming_it(
    tmp_path, monkeypatch
):
    from viewer import paths

    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    (source,) = write_bulletins(tmp_path / "in", 1)
    archive = Archive()
    assert [r.bundled for r in archive.records()] == [True]
    with pytest.raises(
        ArchiveError, match=f"^cannot write to {home}/data/archive: {home} is a file, not a folder$"
    ):
        archive.import_file(source)
    blocked = f"cannot write to {home}/data: {home} is a file, not a folder"
    with BookmarkStore() as store, pytest.raises(BookmarkError, match=blocked):
        assert store.list() == []
        store.add(_marks("x", 1)[0])
    assert home.read_text() == "not a folder"


# -- odd files among the archive's and the store's ------------------------------------------


def test_a_pipe_or_folder_named_like_an_entry_is_skipped_and_named_without_opening_it(
    two_imported, monkeypatch, caplog
):
    archive, (first, second) = two_imported
    root = archive.root
    os.mkfifo(root / "0123456789abcdef.json")
    (root / "fedcba9876543210.json").mkdir()
    os.mkfifo(root / f"{first.id}.extracted.txt")
    os.mkfifo(root / "notours.json")
    opened = []
    real_open = os.open

    def watching(path, flags, *args, **kwargs):  # a pipe opened without O_NONBLOCK would hang
        if str(path).startswith(str(root)) and not flags & os.O_NONBLOCK:
            opened.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching)
    with caplog.at_level(logging.WARNING, logger="viewer.store"), fails_instead_of_hanging():
        assert Archive().ids()[1:] == [first.id, second.id]
    assert opened == []
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "skipping archive entry 0123456789abcdef.json: it is a named pipe (FIFO), not a regular file",
        "skipping archive entry fedcba9876543210.json: it is a folder, not a file",
    ]


def test_a_pipe_in_place_of_the_bookmark_file_is_refused_at_once(tmp_path):
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.add(_marks("x", 1)[0])
    for odd in ("-wal", "-shm", ".lock", ""):
        target = path.with_name(path.name + odd)
        target.unlink(missing_ok=True)
        os.mkfifo(target)
        pipe = f"^{target} is a named pipe \\(FIFO\\), not a file of the bookmark store"
        with fails_instead_of_hanging(), pytest.raises(BookmarkError, match=pipe):
            BookmarkStore(path)
        target.unlink()
    path.mkdir()
    with pytest.raises(BookmarkError, match="is a folder, not a file of the bookmark store"):
        BookmarkStore(path, create=False)


# -- bookmark rows that are not what the store writes ----------------------------------------


def _store_with_rows(path: Path, count: int = 5) -> None:
    with BookmarkStore(path) as store:
        for n in range(count):
            store.add(
                Bookmark(
                    bulletin_id="b", district="东城", paragraph=n, quote=f"第{n}条", note=f"n{n}", tags=("t",)
                )
            )


def _loosen_schema(conn: sqlite3.Connection) -> None:
    """Drop the NOT NULL constraints, as a file written by another program may lack them."""
    conn.execute("PRAGMA writable_schema = ON")
    sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'bookmarks'").fetchone()[0]
    conn.execute("UPDATE sqlite_schema SET sql = ? WHERE name = 'bookmarks'", (sql.replace("NOT NULL", ""),))
    conn.commit()


def test_bookmark_rows_with_bad_bytes_nulls_and_wrong_types_do_not_block_the_others(tmp_path, caplog):
    path = tmp_path / "bookmarks.sqlite3"
    _store_with_rows(path, 8)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        _loosen_schema(conn)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "UPDATE bookmarks SET quote = CAST(x'e7acac31ff' AS TEXT), "  # 第1 and a byte not UTF-8
            "note = CAST(x'ff' AS TEXT) WHERE id = 1"
        )
        conn.execute("UPDATE bookmarks SET note = NULL, tags = NULL, created = NULL WHERE id = 2")
        conn.execute("UPDATE bookmarks SET quote = NULL WHERE id = 3")
        conn.execute("UPDATE bookmarks SET paragraph = CAST(x'ff' AS TEXT) WHERE id = 4")
        conn.execute("UPDATE bookmarks SET tags = '{not json', section = 'abc', start = -5 WHERE id = 5")
        conn.execute(
            "UPDATE bookmarks SET quote = x'e7acac36', district = 7 WHERE id = 6"
        )  # a blob, a number
        conn.execute("UPDATE bookmarks SET quote = ? WHERE id = 7", ("消" * (10 << 20),))
        conn.commit()
    with caplog.at_level(logging.WARNING, logger="viewer.store"), BookmarkStore(path) as store:
        listed = store.list()
        assert store.list() == listed  # read again: the same, and not named again
        assert [b.id for b in listed] == [1, 2, 5, 6, 7, 8]
        by_id = {b.id: b for b in listed}
        assert by_id[1].quote == "第1\ufffd" and by_id[1].note == "\ufffd"
        assert (by_id[2].note, by_id[2].tags, by_id[2].created) == ("", (), "")
        assert (by_id[5].tags, by_id[5].section, by_id[5].start) == ((), None, 0)
        assert (by_id[6].quote, by_id[6].district) == ("第6", "7")
        assert len(by_id[7].quote) == 10 << 20
        assert (by_id[8].quote, by_id[8].note, by_id[8].tags) == ("第7条", "n7", ("t",))  # as it was
        with pytest.raises(BookmarkError, match=r"^bookmark 3 cannot be read: it has no quote$"):
            store.get(3)
        assert store.remove(4).id == 4  # a row that cannot be read can still be removed
        store.update(1, note="fixed")
        assert store.get(1).note == "fixed"
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "bookmark 1 is damaged (its quote is not valid UTF-8; its note is not valid UTF-8); "
        "shown as far as it can be read",
        "bookmark 2 is damaged (its tags are missing; its note is missing; its created is missing); "
        "shown as far as it can be read",
        "bookmark 3 cannot be read and is left out: it has no quote",
        "bookmark 4 cannot be read and is left out: its paragraph is '\\ufffd', not a paragraph number",
        "bookmark 5 is damaged (its tags are not a list of words; its section is 'abc'; its start is -5); "
        "shown as far as it can be read",
    ]


def test_what_a_damaged_row_exports_can_be_imported_again(tmp_path):
    from viewer.store.bookmark_export import parse_import, render

    path = tmp_path / "bookmarks.sqlite3"
    _store_with_rows(path, 3)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "UPDATE bookmarks SET quote = CAST(x'e7acac31ff' AS TEXT), tags = '[1, \"ok\"]' WHERE id = 2"
        )
        conn.commit()
    with BookmarkStore(path) as store:
        kept = store.list()
    assert [b.tags for b in kept] == [("t",), ("ok",), ("t",)]
    again = parse_import(render(kept, "json"))
    assert [b.quote for b in again] == [b.quote for b in kept]


def test_an_export_into_a_pipe_a_device_or_a_link_never_replaces_it(tmp_path):
    import threading

    from viewer.store.bookmark_export import write_export

    marks = _marks("x", 2)
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_export(marks, "json", link)
    assert link.is_symlink() and json.loads(target.read_text())["bookmarks"][1]["quote"] == marks[1].quote

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with (
        fails_instead_of_hanging(),
        pytest.raises(BookmarkError, match="a named pipe that nobody is reading"),
    ):
        write_export(marks, "csv", pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    for _ in range(200):  # until the reader has the pipe open
        try:
            write_export(marks, "csv", pipe)
            break
        except BookmarkError:
            time.sleep(0.01)
    reader.join(10)
    assert received and received[0].decode("utf-8-sig").count("\n") == 3
    assert pipe.is_fifo()

    if os.geteuid() == 0:  # a null device of our own: the system's is never put at risk
        device = tmp_path / "null"
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        write_export(marks, "markdown", device)
        assert device.is_char_device()
    (tmp_path / "folder").mkdir()
    with pytest.raises(BookmarkError, match="is a folder, not a file"):
        write_export(marks, "json", tmp_path / "folder")
