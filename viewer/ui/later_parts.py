"""The window's parts that are made after its first frame, each when first needed.

The results panel, the bookmark workflows (bookmarking, editing, undo, exchange), the
bookmarks panel, the measures view and the find bar are not needed to show the text, so the
window's first frame neither imports nor builds them: the window makes the first three once
the text has painted (``MainWindow._on_text_shown``), the measures view when its dock is
first shown, the find bar when it is first opened, and any of them sooner if an action or a
search asks for it. Each is wired here when it is made — its part of the window's wiring
(``MainWindow._connect_signals`` holds the rest, and reaches these parts only through the
window's properties).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from viewer.ui.qt_namespace import Qt

if TYPE_CHECKING:
    from viewer.ui.bookmark_workflows import BookmarkWorkflows
    from viewer.ui.bookmarks_panel import BookmarksPanel
    from viewer.ui.main_window import MainWindow
    from viewer.ui.measures_view import MeasuresView
    from viewer.ui.search_panel import SearchPanel
    from viewer.ui.widgets import FindBar


class LaterParts:
    """Makes and wires, once each, the parts of ``window`` that can wait."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.made_find_bar: FindBar | None = None
        self.made_search_panel: SearchPanel | None = None
        self.made_bookmark_workflows: BookmarkWorkflows | None = None
        self.made_bookmarks_panel: BookmarksPanel | None = None
        self.made_measures_view: MeasuresView | None = None

    def find_bar(self) -> FindBar:
        """The find-in-section bar below the article, made when first opened (Ctrl+F)."""
        if self.made_find_bar is None:
            from PySide6.QtWidgets import QWidget

            from viewer.ui.widgets import FindBar

            w = self._window
            bar = self.made_find_bar = FindBar(w)
            bar.hide()
            w.reading_layout.addWidget(bar)
            # Tab from the text goes into the bar, then through its buttons.
            stops = (w.article, bar.edit, bar.previous_button, bar.next_button, bar.close_button)
            for before, after in pairwise(stops):
                QWidget.setTabOrder(before, after)
            bar.text_changed.connect(w.reading.on_find_bar_text_changed)
            bar.stepped.connect(w.reading.on_find_bar_stepped)
            bar.closed.connect(w.reading.on_find_bar_closed)
        return self.made_find_bar

    def search_panel(self) -> SearchPanel:
        if self.made_search_panel is None:
            from viewer.ui.search_panel import SearchPanel

            w = self._window
            panel = self.made_search_panel = SearchPanel(w)
            w.results_dock.setWidget(panel)
            panel.hit_opened.connect(w.reading.open_hit)
            panel.district_filter_changed.connect(w.search.set_district)
            panel.more_requested.connect(w.search.load_more)
            panel.focus_field_requested.connect(w.focus_search_field)
            panel.reading_requested.connect(lambda: w.article.setFocus(Qt.FocusReason.OtherFocusReason))
        return self.made_search_panel

    def bookmark_workflows(self) -> BookmarkWorkflows:
        if self.made_bookmark_workflows is None:
            from viewer.ui.bookmark_workflows import BookmarkWorkflows

            w = self._window
            marks = BookmarkWorkflows(w.bookmarks, w.article, w.reading, w.runner, w.window_state, w)
            self.made_bookmark_workflows = marks
            c, stack = w.commands, marks.undo_stack
            stack.canUndoChanged.connect(c.undo_action.setEnabled)
            stack.canRedoChanged.connect(c.redo_action.setEnabled)
            stack.undoTextChanged.connect(c.set_undo_text)
            stack.redoTextChanged.connect(c.set_redo_text)
            marks.failed.connect(w.report_error)
            marks.status_posted.connect(w.status.showMessage)
            marks.notice_posted.connect(w.notice.add_message)
            marks.bookmark_saved.connect(lambda saved: self.bookmarks_panel().select_bookmark(saved.id))
            marks.already_kept.connect(w.reveal_bookmark)
            marks.set_library(w.library.library)
            marks.retranslate()
        return self.made_bookmark_workflows

    def bookmarks_panel(self) -> BookmarksPanel:
        if self.made_bookmarks_panel is None:
            from viewer.ui.bookmarks_panel import BookmarksPanel

            w = self._window
            panel = self.made_bookmarks_panel = BookmarksPanel(w.bookmarks, w)
            w.bookmarks_dock.setWidget(panel)
            marks = self.bookmark_workflows()
            panel.bookmark_opened.connect(marks.open_bookmark)
            panel.edit_requested.connect(marks.edit_bookmark)
            panel.delete_requested.connect(marks.delete_bookmarks)
        return self.made_bookmarks_panel

    def measures_view(self) -> MeasuresView:
        """The districts × measure types view, made when its dock is first shown."""
        if self.made_measures_view is None:
            from viewer.ui.measures_view import MeasuresView

            w = self._window
            view = self.made_measures_view = MeasuresView(lambda: w.library.bulletins, w.runner, parent=w)
            w.measures_dock.setWidget(view)
            w.library.changed.connect(lambda *_args: view.refresh())
            view.passage_requested.connect(w.reading.open_passage)
            view.failed.connect(w.report_error)
            view.status_posted.connect(w.status.showMessage)
            view.refresh()
        return self.made_measures_view
