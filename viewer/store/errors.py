"""The store layer's exception family (messages are user-facing, in plain words)."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error raised by viewer.store."""


class ArchiveError(StoreError):
    """Something went wrong with the archive of bulletins."""


class DuplicateBulletinError(ArchiveError):
    """The bulletin is already in the archive."""

    def __init__(self, message: str, bulletin_id: str) -> None:
        super().__init__(message)
        self.bulletin_id = bulletin_id
