"""Checking the bookmark file before SQLite may write to it: a WAL not written for it is set
aside, a damaged file is kept aside (and a fresh one started), an odd file is refused.

Opening never lets SQLite write to a file it has not checked. When no other connection has
the file open (``bookmark_lock.in_use``: a WAL in use is a live one of ours):

1. A ``-wal`` file beside the database is applied only if it was written for this very
   database. SQLite cannot tell (a WAL's salts are random and recorded nowhere else), so
   every transaction of ours also rewrites the single row ``store_state(generation,
   previous, nonce)`` (``bookmark_schema.stamp``). The WAL is read without SQLite
   (``viewer.store.sqlite_wal``: its valid committed frames, as SQLite would see them), and
   the row read from each of its transactions and from the database file alone (an
   ``immutable`` read-only connection, which ignores the WAL). Since a checkpoint copies
   whole transactions from the start of the WAL into the file, the WAL is ours exactly when
   the file holds the state just before the WAL's first transaction (its ``generation - 1``
   and ``previous``) or just after one of them (that ``generation`` and ``nonce``), every
   transaction in the WAL carries the row, and they chain. A WAL of another copy of the
   store (a restore, a file-sync tool) shares generations with this file but not nonces (a
   chance of 2**-64). A file from before the row existed (schema 2), or one that cannot be
   read alone (a checkpoint interrupted half-way), cannot be checked so: its WAL is applied
   to copies in a temporary folder and accepted only if the result passes ``PRAGMA
   integrity_check`` and does not take the id counter back. A WAL beside no database, or
   with a page size not the file's, is not ours either. One that is not is renamed
   ``bookmarks.sqlite3-wal.foreign-YYYYMMDDTHHMMSS`` (its ``-shm`` alongside), never
   applied. A WAL with no valid committed transaction is left alone: SQLite applies nothing
   from it.
2. The database (with its own WAL, on copies) is checked (``PRAGMA quick_check``) on a
   read-only connection. A file that is not a readable database or fails the check is
   copied byte for byte to ``bookmarks.sqlite3.damaged-20261129T010203`` (its ``-wal`` and
   ``-shm`` files alongside) by ``keep_damaged``, then removed, so that a fresh store can be
   started.

A bookmark file (or its ``-wal``, ``-shm``, ``.lock``) that is a named pipe, a device or a
folder is refused at once with a plain error (``refuse_odd_files``): SQLite would wait on a
pipe for ever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from viewer.store import sqlite_codes, sqlite_wal
from viewer.store.atomic import atomic_copy
from viewer.store.bookmark_lock import companion
from viewer.store.errors import BookmarkError

log = logging.getLogger("viewer.store")


def refuse_odd_files(path: Path) -> None:
    """Refuse at once, plainly, a store whose file (or its ``-wal``, ``-shm``, ``.lock``) is
    a named pipe, a device or a folder: SQLite would wait on a pipe for ever."""
    for name in (path, *(companion(path, extra) for extra in ("-wal", "-shm", ".lock"))):
        try:
            mode = os.stat(name).st_mode
        except (OSError, ValueError):  # missing (or a name the system refuses): SQLite will say
            continue
        if stat.S_ISREG(mode):
            continue
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        if stat.S_ISFIFO(mode):
            kind = "a named pipe (FIFO)"
        raise BookmarkError(
            f"{name} is {kind}, not a file of the bookmark store; move it away and start again"
        )


def store_exists(path: Path) -> bool:
    """Whether there is anything of a store on disk (its file, or a WAL of one)."""
    try:
        return any(os.path.lexists(p) for p in (path, companion(path, "-wal")))
    except (OSError, ValueError):
        return True


def connect_alone(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database file alone: ``immutable`` makes SQLite ignore
    any WAL and take no locks, and it never writes (not even a ``-shm``)."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    conn.text_factory = lenient_text
    return conn


def lenient_text(data: bytes) -> str:
    """Text of the database as str, never failing: bytes that are not UTF-8 (in a column a
    bookmark's text is not read from as bytes) become U+FFFD, and ``bookmark_rows`` judges
    them."""
    return data.decode("utf-8", "replace")


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA quick_check`` finds nothing wrong, else its first finding."""
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result == [("ok",)]:
        return None
    return f"integrity check: {result[0][0] if result else 'no answer'}"


def check_files(path: Path) -> tuple[str | None, Path | None]:
    """Steps 1 and 2 of the module docstring, with no connection open anywhere: set a
    foreign WAL aside; return what is wrong with the database (or None) and where the
    foreign WAL went (or None)."""
    wal = companion(path, "-wal")
    try:
        has_wal = wal.is_file() and wal.stat().st_size > 0
    except OSError:
        has_wal = False
    if not path.exists():
        if has_wal:  # SQLite would delete it on creating the new file
            return None, _set_aside_wal(path, "there is no database for it")
        return None, None
    foreign = None
    if has_wal:
        reason = _foreign_reason(path, wal)
        if reason is not None:
            foreign = _set_aside_wal(path, reason)
    return _damage(path, with_wal=has_wal and foreign is None), foreign


def keep_damaged(path: Path) -> Path:
    """Copy the damaged file (and its ``-wal``, ``-shm``) byte for byte beside it, then
    remove it so that a fresh one can be started; return where the copy is. The copy is made
    before anything is removed, and nothing else writes to it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    companions = [companion(path, extra) for extra in ("-wal", "-shm")]
    try:
        atomic_copy(path, target)
        for extra in companions:
            if extra.exists():
                atomic_copy(extra, target.with_name(target.name + extra.name[-4:]))
        for extra in companions:
            extra.unlink(missing_ok=True)
        path.unlink()
    except OSError as exc:
        raise BookmarkError(
            f"the bookmark file {path} is damaged and could not be kept aside: {exc.strerror or exc}"
        ) from exc
    log.info("damaged bookmark file kept as %s; a new one was started", target)
    return target


def _foreign_reason(path: Path, wal: Path) -> str | None:
    """Why ``wal`` was not written for the database ``path``, or None when it was (or when
    SQLite would apply nothing from it)."""
    try:
        log_file = sqlite_wal.read_wal(wal)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if log_file is None or not log_file.commits:
        return None  # no valid committed transaction: SQLite applies nothing
    try:
        page_size, root, state = _state_alone(path)
    except sqlite3.Error:
        page_size, root, state = None, None, None  # the file alone cannot be read
    if page_size is not None and page_size != log_file.page_size:
        return f"its page size is {log_file.page_size}, the database's {page_size}"
    if root is None or state is None:
        return _foreign_by_structure(path, wal)
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


def _foreign_by_structure(path: Path, wal: Path) -> str | None:
    """For a file that predates ``store_state``: apply the WAL to copies and see."""
    before = _sequence_alone(path)
    with tempfile.TemporaryDirectory(prefix="bulletin-viewer-check-") as folder:
        copy = Path(folder) / "check.sqlite3"
        try:
            shutil.copyfile(path, copy)
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


def _damage(path: Path, *, with_wal: bool) -> str | None:
    """What is wrong with the database (with its own WAL when ``with_wal``), checked
    without writing to either: read-only and immutable, or on copies."""
    try:
        if with_wal:
            with tempfile.TemporaryDirectory(prefix="bulletin-viewer-check-") as folder:
                copy = Path(folder) / "check.sqlite3"
                shutil.copyfile(path, copy)
                shutil.copyfile(companion(path, "-wal"), Path(folder) / "check.sqlite3-wal")
                with contextlib.closing(sqlite3.connect(copy)) as conn:
                    return quick_check(conn)
        with contextlib.closing(connect_alone(path)) as conn:
            return quick_check(conn)
    except OSError:
        return None  # cannot be copied or read here: the real open will tell
    except sqlite3.Error as exc:
        if sqlite_codes.primary_code(exc) in sqlite_codes.DAMAGED:
            return str(exc)
        return None


def _set_aside_wal(path: Path, reason: str) -> Path:
    """Rename the WAL (and its ``-shm``) of ``path``, never applied; return its new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    wal, shm = companion(path, "-wal"), companion(path, "-shm")
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
    log.warning("%s was not written for %s (%s): not applied, kept as %s", wal.name, path, reason, target)
    return target


def _state_alone(path: Path) -> tuple[int | None, int | None, tuple[int, int, int] | None]:
    """(page size, root page of store_state, its row) of the database file alone."""
    with contextlib.closing(connect_alone(path)) as conn:
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
        with contextlib.closing(connect_alone(path)) as conn:
            return _sequence(conn)
    except sqlite3.Error:
        return None
