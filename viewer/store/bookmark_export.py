"""Bookmarks out to Markdown, CSV and JSON, and back in from JSON. Pure but for ``write_export``
and ``read_import``.

A bookmark carries its bulletin's title and column, so exports need no archive and the
citation of an orphaned bookmark (whose bulletin was removed) is still complete.

- Markdown: per bookmark, the quote as a block quote, then the citation line
  ``— title · column · district · paragraph n`` (n counts from 1, for people; a headline
  says ``headline``, the lead ``lead``), then the note, then its tags.
- CSV: UTF-8 with a byte order mark (spreadsheet programs then read Chinese), one row per
  bookmark; ``paragraph`` is 0-based as in JSON, the ``citation`` column is for people.
- JSON: ``{"format": "bulletin-viewer-bookmarks", "version": 1, "bookmarks": [...]}`` with
  every field (``Bookmark.to_dict``). ``parse_import`` also takes a bare array of such
  objects, e.g. the output of ``bulletin-viewer bookmarks list --json``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from viewer.model.bookmark import Bookmark, normalize_tags
from viewer.store.atomic import atomic_write_bytes
from viewer.store.bookmarks import BookmarkError
from viewer.store.errors import StoreError
from viewer.store.sources import read_source

FORMATS = ("markdown", "csv", "json")
SUFFIXES = {"markdown": ".md", "csv": ".csv", "json": ".json"}
JSON_FORMAT = "bulletin-viewer-bookmarks"
JSON_VERSION = 1

CSV_FIELDS = (
    "id",
    "quote",
    "note",
    "tags",
    "citation",
    "title",
    "date",
    "number",
    "column",
    "district",
    "heading",
    "paragraph",
    "bulletin",
    "created",
    "updated",
    "orphaned",
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=|]|\d+[.)])", re.MULTILINE)


def to_markdown(bookmarks: Iterable[Bookmark]) -> str:
    parts = ["# Bookmarks", ""]
    for bookmark in bookmarks:
        quote = _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", bookmark.quote))
        parts.extend(f"> {line}".rstrip() for line in quote.splitlines() or [""])
        parts.append("")
        parts.append(f"— {bookmark.citation()}")
        parts.append("")
        if bookmark.note.strip():
            parts.append(bookmark.note.strip())
            parts.append("")
        if bookmark.tags:
            parts.append("Tags: " + ", ".join(bookmark.tags))
            parts.append("")
        parts.append("---")
        parts.append("")
    return "\n".join(parts)


def to_csv(bookmarks: Iterable[Bookmark]) -> str:
    """The CSV text (without the byte order mark; ``render`` adds it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for b in bookmarks:
        writer.writerow(
            [
                b.id,
                b.quote,
                b.note,
                "; ".join(b.tags),
                b.citation(),
                b.title,
                b.date,
                b.number,
                b.column,
                b.district,
                b.heading,
                b.paragraph,
                b.bulletin_id,
                b.created,
                b.updated,
                "yes" if b.orphaned else "",
            ]
        )
    return out.getvalue()


def to_json(bookmarks: Iterable[Bookmark]) -> str:
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "bookmarks": [b.to_dict() for b in bookmarks],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(bookmarks: Sequence[Bookmark], fmt: str) -> bytes:
    """The file's bytes in one of ``FORMATS`` (CSV with a UTF-8 byte order mark)."""
    if fmt == "markdown":
        return to_markdown(bookmarks).encode("utf-8")
    if fmt == "csv":
        return to_csv(bookmarks).encode("utf-8-sig")
    if fmt == "json":
        return to_json(bookmarks).encode("utf-8")
    raise BookmarkError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")


def write_export(bookmarks: Sequence[Bookmark], fmt: str, path: Path) -> None:
    """Write an export atomically: the file is complete or left as it was."""
    data = render(bookmarks, fmt)
    try:
        atomic_write_bytes(Path(path), data)
    except StoreError as exc:
        raise BookmarkError(str(exc)) from exc


# -- import --------------------------------------------------------------------------
def read_import(path: Path) -> list[Bookmark]:
    """The bookmarks in a JSON export file; BookmarkError naming the file and the reason."""
    path = Path(path)
    try:
        data = read_source(path)
    except StoreError as exc:
        raise BookmarkError(str(exc)) from exc
    try:
        return parse_import(data)
    except BookmarkError as exc:
        raise BookmarkError(f"{path}: {exc}") from exc


def parse_import(data: bytes) -> list[Bookmark]:
    """Bookmarks from the bytes of a JSON export; BookmarkError with the reason if they are not one."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BookmarkError("not a bookmarks file (it is not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        raise BookmarkError(f"not a bookmarks file (not JSON: {exc.msg} at line {exc.lineno})") from exc
    if isinstance(document, dict):
        if document.get("format") != JSON_FORMAT or "bookmarks" not in document:
            raise BookmarkError("not a bookmarks file (a JSON object, but not a Bulletin Viewer export)")
        version = document.get("version")
        if not isinstance(version, int) or version > JSON_VERSION:
            raise BookmarkError(
                f"the file is in bookmark format version {version}, newer than this program reads"
            )
        entries = document["bookmarks"]
    else:
        entries = document
    if not isinstance(entries, list):
        raise BookmarkError("not a bookmarks file (expected a list of bookmarks)")
    return [_from_record(entry, n) for n, entry in enumerate(entries, 1)]


_OPTIONAL_TEXT = (
    "prefix",
    "suffix",
    "note",
    "title",
    "column",
    "date",
    "number",
    "heading",
    "created",
    "updated",
)


def _from_record(entry: object, n: int) -> Bookmark:
    if not isinstance(entry, dict):
        raise BookmarkError(f"bookmark {n} is not a JSON object")

    def bad(key: str, what: str) -> BookmarkError:
        return BookmarkError(f"bookmark {n}: '{key}' {what}")

    for key in ("bulletin", "district", "quote"):
        if key not in entry:
            raise bad(key, "is missing")
        if not isinstance(entry[key], str):
            raise bad(key, "must be text")
    if not entry["bulletin"].strip() or not entry["quote"].strip():
        raise BookmarkError(f"bookmark {n}: 'bulletin' and 'quote' must not be empty")
    for key in ("paragraph", "start", "id"):
        value = entry.get(key, 0)
        if key == "paragraph" and key not in entry:
            raise bad(key, "is missing")
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad(key, "must be a whole number")
    if entry["paragraph"] < -1:
        raise bad("paragraph", "must be -1 (headline) or more")
    for key in _OPTIONAL_TEXT:
        if not isinstance(entry.get(key, ""), str):
            raise bad(key, "must be text")
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("tags", "must be a list of texts")
    orphaned = entry.get("orphaned", False)
    if not isinstance(orphaned, bool):
        raise bad("orphaned", "must be true or false")
    section = entry.get("section")
    if section is not None and (not isinstance(section, int) or isinstance(section, bool) or section < -3):
        raise bad("section", "must be a section number, -1 (lead), -2 (closing) or -3 (title)")
    return Bookmark(
        id=max(entry.get("id", 0), 0),
        bulletin_id=entry["bulletin"],
        district=entry["district"],
        paragraph=entry["paragraph"],
        start=max(entry.get("start", 0), 0),
        quote=entry["quote"],
        prefix=entry.get("prefix", ""),
        suffix=entry.get("suffix", ""),
        note=entry.get("note", ""),
        tags=normalize_tags(tags),
        title=entry.get("title", ""),
        column=entry.get("column", ""),
        date=entry.get("date", ""),
        number=entry.get("number", ""),
        heading=entry.get("heading", ""),
        section=section,
        created=entry.get("created", ""),
        updated=entry.get("updated", ""),
        orphaned=orphaned,
    )
