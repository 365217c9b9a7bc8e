"""The measures matrix as a Qt table model: a cell per district × type, its passages and
bulletins as text, its colour by density over the palette, its key figures as a tooltip;
and the scan as the task runner's background work (pure, no widgets).

Document text is only ever shown as plain text (tooltips go through ``plain_text``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import islice

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtGui import QColor, QPalette

from viewer.measures import Cell, Matrix, MeasureType, Place, Scan, ScanCache
from viewer.measures.matrix import figures_of
from viewer.model import Bulletin
from viewer.progress import Cancel, Progress
from viewer.ui.plain_text import tooltip
from viewer.ui.qt_namespace import Qt

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
    progress: Progress,
    cancel: Cancel,
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
    progress: Progress,
    cancel: Cancel,
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
