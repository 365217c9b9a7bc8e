"""Reading rows of the bookmark file: the bookmark each row holds, repaired as far as it can
be, and each damaged row named once in the log.

A row that is not what the store writes (bytes that are not UTF-8, a NULL, a number where
text belongs, tags that are not a list) is read as far as it can be (U+FFFD for the bytes,
"" for a NULL) and named once in the log; one that cannot be a bookmark at all (no quote,
no bulletin, no paragraph number) is left out of lists and exports, named once too, and
can still be removed. The other bookmarks always come out.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterable

from viewer.model.bookmark import Bookmark, normalize_tags
from viewer.store.bookmark_schema import SELECT
from viewer.store.errors import BookmarkError, UnreadableRowError

log = logging.getLogger("viewer.store")

#: The largest whole number a bookmark field holds (as the JSON import allows).
MAX_NUMBER = 2**53 - 1


def row_by_id(conn: sqlite3.Connection, bookmark_id: int) -> tuple | None:
    """The row of one bookmark, None when there is none."""
    return conn.execute(f"SELECT {SELECT} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()


def all_rows(conn: sqlite3.Connection) -> list[tuple]:
    """Every row, oldest first."""
    return conn.execute(f"SELECT {SELECT} FROM bookmarks ORDER BY id").fetchall()


def rows_of_bulletin(conn: sqlite3.Connection, bulletin_id: str) -> list[tuple]:
    """The rows of one bulletin, oldest first."""
    return conn.execute(
        f"SELECT {SELECT} FROM bookmarks WHERE bulletin_id = ? ORDER BY id", (bulletin_id,)
    ).fetchall()


def rows_of_paragraph(conn: sqlite3.Connection, bulletin_id: str, paragraph: int) -> list[tuple]:
    """The rows of one paragraph number of a bulletin (in any of its parts)."""
    return conn.execute(
        f"SELECT {SELECT} FROM bookmarks WHERE bulletin_id = ? AND paragraph = ?", (bulletin_id, paragraph)
    ).fetchall()


class RowReader:
    """Turns rows into bookmarks for one store, naming each damaged row once in the log."""

    def __init__(self) -> None:
        self._warned: set[int] = set()  # ids of damaged rows already named in the log

    def bookmarks(self, rows: Iterable[tuple]) -> list[Bookmark]:
        """The bookmarks of ``rows``: one that cannot be read is skipped, one with a field that
        is not valid is repaired as far as it can be; each is named once in the log (per
        store), and the others come out as they are."""
        found = []
        for row in rows:
            try:
                bookmark, repairs = read_row(row)
            except UnreadableRowError as exc:
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


def from_row(row: tuple) -> Bookmark:
    """The bookmark a row holds; UnreadableRowError when it cannot be one. A field that is
    missing or not valid (a NULL, bytes that are not UTF-8, tags that are not a list) is
    repaired as far as it can be: ``read_row`` says which."""
    return read_row(row)[0]


def readable(row: tuple) -> Bookmark:
    """The bookmark of one row asked for by its id; BookmarkError when it cannot be read."""
    try:
        return from_row(row)
    except UnreadableRowError as exc:
        raise BookmarkError(f"bookmark {row[0]} cannot be read: {exc}") from None


def read_row(row: tuple) -> tuple[Bookmark, list[str]]:
    """The bookmark a row (as ``SELECT`` reads it) holds, and the repairs it took."""
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
        if isinstance(number, int) and not isinstance(number, bool) and low <= number <= MAX_NUMBER:
            return number
        if required:
            raise UnreadableRowError(f"its {name} is {_shown(value)}, not a {name} number")
        repairs.append(f"its {name} is {_shown(value)}")
        return default

    values = {
        "bulletin_id": text("bulletin", bulletin_id).strip(),
        "quote": text("quote", quote),
    }
    if not values["bulletin_id"]:
        raise UnreadableRowError("it names no bulletin")
    if not values["quote"].strip():
        raise UnreadableRowError("it has no quote")
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


def _shown(value: object) -> str:
    """A stored value in a message: short, and nothing in it can drive a terminal."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    shown = ascii(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"
