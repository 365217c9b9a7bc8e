"""The index's integrity checks never open what is not a regular file (issue 10): a named
pipe, a folder or a dangling link lying in the index folder is damage, found by a stat, and
the marker and the checksums are read and written without ever waiting on a pipe."""

from __future__ import annotations

import os
import zlib

import pytest

from tests.conftest import fails_instead_of_hanging
from viewer.search import integrity

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")


@pytest.fixture
def index_dir(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "_MAIN_1.toc").write_bytes(b"toc")
    (folder / "MAIN_a.seg").write_bytes(b"segment")
    return folder


def _manifest(folder):
    return integrity.make_manifest(folder, None, set())


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: os.mkfifo(p), "a named pipe (FIFO)"),
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to(p.with_name("nowhere")), "a link to nothing"),
    ],
)
def test_anything_but_a_file_in_the_index_folder_is_damage_found_without_opening_it(index_dir, make, kind):
    manifest = _manifest(index_dir)
    assert integrity.quick_check(index_dir, manifest, "_MAIN_1.toc", "MAIN") == ""
    make(index_dir / "_MAIN_2.toc")  # newer than the manifest's: without this check, Whoosh opens it
    with fails_instead_of_hanging():
        why = integrity.quick_check(index_dir, manifest, "_MAIN_1.toc", "MAIN")
        assert why == f"_MAIN_2.toc is {kind}, not a file (in {index_dir})"
        assert integrity.full_check(index_dir, None, "", "MAIN") == why  # even with no manifest


def test_a_killed_writers_temporary_folder_is_not_damage(index_dir):
    (index_dir / "tmp123.tmp").mkdir()
    assert integrity.odd_entries(index_dir) == []


def test_a_segment_swapped_for_a_pipe_is_never_read(index_dir):
    manifest = _manifest(index_dir)
    assert manifest["MAIN_a.seg"] == [7, zlib.crc32(b"segment")]
    (index_dir / "MAIN_a.seg").unlink()
    os.mkfifo(index_dir / "MAIN_a.seg")
    with fails_instead_of_hanging(), pytest.raises(OSError):
        integrity._crc(index_dir / "MAIN_a.seg")


def test_the_damage_marker_is_read_and_written_without_waiting_on_a_pipe(index_dir):
    marker = index_dir / integrity.DAMAGED_NAME
    assert integrity.damaged(index_dir) == ""
    os.mkfifo(marker)
    with fails_instead_of_hanging():
        assert integrity.damaged(index_dir).startswith(f"{integrity.DAMAGED_NAME} cannot be read")
        integrity.mark_damaged(index_dir, "a segment changed")  # replaces the pipe, never opens it
    assert marker.is_file() and integrity.damaged(index_dir) == "a segment changed"
    with fails_instead_of_hanging(), pytest.raises(OSError, match="named pipe"):
        os.mkfifo(index_dir / "viewer-index.json")
        integrity.read_index_file(index_dir / "viewer-index.json")
