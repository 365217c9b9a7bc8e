"""The search results panel: a summary line, a district filter, and the hits grouped by
district with their snippets, hits marked (drawn by ``hit_delegate``, never as HTML).

Its one job is showing what ``SearchController`` found and moving through it: it never
searches itself. It says ``more_requested`` when the list is scrolled (or stepped) near
the end of the hits listed, and ``district_filter_changed`` when a district is chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.model import Hit, SearchResult
from viewer.ui.hit_delegate import HitDelegate, ResultsView
from viewer.ui.qt_namespace import Qt
from viewer.ui.results_model import GroupKeyRole, HitRole, ResultsModel, outside_counts, outside_label
from viewer.ui.search_controller import SearchOutcome
from viewer.ui.widgets import glue_numbers, keep_together

MORE_WHEN_HITS_LEFT = 5  # the current row this close to the last hit listed asks for more


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
        QTimer.singleShot(0, self._check_more)  # a list that does not fill the view asks for more

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
        QTimer.singleShot(0, self._check_more)  # still not filling the view: more again

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
        text = glue_numbers(text)  # "150 处" is not broken after its number
        if districts:  # a piece of its own: "16 个区" is not broken either
            text += keep_together(self.tr(" in %n districts", "", districts))
        listed = self.model.hit_count()
        if listed < result.total:
            # One piece: wrapped, it goes to the next line whole rather than leave a word behind.
            text += keep_together(self.tr(" · first %1 shown").replace("%1", str(listed)))
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
                if count and key:
                    box.addItem(f"{key} ({count})", key)
            outside = outside_counts(overall)[0]
            if outside:  # the lead (and headings, closings): "" as a district key
                box.addItem(f"{outside_label(overall)} ({outside})", "")
        row = box.findData(self._filter) if self._filter is not None else 0
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
