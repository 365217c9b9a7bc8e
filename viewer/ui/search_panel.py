"""The search results panel: a summary line, a district filter, and the hits grouped by
district with their snippets, hits marked (drawn with QTextLayout formats, never HTML).

Its one job is showing what ``SearchController`` found and moving through it: it never
searches itself. It says ``more_requested`` when the list is scrolled (or stepped) near
the end of the hits listed, and ``district_filter_changed`` when a district is chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.model import HEADLINE, Hit, SearchResult
from viewer.ui.painting import draw_clamped_text, item_fonts
from viewer.ui.results_model import GroupKeyRole, HitRole, ResultsModel
from viewer.ui.search_controller import SearchOutcome
from viewer.ui.tree_model import Index

MORE_WHEN_HITS_LEFT = 5  # the current row this close to the last hit listed asks for more


class HitDelegate(QStyledItemDelegate):
    """A hit as two parts: a muted line (bulletin title, headline tag) and the snippet, hits marked."""

    SNIPPET_LINES = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Every hit row is as tall as the next: measured once per font (a view asks each
        # row's size whenever the results change).
        self._hit_font: QFont | None = None
        self._hit_size = QSize()
        self._marks: dict[bool, QTextCharFormat] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if index.internalId() == 0:  # a district group row
            size = super().sizeHint(option, index)
            return QSize(size.width(), size.height() + 8)
        font = option.font
        if font != self._hit_font:
            body, small = item_fonts(font)
            lines = (
                QFontMetricsF(small).lineSpacing() + QFontMetricsF(body).lineSpacing() * self.SNIPPET_LINES
            )
            self._hit_font, self._hit_size = QFont(font), QSize(200, int(lines + 14 + 0.99))
        return self._hit_size

    def _mark(self, dark: bool) -> QTextCharFormat:
        """How a hit is marked in a snippet."""
        fmt = self._marks.get(dark)
        if fmt is None:
            fmt = self._marks[dark] = QTextCharFormat()
            fmt.setBackground(QColor("#5c4a12") if dark else QColor("#ffe27a"))
            fmt.setForeground(QColor("#fff7d6") if dark else QColor("#1c1917"))
            fmt.setFontWeight(QFont.Weight.DemiBold)
        return fmt

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: Hit | None = index.data(HitRole)
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text_color if selected else pal.color(QPalette.ColorRole.PlaceholderText)
        body, small = item_fonts(option.font)
        rect = QRectF(option.rect).adjusted(6, 5, -8, -5)
        painter.save()
        painter.setClipRect(option.rect)
        # Line 1: bulletin title (and a tag for headline hits), muted and elided.
        meta = hit.bulletin_title
        if hit.paragraph == HEADLINE:
            tag = self.tr("Headline")
            meta = f"{tag} · {meta}"
        fm_small = QFontMetricsF(small)
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), fm_small.lineSpacing()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm_small.elidedText(meta, Qt.TextElideMode.ElideRight, rect.width()),
        )
        # Lines 2-3: the snippet, with every hit marked.
        mark = self._mark(pal.color(QPalette.ColorRole.Base).lightness() < 128)
        ranges = []
        for start, end in hit.snippet_highlights:
            fr = QTextLayout.FormatRange()
            fr.start, fr.length, fr.format = start, end - start, mark
            ranges.append(fr)
        painter.setPen(text_color)
        top = rect.top() + fm_small.lineSpacing() + 2
        draw_clamped_text(
            painter, hit.snippet, body, QPointF(rect.left(), top), rect.width(), self.SNIPPET_LINES, ranges
        )
        painter.restore()


class ResultsView(QTreeView):
    """Up from the first row goes back to the search field."""

    up_from_top = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Up:
            index = self.currentIndex()
            if not index.isValid() or (index.row() == 0 and not index.parent().isValid()):
                self.up_from_top.emit()
                return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """The results: a summary line, a district filter, and the grouped list (or a calm message)."""

    hit_opened = Signal(object)  # Hit
    district_filter_changed = Signal(object)  # district key or None
    focus_field_requested = Signal()
    reading_requested = Signal()  # Enter on a hit: move on to the text
    more_requested = Signal()  # the list is near the end of the hits listed, and there are more

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.summary = QLabel(self)
        self.summary.setObjectName("resultSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.district_box = QComboBox(self)
        self.district_box.setObjectName("districtFilter")
        self.district_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model = ResultsModel(self)
        self.view = ResultsView(self)
        self.view.setObjectName("results")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setVerticalScrollMode(QTreeView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setIndentation(10)
        self.view.setAnimated(False)
        self.message = QLabel(self)
        self.message.setObjectName("resultMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the query: never HTML
        self.message.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 8, 8, 4)
        bar.setSpacing(6)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.district_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self._state = "idle"
        self._query = ""
        self._failure = ""
        self._overall: SearchResult | None = None
        self._result: SearchResult | None = None
        self._filter: str | None = None
        self.district_box.activated.connect(self._on_district_box_activated)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.up_from_top.connect(self.focus_field_requested)
        bar = self.view.verticalScrollBar()
        bar.valueChanged.connect(self._check_more)
        bar.rangeChanged.connect(self._check_more)
        self.retranslate()
        self.show_idle()

    # -- states ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.district_box.setAccessibleName(self.tr("Show matches in district"))
        self.district_box.setToolTip(self.tr("Show matches in one district only"))
        self.view.setAccessibleName(self.tr("Search results"))
        self.summary.setAccessibleName(self.tr("Search summary"))
        self._refresh_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _refresh_texts(self) -> None:
        if self._state == "idle":
            self.summary.setText("")
            self.message.setText(
                self.tr("Type in the search field (Ctrl+K) to find words in every bulletin and district.")
            )
        elif self._state == "waiting":
            self.summary.setText(self.tr("Searching…"))
            self.message.setText(self.tr("The search index is being prepared; results follow shortly."))
        elif self._state == "failed":
            self.summary.setText(self.tr("No results"))
            self.message.setText(
                self.tr("Could not search for “%1”: %2")
                .replace("%1", self._query)
                .replace("%2", self._failure)
            )
        elif self._state == "results":
            self._update_summary()
        self._fill_district_box()

    def show_idle(self) -> None:
        self._state = "idle"
        self._overall = None
        self.model.set_result(None)
        self.stack.setCurrentWidget(self.message)
        self._refresh_texts()

    def show_waiting(self, query: str) -> None:
        self._query = query
        if self._state != "results":
            self._state = "waiting"
            self.stack.setCurrentWidget(self.message)
            self._refresh_texts()

    def show_failure(self, query: str, message: str) -> None:
        self._state = "failed"
        self._query, self._failure = query, message
        self.model.set_result(None)
        self.stack.setCurrentWidget(self.message)
        self._refresh_texts()

    def show_outcome(self, outcome: SearchOutcome) -> None:
        focused = self.view.hasFocus()
        self._state = "results"
        self._query = outcome.query
        self._overall = outcome.overall
        self._filter = outcome.district
        self._result = outcome.result
        self.model.set_result(outcome.result)
        self.view.expandAll()
        if outcome.result.total == 0:
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.view)
            self.view.scrollToTop()
        self._refresh_texts()
        if focused:
            self.focus_results()

    def extend_outcome(self, outcome: SearchOutcome) -> None:
        """More hits of the query shown: added below those listed; the rows in view and the
        current one stay where they are."""
        if self._state != "results" or (outcome.query, outcome.district) != (self._query, self._filter):
            self.show_outcome(outcome)
            return
        anchor = self.view.indexAt(QPoint(1, 1))
        anchor_hit = anchor.data(HitRole) if anchor.isValid() else None
        anchor_key = anchor.data(GroupKeyRole) if anchor.isValid() else None
        anchor_top = self.view.visualRect(anchor).top() if anchor.isValid() else 0
        current: Hit | None = self.view.currentIndex().data(HitRole)
        self._result = outcome.result
        kept = self.model.extend(outcome.result)
        self.view.expandAll()
        if not kept and current is not None:  # the model was reset: find the current hit again
            index = self.model.index_of_hit(current)
            if index.isValid():
                selection = self.view.selectionModel()
                selection.blockSignals(True)
                self.view.setCurrentIndex(index)
                selection.blockSignals(False)
        if anchor_hit is not None:
            again = self.model.index_of_hit(anchor_hit)
        else:
            again = self.model.index_of_group(anchor_key) if isinstance(anchor_key, str) else QModelIndex()
        if again.isValid():
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() + self.view.visualRect(again).top() - anchor_top)
        self._refresh_texts()
        self._check_current_near_end()

    def has_more(self) -> bool:
        """Whether the query shown has hits that are not listed yet."""
        return (
            self._state == "results"
            and self._result is not None
            and self.model.hit_count() < self._result.total
        )

    def _check_more(self, *_args: object) -> None:
        if not self.has_more() or not self.view.isVisible():  # a hidden list has no end in view
            return
        bar = self.view.verticalScrollBar()
        if bar.value() >= bar.maximum() - max(bar.pageStep(), 1):
            self.more_requested.emit()

    def _update_summary(self) -> None:
        result = self._result
        if result is None:
            return
        if result.total == 0:
            self.summary.setText(self.tr("No results"))
            if self._filter:
                text = self.tr("Nothing matches “%1” in %2. Try fewer or other words.").replace(
                    "%2", self._filter
                )
            else:
                text = self.tr("Nothing matches “%1”. Try fewer or other words.")
            self.message.setText(text.replace("%1", self._query))
            return
        districts = len([k for k, v in result.district_counts.items() if v])
        text = self.tr("%n matches", "", result.total)
        if districts:
            text += self.tr(" in %n districts", "", districts)
        if len(result.hits) < result.total:
            text += self.tr(" · first %1 shown").replace("%1", str(len(result.hits)))
        self.summary.setText(text)

    def _fill_district_box(self) -> None:
        box = self.district_box
        box.blockSignals(True)
        box.clear()
        overall = self._overall
        total = overall.total if overall is not None else 0
        box.addItem(
            self.tr("All districts (%1)").replace("%1", str(total)) if overall else self.tr("All districts"),
            None,
        )
        if overall is not None:
            for key, count in sorted(overall.district_counts.items(), key=lambda kv: (-kv[1], kv[0])):
                if count:
                    box.addItem(f"{key} ({count})", key)
        row = box.findData(self._filter) if self._filter else 0
        box.setCurrentIndex(max(0, row))
        box.setVisible(overall is not None and overall.total > 0)
        box.blockSignals(False)

    def district_filter(self) -> str | None:
        return self._filter

    def set_district_filter(self, key: str | None) -> None:
        self._filter = key
        self.district_filter_changed.emit(key)

    # -- navigation --------------------------------------------------------------------------------
    def focus_results(self) -> bool:
        """Move the keyboard focus into the list, on the first hit; False when there is none."""
        hits = self.model.hits_in_order()
        if not hits or self.stack.currentWidget() is not self.view:
            return False
        self.view.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.view.currentIndex().isValid() or self.view.currentIndex().data(HitRole) is None:
            self.view.setCurrentIndex(hits[0][0])
        return True

    def _open(self, index: QModelIndex) -> None:
        if self.view.currentIndex() == index:
            self.hit_opened.emit(index.data(HitRole))
        else:
            self.view.setCurrentIndex(index)  # _on_view_current_changed opens it
        self.view.scrollTo(index)

    def open_first(self) -> bool:
        hits = self.model.hits_in_order()
        if not hits:
            return False
        self._open(hits[0][0])
        return True

    def open_adjacent(self, forward: bool) -> bool:
        """Open the next (previous) hit in the list after the current one; False at the end."""
        hits = self.model.hits_in_order()
        if not hits:
            return False
        current = self.view.currentIndex()
        positions = [i for i, (index, _hit) in enumerate(hits) if index == current]
        start = positions[0] if positions else (-1 if forward else len(hits))
        pos = start + (1 if forward else -1)
        if not 0 <= pos < len(hits):
            if forward and self.has_more():
                self.more_requested.emit()
            return False
        self._open(hits[pos][0])
        return True

    # -- slots -------------------------------------------------------------------------------------
    def _on_district_box_activated(self, row: int) -> None:
        self.set_district_filter(self.district_box.itemData(row))

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = current.data(HitRole) if current.isValid() else None
        if hit is not None:
            self.hit_opened.emit(hit)
            self._check_current_near_end()

    def _check_current_near_end(self) -> None:
        """Stepping through the list (F3, arrow keys) asks for more before it reaches the end."""
        current = self.view.currentIndex()
        if not current.isValid() or not self.has_more():
            return
        near_end = [index for index, _hit in self.model.hits_in_order()[-MORE_WHEN_HITS_LEFT:]]
        if current in near_end:
            self.more_requested.emit()

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.data(HitRole) is not None:
            self.reading_requested.emit()
        else:
            self.view.setExpanded(index, not self.view.isExpanded(index))
