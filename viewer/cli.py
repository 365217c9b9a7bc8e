"""The command line: ``bulletin-viewer [COMMAND] ...``. Importing this module never loads Qt.

With no command the window opens (``viewer.app``, imported only then). Every
error ends as one line ``error: …`` on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from viewer import __version__
from viewer.model import ModelError
from viewer.store import Archive, StoreError, parse_file

log = logging.getLogger("viewer.cli")

#: Modules that add subcommands: each has ``register(subparsers)`` and sets ``func``.
_COMMAND_MODULES: tuple[str, ...] = ("viewer.cli_bookmarks", "viewer.cli_search")


class CliError(Exception):
    """A user mistake on the command line (message is printed after ``error:``)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: same form as ours
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _emit_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# -- commands ------------------------------------------------------------------
def _cmd_parse(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        try:
            bulletin = parse_file(Path(name))
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            _emit_json(bulletin.to_dict())
        else:
            column = f" [{bulletin.column}]" if bulletin.column else ""
            print(f"{name}: {bulletin.title}{column} id {bulletin.id}")
            about = [f"{key} {value}" for key, value in _about(bulletin) if value]
            if about:
                print("  " + "; ".join(about))
            print(f"  lead: {len(bulletin.lead)} paragraphs")
            for section in bulletin.sections:
                where = f"{section.district}: {section.headline}" if section.district else section.headline
                print(f"{'  ' * section.level}{where} ({len(section.paragraphs)} paragraphs)")
            if bulletin.closing:
                print(f"  closing: {' / '.join(p.text for p in bulletin.closing)}")
    return status


def _about(bulletin) -> list[tuple[str, str]]:
    return [("date", bulletin.date), ("number", bulletin.number), ("issuer", bulletin.issuer)]


def _cmd_import(args: argparse.Namespace) -> int:
    archive = Archive()
    report = archive.import_files([Path(f) for f in args.files])
    for record in report.imported:
        print(f"imported {record.id}  {record.title}  ({record.source_name}, {_parts(record)})")
    for path, existing in report.duplicates:
        print(f"skipped {path}: already in the archive as {existing}")
    for _path, reason in report.failed:
        print(f"error: {reason}", file=sys.stderr)
    print(
        f"{len(report.imported)} imported, {len(report.duplicates)} already present, "
        f"{len(report.failed)} failed"
    )
    return 2 if report.failed else 0


def _cmd_list(args: argparse.Namespace) -> int:
    records = Archive().records()
    if args.json:
        _emit_json([r.to_dict() for r in records])
        return 0
    for r in records:
        origin = "bundled" if r.bundled else f"imported {r.imported_at}"
        column = f"  [{r.column}]" if r.column else ""
        date = f"  {r.date}" if r.date else ""
        print(f"{r.id}{date}  {r.title}{column}  {_parts(r)}  {origin}")
    return 0


def _parts(record) -> str:
    """ "12 districts", or "13 sections" for a document of headings."""
    if record.districts:
        return f"{len(record.districts)} districts"
    return f"{record.sections} sections"


def _cmd_remove(args: argparse.Namespace) -> int:
    record = Archive().remove(args.id)
    print(f"removed {record.id}  {record.title}")
    return 0


# -- parser --------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bulletin-viewer",
        description="Read, search and keep passages of an offline archive of bulletins. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"bulletin-viewer {__version__}")
    parser.add_argument("--screenshot", metavar="FILE", help="open the window, save a PNG of it, exit")
    parser.add_argument("--search", metavar="QUERY", help="with the window: run this search")
    parser.add_argument("--district", metavar="NAME", help="with the window: show this district")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("parse", help="print the structure of documents (.txt .pdf .docx .html .md)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser("import", help="copy bulletin files into the archive")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("list", help="list the bulletins in the archive")
    p.add_argument("--json", action="store_true", help="a JSON array of records")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("remove", help="remove an imported bulletin")
    p.add_argument("id", metavar="ID", help="bulletin id (or a unique prefix of at least 4 characters)")
    p.set_defaults(func=_cmd_remove)

    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def _run_window(args: argparse.Namespace) -> int:
    from viewer.app import run  # Qt is loaded only here

    return run(screenshot=args.screenshot, search=args.search, district=args.district)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(name)s: %(message)s",
    )
    try:
        if args.command is None:
            return _run_window(args)
        return args.func(args)
    except (CliError, StoreError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: never a traceback
        log.debug("unexpected error", exc_info=True)
        print(f"error: unexpected failure: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
