"""Pages of a section or of a whole bulletin, for a printer or a PDF file.

Its one job is laying the text out on pages and painting them. The text is typeset by the
article's own typesetter (``article_document``: the same fonts, line height, indents and
measure, no second renderer), laid out for the paint device, cut into pages, and each page
painted with a header (the bulletin's title, number and date, over a hairline) and a
footer with the page number; paragraph numbers in the margin when the article shows them.

Everything here works on plain data and a paint device, never on a widget, so it runs on a
worker thread (Qt lays out and paints text off the GUI thread onto a printer or a PDF).
``pdf_bytes`` makes a whole PDF in memory, its text mended (``pdf_text``) so that a PDF
viewer copies and finds the characters that were printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from viewer.model import HEADLINE, Bulletin
from viewer.progress import Cancel, Progress
from viewer.ui.article_document import (
    MEASURE_CHARS,
    Display,
    PassageMap,
    build_bulletin_document,
    build_document,
    reading_font,
)
from viewer.ui.paragraph_numbers import draw_paragraph_numbers
from viewer.ui.pdf_text import fix_pdf_text, radical_ideographs, without_locl, without_locl_text
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import text_families

#: The text's size on paper (points); the article's zoom does not apply to paper.
POINT_SIZE = 12.0
#: Ink for the text and, lighter, for the header, footer, date line and numbers.
INK = QColor("#1a1a1a")
MUTED = QColor("#666666")
PDF_RESOLUTION = 1200  # dots per inch the PDF is laid out at (its text stays vector)
PDF_MARGINS_MM = QMarginsF(16, 14, 16, 14)


class PrintCancelled(Exception):
    """The user cancelled while the pages were being made."""


@dataclass(frozen=True)
class PrintJob:
    """What to print and how, as plain data (made on the GUI thread, used on a worker)."""

    bulletin: Bulletin
    section: int | None = None  # the view printed (None: the bulletin's page) unless ``whole``
    whole: bool = False  # the whole bulletin: its page, every section, the closing
    family: str = ""  # the font family chosen for the text ("": the default families)
    display: Display | None = None  # e.g. traditional characters, as the article shows them
    numbers: bool = False  # paragraph numbers in the margin
    page_label: str = "%1 / %2"  # the footer: %1 the page, %2 the number of pages (translated)
    creator: str = ""  # the PDF's producer line


class Painted(NamedTuple):
    pages: int
    text: str  # every character painted (the text, the header, the footers)


def header_line(bulletin: Bulletin, display: Display | None = None) -> str:
    """The running header: title · number · date (those the bulletin has; the number not twice
    when the title holds it, as 公告［2026］第6号 does)."""
    title = bulletin.title or bulletin.id
    number = bulletin.number if bulletin.number not in title else ""
    line = " · ".join(p for p in (title, number, bulletin.date) if p)
    return display(line) if display is not None else line


def _scale_indents(doc: QTextDocument, device: QPagedPaintDevice) -> None:
    """Qt scales a layout's margins and line heights to a printer's resolution but not the
    first-line indents (two characters): scale them as the text's font scales."""
    font = doc.defaultFont()
    ratio = QFontMetricsF(font, device).horizontalAdvance("中") / QFontMetricsF(font).horizontalAdvance("中")
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.textIndent():
            fmt.setTextIndent(fmt.textIndent() * ratio)
            QTextCursor(block).setBlockFormat(fmt)
        block = block.next()


def _keep_with_next(doc: QTextDocument, passages: PassageMap, page_height: float) -> None:
    """A headline (with the district label over it) is never left at the foot of a page: when
    the text under it starts on the next page, it starts that page."""
    layout = doc.documentLayout()

    def is_headline(block: QTextBlock) -> bool:
        info = passages.blocks.get(block.blockNumber())
        return info is not None and info.paragraph == HEADLINE

    def page_of(block: QTextBlock) -> int:  # the page of its first line
        lines = block.layout()
        top = layout.blockBoundingRect(block).top()
        if lines is not None and lines.lineCount():
            top = lines.position().y() + lines.lineAt(0).y()
        return int(top // page_height)

    def keeps_with_next(block: QTextBlock) -> bool:  # a headline, or the label line over one
        after = block.next()
        unnumbered = block.blockNumber() not in passages.blocks
        return is_headline(block) or (unnumbered and after.isValid() and is_headline(after))

    breaks = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    for _attempt in range(doc.blockCount()):  # one block moved at a time, then laid out again
        layout.documentSize()  # the whole document laid out (Qt lays out in steps) before measuring
        block = doc.begin()
        while block.isValid():
            after = block.next()
            if after.isValid() and keeps_with_next(block) and page_of(after) > page_of(block):
                first, before = block, block.previous()
                if before.isValid() and keeps_with_next(before) and page_of(before) == page_of(block):
                    first = before
                fmt = first.blockFormat()
                if not fmt.pageBreakPolicy() & breaks:  # else it starts a page already: too long to keep
                    fmt.setPageBreakPolicy(breaks)
                    QTextCursor(first).setBlockFormat(fmt)
                    break
            block = after
        else:
            return


def _draw_lines(painter: QPainter, doc: QTextDocument, top: float, bottom: float) -> None:
    """Draw the lines of ``doc`` that start between ``top`` and ``bottom``, each once. (The
    document layout also draws the line above its clip, which a PDF would keep as text: the
    last line of a page copied again at the top of the next, unseen.)"""
    layout = doc.documentLayout()
    painter.setPen(INK)  # paper is white whatever the window's theme; set colours are kept
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        if rect.top() >= bottom:
            break
        lines = block.layout()
        if rect.bottom() >= top and lines is not None:
            origin = lines.position()
            for index in range(lines.lineCount()):
                line = lines.lineAt(index)
                if top <= origin.y() + line.y() < bottom:
                    line.draw(painter, origin)
        block = block.next()


def paint_pages(
    job: PrintJob, device: QPagedPaintDevice, progress: Progress | None = None, cancel: Cancel | None = None
) -> Painted:
    """Lay ``job`` out for ``device`` and paint every page on it. Raises PrintCancelled when
    ``cancel()`` says so between pages, OSError if the device cannot be painted on."""
    families = text_families(job.family)
    # Text layout starts timers (layout in steps); a worker thread that Qt did not start has
    # no event dispatcher for them until an event loop is made in it. They never fire: the
    # layout is finished at once, below.
    QEventLoop()
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    options = {"families": families, "display": job.display}
    if job.whole:
        passages = build_bulletin_document(doc, job.bulletin, POINT_SIZE, QBrush(MUTED), **options)
    else:
        passages = build_document(doc, job.bulletin, job.section, POINT_SIZE, QBrush(MUTED), **options)
    _scale_indents(doc, device)
    without_locl_text(doc)
    em = QFontMetricsF(doc.defaultFont(), device).horizontalAdvance("中")
    small = without_locl(reading_font(POINT_SIZE * 0.75, families))
    small_metrics = QFontMetricsF(small, device)
    page = QRectF(0, 0, device.width(), device.height())
    band = small_metrics.lineSpacing() * 2.4  # the header's and the footer's
    side = max((page.width() - em * MEASURE_CHARS) / 2, em * 2.6 if job.numbers else 0.0)
    body = QRectF(side, band, page.width() - 2 * side, page.height() - 2 * band)
    doc.setPageSize(QSizeF(body.width(), body.height()))
    _keep_with_next(doc, passages, body.height())
    pages = doc.pageCount()
    header = small_metrics.elidedText(
        header_line(job.bulletin, job.display), Qt.TextElideMode.ElideRight, body.width()
    )
    painted = [doc.toPlainText(), header]
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or the file cannot be written to")
    try:
        for number in range(pages):
            if cancel is not None and cancel():
                raise PrintCancelled
            if number and not device.newPage():
                raise OSError("the printer did not take a new page")
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(body.left(), 0, body.width(), band * 0.62),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                header,
            )
            painter.setPen(QPen(MUTED, max(1.0, device.logicalDpiY() / 300)))
            painter.drawLine(QPointF(body.left(), band * 0.75), QPointF(body.right(), band * 0.75))
            label = job.page_label.replace("%1", str(number + 1)).replace("%2", str(pages))
            painted.append(label)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(body.left(), page.height() - band * 0.62, body.width(), band * 0.62),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
            painter.save()
            top = number * body.height()
            painter.translate(body.left(), body.top() - top)
            painter.setClipRect(QRectF(-body.left(), top, page.width(), body.height()))
            _draw_lines(painter, doc, top, top + body.height())
            if job.numbers:
                draw_paragraph_numbers(
                    painter, doc, passages, right=-em * 0.7, top=top, bottom=top + body.height(), color=MUTED
                )
            painter.restore()
            if progress is not None:
                progress(number + 1, pages, "")
    finally:
        painter.end()
    return Painted(pages, "".join(painted))


def pdf_bytes(job: PrintJob, progress: Progress | None = None, cancel: Cancel | None = None) -> bytes:
    """The pages of ``job`` as a PDF (A4), made in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            PDF_MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(header_line(job.bulletin, job.display))
    writer.setCreator(job.creator)
    painted = paint_pages(job, writer, progress, cancel)
    del writer  # the file is complete once the painter has ended
    buffer.close()
    return fix_pdf_text(bytes(data), printed_ideographs(job, painted))


def printed_ideographs(job: PrintJob, painted: Painted) -> dict[int, int]:
    """The ideographs printed for the radicals a PDF's text maps may hold (``pdf_text``)."""
    regular = reading_font(POINT_SIZE, text_families(job.family))
    bold = reading_font(POINT_SIZE, text_families(job.family))
    bold.setWeight(QFont.Weight.DemiBold)  # the headlines'
    return radical_ideographs(painted.text, [regular, bold])
