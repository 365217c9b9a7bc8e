"""The bundled bulletin is parsed once, then read from its kept parse: a later start does
not import the parser, and a kept parse that is not of this file, this parser or intact
is parsed again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib

import pytest

from tests.conftest import ROOT
from viewer import paths
from viewer.store import bundled
from viewer.store.archive import Archive


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(bundled, "_LOADED", None)
    paths.ensure_dir(paths.cache_dir())  # as the index's first sync leaves it


def test_reading_makes_no_cache_folder(monkeypatch):
    import shutil

    shutil.rmtree(paths.cache_dir())
    assert Archive().bulletins()
    assert not paths.cache_dir().exists()


def _kept_files():
    return sorted((paths.cache_dir() / "bundled").glob("*.json"))


def _refuse_parsing(monkeypatch):
    from viewer.store import documents

    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(documents, "parse_document", refuse)


def _parsed():
    from viewer.store.documents import parse_document

    name = "beijing-districts-bulletin.txt"
    return parse_document(paths.data_path(name).read_bytes(), name)[0]


def test_the_second_start_reads_the_kept_parse(monkeypatch):
    first = Archive().bulletins()[0]
    assert first == _parsed()
    (kept,) = _kept_files()
    monkeypatch.setattr(bundled, "_LOADED", None)
    _refuse_parsing(monkeypatch)
    again = Archive().bulletins()[0]
    assert again == first
    assert kept.exists()


def test_a_kept_parse_edited_or_of_another_parser_is_parsed_again(monkeypatch):
    bulletin = Archive().bulletins()[0]
    (kept,) = _kept_files()
    raw = kept.read_bytes()
    kept.write_bytes(raw.replace("东城".encode(), "西城".encode(), 1))  # checksum no longer holds
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections
    header = json.loads(kept.read_bytes())
    header["parser_version"] = -1
    kept.write_text(json.dumps(header, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections
    assert json.loads(kept.read_bytes())["parser_version"] != -1  # kept anew


def test_a_kept_parse_of_another_file_is_parsed_again(monkeypatch):
    bulletin = Archive().bulletins()[0]
    (kept,) = _kept_files()
    header = json.loads(kept.read_bytes())
    assert header["source_crc32"] == f"{zlib.crc32(paths.data_path(kept.stem).read_bytes()):08x}"
    header["source_crc32"] = "00000000"  # as if the bundled file had changed since
    kept.write_text(json.dumps(header, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections
    assert json.loads(kept.read_bytes())["source_crc32"] != "00000000"  # kept anew


def test_garbage_a_pipe_or_an_unwritable_cache_only_mean_parsing(monkeypatch):
    bulletin = Archive().bulletins()[0]
    (kept,) = _kept_files()
    kept.write_bytes(b"\xff not json")
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections
    kept.unlink()
    os.mkfifo(kept)  # a pipe would hang a plain read
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    kept.unlink()
    monkeypatch.setattr(bundled, "atomic_write_bytes", full)
    monkeypatch.setattr(bundled, "_LOADED", None)
    assert Archive().bulletins()[0].sections == bulletin.sections
    assert _kept_files() == []


def test_listing_with_the_parse_kept_imports_neither_the_parser_nor_openssl(viewer_home):
    # The window's first frame lists the bundled bulletin: the parser costs 0.08 s, and
    # hashlib loads OpenSSL (1 % of the start); the kept parse is checked with zlib's CRC-32.
    Archive().bulletins()
    code = (
        "import sys\n"
        "from viewer.store import Archive\n"
        "print(len(Archive().bulletins()), 'viewer.model.parser' in sys.modules, 'hashlib' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), env=dict(os.environ)
    )
    assert out.stdout.split() == ["1", "False", "False"], out.stderr
