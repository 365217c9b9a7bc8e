"""The store layer's exception family (messages are user-facing, in plain words).

``DamagedFileError`` and ``UnreadableRowError`` are the bookmark store's own signals
between its modules: each is caught inside the store and never reaches a caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from viewer.model.bookmark import Bookmark


class StoreError(Exception):
    """Base of every error raised by viewer.store."""


class ArchiveError(StoreError):
    """Something went wrong with the archive of bulletins."""


class DuplicateBulletinError(ArchiveError):
    """The bulletin is already in the archive."""

    def __init__(self, message: str, bulletin_id: str) -> None:
        super().__init__(message)
        self.bulletin_id = bulletin_id


class NotRegularFile(ArchiveError):
    """The path names no regular file (a pipe, a device, a socket, a folder): ``reason``
    says which, without the path ("is a named pipe (FIFO), not a regular file")."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.reason = reason


class BookmarkError(StoreError):
    """Something went wrong with bookmarks (message is user-facing)."""


class DuplicateBookmarkError(BookmarkError):
    """The passage is already bookmarked; ``existing`` is that bookmark."""

    def __init__(self, message: str, existing: Bookmark) -> None:
        super().__init__(message)
        self.existing = existing


class DamagedFileError(Exception):
    """Internal to the bookmark store: the file is not a database it can read (the message
    says why). Caught where the file is opened, which keeps it aside and starts afresh."""


class UnreadableRowError(Exception):
    """Internal to the bookmark store: a row that cannot be a bookmark (the message says
    why). Such a row is left out of lists, or named in a BookmarkError when asked for."""
