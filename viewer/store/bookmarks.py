"""The bookmark store: one SQLite file, ``paths.bookmarks_path()`` by default.

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

Safety: WAL journal, ``synchronous=FULL``, a busy timeout, and every write is one
``BEGIN IMMEDIATE`` transaction, so several windows or CLI processes adding at the
same time lose nothing and a failed write (disk full, read-only file) leaves the file
as it was. The schema version is ``PRAGMA user_version``; ``_MIGRATIONS`` brings an
older file up to date on open, and a file from a newer program is refused, not
touched. Opening (and closing) holds an advisory lock on ``bookmarks.sqlite3.lock``, so
that two instances never check, create or migrate the file at the same time.

Opening never lets SQLite write to a file it has not checked. When no other connection
has the file open (SQLite's lock on the ``-shm`` file; a WAL in use is a live one of ours):

1. A ``-wal`` file beside the database is applied only if it was written for this very
   database. SQLite cannot tell (a WAL's salts are random and recorded nowhere else), so
   every transaction of ours also rewrites the single row ``store_state(generation,
   previous, nonce)`` with ``generation + 1``, ``previous`` = the old nonce and a fresh
   random 64-bit nonce. The WAL is read without SQLite (``viewer.store.sqlite_wal``: its
   valid committed frames, as SQLite would see them), and the row read from each of its
   transactions and from the database file alone (an ``immutable`` read-only connection,
   which ignores the WAL). Since a checkpoint copies whole transactions from the start of
   the WAL into the file, the WAL is ours exactly when the file holds the state just
   before the WAL's first transaction (its ``generation - 1`` and ``previous``) or just
   after one of them (that ``generation`` and ``nonce``), every transaction in the WAL
   carries the row, and they chain. A WAL of another copy of the store (a restore, a
   file-sync tool) shares generations with this file but not nonces (a chance of 2**-64).
   A file from before the row existed (schema 2), or one that cannot be read alone (a
   checkpoint interrupted half-way), cannot be checked so: its WAL is applied to copies in
   a temporary folder and accepted only if the result passes ``PRAGMA integrity_check``
   and does not take the id counter back. A WAL beside no database, or with a page size
   not the file's, is not ours either. One that is not is renamed
   ``bookmarks.sqlite3-wal.foreign-YYYYMMDDTHHMMSS`` (its ``-shm`` alongside), never
   applied, and ``foreign_wal`` says where it is. A WAL with no valid committed
   transaction is left alone: SQLite applies nothing from it.
2. The database (with its own WAL, on copies) is checked (``PRAGMA quick_check``) on a
   read-only connection. A file that is not a readable database or fails the check is
   copied byte for byte to ``bookmarks.sqlite3.damaged-20261129T010203`` (its ``-wal`` and
   ``-shm`` files alongside), then removed, and a fresh store is started;
   ``recovered_from`` says where it went so the window and the CLI can tell the user.

With another connection open, the file is opened as it is (its WAL is a live one) and
checked with ``quick_check`` on the new connection. A folder that cannot be written (a
read-only file system) is read from the file alone, ``immutable`` (or, with no file, as an
empty store), ``read_only`` is true and every change raises ``BookmarkError("bookmarks
cannot be saved: cannot write to FOLDER: read-only file system")``.

Odd files and rows. A bookmark file (or its ``-wal``, ``-shm``, ``.lock``) that is a named
pipe, a device or a folder is refused at once with a plain error (SQLite would wait on a
pipe for ever). A row that is not what the store writes (bytes that are not UTF-8, a NULL, a
number where text belongs, tags that are not a list) is read as far as it can be (U+FFFD for
the bytes, "" for a NULL) and named once in the log; one that cannot be a bookmark at all (no
quote, no bulletin, no paragraph number) is left out of lists and exports, named once too,
and can still be removed. The other bookmarks always come out.

Ids are integers that are never reused (``AUTOINCREMENT``), so ``restore`` can always
put a removed bookmark back under its own id. One instance may be shared between
threads (calls are serialised by a lock).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
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
from viewer.store import sqlite_wal
from viewer.store.archive import Archive
from viewer.store.atomic import atomic_copy, cannot_write, is_write_refused
from viewer.store.errors import StoreError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

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
    (  # every transaction stamps this row, which ties a WAL to its database (see above)
        "CREATE TABLE store_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, "
        "previous INTEGER NOT NULL, nonce INTEGER NOT NULL)",
        "INSERT INTO store_state VALUES (1, 0, 0, random())",
    ),
)
#: Run in every write transaction, last (see the module docstring).
_STAMP = "UPDATE store_state SET generation = generation + 1, previous = nonce, nonce = random()"
SCHEMA_VERSION = len(_MIGRATIONS)

_COLUMNS = (
    "id, bulletin_id, district, paragraph, start, quote, prefix, suffix, note, tags, "
    "title, column_name, created, updated, orphaned, section, heading, date, number"
)
_NUMBER_COLUMNS = frozenset({"id", "paragraph", "start", "orphaned", "section"})
#: What reads select: the text columns as their bytes, decoded by ``_from_row``, so that a
#: value that is not UTF-8 (written by another program, or damaged) spoils one field of one
#: bookmark, not the whole query.
_SELECT = ", ".join(
    name if name in _NUMBER_COLUMNS else f"CAST({name} AS BLOB)" for name in _COLUMNS.split(", ")
)
#: The largest whole number a bookmark field holds (as the JSON import allows).
_MAX_NUMBER = 2**53 - 1

#: Byte of the ``-shm`` file on which every open connection holds a shared lock (SQLite's
#: "DMS" slot: 120 + 8 in os_unix.c and os_win.c).
_SHM_DMS = 128

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

    def __init__(
        self, path: Path | None = None, *, timeout: float = BUSY_TIMEOUT, create: bool = True
    ) -> None:
        self.path = Path(path) if path is not None else paths.bookmarks_path()
        self.recovered_from: Path | None = None
        self.foreign_wal: Path | None = None
        self._timeout = timeout
        self._lock = threading.RLock()
        self._data_version: int | None = None
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        #: Why the folder cannot be written, when the store was opened read-only.
        self._refused: OSError | None = None
        self._warned: set[int] = set()  # ids of damaged rows already named in the log
        self._refuse_odd_files()
        if not create and not self._exists():
            # Only to read (``bookmarks list``): a store that was never started is empty, and
            # asking it must not create a folder or a file.
            self._open_read_only(OSError(errno.ENOENT, "no bookmarks have been saved yet"))
            return
        try:
            paths.ensure_dir(self.path.parent)
        except OSError as exc:  # read-only, no permission, a file in the way: read what there is
            self._open_read_only(exc)
            return
        try:
            self._open_checked()
        except BookmarkError:
            refused = self._write_refused()
            if refused is None or self._conn is not None:
                raise
            self._open_read_only(refused)

    def _refuse_odd_files(self) -> None:
        """Refuse at once, plainly, a store whose file (or its ``-wal``, ``-shm``, ``.lock``) is
        a named pipe, a device or a folder: SQLite would wait on a pipe for ever."""
        for path in (self.path, *(self._companion(extra) for extra in ("-wal", "-shm", ".lock"))):
            try:
                mode = os.stat(path).st_mode
            except (OSError, ValueError):  # missing (or a name the system refuses): SQLite will say
                continue
            if stat.S_ISREG(mode):
                continue
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            if stat.S_ISFIFO(mode):
                kind = "a named pipe (FIFO)"
            raise BookmarkError(
                f"{path} is {kind}, not a file of the bookmark store; move it away and start again"
            )

    def _exists(self) -> bool:
        """Whether there is anything of a store on disk (its file, or a WAL of one)."""
        try:
            return any(os.path.lexists(p) for p in (self.path, self._companion("-wal")))
        except (OSError, ValueError):
            return True

    @property
    def read_only(self) -> bool:
        """True when the folder cannot be written: the bookmarks are read as they are in the
        file (without a WAL beside it), and every change raises BookmarkError."""
        return self._refused is not None

    def _open_checked(self) -> None:
        with self._opening():
            problem = None
            checked = not self._in_use()
            if checked:
                problem = self._check_files()
            identity = _file_identity(self.path)
            if problem is None:
                try:
                    self._conn = self._open(quick_check=not checked)
                except _Damaged as exc:
                    problem = str(exc)
            if problem is not None:
                log.info("bookmark file %s is damaged (%s); keeping a copy", self.path, problem)
                # Unless another instance has just done so and started a new file itself.
                if _file_identity(self.path) == identity:
                    self.recovered_from = self._keep_damaged()
                try:
                    self._conn = self._open(quick_check=True)
                except _Damaged as again:
                    message = f"the bookmark file {self.path} is damaged and cannot be started afresh"
                    raise BookmarkError(f"{message}: {again}") from again
            self._identity = _file_identity(self.path)
            _register(self._identity, +1)

    # -- opening ---------------------------------------------------------------------
    def _write_refused(self) -> OSError | None:
        """The error of a folder that cannot be written (read-only, full, no permission)."""
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            return exc if is_write_refused(exc) else None
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
        return None

    def _open_read_only(self, refused: OSError) -> None:
        """Read what there is without writing anything: the file alone (``immutable``), or,
        without one, an empty store in memory."""
        self._refused = refused
        try:
            if self.path.is_file():
                conn = _connect_alone(self.path)
                conn.isolation_level = None
                problem = _quick_check(conn)
                if problem is not None:
                    conn.close()
                    raise BookmarkError(
                        f"the bookmark file {self.path} is damaged ({problem}) and {self._refusal()}"
                    )
                self._check_version(conn.execute("PRAGMA user_version").fetchone()[0])
            else:
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                self._migrate(conn)
            conn.execute("PRAGMA query_only = 1")
            self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise BookmarkError(
                f"the bookmark file {self.path} cannot be read ({exc}) and {self._refusal()}"
            ) from exc
        self._conn = conn
        log.info("bookmarks opened read-only: %s", self._refusal())

    def _refusal(self) -> str:
        assert self._refused is not None
        return cannot_write(self.path.parent, self._refused)

    @contextlib.contextmanager
    def _opening(self, *, or_fail: bool = True) -> Iterator[None]:
        """Hold the open lock (``<file>.lock``, an advisory lock of its own file, which does
        not touch SQLite's locks): one instance at a time checks, opens or closes the file.
        Without a writable folder there is no lock, and nothing to write either. When the
        lock stays taken past the timeout: BookmarkError, or (``or_fail`` false) go on."""
        try:
            fd = os.open(self.path.with_name(f"{self.path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            yield
            return
        try:
            deadline = time.monotonic() + self._timeout
            locked = _try_lock(fd)
            while not locked and time.monotonic() < deadline:
                time.sleep(0.01)
                locked = _try_lock(fd)
            if not locked and or_fail:
                raise BookmarkError(
                    "the bookmarks are busy (another Bulletin Viewer is opening them); please try again"
                )
            try:
                yield
            finally:
                if locked:
                    _unlock(fd)
        finally:
            os.close(fd)

    def _companion(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def _in_use(self) -> bool:
        """True when a connection has the file open: another instance in this process, or
        one in another process (it holds SQLite's shared lock on the ``-shm`` file). Its WAL
        is then a live one of ours, which must not be judged while it is being written.
        True also when it cannot be told."""
        identity = _file_identity(self.path)
        if identity is not None and _OPEN_FILES.get(identity):
            return True
        return _shm_locked(self._companion("-shm")) is not False

    def _check_files(self) -> str | None:
        """Steps 1 and 2 of the module docstring, with no connection open anywhere: set a
        foreign WAL aside; return what is wrong with the database, or None."""
        wal = self._companion("-wal")
        try:
            has_wal = wal.is_file() and wal.stat().st_size > 0
        except OSError:
            has_wal = False
        if not self.path.exists():
            if has_wal:  # SQLite would delete it on creating the new file
                self.foreign_wal = self._set_aside_wal("there is no database for it")
            return None
        with_wal = False
        if has_wal:
            reason = self._foreign_reason(wal)
            if reason is not None:
                self.foreign_wal = self._set_aside_wal(reason)
            else:
                with_wal = True
        return self._damage(with_wal)

    def _foreign_reason(self, wal: Path) -> str | None:
        """Why ``wal`` was not written for this database, or None when it was (or when
        SQLite would apply nothing from it)."""
        try:
            log_file = sqlite_wal.read_wal(wal)
        except OSError as exc:
            return f"it cannot be read ({exc.strerror or exc})"
        if log_file is None or not log_file.commits:
            return None  # no valid committed transaction: SQLite applies nothing
        try:
            page_size, root, state = _state_alone(self.path)
        except sqlite3.Error:
            page_size, root, state = None, None, None  # the file alone cannot be read
        if page_size is not None and page_size != log_file.page_size:
            return f"its page size is {log_file.page_size}, the database's {page_size}"
        if root is None or state is None:
            return self._foreign_by_structure(wal)
        chain = []
        for commit in log_file.commits:
            image = commit.get(root)
            found = sqlite_wal.state_of(image) if image is not None else None
            if found is None or len(found) != 3:
                return "it holds a transaction that is not the bookmark store's"
            if chain and (found[0], found[1]) != (chain[-1][0] + 1, chain[-1][2]):
                return "its transactions do not follow one another"
            chain.append(found)
        generation, _previous, nonce = state
        first_generation, first_previous, _ = chain[0]
        if (generation, nonce) == (first_generation - 1, first_previous):
            return None  # nothing of it checkpointed yet
        if any((generation, nonce) == (g, n) for g, _p, n in chain):
            return None  # checkpointed up to one of its transactions
        return "it continues another copy of the bookmarks, not this file"

    def _foreign_by_structure(self, wal: Path) -> str | None:
        """For a file that predates ``store_state``: apply the WAL to copies and see."""
        before = _sequence_alone(self.path)
        with tempfile.TemporaryDirectory(prefix="bulletin-viewer-check-") as folder:
            copy = Path(folder) / "check.sqlite3"
            try:
                shutil.copyfile(self.path, copy)
                shutil.copyfile(wal, Path(folder) / "check.sqlite3-wal")
            except OSError as exc:
                return f"it could not be checked ({exc.strerror or exc})"
            try:
                with contextlib.closing(sqlite3.connect(copy)) as conn:
                    result = conn.execute("PRAGMA integrity_check").fetchall()
                    after = _sequence(conn)
            except sqlite3.Error as exc:
                return f"applied to the database, it gives no readable database ({exc})"
        if result != [("ok",)]:
            return "applied to the database, it damages it"
        if before is not None and (after is None or after < before):
            return "applied to the database, it takes it back to an older state"
        return None

    def _damage(self, with_wal: bool) -> str | None:
        """What is wrong with the database (with its own WAL when ``with_wal``), checked
        without writing to either: read-only and immutable, or on copies."""
        try:
            if with_wal:
                with tempfile.TemporaryDirectory(prefix="bulletin-viewer-check-") as folder:
                    copy = Path(folder) / "check.sqlite3"
                    shutil.copyfile(self.path, copy)
                    shutil.copyfile(self._companion("-wal"), Path(folder) / "check.sqlite3-wal")
                    with contextlib.closing(sqlite3.connect(copy)) as conn:
                        return _quick_check(conn)
            with contextlib.closing(_connect_alone(self.path)) as conn:
                return _quick_check(conn)
        except OSError:
            return None  # cannot be copied or read here: the real open will tell
        except sqlite3.Error as exc:
            if _code(exc) in (_NOTADB, _CORRUPT):
                return str(exc)
            return None

    def _set_aside_wal(self, reason: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        wal, shm = self._companion("-wal"), self._companion("-shm")
        target = wal.with_name(f"{wal.name}.foreign-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = wal.with_name(f"{wal.name}.foreign-{stamp}-{n}")
        try:
            os.replace(wal, target)
            if shm.exists():
                os.replace(shm, shm.with_name(f"{shm.name}.{target.name.split('.')[-1]}"))
        except OSError as exc:
            raise BookmarkError(
                f"the file {wal} beside the bookmarks was not written for them ({reason}) and could "
                f"not be moved aside ({exc.strerror or exc}); move it away and start again"
            ) from exc
        log.warning(
            "%s was not written for %s (%s): not applied, kept as %s", wal.name, self.path, reason, target
        )
        return target

    def _open(self, *, quick_check: bool = True) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        conn.text_factory = _lenient_text
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            if quick_check:
                problem = _quick_check(conn)
                if problem is not None:
                    raise _Damaged(problem)
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
            conn.execute(_STAMP)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # Into the file at once, so that the file alone carries store_state from now on.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise BookmarkError(
                f"the bookmark file {self.path} was written by a newer version of "
                "Bulletin Viewer; please update the program"
            )

    def _keep_damaged(self) -> Path:
        """Copy the damaged file (and its ``-wal``, ``-shm``) byte for byte beside it, then
        remove it so that a fresh one can be started. The copy is made before anything is
        removed, and nothing else writes to it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        companions = [self._companion(extra) for extra in ("-wal", "-shm")]
        try:
            atomic_copy(self.path, target)
            for companion in companions:
                if companion.exists():
                    atomic_copy(companion, target.with_name(target.name + companion.name[-4:]))
            for companion in companions:
                companion.unlink(missing_ok=True)
            self.path.unlink()
        except OSError as exc:
            raise BookmarkError(
                f"the bookmark file {self.path} is damaged and could not be kept aside: {exc.strerror or exc}"
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
            if self._refused is not None:
                raise BookmarkError(f"bookmarks cannot be saved: {self._refusal()}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            try:
                yield conn
                conn.execute(_STAMP)
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
                # The last connection to close checkpoints the WAL and deletes it: not while
                # another instance is checking the files.
                if self._refused is not None:
                    self._conn.close()
                    self._conn = None
                    return
                with self._opening(or_fail=False):
                    self._conn.close()
                    self._conn = None
                    _register(self._identity, -1)

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------
    def _bookmarks(self, rows: Iterable[tuple]) -> list[Bookmark]:
        """The bookmarks of ``rows``: one that cannot be read is skipped, one with a field that
        is not valid is repaired as far as it can be; each is named once in the log (per
        store), and the others come out as they are."""
        found = []
        for row in rows:
            try:
                bookmark, repairs = _read_row(row)
            except _BadRow as exc:
                self._warn_once(row[0], f"bookmark {row[0]} cannot be read and is left out: {exc}")
                continue
            if repairs:
                what = "; ".join(repairs)
                self._warn_once(
                    row[0], f"bookmark {row[0]} is damaged ({what}); shown as far as it can be read"
                )
            found.append(bookmark)
        return found

    def _warn_once(self, bookmark_id: int, message: str) -> None:
        if bookmark_id not in self._warned:
            self._warned.add(bookmark_id)
            log.warning("%s", message)

    def get(self, bookmark_id: int) -> Bookmark:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_SELECT} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
        if row is None:
            raise BookmarkError(f"there is no bookmark {bookmark_id}")
        return _readable(row)

    def list(self, text: str | None = None, tag: str | None = None) -> list[Bookmark]:
        """Every bookmark, oldest first; ``text`` matches quote, note, district, title or a tag
        (case-insensitive), ``tag`` one whole tag."""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_SELECT} FROM bookmarks ORDER BY id").fetchall()
        found = self._bookmarks(rows)
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
                f"SELECT {_SELECT} FROM bookmarks WHERE bulletin_id = ? ORDER BY id", (bulletin_id,)
            ).fetchall()
        return self._bookmarks(rows)

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
            row = conn.execute(f"SELECT {_SELECT} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise BookmarkError(f"there is no bookmark {bookmark_id}")
            bookmark = _readable(row)
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
            row = conn.execute(f"SELECT {_SELECT} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
            if row is None:
                raise BookmarkError(f"there is no bookmark {bookmark_id}")
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        log.info("bookmark %d removed", bookmark_id)
        try:
            return _from_row(row)
        except _BadRow:  # removed all the same: what could be read of it
            return Bookmark(id=bookmark_id, bulletin_id="", district="", paragraph=0, quote="", orphaned=True)

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
            rows = conn.execute(f"SELECT {_SELECT} FROM bookmarks").fetchall()
            kept = {b.identity() for b in self._bookmarks(rows)}
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
        if changed and self.read_only:
            log.info("%d bookmarks would move, but %s", len(changed), self._refusal())
        elif changed:
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
            f"SELECT {_SELECT} FROM bookmarks WHERE bulletin_id = ? AND paragraph = ?",
            (bookmark.bulletin_id, bookmark.paragraph),
        ).fetchall()
        for row in rows:
            try:
                other = _from_row(row)
            except _BadRow:
                continue
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


class _BadRow(Exception):
    """Internal: a row that cannot be a bookmark (the message says why)."""


def _from_row(row: tuple) -> Bookmark:
    """The bookmark a row holds; _BadRow when it cannot be one. A field that is missing or
    not valid (a NULL, bytes that are not UTF-8, tags that are not a list) is repaired as far
    as it can be: ``_repairs`` says which."""
    return _read_row(row)[0]


def _read_row(row: tuple) -> tuple[Bookmark, list[str]]:
    (ident, bulletin_id, district, paragraph, start, quote, prefix, suffix, note, tags, title, column,
     created, updated, orphaned, section, heading, date, number) = row  # fmt: skip
    repairs: list[str] = []

    def text(name: str, value: object) -> str:
        if isinstance(value, bytes):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                repairs.append(f"its {name} is not valid UTF-8")
                return value.decode("utf-8", "replace")
        if value is None:
            repairs.append(f"its {name} {'are' if name == 'tags' else 'is'} missing")
            return ""
        return str(value)

    def whole(name: str, value: object, low: int, default: int | None = 0, required: bool = False):
        number = value
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, (str, bytes)):
            with contextlib.suppress(ValueError):
                number = int(value)
        if isinstance(number, int) and not isinstance(number, bool) and low <= number <= _MAX_NUMBER:
            return number
        if required:
            raise _BadRow(f"its {name} is {_shown(value)}, not a {name} number")
        repairs.append(f"its {name} is {_shown(value)}")
        return default

    values = {
        "bulletin_id": text("bulletin", bulletin_id).strip(),
        "quote": text("quote", quote),
    }
    if not values["bulletin_id"]:
        raise _BadRow("it names no bulletin")
    if not values["quote"].strip():
        raise _BadRow("it has no quote")
    tag_text = text("tags", tags) or "[]"
    try:
        parsed = json.loads(tag_text)
    except (ValueError, RecursionError):
        parsed = None
    tag_list = [t for t in parsed if isinstance(t, str)] if isinstance(parsed, list) else []
    if not isinstance(parsed, list) or len(tag_list) != len(parsed):
        repairs.append("its tags are not a list of words")
    section_number = None
    if section is not None:
        section_number = whole("section", section, low=-3, default=None)
    bookmark = Bookmark(
        id=ident,
        bulletin_id=values["bulletin_id"],
        district=text("district", district),
        paragraph=whole("paragraph", paragraph, low=-1, required=True),
        start=whole("start", start, low=0),
        quote=values["quote"],
        prefix=text("prefix", prefix),
        suffix=text("suffix", suffix),
        note=text("note", note),
        tags=normalize_tags(tag_list),
        title=text("title", title),
        column=text("column", column),
        created=text("created", created),
        updated=text("updated", updated),
        orphaned=bool(orphaned) if isinstance(orphaned, int) else False,
        section=section_number,
        heading=text("heading", heading),
        date=text("date", date),
        number=text("number", number),
    )
    return bookmark, repairs


def _readable(row: tuple) -> Bookmark:
    """The bookmark of one row asked for by its id; BookmarkError when it cannot be read."""
    try:
        return _from_row(row)
    except _BadRow as exc:
        raise BookmarkError(f"bookmark {row[0]} cannot be read: {exc}") from None


def _shown(value: object) -> str:
    """A stored value in a message: short, and nothing in it can drive a terminal."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    shown = ascii(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# -- files and locks ---------------------------------------------------------------------
_OPEN_FILES: dict[tuple[int, int], int] = {}  # (device, inode) → stores open in this process
_OPEN_FILES_LOCK = threading.Lock()


def _register(identity: tuple[int, int] | None, delta: int) -> None:
    if identity is None:
        return
    with _OPEN_FILES_LOCK:
        count = _OPEN_FILES.get(identity, 0) + delta
        if count > 0:
            _OPEN_FILES[identity] = count
        else:
            _OPEN_FILES.pop(identity, None)


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        elif msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError as exc:
        # Held by another; any other error: a file system without locks, go on unlocked.
        return exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK)


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        elif msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _shm_locked(shm: Path) -> bool | None:
    """Whether a process holds SQLite's lock on the ``-shm`` file (every open connection
    does); None when it cannot be told. Only called with no connection to the file open in
    this process: closing a descriptor drops this process's POSIX locks on the file."""
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False  # no connection in WAL mode runs without it
    except OSError:
        return None
    try:
        if fcntl is not None:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS, os.SEEK_SET)
            except OSError:
                return True
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS, os.SEEK_SET)
            return False
        if msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, _SHM_DMS, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                return True
            os.lseek(fd, _SHM_DMS, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            return False
        return None  # pragma: no cover
    finally:
        os.close(fd)


def _connect_alone(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database file alone: ``immutable`` makes SQLite ignore
    any WAL and take no locks, and it never writes (not even a ``-shm``)."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    conn.text_factory = _lenient_text
    return conn


def _lenient_text(data: bytes) -> str:
    """Text of the database as str, never failing: bytes that are not UTF-8 (in a column a
    bookmark's text is not read from as bytes) become U+FFFD, and ``_from_row`` judges them."""
    return data.decode("utf-8", "replace")


def _state_alone(path: Path) -> tuple[int | None, int | None, tuple[int, int, int] | None]:
    """(page size, root page of store_state, its row) of the database file alone."""
    with contextlib.closing(_connect_alone(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        row = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'store_state'").fetchone()
        if row is None:
            return page_size, None, None
        state = conn.execute("SELECT generation, previous, nonce FROM store_state WHERE id = 1").fetchone()
        return page_size, row[0], tuple(state) if state else None


def _sequence(conn: sqlite3.Connection) -> int | None:
    """The AUTOINCREMENT counter of the bookmarks (None without one)."""
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bookmarks'").fetchone()
    except sqlite3.OperationalError:  # no sqlite_sequence yet
        return None
    return row[0] if row else None


def _sequence_alone(path: Path) -> int | None:
    try:
        with contextlib.closing(_connect_alone(path)) as conn:
            return _sequence(conn)
    except sqlite3.Error:
        return None


def _quick_check(conn: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA quick_check`` finds nothing wrong, else its first finding."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result == [("ok",)]:
        return None
    return f"integrity check: {result[0][0] if result else 'no answer'}"
