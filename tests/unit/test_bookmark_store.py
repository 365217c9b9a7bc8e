"""The bookmark store keeps every bookmark: edits, undo, concurrency, damage, full disks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest

from tests.conftest import ROOT
from viewer import paths
from viewer.model import HEADLINE, Bookmark, Paragraph
from viewer.store import Archive, BookmarkError, BookmarkStore, DuplicateBookmarkError, StoreError


@pytest.fixture
def store():
    with BookmarkStore() as opened:
        yield opened


def test_store_lives_under_viewer_home(store, viewer_home):
    assert store.path == paths.bookmarks_path()
    assert store.path.is_relative_to(viewer_home)
    assert store.recovered_from is None
    assert issubclass(BookmarkError, StoreError)


def test_add_list_edit_remove_undo(store, bulletin):
    first = store.add_selection(bulletin, "东城", 1, 10, 30, note="资金保障", tags=["funding"])
    second = store.add_selection(bulletin, "海淀", HEADLINE, tags=["科技"])
    assert first.id > 0 and second.id > first.id
    assert first.created and first.updated == first.created
    assert store.get(first.id) == first
    assert store.list() == [first, second]

    edited = store.update(first.id, note="资金与服务保障", tags=["funding", "服务"])
    assert edited.note == "资金与服务保障" and edited.tags == ("funding", "服务")
    assert store.update(first.id, tags=[]).note == "资金与服务保障"  # None leaves the note alone
    assert store.update(first.id, tags="funding").tags == ("funding",)  # one tag, not letters

    assert [b.id for b in store.list(tag="FUNDING")] == [first.id]
    assert [b.id for b in store.list(text="服务保障")] == [first.id]
    assert [b.id for b in store.list(text="海淀")] == [second.id]
    assert store.list(text="不在这里") == []
    assert store.tags() == ["funding", "科技"]

    removed = store.remove(first.id)
    assert removed.note == "资金与服务保障"
    assert [b.id for b in store.list()] == [second.id]
    with pytest.raises(BookmarkError, match="no bookmark"):
        store.get(first.id)
    third = store.add_selection(bulletin, "朝阳", 0)
    assert third.id > first.id  # a removed id is never handed out again …
    assert store.restore(removed) == removed  # … so undo puts it back under its own id
    assert [b.id for b in store.list()] == [first.id, second.id, third.id]
    with pytest.raises(BookmarkError, match="already there"):
        store.restore(removed)


def test_everything_survives_reopening(store, bulletin):
    saved = store.add_selection(bulletin, "西城", 0, 0, 12, note="消毒", tags=["a", "b"])
    store.close()
    with BookmarkStore() as again:
        assert again.list() == [saved]


def test_the_same_passage_is_not_kept_twice(store, bulletin):
    saved = store.add_selection(bulletin, "东城", 0)
    with pytest.raises(DuplicateBookmarkError) as caught:
        store.add_selection(bulletin, "东城区", 0, note="again")
    assert caught.value.existing == saved
    assert len(store.list()) == 1


def test_unknown_ids_and_bad_selections_raise_bookmark_errors(store, bulletin):
    for call in (lambda: store.update(99, note="x"), lambda: store.remove(99), lambda: store.get(99)):
        with pytest.raises(BookmarkError, match="no bookmark 99"):
            call()
    with pytest.raises(BookmarkError):
        store.add_selection(bulletin, "东城", 9)
    with pytest.raises(BookmarkError):
        store.add(Bookmark(bulletin_id=bulletin.id, district="东城", paragraph=0, quote="  "))
    store.close()
    with pytest.raises(BookmarkError, match="closed"):
        store.list()


def test_reanchor_follows_a_changed_parse_and_marks_orphans(store, bulletin):
    first, second = (p.text for p in bulletin.section("东城").paragraphs)
    kept = store.add_selection(bulletin, "东城", 1, 10, 30, note="note")
    lost = store.add_selection(bulletin, "西城", 1, 0, 15)
    # Paragraphs of 东城 merged; 西城's second paragraph dropped.
    sections = []
    for sec in bulletin.sections:
        if sec.district == "东城":
            sec = replace(sec, paragraphs=(Paragraph(0, first + second),))
        elif sec.district == "西城":
            sec = replace(sec, paragraphs=sec.paragraphs[:1])
        sections.append(sec)
    changed = replace(bulletin, sections=tuple(sections))
    assert store.reanchor([changed]) == 1
    moved = store.get(kept.id)
    assert (moved.paragraph, moved.start, moved.orphaned, moved.note) == (0, len(first) + 10, False, "note")
    assert moved.updated == kept.updated  # re-attaching is not an edit
    orphan = store.get(lost.id)
    assert orphan.orphaned and orphan.quote == lost.quote  # kept, never deleted
    assert store.reanchor([bulletin]) == 0  # the old parse is back: both re-attach
    assert store.get(kept.id).paragraph == 1 and not store.get(lost.id).orphaned


def test_reanchor_takes_an_archive(store):
    archive = Archive()
    (bulletin,) = archive.bulletins()
    store.add_selection(bulletin, "平谷", 0)
    assert store.reanchor(archive) == 0
    assert len(store.find_by_quote(archive, "疫情防控", bulletin=bulletin.id[:6])) > 10


def test_a_damaged_file_is_moved_aside_and_a_fresh_store_started(viewer_home):
    path = paths.bookmarks_path()
    path.parent.mkdir(parents=True, exist_ok=True)  # asking for a folder does not make it
    garbage = os.urandom(16384)
    path.write_bytes(garbage)
    path.with_name(path.name + "-wal").write_bytes(os.urandom(100))
    with BookmarkStore() as store:
        assert store.recovered_from is not None
        assert store.recovered_from.read_bytes() == garbage  # kept, not deleted
        assert store.recovered_from.name.startswith("bookmarks.sqlite3.damaged-")
        assert store.list() == []
        store.add(Bookmark(bulletin_id="b", district="东城", paragraph=0, quote="新的"))
    with BookmarkStore() as again:
        assert again.recovered_from is None
        assert len(again.list()) == 1


def test_a_file_from_a_newer_program_is_refused_and_left_alone(viewer_home):
    path = paths.bookmarks_path()
    path.parent.mkdir(parents=True, exist_ok=True)  # asking for a folder does not make it
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(BookmarkError, match="newer version"):
        BookmarkStore()
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.damaged-*"))


def test_full_disk_fails_plainly_and_writes_nothing(store, bulletin):
    store.add_selection(bulletin, "东城", 0)
    before = store.list()
    store._connection.conn.execute("PRAGMA max_page_count = 8")  # a disk that is nearly full
    big = [
        Bookmark(bulletin_id=bulletin.id, district="东城", paragraph=1, quote=f"{n}" + "长" * 2000)
        for n in range(40)
    ]
    with pytest.raises(BookmarkError, match="disk is full"):
        store.merge(big)
    assert store.list() == before  # not half of the import


def test_read_only_store_fails_plainly(store, bulletin):
    store._connection.conn.execute("PRAGMA query_only = 1")  # as a read-only file would
    with pytest.raises(BookmarkError, match="read-only"):
        store.add_selection(bulletin, "东城", 0)
    store._connection.conn.execute("PRAGMA query_only = 0")
    assert store.list() == []


def test_two_instances_see_each_other(bulletin):
    with BookmarkStore() as one, BookmarkStore() as two:
        assert not two.changed_elsewhere()
        saved = one.add_selection(bulletin, "东城", 0)
        assert two.changed_elsewhere()
        assert not two.changed_elsewhere()
        assert two.list() == [saved]


_ADDER = """
import sys, time
from pathlib import Path
from viewer.model import Bookmark
from viewer.store import BookmarkStore
name, go = sys.argv[1], Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
store = BookmarkStore()
for n in range(50):
    store.add(Bookmark(bulletin_id="b", district="东城", paragraph=n, quote=f"{name}-{n}"))
    if n % 10 == 9:  # opening races with the other process's writes, too
        store.close()
        store = BookmarkStore()
store.close()
"""


def test_two_processes_adding_at_once_lose_nothing(tmp_path, viewer_home):
    go = tmp_path / "go"
    env = dict(os.environ, BULLETIN_VIEWER_HOME=str(viewer_home))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _ADDER, name, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    time.sleep(0.5)  # both are waiting (not a timing assertion: a late start only lessens overlap)
    go.touch()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with BookmarkStore() as store:
        quotes = {b.quote for b in store.list()}
        ids = [b.id for b in store.list()]
    assert quotes == {f"{name}-{n}" for name in ("one", "two") for n in range(50)}
    assert len(set(ids)) == 100


def test_a_store_with_a_damaged_page_is_moved_aside_too(bulletin, viewer_home):
    with BookmarkStore() as store:
        for n in range(200):
            store.add(Bookmark(bulletin_id="b", district="东城", paragraph=n, quote="长" * 200 + str(n)))
    path = paths.bookmarks_path()
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[3 * 4096 : 5 * 4096] = os.urandom(2 * 4096)  # pages in the middle, header intact
    path.write_bytes(bytes(data))
    with BookmarkStore() as store:
        assert store.recovered_from is not None
        assert store.recovered_from.read_bytes() == bytes(data)
        assert store.list() == []


def test_an_older_schema_is_migrated_on_open_keeping_every_bookmark(bulletin, monkeypatch):
    import viewer.store.bookmark_schema as schema

    with BookmarkStore() as store:
        saved = store.add_selection(bulletin, "东城", 0, note="旧")
    later = (*schema.MIGRATIONS, ("ALTER TABLE bookmarks ADD COLUMN colour TEXT NOT NULL DEFAULT ''",))
    monkeypatch.setattr(schema, "MIGRATIONS", later)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(later))
    with BookmarkStore() as store:
        assert store.list() == [saved]
        store.add_selection(bulletin, "东城", 1)
    conn = sqlite3.connect(paths.bookmarks_path())
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
    assert "colour" in [row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")]
    conn.close()


def test_one_instance_shared_by_threads_loses_nothing(store):
    def add(name: str) -> None:
        for n in range(25):
            store.add(Bookmark(bulletin_id="b", district="东城", paragraph=n, quote=f"{name}-{n}"))

    threads = [threading.Thread(target=add, args=(f"t{k}",)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({b.quote for b in store.list()}) == 100
