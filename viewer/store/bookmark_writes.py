"""Changing the bookmark file, inside a write transaction the caller holds: adding (a
passage already kept is refused), editing a note or tags, removing and restoring (undo:
back under the same id), merging an import and saving where re-anchored passages are now.

Ids are integers that are never reused (``AUTOINCREMENT``), so ``restore`` can always put
a removed bookmark back under its own id.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from viewer.model import Bulletin
from viewer.model.bookmark import Bookmark, normalize_tags, reattach
from viewer.store.bookmark_rows import RowReader, all_rows, from_row, readable, row_by_id, rows_of_paragraph
from viewer.store.bookmark_schema import INSERT
from viewer.store.errors import BookmarkError, DuplicateBookmarkError, UnreadableRowError


@dataclass
class MergeReport:
    """What ``merge`` did: bookmarks added (with their ids here) and ones already kept."""

    added: list[Bookmark] = field(default_factory=list)
    duplicates: list[Bookmark] = field(default_factory=list)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def checked(bookmark: Bookmark) -> Bookmark:
    """``bookmark`` ready to be saved (tags normalised); BookmarkError when it cannot be."""
    if not bookmark.bulletin_id or not bookmark.quote.strip():
        raise BookmarkError("a bookmark needs a bulletin and a quote")
    return replace(bookmark, tags=normalize_tags(bookmark.tags))


def add(conn: sqlite3.Connection, bookmark: Bookmark) -> Bookmark:
    """Save a new (checked) bookmark under a new id; DuplicateBookmarkError if its passage
    is already kept."""
    existing = _same_passage(conn, bookmark)
    if existing is not None:
        raise DuplicateBookmarkError(f"this passage is already bookmarked (bookmark {existing.id})", existing)
    return _insert(conn, bookmark, keep_id=False)


def update(
    conn: sqlite3.Connection, bookmark_id: int, note: str | None, tags: Iterable[str] | None
) -> Bookmark:
    """Change the note and/or the tags of a bookmark (None leaves a field as it is)."""
    row = row_by_id(conn, bookmark_id)
    if row is None:
        raise BookmarkError(f"there is no bookmark {bookmark_id}")
    bookmark = readable(row)
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


def delete(conn: sqlite3.Connection, bookmark_id: int) -> Bookmark:
    """Delete a bookmark and return it (for ``restore``); one whose row cannot be read is
    deleted all the same, and what could be read of it returned."""
    row = row_by_id(conn, bookmark_id)
    if row is None:
        raise BookmarkError(f"there is no bookmark {bookmark_id}")
    conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
    try:
        return from_row(row)
    except UnreadableRowError:
        return Bookmark(id=bookmark_id, bulletin_id="", district="", paragraph=0, quote="", orphaned=True)


def restore(conn: sqlite3.Connection, bookmark: Bookmark) -> Bookmark:
    """Put a removed (checked) bookmark back under its id, with its note, tags and times."""
    if conn.execute("SELECT 1 FROM bookmarks WHERE id = ?", (bookmark.id,)).fetchone():
        raise BookmarkError(f"bookmark {bookmark.id} is already there")
    return _insert(conn, bookmark, keep_id=True)


def merge(conn: sqlite3.Connection, incoming: Iterable[Bookmark], reader: RowReader) -> MergeReport:
    """Add (checked) bookmarks from elsewhere, skipping a passage already kept (same
    bulletin, district, paragraph and quote) as a duplicate. Ids are kept when this store
    has never used them (e.g. a fresh store), otherwise renumbered."""
    report = MergeReport()
    kept = {b.identity() for b in reader.bookmarks(all_rows(conn))}
    for bookmark in incoming:
        if bookmark.identity() in kept:
            report.duplicates.append(bookmark)
            continue
        kept.add(bookmark.identity())
        keep_id = bookmark.id > max(_last_id(conn), 0)
        report.added.append(_insert(conn, bookmark, keep_id=keep_id))
    return report


def reanchored(current: Iterable[Bookmark], bulletins: Mapping[str, Bulletin]) -> tuple[list[Bookmark], int]:
    """The bookmarks of ``current`` that moved (re-attached to where their passages are now
    in ``bulletins``, or marked orphaned), and how many of ``current`` are orphaned."""
    changed = []
    orphans = 0
    for bookmark in current:
        moved, _anchor = reattach(bookmark, bulletins)
        orphans += moved.orphaned
        if moved != bookmark:
            changed.append(moved)
    return changed, orphans


def save_locations(conn: sqlite3.Connection, moved: Iterable[Bookmark]) -> None:
    """Save where re-anchored bookmarks are now (``reanchored``)."""
    conn.executemany(
        "UPDATE bookmarks SET bulletin_id = ?, district = ?, paragraph = ?, start = ?, "
        "title = ?, column_name = ?, orphaned = ?, section = ?, heading = ?, date = ?, "
        "number = ? WHERE id = ?",
        [_location(b) for b in moved],
    )


def _location(b: Bookmark) -> tuple:
    """The UPDATE parameters of a re-anchored bookmark, in the statement's order."""
    return (
        *(b.bulletin_id, b.district, b.paragraph, b.start, b.title, b.column, b.orphaned),
        *(b.section, b.heading, b.date, b.number, b.id),
    )


def _last_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'bookmarks'").fetchone()
    return row[0] if row else 0


def _same_passage(conn: sqlite3.Connection, bookmark: Bookmark) -> Bookmark | None:
    for row in rows_of_paragraph(conn, bookmark.bulletin_id, bookmark.paragraph):
        try:
            other = from_row(row)
        except UnreadableRowError:
            continue
        if other.identity() == bookmark.identity():
            return other
    return None


def _insert(conn: sqlite3.Connection, bookmark: Bookmark, *, keep_id: bool) -> Bookmark:
    created = bookmark.created or now_iso()
    bookmark = replace(bookmark, created=created, updated=bookmark.updated or created)
    cursor = conn.execute(
        INSERT,
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


def _tags_json(tags: Iterable[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False)
