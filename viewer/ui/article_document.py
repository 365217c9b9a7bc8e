"""The article's text document: built from model objects, one text block per passage.

Its one job is typesetting: a section (with the headings nested in it) or a bulletin's
own page (title, number, issuer, date, lead, closing) becomes a QTextDocument built with
QTextCursor and formats, never from the bulletin's text as HTML, so nothing in a
bulletin can load anything or inject markup. Every passage is one text block whose text
equals the model's text, so offsets of search hits and selections are offsets into it;
``build_document`` returns which block shows which passage. The text may be shown
converted (``display``: traditional characters) only character for character: a block
keeps its passage's length, and the map keeps the text as published. One typesetter
serves the article and the printed page (``build_bulletin_document``: a whole bulletin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from viewer.model import CLOSING, HEAD, HEADLINE, LEAD, Bulletin
from viewer.model.official import is_addressee, is_date_line, is_signature
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import CJK_FAMILIES  # the one list of families; importable from here too

ZOOM_STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 170, 200, 240, 300)
DEFAULT_ZOOM = 100
LINE_HEIGHT = 170  # percent
MEASURE_CHARS = 36  # characters per line at most: a comfortable measure for Chinese
Span = tuple[int, int]
#: Where a passage is: (section index or LEAD / CLOSING / HEAD, paragraph or HEADLINE).
Place = tuple[int, int]


def view_of(section: int) -> int | None:
    """The view that shows a passage of ``section``: its own, or (None) the bulletin's page."""
    return section if section >= 0 else None


def shown_sections(bulletin: Bulletin, view: int | None) -> list[int]:
    """The sections whose passages a view shows: the bulletin's page shows its title,
    number, issuer, lead and closing; a section's view, the headings nested in it too."""
    return [HEAD, LEAD, CLOSING] if view is None else list(bulletin.nested(view))


class SelectionRef(NamedTuple):
    """The current selection: offsets [start, end) into a passage's text.

    ``section`` is LEAD for a lead paragraph; ``paragraph`` is HEADLINE for a headline.
    """

    bulletin_id: str
    section: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class BlockInfo:
    """Which passage a block of the article shows (``PassageMap.blocks``)."""

    section: int  # index in Bulletin.sections, or LEAD / CLOSING / HEAD
    paragraph: int  # index within the section / lead / closing, or HEADLINE

    @property
    def place(self) -> Place:
        return self.section, self.paragraph


@dataclass
class PassageMap:
    """Which text block shows which passage, both ways; and, for blocks shown converted
    (traditional characters), the text as published, of the same length."""

    blocks: dict[int, BlockInfo]  # block number -> what it shows
    places: dict[Place, int]  # (section, paragraph) -> block number
    sources: dict[int, str] = field(default_factory=dict)  # block number -> text as published


#: Turns a passage into what is shown, of the same length (``script_display``).
Display = Callable[[str], str]


def top_sections(bulletin: Bulletin) -> Iterator[int]:
    """The sections that are no other section's nested headings, in order: the views that
    together show every section once."""
    index = 0
    while index < len(bulletin.sections):
        yield index
        index = bulletin.nested(index).stop


def reading_font(point_size: float, families: Sequence[str] | None = None) -> QFont:
    font = QFont()
    font.setFamilies(list(families or CJK_FAMILIES))
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


class _Typesetter:
    """Adds passages to a document, one text block each, in the article's formats."""

    def __init__(
        self,
        doc: QTextDocument,
        size: float,
        muted: QBrush,
        families: Sequence[str] | None,
        display: Display | None,
    ) -> None:
        self.passages = PassageMap({}, {})
        self.size = size
        self.muted = muted
        self.families = list(families or CJK_FAMILIES)
        self.display = display
        base = reading_font(size, self.families)
        doc.clear()
        doc.setDefaultFont(base)
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(0)
        # In screen units: a layout for a printer scales margins and line heights to its resolution.
        metrics = QFontMetricsF(base)
        self.em = em = metrics.horizontalAdvance("中")
        self.gap = max(0.0, em * LINE_HEIGHT / 100 - metrics.lineSpacing())
        self.cursor = QTextCursor(doc)
        self.first = True
        self.body = self.char_format()
        self.small = self.char_format(0.85, color=muted)

    def char_format(
        self, scale: float = 1.0, bold: bool = False, color: QBrush | None = None
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(self.families)
        fmt.setFontPointSize(self.size * scale)
        fmt.setFontWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        if color is not None:
            fmt.setForeground(color)
        return fmt

    def block_format(
        self, top: float, bottom: float, indent: float = 0.0, right: bool = False
    ) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        if right:
            fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
        fmt.setTopMargin(top)
        fmt.setBottomMargin(bottom)
        fmt.setTextIndent(indent)
        # Line height as typographers mean it: LINE_HEIGHT percent of the font size.
        fmt.setLineHeight(self.gap, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
        return fmt

    def add(self, text: str, bfmt: QTextBlockFormat, cfmt: QTextCharFormat, info: BlockInfo | None) -> None:
        shown = self.display(text) if self.display is not None else text
        if len(shown) != len(text):  # offsets into the passage must stay offsets into the block
            shown = text
        cursor = self.cursor
        if self.first:
            cursor.setBlockFormat(bfmt)
            cursor.setBlockCharFormat(cfmt)
            self.first = False
        else:
            cursor.insertBlock(bfmt, cfmt)
        cursor.insertText(shown, cfmt)
        number = cursor.block().blockNumber()
        if shown != text:
            self.passages.sources[number] = text
        if info is not None:
            self.passages.blocks[number] = info
            self.passages.places[info.place] = number

    # -- the parts of a bulletin -----------------------------------------------------------------
    def head(self, bulletin: Bulletin, section: int | None) -> None:
        """The title (a passage on the bulletin's page), number and issuer, and the line under
        them: date, column, district (a gap of its height when empty)."""
        em, own_page = self.em, section is None
        self.add(
            bulletin.title,
            self.block_format(em * 0.6, em * 0.3),
            self.char_format(1.45, bold=True),
            BlockInfo(HEAD, 0) if own_page else None,
        )
        if own_page:
            for n, text in ((1, bulletin.number), (2, bulletin.issuer)):
                if text:
                    self.add(text, self.block_format(0, em * 0.15), self.small, BlockInfo(HEAD, n))
        where = [bulletin.date, bulletin.column]
        if section is not None:
            where.append(bulletin.sections[section].district)
        self.add("  ·  ".join(w for w in where if w) or " ", self.block_format(0, em * 0.9), self.small, None)

    def lead(self, bulletin: Bulletin) -> None:
        em = self.em
        for para in bulletin.lead:
            indent = 0 if is_addressee(para.text) else em * 2  # 主送机关 stands flush left
            self.add(
                para.text, self.block_format(0, em * 0.7, indent), self.body, BlockInfo(LEAD, para.index)
            )

    def district_list(self, bulletin: Bulletin) -> None:
        if bulletin.districts:
            self.add(
                "、".join(bulletin.districts),
                self.block_format(self.em * 0.6, 0),
                self.char_format(0.9, color=self.muted),
                None,
            )

    def closing(self, bulletin: Bulletin) -> None:
        em = self.em
        for para in bulletin.closing:
            signed = is_signature(para.text) or is_date_line(para.text)
            self.add(
                para.text,
                self.block_format(em * 0.2, em * 0.3, 0 if signed else em * 2, right=signed),
                self.body,
                BlockInfo(CLOSING, para.index),
            )

    def section(self, bulletin: Bulletin, section: int, labelled: bool = False) -> None:
        """A section with the headings nested in it; ``labelled``: its district label first
        (in a whole bulletin, where no line under the title names it)."""
        em = self.em
        top = bulletin.sections[section]
        if labelled and top.district:
            self.add(
                top.district,
                self.block_format(em * 1.2, em * 0.2),
                self.char_format(0.9, color=self.muted),
                None,
            )
        for index in bulletin.nested(section):
            nested = bulletin.sections[index]
            depth = nested.level - top.level
            if nested.headline:
                top_margin = em * (
                    1.2 if labelled and depth == 0 and not top.district else 0.2 if depth == 0 else 0.8
                )
                self.add(
                    nested.headline,
                    self.block_format(top_margin, em * 0.8),
                    self.char_format(max(1.0, 1.2 - 0.1 * depth), bold=True),
                    BlockInfo(index, HEADLINE),
                )
            for para in nested.paragraphs:
                self.add(
                    para.text, self.block_format(0, em * 0.7, em * 2), self.body, BlockInfo(index, para.index)
                )


def build_document(
    doc: QTextDocument,
    bulletin: Bulletin,
    section: int | None,
    size: float,
    muted: QBrush,
    *,
    families: Sequence[str] | None = None,
    display: Display | None = None,
) -> PassageMap:
    """Typeset a section of ``bulletin`` (None: its own page) into ``doc`` at ``size`` points,
    in ``families`` (default ``CJK_FAMILIES``), shown through ``display``."""
    typeset = _Typesetter(doc, size, muted, families, display)
    typeset.head(bulletin, section)
    if section is None:
        typeset.lead(bulletin)
        typeset.district_list(bulletin)
        typeset.closing(bulletin)
    else:
        typeset.section(bulletin, section)
    return typeset.passages


def build_bulletin_document(
    doc: QTextDocument,
    bulletin: Bulletin,
    size: float,
    muted: QBrush,
    *,
    families: Sequence[str] | None = None,
    display: Display | None = None,
) -> PassageMap:
    """Typeset the whole bulletin into ``doc`` as the article shows its parts: its page's head
    and lead, every section in order (each under its district label), the closing."""
    typeset = _Typesetter(doc, size, muted, families, display)
    typeset.head(bulletin, None)
    typeset.lead(bulletin)
    for section in top_sections(bulletin):
        typeset.section(bulletin, section, labelled=True)
    typeset.closing(bulletin)
    return typeset.passages
