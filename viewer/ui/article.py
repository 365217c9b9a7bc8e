"""The article pane: one section (with the headings nested in it), or a bulletin's own page
(title, number, issuer, date, lead, closing), rendered from model objects as text.

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

from viewer.model import CLOSING, HEAD, HEADLINE, LEAD, Bulletin
from viewer.model.official import is_addressee, is_date_line, is_signature

# Fonts for Chinese text, in order; without an explicit choice Qt may pick Japanese glyph forms.
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]

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
class _BlockInfo:
    section: int  # index in Bulletin.sections, or LEAD / CLOSING / HEAD
    paragraph: int  # index within the section / lead / closing, or HEADLINE

    @property
    def place(self) -> Place:
        return self.section, self.paragraph


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
    section_shown = Signal(str, object)  # bulletin id, section index (None: the bulletin's page)

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
        self._section: int | None = None
        self._zoom = DEFAULT_ZOOM
        self._blocks: dict[int, _BlockInfo] = {}  # block number -> what it shows
        self._para_blocks: dict[Place, int] = {}  # (section, paragraph) -> block number
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._hits: list[QTextCursor] = []
        self._hit_spans: list[tuple[int, int, int]] = []
        self._hit_pos = -1
        self._find_matches: list[QTextCursor] = []
        self._find_pos = -1
        self._marks: set[Place] = set()
        self._base_point_size = max(12.0, self.font().pointSizeF() * 1.25)

    # -- what is shown -----------------------------------------------------------------------------
    def bulletin(self) -> Bulletin | None:
        return self._bulletin

    def current_section(self) -> tuple[str, int | None] | None:
        """(bulletin id, section index) shown, None for the bulletin's page; None if empty."""
        if self._bulletin is None:
            return None
        return self._bulletin.id, self._section

    def show_section(self, bulletin: Bulletin, section: int | None) -> None:
        """Show a section of ``bulletin`` (with the headings nested in it), or the bulletin's
        own page (title, metadata, lead, closing) when ``section`` is None."""
        if section is not None and not 0 <= section < len(bulletin.sections):
            section = None
        self._bulletin = bulletin
        self._section = section
        self._hits, self._hit_spans, self._hit_pos = [], [], -1
        self._find_matches, self._find_pos = [], -1
        self._layers.pop("hits", None)
        self._layers.pop("find", None)
        self._layers.pop("current", None)
        self._rebuild()
        self.verticalScrollBar().setValue(0)
        self.section_shown.emit(bulletin.id, self._section)

    def clear_article(self) -> None:
        self._bulletin = None
        self._section = None
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

        def block_format(
            top: float, bottom: float, indent: float = 0.0, right: bool = False
        ) -> QTextBlockFormat:
            fmt = QTextBlockFormat()
            if right:
                fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
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
                self._para_blocks[info.place] = number

        body = char_format()
        title_format = char_format(1.45, bold=True)
        small = char_format(0.85, color=muted)
        own_page = self._section is None
        # The title is a passage of the bulletin's page (a hit in it is shown there).
        add_block(
            bulletin.title,
            block_format(em * 0.6, em * 0.3),
            title_format,
            _BlockInfo(HEAD, 0) if own_page else None,
        )
        if own_page:
            for n, text in ((1, bulletin.number), (2, bulletin.issuer)):
                if text:
                    add_block(text, block_format(0, em * 0.15), small, _BlockInfo(HEAD, n))
        where = [bulletin.date, bulletin.column]
        if not own_page:
            where.append(bulletin.sections[self._section].district)
        # The line under the title: date, column, district (a gap of its height when empty).
        add_block("  ·  ".join(w for w in where if w) or " ", block_format(0, em * 0.9), small, None)
        if own_page:
            for para in bulletin.lead:
                indent = 0 if is_addressee(para.text) else em * 2  # 主送机关 stands flush left
                add_block(para.text, block_format(0, em * 0.7, indent), body, _BlockInfo(LEAD, para.index))
            districts = bulletin.districts
            if districts:
                add_block(
                    "、".join(districts), block_format(em * 0.6, 0), char_format(0.9, color=muted), None
                )
            for para in bulletin.closing:
                signed = is_signature(para.text) or is_date_line(para.text)
                add_block(
                    para.text,
                    block_format(em * 0.2, em * 0.3, 0 if signed else em * 2, right=signed),
                    body,
                    _BlockInfo(CLOSING, para.index),
                )
        else:
            top = bulletin.sections[self._section]
            for index in bulletin.nested(self._section):
                section = bulletin.sections[index]
                depth = section.level - top.level
                if section.headline:
                    add_block(
                        section.headline,
                        block_format(em * (0.2 if depth == 0 else 0.8), em * 0.8),
                        char_format(max(1.0, 1.2 - 0.1 * depth), bold=True),
                        _BlockInfo(index, HEADLINE),
                    )
                for para in section.paragraphs:
                    add_block(
                        para.text,
                        block_format(0, em * 0.7, em * 2),
                        body,
                        _BlockInfo(index, para.index),
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
    def paragraph_cursor(self, place: Place, start: int = 0, end: int | None = None) -> QTextCursor | None:
        """A cursor over [start, end) of a passage (the whole passage when end is None)."""
        number = self._para_blocks.get(place)
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

    def scroll_to_paragraph(self, place: Place) -> None:
        cursor = self.paragraph_cursor(place, 0, 0)
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

    def paragraph_text(self, place: Place) -> str | None:
        number = self._para_blocks.get(place)
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
        for place in sorted(self._marks):
            cursor = self.paragraph_cursor(place)
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

    def mark_paragraphs(self, marks: Iterable[Place]) -> None:
        """Mark passages subtly, e.g. those holding bookmarks: (section, paragraph)."""
        self._marks = {(s, p) for s, p in marks}
        self._layers["mark"] = self._mark_selections(self._colors())
        self._apply_layers()

    def marked_paragraphs(self) -> set[Place]:
        return set(self._marks)

    # -- search hits -------------------------------------------------------------------------------
    def highlight_hits(
        self, spans: Sequence[tuple[int, int, int, int]], focus_paragraph: Place | None = None
    ) -> int:
        """Highlight (section, paragraph, start, end) spans; make the first one in the passage
        ``focus_paragraph`` current."""
        self._set_hits_from_spans(spans)
        if focus_paragraph is not None:
            for i, cursor in enumerate(self._hits):
                if self._blocks[cursor.block().blockNumber()].place == focus_paragraph:
                    self._set_current_hit(i)
                    break
            else:
                self.scroll_to_paragraph(focus_paragraph)
        self._apply_layers()
        return len(self._hits)

    def _set_hits_from_spans(
        self, spans: Sequence[tuple[int, int, int, int]], keep_position: bool = False
    ) -> None:
        colors = self._colors()
        cursors = []
        for section, paragraph, start, end in spans:
            cursor = self.paragraph_cursor((section, paragraph), start, end)
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

    def hit_spans(self) -> list[tuple[int, int, int, int]]:
        """The highlighted hits as (section, paragraph, start, end), in reading order."""
        out = []
        for c in self._hits:
            pos = c.block().position()
            out.append(
                (
                    *self._blocks[c.block().blockNumber()].place,
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
        return SelectionRef(self._bulletin.id, info.section, info.paragraph, start, end)

    def passage_at(self, pos: QPoint | None = None) -> Place | None:
        """(section, paragraph or HEADLINE) under a viewport point, or at the text cursor."""
        cursor = self.cursorForPosition(pos) if pos is not None else self.textCursor()
        info = self._blocks.get(cursor.block().blockNumber())
        return info.place if info is not None else None

    def selection_is_cut(self) -> bool:
        """Whether the selection goes on past the paragraph where it starts (``current_selection``
        covers only that paragraph)."""
        parts = self.textCursor().selectedText().split("\u2029")
        return sum(1 for part in parts if part.strip()) > 1

    def select_spans(self, section: int, spans: Sequence[tuple[int, int, int]]) -> bool:
        """Select from the start of the first (paragraph, start, end) span of ``section`` to the
        end of the last (a quote may run over a paragraph break) and bring it into view."""
        if not spans:
            return False
        first = self.paragraph_cursor((section, spans[0][0]), spans[0][1], spans[0][1])
        last = self.paragraph_cursor((section, spans[-1][0]), spans[-1][2], spans[-1][2])
        if first is None or last is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(first.position())
        cursor.setPosition(last.position(), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._scroll_to(cursor)
        return True

    def show_passage(self, bulletin: Bulletin, section: int, paragraph: int, quote: str = "") -> bool:
        """Show a passage and select an exact quote in it (or the passage); False if it is gone."""
        place = (section, paragraph)
        if self._bulletin is None or self._bulletin.id != bulletin.id or place not in self._para_blocks:
            self.show_section(bulletin, view_of(section))
        text = self.paragraph_text(place)
        if text is None:
            return False
        start = text.find(quote) if quote else 0
        if start < 0:
            self.scroll_to_paragraph(place)
            return False
        end = start + len(quote) if quote else len(text)
        cursor = self.paragraph_cursor(place, start, end)
        assert cursor is not None
        self.setTextCursor(cursor)
        self._scroll_to(cursor)
        return True
