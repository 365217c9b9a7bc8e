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
import errno
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.model.bookmark import Bookmark, normalize_tags
from viewer.store.atomic import atomic_write_bytes, new_file_mode
from viewer.store.errors import BookmarkError, StoreError
from viewer.store.export_formats import FORMATS
from viewer.store.sources import read_source

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
#: What would open a block at the start of a line: a heading, list or table mark, a setext
#: underline, or an ordered list's number and its delimiter ("1." or "1)").
_MD_LINE_START = re.compile(r"^(\s*)(?:([#+\-=|])|(\d+)([.)]))", re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    """``#`` → ``\\#``; ``1.`` → ``1\\.``: CommonMark escapes only punctuation, so a list's
    number keeps its digits and its delimiter is escaped (``\\1.`` would show the backslash)."""
    space, mark, number, delimiter = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{number}\\{delimiter}"


@dataclass(frozen=True)
class MarkdownTexts:
    """The words of a Markdown export; the window gives them in its language ("第 2 段")."""

    heading: str = "Bookmarks"
    tags: str = "Tags: "
    citation: Callable[[Bookmark], str] = Bookmark.citation


def to_markdown(bookmarks: Iterable[Bookmark], texts: MarkdownTexts | None = None) -> str:
    texts = texts or MarkdownTexts()
    parts = [f"# {texts.heading}", ""]
    for bookmark in bookmarks:
        quote = _MD_LINE_START.sub(_escape_line_start, _MD_SPECIAL.sub(r"\\\1", bookmark.quote))
        parts.extend(f"> {line}".rstrip() for line in quote.splitlines() or [""])
        parts.append("")
        parts.append(f"— {texts.citation(bookmark)}")
        parts.append("")
        if bookmark.note.strip():
            parts.append(bookmark.note.strip())
            parts.append("")
        if bookmark.tags:
            parts.append(texts.tags + ", ".join(bookmark.tags))
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


def render(bookmarks: Sequence[Bookmark], fmt: str, texts: MarkdownTexts | None = None) -> bytes:
    """The file's bytes in one of ``FORMATS`` (CSV with a UTF-8 byte order mark)."""
    if fmt == "markdown":
        return to_markdown(bookmarks, texts).encode("utf-8")
    if fmt == "csv":
        return to_csv(bookmarks).encode("utf-8-sig")
    if fmt == "json":
        return to_json(bookmarks).encode("utf-8")
    raise BookmarkError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")


def write_export(
    bookmarks: Sequence[Bookmark], fmt: str, path: Path, texts: MarkdownTexts | None = None
) -> None:
    """Write an export atomically: the file is complete or left as it was. A link is
    followed (the file it names is replaced, the link kept). What is not a regular file is
    never replaced: a device or a pipe (``-o /dev/stdout``, ``-o /dev/null``) is written
    into, without waiting for a pipe that nobody reads; a folder is refused. A new file gets
    the mode the umask gives (0644 with umask 022), a replaced one keeps its own."""
    data = render(bookmarks, fmt, texts)
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        mode = None  # no such file yet (or a name the system refuses: the write will say)
    if mode is not None and stat.S_ISDIR(mode):
        raise BookmarkError(f"{path} is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        _write_into(path, data)
        return
    target = path.resolve() if path.is_symlink() else path
    try:
        atomic_write_bytes(target, data)
        # The temp file was made private (0600); an export is a file like any other.
        os.chmod(target, stat.S_IMODE(mode) if mode is not None else new_file_mode(target.parent))
    except StoreError as exc:
        raise BookmarkError(str(exc)) from exc
    except OSError as exc:
        raise BookmarkError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_into(path: Path, data: bytes) -> None:
    """Write ``data`` into a device or a pipe as it is (no temp file, no rename)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a pipe that nobody reads: it would wait for ever
            raise BookmarkError(f"{path} is a named pipe that nobody is reading") from exc
        raise BookmarkError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        os.set_blocking(fd, True)  # a reader is there: wait for it as a pipe does
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise BookmarkError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from exc
    finally:
        os.close(fd)


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


#: The largest whole number a field may hold: 2**53 - 1, the largest that every JSON
#: reader keeps exactly (RFC 8259 §6), far below SQLite's 2**63 - 1.
MAX_NUMBER = 2**53 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_import(data: bytes) -> list[Bookmark]:
    """Bookmarks from the bytes of a JSON export; BookmarkError with the reason if they are
    not one. All or nothing: one bad bookmark refuses the whole file (nothing half-imported).

    Refused with a reason: text that is not UTF-8, not JSON, nested too deeply or holding
    a number too long to read; a shape that is not an export; and in any bookmark a field
    of the wrong type, a whole number above ``MAX_NUMBER``, or text holding a lone
    surrogate (``"\\udcff"``: no text can be stored with one).
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BookmarkError("not a bookmarks file (it is not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        raise BookmarkError(f"not a bookmarks file (not JSON: {exc.msg} at line {exc.lineno})") from exc
    except RecursionError as exc:
        raise BookmarkError("not a bookmarks file (its JSON is nested too deeply)") from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise BookmarkError("not a bookmarks file (it holds a number too long to read)") from exc
    if isinstance(document, dict):
        if document.get("format") != JSON_FORMAT or "bookmarks" not in document:
            raise BookmarkError("not a bookmarks file (a JSON object, but not a Bulletin Viewer export)")
        version = document.get("version")
        if not _is_whole(version) or version < 1:
            raise BookmarkError("not a bookmarks file (its 'version' is missing or not a version number)")
        if version > JSON_VERSION:
            raise BookmarkError(
                f"the file is in bookmark format version {version}, newer than this program reads"
                if version <= MAX_NUMBER
                else "the file is in a bookmark format version newer than this program reads"
            )
        entries = document["bookmarks"]
    else:
        entries = document
    if not isinstance(entries, list):
        raise BookmarkError("not a bookmarks file (expected a list of bookmarks)")
    return [_from_record(entry, n) for n, entry in enumerate(entries, 1)]


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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

    def text(key: str, value: object) -> str:
        if not isinstance(value, str):
            raise bad(key, "must be text")
        if _SURROGATE.search(value):
            raise bad(key, "holds a character that is not valid Unicode (a lone surrogate)")
        return value

    def whole(key: str, value: object) -> int:
        if not _is_whole(value):
            raise bad(key, "must be a whole number")
        if value > MAX_NUMBER:
            raise bad(key, "is too large")
        return value

    for key in ("bulletin", "district", "quote"):
        if key not in entry:
            raise bad(key, "is missing")
        text(key, entry[key])
    if not entry["bulletin"].strip() or not entry["quote"].strip():
        raise BookmarkError(f"bookmark {n}: 'bulletin' and 'quote' must not be empty")
    if "paragraph" not in entry:
        raise bad("paragraph", "is missing")
    paragraph = whole("paragraph", entry["paragraph"])
    start = whole("start", entry.get("start", 0))
    ident = whole("id", entry.get("id", 0))
    if paragraph < -1:
        raise bad("paragraph", "must be -1 (headline) or more")
    optional = {key: text(key, entry.get(key, "")) for key in _OPTIONAL_TEXT}
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("tags", "must be a list of texts")
    for tag in tags:
        text("tags", tag)
    orphaned = entry.get("orphaned", False)
    if not isinstance(orphaned, bool):
        raise bad("orphaned", "must be true or false")
    section = entry.get("section")
    if section is not None:
        if not _is_whole(section) or section < -3:
            raise bad("section", "must be a section number, -1 (lead), -2 (closing) or -3 (title)")
        whole("section", section)
    return Bookmark(
        id=max(ident, 0),
        bulletin_id=entry["bulletin"],
        district=entry["district"],
        paragraph=paragraph,
        start=max(start, 0),
        quote=entry["quote"],
        tags=normalize_tags(tags),
        section=section,
        orphaned=orphaned,
        **optional,
    )
