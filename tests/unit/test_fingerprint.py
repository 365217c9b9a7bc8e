"""The archive's cheap state: one stat of its folder while it has settled, a stat per
entry when it changed just now, and a search index that trusts it only so far."""

from __future__ import annotations

import os

import pytest

from tests.conftest import settle, write_bulletins
from viewer.search import SearchIndex
from viewer.search.manifest import read_meta
from viewer.store import Archive
from viewer.store import fingerprint as fingerprint_module
from viewer.store.fingerprint import content_of


def _no_listing(monkeypatch) -> list[str]:
    listed: list[str] = []
    real = os.scandir

    def counting(path=".", *args):
        listed.append(str(path))
        return real(path, *args)

    monkeypatch.setattr(fingerprint_module.os, "scandir", counting)
    return listed


@pytest.fixture
def imported(tmp_path) -> Archive:
    archive = Archive()
    archive.import_files(write_bulletins(tmp_path / "in", 3))
    return archive


def test_a_settled_folder_is_one_stat(imported, monkeypatch):
    settle(imported.root)
    known = imported.fingerprint()
    assert not known.startswith("racy;")
    listed = _no_listing(monkeypatch)
    assert imported.fingerprint(known) == known
    assert str(imported.root) not in listed  # no entry looked at


def test_a_folder_changed_just_now_is_checked_entry_by_entry(imported, monkeypatch):
    known = imported.fingerprint()  # the imports just happened: racy
    assert known.startswith("racy;")
    listed = _no_listing(monkeypatch)
    assert imported.fingerprint(known) == known  # same entries, same state
    assert str(imported.root) in listed


def test_every_change_of_an_entry_changes_the_state(imported, tmp_path):
    settle(imported.root)
    known = imported.fingerprint()
    (extra,) = write_bulletins(tmp_path / "more", 1, seed=9)
    record = imported.import_file(extra)
    after_import = imported.fingerprint(known)
    assert content_of(after_import) != content_of(known)
    settle(imported.root)
    imported.remove(record.id)
    assert content_of(imported.fingerprint(after_import)) == content_of(known)  # back as it was
    # A record rewritten in place (no rename: the folder's time stays) within a settled
    # folder is not seen by the stamp, but once the folder is racy again it is.
    meta = imported.root / f"{imported.ids()[-1]}.json"
    settle(imported.root)
    settled = imported.fingerprint()
    with open(meta, "ab") as handle:
        handle.write(b" ")
    os.utime(imported.root)  # what any rename, creation or removal in the folder does
    assert content_of(imported.fingerprint(settled)) != content_of(settled)


def test_a_change_in_the_same_tick_is_not_missed(imported, tmp_path):
    """The folder's time is not trusted while it is fresh: a second import in the same
    tick of the clock would leave it as it was."""
    known = imported.fingerprint()
    stamp_time = imported.root.stat().st_mtime_ns
    (extra,) = write_bulletins(tmp_path / "more", 1, seed=9)
    imported.import_file(extra)
    os.utime(imported.root, ns=(stamp_time, stamp_time))  # as if in the same tick
    assert content_of(imported.fingerprint(known)) != content_of(known)


def test_the_index_notes_a_settled_folder_and_then_reads_nothing(imported, monkeypatch):
    index = SearchIndex()
    index.sync(imported)  # just after the imports: the state recorded is racy
    assert read_meta(index.index_dir)["archive_state"].startswith("racy;")
    settle(imported.root)
    report = index.sync(imported)  # same entries: nothing indexed, the settled state noted
    assert not report.changed
    noted = read_meta(index.index_dir)["archive_state"]
    assert not noted.startswith("racy;")
    listed = _no_listing(monkeypatch)
    fresh = SearchIndex()
    assert not fresh.sync(imported).changed
    assert str(imported.root) not in listed  # the archive folder was not listed
    assert fresh.search("消毒", limit=0).total > 0
    index.close()
    fresh.close()
