"""The measures view's filters: one bulletin, a date range, one type — the labelled choices
above the matrix (the bulletin on a line of its own, the dates and the type below it, so
that the view fits a side panel beside a readable article), and which bulletins and type
they leave.

``changed`` is emitted when the user picks another choice; ``set_filters`` chooses without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from viewer.measures import MeasureType
from viewer.model import Bulletin
from viewer.ui.measures_model import type_name
from viewer.ui.qt_namespace import Qt


class MeasuresFilters(QWidget):
    """Four labelled choices; item 0 of each is "all"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bulletin_box = QComboBox(self)
        self.from_box = QComboBox(self)
        self.to_box = QComboBox(self)
        self.type_box = QComboBox(self)
        self._types: list[MeasureType] = []
        for box, length in (
            (self.bulletin_box, 18),
            (self.from_box, 10),
            (self.to_box, 10),
            (self.type_box, 8),
        ):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(length)
            box.activated.connect(self.changed)
        self.bulletin_label = QLabel(self)
        self.from_label = QLabel(self)
        self.to_label = QLabel(self)
        self.type_label = QLabel(self)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, box in self._pairs():
            label.setBuddy(box)
        layout.addWidget(self.bulletin_label, 0, 0)
        layout.addWidget(self.bulletin_box, 0, 1, 1, 5)
        for column, (label, box) in enumerate(self._pairs()[1:]):
            layout.addWidget(label, 1, 2 * column)
            layout.addWidget(box, 1, 2 * column + 1)
        QWidget.setTabOrder(self.bulletin_box, self.from_box)
        QWidget.setTabOrder(self.from_box, self.to_box)
        QWidget.setTabOrder(self.to_box, self.type_box)
        self.retranslate()
        self.fill({}, [])

    def _pairs(self) -> tuple[tuple[QLabel, QComboBox], ...]:
        return (
            (self.bulletin_label, self.bulletin_box),
            (self.from_label, self.from_box),
            (self.to_label, self.to_box),
            (self.type_label, self.type_box),
        )

    def _everything(self) -> tuple[str, str, str, str]:
        return (self.tr("All bulletins"), self.tr("Any date"), self.tr("Any date"), self.tr("All types"))

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
        for (_label, box), everything in zip(self._pairs(), self._everything(), strict=True):
            if box.count():
                box.setItemText(0, everything)
        for n, kind in enumerate(self._types, 1):
            if n < self.type_box.count():
                self.type_box.setItemText(n, type_name(kind))

    def fill(self, bulletins: Mapping[str, Bulletin], types: Iterable[MeasureType]) -> None:
        """The choices for these bulletins and types, keeping what was chosen where it still is."""
        boxes = [box for _label, box in self._pairs()]
        chosen = [box.currentData() for box in boxes]
        for box in boxes:
            box.blockSignals(True)
            box.clear()
        for box, everything in zip(boxes, self._everything(), strict=True):
            box.addItem(everything, None)
        for bulletin in sorted(bulletins.values(), key=lambda b: (b.date == "", b.date)):
            title = bulletin.title or bulletin.id
            shown = f"{bulletin.date} {title}".strip() if bulletin.date else title
            self.bulletin_box.addItem(shown, bulletin.id)
            self.bulletin_box.setItemData(self.bulletin_box.count() - 1, shown, Qt.ItemDataRole.ToolTipRole)
        for date in sorted({b.date for b in bulletins.values() if b.date}):
            self.from_box.addItem(date, date)
            self.to_box.addItem(date, date)
        self._types = list(types)
        for kind in self._types:
            self.type_box.addItem(type_name(kind), kind.id)
        for box, value in zip(boxes, chosen, strict=True):
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
        """Choose (None: all), without ``changed``."""
        for (_label, box), value in zip(
            self._pairs(), (bulletin_id, date_from, date_to, type_id), strict=True
        ):
            at = box.findData(value) if value is not None else 0
            box.setCurrentIndex(max(at, 0))

    def chosen_type(self) -> str | None:
        return self.type_box.currentData()

    def chosen_bulletins(self, bulletins: Iterable[Bulletin]) -> list[str] | None:
        """The ids of ``bulletins`` the filters leave (None: every one)."""
        only = self.bulletin_box.currentData()
        low, high = self.from_box.currentData(), self.to_box.currentData()
        if only is None and low is None and high is None:
            return None
        out = []
        for bulletin in bulletins:
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
