"""The index folder's own record, ``viewer-index.json``: the schema and parser versions,
the newest table of contents, a checksum per committed file (to tell damage), and the
state of the archive the last sync saw. Written by the writer holding the lock."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from viewer.model.version import PARSER_VERSION
from viewer.search.integrity import (
    DAMAGED_NAME,
    damaged,
    full_check,
    make_manifest,
    mark_damaged,
    newest_toc,
    quick_check,
    read_index_file,
)
from viewer.search.schema import SCHEMA_VERSION
from viewer.store.atomic import atomic_write_text

log = logging.getLogger("viewer.search")

META_NAME = "viewer-index.json"
LOCK_NAME = "MAIN_WRITELOCK"
INDEX_NAME = "MAIN"


def read_meta(index_dir: Path) -> dict | None:
    """``viewer-index.json``; None if missing or unreadable."""
    try:
        data = json.loads(read_index_file(index_dir / META_NAME))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_versions(index_dir: Path) -> tuple[int, int | None] | None:
    """(schema version, parser version) the index was built with; None if unreadable."""
    data = read_meta(index_dir)
    try:
        parser = data.get("parser_version")
        return int(data["schema_version"]), None if parser is None else int(parser)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def checked(index_dir: Path, full: bool, meta: dict | None = None) -> str:
    """ "" if the committed files are as they were written, else why not (and the index
    is marked damaged, to be rebuilt by the next sync). ``meta``: the record, if read."""
    why = damaged(index_dir)
    if why:
        return why
    meta = meta if meta is not None else read_meta(index_dir) or {}
    check = full_check if full else quick_check
    files = meta.get("files") if isinstance(meta.get("files"), dict) else None
    why = check(index_dir, files, str(meta.get("toc", "")), INDEX_NAME)
    if why:
        log.warning("search index damaged: %s", why)
        mark_damaged(index_dir, why)
    return why


def write_manifest(index_dir: Path, archive_state: str | None) -> None:
    """Record what this writer committed (it holds the lock), and the state of the archive
    it was synced with."""
    meta = read_meta(index_dir) or {}
    previous = meta.get("files") if isinstance(meta.get("files"), dict) else None
    skip = {LOCK_NAME, META_NAME, DAMAGED_NAME}
    meta = {
        "schema_version": SCHEMA_VERSION,
        "parser_version": PARSER_VERSION,
        "toc": newest_toc(index_dir, INDEX_NAME),
        "files": make_manifest(index_dir, previous, skip),
        "archive_state": archive_state,
    }
    atomic_write_text(index_dir / META_NAME, json.dumps(meta) + "\n")
