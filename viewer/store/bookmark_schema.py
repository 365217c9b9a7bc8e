"""The bookmark file's SQLite schema: its tables, the migrations that bring an older file
up to date, the ``store_state`` stamp every transaction writes, and the columns rows are
written and read with.

The schema version is ``PRAGMA user_version``; ``MIGRATIONS`` brings an older file up to
date on open (``migrate``), and a file from a newer program is refused, not touched
(``check_version``). Every write transaction ends with ``stamp``: it rewrites the single
row ``store_state(generation, previous, nonce)`` with ``generation + 1``, ``previous`` =
the old nonce and a fresh random 64-bit nonce, which ties a WAL to its database (see
``viewer.store.bookmark_recovery``).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from viewer.store.errors import BookmarkError

log = logging.getLogger("viewer.store")

#: Each entry brings the schema from version i to i+1 (``PRAGMA user_version``).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
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
SCHEMA_VERSION = len(MIGRATIONS)
#: Run in every write transaction, last (see the module docstring).
STAMP = "UPDATE store_state SET generation = generation + 1, previous = nonce, nonce = random()"

#: The columns of a bookmark, in the order ``bookmark_rows.read_row`` takes them.
COLUMNS = (
    "id, bulletin_id, district, paragraph, start, quote, prefix, suffix, note, tags, "
    "title, column_name, created, updated, orphaned, section, heading, date, number"
)
_NUMBER_COLUMNS = frozenset({"id", "paragraph", "start", "orphaned", "section"})
#: What reads select: the text columns as their bytes, decoded by ``bookmark_rows``, so that
#: a value that is not UTF-8 (written by another program, or damaged) spoils one field of
#: one bookmark, not the whole query.
SELECT = ", ".join(
    name if name in _NUMBER_COLUMNS else f"CAST({name} AS BLOB)" for name in COLUMNS.split(", ")
)
#: Adds one bookmark: the values of every column of ``COLUMNS``, in order.
INSERT = f"INSERT INTO bookmarks ({COLUMNS}) VALUES ({', '.join('?' * len(COLUMNS.split(',')))})"


def stamp(conn: sqlite3.Connection) -> None:
    """Stamp the transaction in progress (the last statement of each)."""
    conn.execute(STAMP)


def check_version(version: int, path: Path) -> None:
    """Refuse a file written by a newer program (schema ``version``), leaving it as it is."""
    if version > SCHEMA_VERSION:
        raise BookmarkError(
            f"the bookmark file {path} was written by a newer version of "
            "Bulletin Viewer; please update the program"
        )


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file of ``conn`` (named ``path`` in the log) up to ``SCHEMA_VERSION``, in
    one transaction."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check_version(version, path)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            log.info("bookmark store %s: schema version %d", path, target)
        stamp(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    # Into the file at once, so that the file alone carries store_state from now on.
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
