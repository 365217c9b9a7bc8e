"""The measures matrix and a cell's passages out to CSV and Markdown. Pure but for ``write``.

As the bookmark exports: CSV is UTF-8 with a byte order mark (spreadsheet programs then
read Chinese), rows end in CRLF, ``paragraph`` is 0-based (-1 a headline) and the
``citation`` column is for people (``title · date · number · column · 西城 · paragraph 2``,
counting from 1). Markdown escapes what Markdown would read as markup in document text
(``<b>`` stays the text ``<b>``, a ``|`` never splits a table cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

from viewer.measures.matrix import Cell, Matrix, Place, figures_of
from viewer.model import ENGLISH, Bulletin, PlaceWords, citation_label, place_label

SUFFIXES = {"csv": ".csv", "markdown": ".md"}
OUTSIDE = "(outside districts)"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")
_MD_LINE_START = re.compile(r"^(\s*)([+\-=])", re.MULTILINE)  # a list item or a heading rule
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1." starts a numbered list


def md_text(text: str) -> str:
    """``text`` as Markdown that shows it literally, on one line (for a table cell or a list)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\1\\\2", escaped))


def place_name(place: Place, bulletin: Bulletin | None, words: PlaceWords = ENGLISH) -> str:
    """Where a passage is, for people, counting from 1: "西城 · paragraph 2", "一、总体要求 ·
    paragraph 1" (``viewer.model.citation``)."""
    heading = ""
    if bulletin is not None and 0 <= place.section < len(bulletin.sections):
        heading = bulletin.sections[place.section].headline
    return place_label(place.district, heading, place.section, place.paragraph, words)


def citation(place: Place, bulletin: Bulletin | None, words: PlaceWords = ENGLISH) -> str:
    """bulletin title · date · number · column · place, as bookmarks cite."""
    where = place_name(place, bulletin, words)
    if bulletin is None:
        return citation_label("", place.bulletin_id, (), where, words)
    details = (bulletin.date, bulletin.number, bulletin.column)
    return citation_label(bulletin.title, place.bulletin_id, details, where, words)


def figures_text(place: Place) -> str:
    """The passage's key figures: "1450处 口罩回收点; 3家 医学观察点"."""
    shown = (f"{f.text} {f.counts}".strip() for f in figures_of(place.text, place[:3]))
    return "; ".join(dict.fromkeys(shown))


def _row_name(district: str) -> str:
    return district or OUTSIDE


def matrix_csv(matrix: Matrix) -> str:
    """One row a district, two columns a type: its passages and the bulletins they are in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["district"]
    for kind in matrix.types:
        header += [f"{kind.name} passages", f"{kind.name} bulletins"]
    writer.writerow(header)
    for district in matrix.districts:
        row: list[object] = [_row_name(district)]
        for kind in matrix.types:
            cell = matrix.cell(district, kind.id)
            row += [len(cell.places), len(cell.bulletins)] if cell else [0, 0]
        writer.writerow(row)
    return out.getvalue()


def matrix_markdown(matrix: Matrix, title: str = "Measures") -> str:
    """A table: districts × types, each cell "passages (bulletins)", empty where none."""
    lines = [f"# {md_text(title)}", "", "Each cell: passages (bulletins).", ""]
    lines.append("| District | " + " | ".join(md_text(t.name) for t in matrix.types) + " |")
    lines.append("| --- |" + " ---: |" * len(matrix.types))
    for district in matrix.districts:
        cells = []
        for kind in matrix.types:
            cell = matrix.cell(district, kind.id)
            cells.append(f"{len(cell.places)} ({len(cell.bulletins)})" if cell else "")
        lines.append(f"| {md_text(_row_name(district))} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


PASSAGE_FIELDS = (
    "district",
    "type",
    "citation",
    "text",
    "figures",
    "title",
    "date",
    "bulletin",
    "section",
    "paragraph",
)


def passages_csv(cell: Cell, bulletins: Mapping[str, Bulletin]) -> str:
    """One row a passage of the cell, with its citation and figures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PASSAGE_FIELDS)
    for place in cell.places:
        bulletin = bulletins.get(place.bulletin_id)
        writer.writerow(
            [
                _row_name(cell.district),
                cell.type.name,
                citation(place, bulletin),
                place.text,
                figures_text(place),
                bulletin.title if bulletin else "",
                bulletin.date if bulletin else "",
                place.bulletin_id,
                place.section,
                place.paragraph,
            ]
        )
    return out.getvalue()


def passages_markdown(cell: Cell, bulletins: Mapping[str, Bulletin]) -> str:
    """The cell's passages as block quotes, each with its citation and figures."""
    lines = [f"# {md_text(_row_name(cell.district))} · {md_text(cell.type.name)}", ""]
    for place in cell.places:
        lines.append(f"> {md_text(place.text)}")
        lines.append("")
        lines.append(f"— {md_text(citation(place, bulletins.get(place.bulletin_id)))}")
        if shown := figures_text(place):
            lines.append("")
            lines.append(f"Figures: {md_text(shown)}")
        lines.append("")
    return "\n".join(lines)


def encode(text: str, fmt: str) -> bytes:
    """The bytes of an export: CSV with a byte order mark, Markdown without."""
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")


def write(path: Path, text: str, fmt: str) -> None:
    """Write an export atomically (complete or not at all). Raises StoreError in plain words."""
    from viewer.store.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), encode(text, fmt))
