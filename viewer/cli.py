"""The command line: ``bulletin-viewer [COMMAND] ...``. Importing this module never loads Qt.

With no command the window opens (``viewer.app``, imported only then). Every
error ends as one line ``error: …`` on stderr and exit status 2, never a traceback.

Output for people goes through ``say`` (and ``warn`` for stderr), which escapes control
characters (``readable``): a title holding ``\x1b[31m`` is shown as that text and never
drives the terminal. JSON goes through ``emit_json`` (all of them in ``viewer.cli_output``).
Output that cannot be written (a full disk, ``/dev/full``, a closed standard output) ends
as ``error: cannot write the output: no space left on device`` and status 2. A reader that
stops reading (``| head``, a closed pipe) ends the program quietly with status 0, as it
asked for no more. Standard output and error keep their encoding but never fail on a
character they cannot encode (``PYTHONIOENCODING=ascii``): it is written as a backslash
escape.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from viewer import __version__
from viewer.cli_errors import CliError, OutputError
from viewer.cli_output import emit_json, flush_output, readable, say, warn, write_text
from viewer.model import ModelError
from viewer.store import StoreError

log = logging.getLogger("viewer.cli")

#: Modules that add subcommands: each has ``register(subparsers)`` and sets ``func``.
_COMMAND_MODULES: tuple[str, ...] = ("viewer.cli_bookmarks", "viewer.cli_search", "viewer.cli_measures")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: same form as ours
        self.print_usage(sys.stderr)
        self.exit(2, readable(f"error: {message}") + "\n")

    def _print_message(self, message: str, file: object = None) -> None:
        # argparse drops a failed write silently (--version > /dev/full would say nothing and
        # exit 0): output for stdout goes through write_text, which reports it.
        if not message:
            return
        if file is not None and file is sys.stdout:
            write_text(message)
        else:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                sys.stderr.write(message)


# -- streams -------------------------------------------------------------------
class _ReadableFormatter(logging.Formatter):
    """Log lines on stderr escaped like the rest (``readable``): a file name or a stored
    title in a message never drives the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return readable(super().format(record))


def _hold_standard_fds() -> None:
    """A standard descriptor (0, 1, 2) that was closed when the program started gets the
    null device, so that no file opened later (the bookmark database…) takes its number
    and receives what is meant for a terminal."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:  # pragma: no cover - no null device
            return
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


def _prepare_streams() -> None:
    _hold_standard_fds()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed or odd stream
                reconfigure(errors="backslashreplace")


def _discard_output() -> None:
    """After output failed: what is still buffered for stdout goes to the null device, so
    that the interpreter's last flush neither fails again nor prints a complaint."""
    stream = sys.stdout
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    os.dup2(null, fd)
    os.close(null)


# -- commands ------------------------------------------------------------------
def _cmd_parse(args: argparse.Namespace) -> int:
    from viewer.store import parse_file  # the parser: only for the commands that parse

    status = 0
    for name in args.files:
        try:
            bulletin = parse_file(Path(name))
        except StoreError as exc:
            warn(f"error: {exc}")
            status = 2
            continue
        if args.json:
            emit_json(bulletin.to_dict())
        else:
            column = f" [{bulletin.column}]" if bulletin.column else ""
            say(f"{name}: {bulletin.title}{column} id {bulletin.id}")
            about = [f"{key} {value}" for key, value in _about(bulletin) if value]
            if about:
                say("  " + "; ".join(about))
            say(f"  lead: {len(bulletin.lead)} paragraphs")
            for section in bulletin.sections:
                where = f"{section.district}: {section.headline}" if section.district else section.headline
                say(f"{'  ' * section.level}{where} ({len(section.paragraphs)} paragraphs)")
            if bulletin.closing:
                say(f"  closing: {' / '.join(p.text for p in bulletin.closing)}")
    return status


def _about(bulletin) -> list[tuple[str, str]]:
    return [("date", bulletin.date), ("number", bulletin.number), ("issuer", bulletin.issuer)]


def _cmd_import(args: argparse.Namespace) -> int:
    from viewer.store import Archive

    archive = Archive()
    report = archive.import_files([Path(f) for f in args.files])
    for record in report.imported:
        say(f"imported {record.id}  {record.title}  ({record.source_name}, {_parts(record)})")
    for path, existing in report.duplicates:
        say(f"skipped {path}: already in the archive as {existing}")
    for _path, reason in report.failed:
        warn(f"error: {reason}")
    say(
        f"{len(report.imported)} imported, {len(report.duplicates)} already present, "
        f"{len(report.failed)} failed"
    )
    return 2 if report.failed else 0


def _cmd_list(args: argparse.Namespace) -> int:
    from viewer.store import Archive

    records = Archive().records()
    if args.json:
        emit_json([r.to_dict() for r in records])
        return 0
    for r in records:
        origin = "bundled" if r.bundled else f"imported {r.imported_at}"
        column = f"  [{r.column}]" if r.column else ""
        date = f"  {r.date}" if r.date else ""
        say(f"{r.id}{date}  {r.title}{column}  {_parts(r)}  {origin}")
    return 0


def _parts(record) -> str:
    """ "12 districts", or "13 sections" for a document of headings."""
    if record.districts:
        return f"{len(record.districts)} districts"
    return f"{record.sections} sections"


def _cmd_remove(args: argparse.Namespace) -> int:
    from viewer.store import Archive

    record = Archive().remove(args.id)
    say(f"removed {record.id}  {record.title}")
    return 0


# -- parser --------------------------------------------------------------------
#: The window's options when none is given (what ``_top_parser`` parses from no arguments).
WINDOW_DEFAULTS = {"screenshot": None, "search": None, "district": None, "verbose": False}


def _top_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The program's own options (the window's), without the commands."""
    parser = _Parser(
        prog="bulletin-viewer",
        description="Read, search and keep passages of an offline archive of bulletins. "
        "With no command, the window opens.",
        add_help=add_help,
    )
    parser.add_argument("--version", action="version", version=f"bulletin-viewer {__version__}")
    parser.add_argument("--screenshot", metavar="FILE", help="open the window, save a PNG of it, exit")
    parser.add_argument("--search", metavar="QUERY", help="with the window: run this search")
    parser.add_argument("--district", metavar="NAME", help="with the window: show this district")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
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


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments. Opening the window (no command, no help) does not build the commands'
    parsers, which import their modules: the window shows its text sooner."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:  # the window as a menu starts it: no parser (its gettext lookups cost 4 ms)
        return argparse.Namespace(**WINDOW_DEFAULTS, command=None)
    if not {"-h", "--help"} & set(args):
        window, rest = _top_parser(add_help=False).parse_known_args(args)
        if not rest:
            window.command = None
            return window
    return build_parser().parse_args(args)


def main(argv: Sequence[str] | None = None) -> int:
    _prepare_streams()
    verbose = False
    try:
        try:
            args = _parse(argv)
        except SystemExit:  # --help, --version, a usage error: what argparse printed must get out
            flush_output()
            raise
        verbose = args.verbose
        handler = logging.StreamHandler()
        handler.setFormatter(_ReadableFormatter("%(name)s: %(message)s"))
        logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
        if args.command is None:
            status = _run_window(args)
        else:
            if sys.stdout is None:
                raise OutputError("standard output is closed")
            status = args.func(args)
        flush_output()
        return status
    except OutputError as exc:
        _discard_output()
        warn(f"error: cannot write the output: {exc}")
        return 2
    except BrokenPipeError:  # the reader stopped reading (| head): a quiet end, as Unix tools do
        _discard_output()
        return 0
    except (CliError, StoreError, ModelError) as exc:
        _flush_quietly()
        warn(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _flush_quietly()
        warn("error: interrupted")
        return 2
    except Exception as exc:  # the last line of defence: never a traceback
        if verbose:
            log.error("unexpected failure", exc_info=True)
        _flush_quietly()
        hint = "" if verbose else "; --verbose shows where it happened"
        warn(f"error: unexpected failure ({exc.__class__.__name__}: {exc}){hint}")
        return 2


def _flush_quietly() -> None:
    """Flush what was printed before an error; if that fails too, drop it (the error line
    is what matters)."""
    try:
        flush_output()
    except (OutputError, OSError):
        _discard_output()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
