"""Generate PDFs of known structure (with Qt's QPdfWriter) for the PDF reader's tests.

``make_pdf`` lays out a bulletin — title, an optional full-width lead, headings,
paragraphs (first line indented two characters), a ruled table — in one or two columns
under a running header and over a "- N -" page number, with Noto Sans CJK SC, and
returns the PDF's bytes with what a correct reader must give back: the paragraphs in
reading order, the table's rows, the furniture, and which paragraphs ran on across a
column or page break. ``make_scan`` writes a PDF that is only an image; both need a
QGuiApplication (``QT_QPA_PLATFORM=offscreen`` will do).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

FONT_FAMILY = "Noto Sans CJK SC"
BODY_PT = 10.5
HEADING_PT = 13.0
TITLE_PT = 17.0
HEADER_TEXT = "某市人民政府公报"
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 80.0, 84.0
LEADING = 1.7  # line pitch in font sizes

_PHRASES = [
    "深入推进城市更新行动",
    "加快建设国际科技创新中心",
    "持续优化营商环境",
    "统筹发展和安全",
    "完善公共服务体系",
    "推动京津冀协同发展走深走实",
    "新增就业28.1万人",
    "实施老旧小区改造183个",
    "强化基层治理能力建设",
    "提升城市精细化管理水平",
    "落实安全生产责任制",
    "建成基站3万个",
    "扩大高水平对外开放",
    "健全养老服务网络",
    "加强生态环境保护",
]


@dataclass
class MadePdf:
    """A generated PDF and the structure a reader must recover from it."""

    data: bytes
    #: Every paragraph (title, lead, headings, body) in reading order; the table is not in it.
    paragraphs: list[str]
    #: The table's rows (cells), and the index in ``paragraphs`` it comes before.
    table: list[list[str]]
    table_before: int
    #: Page furniture the reader must drop (the running header, "- N -" per page).
    furniture: list[str]
    pages: int
    #: Indexes of paragraphs that run on across a column break / a page break.
    across_column: list[int] = field(default_factory=list)
    across_page: list[int] = field(default_factory=list)


def numeral(n: int) -> str:
    """1..99 in Chinese numerals (一, 十二, 二十三)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _sentence(rnd: random.Random) -> str:
    parts = rnd.sample(_PHRASES, rnd.randint(2, 4))
    return "，".join(parts) + "。"


def _paragraph(rnd: random.Random, sentences: int) -> str:
    return "".join(_sentence(rnd) for _ in range(sentences))


class _Layout:
    """A cursor that flows lines down columns and pages, drawing as it goes."""

    def __init__(self, painter: QPainter, writer: QPdfWriter, columns: int) -> None:
        self.painter = painter
        self.writer = writer
        self.columns = columns
        self.page = 0
        self.column = 0
        self.gutter = 2 * BODY_PT
        full = PAGE_W - 2 * MARGIN_X
        self.column_width = (full - (columns - 1) * self.gutter) / columns
        # Whole characters: a full line of CJK text reaches the right edge.
        self.column_width = int(self.column_width / BODY_PT) * BODY_PT
        self.full_width = columns * self.column_width + (columns - 1) * self.gutter
        self.top = MARGIN_TOP
        self.y = MARGIN_TOP
        self.breaks: list[str] = []  # "column" / "page", as they happen
        self._furniture()

    def font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(size)
        font.setBold(bold)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.writer)

    def _furniture(self) -> None:
        p = self.painter
        font = p.font()
        p.setFont(self.font(9.0))
        p.drawText(QPointF(MARGIN_X, 48.0), HEADER_TEXT)
        p.drawLine(QPointF(MARGIN_X, 56.0), QPointF(PAGE_W - MARGIN_X, 56.0))
        number = f"- {self.page + 1} -"
        width = self.metrics(self.font(9.0)).horizontalAdvance(number)
        p.drawText(QPointF((PAGE_W - width) / 2, PAGE_H - 40.0), number)
        p.setFont(font)

    def x0(self) -> float:
        return MARGIN_X + self.column * (self.column_width + self.gutter)

    def advance(self, height: float) -> None:
        """Make room for a line of ``height``: next column or page when this one is full."""
        if self.y + height <= PAGE_H - MARGIN_BOTTOM:
            return
        if self.column + 1 < self.columns:
            self.column += 1
            self.breaks.append("column")
        else:
            self.writer.newPage()
            self.page += 1
            self.column = 0
            self.top = MARGIN_TOP
            self.breaks.append("page")
            self._furniture()
        self.y = self.top

    def wrap(self, text: str, font: QFont, width: float, indent: float) -> list[str]:
        fm = self.metrics(font)
        lines: list[str] = []
        current = ""
        room = width - indent
        for ch in text:
            if current and fm.horizontalAdvance(current + ch) > room + 0.01:
                lines.append(current)
                current = ""
                room = width
            current += ch
        if current:
            lines.append(current)
        return lines

    def paragraph(
        self, text: str, size: float = BODY_PT, bold: bool = False, indent_chars: float = 2
    ) -> None:
        font = self.font(size, bold)
        self.painter.setFont(font)
        pitch = LEADING * size
        for n, line in enumerate(self.wrap(text, font, self.column_width, indent_chars * size)):
            self.advance(pitch)
            x = self.x0() + (indent_chars * size if n == 0 else 0.0)
            self.painter.drawText(QPointF(x, self.y + size), line)
            self.y += pitch
        self.y += 0.4 * size

    def spanning(self, text: str, size: float, bold: bool, centred: bool) -> None:
        """A block across all columns at the top of the first page (title, lead)."""
        font = self.font(size, bold)
        self.painter.setFont(font)
        fm = self.metrics(font)
        indent = 0.0 if centred else 2 * size
        for n, line in enumerate(self.wrap(text, font, self.full_width, indent)):
            x = MARGIN_X + (indent if n == 0 else 0.0)
            if centred:
                x = MARGIN_X + (self.full_width - fm.horizontalAdvance(line)) / 2
            self.painter.drawText(QPointF(x, self.y + size), line)
            self.y += LEADING * size
        self.y += 0.8 * size
        self.top = self.y

    def table(self, rows: list[list[str]]) -> None:
        font = self.font(BODY_PT)
        self.painter.setFont(font)
        height = 2.0 * BODY_PT
        self.advance(height * len(rows) + 4)
        x0, width = self.x0(), self.column_width
        ncols = len(rows[0])
        cell = width / ncols
        top = self.y + 2
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.painter.drawText(QPointF(x0 + c * cell + 4, top + r * height + 1.45 * BODY_PT), text)
        for r in range(len(rows) + 1):
            self.painter.drawLine(QPointF(x0, top + r * height), QPointF(x0 + width, top + r * height))
        for c in range(ncols + 1):
            self.painter.drawLine(
                QPointF(x0 + c * cell, top), QPointF(x0 + c * cell, top + len(rows) * height)
            )
        self.y = top + len(rows) * height + BODY_PT


def make_pdf(columns: int = 1, sections: int = 3, seed: int = 1, table: bool = True) -> MadePdf:
    """A bulletin of ``sections`` headed sections in ``columns`` columns (see module)."""
    rnd = random.Random(seed)
    buffer = QByteArray()
    device = QBuffer(buffer)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(device)
    writer.setResolution(72)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
        )
    )
    writer.setTitle("generated bulletin")
    painter = QPainter(writer)
    layout = _Layout(painter, writer, columns)

    paragraphs: list[str] = []
    across_column: list[int] = []
    across_page: list[int] = []
    title = "关于印发城市更新行动方案的通知"
    layout.spanning(title, TITLE_PT, True, True)
    paragraphs.append(title)
    if columns > 1:
        lead = _paragraph(rnd, 4)
        layout.spanning(lead, BODY_PT, False, False)
        paragraphs.append(lead)
    table_rows = [
        ["区名", "项目数", "完成率"],
        ["东城区", "12", "98%"],
        ["西城区", "9", "95%"],
        ["朝阳区", "21", "90%"],
    ]
    table_before = -1
    for s in range(sections):
        heading = f"{numeral(s + 1)}、{rnd.choice(_PHRASES)}"
        layout.paragraph(heading, HEADING_PT, True, indent_chars=0)
        paragraphs.append(heading)
        for _ in range(3):
            text = _paragraph(rnd, rnd.randint(3, 7))
            before = len(layout.breaks)
            layout.paragraph(text)
            paragraphs.append(text)
            happened = layout.breaks[before:]
            if "column" in happened:
                across_column.append(len(paragraphs) - 1)
            if "page" in happened:
                across_page.append(len(paragraphs) - 1)
        if table and s == 0:
            layout.table(table_rows)
            table_before = len(paragraphs)
    closing = "附件：Smart City 试点名单"
    layout.paragraph(closing, indent_chars=2)
    paragraphs.append(closing)
    painter.end()
    device.close()
    pages = layout.page + 1
    furniture = [text for n in range(1, pages + 1) for text in (HEADER_TEXT, f"- {n} -")]
    return MadePdf(
        data=bytes(buffer.data()),
        paragraphs=paragraphs,
        table=table_rows if table else [],
        table_before=table_before,
        furniture=furniture,
        pages=pages,
        across_column=across_column,
        across_page=across_page,
    )


def make_scan(pages: int = 2) -> bytes:
    """A PDF whose pages are images of text only (no text layer), like a scanner's."""
    buffer = QByteArray()
    device = QBuffer(buffer)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(device)
    writer.setResolution(72)
    painter = QPainter(writer)
    for n in range(pages):
        if n:
            writer.newPage()
        image = QImage(600, 800, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        img_painter = QPainter(image)
        font = QFont(FONT_FAMILY)
        font.setPixelSize(24)
        img_painter.setFont(font)
        img_painter.drawText(QRectF(40, 40, 520, 720), Qt.TextFlag.TextWordWrap, _PHRASES[n] * 6)
        img_painter.end()
        painter.drawImage(QRectF(0, 0, 595, 842), image)
    painter.end()
    device.close()
    return bytes(buffer.data())
