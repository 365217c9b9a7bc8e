"""The main window: it builds the panels and components and wires them, in one place.

Its one job is assembly. ``_build`` makes the widgets (the district tree and the article
in a splitter, search results and bookmarks as tabbed docks on the right, a toolbar with
the search field, the status bar with progress and Cancel) and the components that do
the work — ``LibraryController`` (archive, index, import), ``SearchController``,
``ReadingController`` (what the article shows), ``BookmarkWorkflows``, ``WindowCommands``
(actions and menus) and ``WindowState`` (settings). ``_connect_signals`` connects them to
each other directly, as qutebrowser's main window does (``ReaderTools`` wires print, PDF,
citations and the text's display beside it; ``LaterParts`` makes and wires the results
panel, the bookmark workflows and panel and the measures view after the first frame); what
is left here is the docks, focus, the status bar as the one channel for errors, and
start-up and closing.

Start-up order: the archive is read (at once when it is small, so that the first frame
holds the text) and the last section restored; once that text has painted (``text_shown``),
the results panel and the bookmark workflows are made, and the search index is opened and
brought up to date and the bookmarks are read, in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.model import district_key
from viewer.ui import theme
from viewer.ui.article import ArticleView
from viewer.ui.bookmarks import BookmarkService
from viewer.ui.i18n import LanguageChoice, Translations
from viewer.ui.later_parts import LaterParts
from viewer.ui.library_controller import LibraryController
from viewer.ui.nodes import TreeMode, TreeOrder
from viewer.ui.qt_namespace import Qt
from viewer.ui.reader_tools import ReaderTools
from viewer.ui.reading_controller import ReadingController
from viewer.ui.search_controller import SearchController
from viewer.ui.status_bar import StatusBar
from viewer.ui.tasks import TaskRunner
from viewer.ui.theme import ThemeChoice, cjk_font_available, icon
from viewer.ui.tree_panel import TreePanel
from viewer.ui.widgets import NoticeBar, SearchField, name_line_edit_buttons
from viewer.ui.window_commands import WindowCommands
from viewer.ui.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent

    from viewer.model import Bookmark, Hit


# Dialogs, drops and the font check are loaded when first used: every Qt class that is
# touched costs a little at start-up (PySide6 makes them on first use), before the first paint.

log = logging.getLogger("viewer.ui")

DOCK_MIN_WIDTH = 240


class MainWindow(QMainWindow):
    library_loaded = Signal()
    index_ready = Signal()  # the index is open and covers the archive (or could not be)
    search_shown = Signal(object)  # SearchOutcome, after the results are on screen
    task_failed = Signal(str)  # every error reported to the user passes here
    text_shown = Signal()  # the archive was read and the article's next frame painted

    def __init__(self, settings: QSettings, translations: Translations | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.translations = translations or Translations()
        self.window_state = WindowState(settings)
        self.runner = TaskRunner(self)
        self._started = False
        self._shown = False
        self._persistent = True
        self._theme_choice = self.window_state.theme()
        self.setObjectName("mainWindow")
        self.setWindowIcon(theme.app_icon())
        self.setAcceptDrops(True)
        self._build()
        self._connect_signals()
        self.reader_tools = ReaderTools(self)
        self._retranslate()
        self.window_state.restore_layout(self)
        self.status.show_zoom(self.article.zoom())
        self.tree.view.setFocus()

    # -- construction ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.later = LaterParts(self)
        self.tree = TreePanel(self)
        self.tree.setMinimumWidth(180)
        self.article = ArticleView(self)
        self.notice = NoticeBar(self)
        reading = QWidget(self)
        reading.setObjectName("readingPane")
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.notice)
        reading_layout.addWidget(self.article, 1)  # the find bar goes below, when first opened
        self.reading_layout = reading_layout
        self.splitter = QSplitter()  # horizontal; QSplitter(self) would match Qt.Orientation first
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(reading)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.setCentralWidget(self.splitter)

        # The docks are placed by window_state.restore_layout (DEFAULT_DOCKS, then the saved state).
        self.results_dock = self._dock("resultsDock")  # its panel is made once the text is shown
        self.bookmarks_dock = self._dock("bookmarksDock")  # its panel is made after the first paint
        self.measures_dock = self._dock("measuresDock")  # its view is made when first shown

        self.library = LibraryController(self.runner, self)
        self.search = SearchController(self.runner, self)
        self.reading = ReadingController(
            self.article, self.tree, lambda: self.find_bar, self.search, lambda: self.search_panel, self
        )
        # Bookmarks: the store opens in the background once the text is on screen (start()),
        # and the workflows (dialogs, undo, export) are made then, or when first asked for.
        self.bookmarks = BookmarkService(self.runner, self)
        self.commands = WindowCommands(
            self, self.results_dock, self.bookmarks_dock, self._theme_choice, self.window_state.language()
        )
        self._build_toolbar()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.commands.add_dock_toggle(self.bookmarks_dock)
        self.commands.add_dock_toggle(self.measures_dock)
        self.measures_dock.visibilityChanged.connect(lambda shown: shown and self.measures_view)

    def _dock(self, name: str) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        dock.setMinimumWidth(DOCK_MIN_WIDTH)
        return dock

    def _build_toolbar(self) -> None:
        c = self.commands
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.addToolBar(self.toolbar)  # at the top, icons only (the window's tool button style)
        self.toolbar.addAction(c.import_action)
        self.toolbar.addSeparator()
        for action in (c.zoom_out_action, c.zoom_in_action, c.find_action, c.bookmark_action):
            self.toolbar.addAction(action)
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

    def add_side_dock(self, dock: QDockWidget) -> None:
        """Place another panel (e.g. bookmarks) beside the search results, as a tab."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName so that its place is remembered")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.results_dock, dock)
        self.results_dock.raise_()
        self.commands.add_dock_toggle(dock)

    # The parts made after the first frame, each when first needed (viewer.ui.later_parts).
    find_bar = property(lambda self: self.later.find_bar())
    bookmarks_panel = property(lambda self: self.later.bookmarks_panel())
    search_panel = property(lambda self: self.later.search_panel())
    bookmark_workflows = property(lambda self: self.later.bookmark_workflows())
    measures_view = property(lambda self: self.later.measures_view())

    # -- wiring: the one place ---------------------------------------------------------------------
    def _connect_signals(self) -> None:
        c, status = self.commands, self.status
        library, search, reading = self.library, self.search, self.reading
        article, tree = self.article, self.tree

        def to_panel(slot: str):  # the panel is made when first needed; the order of slots is kept
            return lambda *args: getattr(self.search_panel, slot)(*args)

        def to_marks(slot: str):  # an action wants the workflows: they are made then
            return lambda *args: getattr(self.bookmark_workflows, slot)(*args)

        def if_marks(slot: str):  # news for the workflows, if they are made yet
            return lambda *args: (
                self.later.made_bookmark_workflows is not None
                and getattr(self.later.made_bookmark_workflows, slot)(*args)
            )

        def focus(widget: QWidget):
            return lambda: widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

        c.import_action.triggered.connect(self._on_import_action_triggered)
        c.quit_action.triggered.connect(self.close)
        c.copy_action.triggered.connect(article.copy)
        c.select_all_action.triggered.connect(article.selectAll)
        c.search_action.triggered.connect(self.focus_search_field)
        c.find_action.triggered.connect(reading.open_find)
        c.next_hit_action.triggered.connect(lambda: reading.step_hit(True))
        c.previous_hit_action.triggered.connect(lambda: reading.step_hit(False))
        c.zoom_in_action.triggered.connect(article.zoom_in)
        c.zoom_out_action.triggered.connect(article.zoom_out)
        c.zoom_reset_action.triggered.connect(article.reset_zoom)
        c.focus_tree_action.triggered.connect(focus(tree.view))
        c.focus_article_action.triggered.connect(focus(article))
        c.focus_results_action.triggered.connect(self._on_focus_results_action_triggered)
        c.focus_bookmarks_action.triggered.connect(self._on_focus_bookmarks_action_triggered)
        c.about_action.triggered.connect(self._on_about_action_triggered)
        c.tree_mode_group.triggered.connect(lambda a: tree.set_mode(TreeMode(a.data())))
        c.tree_order_group.triggered.connect(lambda a: tree.set_order(TreeOrder(a.data())))
        c.theme_group.triggered.connect(lambda a: self.set_theme(ThemeChoice(a.data())))
        c.language_group.triggered.connect(lambda a: self.set_language(LanguageChoice(a.data())))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

        # The archive and the index.
        library.progressed.connect(status.show_progress)
        library.progress_ended.connect(status.hide_progress)
        library.status_posted.connect(status.showMessage)
        library.failed.connect(self.report_error)
        library.changed.connect(lambda lib: tree.set_bulletins(lib.bulletins))
        library.changed.connect(lambda lib: self.bookmarks.set_bulletins(lib.bulletins))  # re-anchor
        library.changed.connect(reading.set_library)
        library.changed.connect(if_marks("set_library"))
        library.loaded.connect(lambda: reading.restore(self.window_state.saved_reading()))
        library.loaded.connect(self.library_loaded)
        library.index_ready.connect(search.set_index)
        library.index_ready.connect(lambda _index: self.index_ready.emit())
        # After an import the reader stays where they were (only an empty article shows the new one).
        library.imported.connect(lambda o: article.current_section() is None and reading.show_imported(o))
        status.cancel_requested.connect(library.cancel)

        # Reading: the tree and the article (the find bar: viewer.ui.later_parts).
        tree.section_chosen.connect(reading.on_tree_section_chosen)
        tree.mode_changed.connect(c.set_tree_mode)
        tree.reading_requested.connect(lambda: article.setFocus(Qt.FocusReason.OtherFocusReason))
        article.zoom_changed.connect(status.show_zoom)
        reading.status_posted.connect(status.showMessage)
        reading.failed.connect(self.report_error)

        # Search: the field, the controller, the results; the tree and the article show the hits.
        self.search_field.textChanged.connect(search.set_query)
        self.search_field.results_requested.connect(self._on_search_field_results_requested)
        search.search_started.connect(self._show_results)
        search.search_waiting.connect(to_panel("show_waiting"))
        search.search_finished.connect(to_panel("show_outcome"))
        search.search_finished.connect(lambda outcome: tree.set_search_result(outcome.overall))
        search.search_finished.connect(reading.refresh_highlights)
        search.search_finished.connect(self.search_shown)  # last: everything is on screen
        search.search_extended.connect(to_panel("extend_outcome"))
        search.search_failed.connect(to_panel("show_failure"))
        search.search_failed.connect(lambda *_: tree.set_search_result(None))
        search.search_cleared.connect(to_panel("show_idle"))
        search.search_cleared.connect(lambda: tree.set_search_result(None))
        search.search_cleared.connect(article.clear_hits)

        # Bookmarks.
        c.bookmark_action.triggered.connect(to_marks("bookmark_selection"))
        c.undo_action.triggered.connect(lambda: self.bookmark_workflows.undo_stack.undo())
        c.redo_action.triggered.connect(lambda: self.bookmark_workflows.undo_stack.redo())
        c.export_bookmarks_action.triggered.connect(to_marks("export_with_dialog"))
        c.import_bookmarks_action.triggered.connect(to_marks("import_with_dialog"))
        article.menu_requested.connect(to_marks("show_article_menu"))
        article.section_shown.connect(if_marks("refresh_marks"))
        self.bookmarks.bookmarks_changed.connect(if_marks("refresh_marks"))
        self.bookmarks.store_opened.connect(if_marks("on_store_opened"))
        self.bookmarks.failed.connect(self.report_error)

    # -- texts -------------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Bulletin Viewer"))
        if self.later.made_bookmark_workflows is not None:  # the undo texts, before the Edit menu shows them
            self.later.made_bookmark_workflows.retranslate()
        self.commands.retranslate()
        self.results_dock.setWindowTitle(self.tr("Search Results"))
        self.bookmarks_dock.setWindowTitle(self.tr("Bookmarks"))
        self.measures_dock.setWindowTitle(self.tr("Measures"))
        self.search_field.setPlaceholderText(self.tr("Search all bulletins  (Ctrl+K)"))
        self.search_field.setAccessibleName(self.tr("Search all bulletins"))
        self.search_icon.setText(self.tr("Search"))
        name_line_edit_buttons(self.search_field)
        self.toolbar.setWindowTitle(self.tr("Toolbar"))
        self.article.setAccessibleName(self.tr("Text of the section"))
        self.article.setPlaceholderText(self.tr("Choose a bulletin or a district on the left."))
        for button in self.toolbar.findChildren(QToolButton):
            if button.defaultAction() is not None:
                button.setAccessibleName(button.defaultAction().text().replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.bookmarks.poll()  # back from a terminal: show what `bookmarks add` kept
        super().changeEvent(event)

    # -- start-up and closing ----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            from viewer.ui.first_paint import AfterNextPaint

            self._shown = True
            AfterNextPaint(self.article, self.article.painted, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What takes Qt enums, set once the first frame is painted: making them Python objects
        builds all of Qt's namespace (viewer.ui.qt_namespace), which that frame does without."""
        self.article.allow_keyboard_selection()
        self.commands.add_view_shortcuts()
        self.reader_tools.commands.add_text_shortcuts()
        dark = theme.follow_desktop(QApplication.instance(), self._theme_choice)
        if self._persistent and self.window_state.system_dark() is not dark:
            self.window_state.set_system_dark(dark)  # for the next start's first frame

    def start(self) -> None:
        """Read the archive (at once if it is small, else in the background); once its text has
        painted, open the index and the bookmarks in the background (call once, after show())."""
        if self._started:
            return
        self._started = True
        # The index and the bookmarks (their panel, their store) come once the text is on screen.
        self.library.loaded.connect(self._after_next_paint)
        self.library.start()

    def _after_next_paint(self) -> None:
        from viewer.ui.first_paint import AfterNextPaint

        self.library.loaded.disconnect(self._after_next_paint)  # once (not a Qt single-shot: an enum)
        AfterNextPaint(self.article, self.article.painted, self._on_text_shown)

    def _on_text_shown(self) -> None:
        if not cjk_font_available():
            self.notice.show_message(
                lambda: self.tr(
                    "No Chinese font is installed, so the text may show as empty boxes. "
                    "Install one, e.g. on Debian or Ubuntu: sudo apt install fonts-noto-cjk"
                )
            )
        self.search_panel  # noqa: B018 - made now, before any result
        self.text_shown.emit()
        self.library.open_index()
        self.bookmarks_panel.refresh()
        self.bookmark_workflows.start()

    def set_persistent(self, persistent: bool) -> None:
        """Whether closing saves the window state (not in a --screenshot run)."""
        self._persistent = persistent

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._persistent:
            self.window_state.save(self)
        if self.later.made_bookmark_workflows is not None:
            self.later.made_bookmark_workflows.poll_timer.stop()
        self.runner.shutdown()
        self.bookmarks.close()
        self.library.close()
        super().closeEvent(event)

    # -- what the program asks of the window (--search, --district, --screenshot) ------------------
    def run_search(self, query: str, district: str | None = None) -> None:
        """Put ``query`` in the field and search now (used by --search and tests)."""
        self.search_field.blockSignals(True)
        self.search_field.setText(query)
        self.search_field.blockSignals(False)
        self.search.request(query, district_key(district) if district else None, immediately=True)

    def open_district(self, name: str) -> bool:
        """Show the first section of a district (by its name, "东城" or "东城区")."""
        return self.reading.open_district(name)

    def open_hit(self, hit: Hit) -> None:
        self.reading.open_hit(hit)

    def search_index(self):
        """The open SearchIndex, or None before it is opened."""
        return self.library.search_index()

    # -- progress and errors (the one channel) -----------------------------------------------------
    def report_error(self, summary: str, details: str = "") -> None:
        """Tell the user in plain words, without blocking the window."""
        log.info("%s %s", summary, details)
        self.status.showMessage(f"{summary} {details}".strip(), 15000)
        self.task_failed.emit(f"{summary} {details}".strip())
        if self.isVisible() and not self.property("quiet"):
            from PySide6.QtWidgets import QMessageBox

            from viewer.ui.message_box import message_box

            box = message_box(QMessageBox.Icon.Warning, self.tr("Bulletin Viewer"), summary, details, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # -- docks and focus ---------------------------------------------------------------------------
    def _show_results(self) -> None:
        """A search started: the results come to the front (before the bookmarks, say)."""
        self.results_dock.show()
        self.results_dock.raise_()

    def focus_search_field(self) -> None:
        self._show_results()
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _on_search_field_results_requested(self) -> None:
        if not self.search.last_outcome_matches():
            self.search.request(
                self.search_field.text(), self.search_panel.district_filter(), immediately=True
            )
            return
        self._show_results()
        self.search_panel.focus_results()

    def _on_focus_results_action_triggered(self) -> None:
        self._show_results()
        if not self.search_panel.focus_results():
            self.search_panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_focus_bookmarks_action_triggered(self) -> None:
        self.bookmarks_dock.show()
        self.bookmarks_dock.raise_()
        self.bookmarks_panel.focus_list()

    def reveal_bookmark(self, bookmark: Bookmark) -> None:
        self.bookmarks_dock.show()
        self.bookmarks_dock.raise_()
        self.bookmarks_panel.select_bookmark(bookmark.id)

    # -- look and language -------------------------------------------------------------------------
    def set_theme(self, choice: ThemeChoice) -> None:
        self._theme_choice = choice
        self.commands.theme_actions[choice].setChecked(True)
        self.window_state.set_theme(choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, choice)

    def _on_style_hints_color_scheme_changed(self, _scheme) -> None:
        if self._theme_choice is ThemeChoice.SYSTEM:
            self.set_theme(ThemeChoice.SYSTEM)

    def set_language(self, choice: LanguageChoice) -> None:
        self.commands.language_actions[choice].setChecked(True)
        self.window_state.set_language(choice)
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

    # -- import ------------------------------------------------------------------------------------
    def _on_import_action_triggered(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from viewer.formats import SUFFIXES

        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import Bulletins"),
            self.window_state.import_folder(),
            self.tr("Documents (%1);;All files (*)").replace("%1", " ".join(f"*{s}" for s in SUFFIXES)),
        )
        if files:
            self.window_state.set_import_folder(Path(files[0]).parent)
            self.library.import_files([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files: Sequence[Path] = [
            Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()
        ]
        files = [f for f in files if f.is_file()]
        if files:
            event.acceptProposedAction()
            self.library.import_files(files)
