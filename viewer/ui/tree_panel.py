"""The left panel: filter box, view switch (by bulletin / by district) and the district tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QModelIndex, QRectF, QSize, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer.model import Bulletin
from viewer.ui.nodes import (
    NodeKind,
    TreeMode,
    TreeNode,
    TreeOrder,
    adjacent_node,
    build_tree,
    find_node,
)
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import icon, row_icon
from viewer.ui.tree_model import (
    COUNT_ROLES,
    DistrictTreeModel,
    HitCountRole,
    Index,
    NodeRole,
    TreeFilterProxy,
)
from viewer.ui.widgets import SearchField, name_line_edit_buttons

if TYPE_CHECKING:
    from viewer.model import SearchResult

_COUNT_ROLES = frozenset(int(role) for role in COUNT_ROLES)


class HitCountDelegate(QStyledItemDelegate):
    """Draws the row as usual, with the number of search hits in a small pill on the right."""

    def _badge_width(self, option: QStyleOptionViewItem, count: int | None) -> int:
        if not count:  # no search, or no hits here (the row is dimmed instead)
            return 0
        return QFontMetrics(option.font).horizontalAdvance(str(count)) + 14

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        count = index.data(HitCountRole)
        width = self._badge_width(option, count)
        if not width:
            super().paint(painter, option, index)
            return
        # QStyle only once a search shows counts: its 566 enumeration members, made Python
        # enums on first use, cost 8 ms of the start.
        QStyle = QtWidgets.QStyle
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # Selection background over the whole row, the item in the rest, the pill on the right.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        opt.rect = opt.rect.adjusted(0, 0, -width - 4, 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        opt.rect = option.rect
        pal = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = QRectF(opt.rect.right() - width - 2, opt.rect.top() + 3, width, opt.rect.height() - 6)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if count:
            fill = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
            text = pal.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.HighlightedText)
        else:
            fill = pal.color(QPalette.ColorRole.AlternateBase)
            text = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(text)
        painter.setFont(option.font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(
            size.width() + self._badge_width(option, index.data(HitCountRole)) + 4, size.height() + 4
        )


class DistrictTreeView(QTreeView):
    activated_by_keyboard = Signal()

    def dataChanged(self, top_left: Index, bottom_right: Index, roles: Sequence[int] = ()) -> None:
        """A change of search counts only repaints.

        QTreeView would refresh each changed row's height and whether it has children
        (two calls into the Python model per row: a thousand bulletins cost ~10 ms per
        keystroke); counts change neither.
        """
        if roles and all(role in _COUNT_ROLES for role in roles):
            QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)
            return
        super().dataChanged(top_left, bottom_right, roles)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_by_keyboard.emit()
            return
        super().keyPressEvent(event)


class TreePanel(QWidget):
    """Emits ``section_chosen(bulletin_id, section index or None)`` when the current row
    changes (None: the bulletin's own page)."""

    section_chosen = Signal(str, object)
    mode_changed = Signal(str)
    reading_requested = Signal()  # Enter on a row: move on to the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePanel")
        self._bulletins: list[Bulletin] = []
        self._mode = TreeMode.BY_BULLETIN
        self._order = TreeOrder.DATE
        self._result: SearchResult | None = None
        self._before_filter: TreeNode | None = None

        self.filter_edit = SearchField(self)  # Down or Enter: into the tree; Esc clears
        self.filter_edit.setObjectName("treeFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_icon = self.filter_edit.addAction(
            icon("filter"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.mode_box = QComboBox(self)
        self.mode_box.setObjectName("treeMode")
        self.mode_box.addItem(icon("by-bulletin"), "", TreeMode.BY_BULLETIN.value)
        self.mode_box.addItem(icon("by-district"), "", TreeMode.BY_DISTRICT.value)
        self.mode_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.model = DistrictTreeModel(self)
        self._row_icons = False  # made with the first rows (after the window has painted)
        self.proxy = TreeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = DistrictTreeView(self)
        self.view.setObjectName("districtTree")
        self.view.setModel(self.model)  # the proxy only while the filter box has text
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setItemDelegate(HitCountDelegate(self.view))
        self.view.setSelectionMode(QTreeView.SelectionMode.SingleSelection)

        top = QHBoxLayout()
        top.setContentsMargins(8, 8, 8, 4)
        top.setSpacing(6)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.mode_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.mode_box.currentIndexChanged.connect(self._on_mode_box_current_index_changed)
        self._connect_selection()
        self.view.activated_by_keyboard.connect(self.reading_requested)
        self.filter_edit.results_requested.connect(self._on_filter_edit_results_requested)
        self.retranslate()

    def _connect_selection(self) -> None:
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)

    def _use_proxy(self, filtering: bool) -> None:
        """Show the model through the filter proxy only while filtering.

        A proxy re-examines every row on each data change; with a thousand bulletins
        that made every hit-count update of a search cost tens of milliseconds.
        """
        wanted = self.proxy if filtering else self.model
        if self.view.model() is wanted:
            return
        current = self.current_node()
        if filtering:
            self._before_filter = current
        elif current is None:
            current = self._before_filter  # the row shown before filtering hid it
        expanded = [
            n for n in self.model.root().walk() if n.children and self.view.isExpanded(self._view_index(n))
        ]
        self.view.setModel(wanted)
        self._connect_selection()
        for node in expanded:
            self.view.setExpanded(self._view_index(node), True)
        index = self._view_index(current) if current is not None else QModelIndex()
        if index.isValid():  # keep the current row where the filter lets it be seen
            self.view.selectionModel().blockSignals(True)
            self.view.setCurrentIndex(index)
            self.view.selectionModel().blockSignals(False)
            self.view.scrollTo(index)

    def _view_index(self, node: TreeNode) -> QModelIndex:
        index = self.model.index_of(node)
        return self.proxy.mapFromSource(index) if self.view.model() is self.proxy else index

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Filter…"))
        self.filter_edit.setAccessibleName(self.tr("Filter the tree"))
        self.filter_icon.setText(self.tr("Filter"))
        name_line_edit_buttons(self.filter_edit)
        self.mode_box.setItemText(0, self.tr("By bulletin"))
        self.mode_box.setItemText(1, self.tr("By district"))
        self.mode_box.setAccessibleName(self.tr("Tree view"))
        self.mode_box.setToolTip(
            self.tr("Show bulletins with their districts, or districts with their bulletins")
        )
        self.view.setAccessibleName(self.tr("Districts and bulletins"))

    def _set_row_icons(self) -> None:
        """The rows' icons, drawn once for this palette and this screen's pixel ratio."""
        self._row_icons = True
        ratio = self.view.devicePixelRatioF()
        names = {NodeKind.BULLETIN: "bulletin", NodeKind.DISTRICT: "district", NodeKind.HEADING: "heading"}
        self.model.set_icons({kind: row_icon(name, ratio) for kind, name in names.items()})

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange and self._row_icons:  # a theme switch
            self._set_row_icons()  # tinted anew
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange and self._row_icons:  # another screen
            self._set_row_icons()  # drawn anew, sharp at the new scale
        return super().event(event)

    # -- content -----------------------------------------------------------------------------------
    def mode(self) -> TreeMode:
        return self._mode

    def set_mode(self, mode: TreeMode) -> None:
        self.mode_box.setCurrentIndex(0 if mode is TreeMode.BY_BULLETIN else 1)

    def order(self) -> TreeOrder:
        return self._order

    def set_order(self, order: TreeOrder) -> None:
        """Bulletins newest first, or by title; the current row is kept."""
        if order is self._order:
            return
        self._order = order
        self._rebuild(self.current_target())

    def set_bulletins(self, bulletins: Sequence[Bulletin]) -> None:
        """Rebuild the tree from these bulletins, keeping the current row when it still exists."""
        current = self.current_target()
        self._bulletins = list(bulletins)
        if not self._row_icons:
            self._set_row_icons()
        self._rebuild(current)

    def _rebuild(self, keep: tuple[str, int | None] | None) -> None:
        self._before_filter = None
        self.view.selectionModel().blockSignals(True)
        self.model.set_root(build_tree(self._bulletins, self._mode, self._order))
        if self._result is not None:
            self.model.set_search_result(self._result)
        self.view.selectionModel().blockSignals(False)
        if self.model.rowCount() <= 3:
            self.view.expandAll()
        if keep is not None:
            self.select(*keep, emit=False)

    def set_search_result(self, result: SearchResult | None) -> None:
        self._result = result
        self.model.set_search_result(result)
        self.view.viewport().update()

    def current_node(self) -> TreeNode | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        node = index.data(NodeRole)
        return node if isinstance(node, TreeNode) else None

    def current_target(self) -> tuple[str, int | None] | None:
        node = self.current_node()
        return node.target if node is not None else None

    def select(self, bulletin_id: str, section: int | None, emit: bool = True) -> bool:
        node = find_node(self.model.root(), bulletin_id, section)
        return self._select_node(node, emit)

    def step(self, forward: bool, shown: tuple[str, int | None] | None = None) -> bool:
        """Choose the row after (before) the one of ``shown`` (what the article shows; default
        the current row) in the tree's order, as if clicked: the next or previous section.
        While the filter box has text, only the rows it lets be seen. False at either end."""
        current = self.current_node()
        if shown is not None and (current is None or current.target != shown):
            current = find_node(self.model.root(), *shown)
        filtering = self.view.model() is self.proxy
        visible = (lambda n: self._view_index(n).isValid()) if filtering else None
        return self._select_node(adjacent_node(self.model.root(), current, forward, visible), emit=True)

    def _select_node(self, node: TreeNode | None, emit: bool) -> bool:
        if node is None:
            return False
        index = self._view_index(node)
        if not index.isValid():  # hidden by the filter: clear it so the row can be shown
            self.filter_edit.clear()
            index = self._view_index(node)
        if not emit:
            self.view.selectionModel().blockSignals(True)
        previous = self.view.currentIndex()
        self.view.setCurrentIndex(index)
        if not emit:
            self.view.selectionModel().blockSignals(False)
            # The rows the blocked signals would have repainted (the view's viewport itself is
            # not asked for before the first frame: see ``viewer.ui.first_paint``).
            for changed in (previous, index):
                self.view.update(changed)
        self.view.scrollTo(index)
        return True

    # -- slots -------------------------------------------------------------------------------------
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        filtering = bool(self.proxy.filter_text())
        self._use_proxy(filtering)
        if filtering:
            self.view.expandAll()

    def _on_filter_edit_results_requested(self) -> None:
        self.view.setFocus()
        model = self.view.model()
        if not self.view.currentIndex().isValid() and model.rowCount() > 0:
            self.view.setCurrentIndex(model.index(0, 0))

    def _on_mode_box_current_index_changed(self, row: int) -> None:
        mode = TreeMode(self.mode_box.itemData(row))
        if mode is self._mode:
            return
        current = self.current_target()
        self._mode = mode
        self._rebuild(current)
        self.mode_changed.emit(mode.value)

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = current.data(NodeRole) if current.isValid() else None
        if isinstance(node, TreeNode) and node.target is not None:
            bulletin_id, section = node.target
            self.section_chosen.emit(bulletin_id, section)
