"""The article pane: the text of one section, or of a bulletin's own page, to read, select
and copy; zoomable, with search hits and find-in-section matches marked.

Its job is the reading view itself: what is shown, the measure of the lines, zoom,
scrolling to a passage and selections as references into passages. Typesetting lives in
``article_document`` (every passage one text block, never HTML), the highlight layers
in ``article_highlights``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPalette, QResizeEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QTextEdit, QWidget

from viewer.model import Bulletin
from viewer.ui.article_document import (
    CJK_FAMILIES,
    DEFAULT_ZOOM,
    MEASURE_CHARS,
    ZOOM_STEPS,
    PassageMap,
    Place,
    SelectionRef,
    build_document,
    shown_sections,
    view_of,
)
from viewer.ui.article_highlights import ArticleHighlights

__all__ = ["CJK_FAMILIES", "DEFAULT_ZOOM", "ArticleView", "SelectionRef", "shown_sections", "view_of"]


class ArticleView(QTextEdit):
    """Read-only text view of one section; selectable and copyable, zoomable."""

    zoom_changed = Signal(int)
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
        self._passages = PassageMap({}, {})
        self._highlights = ArticleHighlights(self)
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
        self._highlights.reset()
        self._rebuild()
        self.verticalScrollBar().setValue(0)
        self.section_shown.emit(bulletin.id, self._section)

    def clear_article(self) -> None:
        self._bulletin = None
        self._section = None
        self._passages = PassageMap({}, {})
        self._highlights.reset(keep_marks=False)
        self.setExtraSelections([])
        self.document().clear()

    def _rebuild(self) -> None:
        """Build the document from the model objects (on show, zoom and palette changes)."""
        if self._bulletin is None:
            return
        muted = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        size = self._base_point_size * self._zoom / 100
        self._passages = build_document(self.document(), self._bulletin, self._section, size, muted)
        self._update_measure()
        self._highlights.remap()

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
        number = self._passages.places.get(place)
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
            self.scroll_to_cursor(cursor)

    def scroll_to_cursor(self, cursor: QTextCursor) -> None:
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
        number = self._passages.places.get(place)
        if number is None:
            return None
        return self.document().findBlockByNumber(number).text()

    def place_of_block(self, number: int) -> Place | None:
        """The passage a text block shows (None: a line that is no passage, e.g. the date line)."""
        info = self._passages.blocks.get(number)
        return info.place if info is not None else None

    def top_position(self) -> int:
        """The document position at the top left of the view."""
        return self.cursorForPosition(self.viewport().rect().topLeft()).position()

    # -- highlights (drawn by ArticleHighlights) ---------------------------------------------------
    def mark_paragraphs(self, marks: Iterable[Place]) -> None:
        """Mark passages subtly, e.g. those holding bookmarks: (section, paragraph)."""
        self._highlights.mark(marks)

    def marked_paragraphs(self) -> set[Place]:
        return self._highlights.marks()

    def highlight_hits(
        self, spans: Sequence[tuple[int, int, int, int]], focus_paragraph: Place | None = None
    ) -> int:
        """Highlight (section, paragraph, start, end) spans; make the first one in the passage
        ``focus_paragraph`` current. Returns how many are highlighted."""
        return self._highlights.highlight_hits(spans, focus_paragraph)

    def clear_hits(self) -> None:
        self._highlights.clear_hits()

    def hit_count(self) -> int:
        return self._highlights.hit_count()

    def hit_spans(self) -> list[tuple[int, int, int, int]]:
        """The highlighted hits as (section, paragraph, start, end), in reading order."""
        return self._highlights.hit_spans()

    def next_hit(self) -> bool:
        """Move to the next hit; False when there is none after the current one."""
        return self._highlights.step_hit(True)

    def previous_hit(self) -> bool:
        return self._highlights.step_hit(False)

    def current_hit(self) -> int:
        """0-based index of the current hit, -1 if none."""
        return self._highlights.current_hit()

    def find_in_section(self, text: str) -> int:
        """Highlight every occurrence of ``text`` (ignoring case); returns how many."""
        return self._highlights.find(text)

    def find_step(self, forward: bool = True) -> tuple[int, int]:
        """Go to the next (previous) match, wrapping; returns (current 1-based, count)."""
        return self._highlights.find_step(forward)

    def clear_find(self) -> None:
        self._highlights.clear_find()

    # -- selection ---------------------------------------------------------------------------------
    def current_selection(self) -> SelectionRef | None:
        """The selected text as a reference into one paragraph (clipped to the paragraph where it starts)."""
        cursor = self.textCursor()
        if self._bulletin is None or not cursor.hasSelection():
            return None
        block = self.document().findBlock(cursor.selectionStart())
        info = self._passages.blocks.get(block.blockNumber())
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
        info = self._passages.blocks.get(cursor.block().blockNumber())
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
        self.scroll_to_cursor(cursor)
        return True

    def show_passage(self, bulletin: Bulletin, section: int, paragraph: int, quote: str = "") -> bool:
        """Show a passage and select an exact quote in it (or the passage); False if it is gone."""
        place = (section, paragraph)
        if self._bulletin is None or self._bulletin.id != bulletin.id or place not in self._passages.places:
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
        self.scroll_to_cursor(cursor)
        return True
