"""The archive keeps imported bulletins safely and recognises them again."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BUNDLED_TXT, write_bulletins
from viewer import paths
from viewer.store import Archive, ArchiveError, DuplicateBulletinError, StoreError, atomic_write_bytes


def test_bundled_bulletin_is_always_there():
    archive = Archive()
    records = archive.records()
    assert len(records) == 1
    assert records[0].bundled
    assert records[0].title == "北京：全力打好疫情防控阻击战！"
    assert len(archive.get(records[0].id).sections) == 12


def test_archive_lives_under_viewer_home(viewer_home):
    assert paths.archive_dir().is_relative_to(viewer_home)
    assert paths.index_dir().is_relative_to(viewer_home)
    assert paths.bookmarks_path().is_relative_to(viewer_home)


def test_import_copies_the_file_and_leaves_the_original_untouched(tmp_path):
    (source,) = write_bulletins(tmp_path / "in", 1)
    before = source.read_bytes()
    archive = Archive()
    record = archive.import_file(source)
    assert source.read_bytes() == before
    assert (archive.root / f"{record.id}.txt").read_bytes() == before
    assert record.id in Archive().ids()  # a fresh instance reads it back from disk
    assert Archive().get(record.id).sections == archive.get(record.id).sections


def test_duplicate_import_is_reported_and_skipped(tmp_path):
    (source,) = write_bulletins(tmp_path / "in", 1)
    archive = Archive()
    archive.import_file(source)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DuplicateBulletinError):
        archive.import_file(copy)
    with pytest.raises(DuplicateBulletinError):
        archive.import_file(BUNDLED_TXT)
    assert len(Archive()) == 2


def test_import_files_goes_on_after_a_bad_file(tmp_path):
    good = write_bulletins(tmp_path / "in", 2)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = Archive().import_files([good[0], empty, tmp_path / "missing.txt", tmp_path, good[1]])
    assert len(report.imported) == 2
    reasons = [reason for _path, reason in report.failed]
    assert len(reasons) == 3
    assert any("empty" in r for r in reasons)
    assert any("no such file" in r for r in reasons)
    assert any("folder" in r for r in reasons)


def test_import_reports_progress_and_can_be_cancelled(tmp_path):
    files = write_bulletins(tmp_path / "in", 4)
    seen = []
    report = Archive().import_files(
        files, progress=lambda d, t, n: seen.append((d, t)), cancel=lambda: len(seen) >= 2
    )
    assert report.cancelled
    assert len(report.imported) == 2
    assert len(Archive()) == 3


def test_remove_deletes_an_imported_bulletin_but_not_a_bundled_one(tmp_path):
    (source,) = write_bulletins(tmp_path / "in", 1)
    archive = Archive()
    record = archive.import_file(source)
    archive.remove(record.id[:6])
    assert record.id not in Archive().ids()
    assert not list(archive.root.glob(f"{record.id}*"))
    bundled = archive.records()[0]
    with pytest.raises(ArchiveError, match="bundled"):
        archive.remove(bundled.id)
    with pytest.raises(ArchiveError, match="no bulletin"):
        archive.remove("ffffffff")


def test_a_damaged_entry_is_recreated_from_its_original_not_fatal(tmp_path, caplog):
    files = write_bulletins(tmp_path / "in", 2)
    archive = Archive()
    first = archive.import_file(files[0])
    archive.import_file(files[1])
    (archive.root / f"{first.id}.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level("WARNING", logger="viewer.store"):
        fresh = Archive()
        assert len(fresh) == 3  # the damaged entry is re-created from its original
    assert "damaged" in caplog.text


def test_a_changed_parser_version_reparses_from_the_stored_copy(tmp_path):
    (source,) = write_bulletins(tmp_path / "in", 1)
    record = Archive().import_file(source)
    meta_path = Archive().root / f"{record.id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["parser_version"] = -1
    meta["bulletin"]["sections"] = []
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert len(Archive().get(record.id).sections) == len(record.districts)
    assert json.loads(meta_path.read_text(encoding="utf-8"))["parser_version"] != -1


def test_atomic_write_on_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    import errno
    import os

    target = tmp_path / "file.json"
    target.write_bytes(b"old")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="disk is full"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


def test_bookmarks_keep_their_passages_when_the_new_parser_reads_a_document_again(tmp_path):
    """A notice the first parser read as one run-on paragraph (it knew only the bundled
    layout): after the upgrade it has headings and a closing, and every bookmark made on the
    old parse is found again where its quote now is."""
    import importlib.util
    import random

    from tests.conftest import CORPUS
    from viewer.model import CLOSING, Bulletin, Paragraph
    from viewer.store import BookmarkStore

    spec = importlib.util.spec_from_file_location("make_official", CORPUS / "make_official.py")
    make_official = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_official)
    doc, extra = make_official.make(random.Random(4))
    source = tmp_path / "notice.txt"
    source.write_text(make_official.render(doc, extra, "lines", random.Random(4)), encoding="utf-8")
    archive = Archive()
    record = archive.import_file(source)
    new = archive.get(record.id)
    assert new.sections and new.closing  # the new parser sees headings and a closing

    # What parser version 1 kept: the first line as the title, everything else one paragraph.
    lines = source.read_text(encoding="utf-8").split("\n")
    old = Bulletin(id=record.id, title=lines[0], column="", lead=(Paragraph(0, "".join(lines[1:])),))
    meta_path = archive.root / f"{record.id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(
        json.dumps(dict(meta, parser_version=1, bulletin=old.to_storage())), encoding="utf-8"
    )
    archive.reload()
    store = BookmarkStore()
    merged = old.lead[0].text
    # A quote that occurs once (the generator may use a paragraph in two sections), in the
    # last section that has one; one in the lead; the closing formula.
    last, in_last = [
        (i, p[5:25])
        for i, s in enumerate(doc["sections"])
        for p in s["paragraphs"]
        if merged.count(p[5:25]) == 1
    ][-1]
    quotes = [in_last, doc["lead"][1][:12], "特此通知。"]
    for quote in quotes:
        start = merged.index(quote)
        store.add_selection(old, "", 0, start, start + len(quote))

    archive.reload()  # reads the stored parse of version 1: re-parsed from the original
    assert archive.get(record.id).sections == new.sections
    assert store.reanchor(archive) == 0
    kept = {b.quote: b for b in store.list()}
    reparsed = archive.get(record.id)
    for quote in quotes:
        b = kept[quote]
        assert not b.orphaned
        assert reparsed.passage(b.section, b.paragraph)[b.start : b.start + len(quote)] == quote
    assert kept["特此通知。"].section == CLOSING
    assert kept[in_last].section == last
    assert kept[in_last].heading == reparsed.sections[last].headline == doc["sections"][last]["headline"]
