"""The archive and the bookmark store on disk. No Qt here."""

from __future__ import annotations

from viewer.lazy import lazy_exports

#: Each public name → the submodule that defines it (imported on first use).
_EXPORTS = {
    "Archive": "archive",
    "IMPORT_STEPS": "archive",
    "ImportReport": "archive",
    "atomic_write_bytes": "atomic",
    "atomic_write_text": "atomic",
    "BookmarkStore": "bookmarks",
    "MergeReport": "bookmarks",
    "parse_document": "documents",
    "parse_file": "documents",
    "BulletinRecord": "entry_meta",
    "ArchiveError": "errors",
    "BookmarkError": "errors",
    "DuplicateBookmarkError": "errors",
    "DuplicateBulletinError": "errors",
    "StoreError": "errors",
    "read_source": "sources",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
