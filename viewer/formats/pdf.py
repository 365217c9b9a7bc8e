"""PDF: a document's text layer → lines in reading order (pypdfium2, imported when called).

``read`` opens the PDF with pdfium, refuses what it cannot read (not a PDF, damaged or
truncated, encrypted with a password, a scan without text) with a one-line
:class:`FormatError`, and page by page takes the characters and rules
(:mod:`~viewer.formats.pdf_chars`), ruled tables (:mod:`~viewer.formats.pdf_tables`) and
line fragments (:mod:`~viewer.formats.pdf_lines`); then it drops running headers, footers
and page numbers (:mod:`~viewer.formats.pdf_furniture`), orders each page by its columns
(:mod:`~viewer.formats.pdf_layout`) and measures paragraph starts
(:mod:`~viewer.formats.pdf_paragraphs`).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from viewer.formats.base import Cancelled, Extracted
from viewer.formats.errors import FormatError
from viewer.formats.pdf_chars import read_page
from viewer.formats.pdf_furniture import find_furniture
from viewer.formats.pdf_layout import Placed, find_gutters, fits_columns, reading_order, rows_of
from viewer.formats.pdf_lines import Frag, build_frags, join_frags, v_overlap
from viewer.formats.pdf_paragraphs import NOTES, Printed, to_lines
from viewer.formats.pdf_tables import Table, find_tables
from viewer.progress import Cancel, Progress, never_cancel, no_progress

log = logging.getLogger("viewer.formats")

NOT_PDF = "this file is not a PDF"
DAMAGED = "this PDF is damaged or incomplete and cannot be read"
ENCRYPTED = "this PDF is protected by a password; open it in a PDF viewer and save an unprotected copy"
SCAN = "this PDF has no text layer — it is a scan; OCR is not supported yet"
NO_TEXT = "this PDF holds no text"

#: pdfium is not thread-safe: one document at a time.
_PDFIUM_LOCK = threading.Lock()


@dataclass(slots=True)
class _Page:
    width: float
    height: float
    frags: list[Frag]
    tables: list[Table]
    images: int


def _open(pdfium: Any, raw: Any, data: bytes) -> Any:
    if b"%PDF-" not in data[:1024]:
        raise FormatError(NOT_PDF)
    if b"%%EOF" not in data[-2048:]:
        raise FormatError(DAMAGED)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise FormatError(ENCRYPTED) from exc
        raise FormatError(DAMAGED) from exc


def _read_pages(pdfium: Any, raw: Any, doc: Any, progress: Progress, cancel: Cancel) -> list[_Page]:
    total = len(doc)
    pages: list[_Page] = []
    for index in range(total):
        if cancel():
            raise Cancelled
        try:
            page = doc[index]
        except pdfium.PdfiumError as exc:
            raise FormatError(DAMAGED) from exc
        try:
            content = read_page(raw, page)
        finally:
            page.close()
        tables, chars = find_tables(content.chars, content.rules)
        pages.append(_Page(content.width, content.height, build_frags(chars), tables, content.images))
        progress(index + 1, total, f"page {index + 1} of {total}")
    return pages


def _body_size(pages: list[_Page]) -> float:
    """The document's body text size: the size most characters of most pages have (a
    page-count vote, so long reference lists in a smaller size do not outvote the body)."""
    votes: Counter[float] = Counter()
    for page in pages:
        weight: Counter[float] = Counter()
        for f in page.frags:
            weight[f.size] += len(f.text)
        if weight:
            votes[weight.most_common(1)[0][0]] += 1
    return votes.most_common(1)[0][0] if votes else 0.0


def _footnotes(frags: list[Frag], body: float) -> list[Frag]:
    """The notes at the foot of a page: smaller text below all of the body text, apart from
    it, with no text of their size beside the body's last lines (references in a column)."""
    body_lines = [f for f in frags if abs(f.size - body) <= 0.05 * body]
    if len(body_lines) < 3:
        return []
    body_bottom = max(f.bottom for f in body_lines)
    below = [f for f in frags if f.top > body_bottom + 0.3 * body]
    below_ids = {id(f) for f in below}
    if not below or any(f.size >= 0.95 * body for f in below):
        return []
    sizes = {round(f.size, 1) for f in below}
    beside = [
        f
        for f in frags
        if id(f) not in below_ids
        and round(f.size, 1) in sizes
        and f.bottom > body_bottom - 3 * body
        and len(f.text) > 3
    ]
    return [] if beside else [f for row in rows_of(below) for f in row]


def _printed_lines(placed: list[Placed], page: int, layout: int) -> list[Printed]:
    """Placed blocks → printed lines: fragments of one row in one column joined."""
    out: list[Printed] = []
    group: list[Frag] = []
    column = 0

    def flush() -> None:
        if group:
            out.append(Printed(join_frags(group), page, column, layout))
            group.clear()

    for p in placed:
        block = p.block
        if isinstance(block, Table):
            flush()
            out.append(Printed(block, page, p.column, layout))
            continue
        assert isinstance(block, Frag)
        if (
            group
            and p.column == column
            and v_overlap(group[0].top, group[0].bottom, block.top, block.bottom) >= 0.5
        ):
            group.append(block)
            continue
        flush()
        group.append(block)
        column = p.column
    flush()
    return out


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    """The PDF's text in reading order; FormatError for what cannot be read (see module)."""
    if b"%PDF-" not in data[:1024]:
        raise FormatError(NOT_PDF)
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _PDFIUM_LOCK:
        doc = _open(pdfium, raw, data)
        try:
            pages = _read_pages(pdfium, raw, doc, progress, cancel)
        except (FormatError, Cancelled):
            raise
        except Exception as exc:  # pdfium on a damaged file: one plain line, logged in full
            log.warning("cannot read PDF", exc_info=True)
            raise FormatError(DAMAGED) from exc
        finally:
            doc.close()
    if not pages:
        raise FormatError(DAMAGED)
    visible = sum(len(f.text) for p in pages for f in p.frags) + sum(
        len(t.rows) for p in pages for t in p.tables
    )
    if visible == 0 or (visible < 3 * len(pages) and any(p.images for p in pages)):
        # No text, or a stray stamp on scanned pages.
        raise FormatError(SCAN if any(p.images for p in pages) else NO_TEXT)

    furniture = find_furniture([p.frags for p in pages], [p.height for p in pages])
    body_size = _body_size(pages)
    removed: list[str] = []
    printed: list[Printed] = []
    bodies: list[list[Frag]] = []
    notes_of: list[list[Frag]] = []
    for page, dropped in zip(pages, furniture, strict=True):
        removed.extend(page.frags[i].text for i in sorted(dropped))
        frags = [f for i, f in enumerate(page.frags) if i not in dropped]
        notes = _footnotes(frags, body_size)
        note_ids = {id(f) for f in notes}
        bodies.append([f for f in frags if id(f) not in note_ids])
        notes_of.append(notes)
    found = [find_gutters(body, page.width) for body, page in zip(bodies, pages, strict=True)]
    usual = Counter(tuple(g) for g in found if g).most_common(1)
    for number, (page, body, notes) in enumerate(zip(pages, bodies, notes_of, strict=True)):
        gutters = found[number]
        if not gutters and usual and fits_columns(body, usual[0][0]):
            gutters = list(usual[0][0])  # a page too short to show its columns
        layout = len(gutters) + 1
        printed.extend(_printed_lines(reading_order([*body, *page.tables], gutters), number, layout))
        for line in _printed_lines([Placed(b, NOTES) for b in notes], number, layout):
            line.note = True
            printed.append(line)
    return Extracted(kind="pdf", lines=list(to_lines(printed)), pages=len(pages), removed=removed)
