"""The archive and the bookmark store on disk. No Qt here."""

from __future__ import annotations

from viewer.store.archive import (
    IMPORT_STEPS,
    Archive,
    BulletinRecord,
    ImportReport,
    parse_document,
    parse_file,
)
from viewer.store.atomic import atomic_write_bytes, atomic_write_text
from viewer.store.bookmarks import BookmarkError, BookmarkStore, DuplicateBookmarkError, MergeReport
from viewer.store.errors import ArchiveError, DuplicateBulletinError, StoreError
from viewer.store.sources import read_source

__all__ = [
    "IMPORT_STEPS",
    "Archive",
    "ArchiveError",
    "BookmarkError",
    "BookmarkStore",
    "BulletinRecord",
    "DuplicateBookmarkError",
    "DuplicateBulletinError",
    "ImportReport",
    "MergeReport",
    "StoreError",
    "atomic_write_bytes",
    "atomic_write_text",
    "parse_document",
    "parse_file",
    "read_source",
]
