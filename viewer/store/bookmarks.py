"""The bookmark store: one SQLite file, ``paths.bookmarks_path()`` by default.

API (every method raises ``BookmarkError`` — a ``StoreError`` — with a plain message)::

    store = BookmarkStore(path=None)          # opens (or creates) the file
    store.path                                # Path of the file
    store.recovered_from                      # Path | None: where a damaged file was moved
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

Safety: WAL journal, ``synchronous=FULL``, a busy timeout, and every write is one
``BEGIN IMMEDIATE`` transaction, so several windows or CLI processes adding at the
same time lose nothing and a failed write (disk full, read-only file) leaves the file
as it was. The schema version is ``PRAGMA user_version``; ``_MIGRATIONS`` brings an
older file up to date on open, and a file from a newer program is refused, not
touched. A file that is not a readable database (or fails ``PRAGMA quick_check``) is
renamed with a timestamp, ``bookmarks.sqlite3.damaged-20261129T010203`` (its ``-wal``
and ``-shm`` files alongside), and a fresh store is started; ``recovered_from`` says
where it went so the window and the CLI can tell the user.

Ids are integers that are never reused (``AUTOINCREMENT``), so ``restore`` can always
put a removed bookmark back under its own id. One instance may be shared between
threads (calls are serialised by a lock).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from viewer import paths
from viewer.model import Bulletin, ModelError
from viewer.model.bookmark import (
    Anchor,
    Bookmark,
    find_quote,
    make_bookmark,
    normalize_tags,
    reattach,
    tag_names,
)
from viewer.store.archive import Archive
from viewer.store.errors import StoreError

log = logging.getLogger("viewer.store")

#: Seconds a write waits for another instance's write to finish.
BUSY_TIMEOUT = 15.0

#: Each entry brings the schema from version i to i+1 (``PRAGMA user_version``).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bulletin_id TEXT NOT NULL,
            district TEXT NOT NULL,
            paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL DEFAULT 0,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            title TEXT NOT NULL DEFAULT '',
            column_name TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            orphaned INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX bookmarks_by_bulletin ON bookmarks (bulletin_id, paragraph)",
    ),
    (  # documents of every kind: sections by number, headings, dates and numbers in citations
        "ALTER TABLE bookmarks ADD COLUMN section INTEGER",
        "ALTER TABLE bookmarks ADD COLUMN heading TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE bookmarks ADD COLUMN date TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE bookmarks ADD COLUMN number TEXT NOT NULL DEFAULT ''",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)

_COLUMNS = (
    "id, bulletin_id, district, paragraph, start, quote, prefix, suffix, note, tags, "
    "title, column_name, created, updated, orphaned, section, heading, date, number"
)

# SQLite primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26


class BookmarkError(StoreError):
    """Something went wrong with bookmarks (message is user-facing)."""


class DuplicateBookmarkError(BookmarkError):
    """The passage is already bookmarked; ``existing`` is that bookmark."""

    def __init__(self, message: str, existing: Bookmark) -> None:
        super().__init__(message)
        self.existing = existing


class _Damaged(Exception):
    """Internal: the file is not a database we can read."""


@dataclass
class MergeReport:
    """What ``merge`` did: bookmarks added (with their ids here) and ones already kept."""

    added: list[Bookmark] = field(default_factory=list)
    duplicates: list[Bookmark] = field(default_factory=list)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class BookmarkStore:
    """The bookmarks on disk. See the module docstring for the API."""

    def __init__(self, path: Path | None = None, *, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path) if path is not None else paths.bookmarks_path()
        self.recovered_from: Path | None = None
        self._timeout = timeout
        self._lock = threading.RLock()
        self._data_version: int | None = None
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BookmarkError(f"cannot create the folder for bookmarks {self.path.parent}: {exc}") from exc
        identity = _file_identity(self.path)
        try:
            self._conn = self._open()
        except _Damaged as exc:
            log.info("bookmark file %s is damaged (%s); moving it aside", self.path, exc)
            # Unless another instance has just done so and started a new file itself.
            if _file_identity(self.path) == identity:
                self.recovered_from = self._move_aside()
            try:
                self._conn = self._open()
            except _Damaged as again:
                message = f"the bookmark file {self.path} is damaged and cannot be started afresh"
                raise BookmarkError(f"{message}: {again}") from again

    # -- opening ---------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            result = conn.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise _Damaged(f"integrity check: {result[0] if result else 'no answer'}")
            self._check_version(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(conn)
            self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except _Damaged:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if _code(exc) in (_NOTADB, _CORRUPT):
                raise _Damaged(str(exc)) from exc
            raise self._error(exc) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            self._check_version(version)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
                log.info("bookmark store %s: schema version %d", self.path, target)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise BookmarkError(
                f"the bookmark file {self.path} was written by a newer version of "
                "Bulletin Viewer; please update the program"
            )

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        try:
            os.replace(self.path, target)
            for extra in ("-wal", "-shm"):
                companion = self.path.with_name(self.path.name + extra)
                if companion.exists():
                    os.replace(companion, target.with_name(target.name + extra))
        except OSError as exc:
            raise BookmarkError(
                f"the bookmark file {self.path} is damaged and could not be moved aside: "
                f"{exc.strerror or exc}"
            ) from exc
        log.info("damaged bookmark file kept as %s; a new one was started", target)
        return target

    # -- plumbing --------------------------------------------------------------------
    def _error(self, exc: sqlite3.Error) -> BookmarkError:
        code = _code(exc)
        if code == _FULL:
            message = f"the disk is full: bookmarks could not be saved in {self.path}"
        elif code in (_READONLY, _PERM):
            message = f"the bookmark file {self.path} cannot be written (it is read-only)"
        elif code == _CANTOPEN:
            message = f"the bookmark file {self.path} cannot be opened"
        elif code in (_BUSY, _LOCKED):
            message = "the bookmarks are busy (another Bulletin Viewer is saving); please try again"
        elif code == _IOERR:
            message = f"the bookmark file {self.path} could not be read or written (input/output error)"
        elif code in (_CORRUPT, _NOTADB):
            message = (
                f"the bookmark file {self.path} is damaged; restart Bulletin Viewer to keep it "
                "aside and start a new one"
            )
        else:
            message = f"bookmark store error: {exc}"
        return BookmarkError(message)

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is saved, or none of it."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from exc
                raise

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise BookmarkError("the bookmark store is closed")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------
    def get(self, bookmark_id: int) -> Bookmark:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
        if row is None:
            raise BookmarkError(f"there is no bookmark {bookmark_id}")
        return _from_row(row)

    def list(self, text: str | None = None, tag: str | None = None) -> list[Bookmark]:
        """Every bookmark, oldest first; ``text`` matches quote, note, district, title or a tag
        (case-insensitive), ``tag`` one whole tag."""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks ORDER BY id").fetchall()
        found = [_from_row(row) for row in rows]
        if tag is not None and tag.strip():
            wanted = " ".join(tag.split()).casefold()
            found = [b for b in found if any(t.casefold() == wanted for t in b.tags)]
        if text is not None and text.strip():
            needle = text.strip().casefold()
            found = [b for b in found if needle in _haystack(b)]
        return found

    def for_bulletin(self, bulletin_id: str) -> list[Bookmark]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE bulletin_id = ? ORDER BY id", (bulletin_id,)
            ).fetchall()
        return [_from_row(row) for row in rows]

    def tags(self) -> list[str]:
        return tag_names(self.list())

    def changed_elsewhere(self) -> bool:
        """True when another connection (window or CLI) has saved changes since the last call."""
        with self._read() as conn:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        changed = version != self._data_version
        self._data_version = version
        return changed

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
        bookmark = _checked(bookmark)
        with self._write() as conn:
            existing = self._same_passage(conn, bookmark)
            if existing is not None:
                raise DuplicateBookmarkError(
                    f"this passage is already bookmarked (bookmark {existing.id})", existing
                )
            saved = self._insert(conn, bookmark, keep_id=False)
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
        with self._write() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise BookmarkError(f"there is no bookmark {bookmark_id}")
            bookmark = _from_row(row)
            changes: dict = {"updated": now_iso()}
            if note is not None:
                changes["note"] = note
            if tags is not None:
                changes["tags"] = normalize_tags(tags)
            bookmark = replace(bookmark, **changes)
            conn.execute(
                "UPDATE bookmarks SET note = ?, tags = ?, updated = ? WHERE id = ?",
                (bookmark.note, _tags_json(bookmark.tags), bookmark.updated, bookmark.id),
            )
        return bookmark

    def remove(self, bookmark_id: int) -> Bookmark:
        """Delete a bookmark and return it (hand it to ``restore`` to undo)."""
        with self._write() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise BookmarkError(f"there is no bookmark {bookmark_id}")
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        log.info("bookmark %d removed", bookmark_id)
        return _from_row(row)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a removed bookmark back, with its id, note, tags and times."""
        if bookmark.id <= 0:
            raise BookmarkError("only a bookmark that was saved can be restored")
        bookmark = _checked(bookmark)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM bookmarks WHERE id = ?", (bookmark.id,)).fetchone():
                raise BookmarkError(f"bookmark {bookmark.id} is already there")
            saved = self._insert(conn, bookmark, keep_id=True)
        return saved

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeReport:
        """Add bookmarks from elsewhere (an import) in one transaction. A passage already kept
        (same bulletin, district, paragraph and quote) is skipped as a duplicate. Ids are
        kept when this store has never used them (e.g. a fresh store), otherwise renumbered."""
        incoming = sorted((_checked(b) for b in bookmarks), key=lambda b: b.id)
        report = MergeReport()
        with self._write() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks").fetchall()
            kept = {_from_row(row).identity() for row in rows}
            for bookmark in incoming:
                if bookmark.identity() in kept:
                    report.duplicates.append(bookmark)
                    continue
                kept.add(bookmark.identity())
                keep_id = bookmark.id > max(self._last_id(conn), 0)
                report.added.append(self._insert(conn, bookmark, keep_id=keep_id))
        log.info("merged bookmarks: %d added, %d duplicates", len(report.added), len(report.duplicates))
        return report

    def reanchor(self, archive: Archive | Iterable[Bulletin], ids: Iterable[int] | None = None) -> int:
        """Re-attach bookmarks (all, or those in ``ids``) to where their passages are now in
        the archive; mark those not found as orphaned. Returns how many are orphaned."""
        bulletins = {b.id: b for b in _bulletins_of(archive)}
        wanted = None if ids is None else set(ids)
        current = [b for b in self.list() if wanted is None or b.id in wanted]
        changed = []
        orphans = 0
        for bookmark in current:
            moved, _anchor = reattach(bookmark, bulletins)
            orphans += moved.orphaned
            if moved != bookmark:
                changed.append(moved)
        if changed:
            with self._write() as conn:
                conn.executemany(
                    "UPDATE bookmarks SET bulletin_id = ?, district = ?, paragraph = ?, start = ?, "
                    "title = ?, column_name = ?, orphaned = ?, section = ?, heading = ?, date = ?, "
                    "number = ? WHERE id = ?",
                    [_location(b) for b in changed],
                )
            log.info("re-anchored %d bookmarks, %d orphaned", len(changed), orphans)
        return orphans

    # -- helpers ---------------------------------------------------------------------
    @staticmethod
    def _last_id(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bookmarks'").fetchone()
        return row[0] if row else 0

    @staticmethod
    def _same_passage(conn: sqlite3.Connection, bookmark: Bookmark) -> Bookmark | None:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM bookmarks WHERE bulletin_id = ? AND paragraph = ?",
            (bookmark.bulletin_id, bookmark.paragraph),
        ).fetchall()
        for row in rows:
            other = _from_row(row)
            if other.identity() == bookmark.identity():
                return other
        return None

    @staticmethod
    def _insert(conn: sqlite3.Connection, bookmark: Bookmark, *, keep_id: bool) -> Bookmark:
        created = bookmark.created or now_iso()
        bookmark = replace(bookmark, created=created, updated=bookmark.updated or created)
        cursor = conn.execute(
            f"INSERT INTO bookmarks ({_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMNS.split(',')))})",
            (
                bookmark.id if keep_id else None,
                bookmark.bulletin_id,
                bookmark.district,
                bookmark.paragraph,
                bookmark.start,
                bookmark.quote,
                bookmark.prefix,
                bookmark.suffix,
                bookmark.note,
                _tags_json(bookmark.tags),
                bookmark.title,
                bookmark.column,
                bookmark.created,
                bookmark.updated,
                int(bookmark.orphaned),
                bookmark.section,
                bookmark.heading,
                bookmark.date,
                bookmark.number,
            ),
        )
        return replace(bookmark, id=cursor.lastrowid)


def _location(b: Bookmark) -> tuple:
    """The UPDATE parameters of a re-anchored bookmark, in the statement's order."""
    return (b.bulletin_id, b.district, b.paragraph, b.start, b.title, b.column, b.orphaned,
            b.section, b.heading, b.date, b.number, b.id)  # fmt: skip


def _location(b: Bookmark) -> tuple:
    """The UPDATE parameters of a re-anchored bookmark, in the statement's order."""
    return (
        *(b.bulletin_id, b.district, b.paragraph, b.start, b.title, b.column, b.orphaned),
        *(b.section, b.heading, b.date, b.number, b.id),
    )


def _bulletins_of(archive: Archive | Iterable[Bulletin]) -> list[Bulletin]:
    return archive.bulletins() if isinstance(archive, Archive) else list(archive)


def _checked(bookmark: Bookmark) -> Bookmark:
    if not bookmark.bulletin_id or not bookmark.quote.strip():
        raise BookmarkError("a bookmark needs a bulletin and a quote")
    return replace(bookmark, tags=normalize_tags(bookmark.tags))


def _haystack(bookmark: Bookmark) -> str:
    return "\n".join(
        (bookmark.quote, bookmark.note, bookmark.district, bookmark.heading, bookmark.title, *bookmark.tags)
    ).casefold()


def _tags_json(tags: Iterable[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False)


def _from_row(row: tuple) -> Bookmark:
    (ident, bulletin_id, district, paragraph, start, quote, prefix, suffix, note, tags, title, column,
     created, updated, orphaned, section, heading, date, number) = row  # fmt: skip
    return Bookmark(
        id=ident,
        bulletin_id=bulletin_id,
        district=district,
        paragraph=paragraph,
        start=start,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        note=note,
        tags=tuple(json.loads(tags)),
        title=title,
        column=column,
        created=created,
        updated=updated,
        orphaned=bool(orphaned),
        section=section,
        heading=heading,
        date=date,
        number=number,
    )


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)
