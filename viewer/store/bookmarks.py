"""The bookmark store: one SQLite file, ``paths.bookmarks_path()`` by default. This module is
its public face; the work is done by its parts:

- ``bookmark_schema``: the tables, migrations and the stamp of every transaction;
- ``bookmark_lock``: the open lock and who else has the file open;
- ``bookmark_recovery``: checking the file before SQLite may write to it (a foreign WAL
  set aside, a damaged file kept aside, an odd file refused);
- ``bookmark_connection``: the connection, opened checked or read-only, and transactions;
- ``bookmark_rows``: reading rows, with repair of bad rows;
- ``bookmark_writes``: adding, editing, removing and restoring, merging, re-anchoring.

API (every method raises ``BookmarkError`` — a ``StoreError`` — with a plain message)::

    store = BookmarkStore(path=None, create=True)  # opens (or creates) the file; create=False:
                                              # a missing store reads as empty, nothing made
    store.path                                # Path of the file
    store.recovered_from                      # Path | None: where a damaged file was kept
    store.foreign_wal                         # Path | None: where a WAL not written for it was kept
    store.read_only                           # bool: the folder cannot be written; changes raise
    store.add(bookmark) -> Bookmark           # an unsaved Bookmark (id 0) → the saved one
    store.add_selection(bulletin, where, paragraph, start=None, end=None,
                        note="", tags=()) -> Bookmark
    store.get(id) -> Bookmark
    store.list(text=None, tag=None) -> list[Bookmark]     # oldest first
    store.for_bulletin(bulletin_id) -> list[Bookmark]     # to mark passages in an article
    store.tags() -> list[str]                             # every tag in use, sorted
    store.update(id, note=None, tags=None) -> Bookmark    # None leaves a field as it is
    store.remove(id) -> Bookmark              # the removed bookmark, kept for undo
    store.restore(bookmark) -> Bookmark       # undo of remove: back under the same id
    store.merge(bookmarks) -> MergeReport     # import: skips passages already kept
    store.reanchor(archive, ids=None) -> int  # re-attach bookmarks; returns how many are orphaned
    store.find_by_quote(archive, quote, district=None, bulletin=None) -> list[Anchor]
    store.changed_elsewhere() -> bool         # another instance committed since the last call
    store.close()                             # also: ``with BookmarkStore() as store:``

Several windows or CLI processes may use the file at the same time and lose nothing; a
failed write leaves the file as it was; a file from a newer program is refused, not
touched; a damaged file is kept aside (``recovered_from``) and a fresh store started; a
folder that cannot be written is read as it is (``read_only``). One instance may be shared
between threads (calls are serialised by a lock).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterable
from pathlib import Path

from viewer import paths
from viewer.model import Bulletin, ModelError
from viewer.model.bookmark import Anchor, Bookmark, find_quote, make_bookmark, tag_names
from viewer.store import bookmark_writes as writes
from viewer.store.archive import Archive
from viewer.store.bookmark_connection import BUSY_TIMEOUT, BookmarkConnection, write_refused
from viewer.store.bookmark_recovery import refuse_odd_files, store_exists
from viewer.store.bookmark_rows import RowReader, all_rows, readable, row_by_id, rows_of_bulletin
from viewer.store.bookmark_schema import SCHEMA_VERSION
from viewer.store.bookmark_writes import MergeReport, now_iso
from viewer.store.errors import BookmarkError, DuplicateBookmarkError

__all__ = [
    "BUSY_TIMEOUT",
    "SCHEMA_VERSION",
    "BookmarkError",
    "BookmarkStore",
    "DuplicateBookmarkError",
    "MergeReport",
    "now_iso",
]

log = logging.getLogger("viewer.store")


class BookmarkStore:
    """The bookmarks on disk. See the module docstring for the API."""

    def __init__(
        self, path: Path | None = None, *, timeout: float = BUSY_TIMEOUT, create: bool = True
    ) -> None:
        self.path = Path(path) if path is not None else paths.bookmarks_path()
        self._connection = BookmarkConnection(self.path, timeout)
        self._rows = RowReader()
        refuse_odd_files(self.path)
        if not create and not store_exists(self.path):
            # Only to read (``bookmarks list``): a store that was never started is empty, and
            # asking it must not create a folder or a file.
            self._connection.open_read_only(OSError(errno.ENOENT, "no bookmarks have been saved yet"))
            return
        try:
            paths.ensure_dir(self.path.parent)
        except OSError as exc:  # read-only, no permission, a file in the way: read what there is
            self._connection.open_read_only(exc)
            return
        try:
            self._open_checked()
        except BookmarkError:
            refused = write_refused(self.path.parent, self.path.name)
            if refused is None or self._connection.conn is not None:
                raise
            self._connection.open_read_only(refused)

    def _open_checked(self) -> None:
        self._connection.open_checked()

    @property
    def recovered_from(self) -> Path | None:
        """Where a damaged file was kept when a fresh one was started, else None."""
        return self._connection.recovered_from

    @property
    def foreign_wal(self) -> Path | None:
        """Where a WAL that was not written for the file was kept, else None."""
        return self._connection.foreign_wal

    @property
    def read_only(self) -> bool:
        """True when the folder cannot be written: the bookmarks are read as they are in the
        file (without a WAL beside it), and every change raises BookmarkError."""
        return self._connection.read_only

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------
    def get(self, bookmark_id: int) -> Bookmark:
        with self._connection.read() as conn:
            row = row_by_id(conn, bookmark_id)
        if row is None:
            raise BookmarkError(f"there is no bookmark {bookmark_id}")
        return readable(row)

    def list(self, text: str | None = None, tag: str | None = None) -> list[Bookmark]:
        """Every bookmark, oldest first; ``text`` matches quote, note, district, title or a tag
        (case-insensitive), ``tag`` one whole tag."""
        with self._connection.read() as conn:
            rows = all_rows(conn)
        found = self._rows.bookmarks(rows)
        if tag is not None and tag.strip():
            wanted = " ".join(tag.split()).casefold()
            found = [b for b in found if any(t.casefold() == wanted for t in b.tags)]
        if text is not None and text.strip():
            needle = text.strip().casefold()
            found = [b for b in found if needle in _haystack(b)]
        return found

    def for_bulletin(self, bulletin_id: str) -> list[Bookmark]:
        with self._connection.read() as conn:
            rows = rows_of_bulletin(conn, bulletin_id)
        return self._rows.bookmarks(rows)

    def tags(self) -> list[str]:
        return tag_names(self.list())

    def changed_elsewhere(self) -> bool:
        """True when another connection (window or CLI) has saved changes since the last call."""
        return self._connection.changed_elsewhere()

    def find_by_quote(
        self,
        archive: Archive | Iterable[Bulletin],
        quote: str,
        district: str | None = None,
        bulletin: str | None = None,
    ) -> list[Anchor]:
        """Every single-paragraph place in the archive where ``quote`` occurs (whitespace
        ignored); ``bulletin`` is an id or a unique prefix of one."""
        if bulletin is not None:
            if not isinstance(archive, Archive):
                raise BookmarkError("a bulletin id needs the archive")
            bulletins: Iterable[Bulletin] = [archive.get(bulletin)]
        else:
            bulletins = _bulletins_of(archive)
        return find_quote(bulletins, quote, district)

    # -- writing ---------------------------------------------------------------------
    def add(self, bookmark: Bookmark) -> Bookmark:
        """Save a new bookmark; raises DuplicateBookmarkError if its passage is already kept."""
        bookmark = writes.checked(bookmark)
        with self._connection.write() as conn:
            saved = writes.add(conn, bookmark)
        log.info("bookmark %d added (%s %s)", saved.id, saved.bulletin_id, saved.place)
        return saved

    def add_selection(
        self,
        bulletin: Bulletin,
        where: int | str,
        paragraph: int,
        start: int | None = None,
        end: int | None = None,
        note: str = "",
        tags: Iterable[str] = (),
    ) -> Bookmark:
        """Bookmark ``text[start:end]`` of a passage (``where``: a section index, LEAD for the
        lead, or a district's label; paragraph HEADLINE for a headline); the whole passage
        when start and end are None."""
        try:
            bookmark = make_bookmark(bulletin, where, paragraph, start, end, note=note, tags=tags)
        except ModelError as exc:
            raise BookmarkError(str(exc)) from exc
        return self.add(bookmark)

    def update(
        self, bookmark_id: int, note: str | None = None, tags: Iterable[str] | None = None
    ) -> Bookmark:
        with self._connection.write() as conn:
            return writes.update(conn, bookmark_id, note, tags)

    def remove(self, bookmark_id: int) -> Bookmark:
        """Delete a bookmark and return it (hand it to ``restore`` to undo)."""
        with self._connection.write() as conn:
            removed = writes.delete(conn, bookmark_id)
        log.info("bookmark %d removed", bookmark_id)
        return removed

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a removed bookmark back, with its id, note, tags and times."""
        if bookmark.id <= 0:
            raise BookmarkError("only a bookmark that was saved can be restored")
        bookmark = writes.checked(bookmark)
        with self._connection.write() as conn:
            return writes.restore(conn, bookmark)

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeReport:
        """Add bookmarks from elsewhere (an import) in one transaction. A passage already kept
        (same bulletin, district, paragraph and quote) is skipped as a duplicate. Ids are
        kept when this store has never used them (e.g. a fresh store), otherwise renumbered."""
        incoming = sorted((writes.checked(b) for b in bookmarks), key=lambda b: b.id)
        with self._connection.write() as conn:
            report = writes.merge(conn, incoming, self._rows)
        log.info("merged bookmarks: %d added, %d duplicates", len(report.added), len(report.duplicates))
        return report

    def reanchor(self, archive: Archive | Iterable[Bulletin], ids: Iterable[int] | None = None) -> int:
        """Re-attach bookmarks (all, or those in ``ids``) to where their passages are now in
        the archive; mark those not found as orphaned. Returns how many are orphaned."""
        bulletins = {b.id: b for b in _bulletins_of(archive)}
        wanted = None if ids is None else set(ids)
        current = [b for b in self.list() if wanted is None or b.id in wanted]
        changed, orphans = writes.reanchored(current, bulletins)
        if changed and self.read_only:
            log.info("%d bookmarks would move, but %s", len(changed), self._connection.refusal())
        elif changed:
            with self._connection.write() as conn:
                writes.save_locations(conn, changed)
            log.info("re-anchored %d bookmarks, %d orphaned", len(changed), orphans)
        return orphans


def _bulletins_of(archive: Archive | Iterable[Bulletin]) -> list[Bulletin]:
    return archive.bulletins() if isinstance(archive, Archive) else list(archive)


def _haystack(bookmark: Bookmark) -> str:
    return "\n".join(
        (bookmark.quote, bookmark.note, bookmark.district, bookmark.heading, bookmark.title, *bookmark.tags)
    ).casefold()
