"""Measures side by side: districts (rows) × measure types (columns), across bulletins.

Each cell holds the number of passages of that type in that district and, in brackets,
the bulletins they are in, coloured by density (the palette's highlight colour over its
base, so it follows light and dark); hovering a cell shows its key figures, activating it
(click, Enter) lists its passages with their citations beside the table and asks the
window to open the first one with the type's phrases highlighted (``passage_requested``);
activating a passage in the list opens that one. Filters: one bulletin, a date range,
one type. The matrix and a cell's passages export to CSV and Markdown.

The scan (``viewer.measures.scan``, with its cache) runs on the task runner; the filters
count the scan again without looking at the text (tens of milliseconds at 1,000
bulletins). Document text is only ever shown as plain text.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.measures import Cell, Matrix, MeasureType, Place, Scan, ScanCache
from viewer.measures import export as exports
from viewer.measures.matrix import figures_of, phrases_in
from viewer.model import Bulletin
from viewer.ui.plain_text import tooltip
from viewer.ui.tasks import TaskHandle, TaskRunner

log = logging.getLogger("viewer.ui")

#: What the model gives for a cell under this role: the ``Cell`` (or None).
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
#: A passage item's ``Place`` in the list.
PLACE_ROLE = Qt.ItemDataRole.UserRole + 2
#: Figures shown in a cell's tooltip, at most; and passages looked at for them.
TOOLTIP_FIGURES = 12
_TOOLTIP_PLACES = 400
#: Characters of a passage shown in the list (the whole text is in its tooltip).
EXCERPT_CHARS = 90

_Index = QModelIndex | QPersistentModelIndex


def scan_task(
    bulletins: Sequence[Bulletin],
    load_types: Callable[[], list[MeasureType]],
    cache: ScanCache | None,
    *,
    progress: Callable[[int, int, str], None],
    cancel: Callable[[], bool],
) -> Scan:
    """The background work: the lexicon, then the scan of every bulletin (pure, no widgets)."""
    from viewer.measures import scan

    types = load_types()
    progress(0, 1, "")
    found = scan(bulletins, types, cancel=cancel, cache=cache, save=False)  # shown first, kept after
    progress(1, 1, "")
    return found


def remember_task(
    found: Scan,
    bulletins: Sequence[Bulletin],
    cache: ScanCache,
    *,
    progress: Callable[[int, int, str], None],
    cancel: Callable[[], bool],
) -> int:
    """After the matrix is shown: the figures of every passage found (the tooltips then come
    at once) and the scan cache filled with what it did not hold."""
    from viewer.measures.matrix import remember

    return remember(found, bulletins, cache)


def _english() -> bool:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    return app is None or app.property("viewerLanguage") != "zh_CN"


def type_name(kind: MeasureType) -> str:
    """A type as the UI language names it (the lexicon's Chinese name, or its English one)."""
    return (kind.name_en or kind.name) if _english() else kind.name


def _mix(base: QColor, accent: QColor, share: float) -> QColor:
    return QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )


def _luminance(color: QColor) -> float:
    return 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()


class MeasuresModel(QAbstractTableModel):
    """The matrix as a table: districts × types; a cell's text "passages (bulletins)"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matrix: Matrix | None = None
        self._grid: list[list[tuple[Cell, str] | None]] = []  # per row, per column: the cell, its text
        self._rows: list[str] = []
        self._types: list[MeasureType] = []
        self._peak = 0
        self._palette = QPalette()
        self._colors: dict[int, tuple[QColor, QColor]] = {}
        self._citations: Callable[[Place], str] = lambda place: place.bulletin_id

    # -- what it shows -----------------------------------------------------------------------
    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._rows = list(matrix.districts) if matrix else []
        self._types = list(matrix.types) if matrix else []
        self._peak = max((len(c.places) for c in matrix.cells.values()), default=0) if matrix else 0
        self._grid = []
        for district in self._rows:
            row: list[tuple[Cell, str] | None] = []
            for kind in self._types:
                cell = matrix.cell(district, kind.id) if matrix else None
                row.append((cell, f"{len(cell.places)} ({len(cell.bulletins)})") if cell else None)
            self._grid.append(row)
        self._colors.clear()
        self.endResetModel()

    def matrix(self) -> Matrix | None:
        return self._matrix

    def set_palette(self, palette: QPalette) -> None:
        self._palette = QPalette(palette)
        self._colors.clear()
        if self._rows and self._types:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._types) - 1))

    def set_citations(self, citations: Callable[[Place], str]) -> None:
        self._citations = citations

    def retranslate(self) -> None:
        if self._types:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._types) - 1)
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)

    def cell_at(self, index: _Index) -> Cell | None:
        if not index.isValid() or index.row() >= len(self._grid):
            return None
        found = self._grid[index.row()][index.column()]
        return found[0] if found else None

    def row_name(self, row: int) -> str:
        return self._rows[row] or self.tr("Outside districts")

    # -- the model -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._types)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._types):
                return None
            kind = self._types[section]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return type_name(kind)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip(f"{kind.name} · {kind.name_en}\n" + "、".join(kind.phrases))
            return None
        if not 0 <= section < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.row_name(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._grid):
            return None
        found = self._grid[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return found[1] if found else ""
        cell = found[0] if found else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if cell is None:
                return None
            background, foreground = self._colors_for(len(cell.places))
            return background if role == Qt.ItemDataRole.BackgroundRole else foreground
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._describe(index, cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._tooltip_text(index, cell))
        if role == CELL_ROLE:
            return cell
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- helpers ---------------------------------------------------------------------------------
    def _colors_for(self, passages: int) -> tuple[QColor, QColor]:
        share = 0.15 + 0.75 * math.sqrt(passages / self._peak) if self._peak else 0.15
        step = round(share * 40)
        found = self._colors.get(step)
        if found is None:
            base = self._palette.color(QPalette.ColorRole.Base)
            accent = self._palette.color(QPalette.ColorRole.Highlight)
            background = _mix(base, accent, step / 40)
            text = self._palette.color(QPalette.ColorRole.Text)
            light = self._palette.color(QPalette.ColorRole.HighlightedText)
            # The text colour that stands out more from this background.
            foreground = (
                light
                if abs(_luminance(light) - _luminance(background))
                > abs(_luminance(text) - _luminance(background))
                else text
            )
            found = self._colors[step] = (background, foreground)
        return found

    def _describe(self, index: _Index, cell: Cell | None) -> str:
        where = f"{self.row_name(index.row())}, {type_name(self._types[index.column()])}"
        if cell is None:
            return self.tr("%1: no passages").replace("%1", where)
        return (
            self.tr("%1: passages %2, bulletins %3")
            .replace("%1", where)
            .replace("%2", str(len(cell.places)))
            .replace("%3", str(len(cell.bulletins)))
        )

    def _tooltip_text(self, index: _Index, cell: Cell | None) -> str:
        lines = [self._describe(index, cell)]
        if cell is None:
            return lines[0]
        shown: dict[str, None] = {}
        for place in islice(cell.places, _TOOLTIP_PLACES):
            for figure in figures_of(place.text, place[:3]):
                line = f"{figure.text} {figure.counts}".strip() + f" — {self._citations(place)}"
                shown.setdefault(line)
            if len(shown) >= TOOLTIP_FIGURES:
                break
        if shown:
            lines.append(self.tr("Key figures:"))
            lines.extend(islice(shown, TOOLTIP_FIGURES))
        else:
            lines.append(self.tr("No figures in these passages."))
        return "\n".join(lines)


class MeasuresView(QWidget):
    """The matrix with its filters, the passages of the chosen cell, and the exports.

    ``bulletins`` returns the bulletins to look at (the window's library), ``runner`` runs
    the scan; ``load_types`` returns the measure types (default: the lexicon, the user's
    copy first); ``cache`` keeps what a scan found (default: the cache folder's; None: no
    cache). Call ``refresh`` when the archive changes.
    """

    #: A passage to open with these phrases highlighted: (bulletin id, section, paragraph, phrases).
    passage_requested = Signal(str, int, int, list)
    #: The matrix shown changed (a scan ended, a filter changed).
    matrix_changed = Signal()
    #: Something failed that the user asked for: (summary, details).
    failed = Signal(str, str)
    #: A passing message for the status bar: (text, milliseconds).
    status_posted = Signal(str, int)

    def __init__(
        self,
        bulletins: Callable[[], Sequence[Bulletin]],
        runner: TaskRunner,
        load_types: Callable[[], list[MeasureType]] | None = None,
        cache: ScanCache | bool | None = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from viewer.measures import load

        self._get_bulletins = bulletins
        self._runner = runner
        self._load_types = load_types or load
        self._cache = ScanCache() if cache is True else (cache or None)
        self._scan: Scan | None = None
        self._bulletins: dict[str, Bulletin] = {}
        self._task: TaskHandle | None = None
        self._cell: Cell | None = None
        self._dates: list[str] = []
        self._generation = 0
        self._failure = ""

        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.bulletin_box = QComboBox(self)
        self.from_box = QComboBox(self)
        self.to_box = QComboBox(self)
        self.type_box = QComboBox(self)
        for box in (self.bulletin_box, self.from_box, self.to_box, self.type_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.bulletin_box.setMinimumContentsLength(18)
        self.type_box.setMinimumContentsLength(8)
        self.from_box.setMinimumContentsLength(10)
        self.to_box.setMinimumContentsLength(10)
        self.bulletin_label = QLabel(self)
        self.from_label = QLabel(self)
        self.to_label = QLabel(self)
        self.type_label = QLabel(self)
        for label, box in (
            (self.bulletin_label, self.bulletin_box),
            (self.from_label, self.from_box),
            (self.to_label, self.to_box),
            (self.type_label, self.type_box),
        ):
            label.setBuddy(box)

        self.model = MeasuresModel(self)
        self.model.set_citations(self._short_citation)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setMouseTracking(True)
        self.table.setWordWrap(False)
        # Widths from the font, not from asking every cell its size (that was 20,000 calls).
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setHighlightSections(True)

        self.passages_label = QLabel(self)
        self.passages_label.setTextFormat(Qt.TextFormat.PlainText)
        self.passages_label.setWordWrap(True)
        self.passages = QListWidget(self)
        self.passages.setWordWrap(True)
        self.passages.setUniformItemSizes(False)
        self.passages.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.passages_label.setBuddy(self.passages)

        self.export_button = QToolButton(self)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.export_button)
        self.export_matrix_csv = QAction(self)
        self.export_matrix_md = QAction(self)
        self.export_cell_csv = QAction(self)
        self.export_cell_md = QAction(self)
        for action in (
            self.export_matrix_csv,
            self.export_matrix_md,
            self.export_cell_csv,
            self.export_cell_md,
        ):
            menu.addAction(action)
        self.export_button.setMenu(menu)

        filters = QHBoxLayout()
        for widget in (
            self.bulletin_label,
            self.bulletin_box,
            self.from_label,
            self.from_box,
            self.to_label,
            self.to_box,
            self.type_label,
            self.type_box,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.passages_label)
        side_layout.addWidget(self.passages, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

        QWidget.setTabOrder(self.bulletin_box, self.from_box)
        QWidget.setTabOrder(self.from_box, self.to_box)
        QWidget.setTabOrder(self.to_box, self.type_box)
        QWidget.setTabOrder(self.type_box, self.export_button)
        QWidget.setTabOrder(self.export_button, self.table)
        QWidget.setTabOrder(self.table, self.passages)

        self.bulletin_box.activated.connect(self._on_filter_activated)
        self.from_box.activated.connect(self._on_filter_activated)
        self.to_box.activated.connect(self._on_filter_activated)
        self.type_box.activated.connect(self._on_filter_activated)
        self.table.activated.connect(self._on_table_activated)
        self.table.clicked.connect(self._on_table_activated)
        self.passages.itemActivated.connect(self._on_passages_item_activated)
        self.passages.itemClicked.connect(self._on_passages_item_activated)
        self.export_matrix_csv.triggered.connect(lambda: self.export("matrix", "csv"))
        self.export_matrix_md.triggered.connect(lambda: self.export("matrix", "markdown"))
        self.export_cell_csv.triggered.connect(lambda: self.export("cell", "csv"))
        self.export_cell_md.triggered.connect(lambda: self.export("cell", "markdown"))

        self.model.set_palette(self.palette())
        self._state = "idle"
        self.retranslate()
        self._fill_filters()
        self._show_cell(None)

    # -- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.bulletin_label.setText(self.tr("&Bulletin:"))
        self.from_label.setText(self.tr("&From:"))
        self.to_label.setText(self.tr("&To:"))
        self.type_label.setText(self.tr("T&ype:"))
        self.bulletin_box.setAccessibleName(self.tr("Bulletin"))
        self.bulletin_box.setAccessibleDescription(self.tr("Count the passages of one bulletin, or of all"))
        self.from_box.setAccessibleName(self.tr("From date"))
        self.from_box.setAccessibleDescription(self.tr("Count bulletins dated on or after this day"))
        self.to_box.setAccessibleName(self.tr("To date"))
        self.to_box.setAccessibleDescription(self.tr("Count bulletins dated on or before this day"))
        self.type_box.setAccessibleName(self.tr("Measure type"))
        self.type_box.setAccessibleDescription(self.tr("Show one measure type, or all"))
        self.table.setAccessibleName(self.tr("Measures by district"))
        self.table.setAccessibleDescription(
            self.tr(
                "Rows are districts, columns measure types; each cell counts passages (bulletins). Enter lists a cell's passages."  # noqa: E501
            )
        )
        self.passages.setAccessibleName(self.tr("Passages of the cell"))
        self.passages.setAccessibleDescription(
            self.tr("Enter opens the passage with its phrases highlighted")
        )
        self.summary.setAccessibleName(self.tr("Measures summary"))
        self.export_button.setText(self.tr("E&xport"))
        self.export_button.setAccessibleName(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Export the matrix or the passages of the cell"))
        self.export_matrix_csv.setText(self.tr("Matrix as CSV…"))
        self.export_matrix_md.setText(self.tr("Matrix as Markdown…"))
        self.export_cell_csv.setText(self.tr("Cell Passages as CSV…"))
        self.export_cell_md.setText(self.tr("Cell Passages as Markdown…"))
        for box, everything in (
            (self.bulletin_box, self.tr("All bulletins")),
            (self.from_box, self.tr("Any date")),
            (self.to_box, self.tr("Any date")),
            (self.type_box, self.tr("All types")),
        ):
            if box.count():
                box.setItemText(0, everything)
        if self._scan is not None:
            for n, kind in enumerate(self._scan.types, 1):
                if n < self.type_box.count():
                    self.type_box.setItemText(n, type_name(kind))
        self.model.retranslate()
        self._fit_columns()
        self._show_summary()
        self._show_cell(self._cell)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())
        super().changeEvent(event)

    # -- scanning --------------------------------------------------------------------------------
    def refresh(self) -> TaskHandle | None:
        """Scan the bulletins again (the archive changed); the filters are kept where they can be."""
        if self._task is not None:
            self._task.cancel()
        bulletins = list(self._get_bulletins())
        self._bulletins = {b.id: b for b in bulletins}
        self._state = "scanning"
        self._show_summary()
        self._generation += 1
        generation = self._generation
        handle = self._runner.submit(
            "measures",
            scan_task,
            bulletins,
            self._load_types,
            self._cache,
            on_finished=lambda scan: self._on_task_finished(generation, scan),
            on_failed=lambda message: self._on_task_failed(generation, message),
        )
        self._task = handle
        return handle

    def _on_task_finished(self, generation: int, scan: Scan) -> None:
        if generation != self._generation:
            return  # a newer scan was asked for
        self._task = None
        self._scan = scan
        self._state = "ready"
        self._fill_filters()
        self._apply_filters()
        if self._cache is not None:
            self._runner.submit(
                "measures cache", remember_task, scan, list(self._bulletins.values()), self._cache
            )

    def _on_task_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._state = "failed"
        self._failure = message
        self._show_summary()
        self.failed.emit(self.tr("The measures could not be counted."), message)

    # -- filters --------------------------------------------------------------------------------
    def _fill_filters(self) -> None:
        chosen = (self.bulletin_box.currentData(), self.from_box.currentData(), self.to_box.currentData())
        chosen_type = self.type_box.currentData()
        for box in (self.bulletin_box, self.from_box, self.to_box, self.type_box):
            box.blockSignals(True)
            box.clear()
        self.bulletin_box.addItem(self.tr("All bulletins"), None)
        self.from_box.addItem(self.tr("Any date"), None)
        self.to_box.addItem(self.tr("Any date"), None)
        self.type_box.addItem(self.tr("All types"), None)
        ordered = sorted(self._bulletins.values(), key=lambda b: (b.date == "", b.date), reverse=False)
        for bulletin in ordered:
            title = bulletin.title or bulletin.id
            shown = f"{bulletin.date} {title}".strip() if bulletin.date else title
            self.bulletin_box.addItem(shown, bulletin.id)
            index = self.bulletin_box.count() - 1
            self.bulletin_box.setItemData(index, shown, Qt.ItemDataRole.ToolTipRole)
        self._dates = sorted({b.date for b in self._bulletins.values() if b.date})
        for date in self._dates:
            self.from_box.addItem(date, date)
            self.to_box.addItem(date, date)
        if self._scan is not None:
            for kind in self._scan.types:
                self.type_box.addItem(type_name(kind), kind.id)
        for box, value in (
            (self.bulletin_box, chosen[0]),
            (self.from_box, chosen[1]),
            (self.to_box, chosen[2]),
            (self.type_box, chosen_type),
        ):
            at = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(at, 0))
            box.blockSignals(False)

    def set_filters(
        self,
        bulletin_id: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type_id: str | None = None,
    ) -> None:
        """Choose the filters (None: all) and count again."""
        for box, value in (
            (self.bulletin_box, bulletin_id),
            (self.from_box, date_from),
            (self.to_box, date_to),
            (self.type_box, type_id),
        ):
            at = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(at, 0))
        self._apply_filters()

    def chosen_bulletins(self) -> list[str] | None:
        """The bulletins the filters leave (None: every one)."""
        only = self.bulletin_box.currentData()
        low, high = self.from_box.currentData(), self.to_box.currentData()
        if only is None and low is None and high is None:
            return None
        out = []
        for bulletin in self._bulletins.values():
            if only is not None and bulletin.id != only:
                continue
            if (low is not None or high is not None) and not bulletin.date:
                continue  # undated: outside any range
            if low is not None and bulletin.date < low:
                continue
            if high is not None and bulletin.date > high:
                continue
            out.append(bulletin.id)
        return out

    def _on_filter_activated(self, _index: int) -> None:
        self._apply_filters()

    def _apply_filters(self) -> None:
        if self._scan is None:
            return
        type_id = self.type_box.currentData()
        matrix = self._scan.matrix(self.chosen_bulletins(), None if type_id is None else [type_id])
        self._show_matrix(matrix)

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        bold = header.font()
        bold.setBold(True)  # the current column's title is set in bold
        header_metrics = type(metrics)(bold)
        pad = 2 * self.table.style().pixelMetric(self.table.style().PixelMetric.PM_HeaderMargin) + 12
        model = self.model
        for column in range(model.columnCount()):
            title = model.headerData(column, Qt.Orientation.Horizontal) or ""
            widest = max(
                (
                    metrics.horizontalAdvance(model.data(model.index(row, column)) or "")
                    for row in range(model.rowCount())
                ),
                default=0,
            )
            header.resizeSection(column, max(header_metrics.horizontalAdvance(title), widest) + pad)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)

    def _show_matrix(self, matrix: Matrix) -> None:
        kept = self._cell
        self.model.set_matrix(matrix)
        self._fit_columns()
        cell = None
        if kept is not None:
            cell = matrix.cell(kept.district, kept.type.id)
        self._show_cell(cell)
        self._show_summary()
        if cell is not None:
            row = next(r for r, d in enumerate(matrix.districts) if d == cell.district)
            column = next(c for c, t in enumerate(matrix.types) if t.id == cell.type.id)
            self.table.setCurrentIndex(self.model.index(row, column))
        elif self.model.rowCount() and self.model.columnCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.matrix_changed.emit()

    def _show_summary(self) -> None:
        if self._state == "scanning":
            self.summary.setText(self.tr("Counting measures…"))
            return
        if self._state == "failed":
            self.summary.setText(
                self.tr("The measures could not be counted: %1").replace("%1", self._failure)
            )
            return
        matrix = self.model.matrix()
        if matrix is None:
            self.summary.setText("")
            return
        if not matrix.passages:
            self.summary.setText(self.tr("No passages of these measure types here."))
            return
        self.summary.setText(
            self.tr(
                "Passages showing a measure: %1, in bulletins: %2. Each cell: passages (bulletins); the stronger its colour, the more passages."  # noqa: E501
            )
            .replace("%1", str(matrix.passages))
            .replace("%2", str(matrix.bulletins))
        )

    # -- cells and passages ------------------------------------------------------------------------
    def current_cell(self) -> Cell | None:
        return self._cell

    def _on_table_activated(self, index: QModelIndex) -> None:
        cell = self.model.cell_at(index)
        self._show_cell(cell)
        if cell is not None and cell.places:
            self.passages.setCurrentRow(0)
            self._request(cell.places[0], cell)

    def _show_cell(self, cell: Cell | None) -> None:
        self._cell = cell
        self.passages.clear()
        self.export_cell_csv.setEnabled(cell is not None)
        self.export_cell_md.setEnabled(cell is not None)
        if cell is None:
            self.passages_label.setText(self.tr("Choose a cell to list its passages."))
            return
        self.passages_label.setText(
            self.tr("%1 · %2: passages %3")
            .replace("%1", cell.district or self.tr("Outside districts"))
            .replace("%2", type_name(cell.type))
            .replace("%3", str(len(cell.places)))
        )
        for place in cell.places:
            text = " ".join(place.text.split())
            excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
            item = QListWidgetItem(f"{self._short_citation(place)}\n{excerpt}")
            item.setData(PLACE_ROLE, place)
            item.setToolTip(tooltip(f"{self._citation(place)}\n\n{place.text}"))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{self._citation(place)}: {text}")
            self.passages.addItem(item)

    def _on_passages_item_activated(self, item: QListWidgetItem) -> None:
        place = item.data(PLACE_ROLE)
        if place is not None and self._cell is not None:
            self._request(place, self._cell)

    def _request(self, place: Place, cell: Cell) -> None:
        self.passage_requested.emit(
            place.bulletin_id, place.section, place.paragraph, phrases_in(place.text, cell.type)
        )

    def _citation(self, place: Place) -> str:
        return exports.citation(place, self._bulletins.get(place.bulletin_id))

    def _short_citation(self, place: Place) -> str:
        bulletin = self._bulletins.get(place.bulletin_id)
        where = exports.place_name(place, bulletin)
        if bulletin is None:
            return where
        title = bulletin.title if len(bulletin.title) <= 16 else bulletin.title[:15] + "…"
        return " · ".join(p for p in (bulletin.date, title, where) if p)

    # -- exports ------------------------------------------------------------------------------------
    def export_text(self, what: str, fmt: str) -> str | None:
        """The text of an export of the matrix or of the cell's passages; None if there is none."""
        if what == "matrix":
            matrix = self.model.matrix()
            if matrix is None:
                return None
            return exports.matrix_csv(matrix) if fmt == "csv" else exports.matrix_markdown(matrix)
        if self._cell is None:
            return None
        if fmt == "csv":
            return exports.passages_csv(self._cell, self._bulletins)
        return exports.passages_markdown(self._cell, self._bulletins)

    def export(self, what: str, fmt: str, path: Path | None = None) -> bool:
        """Export to ``path``, or to a file chosen in a dialog; True when written."""
        from viewer.store import StoreError

        text = self.export_text(what, fmt)
        if text is None:
            self.status_posted.emit(self.tr("Choose a cell first."), 3000)
            return False
        if path is None:
            name = "measures" if what == "matrix" else "measures-passages"
            filters = {"csv": self.tr("CSV files (*.csv)"), "markdown": self.tr("Markdown files (*.md)")}
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Export Measures"),
                str(Path.home() / f"{name}{exports.SUFFIXES[fmt]}"),
                filters[fmt],
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            exports.write(path, text, fmt)
        except (StoreError, OSError) as exc:
            self.failed.emit(self.tr("The export could not be written."), str(exc))
            return False
        self.status_posted.emit(self.tr("Exported to %1").replace("%1", str(path)), 4000)
        return True
