"""One bookmark store's connection to its file: opened checked (under the open lock, with a
damaged file kept aside and a foreign WAL set aside first) or read-only, then used one
transaction at a time, with SQLite's errors put in plain words.

Safety: WAL journal, ``synchronous=FULL``, a busy timeout, and every write is one
``BEGIN IMMEDIATE`` transaction ending with the ``store_state`` stamp, so several windows
or CLI processes adding at the same time lose nothing and a failed write (disk full,
read-only file) leaves the file as it was. Opening (and closing) holds the open lock, so
that two instances never check, create or migrate the file at the same time.

With another connection open, the file is opened as it is (its WAL is a live one) and
checked with ``quick_check`` on the new connection. A folder that cannot be written (a
read-only file system) is read from the file alone, ``immutable`` (or, with no file, as an
empty store), ``read_only`` is true and every write raises ``BookmarkError("bookmarks
cannot be saved: cannot write to FOLDER: read-only file system")``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from viewer.store import bookmark_schema as schema
from viewer.store import sqlite_codes as codes
from viewer.store.atomic import cannot_write, is_write_refused
from viewer.store.bookmark_lock import file_identity, in_use, open_lock, register
from viewer.store.bookmark_recovery import check_files, connect_alone, keep_damaged, lenient_text, quick_check
from viewer.store.errors import BookmarkError, DamagedFileError

log = logging.getLogger("viewer.store")

#: Seconds a write waits for another instance's write to finish.
BUSY_TIMEOUT = 15.0


def write_refused(folder: Path, name: str) -> OSError | None:
    """The error of a folder that cannot be written (read-only, full, no permission), tried
    with a temporary file named after ``name``; None when it can be."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        return exc if is_write_refused(exc) else None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(temp)
    return None


class BookmarkConnection:
    """The connection to the bookmark file at ``path`` (``conn``, None until opened and
    after ``close``). Calls are serialised by a lock, so one may be shared by threads."""

    def __init__(self, path: Path, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self.conn: sqlite3.Connection | None = None
        #: Where a damaged file was kept, when opening started a fresh one.
        self.recovered_from: Path | None = None
        #: Where a WAL not written for the file was kept.
        self.foreign_wal: Path | None = None
        #: Why the folder cannot be written, when the file was opened read-only.
        self.refused: OSError | None = None
        self._identity: tuple[int, int] | None = None
        self._data_version: int | None = None
        self._lock = threading.RLock()

    @property
    def read_only(self) -> bool:
        return self.refused is not None

    def refusal(self) -> str:
        """Why nothing can be saved, in plain words (only when ``read_only``)."""
        assert self.refused is not None
        return cannot_write(self.path.parent, self.refused)

    # -- opening ---------------------------------------------------------------------
    def open_checked(self) -> None:
        """Open the file for reading and writing, checked first when no other connection
        has it open (``viewer.store.bookmark_recovery``)."""
        with open_lock(self.path, self.timeout):
            problem = None
            checked = not in_use(self.path)
            if checked:
                problem, foreign = check_files(self.path)
                if foreign is not None:
                    self.foreign_wal = foreign
            identity = file_identity(self.path)
            if problem is None:
                try:
                    self.conn = self._open(check=not checked)
                except DamagedFileError as exc:
                    problem = str(exc)
            if problem is not None:
                log.info("bookmark file %s is damaged (%s); keeping a copy", self.path, problem)
                # Unless another instance has just done so and started a new file itself.
                if file_identity(self.path) == identity:
                    self.recovered_from = keep_damaged(self.path)
                try:
                    self.conn = self._open(check=True)
                except DamagedFileError as again:
                    message = f"the bookmark file {self.path} is damaged and cannot be started afresh"
                    raise BookmarkError(f"{message}: {again}") from again
            self._identity = file_identity(self.path)
            register(self._identity, +1)

    def open_read_only(self, refused: OSError) -> None:
        """Read what there is without writing anything: the file alone (``immutable``), or,
        without one, an empty store in memory. ``refused`` says why nothing can be written."""
        self.refused = refused
        try:
            if self.path.is_file():
                conn = connect_alone(self.path)
                conn.isolation_level = None
                problem = quick_check(conn)
                if problem is not None:
                    conn.close()
                    raise BookmarkError(
                        f"the bookmark file {self.path} is damaged ({problem}) and {self.refusal()}"
                    )
                schema.check_version(conn.execute("PRAGMA user_version").fetchone()[0], self.path)
            else:
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                schema.migrate(conn, self.path)
            conn.execute("PRAGMA query_only = 1")
            self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise BookmarkError(
                f"the bookmark file {self.path} cannot be read ({exc}) and {self.refusal()}"
            ) from exc
        self.conn = conn
        log.info("bookmarks opened read-only: %s", self.refusal())

    def _open(self, *, check: bool = True) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self.error(exc) from exc
        conn.text_factory = lenient_text
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if check:
                problem = quick_check(conn)
                if problem is not None:
                    raise DamagedFileError(problem)
            schema.check_version(conn.execute("PRAGMA user_version").fetchone()[0], self.path)
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            schema.migrate(conn, self.path)
            self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except DamagedFileError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if codes.primary_code(exc) in codes.DAMAGED:
                raise DamagedFileError(str(exc)) from exc
            raise self.error(exc) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    # -- using it ------------------------------------------------------------------
    def error(self, exc: sqlite3.Error) -> BookmarkError:
        """``exc`` in plain words."""
        code = codes.primary_code(exc)
        if code == codes.FULL:
            message = f"the disk is full: bookmarks could not be saved in {self.path}"
        elif code in (codes.READONLY, codes.PERM):
            message = f"the bookmark file {self.path} cannot be written (it is read-only)"
        elif code == codes.CANTOPEN:
            message = f"the bookmark file {self.path} cannot be opened"
        elif code in (codes.BUSY, codes.LOCKED):
            message = "the bookmarks are busy (another Bulletin Viewer is saving); please try again"
        elif code == codes.IOERR:
            message = f"the bookmark file {self.path} could not be read or written (input/output error)"
        elif code in codes.DAMAGED:
            message = (
                f"the bookmark file {self.path} is damaged; restart Bulletin Viewer to keep it "
                "aside and start a new one"
            )
        else:
            message = f"bookmark store error: {exc}"
        return BookmarkError(message)

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reading."""
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self.error(exc) from exc

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is saved, or none of it."""
        with self._lock:
            conn = self._connection()
            if self.refused is not None:
                raise BookmarkError(f"bookmarks cannot be saved: {self.refusal()}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self.error(exc) from exc
            try:
                yield conn
                schema.stamp(conn)
                conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self.error(exc) from exc
                raise

    def changed_elsewhere(self) -> bool:
        """True when another connection has committed since the last call."""
        with self.read() as conn:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _connection(self) -> sqlite3.Connection:
        if self.conn is None:
            raise BookmarkError("the bookmark store is closed")
        return self.conn

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                # The last connection to close checkpoints the WAL and deletes it: not while
                # another instance is checking the files.
                if self.refused is not None:
                    self.conn.close()
                    self.conn = None
                    return
                with open_lock(self.path, self.timeout, or_fail=False):
                    self.conn.close()
                    self.conn = None
                    register(self._identity, -1)
