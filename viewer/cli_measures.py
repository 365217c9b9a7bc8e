"""``bulletin-viewer measures [--district NAME] [--bulletin ID] [--json]``: which district
did what, with the figures. JSON: ``{"types": [{"id", "name", "name_en"}], "cells":
[{"district", "type", "passages", "bulletins", "figures": [{"text", "value", "unit",
"counts", "bulletin", "section", "paragraph"}]}]}`` (``district`` as printed, "" for
passages outside districts; ``paragraph`` 0-based, -1 a headline)."""

from __future__ import annotations

import argparse
import gc
import json
from itertools import islice
from typing import TYPE_CHECKING

from viewer.cli_errors import CliError
from viewer.cli_output import json_line, readable, write_text
from viewer.store import Archive

if TYPE_CHECKING:
    from viewer.measures import Matrix


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


def matrix_json(matrix: Matrix) -> str:
    """``json.dumps(matrix.to_dict(), ensure_ascii=False)``, the same text, written directly:
    at 1,000 bulletins the figures are some 80,000 objects, and building them as dicts to
    serialise took longer than finding them. A passage's figures are encoded once."""
    from viewer.measures.matrix import figures_of

    string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False

    def number(value: float) -> str:
        return int.__repr__(int(value)) if value == int(value) else float.__repr__(value)

    heads: dict[str, list[str]] = {}  # passage text → its figures, up to their citation
    encoded: dict[int, str] = {}  # id of a place (shared by the cells it is in) → its figures
    cells = []
    for cell in matrix.ordered_cells():
        figures = []
        for place in cell.places:
            text = encoded.get(id(place))
            if text is None:
                found = heads.get(place.text)
                if found is None:
                    found = heads[place.text] = [
                        f'{{"text": {string(f.text)}, "value": {number(f.value)}, '
                        f'"unit": {string(f.unit)}, "counts": {string(f.counts)}, "bulletin": '
                        for f in figures_of(place.text, place[:3])
                    ]
                at = f'"section": {place.section}, "paragraph": {place.paragraph}}}'
                tail = f"{string(place.bulletin_id)}, {at}"
                text = encoded[id(place)] = ", ".join(head + tail for head in found)
            if text:
                figures.append(text)
        cells.append(
            f'{{"district": {string(cell.district)}, "type": {string(cell.type.id)}, '
            f'"passages": {len(cell.places)}, "bulletins": {len(cell.bulletins)}, '
            f'"figures": [{", ".join(figures)}]}}'
        )
    types = json.dumps([t.to_dict() for t in matrix.types], ensure_ascii=False)
    return f'{{"types": {types}, "cells": [{", ".join(cells)}]}}'


def run(args: argparse.Namespace) -> int:
    from viewer.measures import LexiconError, load
    from viewer.measures.answers import AnswerCache, answer_key
    from viewer.measures.cache import cache_key

    try:
        types = load()
    except LexiconError as exc:
        raise CliError(str(exc)) from exc
    archive = Archive()
    answers = AnswerCache()
    key = answer_key(cache_key(types), ["json" if args.json else "text", args.district, args.bulletin])
    # An archive as it was at the last run with these arguments: that run's answer, as it is.
    kept = answers.answer(key, archive.fingerprint)
    if kept is not None:
        write_text(kept)
        return 0
    state = archive.fingerprint()  # before reading: a change made meanwhile is seen next time
    output = _answer(args, types, archive)
    write_text(output)
    answers.keep(key, state, output)
    return 0


def _answer(args: argparse.Namespace, types: list, archive: Archive) -> str:
    """The output of the command, as written (JSON, or lines for people)."""
    from viewer.measures import ScanCache, scan

    # A short run that makes a great many small objects and frees little: the cyclic
    # collector's passes over the archive cost more than they could give back (≈ 0.1 s).
    gc.disable()
    bulletins = [archive.get(args.bulletin)] if args.bulletin else archive.bulletins()
    # Text shows four figures a cell: only a JSON run, which finds them all, fills the cache.
    found = scan(bulletins, types, district=args.district, cache=ScanCache(), save=args.json)
    matrix = found.matrix()
    if args.json:
        return json_line(matrix_json(matrix))  # as emit_json writes it, without building the dicts
    names = {t.id: t.name for t in types}
    lines = []
    for row in matrix.districts:
        cells = [matrix.cell(row, t.id) for t in types]
        present = [c for c in cells if c is not None]
        if not present:
            continue
        lines.append(readable(row or "(outside districts)"))
        for cell in present:
            first = islice(cell.iter_figures(), 4)  # only the figures shown are looked for
            shown = "、".join(dict.fromkeys(f"{f.text}{f.counts}" for f, _ in first))
            extra = f"  {shown}" if shown else ""
            counts = f"{len(cell.places)} passages, {len(cell.bulletins)} bulletins"
            lines.append(readable(f"  {names[cell.type.id]}: {counts}{extra}"))
    return "".join(f"{line}\n" for line in lines)
