"""``bulletin-viewer search QUERY... [--district NAME] [--limit N] [--json]``.

The index is brought up to date first (incremental: only new or removed bulletins are
touched), so a search works on a fresh ``BULLETIN_VIEWER_HOME``. If another process is
updating the index, this one waits for it a while, then searches what it committed.

An index folder that cannot be written (a read-only or full disk, a home that cannot be
made) does not stop a search: an index that is up to date is searched as it is, without a
word; otherwise the archive is indexed in a temporary folder for this run, with one
``warning:`` line saying why (slower, but every hit is current).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import tempfile
from pathlib import Path

from viewer.cli_errors import CliError
from viewer.cli_output import emit_json, flush_output, say, warn
from viewer.model import CLOSING, HEAD, HEADLINE, LEAD, SearchResult
from viewer.model.types import HEAD_FIELDS
from viewer.store import Archive

log = logging.getLogger("viewer.search")

#: How long a search waits for another process that is updating the index.
WAIT_FOR_WRITER_S = 60.0
_MARK_OPEN, _MARK_CLOSE = "【", "】"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "search",
        help="search the archive",
        description='Words separated by spaces must all occur; "quoted phrase"; a OR b; '
        "-word excludes; district:NAME filters.",
    )
    p.add_argument("queries", nargs="+", metavar="QUERY", help="one query per argument")
    p.add_argument("--district", metavar="NAME", help="only this district (e.g. 东城)")
    p.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="hits per query (0 = all; default 20)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per query, one per line")
    p.set_defaults(func=run)


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--limit wants a whole number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("--limit cannot be negative (0 means all)")
    return number


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(_MARK_OPEN + text[start:end] + _MARK_CLOSE)
        last = end
    out.append(text[last:])
    return "".join(out)


#: What the parts outside the sections are called in readable output.
_PARTS = {LEAD: "lead", CLOSING: "closing"}


def _print_readable(result: SearchResult) -> None:
    shown = len(result.hits)
    more = f", showing {shown}" if shown < result.total else ""
    noun = "passage" if result.total == 1 else "passages"
    say(f"{result.query}: {result.total} {noun}{more}")
    for hit in result.hits:
        where = hit.district or _PARTS.get(hit.section, f"section {hit.section + 1}")
        if hit.section == HEAD:
            kind = HEAD_FIELDS[hit.paragraph] if 0 <= hit.paragraph < len(HEAD_FIELDS) else "title"
            where = "head"
        else:
            kind = "headline" if hit.paragraph == HEADLINE else f"paragraph {hit.paragraph + 1}"
        say(f"  {hit.bulletin_id[:12]}  {where}, {kind}  ({hit.bulletin_title})")
        say(f"    {_marked(hit.snippet, hit.snippet_highlights)}")


def run(args: argparse.Namespace) -> int:
    from viewer.search import SearchError, SearchIndex  # heavy (whoosh, rjieba, opencc): only when searching

    archive = Archive()
    with contextlib.ExitStack() as stack:
        index = SearchIndex()
        stack.callback(index.close)
        try:
            index.sync(archive, wait=WAIT_FOR_WRITER_S)
        except SearchError as exc:
            if index.needs_sync(archive):  # cannot be brought up to date: index this run's own
                warn(f"warning: {exc}; searching a temporary index instead")
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bulletin-viewer-index-"))
                index = SearchIndex(Path(folder) / "index")
                stack.callback(index.close)
                try:
                    index.sync(archive)
                except SearchError as again:
                    raise CliError(str(exc)) from again
            else:
                log.info("%s; the index is up to date, searching it as it is", exc)
        try:
            for number, query in enumerate(args.queries):
                result = index.search(query, district=args.district, limit=args.limit or None)
                if args.json:
                    emit_json(result.to_dict())
                else:
                    if number:
                        say()
                    _print_readable(result)
                flush_output()
        except SearchError as exc:
            raise CliError(str(exc)) from exc
    return 0
