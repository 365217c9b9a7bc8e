"""The main window: built and wired in one place (``_connect_signals``).

Layout: a toolbar with the search field; the district tree (left) and the article
(centre) in a splitter; search results in a dock on the right (a bookmarks dock can
be added beside it with ``add_side_dock``); a status bar with progress and Cancel.

Start-up order: the window paints first; then the archive is read, the last section
restored, and the search index opened and brought up to date, all in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.formats import SUFFIXES
from viewer.model import Bookmark, Hit, PassageError, district_key, locate, make_bookmark
from viewer.model.bookmark import section_of
from viewer.store import IMPORT_STEPS, BookmarkError, DuplicateBookmarkError
from viewer.ui import theme
from viewer.ui.article import CJK_FAMILIES, DEFAULT_ZOOM, ArticleView, SelectionRef, shown_sections, view_of
from viewer.ui.bookmarks import (
    BookmarkService,
    added_command,
    edited_command,
    export_bookmarks,
    import_bookmarks,
    place_text,
    removed_command,
)
from viewer.ui.bookmarks import (
    ImportOutcome as BookmarkImportOutcome,
)
from viewer.ui.i18n import LanguageChoice, Translations
from viewer.ui.library import (
    ImportOutcome,
    IndexState,
    Library,
    import_bulletins,
    load_library,
    open_index,
    section_spans,
    sync_index,
)
from viewer.ui.nodes import TreeMode, TreeOrder
from viewer.ui.plain_text import plain_labels
from viewer.ui.search_panel import SearchController, SearchOutcome, SearchPanel
from viewer.ui.settings import read_bytes, read_choice, read_int, read_text
from viewer.ui.tasks import TaskHandle, TaskRunner
from viewer.ui.theme import ThemeChoice, icon
from viewer.ui.tree_panel import TreePanel
from viewer.ui.widgets import FindBar, NoticeBar, SearchField, name_line_edit_buttons

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QDialog, QMenu

    from viewer.ui.bookmarks_panel import BookmarksPanel

# Dialogs, drops and the font check are loaded when first used: every Qt class that is
# touched costs a little at start-up (PySide6 makes them on first use), before the first paint.

log = logging.getLogger("viewer.ui")

LAYOUT_VERSION = 2  # saved window states from version 1 have no bookmarks dock
BOOKMARK_POLL_MS = 2000  # how often an active window looks for bookmarks saved elsewhere (CLI)


def cjk_font_available() -> bool:
    """True when some installed font can show Simplified Chinese."""
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    return bool(families) or any(f in QFontDatabase.families() for f in CJK_FAMILIES[:-1])


class MainWindow(QMainWindow):
    library_loaded = Signal()
    index_ready = Signal()  # the index is open and covers the archive (or could not be)
    search_shown = Signal(object)  # SearchOutcome, after the results are on screen
    import_finished = Signal(object)  # ImportOutcome
    task_failed = Signal(str)  # every error reported to the user passes here
    bookmark_saved = Signal(object)  # Bookmark, after Ctrl+D (or the context menu) and the dialog

    def __init__(self, settings: QSettings, translations: Translations | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.translations = translations or Translations()
        self.runner = TaskRunner(self)
        self.library = Library((), ())
        self._index = None
        self._index_handle: TaskHandle | None = None
        self._sync_handle: TaskHandle | None = None
        self._sync_again = False
        self._import_handle: TaskHandle | None = None
        self._pending_scroll: int | None = None
        self._started = False
        self._persistent = True
        self._theme_choice = read_choice(self.settings, "ui/theme", ThemeChoice.SYSTEM)
        self.setObjectName("mainWindow")
        self.setWindowIcon(theme.app_icon())
        self.setAcceptDrops(True)
        self._build()
        self._connect_signals()
        self._retranslate()
        self._restore_layout()
        self.tree.view.setFocus()

    # -- construction ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.tree = TreePanel(self)
        self.article = ArticleView(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.notice = NoticeBar(self)
        reading = QWidget(self)
        reading.setObjectName("readingPane")
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.notice)
        reading_layout.addWidget(self.article, 1)
        reading_layout.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(reading)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.tree.setMinimumWidth(180)
        self.setCentralWidget(self.splitter)

        self.search_panel = SearchPanel(self)
        self.results_dock = QDockWidget(self)
        self.results_dock.setObjectName("resultsDock")
        self.results_dock.setWidget(self.search_panel)
        self.results_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.results_dock.setMinimumWidth(240)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.results_dock)
        self.search = SearchController(self.runner, self)

        # Bookmarks: the store opens in the background once the window has painted (start()).
        self.bookmarks = BookmarkService(self.runner, self)
        self.undo_stack = QUndoStack(self)
        self._bookmarks_panel: BookmarksPanel | None = None  # built after the first paint
        self.bookmarks_dock = QDockWidget(self)
        self.bookmarks_dock.setObjectName("bookmarksDock")
        self.bookmarks_dock.setFeatures(self.results_dock.features())
        self.bookmarks_dock.setMinimumWidth(240)
        self.bookmark_dialog: QDialog | None = None  # the bookmark dialog while it is open
        self.article_menu: QMenu | None = None  # the article's context menu while it is open
        self.bookmark_poll = QTimer(self)
        self.bookmark_poll.setInterval(BOOKMARK_POLL_MS)
        self.article.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.add_side_dock(self.bookmarks_dock)

    def _action(self, icon_name: str | None = None, shortcuts: Sequence[QKeySequence | str] = ()) -> QAction:
        action = QAction(self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        self.import_action = self._action("import", [QKeySequence.StandardKey.Open])
        self.quit_action = self._action(None, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.copy_action = self._action(None, [QKeySequence.StandardKey.Copy])
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the views handle Ctrl+C
        self.select_all_action = self._action(None)
        self.search_action = self._action("search", ["Ctrl+K", "Ctrl+Shift+F"])
        self.find_action = self._action("find", [QKeySequence.StandardKey.Find, "Ctrl+F"])
        self.next_hit_action = self._action("go-down", ["F3"])
        self.previous_hit_action = self._action("go-up", ["Shift+F3"])
        self.zoom_in_action = self._action("zoom-in", ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn])
        self.zoom_out_action = self._action("zoom-out", ["Ctrl+-", QKeySequence.StandardKey.ZoomOut])
        self.zoom_reset_action = self._action(None, ["Ctrl+0"])
        self.focus_tree_action = self._action(None, ["Ctrl+1"])
        self.focus_article_action = self._action(None, ["Ctrl+2"])
        self.focus_results_action = self._action(None, ["Ctrl+3"])
        self.results_toggle_action = self.results_dock.toggleViewAction()
        self.about_action = self._action("about")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.bookmark_action = self._action("bookmark", ["Ctrl+D"])
        self.undo_action = self._action(None, [QKeySequence.StandardKey.Undo])
        self.redo_action = self._action(None, [QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"])
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.export_bookmarks_action = self._action(None)
        self.import_bookmarks_action = self._action(None)
        self.focus_bookmarks_action = self._action(None, ["Ctrl+4"])
        self.bookmarks_toggle_action = self.bookmarks_dock.toggleViewAction()

        self.tree_mode_group = QActionGroup(self)
        self.by_bulletin_action = self._action("by-bulletin")
        self.by_district_action = self._action("by-district")
        for action, mode in (
            (self.by_bulletin_action, TreeMode.BY_BULLETIN),
            (self.by_district_action, TreeMode.BY_DISTRICT),
        ):
            action.setCheckable(True)
            action.setData(mode.value)
            self.tree_mode_group.addAction(action)
        self.by_bulletin_action.setChecked(True)
        self.tree_order_group = QActionGroup(self)
        self.order_actions: dict[TreeOrder, QAction] = {}
        for order in TreeOrder:
            action = self.order_actions[order] = self._action(None)
            action.setCheckable(True)
            action.setData(order.value)
            self.tree_order_group.addAction(action)
        self.order_actions[TreeOrder.DATE].setChecked(True)

        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[ThemeChoice, QAction] = {}
        for choice in ThemeChoice:
            action = self._action(None)
            action.setCheckable(True)
            action.setData(choice.value)
            action.setChecked(choice is self._theme_choice)
            self.theme_group.addAction(action)
            self.theme_actions[choice] = action

        self.language_group = QActionGroup(self)
        self.language_actions: dict[LanguageChoice, QAction] = {}
        current_language = read_choice(self.settings, "ui/language", LanguageChoice.SYSTEM)
        for choice in LanguageChoice:
            action = self._action(None)
            action.setCheckable(True)
            action.setData(choice.value)
            action.setChecked(choice is current_language)
            self.language_group.addAction(action)
            self.language_actions[choice] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.import_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_bookmarks_action)
        self.file_menu.addAction(self.export_bookmarks_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.copy_action)
        self.edit_menu.addAction(self.select_all_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.bookmark_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.search_action)
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addAction(self.next_hit_action)
        self.edit_menu.addAction(self.previous_hit_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.by_bulletin_action)
        self.view_menu.addAction(self.by_district_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.order_actions[TreeOrder.DATE])
        self.view_menu.addAction(self.order_actions[TreeOrder.TITLE])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.zoom_in_action)
        self.view_menu.addAction(self.zoom_out_action)
        self.view_menu.addAction(self.zoom_reset_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.focus_tree_action)
        self.view_menu.addAction(self.focus_article_action)
        self.view_menu.addAction(self.focus_results_action)
        self.view_menu.addAction(self.focus_bookmarks_action)
        self.view_menu.addAction(self.results_toggle_action)
        self.view_menu.addSeparator()
        self.theme_menu = self.view_menu.addMenu(icon("theme"), "")
        for action in self.theme_actions.values():
            self.theme_menu.addAction(action)
        self.language_menu = self.view_menu.addMenu(icon("language"), "")
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.addAction(self.import_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.zoom_out_action)
        self.toolbar.addAction(self.zoom_in_action)
        self.toolbar.addAction(self.find_action)
        self.toolbar.addAction(self.bookmark_action)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.search_field = SearchField(self.toolbar)
        self.search_field.setObjectName("searchField")
        self.search_field.setClearButtonEnabled(True)
        self.search_icon = self.search_field.addAction(
            icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search_field.setMinimumWidth(200)
        self.search_field.setMaximumWidth(420)
        self.search_field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toolbar.addWidget(self.search_field)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("taskProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelTask")
        self.cancel_button.setIcon(icon("close"))
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.hide()
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.zoom_label)

    def add_side_dock(self, dock: QDockWidget) -> None:
        """Place another panel (e.g. bookmarks) beside the search results, as a tab."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName so that its place is remembered")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.results_dock, dock)
        self.results_dock.raise_()
        self.view_menu.insertAction(self.results_toggle_action, dock.toggleViewAction())

    @property
    def bookmarks_panel(self) -> BookmarksPanel:
        """The bookmarks dock's panel, built when first needed (start() builds it after the first
        paint: the window shows sooner without it)."""
        if self._bookmarks_panel is None:
            from viewer.ui.bookmarks_panel import BookmarksPanel

            self._bookmarks_panel = BookmarksPanel(self.bookmarks, self)
            self.bookmarks_dock.setWidget(self._bookmarks_panel)
            self._connect_bookmarks_panel()
        return self._bookmarks_panel

    # -- wiring: the one place ---------------------------------------------------------------------
    def _connect_signals(self) -> None:
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.copy_action.triggered.connect(self.article.copy)
        self.select_all_action.triggered.connect(self.article.selectAll)
        self.search_action.triggered.connect(self._on_search_action_triggered)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.next_hit_action.triggered.connect(lambda: self._step_hit(True))
        self.previous_hit_action.triggered.connect(lambda: self._step_hit(False))
        self.zoom_in_action.triggered.connect(self.article.zoom_in)
        self.zoom_out_action.triggered.connect(self.article.zoom_out)
        self.zoom_reset_action.triggered.connect(self.article.reset_zoom)
        self.focus_tree_action.triggered.connect(
            lambda: self.tree.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.focus_article_action.triggered.connect(
            lambda: self.article.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.focus_results_action.triggered.connect(self._on_focus_results_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.tree_mode_group.triggered.connect(lambda a: self.tree.set_mode(TreeMode(a.data())))
        self.tree_order_group.triggered.connect(lambda a: self.tree.set_order(TreeOrder(a.data())))
        self.theme_group.triggered.connect(lambda a: self.set_theme(ThemeChoice(a.data())))
        self.language_group.triggered.connect(lambda a: self.set_language(LanguageChoice(a.data())))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

        self.tree.section_chosen.connect(self._on_tree_section_chosen)
        self.tree.mode_changed.connect(self._on_tree_mode_changed)
        self.tree.reading_requested.connect(lambda: self.article.setFocus(Qt.FocusReason.OtherFocusReason))
        self.article.zoom_changed.connect(self._on_article_zoom_changed)

        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.results_requested.connect(self._on_search_field_results_requested)
        self.search.search_finished.connect(self._on_search_finished)
        self.search.search_failed.connect(self._on_search_failed)
        self.search.search_cleared.connect(self._on_search_cleared)
        self.search_panel.hit_opened.connect(self.open_hit)
        self.search_panel.district_filter_changed.connect(self._on_search_panel_district_filter_changed)
        self.search_panel.focus_field_requested.connect(self._on_search_action_triggered)
        self.search_panel.reading_requested.connect(
            lambda: self.article.setFocus(Qt.FocusReason.OtherFocusReason)
        )

        self.find_bar.text_changed.connect(self._on_find_bar_text_changed)
        self.find_bar.stepped.connect(self._on_find_bar_stepped)
        self.find_bar.closed.connect(self._on_find_bar_closed)

        self.bookmark_action.triggered.connect(self.bookmark_selection)
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(self._update_undo_texts)
        self.undo_stack.redoTextChanged.connect(self._update_undo_texts)
        self.export_bookmarks_action.triggered.connect(self._on_export_bookmarks_action_triggered)
        self.import_bookmarks_action.triggered.connect(self._on_import_bookmarks_action_triggered)
        self.focus_bookmarks_action.triggered.connect(self._on_focus_bookmarks_action_triggered)
        self.article.customContextMenuRequested.connect(self._on_article_context_menu_requested)
        self.article.section_shown.connect(self._refresh_bookmark_marks)
        self.bookmarks.bookmarks_changed.connect(self._refresh_bookmark_marks)
        self.bookmarks.store_opened.connect(self._on_bookmarks_store_opened)
        self.bookmarks.failed.connect(self.report_error)
        self.bookmark_poll.timeout.connect(self._on_bookmark_poll_timeout)

    def _connect_bookmarks_panel(self) -> None:
        """The panel's part of the wiring (it is built after the first paint)."""
        panel = self.bookmarks_panel
        panel.bookmark_opened.connect(self.open_bookmark)
        panel.edit_requested.connect(self.edit_bookmark)
        panel.delete_requested.connect(self.delete_bookmarks)

    # -- texts -------------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Bulletin Viewer"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.language_menu.setTitle(self.tr("&Language"))
        texts = {
            self.import_action: (
                self.tr("&Import Bulletins…"),
                self.tr("Copy bulletin files into the archive"),
            ),
            self.quit_action: (self.tr("&Quit"), ""),
            self.copy_action: (self.tr("&Copy"), ""),
            self.select_all_action: (self.tr("Select &All"), ""),
            self.search_action: (self.tr("&Search All Bulletins"), self.tr("Search every bulletin (Ctrl+K)")),
            self.find_action: (self.tr("&Find in Section"), self.tr("Find in this section (Ctrl+F)")),
            self.next_hit_action: (self.tr("&Next Match"), ""),
            self.previous_hit_action: (self.tr("&Previous Match"), ""),
            self.zoom_in_action: (self.tr("Zoom &In"), self.tr("Larger text (Ctrl+=)")),
            self.zoom_out_action: (self.tr("Zoom &Out"), self.tr("Smaller text (Ctrl+-)")),
            self.zoom_reset_action: (self.tr("&Actual Size"), ""),
            self.focus_tree_action: (self.tr("Go to &Tree"), ""),
            self.focus_article_action: (self.tr("Go to Te&xt"), ""),
            self.focus_results_action: (self.tr("Go to &Results"), ""),
            self.about_action: (self.tr("&About Bulletin Viewer"), ""),
            self.bookmark_action: (
                self.tr("&Bookmark Selection…"),
                self.tr("Bookmark the selected text, or the paragraph at the cursor (Ctrl+D)"),
            ),
            self.export_bookmarks_action: (
                self.tr("&Export Bookmarks…"),
                self.tr("Save the bookmarks as Markdown, CSV or JSON"),
            ),
            self.import_bookmarks_action: (
                self.tr("Import Boo&kmarks…"),
                self.tr("Add the bookmarks of a JSON export"),
            ),
            self.focus_bookmarks_action: (self.tr("Go to &Bookmarks"), ""),
            self.by_bulletin_action: (self.tr("Tree &by Bulletin"), ""),
            self.by_district_action: (self.tr("Tree by &District"), ""),
            self.order_actions[TreeOrder.DATE]: (
                self.tr("Sort by Da&te"),
                self.tr("Bulletins newest first, undated ones last"),
            ),
            self.order_actions[TreeOrder.TITLE]: (self.tr("Sort by T&itle"), ""),
            self.theme_actions[ThemeChoice.SYSTEM]: (self.tr("Follow &System"), ""),
            self.theme_actions[ThemeChoice.LIGHT]: (self.tr("&Light"), ""),
            self.theme_actions[ThemeChoice.DARK]: (self.tr("&Dark"), ""),
            self.language_actions[LanguageChoice.SYSTEM]: (self.tr("Follow &System"), ""),
            self.language_actions[LanguageChoice.ENGLISH]: ("&English", ""),
            self.language_actions[LanguageChoice.CHINESE]: ("简体中文 (&C)", ""),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip or text.replace("&", ""))
        self.results_toggle_action.setText(self.tr("Search &Results Panel"))
        self.results_dock.setWindowTitle(self.tr("Search Results"))
        self.bookmarks_dock.setWindowTitle(self.tr("Bookmarks"))
        self.bookmarks_toggle_action.setText(self.tr("&Bookmarks Panel"))
        self._update_undo_texts()
        self.search_field.setPlaceholderText(self.tr("Search all bulletins  (Ctrl+K)"))
        self.search_field.setAccessibleName(self.tr("Search all bulletins"))
        self.search_icon.setText(self.tr("Search"))
        name_line_edit_buttons(self.search_field)
        self.toolbar.setWindowTitle(self.tr("Toolbar"))
        self.article.setAccessibleName(self.tr("Text of the section"))
        self.article.setPlaceholderText(self.tr("Choose a bulletin or a district on the left."))
        self.progress.setAccessibleName(self.tr("Progress"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the running task"))
        self.zoom_label.setAccessibleName(self.tr("Zoom"))
        self._on_article_zoom_changed(self.article.zoom())
        for button in self.toolbar.findChildren(QToolButton):
            if button.defaultAction() is not None:
                button.setAccessibleName(button.defaultAction().text().replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.bookmarks.poll()  # back from a terminal: show what `bookmarks add` kept
        super().changeEvent(event)

    # -- start-up ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the archive, then open the index, in the background (call once, after show())."""
        if self._started:
            return
        self._started = True
        if not cjk_font_available():
            self.notice.show_message(
                lambda: self.tr(
                    "No Chinese font is installed, so the text may show as empty boxes. "
                    "Install one, e.g. on Debian or Ubuntu: sudo apt install fonts-noto-cjk"
                )
            )
        self._show_progress(self.tr("Reading the archive…"), 0, 0, cancellable=False)
        self.runner.submit(
            "load archive", load_library, on_finished=self._on_load_finished, on_failed=self._on_load_failed
        )
        self.bookmarks_panel.refresh()  # built now, after the first paint
        self.bookmarks.open_in_background()
        self.bookmark_poll.start()

    def _on_load_finished(self, library: Library) -> None:
        self._hide_progress()
        self._set_library(library)
        self._restore_reading()
        self.library_loaded.emit()
        self._open_index(library)

    def _on_load_failed(self, message: str) -> None:
        self._hide_progress()
        self.report_error(self.tr("The archive could not be read."), message)
        self.library_loaded.emit()
        self._open_index(None)

    def _set_library(self, library: Library) -> None:
        self.library = library
        self.tree.set_bulletins(library.bulletins)
        self.bookmarks.set_bulletins(library.bulletins)  # re-attach bookmarks to the archive as it is
        shown = self.article.current_section()
        if shown is not None and library.get(shown[0]) is None:
            self.article.clear_article()

    def _open_index(self, library: Library | None) -> None:
        try:
            import viewer.search  # noqa: F401
        except ImportError as exc:  # only a broken installation gets here
            self.report_error(self.tr("Search is not available."), str(exc))
            self.index_ready.emit()
            return
        self._index_handle = self.runner.submit(
            "open index",
            open_index,
            library,
            on_finished=self._on_index_opened,
            on_failed=self._on_index_failed,
        )

    def _on_index_opened(self, state: IndexState) -> None:
        self._index = state.index
        if state.needs_sync:
            # Searches wait for the sync: an index still being filled would answer "no results".
            self.start_sync()
        else:
            self.search.set_index(state.index)
            self.index_ready.emit()

    def _on_index_failed(self, message: str) -> None:
        self.report_error(self.tr("The search index could not be opened."), message)
        self.index_ready.emit()

    def start_sync(self) -> None:
        """Bring the index up to date in the background (again, if one is running)."""
        if self._index is None:
            return
        if self._sync_handle is not None and not self._sync_handle.is_done():
            self._sync_again = True
            return
        self._sync_again = False
        self._show_progress(self.tr("Updating the search index…"), 0, 0, cancellable=True)
        self._sync_handle = self.runner.submit(
            "sync index",
            sync_index,
            self._index,
            self.library,
            wait=30.0,
            on_progress=self._on_sync_progressed,
            on_finished=self._on_sync_finished,
            on_failed=self._on_sync_failed,
        )

    def _on_sync_progressed(self, done: int, total: int, _name: str) -> None:
        self._show_progress(self.tr("Updating the search index…"), done, total, cancellable=True)

    def _on_sync_finished(self, report) -> None:
        self._hide_progress()
        if self._sync_again:
            self.start_sync()
            return
        if getattr(report, "busy", False):
            self.statusBar().showMessage(
                self.tr("Another window is updating the search index; results may be incomplete."), 8000
            )
        elif getattr(report, "cancelled", False):
            self.statusBar().showMessage(self.tr("Indexing stopped; search covers what was indexed."), 8000)
        self._search_from_index()
        self.index_ready.emit()

    def _on_sync_failed(self, message: str) -> None:
        self._hide_progress()
        self.report_error(self.tr("The search index could not be updated."), message)
        self._search_from_index()  # what the index holds is still worth searching
        self.index_ready.emit()

    def _search_from_index(self) -> None:
        if self.search.has_index():
            self.search.refresh()
        elif self._index is not None:
            self.search.set_index(self._index)

    def search_index(self):
        """The open SearchIndex, or None before it is opened."""
        return self._index

    # -- progress and errors (the one channel) -----------------------------------------------------
    def _show_progress(self, text: str, done: int, total: int, cancellable: bool) -> None:
        self.statusBar().showMessage(text)
        self.progress.setRange(0, max(0, total))
        if total:
            self.progress.setValue(done)
        self.progress.show()
        self.cancel_button.setVisible(cancellable)

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.statusBar().clearMessage()

    def report_error(self, summary: str, details: str = "") -> None:
        """Tell the user in plain words, without blocking the window."""
        log.info("%s %s", summary, details)
        self.statusBar().showMessage(f"{summary} {details}".strip(), 15000)
        self.task_failed.emit(f"{summary} {details}".strip())
        if self.isVisible() and not self.property("quiet"):
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Bulletin Viewer"), summary, parent=self)
            box.setInformativeText(details)
            plain_labels(box)  # summary and details name files and quote documents: never HTML
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _on_cancel_button_clicked(self) -> None:
        for handle in (self._import_handle, self._sync_handle):
            if handle is not None and not handle.is_done():
                handle.cancel()
        self.statusBar().showMessage(self.tr("Stopping…"))

    # -- reading -----------------------------------------------------------------------------------
    def show_section(self, bulletin_id: str, section: int | None, select_in_tree: bool = True) -> bool:
        """Show a section (an index into the bulletin's sections), or the bulletin's own page."""
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        if section is not None and not 0 <= section < len(bulletin.sections):
            section = None
        target = (bulletin.id, section)
        if self.article.current_section() != target:
            self.article.show_section(bulletin, section)
            self._highlight_query_in_section(None)
        if select_in_tree and self.tree.current_target() != target:
            self.tree.select(*target, emit=False)
        return True

    def _highlight_query_in_section(self, focus: tuple[int, int] | None, opened: int | None = None) -> int:
        """Mark every occurrence of the active query in the shown sections.

        Only where the search found something: a query's words also occur in passages
        that do not match it, and marking those would suggest hits that are not there.
        ``opened``: the section of the hit the view was opened from (it does match).
        """
        query = self.search.query()
        current = self.article.current_section()
        bulletin = self.article.bulletin()
        if not query or current is None or bulletin is None:
            self.article.clear_hits()
            return 0
        sections = [
            s
            for s in shown_sections(bulletin, current[1])
            if s == opened or self._section_matches(bulletin.id, s)
        ]
        if not sections:
            self.article.clear_hits()
            return 0
        from viewer.search import highlight_spans

        spans = section_spans(bulletin, sections, query, highlight_spans)
        return self.article.highlight_hits(spans, focus)

    def _section_matches(self, bulletin_id: str, section: int) -> bool:
        """Whether the last search found passages in this section (or lead, closing, title):
        exact, from the search's counts per section, which cover every match, not only the
        hits listed."""
        outcome = self.search.last_outcome
        if outcome is None or outcome.query != self.search.query():
            return False
        return bool(outcome.overall.section_counts.get((bulletin_id, section)))

    def open_hit(self, hit: Hit) -> None:
        """Show a hit's section, scroll to its paragraph and highlight every hit in the section."""
        place = (hit.section, hit.paragraph)
        bulletin = self.library.get(hit.bulletin_id)
        shown = self.article.current_section()
        if bulletin is None:
            self.report_error(self.tr("That bulletin is no longer in the archive."))
            return
        in_view = (
            shown is not None
            and shown[0] == bulletin.id
            and hit.section in shown_sections(bulletin, shown[1])
        )
        if not in_view:
            self.show_section(bulletin.id, view_of(hit.section))
        if self._highlight_query_in_section(place, opened=hit.section) == 0:
            # The query's words matched, not the literal text: mark what the search marked.
            self.article.highlight_hits([(*place, s, e) for s, e in hit.highlights], place)

    def show_passage(self, bulletin_id: str, section: int, paragraph: int, quote: str = "") -> bool:
        """Show a passage and select an exact quote in it (for bookmarks)."""
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        found = self.article.show_passage(bulletin, section, paragraph, quote)
        current = self.article.current_section()
        if current is not None:
            self.tree.select(*current, emit=False)
        return found

    def current_selection(self) -> SelectionRef | None:
        return self.article.current_selection()

    def _step_hit(self, forward: bool) -> None:
        if self.find_bar.isVisible() and self.find_bar.text():
            self._on_find_bar_stepped(forward)
            return
        moved = self.article.next_hit() if forward else self.article.previous_hit()
        if moved or not self.search.query():
            return
        # Past the last hit of this section: open the next result in another section.
        section = self.article.current_section()
        while self.search_panel.open_adjacent(forward):
            if self.article.current_section() != section:
                if not forward:
                    while self.article.next_hit():  # arrive at the last hit of the previous section
                        pass
                return
        self.statusBar().showMessage(self.tr("No more matches."), 3000)

    def _on_tree_section_chosen(self, bulletin_id: str, section: object) -> None:
        self.show_section(bulletin_id, section if isinstance(section, int) else None, select_in_tree=False)

    def _on_tree_mode_changed(self, mode: str) -> None:
        (
            self.by_district_action if mode == TreeMode.BY_DISTRICT.value else self.by_bulletin_action
        ).setChecked(True)

    def _on_article_zoom_changed(self, percent: int) -> None:
        self.zoom_label.setText(f"{percent}%")
        self.zoom_label.setToolTip(self.tr("Text size (Ctrl+0: actual size)"))

    def open_district(self, name: str) -> bool:
        """Show the first section of a district (by its name, "东城" or "东城区")."""
        key = district_key(name)
        for bulletin in self.library.bulletins:
            for index, section in enumerate(bulletin.sections):
                if section.district and section.key == key:
                    return self.show_section(bulletin.id, index)
        return False

    # -- search ------------------------------------------------------------------------------------
    def _on_search_action_triggered(self) -> None:
        self.results_dock.show()
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _on_search_field_text_changed(self, text: str) -> None:
        self.search.request(text, self.search_panel.district_filter())
        if text.strip() and not self.search.has_index():
            self.results_dock.show()
            self.search_panel.show_waiting(text.strip())  # the search runs once the index is open

    def _on_search_field_results_requested(self) -> None:
        if not self.search.last_outcome_matches():
            self.search.request(
                self.search_field.text(), self.search_panel.district_filter(), immediately=True
            )
            return
        self.results_dock.show()
        self.search_panel.focus_results()

    def _on_focus_results_action_triggered(self) -> None:
        self.results_dock.show()
        if not self.search_panel.focus_results():
            self.search_panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_search_finished(self, outcome: SearchOutcome) -> None:
        self.results_dock.show()
        self.search_panel.show_outcome(outcome)
        self.tree.set_search_result(outcome.overall)
        self._highlight_query_in_section(None)
        if self.search_field.hasFocus() is False and self.search_panel.view.hasFocus():
            self.search_panel.focus_results()
        self.search_shown.emit(outcome)

    def _on_search_failed(self, query: str, message: str) -> None:
        self.search_panel.show_failure(query, message)
        self.tree.set_search_result(None)

    def _on_search_cleared(self) -> None:
        self.search_panel.show_idle()
        self.tree.set_search_result(None)
        self.article.clear_hits()

    def _on_search_panel_district_filter_changed(self, key: object) -> None:
        self.search.request(self.search_field.text(), key if isinstance(key, str) else None, immediately=True)

    def run_search(self, query: str, district: str | None = None) -> None:
        """Put ``query`` in the field and search now (used by --search and tests)."""
        self.search_field.blockSignals(True)
        self.search_field.setText(query)
        self.search_field.blockSignals(False)
        self.search.request(query, district_key(district) if district else None, immediately=True)

    # -- find in section ---------------------------------------------------------------------------
    def _on_find_action_triggered(self) -> None:
        self.find_bar.show()
        selected = self.article.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 40:
            self.find_bar.edit.setText(selected)
        self.find_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.edit.selectAll()
        self._on_find_bar_text_changed(self.find_bar.text())

    def _on_find_bar_text_changed(self, text: str) -> None:
        count = self.article.find_in_section(text)
        self.find_bar.show_count(0, count)
        if count:
            self.find_bar.show_count(*self.article.find_step(True))

    def _on_find_bar_stepped(self, forward: bool) -> None:
        self.find_bar.show_count(*self.article.find_step(forward))

    def _on_find_bar_closed(self) -> None:
        self.article.clear_find()
        self.find_bar.hide()
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- import ------------------------------------------------------------------------------------
    def _on_import_action_triggered(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import Bulletins"),
            read_text(self.settings, "import/folder", str(Path.home())),
            self.tr("Documents (%1);;All files (*)").replace("%1", " ".join(f"*{s}" for s in SUFFIXES)),
        )
        if files:
            self.settings.setValue("import/folder", str(Path(files[0]).parent))
            self.import_files([Path(f) for f in files])

    def import_files(self, files: Sequence[Path]) -> bool:
        """Import in the background; False if an import is already running."""
        if self._import_handle is not None and not self._import_handle.is_done():
            self.statusBar().showMessage(self.tr("An import is already running."), 5000)
            return False
        files = list(files)
        self._show_progress(
            self.tr("Importing %n file(s)…", "", len(files)), 0, len(files) * IMPORT_STEPS, cancellable=True
        )
        self._import_handle = self.runner.submit(
            "import",
            import_bulletins,
            files,
            on_progress=self._on_import_progressed,
            on_finished=self._on_import_finished,
            on_failed=self._on_import_failed,
        )
        return True

    def _on_import_progressed(self, done: int, total: int, name: str) -> None:
        # The archive counts IMPORT_STEPS a file; a PDF moves through them page by page.
        text = (
            self.tr("Importing %1 (%2 of %3)…")
            .replace("%1", name)
            .replace("%2", str(min(done // IMPORT_STEPS + 1, max(1, total // IMPORT_STEPS))))
            .replace("%3", str(total // IMPORT_STEPS))
            if name
            else self.tr("Importing…")
        )
        self._show_progress(text, done, total, cancellable=True)

    def _on_import_finished(self, outcome: ImportOutcome) -> None:
        self._hide_progress()
        report = outcome.report
        self._set_library(outcome.library)
        if report.imported:
            first = report.imported[0]
            self.show_section(first.id, None)
            self.start_sync()
        parts = [self.tr("%n bulletin(s) imported", "", len(report.imported))]
        if report.duplicates:
            parts.append(self.tr("%n already in the archive", "", len(report.duplicates)))
        if report.failed:
            parts.append(self.tr("%n failed", "", len(report.failed)))
        if report.cancelled:
            parts.append(self.tr("stopped before the end"))
        summary = ", ".join(parts) + "."
        self.statusBar().showMessage(summary, 10000)
        if report.failed:
            details = "\n".join(f"{path.name}: {reason}" for path, reason in report.failed)
            self.report_error(self.tr("Some files could not be imported."), details)
        self.import_finished.emit(outcome)

    def _on_import_failed(self, message: str) -> None:
        self._hide_progress()
        self.report_error(self.tr("The import failed."), message)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        files = [f for f in files if f.is_file()]
        if files:
            event.acceptProposedAction()
            self.import_files(files)

    # -- bookmarks ---------------------------------------------------------------------------------
    def bookmark_selection(self) -> bool:
        """Ctrl+D: bookmark the selected text (or, with nothing selected, the paragraph at the
        text cursor); the dialog asks for a note and tags. False if there is nothing to keep."""
        ref = self.article.current_selection()
        if ref is not None:
            return self._bookmark_passage(
                ref.bulletin_id,
                ref.section,
                ref.paragraph,
                ref.start,
                ref.end,
                self.article.selection_is_cut(),
            )
        place = self.article.passage_at()
        current = self.article.current_section()
        if place is None or current is None:
            self.statusBar().showMessage(
                self.tr(
                    "Select text in a paragraph first (or right-click a paragraph to bookmark all of it)."
                ),
                8000,
            )
            return False
        return self._bookmark_passage(current[0], place[0], place[1], None, None)

    def bookmark_paragraph(self, section: int, paragraph: int) -> bool:
        """Bookmark a whole paragraph (or headline) of the shown section."""
        current = self.article.current_section()
        if current is None:
            return False
        return self._bookmark_passage(current[0], section, paragraph, None, None)

    def _bookmark_passage(
        self, bulletin_id: str, section: int, paragraph: int, start: int | None, end: int | None, cut=False
    ) -> bool:
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        try:
            draft = make_bookmark(bulletin, section, paragraph, start, end)
        except PassageError:
            self.statusBar().showMessage(self.tr("There is no text in the selection to bookmark."), 8000)
            return False
        try:
            self.bookmarks.store()  # opened now if the background opening has not finished
        except BookmarkError as exc:
            self.report_error(self.tr("Bookmarks are not available."), str(exc))
            return False
        existing = self.bookmarks.same_passage(draft)
        if existing is not None:
            self._show_existing_bookmark(existing)
            return False
        notice = ""
        if cut:
            notice = self.tr(
                "The selection runs over several paragraphs; only its part in the first one is bookmarked."
            )
            self.statusBar().showMessage(notice, 8000)
        from viewer.ui.bookmark_dialog import BookmarkDialog  # not needed before the first bookmark

        dialog = BookmarkDialog(draft, self.bookmarks.tags(), self, notice=notice)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_new_bookmark(draft, dialog.note(), dialog.tags()))
        dialog.finished.connect(self._on_bookmark_dialog_finished)
        self.bookmark_dialog = dialog
        dialog.open()
        return True

    def _on_bookmark_dialog_finished(self, _result: int) -> None:
        self.bookmark_dialog = None

    def _save_new_bookmark(self, draft: Bookmark, note: str, tags: tuple[str, ...]) -> None:
        try:
            saved = self.bookmarks.add(replace(draft, note=note, tags=tags))
        except DuplicateBookmarkError as exc:
            self._show_existing_bookmark(exc.existing)
            return
        except BookmarkError as exc:
            self.report_error(self.tr("The bookmark could not be saved."), str(exc))
            return
        self.undo_stack.push(added_command(self.bookmarks, self.tr("Add Bookmark"), saved))
        self.bookmarks_panel.select_bookmark(saved.id)
        self.statusBar().showMessage(
            self.tr("Bookmarked: %1 (Ctrl+4: bookmarks).").replace("%1", place_text(saved)), 8000
        )
        self.bookmark_saved.emit(saved)

    def _show_existing_bookmark(self, existing: Bookmark) -> None:
        self.bookmarks_dock.show()
        self.bookmarks_dock.raise_()
        self.bookmarks_panel.select_bookmark(existing.id)
        self.statusBar().showMessage(
            self.tr("This passage is already bookmarked; it is selected in the Bookmarks panel."), 8000
        )

    def open_bookmark(self, bookmark: Bookmark) -> bool:
        """Show a bookmark's passage with its exact quote selected; False if it cannot be found."""
        bulletin = self.library.get(bookmark.bulletin_id)
        anchor = locate(bookmark, bulletin) if bulletin is not None else None
        if bulletin is None or anchor is None:
            self.statusBar().showMessage(
                self.tr(
                    "The passage of this bookmark is no longer in the archive; its quote and note are kept."
                ),
                8000,
            )
            return False
        self.article.show_passage(bulletin, anchor.section, anchor.paragraph)
        current = self.article.current_section()
        if current is not None:
            self.tree.select(*current, emit=False)
        self.article.select_spans(anchor.section, anchor.spans)
        self.article.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def edit_bookmark(self, bookmark: Bookmark) -> None:
        """The dialog with the note and tags of a bookmark; saving can be undone."""
        before = self.bookmarks.get(bookmark.id) or bookmark
        from viewer.ui.bookmark_dialog import BookmarkDialog

        dialog = BookmarkDialog(before, self.bookmarks.tags(), self, editing=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_edited_bookmark(before, dialog.note(), dialog.tags()))
        dialog.finished.connect(self._on_bookmark_dialog_finished)
        self.bookmark_dialog = dialog
        dialog.open()

    def _save_edited_bookmark(self, before: Bookmark, note: str, tags: tuple[str, ...]) -> None:
        if note == before.note and tags == before.tags:
            return
        try:
            after = self.bookmarks.update(before.id, note, tags)
        except BookmarkError as exc:
            self.report_error(self.tr("The bookmark could not be saved."), str(exc))
            return
        self.undo_stack.push(edited_command(self.bookmarks, self.tr("Edit Bookmark"), before, after))

    def delete_bookmarks(self, chosen: Sequence[Bookmark]) -> int:
        """Remove bookmarks (Ctrl+Z brings them back); returns how many were removed."""
        removed: list[Bookmark] = []
        try:
            for bookmark in chosen:
                removed.extend(self.bookmarks.remove([bookmark.id]))
        except BookmarkError as exc:
            self.report_error(self.tr("The bookmark could not be deleted."), str(exc))
        if removed:
            text = self.tr("Delete %n Bookmark(s)", "", len(removed))
            self.undo_stack.push(removed_command(self.bookmarks, text, removed))
            self.statusBar().showMessage(
                self.tr("%n bookmark(s) deleted; Ctrl+Z brings them back.", "", len(removed)), 8000
            )
        return len(removed)

    def _update_undo_texts(self, _text: str = "") -> None:
        undo, redo = self.undo_stack.undoText(), self.undo_stack.redoText()
        self.undo_action.setText(self.tr("&Undo %1").replace("%1", undo) if undo else self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo %1").replace("%1", redo) if redo else self.tr("&Redo"))

    def _refresh_bookmark_marks(self, *_args: object) -> None:
        """Mark the passages of the shown section that hold bookmarks."""
        bulletin = self.article.bulletin()
        current = self.article.current_section()
        if bulletin is None or current is None:
            return
        shown = shown_sections(bulletin, current[1])
        marks = []
        for b in self.bookmarks.for_bulletin(bulletin.id):
            section = section_of(b, bulletin)
            if section in shown:
                marks.append((section, b.paragraph))
        self.article.mark_paragraphs(marks)

    def _on_bookmarks_store_opened(self) -> None:
        kept = self.bookmarks.recovered_from()
        if kept is None:
            return

        def text() -> str:
            return self.tr(
                "Your bookmarks file was damaged and could not be read. It was kept as %1, "
                "and a new, empty bookmarks file was started."
            ).replace("%1", str(kept))

        self.notice.add_message(text)
        self.statusBar().showMessage(text(), 15000)

    def _on_bookmark_poll_timeout(self) -> None:
        if self.isActiveWindow():
            self.bookmarks.poll()

    def _on_focus_bookmarks_action_triggered(self) -> None:
        self.bookmarks_dock.show()
        self.bookmarks_dock.raise_()
        self.bookmarks_panel.focus_list()

    def _on_article_context_menu_requested(self, pos: QPoint) -> None:
        menu = self.article.createStandardContextMenu(pos)
        menu.addSeparator()
        selection = menu.addAction(icon("bookmark"), self.tr("&Bookmark Selection…"))
        selection.setShortcut(QKeySequence("Ctrl+D"))
        selection.setEnabled(self.article.current_selection() is not None)
        selection.triggered.connect(self.bookmark_selection)
        place = self.article.passage_at(pos)
        paragraph = menu.addAction(self.tr("Bookmark This &Paragraph…"))
        paragraph.setEnabled(place is not None)
        if place is not None:
            paragraph.triggered.connect(lambda: self.bookmark_paragraph(*place))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.article_menu = menu
        menu.popup(self.article.viewport().mapToGlobal(pos))

    def _on_export_bookmarks_action_triggered(self) -> None:
        filters = {
            "markdown": self.tr("Markdown (*.md)"),
            "csv": self.tr("CSV for spreadsheets (*.csv)"),
            "json": self.tr("JSON, complete, can be imported (*.json)"),
        }
        from PySide6.QtWidgets import QFileDialog

        from viewer.store.bookmark_export import FORMATS, SUFFIXES

        fmt = read_text(self.settings, "bookmarks/format", "markdown")
        fmt = fmt if fmt in FORMATS else "markdown"
        folder = Path(read_text(self.settings, "bookmarks/folder", str(Path.home())))
        name, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Bookmarks"),
            str(folder / f"bookmarks{SUFFIXES[fmt]}"),
            ";;".join(filters.values()),
            filters[fmt],
        )
        if not name:
            return
        path = Path(name)
        by_suffix = {suffix: f for f, suffix in SUFFIXES.items()}
        fmt = by_suffix.get(path.suffix.lower()) or next((f for f, t in filters.items() if t == chosen), fmt)
        if path.suffix.lower() not in by_suffix:
            path = path.with_name(path.name + SUFFIXES[fmt])
        self.settings.setValue("bookmarks/folder", str(path.parent))
        self.settings.setValue("bookmarks/format", fmt)
        self.export_bookmarks_to(path, fmt)

    def export_bookmarks_to(self, path: Path, fmt: str) -> TaskHandle | None:
        """Write every bookmark to ``path`` in the background (atomically)."""
        try:
            self.bookmarks.store()
        except BookmarkError as exc:
            self.report_error(self.tr("Bookmarks are not available."), str(exc))
            return None
        chosen = self.bookmarks.bookmarks()
        if not chosen:
            self.statusBar().showMessage(self.tr("There are no bookmarks to export yet."), 8000)
            return None
        return self.runner.submit(
            "export bookmarks",
            export_bookmarks,
            chosen,
            fmt,
            path,
            on_finished=lambda count: self.statusBar().showMessage(
                self.tr("%n bookmark(s) exported to %1.", "", count).replace("%1", str(path)), 10000
            ),
            on_failed=lambda message: self.report_error(
                self.tr("The bookmarks could not be exported."), message
            ),
        )

    def _on_import_bookmarks_action_triggered(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import Bookmarks"),
            read_text(self.settings, "bookmarks/folder", str(Path.home())),
            self.tr("Bookmarks exported as JSON (*.json);;All files (*)"),
        )
        if name:
            self.settings.setValue("bookmarks/folder", str(Path(name).parent))
            self.import_bookmarks_from(Path(name))

    def import_bookmarks_from(self, path: Path) -> TaskHandle | None:
        """Add the bookmarks of a JSON export in the background (passages already kept are skipped)."""
        try:
            store = self.bookmarks.store()
        except BookmarkError as exc:
            self.report_error(self.tr("Bookmarks are not available."), str(exc))
            return None
        return self.runner.submit(
            "import bookmarks",
            import_bookmarks,
            store,
            path,
            self.library.bulletins,
            on_finished=self._on_bookmark_import_finished,
            on_failed=lambda message: self.report_error(
                self.tr("The bookmarks could not be imported."), message
            ),
        )

    def _on_bookmark_import_finished(self, outcome: BookmarkImportOutcome) -> None:
        self.bookmarks.reload()
        parts = [self.tr("%n bookmark(s) imported", "", len(outcome.report.added))]
        if outcome.report.duplicates:
            parts.append(self.tr("%n already kept", "", len(outcome.report.duplicates)))
        if outcome.orphaned:
            parts.append(self.tr("%n not found in the archive", "", outcome.orphaned))
        self.statusBar().showMessage(", ".join(parts) + ".", 10000)

    # -- look and language -------------------------------------------------------------------------
    def set_theme(self, choice: ThemeChoice) -> None:
        self._theme_choice = choice
        self.theme_actions[choice].setChecked(True)
        self.settings.setValue("ui/theme", choice.value)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, choice)

    def _on_style_hints_color_scheme_changed(self, _scheme) -> None:
        if self._theme_choice is ThemeChoice.SYSTEM:
            self.set_theme(ThemeChoice.SYSTEM)

    def set_language(self, choice: LanguageChoice) -> None:
        self.language_actions[choice].setChecked(True)
        self.settings.setValue("ui/language", choice.value)
        self.translations.apply(choice)

    def _on_about_action_triggered(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            self.tr("About Bulletin Viewer"),
            self.tr(
                "Bulletin Viewer %1\n\nAn offline reader for archives of Chinese regulatory bulletins: "
                "read by district, search every bulletin, keep what matters."
            ).replace("%1", __version__),
        )

    # -- state -------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = self.settings  # every value read with a default: settings.ini may hold anything
        geometry = read_bytes(s, "window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 760)
        state = read_bytes(s, "window/state")
        restored = state is not None and self.restoreState(state)
        if restored and read_int(s, "window/layout", 1) < LAYOUT_VERSION:
            # Saved before the bookmarks dock existed: put it beside the results, as new windows have it.
            self.tabifyDockWidget(self.results_dock, self.bookmarks_dock)
            self.results_dock.raise_()
        sizes = read_bytes(s, "window/splitter")
        if sizes is None or not self.splitter.restoreState(sizes):
            self.splitter.setSizes([260, 640])
            self.resizeDocks([self.results_dock], [320], Qt.Orientation.Horizontal)
        self.tree.set_mode(read_choice(s, "tree/mode", TreeMode.BY_BULLETIN))
        order = read_choice(s, "tree/order", TreeOrder.DATE)
        self.order_actions[order].setChecked(True)
        self.tree.set_order(order)
        self.article.set_zoom(read_int(s, "reading/zoom", DEFAULT_ZOOM))
        self._on_article_zoom_changed(self.article.zoom())

    def _restore_reading(self) -> None:
        s = self.settings
        bulletin_id = str(s.value("reading/bulletin", "") or "")
        bulletin = self.library.get(bulletin_id) if bulletin_id else None
        section: int | None = None
        try:
            section = int(s.value("reading/section", ""))
        except (TypeError, ValueError):
            district = str(s.value("reading/district", "") or "")  # saved by version 0.1
            if bulletin is not None and district and bulletin.section(district) is not None:
                section = bulletin.section_index(district)
        if bulletin is not None and self.show_section(bulletin.id, section):
            try:
                scroll = int(s.value("reading/scroll", 0))
            except (TypeError, ValueError):
                scroll = 0
            self._pending_scroll = scroll
            QTimer.singleShot(0, self._apply_pending_scroll)
        elif self.library.bulletins:
            first = self.library.bulletins[0]
            self.show_section(first.id, None)

    def _apply_pending_scroll(self) -> None:
        if self._pending_scroll is not None:
            self.article.verticalScrollBar().setValue(self._pending_scroll)
            self._pending_scroll = None

    def set_persistent(self, persistent: bool) -> None:
        """Whether closing saves the window state (not in a --screenshot run)."""
        self._persistent = persistent

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/layout", LAYOUT_VERSION)
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("tree/mode", self.tree.mode().value)
        s.setValue("tree/order", self.tree.order().value)
        s.setValue("reading/zoom", self.article.zoom())
        current = self.article.current_section()
        if current is not None:
            s.setValue("reading/bulletin", current[0])
            s.setValue("reading/section", "" if current[1] is None else current[1])
            s.remove("reading/district")
            s.setValue("reading/scroll", self.article.verticalScrollBar().value())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._persistent:
            self.save_state()
        self.bookmark_poll.stop()
        self.runner.shutdown()
        self.bookmarks.close()
        if self._index is not None and hasattr(self._index, "close"):
            self._index.close()
        super().closeEvent(event)
