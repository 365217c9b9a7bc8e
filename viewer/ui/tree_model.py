"""A thin QAbstractItemModel over ``nodes.TreeNode``, and the proxy behind the filter box."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication

from viewer.ui import plain_text
from viewer.ui.nodes import NodeKind, TreeNode, apply_counts, row_hits, section_counts
from viewer.ui.qt_namespace import (
    ACCESSIBLE_TEXT_ROLE,
    DECORATION_ROLE,
    DISPLAY_ROLE,
    FOREGROUND_ROLE,
    TOOL_TIP_ROLE,
    USER_ROLE,
)

if TYPE_CHECKING:
    from viewer.model import SearchResult

Index = QModelIndex | QPersistentModelIndex

# Matches of the active search (int), or None.
HitCountRole = USER_ROLE + 1
# The TreeNode itself.
NodeRole = USER_ROLE + 2
# Text the filter box matches against: label and headline or title.
FilterTextRole = USER_ROLE + 3
# What a change of search counts touches: never a row's height or children.
COUNT_ROLES = (HitCountRole, FOREGROUND_ROLE, ACCESSIBLE_TEXT_ROLE)


class DistrictTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = TreeNode(NodeKind.ROOT, "")
        self._icons: dict[NodeKind, QIcon] = {}
        self._searching = False
        self._pairs: dict[tuple[str, int], int] | None = None  # section counts of the search
        # Rows whose child rows someone has asked for (a view lays out the children of
        # expanded rows only): a change of counts is announced under those alone. With
        # a thousand bulletins, announcing the rows under every collapsed one costs a
        # QTreeView hundreds of milliseconds per search (it looks each one up).
        self._opened: set[int] = set()

    # -- adapter -----------------------------------------------------------------
    def set_root(self, root: TreeNode) -> None:
        self.beginResetModel()
        self._root = root
        self._opened.clear()
        self.endResetModel()

    def root(self) -> TreeNode:
        return self._root

    def set_icons(self, icons: dict[NodeKind, QIcon]) -> None:
        self._icons = icons
        self._emit_all_changed([DECORATION_ROLE])

    def set_search_result(self, result: SearchResult | None) -> None:
        """Show per-node hit counts of ``result`` (None: no search active)."""
        roles = list(COUNT_ROLES)
        self._searching = result is not None
        self._pairs = section_counts(result) if result is not None else None
        opened = self._opened
        for parent in apply_counts(self._root, result):
            if parent is self._root or id(parent) in opened:
                self._emit_children_changed(parent, roles)

    def node(self, index: Index) -> TreeNode:
        if index.isValid():
            node = index.internalPointer()
            if isinstance(node, TreeNode):
                return node
        return self._root

    def index_of(self, node: TreeNode) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        self._opened.add(id(node.parent))
        return self.createIndex(node.row, 0, node)

    def _emit_children_changed(self, parent: TreeNode, roles: list[int]) -> None:
        if parent.children:
            parent_index = self.index_of(parent)
            last = len(parent.children) - 1
            self.dataChanged.emit(self.index(0, 0, parent_index), self.index(last, 0, parent_index), roles)

    def _emit_all_changed(self, roles: list[int]) -> None:
        stack = [self._root]
        while stack:
            parent = stack.pop()
            self._emit_children_changed(parent, roles)
            stack.extend(c for c in parent.children if c.children)

    # -- QAbstractItemModel --------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        parent_node = self.node(parent)
        if row >= len(parent_node.children):
            return QModelIndex()
        if parent_node is not self._root:
            self._opened.add(id(parent_node))
        return self.createIndex(row, 0, parent_node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        return self.index_of(node.parent) if node.parent is not None else QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        return bool(self.node(parent).children)

    # No flags(): Qt's (enabled, selectable) are the rows'. A Python one would have to return
    # Qt.ItemFlag, and so build the Qt namespace before the first frame (viewer.ui.qt_namespace).

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == DISPLAY_ROLE:
            return node.label
        if role == TOOL_TIP_ROLE:  # a headline or column: the document's text, not HTML
            return plain_text.tooltip(node.detail) or None
        if role == DECORATION_ROLE:
            return self._icons.get(node.kind)
        if role == HitCountRole:
            return row_hits(node, self._pairs)
        if role == NodeRole:
            return node
        if role == FilterTextRole:
            return f"{node.label} {node.detail}"
        if role == FOREGROUND_ROLE:
            if self._searching and row_hits(node, self._pairs) == 0:
                return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            return None
        if role == ACCESSIBLE_TEXT_ROLE:
            hits = row_hits(node, self._pairs)
            if hits is None:
                return node.label
            return self.tr("%1, %n matches", "", hits).replace("%1", node.label)
        return None


class TreeFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose label or headline contains the filter text, with their ancestors
    (and all rows below a matching one). Both are folded as search folds them (width, case,
    traditional to simplified: 東 finds 东城, 社區 finds 社区, ＥＭＳ finds EMS)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self.setFilterRole(FilterTextRole)
        # Rows are filtered on label and headline, which never change in place; without
        # this, every hit-count update would re-filter a thousand rows.
        self.setDynamicSortFilter(False)
        self._needle = ""
        self._folded: dict[str, str] = {}  # row text -> folded, kept while a filter is typed

    def set_filter_text(self, text: str) -> None:
        from viewer.search.normalize import fold  # loaded with the first filter, not at start-up

        needle = fold(text.strip())
        if needle == self._needle:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self.invalidateRowsFilter()
        if not needle:
            self._folded.clear()

    def filter_text(self) -> str:
        """The filter, folded."""
        return self._needle

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        text = self.sourceModel().index(source_row, 0, source_parent).data(FilterTextRole) or ""
        folded = self._folded.get(text)
        if folded is None:
            from viewer.search.normalize import fold

            folded = self._folded[text] = fold(text)
        return self._needle in folded
