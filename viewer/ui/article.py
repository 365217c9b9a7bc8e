"""The article pane: one section (or a bulletin's lead) rendered from model objects as text.

The document is built with QTextCursor and formats, never from the bulletin's text as
HTML, so nothing in a bulletin can load anything or inject markup. Every paragraph is
one text block whose text equals the model's paragraph text, so offsets of search hits
and selections are offsets into ``Paragraph.text``.

Highlights are layers of extra selections: marked paragraphs (subtle), search hits,
find-in-section matches, and the current one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from viewer.model import HEADLINE, Bulletin

# Fonts for Chinese text, in order; without an explicit choice Qt may pick Japanese glyph forms.
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]

ZOOM_STEPS = (60, 70, 80, 90, 100, 110, 120, 135, 150, 170, 200, 240, 300)
DEFAULT_ZOOM = 100
LINE_HEIGHT = 170  # percent
MEASURE_CHARS = 36  # characters per line at most: a comfortable measure for Chinese
Span = tuple[int, int]


class SelectionRef(NamedTuple):
    """The current selection: offsets [start, end) into a paragraph's (or headline's) text.

    ``district`` is "" for a lead paragraph; ``paragraph`` is HEADLINE for the headline.
    """

    bulletin_id: str
    district: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class _BlockInfo:
    district: str  # "" for the lead
    paragraph: int  # index within the section / lead, or HEADLINE


def reading_font(point_size: float) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


class ArticleView(QTextEdit):
    """Read-only text view of one section; selectable and copyable, zoomable."""

    zoom_changed = Signal(int)
    hit_moved = Signal(int, int)  # current hit (1-based), number of hits
    section_shown = Signal(str, object)  # bulletin id, district label (None for the lead)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("article")
        self._bulletin: Bulletin | None = None
        self._district: str | None = None
        self._zoom = DEFAULT_ZOOM
        self._blocks: dict[int, _BlockInfo] = {}  # block number -> what it shows
        self._para_blocks: dict[int, int] = {}  # paragraph (or HEADLINE) -> block number
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._hits: list[QTextCursor] = []
        self._hit_spans: list[tuple[int, int, int]] = []
        self._hit_pos = -1
        self._find_matches: list[QTextCursor] = []
        self._find_pos = -1
        self._marks: set[tuple[str, int]] = set()
        self._base_point_size = max(12.0, self.font().pointSizeF() * 1.25)

    # -- what is shown -----------------------------------------------------------------------------
    def bulletin(self) -> Bulletin | None:
        return self._bulletin

    def current_section(self) -> tuple[str, str | None] | None:
        """(bulletin id, district label) shown, district None for the lead; None if empty."""
        if self._bulletin is None:
            return None
        return self._bulletin.id, self._district

    def show_section(self, bulletin: Bulletin, district: str | None) -> None:
        """Show a district's section of ``bulletin``, or its lead when ``district`` is None."""
        section = bulletin.section(district) if district else None
        self._bulletin = bulletin
        self._district = section.district if section is not None else None
        self._hits, self._hit_spans, self._hit_pos = [], [], -1
        self._find_matches, self._find_pos = [], -1
        self._layers.pop("hits", None)
        self._layers.pop("find", None)
        self._layers.pop("current", None)
        self._rebuild()
        self.verticalScrollBar().setValue(0)
        self.section_shown.emit(bulletin.id, self._district)

    def clear_article(self) -> None:
        self._bulletin = None
        self._district = None
        self._blocks.clear()
        self._para_blocks.clear()
        self._layers.clear()
        self._hits, self._hit_spans, self._find_matches = [], [], []
        self.document().clear()

    def _rebuild(self) -> None:
        """Build the document from the model objects (on show, zoom and palette changes)."""
        bulletin = self._bulletin
        if bulletin is None:
            return
        self._blocks.clear()
        self._para_blocks.clear()
        size = self._base_point_size * self._zoom / 100
        base = reading_font(size)
        doc = self.document()
        doc.clear()
        doc.setDefaultFont(base)
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(0)
        metrics = QFontMetricsF(base)
        em = metrics.horizontalAdvance("中")
        gap = max(0.0, em * LINE_HEIGHT / 100 - metrics.lineSpacing())
        muted = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)

        def char_format(
            scale: float = 1.0, bold: bool = False, color: QColor | None = None
        ) -> QTextCharFormat:
            fmt = QTextCharFormat()
            fmt.setFontFamilies(CJK_FAMILIES)
            fmt.setFontPointSize(size * scale)
            fmt.setFontWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
            if color is not None:
                fmt.setForeground(color)
            return fmt

        def block_format(top: float, bottom: float, indent: float = 0.0) -> QTextBlockFormat:
            fmt = QTextBlockFormat()
            fmt.setTopMargin(top)
            fmt.setBottomMargin(bottom)
            fmt.setTextIndent(indent)
            # Line height as typographers mean it: LINE_HEIGHT percent of the font size.
            fmt.setLineHeight(gap, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
            return fmt

        cursor = QTextCursor(doc)
        first = True

        def add_block(
            text: str, bfmt: QTextBlockFormat, cfmt: QTextCharFormat, info: _BlockInfo | None
        ) -> None:
            nonlocal first
            if first:
                cursor.setBlockFormat(bfmt)
                cursor.setBlockCharFormat(cfmt)
                first = False
            else:
                cursor.insertBlock(bfmt, cfmt)
            cursor.insertText(text, cfmt)
            if info is not None:
                number = cursor.block().blockNumber()
                self._blocks[number] = info
                self._para_blocks[info.paragraph] = number

        section = bulletin.section(self._district) if self._district else None
        add_block(bulletin.title, block_format(em * 0.6, em * 0.3), char_format(1.45, bold=True), None)
        meta = bulletin.column if section is None else f"{bulletin.column}  ·  {section.district}"
        add_block(meta, block_format(0, em * 0.9), char_format(0.85, color=muted), None)
        body = char_format()
        if section is None:
            for para in bulletin.lead:
                add_block(para.text, block_format(0, em * 0.7, em * 2), body, _BlockInfo("", para.index))
            if bulletin.sections:
                listing = "、".join(s.district for s in bulletin.sections)
                add_block(listing, block_format(em * 0.6, 0), char_format(0.9, color=muted), None)
        else:
            add_block(
                section.headline,
                block_format(em * 0.2, em * 0.8),
                char_format(1.2, bold=True),
                _BlockInfo(section.district, HEADLINE),
            )
            for para in section.paragraphs:
                add_block(
                    para.text,
                    block_format(0, em * 0.7, em * 2),
                    body,
                    _BlockInfo(section.district, para.index),
                )
        self._update_measure()
        self._remap_layers()

    # -- zoom --------------------------------------------------------------------------------------
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        percent = min(max(int(percent), ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        if percent == self._zoom:
            return
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._zoom = percent
        self._rebuild()
        bar.setValue(round(fraction * bar.maximum()))
        self.zoom_changed.emit(percent)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom), ZOOM_STEPS[0]))

    def reset_zoom(self) -> None:
        self.set_zoom(DEFAULT_ZOOM)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # -- layout ------------------------------------------------------------------------------------
    def _update_measure(self) -> None:
        """Keep lines to a comfortable length: centre the text column in wide windows."""
        doc = self.document()
        em = QFontMetricsF(doc.defaultFont()).horizontalAdvance("中")
        measure = em * MEASURE_CHARS
        width = self.viewport().width()
        side = max(em * 1.2, (width - measure) / 2)
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) < 0.5 and fmt.topMargin() > 0:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(em * 1.2)
        fmt.setBottomMargin(em * 2)
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_measure()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._bulletin is not None:
            value = self.verticalScrollBar().value()
            self._rebuild()
            self.verticalScrollBar().setValue(value)

    # -- paragraphs --------------------------------------------------------------------------------
    def paragraph_cursor(self, paragraph: int, start: int = 0, end: int | None = None) -> QTextCursor | None:
        """A cursor over [start, end) of a paragraph (whole paragraph when end is None)."""
        number = self._para_blocks.get(paragraph)
        if number is None:
            return None
        block = self.document().findBlockByNumber(number)
        length = block.length() - 1
        start = min(max(0, start), length)
        end = length if end is None else min(max(start, end), length)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def scroll_to_paragraph(self, paragraph: int) -> None:
        cursor = self.paragraph_cursor(paragraph, 0, 0)
        if cursor is not None:
            self._scroll_to(cursor)

    def _scroll_to(self, cursor: QTextCursor) -> None:
        """Bring a position into view about a quarter down from the top, if it is not in view."""
        rect = self.cursorRect(cursor)
        view = self.viewport().rect()
        if (
            view.top() + view.height() * 0.1 <= rect.top()
            and rect.bottom() <= view.bottom() - view.height() * 0.1
        ):
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - view.height() // 4)

    def paragraph_text(self, paragraph: int) -> str | None:
        number = self._para_blocks.get(paragraph)
        if number is None:
            return None
        return self.document().findBlockByNumber(number).text()

    # -- highlight layers --------------------------------------------------------------------------
    def _colors(self) -> dict[str, QColor]:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        if dark:
            return {
                "hit": QColor("#5c4a12"),
                "current": QColor("#b7791f"),
                "find": QColor("#1f4e5f"),
                "mark": QColor(255, 255, 255, 16),
                "text": QColor("#f5f5f4"),
            }
        return {
            "hit": QColor("#fff0a8"),
            "current": QColor("#ffb347"),
            "find": QColor("#cdeafe"),
            "mark": QColor(0, 0, 0, 10),
            "text": QColor("#1c1917"),
        }

    def _selection(self, cursor: QTextCursor, background: QColor, full_width: bool = False):
        sel = QTextEdit.ExtraSelection()
        sel.cursor = QTextCursor(cursor)
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        if full_width:
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
            sel.cursor.clearSelection()
        sel.format = fmt
        return sel

    def _apply_layers(self) -> None:
        selections = []
        for name in ("mark", "hits", "find", "current"):
            selections.extend(self._layers.get(name, []))
        self.setExtraSelections(selections)

    def _remap_layers(self) -> None:
        """After a rebuild: recompute every layer on the new document."""
        colors = self._colors()
        self._layers["mark"] = self._mark_selections(colors)
        if self._hit_spans:
            self._set_hits_from_spans(self._hit_spans, keep_position=True)
        if self._find_matches:
            self.find_in_section(self._find_text, keep_position=True)
        self._apply_layers()

    def _mark_selections(self, colors: dict[str, QColor]) -> list:
        out = []
        for district, paragraph in sorted(self._marks):
            if self._district is not None and district != self._district:
                continue
            if self._district is None and district != "":
                continue
            cursor = self.paragraph_cursor(paragraph)
            if cursor is None:
                continue
            block = cursor.block()
            whole = QTextCursor(block)
            whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = whole
            fmt = QTextCharFormat()
            fmt.setBackground(colors["mark"])
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(self.palette().color(QPalette.ColorRole.Highlight))
            sel.format = fmt
            out.append(sel)
        return out

    def mark_paragraphs(self, marks: Iterable[tuple[str, int]]) -> None:
        """Mark paragraphs subtly, e.g. those holding bookmarks: (district label or "", paragraph)."""
        self._marks = {(d, p) for d, p in marks}
        self._layers["mark"] = self._mark_selections(self._colors())
        self._apply_layers()

    def marked_paragraphs(self) -> set[tuple[str, int]]:
        return set(self._marks)

    # -- search hits -------------------------------------------------------------------------------
    def highlight_hits(
        self, spans: Sequence[tuple[int, int, int]], focus_paragraph: int | None = None
    ) -> int:
        """Highlight (paragraph, start, end) spans; make the first one in ``focus_paragraph`` current."""
        self._set_hits_from_spans(spans)
        if focus_paragraph is not None:
            for i, cursor in enumerate(self._hits):
                if self._blocks[cursor.block().blockNumber()].paragraph == focus_paragraph:
                    self._set_current_hit(i)
                    break
            else:
                self.scroll_to_paragraph(focus_paragraph)
        self._apply_layers()
        return len(self._hits)

    def _set_hits_from_spans(
        self, spans: Sequence[tuple[int, int, int]], keep_position: bool = False
    ) -> None:
        colors = self._colors()
        cursors = []
        for paragraph, start, end in spans:
            cursor = self.paragraph_cursor(paragraph, start, end)
            if cursor is not None and cursor.hasSelection():
                cursors.append(cursor)
        cursors.sort(key=lambda c: c.selectionStart())
        self._hits = cursors
        self._hit_spans = self.hit_spans()
        self._layers["hits"] = [self._selection(c, colors["hit"]) for c in cursors]
        if keep_position and 0 <= self._hit_pos < len(cursors):
            self._layers["current"] = [self._selection(cursors[self._hit_pos], colors["current"])]
        else:
            self._hit_pos = -1
            self._layers.pop("current", None)

    def clear_hits(self) -> None:
        self._hits, self._hit_spans, self._hit_pos = [], [], -1
        self._layers.pop("hits", None)
        self._layers.pop("current", None)
        self._apply_layers()

    def hit_count(self) -> int:
        return len(self._hits)

    def hit_spans(self) -> list[tuple[int, int, int]]:
        """The highlighted hits as (paragraph, start, end), in reading order."""
        out = []
        for c in self._hits:
            pos = c.block().position()
            out.append(
                (
                    self._blocks[c.block().blockNumber()].paragraph,
                    c.selectionStart() - pos,
                    c.selectionEnd() - pos,
                )
            )
        return out

    def _set_current_hit(self, pos: int) -> None:
        self._hit_pos = pos
        cursor = self._hits[pos]
        self._layers["current"] = [self._selection(cursor, self._colors()["current"])]
        self._apply_layers()
        self._scroll_to(cursor)
        self.hit_moved.emit(pos + 1, len(self._hits))

    def next_hit(self) -> bool:
        """Move to the next hit; False when there is none after the current one."""
        if self._hit_pos + 1 >= len(self._hits):
            return False
        self._set_current_hit(self._hit_pos + 1)
        return True

    def previous_hit(self) -> bool:
        if self._hit_pos <= 0:
            return False
        self._set_current_hit(self._hit_pos - 1)
        return True

    def current_hit(self) -> int:
        """0-based index of the current hit, -1 if none."""
        return self._hit_pos

    # -- find in section ---------------------------------------------------------------------------
    _find_text = ""

    def find_in_section(self, text: str, keep_position: bool = False) -> int:
        """Highlight every occurrence of ``text`` (ignoring case); returns how many."""
        self._find_text = text
        matches: list[QTextCursor] = []
        doc = self.document()
        if text:
            cursor = doc.find(text, 0)
            while not cursor.isNull() and len(matches) < 10_000:
                matches.append(cursor)
                cursor = doc.find(text, cursor.selectionEnd())
        colors = self._colors()
        self._find_matches = matches
        self._layers["find"] = [self._selection(c, colors["find"]) for c in matches]
        if not (keep_position and 0 <= self._find_pos < len(matches)):
            self._find_pos = -1
        self._apply_layers()
        return len(matches)

    def find_step(self, forward: bool = True) -> tuple[int, int]:
        """Go to the next (previous) match, wrapping; returns (current 1-based, count)."""
        if not self._find_matches:
            return 0, 0
        count = len(self._find_matches)
        if self._find_pos < 0:
            # Start from the first match at or below the top of the view.
            top = self.cursorForPosition(self.viewport().rect().topLeft()).position()
            after = [i for i, c in enumerate(self._find_matches) if c.selectionStart() >= top]
            self._find_pos = (
                (after[0] if after else 0) if forward else ((after[0] - 1) % count if after else count - 1)
            )
        else:
            self._find_pos = (self._find_pos + (1 if forward else -1)) % count
        cursor = self._find_matches[self._find_pos]
        sel = self._selection(cursor, self._colors()["current"])
        self._layers["current"] = [sel]
        self._apply_layers()
        self._scroll_to(cursor)
        return self._find_pos + 1, count

    def clear_find(self) -> None:
        self._find_text = ""
        self._find_matches, self._find_pos = [], -1
        self._layers.pop("find", None)
        if self._hit_pos >= 0:
            self._layers["current"] = [self._selection(self._hits[self._hit_pos], self._colors()["current"])]
        else:
            self._layers.pop("current", None)
        self._apply_layers()

    # -- selection ---------------------------------------------------------------------------------
    def current_selection(self) -> SelectionRef | None:
        """The selected text as a reference into one paragraph (clipped to the paragraph where it starts)."""
        cursor = self.textCursor()
        if self._bulletin is None or not cursor.hasSelection():
            return None
        block = self.document().findBlock(cursor.selectionStart())
        info = self._blocks.get(block.blockNumber())
        if info is None:
            return None
        start = cursor.selectionStart() - block.position()
        end = min(cursor.selectionEnd(), block.position() + block.length() - 1) - block.position()
        if end <= start:
            return None
        return SelectionRef(self._bulletin.id, info.district, info.paragraph, start, end)

    def passage_at(self, pos: QPoint | None = None) -> tuple[str, int] | None:
        """(district or "", paragraph or HEADLINE) under a viewport point, or at the text cursor."""
        cursor = self.cursorForPosition(pos) if pos is not None else self.textCursor()
        info = self._blocks.get(cursor.block().blockNumber())
        return (info.district, info.paragraph) if info is not None else None

    def selection_is_cut(self) -> bool:
        """Whether the selection goes on past the paragraph where it starts (``current_selection``
        covers only that paragraph)."""
        parts = self.textCursor().selectedText().split("\u2029")
        return sum(1 for part in parts if part.strip()) > 1

    def select_spans(self, spans: Sequence[tuple[int, int, int]]) -> bool:
        """Select from the start of the first (paragraph, start, end) span to the end of the last
        (a quote may run over a paragraph break) and bring it into view."""
        if not spans:
            return False
        first = self.paragraph_cursor(spans[0][0], spans[0][1], spans[0][1])
        last = self.paragraph_cursor(spans[-1][0], spans[-1][2], spans[-1][2])
        if first is None or last is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(first.position())
        cursor.setPosition(last.position(), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._scroll_to(cursor)
        return True

    def show_passage(self, bulletin: Bulletin, district: str, paragraph: int, quote: str = "") -> bool:
        """Show a paragraph and select an exact quote in it (or the paragraph); False if it is gone."""
        section = bulletin.section(district) if district else None
        wanted = (bulletin.id, section.district if section is not None else None)
        if self.current_section() != wanted:
            self.show_section(bulletin, wanted[1])
        text = self.paragraph_text(paragraph)
        if text is None:
            return False
        start = text.find(quote) if quote else 0
        if start < 0:
            self.scroll_to_paragraph(paragraph)
            return False
        end = start + len(quote) if quote else len(text)
        cursor = self.paragraph_cursor(paragraph, start, end)
        assert cursor is not None
        self.setTextCursor(cursor)
        self._scroll_to(cursor)
        return True
