"""``bulletin-viewer measures [--district NAME] [--bulletin ID] [--json]``: which district
did what, with the figures. JSON: ``{"types": [{"id", "name", "name_en"}], "cells":
[{"district", "type", "passages", "bulletins", "figures": [{"text", "value", "unit",
"counts", "bulletin", "section", "paragraph"}]}]}`` (``district`` as printed, "" for
passages outside districts; ``paragraph`` 0-based, -1 a headline)."""

from __future__ import annotations

import argparse

from viewer.store import Archive


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "measures",
        help="which district did what, with the figures",
        description="Passages of each measure type (rent relief, disinfection, …) by district. "
        "The types come from measures.toml; a copy in the configuration folder replaces it.",
    )
    p.add_argument("--district", metavar="NAME", help="only this district (东城 or 东城区)")
    p.add_argument("--bulletin", metavar="ID", help="only this bulletin (id or a unique prefix)")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.cli import CliError, emit_json, say
    from viewer.measures import LexiconError, load, measure  # only when asked (segmenter, tables)

    try:
        types = load()
    except LexiconError as exc:
        raise CliError(str(exc)) from exc
    archive = Archive()
    bulletins = [archive.get(args.bulletin)] if args.bulletin else archive.bulletins()
    matrix = measure(bulletins, types, district=args.district)
    if args.json:
        emit_json(matrix.to_dict())
        return 0
    names = {t.id: t.name for t in types}
    for row in matrix.districts:
        cells = [matrix.cell(row, t.id) for t in types]
        found = [c for c in cells if c is not None]
        if not found:
            continue
        say(row or "(outside districts)")
        for cell in found:
            shown = "、".join(dict.fromkeys(f"{f.text}{f.counts}" for f, _ in cell.figures[:4]))
            extra = f"  {shown}" if shown else ""
            counts = f"{len(cell.places)} passages, {len(cell.bulletins)} bulletins"
            say(f"  {names[cell.type.id]}: {counts}{extra}")
    return 0
