"""The search results as an item model: district groups (most matches first), each with its
hits in ranking order.

Its one job is to hold the listed hits for a view: set anew for each query, extended in
place when more hits of the same query arrive (rows are inserted, so the view keeps its
current row and scroll position). Indexes carry integer ids, never Python objects: 0 for
a group row, and the group's own id (fixed for its life, not its row) for a hit row.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject
from PySide6.QtGui import QFont

from viewer.model import HEAD, LEAD, Hit, SearchResult, district_key
from viewer.ui import plain_text
from viewer.ui.article_document import CJK_FAMILIES
from viewer.ui.qt_namespace import Qt
from viewer.ui.tree_model import Index

HitRole = Qt.ItemDataRole.UserRole + 1
GroupKeyRole = Qt.ItemDataRole.UserRole + 2
CountRole = Qt.ItemDataRole.UserRole + 3

_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_HIT_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(eq=False)
class _Group:
    key: str  # district key, "" for passages outside districts
    count: int
    hits: list[Hit] = field(default_factory=list)
    row: int = 0
    ident: int = 0  # the internal id of its hit rows (>= 1)


def outside_counts(result: SearchResult) -> tuple[int, int, int]:
    """(matches outside districts, of them in a lead, in a title): exact, over every match."""
    outside = max(0, result.total - sum(result.district_counts.values()))
    if not outside:
        return 0, 0, 0
    lead = head = 0
    for (_bulletin, section), count in result.section_counts.items():
        if section == LEAD:
            lead += count
        elif section == HEAD:
            head += count
    return outside, lead, head


def outside_label(result: SearchResult | None) -> str:
    """What the matches outside districts are called: the lead (导语) when they are all in a
    lead, the title and lead when in those two, else passages outside districts (headings and
    closings too)."""
    if result is not None:
        outside, lead, head = outside_counts(result)
        if outside and lead == outside:
            return QCoreApplication.translate("ResultsModel", "Lead")
        if outside and lead + head == outside:
            return QCoreApplication.translate("ResultsModel", "Title and lead")
    return QCoreApplication.translate("ResultsModel", "Outside districts")


def group_hits(result: SearchResult) -> list[_Group]:
    """Hits grouped by district (most matches first), each group keeping the ranking order."""
    groups: dict[str, _Group] = {}
    for hit in result.hits:
        key = district_key(hit.district)
        group = groups.get(key)
        if group is None:
            count = outside_counts(result)[0] if key == "" else result.district_counts.get(key, 0)
            group = groups[key] = _Group(key, count)
        group.hits.append(hit)
    for group in groups.values():
        group.count = max(group.count, len(group.hits))
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.key == "", g.key))
    for row, group in enumerate(ordered):
        group.row = row
    return ordered


class ResultsModel(QAbstractItemModel):
    """District groups, each with its hits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._by_ident: dict[int, _Group] = {}
        self._idents = itertools.count(1)
        self._group_font: QFont | None = None
        self._result: SearchResult | None = None

    def _adopt(self, group: _Group) -> _Group:
        group.ident = next(self._idents)
        self._by_ident[group.ident] = group
        return group

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._result = result
        self._by_ident.clear()
        self._groups = [self._adopt(g) for g in group_hits(result)] if result is not None else []
        self._group_font = None  # made again from the application font, once per result
        self.endResetModel()

    def extend(self, result: SearchResult) -> bool:
        """Add the hits of ``result`` (the same query, more hits) that are not listed yet, as
        inserted rows. When the listed hits are not a prefix of it (the ranking of equal
        scores moved), the model is reset instead and False returned."""
        fresh = group_hits(result)
        position = {g.key: i for i, g in enumerate(fresh)}
        known = [position.get(g.key) for g in self._groups]
        consistent = None not in known and known == sorted(known)  # type: ignore[type-var]
        consistent = consistent and all(
            fresh[position[g.key]].hits[: len(g.hits)] == g.hits for g in self._groups
        )
        if not consistent:
            self.set_result(result)
            return False
        self._result = result
        by_key = {g.key: g for g in self._groups}
        for row, new in enumerate(fresh):
            group = by_key.get(new.key)
            if group is None:
                self.beginInsertRows(QModelIndex(), row, row)
                self._groups.insert(row, self._adopt(new))
                for n, g in enumerate(self._groups):
                    g.row = n
                self.endInsertRows()
                continue
            extra = new.hits[len(group.hits) :]
            if extra:
                parent = self.createIndex(group.row, 0, 0)
                first = len(group.hits)
                self.beginInsertRows(parent, first, first + len(extra) - 1)
                group.hits.extend(extra)
                self.endInsertRows()
            if new.count != group.count:
                group.count = new.count
                index = self.createIndex(group.row, 0, 0)
                self.dataChanged.emit(index, index)
        return True

    def groups(self) -> list[_Group]:
        return self._groups

    def hit_count(self) -> int:
        """How many hits are listed."""
        return sum(len(g.hits) for g in self._groups)

    def hits_in_order(self) -> list[tuple[QModelIndex, Hit]]:
        out = []
        for group in self._groups:
            parent = self.index(group.row, 0)
            for row, hit in enumerate(group.hits):
                out.append((self.index(row, 0, parent), hit))
        return out

    def index_of_hit(self, hit: Hit) -> QModelIndex:
        """Where a listed hit is (an invalid index when it is not listed)."""
        for group in self._groups:
            if group.key == district_key(hit.district):
                for row, listed in enumerate(group.hits):
                    if listed == hit:
                        return self.createIndex(row, 0, group.ident)
        return QModelIndex()

    def index_of_group(self, key: str) -> QModelIndex:
        group = next((g for g in self._groups if g.key == key), None)
        return self.createIndex(group.row, 0, 0) if group is not None else QModelIndex()

    def lead_label(self) -> str:
        """The group of passages outside districts: the lead, or leads, headings, titles, closings."""
        return outside_label(self._result)

    def _group_of(self, index: Index) -> _Group | None:
        """The group a hit row belongs to (None for a group row)."""
        ident = index.internalId()
        return self._by_ident.get(ident) if ident else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() or parent.column() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()  # hits have no children
        group = self._groups[parent.row()]
        return self.createIndex(row, 0, group.ident) if row < len(group.hits) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        group = self._group_of(index) if index.isValid() else None
        if group is None:
            return QModelIndex()
        return self.createIndex(group.row, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() or parent.column() != 0 or parent.row() >= len(self._groups):
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
            if index.internalId() or index.row() >= len(self._groups):
                return None
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
        if index.row() >= len(group.hits):
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
