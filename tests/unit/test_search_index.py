"""The index on disk: incremental updates, rebuilds, damage, killed and concurrent writers, CLI."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, run_cli, write_bulletins
from viewer import paths
from viewer.model import PARSER_VERSION
from viewer.search import SearchError, SearchIndex
from viewer.search.index import META_NAME
from viewer.search.schema import SCHEMA_VERSION
from viewer.store import Archive


def _passage_count(archive: Archive, bulletin_id: str) -> int:
    bulletin = archive.get(bulletin_id)
    head = sum(1 for text in (bulletin.title, bulletin.number, bulletin.issuer) if text)
    return head + len(bulletin.lead) + sum(1 + len(s.paragraphs) for s in bulletin.sections if s.headline)


@pytest.fixture
def archive(tmp_path) -> Archive:
    archive = Archive()
    archive.import_files(write_bulletins(tmp_path / "src", 3, seed=5))
    return archive


def test_index_lives_under_viewer_home(viewer_home, archive):
    index = SearchIndex()
    index.sync(archive)
    assert index.index_dir == paths.index_dir()
    assert (viewer_home / "cache" / "index" / META_NAME).is_file()


def test_incremental_sync_touches_only_changed_bulletins(tmp_path, archive):
    index = SearchIndex()
    assert index.needs_sync(archive)
    first = index.sync(archive)
    assert first.added == 4 and first.removed == 0
    assert not index.needs_sync(archive)

    again = index.sync(archive)
    assert (again.added, again.removed, again.documents, again.rebuilt) == (0, 0, 0, False)

    (extra,) = write_bulletins(tmp_path / "more", 1, seed=99)
    record = archive.import_file(extra)
    assert index.needs_sync(archive)
    added = index.sync(archive)
    assert (added.added, added.removed, added.rebuilt) == (1, 0, False)
    assert added.documents == _passage_count(archive, record.id)
    assert index.search("疫情", limit=0).bulletin_counts.keys() == set(archive.ids())

    gone = archive.ids()[1]
    archive.remove(gone)
    removed = index.sync(archive)
    assert (removed.added, removed.removed, removed.documents) == (0, 1, 0)
    result = index.search("疫情", limit=0)
    assert gone not in result.bulletin_counts and len(result.bulletin_counts) == 4
    assert index.search("疫情", bulletin=gone).total == 0
    assert not index.needs_sync(archive)
    index.close()


def test_progress_and_cancel_keep_what_was_done(archive):
    index = SearchIndex()
    seen: list[tuple[int, int]] = []
    report = index.sync(archive, progress=lambda d, t, _n: seen.append((d, t)), cancel=lambda: len(seen) >= 2)
    assert report.cancelled and report.added == 2
    assert seen == [(0, 4), (1, 4)]
    assert index.needs_sync(archive)
    rest = index.sync(archive)
    assert rest.added == 2 and not rest.cancelled
    assert not index.needs_sync(archive)


def test_other_schema_version_is_rebuilt_with_a_log_line(archive, caplog):
    index = SearchIndex()
    index.sync(archive)
    meta = index.index_dir / META_NAME
    meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 100}), encoding="utf-8")
    fresh = SearchIndex()
    assert fresh.needs_sync(archive)
    assert fresh.search("疫情").total == 0  # never reads an index it does not understand
    with caplog.at_level(logging.WARNING, logger="viewer.search"):
        report = fresh.sync(archive)
    assert report.rebuilt and report.added == 4 and "version" in report.reason
    assert any("rebuilding the search index" in r.getMessage() for r in caplog.records)
    assert json.loads(meta.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
    assert fresh.search("疫情").total > 0


def test_index_of_another_parser_version_is_rebuilt(archive):
    index = SearchIndex()
    index.sync(archive)
    meta_path = index.index_dir / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["parser_version"] == PARSER_VERSION
    meta_path.write_text(json.dumps(dict(meta, parser_version=PARSER_VERSION - 1)), encoding="utf-8")
    assert index.needs_sync(archive)
    report = index.sync(archive)
    assert report.rebuilt and "parser" in report.reason and report.added == 4


@pytest.mark.parametrize("damage", ["toc", "segment", "meta", "all"])
def test_damaged_index_is_rebuilt_not_crashed_on(archive, caplog, damage):
    index = SearchIndex()
    index.sync(archive)
    expected = index.search("消毒", limit=0).total
    index.close()
    folder = paths.index_dir()
    if damage == "toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(b"\x00garbage" * 10)
    elif damage == "segment":
        for seg in folder.glob("*.seg"):
            seg.write_bytes(seg.read_bytes()[:100])
    elif damage == "meta":
        (folder / META_NAME).write_text("{not json", encoding="utf-8")
    else:
        for entry in folder.iterdir():
            entry.write_bytes(b"")
    fresh = SearchIndex()
    assert fresh.needs_sync(archive)
    try:
        fresh.search("消毒")
    except SearchError as exc:  # a plain message, never a Whoosh exception
        assert "index" in str(exc)
    with caplog.at_level(logging.WARNING, logger="viewer.search"):
        report = fresh.sync(archive)
    assert report.rebuilt and report.added == 4
    assert fresh.search("消毒", limit=0).total == expected
    assert not fresh.needs_sync(archive)


@pytest.mark.parametrize("damage", ["random-block", "one-byte"])
def test_damage_that_keeps_the_files_readable_is_found_and_rebuilt_in_every_process(archive, damage):
    """4 KB of random bytes in a segment, or one changed byte: the manifest of the committed
    files tells; a later process (the command line) rebuilds too, not only the one that saw it."""
    index = SearchIndex()
    index.sync(archive)
    expected = index.search("消毒", limit=0).total
    index.close()
    segment = max(paths.index_dir().glob("*.seg"), key=lambda p: p.stat().st_size)
    data = bytearray(segment.read_bytes())
    if damage == "random-block":
        at = len(data) // 2
        data[at : at + 4096] = random.Random(7).randbytes(min(4096, len(data) - at))
    else:
        data[len(data) // 3] ^= 0x20
    segment.write_bytes(bytes(data))
    fresh = SearchIndex()
    assert fresh.needs_sync(archive)  # the first call re-reads every file against the manifest
    assert (paths.index_dir() / "viewer-index.damaged").exists()
    later = SearchIndex()  # another process: the mark says it is damaged, not a memory
    assert later.search("消毒").total == 0  # nothing served from a damaged index
    report = later.sync(archive)
    assert report.rebuilt and "damaged" in report.reason
    assert later.search("消毒", limit=0).total == expected
    assert not SearchIndex().needs_sync(archive)


def test_a_writer_killed_between_commit_and_manifest_is_not_taken_for_damage(archive):
    index = SearchIndex()
    index.sync(archive)
    meta_path = index.index_dir / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    stale = dict(meta, toc="_MAIN_0.toc", files={"_MAIN_0.toc": [1, 1], "gone.seg": [5, 5]})
    meta_path.write_text(json.dumps(stale), encoding="utf-8")
    fresh = SearchIndex()
    assert not fresh.needs_sync(archive)  # a stale manifest is not checked
    assert fresh.search("消毒").total > 0
    fresh.sync(archive)  # and the next sync writes a fresh one
    assert json.loads(meta_path.read_text(encoding="utf-8"))["toc"] == meta["toc"]


_SLOW_SYNC = """
import sys, time
from viewer.search import SearchIndex
from viewer.store import Archive
def progress(done, total, name):
    print("indexing", done, flush=True)
    time.sleep(float(sys.argv[1]))
report = SearchIndex().sync(Archive(), progress=progress)
print("done", report.added, flush=True)
"""


def _start_slow_sync(delay: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_SYNC, str(delay)],
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the writer holds the lock once it reports progress
    assert line.startswith("indexing"), line
    return proc


def test_killed_writer_leaves_a_usable_index(archive):
    index = SearchIndex()
    index.sync(archive)  # a committed state to fall back on
    (more_dir := paths.data_dir() / "more").mkdir()
    archive.import_files(write_bulletins(more_dir, 6, seed=21))
    expected_before = index.search("消毒", limit=0).total

    proc = _start_slow_sync(0.2)
    assert proc.stdout is not None
    proc.stdout.readline()  # a second bulletin is going in
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()

    assert index.search("消毒", limit=0).total == expected_before  # last committed state
    report = index.sync(archive)  # the lock died with the writer: no LockError, no wait
    assert report.added == 6 and not report.rebuilt and not report.busy
    assert not index.needs_sync(archive)
    assert set(index.search("疫情", limit=0).bulletin_counts) == set(archive.ids())
    assert not [p for p in paths.index_dir().iterdir() if p.name.endswith(".tmp")]


def test_second_process_reads_the_last_commit_while_another_writes(archive):
    index = SearchIndex()
    index.sync(archive)
    committed = index.search("疫情", limit=0)
    (more_dir := paths.data_dir() / "more").mkdir()
    archive.import_files(write_bulletins(more_dir, 3, seed=31))

    proc = _start_slow_sync(0.3)
    try:
        started = time.monotonic()
        busy = index.sync(archive)  # does not wait by default, never raises LockError
        assert busy.busy and busy.added == 0
        assert time.monotonic() - started < 5
        assert index.search("疫情", limit=0).total == committed.total
        waited = index.sync(archive, wait=60)  # waits for the writer, then has nothing to do
        assert not waited.busy and waited.added == 0
    finally:
        out, _ = proc.communicate(timeout=60)
    assert "done 3" in out
    assert set(index.search("疫情", limit=0).bulletin_counts) == set(archive.ids())


def test_cli_search_json_on_a_fresh_home(viewer_home):
    result = run_cli("search", "租金减免", "ems", "--json", home=viewer_home)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["租金减免", "ems"]
    rent = lines[0]["hits"][0]
    assert rent["district"] == "东城" and rent["paragraph"] == 1
    assert set(rent) == {
        "bulletin",
        "district",
        "paragraph",
        "section",
        "text",
        "snippet",
        "highlights",
        "score",
    }
    ems = lines[1]["hits"][0]
    assert [ems["text"][s:e] for s, e in ems["highlights"]] == ["EMS"]


def test_cli_limit_and_district(viewer_home):
    everything = run_cli("search", "疫情", "--json", "--limit", "0", home=viewer_home)
    data = json.loads(everything.stdout)
    assert data["total"] == len(data["hits"]) > 20
    default = json.loads(run_cli("search", "疫情", "--json", home=viewer_home).stdout)
    assert len(default["hits"]) == 20 and default["total"] == data["total"]
    west = json.loads(run_cli("search", "疫情", "--json", "--district", "西城", home=viewer_home).stdout)
    assert west["total"] and {h["district"] for h in west["hits"]} == {"西城"}


def test_cli_readable_output_marks_hits(viewer_home):
    result = run_cli("search", "ＥＭＳ", home=viewer_home)
    assert result.returncode == 0
    assert "【EMS】邮寄" in result.stdout and "ＥＭＳ: 1 passage\n" in result.stdout


def test_cli_bad_limit_is_a_plain_error(viewer_home):
    result = run_cli("search", "疫情", "--limit", "many", home=viewer_home)
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr


_CHURN = """
import sys
from pathlib import Path
from viewer.search import SearchIndex
from viewer.store import Archive
archive, index = Archive(), SearchIndex()
for name in sorted(Path(sys.argv[1]).glob("*.txt")):
    record = archive.import_file(name)
    index.sync(archive, wait=30)
    archive.remove(record.id)
    index.sync(archive, wait=30)
print("done", flush=True)
"""


def test_searching_while_another_process_commits_again_and_again(tmp_path, archive):
    index = SearchIndex()
    index.sync(archive)
    baseline = index.search("消毒", limit=0)
    write_bulletins(tmp_path / "churn", 4, seed=41)
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHURN, str(tmp_path / "churn")],
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    searches = 0
    while proc.poll() is None:
        result = index.search("消毒", limit=0)  # never raises while the other process commits
        assert set(baseline.bulletin_counts) <= set(result.bulletin_counts)
        assert len(result.bulletin_counts) <= len(baseline.bulletin_counts) + 1
        searches += 1
    out, _ = proc.communicate(timeout=60)
    assert "done" in out and searches > 0
    assert index.search("消毒", limit=0).bulletin_counts == baseline.bulletin_counts
