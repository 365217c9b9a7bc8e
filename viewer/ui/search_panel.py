"""Search: the controller that runs queries in the background, and the results panel.

``SearchController`` turns keystrokes into searches: a short debounce, then the query
runs on the task runner; a newer query cancels the one in flight and its result is
dropped, so what is shown always belongs to the text in the field.

``SearchPanel`` shows the answer grouped by district with counts, a district filter,
and snippets with the hits highlighted (drawn with QTextLayout formats, never HTML).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
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

from viewer.model import HEADLINE, Hit, SearchResult, district_key
from viewer.ui import plain_text
from viewer.ui.article import CJK_FAMILIES
from viewer.ui.painting import draw_clamped_text, item_fonts
from viewer.ui.tasks import TaskHandle, TaskRunner
from viewer.ui.tree_model import Index

RESULT_LIMIT = 60  # hits listed per query (the district filter lists others); counts cover every match
DEBOUNCE_MS = 40  # while a search runs, keystrokes within this interval make one search


# -- the background part -------------------------------------------------------------------
@dataclass(frozen=True)
class SearchOutcome:
    """What one finished search produced. ``overall`` has the counts without the district filter."""

    query: str
    district: str | None
    result: SearchResult
    overall: SearchResult
    seconds: float


def run_search(
    index: Any,
    query: str,
    district: str | None,
    limit: int,
    *,
    progress: Callable[[int, int, str], None],
    cancel: Callable[[], bool],
) -> SearchOutcome | None:
    """Task function: search (and, with a district filter, count over all districts too)."""
    start = time.perf_counter()
    result = index.search(query, district=district, limit=limit, cancel=cancel)
    if result.cancelled or cancel():
        return None
    overall = result
    if district is not None:
        overall = index.search(query, limit=1, cancel=cancel)
        if overall.cancelled:
            return None
    return SearchOutcome(query, district, result, overall, time.perf_counter() - start)


class SearchController(QObject):
    """Runs the latest query in the background; older queries are cancelled and ignored."""

    search_finished = Signal(object)  # SearchOutcome
    search_failed = Signal(str, str)  # query, message
    search_cleared = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._index: Any = None
        self._wanted: tuple[str, str | None] = ("", None)
        self._running: tuple[str, str | None] | None = None
        self._handle: TaskHandle | None = None
        self._token: object = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_wanted)
        self.last_outcome: SearchOutcome | None = None

    def set_index(self, index: Any) -> None:
        """Use this SearchIndex from now on, and re-run the current query against it."""
        self._index = index
        if self._wanted[0]:
            self._running = None
            self._start_wanted()

    def has_index(self) -> bool:
        return self._index is not None

    def query(self) -> str:
        return self._wanted[0]

    def district(self) -> str | None:
        return self._wanted[1]

    def request(self, query: str, district: str | None = None, immediately: bool = False) -> None:
        query = query.strip()
        wanted = (query, district)
        if wanted == self._wanted and (self._running == wanted or self.last_outcome_matches()):
            return
        self._wanted = wanted
        if not query:
            self._timer.stop()
            self._cancel_running()
            self.last_outcome = None
            self.search_cleared.emit()
            return
        if immediately or not (self.is_busy() or self._timer.isActive()):
            # Idle: the first keystroke searches at once; keystrokes that follow while that
            # search runs are coalesced (debounced) into one search for the latest text.
            self._timer.stop()
            self._start_wanted()
        else:
            self._timer.start()

    def refresh(self) -> None:
        """Run the current query again (the index changed)."""
        if self._wanted[0]:
            self._running = None
            self.last_outcome = None
            self._start_wanted()

    def last_outcome_matches(self) -> bool:
        o = self.last_outcome
        return o is not None and (o.query, o.district) == self._wanted

    def is_busy(self) -> bool:
        """A search was started and its end has not been delivered yet."""
        return self._handle is not None

    def _cancel_running(self) -> None:
        if self._handle is not None:
            self._handle.cancel()

    def _start_wanted(self) -> None:
        query, district = self._wanted
        if not query or self._index is None:
            return
        if self.is_busy():
            if self._running != self._wanted:
                self._cancel_running()  # its end starts the wanted query
            return
        self._running = self._wanted
        token = object()
        self._token = token
        self._handle = self._runner.submit(
            "search",
            run_search,
            self._index,
            query,
            district,
            RESULT_LIMIT,
            on_finished=lambda outcome: self._on_task_finished(token, outcome),
            on_failed=lambda message: self._on_task_failed(token, message),
        )

    def _on_task_finished(self, token: object, outcome: SearchOutcome | None) -> None:
        if token is not self._token:
            return
        self._handle = None
        current = outcome is not None and (outcome.query, outcome.district) == self._wanted
        if current:
            self.last_outcome = outcome
            self._running = None
            self.search_finished.emit(outcome)
        elif self._wanted[0]:
            self._running = None
            self._start_wanted()

    def _on_task_failed(self, token: object, message: str) -> None:
        if token is not self._token:
            return
        self._handle = None
        ran = self._running
        self._running = None
        if ran == self._wanted:
            self.search_failed.emit(ran[0], message)
        elif self._wanted[0]:
            self._start_wanted()


# -- the results model -----------------------------------------------------------------------
HitRole = Qt.ItemDataRole.UserRole + 1
GroupKeyRole = Qt.ItemDataRole.UserRole + 2
CountRole = Qt.ItemDataRole.UserRole + 3


_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_HIT_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(eq=False)
class _Group:
    key: str  # district key, "" for lead paragraphs
    count: int
    hits: list[Hit] = field(default_factory=list)
    row: int = 0


def group_hits(result: SearchResult) -> list[_Group]:
    """Hits grouped by district (most matches first), each group keeping the ranking order."""
    groups: dict[str, _Group] = {}
    for hit in result.hits:
        key = district_key(hit.district)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, result.district_counts.get(key, 0))
        group.hits.append(hit)
    for group in groups.values():
        group.count = max(group.count, len(group.hits))
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.key == "", g.key))
    for row, group in enumerate(ordered):
        group.row = row
    return ordered


class ResultsModel(QAbstractItemModel):
    """District groups, each with its hits.

    Indexes carry an integer id, never a Python object: 0 for a group row, and
    ``group row + 1`` for a hit row (so a hit knows its group).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._group_font: QFont | None = None

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._groups = group_hits(result) if result is not None else []
        self._group_font = None  # made again from the application font, once per result
        self.endResetModel()

    def groups(self) -> list[_Group]:
        return self._groups

    def hits_in_order(self) -> list[tuple[QModelIndex, Hit]]:
        out = []
        for group in self._groups:
            parent = self.index(group.row, 0)
            for row, hit in enumerate(group.hits):
                out.append((self.index(row, 0, parent), hit))
        return out

    def lead_label(self) -> str:
        """The group of passages outside districts: leads, headings, titles, closings."""
        return self.tr("Outside districts")

    def _group_of(self, index: Index) -> _Group | None:
        """The group a hit row belongs to (None for a group row)."""
        ident = index.internalId()
        return self._groups[ident - 1] if ident else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() or parent.column() != 0:
            return QModelIndex()  # hits have no children
        group = self._groups[parent.row()]
        return self.createIndex(row, 0, parent.row() + 1) if row < len(group.hits) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or not index.internalId():
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()].hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Called for every row each time the results change: the values are computed once.
        if not index.isValid():
            return _NO_FLAGS
        return _HIT_FLAGS if index.internalId() else _GROUP_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._group_of(index)
        if group is None:
            group = self._groups[index.row()]
            name = group.key or self.lead_label()
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{name}  ·  {group.count}"
            if role == GroupKeyRole:
                return group.key
            if role == CountRole:
                return group.count
            if role == Qt.ItemDataRole.FontRole:
                if self._group_font is None:
                    font = QFont()
                    font.setFamilies([font.family(), *CJK_FAMILIES])
                    font.setWeight(QFont.Weight.DemiBold)
                    self._group_font = font
                return self._group_font
            return None
        hit = group.hits[index.row()]
        if role == HitRole:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.snippet
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.district or self.lead_label()} · {hit.bulletin_title}: {hit.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_text.tooltip(hit.text)
        return None


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
        self._filter: str | None = None
        self.district_box.activated.connect(self._on_district_box_activated)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.up_from_top.connect(self.focus_field_requested)
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

    def _update_summary(self) -> None:
        result = self._result
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

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.data(HitRole) is not None:
            self.reading_requested.emit()
        else:
            self.view.setExpanded(index, not self.view.isExpanded(index))
