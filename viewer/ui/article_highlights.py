"""The article's highlight layers: marked passages, search hits, find-in-section matches
and the current one, drawn as extra selections over the text.

Its one job is to keep those layers, in order (marks under hits under find matches under
the current one), and to move through hits and matches. It knows the text only through
the view it draws on (``ArticleView``: passages by place, scrolling), so a rebuilt
document gets its layers back with ``remap``.

Marked passages (those holding bookmarks) are shaded as one block each, indent and the
gaps between lines included, painted under the text (``paint_backdrop``) rather than as a
character format: a format shades each line's characters only. The document itself is
never changed for them, so copying and printing the text carry no shading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from viewer.ui.article_document import Place

if TYPE_CHECKING:
    from viewer.ui.article import ArticleView

LAYERS = ("mark", "hits", "find", "current")  # bottom to top
MAX_FIND_MATCHES = 10_000


def layer_colors(palette: QPalette) -> dict[str, QColor]:
    """The layers' backgrounds for a light or a dark palette."""
    mark = QColor(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight))
    if palette.color(QPalette.ColorRole.Base).lightness() < 128:
        mark.setAlphaF(0.20)
        return {
            "hit": QColor("#8a6a12"),  # amber that stands out from the dark page, light text on it
            "current": QColor("#b7791f"),
            "find": QColor("#1f4e5f"),
            "mark": mark,
        }
    mark.setAlphaF(0.075)
    return {
        "hit": QColor("#fff0a8"),
        "current": QColor("#ffb347"),
        "find": QColor("#cdeafe"),
        "mark": mark,
    }


def _selection(cursor: QTextCursor, background: QColor, full_width: bool = False) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    sel.cursor = QTextCursor(cursor)
    fmt = QTextCharFormat()
    fmt.setBackground(background)
    if full_width:
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        sel.cursor.clearSelection()
    sel.format = fmt
    return sel


class ArticleHighlights:
    """The layers of one ArticleView."""

    def __init__(self, view: ArticleView) -> None:
        self._view = view
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self._hits: list[QTextCursor] = []
        self._hit_spans: list[tuple[int, int, int, int]] = []
        self._hit_pos = -1
        self._find_text = ""
        self._find_matches: list[QTextCursor] = []
        self._find_pos = -1
        self._marks: set[Place] = set()

    def _colors(self) -> dict[str, QColor]:
        return layer_colors(self._view.palette())

    def _apply(self) -> None:
        selections = []
        for name in LAYERS:
            selections.extend(self._layers.get(name, []))
        self._view.setExtraSelections(selections)

    def reset(self, keep_marks: bool = True) -> None:
        """A new section is shown: hits and matches go (the marks are set again by their owner)."""
        self._hits, self._hit_spans, self._hit_pos = [], [], -1
        self._find_matches, self._find_pos = [], -1
        for name in ("hits", "find", "current") if keep_marks else LAYERS:
            self._layers.pop(name, None)

    def remap(self) -> None:
        """After a rebuild of the same section (zoom, palette): every layer on the new document."""
        self._layers["mark"] = self._mark_selections()
        if self._hit_spans:
            self._set_hits(self._hit_spans, keep_position=True)
        if self._find_matches:
            self.find(self._find_text, keep_position=True)
        self._apply()

    # -- marks ---------------------------------------------------------------------------
    def mark_rects(self) -> list[QRectF]:
        """Where each marked passage is shaded, in document coordinates: the block of its lines
        (indent included) across the text column, with a little room around it."""
        doc = self._view.document()
        layout = doc.documentLayout()
        frame = doc.rootFrame().frameFormat()
        pad = QFontMetricsF(doc.defaultFont()).horizontalAdvance("中") * 0.35
        left = frame.leftMargin() - pad
        right = layout.documentSize().width() - frame.rightMargin() + pad
        rects = []
        for place in sorted(self._marks):
            cursor = self._view.paragraph_cursor(place)
            if cursor is None:
                continue
            block = layout.blockBoundingRect(cursor.block())
            top = block.top() + cursor.block().blockFormat().topMargin() - pad * 0.6
            bottom = block.bottom() - cursor.block().blockFormat().bottomMargin() + pad * 0.6
            rects.append(QRectF(left, top, right - left, bottom - top))
        return rects

    def paint_backdrop(self, exposed: QRect) -> None:
        """Shade the marked passages' blocks in ``exposed`` of the viewport, before the text
        is drawn over them (called from the view's paintEvent; nothing to do without marks)."""
        if not self._marks:
            return
        view = self._view
        dx = -view.horizontalScrollBar().value()
        dy = -view.verticalScrollBar().value()
        color = self._colors()["mark"]
        painter = QPainter(view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(color)
        painter.setBrush(color)
        for rect in self.mark_rects():
            rect = rect.translated(dx, dy)
            if rect.intersects(QRectF(exposed)):
                painter.drawRoundedRect(rect, 4, 4)
        painter.end()

    def _mark_selections(self) -> list[QTextEdit.ExtraSelection]:
        out = []
        for place in sorted(self._marks):
            cursor = self._view.paragraph_cursor(place)
            if cursor is None:
                continue
            whole = QTextCursor(cursor.block())
            whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = whole
            fmt = QTextCharFormat()  # the shading is painted as a block (paint_backdrop)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(self._view.palette().color(QPalette.ColorRole.Highlight))
            sel.format = fmt
            out.append(sel)
        return out

    def mark(self, marks: Iterable[Place]) -> None:
        self._marks = {(s, p) for s, p in marks}
        self._layers["mark"] = self._mark_selections()
        self._apply()
        self._view.viewport().update()

    def marks(self) -> set[Place]:
        return set(self._marks)

    # -- search hits ---------------------------------------------------------------------
    def highlight_hits(
        self, spans: Sequence[tuple[int, int, int, int]], focus_paragraph: Place | None = None
    ) -> int:
        self._set_hits(spans)
        if focus_paragraph is not None:
            for i, cursor in enumerate(self._hits):
                if self._view.place_of_block(cursor.block().blockNumber()) == focus_paragraph:
                    self._set_current_hit(i)
                    break
            else:
                self._view.scroll_to_paragraph(focus_paragraph)
        self._apply()
        return len(self._hits)

    def _set_hits(self, spans: Sequence[tuple[int, int, int, int]], keep_position: bool = False) -> None:
        colors = self._colors()
        cursors = []
        for section, paragraph, start, end in spans:
            cursor = self._view.paragraph_cursor((section, paragraph), start, end)
            if cursor is not None and cursor.hasSelection():
                cursors.append(cursor)
        cursors.sort(key=lambda c: c.selectionStart())
        self._hits = cursors
        self._hit_spans = self.hit_spans()
        self._layers["hits"] = [_selection(c, colors["hit"]) for c in cursors]
        if keep_position and 0 <= self._hit_pos < len(cursors):
            self._layers["current"] = [_selection(cursors[self._hit_pos], colors["current"])]
        else:
            self._hit_pos = -1
            self._layers.pop("current", None)

    def clear_hits(self) -> None:
        self._hits, self._hit_spans, self._hit_pos = [], [], -1
        self._layers.pop("hits", None)
        self._layers.pop("current", None)
        self._apply()

    def hit_count(self) -> int:
        return len(self._hits)

    def hit_spans(self) -> list[tuple[int, int, int, int]]:
        out = []
        for c in self._hits:
            place = self._view.place_of_block(c.block().blockNumber())
            if place is None:
                continue
            pos = c.block().position()
            out.append((*place, c.selectionStart() - pos, c.selectionEnd() - pos))
        return out

    def _set_current_hit(self, pos: int) -> None:
        self._hit_pos = pos
        cursor = self._hits[pos]
        self._layers["current"] = [_selection(cursor, self._colors()["current"])]
        self._apply()
        self._view.scroll_to_cursor(cursor)

    def step_hit(self, forward: bool) -> bool:
        pos = self._hit_pos + (1 if forward else -1)
        if not 0 <= pos < len(self._hits) or (not forward and self._hit_pos < 0):
            return False
        self._set_current_hit(pos)
        return True

    def current_hit(self) -> int:
        return self._hit_pos

    # -- find in section -----------------------------------------------------------------
    def find(self, text: str, keep_position: bool = False) -> int:
        self._find_text = text
        matches = self._view.find_cursors(text, MAX_FIND_MATCHES)
        colors = self._colors()
        self._find_matches = matches
        self._layers["find"] = [_selection(c, colors["find"]) for c in matches]
        if not (keep_position and 0 <= self._find_pos < len(matches)):
            self._find_pos = -1
        self._apply()
        return len(matches)

    def find_step(self, forward: bool = True) -> tuple[int, int]:
        if not self._find_matches:
            return 0, 0
        count = len(self._find_matches)
        if self._find_pos < 0:
            # Start from the first match at or below the top of the view.
            top = self._view.top_position()
            after = [i for i, c in enumerate(self._find_matches) if c.selectionStart() >= top]
            self._find_pos = (
                (after[0] if after else 0) if forward else ((after[0] - 1) % count if after else count - 1)
            )
        else:
            self._find_pos = (self._find_pos + (1 if forward else -1)) % count
        cursor = self._find_matches[self._find_pos]
        self._layers["current"] = [_selection(cursor, self._colors()["current"])]
        self._apply()
        self._view.scroll_to_cursor(cursor)
        return self._find_pos + 1, count

    def clear_find(self) -> None:
        self._find_text = ""
        self._find_matches, self._find_pos = [], -1
        self._layers.pop("find", None)
        if self._hit_pos >= 0:
            self._layers["current"] = [_selection(self._hits[self._hit_pos], self._colors()["current"])]
        else:
            self._layers.pop("current", None)
        self._apply()
