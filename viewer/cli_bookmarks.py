"""``bulletin-viewer bookmarks add|list|export|import|remove``. Importing this never loads Qt.

``bookmarks list --json`` prints one JSON array
``[{"id", "bulletin", "district", "paragraph", "quote", "note", "tags", "created"}]``
(``district`` as printed, ``paragraph`` 0-based, -1 for a headline). ``list`` and
``export`` first re-attach bookmarks to the archive as it is now, so what they show is
current. Errors exit 2 with ``error: …`` on stderr (raised here, printed by ``viewer.cli``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cli_errors import CliError
from viewer.cli_output import emit_json, say, warn, write_bytes
from viewer.model import HEADLINE
from viewer.store import Archive
from viewer.store.export_formats import FORMATS

if TYPE_CHECKING:
    from viewer.model.bookmark import Anchor, Bookmark
    from viewer.store.bookmarks import BookmarkStore

#: Places listed when a quote is ambiguous (the rest are counted).
_MAX_PLACES = 20

#: Bookmark ids are SQLite row ids: whole numbers from 1 up to this.
_MAX_ID = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """A text argument: refused when it holds bytes that are not UTF-8 (lone surrogates),
    which could be neither matched nor stored."""
    if _SURROGATE.search(value):
        raise argparse.ArgumentTypeError(
            "the text is not valid UTF-8 (is the terminal set to another encoding?)"
        )
    return value


def _bookmark_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a bookmark id is a whole number, not {value!r}") from None
    if not 1 <= number <= _MAX_ID:
        raise argparse.ArgumentTypeError(f"no bookmark has the id {value} (ids are whole numbers from 1)")
    return number


LIST_KEYS = ("id", "bulletin", "district", "paragraph", "quote", "note", "tags", "created")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bookmarks", help="keep, list, export and import bookmarked passages")
    actions = parser.add_subparsers(dest="bookmarks_command", metavar="ACTION", required=True)

    p = actions.add_parser("add", help="bookmark the one passage that holds a quote")
    p.add_argument(
        "--quote", required=True, type=_text, metavar="TEXT", help="exact text of the passage (or part)"
    )
    p.add_argument(
        "--district", type=_text, metavar="NAME", help="only look in this district (东城 or 东城区)"
    )
    p.add_argument(
        "--bulletin", type=_text, metavar="ID", help="only look in this bulletin (id or unique prefix)"
    )
    p.add_argument("--note", default="", type=_text, metavar="TEXT")
    p.add_argument("--tag", action="append", default=[], type=_text, metavar="T", help="a tag (repeatable)")
    p.set_defaults(func=_cmd_add)

    p = actions.add_parser("list", help="list bookmarks")
    p.add_argument("--json", action="store_true", help="a JSON array of bookmarks")
    p.set_defaults(func=_cmd_list)

    p = actions.add_parser("export", help="write bookmarks as Markdown, CSV or JSON")
    p.add_argument("--format", choices=FORMATS, default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.set_defaults(func=_cmd_export)

    p = actions.add_parser("import", help="add bookmarks from a JSON export (duplicates are skipped)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_cmd_import)

    p = actions.add_parser("remove", help="remove a bookmark")
    p.add_argument("id", type=_bookmark_id, metavar="ID")
    p.set_defaults(func=_cmd_remove)


def _open_store(*, create: bool = True) -> BookmarkStore:
    from viewer.store.bookmarks import BookmarkStore  # here: not for the other commands

    store = BookmarkStore(create=create)
    if store.recovered_from is not None:
        warn(
            f"warning: the bookmark file was damaged and could not be read; it was kept as "
            f"{store.recovered_from} and a new, empty bookmark file was started"
        )
    if store.foreign_wal is not None:
        warn(
            "warning: a write-ahead log beside the bookmark file was not written for it (another "
            f"copy of the store?); it was not applied and was kept as {store.foreign_wal}"
        )
    return store


def _describe(anchor: Anchor) -> str:
    paragraph, start, _end = anchor.spans[0]
    what = "headline" if paragraph == HEADLINE else f"paragraph {paragraph}"
    return f"  {anchor.bulletin_id}  {anchor.district or '(lead)'}  {what}  (character {start})"


def _cmd_add(args: argparse.Namespace) -> int:
    archive = Archive()
    with _open_store() as store:
        anchors = store.find_by_quote(archive, args.quote, district=args.district, bulletin=args.bulletin)
        if not anchors:
            where = " in district " + args.district if args.district else ""
            raise CliError(f"the quote was not found{where} in the archive")
        if len(anchors) > 1:
            lines = [_describe(a) for a in anchors[:_MAX_PLACES]]
            if len(anchors) > _MAX_PLACES:
                lines.append(f"  … and {len(anchors) - _MAX_PLACES} more")
            raise CliError(
                f"the quote occurs in {len(anchors)} places; narrow it with --district, --bulletin "
                "or a longer quote (bulletin, district, paragraph 0-based):\n" + "\n".join(lines)
            )
        (anchor,) = anchors
        from viewer.model.bookmark import make_bookmark_at

        bookmark = make_bookmark_at(archive.get(anchor.bulletin_id), anchor, note=args.note, tags=args.tag)
        saved = store.add(bookmark)
    say(f"added bookmark {saved.id}: {saved.citation()}")
    return 0


def _current_bookmarks() -> list[Bookmark]:
    """Every bookmark, first re-attached to the archive as it is now."""
    with _open_store(create=False) as store:  # only read: a home without bookmarks stays as it is
        store.reanchor(Archive())
        return store.list()


def _cmd_list(args: argparse.Namespace) -> int:
    bookmarks = _current_bookmarks()
    if args.json:
        rows = [{key: b.to_dict()[key] for key in LIST_KEYS} for b in bookmarks]
        emit_json(rows)
        return 0
    for b in bookmarks:
        quote = b.quote if len(b.quote) <= 40 else b.quote[:39] + "…"
        extra = "".join(f"  #{t}" for t in b.tags)
        if b.note:
            extra += f"  — {b.note.splitlines()[0]}"
        orphan = "  [passage not found]" if b.orphaned else ""
        say(f"{b.id:>4}  {b.bulletin_id[:8]}  {b.place}  「{quote}」{extra}{orphan}")
    if not bookmarks:
        say("no bookmarks yet")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    bookmarks = _current_bookmarks()
    if args.output:
        from viewer.store.bookmark_export import write_export

        write_export(bookmarks, args.format, Path(args.output))
        say(f"exported {len(bookmarks)} bookmarks to {args.output}")
    else:
        from viewer.store.bookmark_export import render

        write_bytes(render(bookmarks, args.format))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from viewer.store.bookmark_export import read_import

    incoming = read_import(Path(args.file))
    with _open_store() as store:
        report = store.merge(incoming)
        orphans = store.reanchor(Archive(), ids=[b.id for b in report.added]) if report.added else 0
    line = f"{len(report.added)} added, {len(report.duplicates)} duplicates"
    if orphans:
        line += f" ({orphans} of the added passages are not in this archive; they are kept as orphaned)"
    say(line)
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    with _open_store() as store:
        removed = store.remove(args.id)
    say(f"removed bookmark {removed.id}: {removed.citation()}")
    return 0
