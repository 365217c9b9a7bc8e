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
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.measures import Cell, Matrix, MeasureType, Place, Scan, ScanCache
from viewer.measures import export as exports
from viewer.measures.matrix import phrases_in
from viewer.model import Bulletin, PlaceWords
from viewer.ui.bookmarks import place_words
from viewer.ui.measures_filters import MeasuresFilters
from viewer.ui.measures_model import (
    EXCERPT_CHARS,
    PLACE_ROLE,
    MeasuresModel,
    remember_task,
    scan_task,
    type_name,
)
from viewer.ui.plain_text import tooltip
from viewer.ui.qt_namespace import Qt
from viewer.ui.tasks import TaskHandle, TaskRunner

log = logging.getLogger("viewer.ui")


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
        self._generation = 0
        self._failure = ""

        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.filters = MeasuresFilters(self)

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

        # A push button: its menu arrow has a place of its own (a tool button's was drawn over
        # the last letter), and it looks like the filters' boxes beside it.
        self.export_button = QPushButton(self)
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
        filters.addWidget(self.filters)
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

        QWidget.setTabOrder(self.filters.type_box, self.export_button)
        QWidget.setTabOrder(self.export_button, self.table)
        QWidget.setTabOrder(self.table, self.passages)

        self.filters.changed.connect(self._apply_filters)
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
        self.filters.retranslate()
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
        self.filters.fill(self._bulletins, self._scan.types if self._scan is not None else [])

    def set_filters(
        self,
        bulletin_id: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        type_id: str | None = None,
    ) -> None:
        """Choose the filters (None: all) and count again."""
        self.filters.set_filters(bulletin_id, date_from, date_to, type_id)
        self._apply_filters()

    def chosen_bulletins(self) -> list[str] | None:
        """The bulletins the filters leave (None: every one)."""
        return self.filters.chosen_bulletins(self._bulletins.values())

    def _apply_filters(self) -> None:
        if self._scan is None:
            return
        type_id = self.filters.chosen_type()
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
        words = place_words()
        for place in cell.places:
            text = " ".join(place.text.split())
            excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
            item = QListWidgetItem(f"{self._short_citation(place, words)}\n{excerpt}")
            item.setData(PLACE_ROLE, place)
            citation = exports.citation(place, self._bulletins.get(place.bulletin_id), words)
            item.setToolTip(tooltip(f"{citation}\n\n{place.text}"))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{citation}: {text}")
            self.passages.addItem(item)

    def _on_passages_item_activated(self, item: QListWidgetItem) -> None:
        place = item.data(PLACE_ROLE)
        if place is not None and self._cell is not None:
            self._request(place, self._cell)

    def _request(self, place: Place, cell: Cell) -> None:
        self.passage_requested.emit(
            place.bulletin_id, place.section, place.paragraph, phrases_in(place.text, cell.type)
        )

    def _short_citation(self, place: Place, words: PlaceWords | None = None) -> str:
        bulletin = self._bulletins.get(place.bulletin_id)
        where = exports.place_name(place, bulletin, words or place_words())
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
