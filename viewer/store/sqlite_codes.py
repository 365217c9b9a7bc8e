"""SQLite's result codes by name (https://www.sqlite.org/rescode.html), and the primary
code of a ``sqlite3.Error``: the one place that knows what SQLite's numbers mean."""

from __future__ import annotations

import sqlite3

PERM = sqlite3.SQLITE_PERM  # 3: the access mode for a new database cannot be provided
BUSY = sqlite3.SQLITE_BUSY  # 5: another connection (another process) holds the lock
LOCKED = sqlite3.SQLITE_LOCKED  # 6: a conflict within one connection (or a shared cache)
READONLY = sqlite3.SQLITE_READONLY  # 8: the database cannot be written
IOERR = sqlite3.SQLITE_IOERR  # 10: the operating system reported an I/O error
CORRUPT = sqlite3.SQLITE_CORRUPT  # 11: the database file is damaged
FULL = sqlite3.SQLITE_FULL  # 13: the disk is full
CANTOPEN = sqlite3.SQLITE_CANTOPEN  # 14: the file cannot be opened
NOTADB = sqlite3.SQLITE_NOTADB  # 26: the file is not a database

#: An extended result code holds its primary code in its low byte.
_PRIMARY_MASK = 0xFF

#: The codes that mean the file itself is not a readable database.
DAMAGED = frozenset({CORRUPT, NOTADB})


def primary_code(exc: sqlite3.Error) -> int | None:
    """The primary result code of ``exc`` (e.g. ``BUSY`` for ``SQLITE_BUSY_SNAPSHOT``);
    None when SQLite gave none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & _PRIMARY_MASK if isinstance(code, int) else None
