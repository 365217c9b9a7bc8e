"""The bookmarks panel (a dock beside the search results).

``BookmarksModel`` is a thin list model over ``Bookmark`` objects; ``BookmarkDelegate``
(``bookmark_card``) draws each as a small card: where it is (district · paragraph ·
bulletin), the quote (two lines at most), then the note and tags. An orphaned bookmark
(its passage is no longer in the archive) is drawn greyed with a warning icon and says so
in its tooltip.

The panel filters by text and tag, and emits what the user asks for (open, edit,
delete, copy); the main window carries it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.model import Bookmark
from viewer.ui import plain_text
from viewer.ui.bookmark_card import BookmarkDelegate, BookmarkRole
from viewer.ui.bookmarks import BookmarkService, citation_text, place_text
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import icon
from viewer.ui.widgets import SearchField, name_line_edit_buttons

Index = QModelIndex  # the views hand over QPersistentModelIndex too


class BookmarksModel(QAbstractListModel):
    """The listed bookmarks, one row each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bookmarks: list[Bookmark] = []

    def set_bookmarks(self, bookmarks: Sequence[Bookmark]) -> None:
        self.beginResetModel()
        self._bookmarks = list(bookmarks)
        self.endResetModel()

    def bookmarks(self) -> list[Bookmark]:
        return list(self._bookmarks)

    def row_of(self, bookmark_id: int) -> int:
        return next((row for row, b in enumerate(self._bookmarks) if b.id == bookmark_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._bookmarks)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._bookmarks):
            return None
        b = self._bookmarks[index.row()]
        if role == BookmarkRole:
            return b
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return b.quote
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [b.quote, f"{place_text(b)} · {b.title or b.bulletin_id}"]
            if b.note:
                parts.append(self.tr("Note: %1").replace("%1", b.note))
            if b.tags:
                parts.append(self.tr("Tags: %1").replace("%1", ", ".join(b.tags)))
            if b.orphaned:
                parts.append(self.orphan_text())
            return plain_text.tooltip("\n\n".join(parts))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = f"{b.quote}. {place_text(b)}, {b.title or b.bulletin_id}."
            if b.note:
                text += " " + self.tr("Note: %1").replace("%1", b.note)
            if b.orphaned:
                text += " " + self.tr("Passage not found.")
            return text
        if role == Qt.ItemDataRole.DecorationRole and b.orphaned:
            return icon("warning")
        return None

    def orphan_text(self) -> str:
        return self.tr(
            "The passage of this bookmark is no longer in the archive. The bookmark is kept with its "
            "quote and note, and finds its passage again if the bulletin comes back."
        )


class BookmarksView(QListView):
    """Enter opens, Delete deletes, F2 edits; Up from the first row goes to the filter field."""

    delete_pressed = Signal()
    up_from_top = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selectionModel().hasSelection():
            self.delete_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Up and (
            not self.currentIndex().isValid() or self.currentIndex().row() == 0
        ):
            self.up_from_top.emit()
            return
        super().keyPressEvent(event)


class BookmarksPanel(QWidget):
    """Filter field, tag box, and the list of bookmarks (or a calm message when there is none)."""

    bookmark_opened = Signal(object)  # Bookmark: double-click or Enter
    edit_requested = Signal(object)  # Bookmark
    delete_requested = Signal(object)  # list[Bookmark]

    def __init__(self, service: BookmarkService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarksPanel")
        self.service = service
        self.filter_edit = SearchField(self)
        self.filter_edit.setObjectName("bookmarkFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_icon = self.filter_edit.addAction(
            icon("filter"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.tag_box = QComboBox(self)
        self.tag_box.setObjectName("bookmarkTags")
        self.tag_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model = BookmarksModel(self)
        self.view = BookmarksView(self)
        self.view.setObjectName("bookmarkList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(BookmarkDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-measured as the panel narrows
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.message = QLabel(self)
        self.message.setObjectName("bookmarkMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        self.menu: QMenu | None = None  # the list's context menu while it is open

        self.open_action = self._view_action("go-down", [Qt.Key.Key_Return])
        self.edit_action = self._view_action(None, [Qt.Key.Key_F2])
        self.copy_action = self._view_action(None, ["Ctrl+C"])
        self.delete_action = self._view_action(None, [Qt.Key.Key_Delete])

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 8, 8, 4)
        bar.setSpacing(6)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.tag_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.filter_edit.textChanged.connect(self.refresh)
        self.filter_edit.results_requested.connect(self.focus_list)
        self.tag_box.activated.connect(self.refresh)
        self.view.activated.connect(self._on_view_activated)
        self.view.delete_pressed.connect(self._on_delete_action_triggered)
        self.view.up_from_top.connect(lambda: self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.open_action.triggered.connect(lambda: self._on_view_activated(self.view.currentIndex()))
        self.edit_action.triggered.connect(self._on_edit_action_triggered)
        self.copy_action.triggered.connect(self.copy_selected)
        self.delete_action.triggered.connect(self._on_delete_action_triggered)
        self.service.bookmarks_changed.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def _view_action(self, icon_name: str | None, shortcuts: list) -> QAction:
        action = QAction(self.view)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.view.addAction(action)
        return action

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Filter bookmarks…"))
        self.filter_edit.setAccessibleName(self.tr("Filter bookmarks"))
        self.filter_icon.setText(self.tr("Filter"))
        name_line_edit_buttons(self.filter_edit)
        self.tag_box.setAccessibleName(self.tr("Show bookmarks with tag"))
        self.tag_box.setToolTip(self.tr("Show only the bookmarks with one tag"))
        self.view.setAccessibleName(self.tr("Bookmarks"))
        self.message.setAccessibleName(self.tr("Bookmarks"))
        self.open_action.setText(self.tr("&Open Passage"))
        self.edit_action.setText(self.tr("&Edit Note and Tags…"))
        self.copy_action.setText(self.tr("&Copy Quote with Citation"))
        self.delete_action.setText(self.tr("&Delete"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- content ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """List what the service holds under the current filter, keeping the current row."""
        current = self.current_bookmark()
        self._fill_tag_box()
        text, tag = self.filter_edit.text().strip(), self.tag_box.currentData() or ""
        listed = self.service.search(text, tag)
        self.model.set_bookmarks(listed)
        if current is not None:
            self._select_row(self.model.row_of(current.id), scroll=False)
        if listed:
            self.stack.setCurrentWidget(self.view)
        else:
            self.stack.setCurrentWidget(self.message)
            if self.service.bookmarks():
                self.message.setText(self.tr("No bookmark matches this filter."))
            else:
                self.message.setText(
                    self.tr(
                        "No bookmarks yet. Select text in a section and press Ctrl+D, "
                        "or right-click a paragraph, to keep a passage with a note."
                    )
                )

    def _fill_tag_box(self) -> None:
        box = self.tag_box
        wanted = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("All tags"), "")
        for tag in self.service.tags():
            box.addItem(f"#{tag}", tag)
        row = box.findData(wanted) if wanted else 0
        box.setCurrentIndex(max(0, row))
        box.setVisible(box.count() > 1)
        box.blockSignals(False)

    def current_bookmark(self) -> Bookmark | None:
        index = self.view.currentIndex()
        return index.data(BookmarkRole) if index.isValid() else None

    def selected_bookmarks(self) -> list[Bookmark]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        chosen = [self.model.index(r, 0).data(BookmarkRole) for r in rows]
        if not chosen and self.current_bookmark() is not None:
            chosen = [self.current_bookmark()]
        return chosen

    def select_bookmark(self, bookmark_id: int) -> bool:
        """Make a bookmark the current row (clearing a filter that hides it); False if unknown."""
        row = self.model.row_of(bookmark_id)
        if row < 0 and (self.filter_edit.text() or self.tag_box.currentIndex() > 0):
            self.filter_edit.blockSignals(True)
            self.filter_edit.clear()
            self.filter_edit.blockSignals(False)
            self.tag_box.setCurrentIndex(0)
            self.refresh()
            row = self.model.row_of(bookmark_id)
        return self._select_row(row, scroll=True)

    def _select_row(self, row: int, scroll: bool) -> bool:
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        if scroll:
            self.view.scrollTo(index)
        return True

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(0, 0))

    def copy_selected(self) -> None:
        from PySide6.QtWidgets import QApplication

        chosen = self.selected_bookmarks()
        if chosen:
            text = "\n\n".join(f"{b.quote}\n— {citation_text(b)}" for b in chosen)
            QApplication.clipboard().setText(text)

    # -- slots -----------------------------------------------------------------------------------
    def _on_view_activated(self, index: QModelIndex) -> None:
        bookmark = index.data(BookmarkRole) if index.isValid() else None
        if bookmark is not None:
            self.bookmark_opened.emit(bookmark)

    def _on_edit_action_triggered(self) -> None:
        bookmark = self.current_bookmark()
        if bookmark is not None:
            self.edit_requested.emit(bookmark)

    def _on_delete_action_triggered(self) -> None:
        chosen = self.selected_bookmarks()
        if chosen:
            self.delete_requested.emit(chosen)

    def _on_view_context_menu_requested(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():  # the Menu key: at the current row
            index = self.view.currentIndex()
            if not index.isValid():
                return
            pos = self.view.visualRect(index).center()
        if not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addAction(self.edit_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.menu = menu
        menu.popup(self.view.viewport().mapToGlobal(pos))
