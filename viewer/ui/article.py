"""The article pane: the text of one section, or of a bulletin's own page, to read, select
and copy; zoomable, with search hits and find-in-section matches marked.

Its job is the reading view itself: what is shown, the measure of the lines, zoom,
scrolling to a passage and selections as references into passages; and how it is shown
(font family, traditional characters, paragraph numbers). Typesetting lives in
``article_document`` (every passage one text block, never HTML), the highlight layers
in ``article_highlights``, the numbers' drawing in ``paragraph_numbers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QWheelEvent,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from viewer.model import Bulletin
from viewer.ui.article_document import (
    CJK_FAMILIES,
    DEFAULT_ZOOM,
    MEASURE_CHARS,
    ZOOM_STEPS,
    Display,
    PassageMap,
    Place,
    SelectionRef,
    build_document,
    shown_sections,
    view_of,
)
from viewer.ui.article_highlights import ArticleHighlights
from viewer.ui.paragraph_numbers import draw_paragraph_numbers
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import text_families

__all__ = ["CJK_FAMILIES", "DEFAULT_ZOOM", "ArticleView", "SelectionRef", "shown_sections", "view_of"]


#: The shortest line the article keeps at its default size, in characters.
MIN_LINE_CHARS = 12


class ArticleView(QTextEdit):
    """Read-only text view of one section; selectable and copyable, zoomable."""

    zoom_changed = Signal(int)
    section_shown = Signal(str, object)  # bulletin id, section index (None: the bulletin's page)
    painted = Signal()  # the text (the viewport) was painted: a frame holds it
    menu_requested = Signal(QPoint)  # a context menu, at this point of the viewport

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)  # selectable by mouse; by keyboard too once shown (allow_keyboard_selection)
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
        # Never narrower than a short line of text and its margins: a wide side panel (the
        # measures) takes the room beyond that, not the reading column.
        scale = self._base_point_size / self.font().pointSizeF()  # the text's size to the widget's
        em = QFontMetricsF(self.font()).horizontalAdvance("中") * scale
        self.setMinimumWidth(round(em * (MIN_LINE_CHARS + 2.4)))
        self._family = ""  # the family chosen for the text ("": CJK_FAMILIES in order)
        self._display: Display | None = None  # e.g. traditional characters
        self._numbers = False  # paragraph numbers in the margin
        # The viewport's width, as its resize events tell it. Asked of the viewport itself, it
        # would make PySide wrap the viewport, an object of a class it does not know: that
        # builds the Python types of every widget class first (15 ms before the first frame).
        self._viewport_width: int | None = None

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
        muted = self.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        size = self._base_point_size * self._zoom / 100
        self._passages = build_document(
            self.document(),
            self._bulletin,
            self._section,
            size,
            muted,
            families=text_families(self._family),
            display=self._display,
        )
        self._update_measure()
        self._highlights.remap()

    def _restyle(self) -> None:
        """Typeset again, keeping the place read (a change of font, characters or margin)."""
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._rebuild()
        bar.setValue(round(fraction * bar.maximum()))
        self.viewport().update()

    # -- how the text is shown ---------------------------------------------------------------------
    def text_family(self) -> str:
        """The font family chosen for the text ("": the default, ``CJK_FAMILIES`` in order)."""
        return self._family

    def set_text_family(self, family: str) -> None:
        if family != self._family:
            self._family = family
            self._restyle()

    def display(self) -> Display | None:
        """What turns a passage into what is shown (None: as published)."""
        return self._display

    def set_display(self, display: Display | None) -> None:
        """Show the text converted (traditional characters), character for character: hits,
        matches and selections keep their offsets into the text as published."""
        if display is not self._display:
            self._display = display
            self._restyle()  # the layers are laid again, find matches looked for anew

    def paragraph_numbers(self) -> bool:
        return self._numbers

    def set_paragraph_numbers(self, shown: bool) -> None:
        """Number the paragraphs in the margin, as citations number them (from 1)."""
        if shown != self._numbers:
            self._numbers = shown
            self._update_measure()
            self.viewport().update()

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

    def allow_keyboard_selection(self) -> None:
        """Select with the keys as well as the mouse (a caret when focused). Called once the
        first frame is painted: the flags are Qt enums (viewer.ui.qt_namespace)."""
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The window makes the menu; asking for that by the custom-menu policy takes a Qt enum.
        self.menu_requested.emit(event.pos())
        event.accept()

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
        width = self._viewport_width
        if width is None:  # not laid out yet: the room it would have without scroll bars
            width = self.maximumViewportSize().width()
        side = max(em * (2.6 if self._numbers else 1.2), (width - measure) / 2)  # room for 3 digits
        frame = doc.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) < 0.5 and fmt.topMargin() > 0:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(em * 1.2)
        fmt.setBottomMargin(em * 2)
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:  # the viewport's (QAbstractScrollArea)
        super().resizeEvent(event)
        self._viewport_width = event.size().width()
        self._update_measure()

    def paintEvent(self, event: QPaintEvent) -> None:  # the viewport's
        self._highlights.paint_backdrop(event.rect())  # the marked passages, under the text
        super().paintEvent(event)
        if self._numbers and self._bulletin is not None:
            self._paint_numbers(event.rect())
        self.painted.emit()

    def _paint_numbers(self, rect: QRect) -> None:
        doc = self.document()
        em = QFontMetricsF(doc.defaultFont()).horizontalAdvance("中")
        scroll = self.verticalScrollBar().value()
        painter = QPainter(self.viewport())
        try:
            draw_paragraph_numbers(
                painter,
                doc,
                self._passages,
                right=doc.rootFrame().frameFormat().leftMargin()
                - em * 0.7
                - self.horizontalScrollBar().value(),
                top=rect.top() + scroll - em * 2,
                bottom=rect.bottom() + scroll + 1,
                dy=-scroll,
                color=self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText),
            )
        finally:
            painter.end()

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
        """A passage's text as published (what the block shows may be converted)."""
        number = self._passages.places.get(place)
        if number is None:
            return None
        return self._passages.sources.get(number) or self.document().findBlockByNumber(number).text()

    def find_cursors(self, text: str, limit: int) -> list[QTextCursor]:
        """Cursors over the occurrences of ``text`` in the document (ignoring case), at most
        ``limit``. Converted text (traditional characters) is searched as published, folded
        as the search folds (so 社区 and 社區 both find what shows as 社區)."""
        doc = self.document()
        matches: list[QTextCursor] = []
        if not text:
            return matches
        if not self._passages.sources:
            cursor = doc.find(text, 0)
            while not cursor.isNull() and len(matches) < limit:
                matches.append(cursor)
                cursor = doc.find(text, cursor.selectionEnd())
            return matches
        from viewer.search.normalize import fold, fold_with_offsets

        needle = fold(text)
        if not needle:
            return matches
        block = doc.begin()
        while block.isValid() and len(matches) < limit:
            source = self._passages.sources.get(block.blockNumber(), block.text())
            folded, starts = fold_with_offsets(source)
            at = folded.find(needle)
            while at >= 0 and len(matches) < limit:
                end = at + len(needle)
                start, stop = (at, end) if starts is None else (starts[at], starts[end - 1] + 1)
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + start)
                cursor.setPosition(block.position() + stop, QTextCursor.MoveMode.KeepAnchor)
                matches.append(cursor)
                at = folded.find(needle, end)
            block = block.next()
        return matches

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
