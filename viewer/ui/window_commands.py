"""The window's commands: every QAction with its keys, icon and texts, and the menu bar.

Its one job is the command surface. Each action gets each of its keys once: a standard
key (``QKeySequence.StandardKey.Find``) and the same key written out (``"Ctrl+F"``) on
one action made Qt report "Ambiguous shortcut overload" and do nothing, so keys are
expanded and de-duplicated here. Actions are added to the window, so their shortcuts
work with the menu bar hidden; what they do is wired in the window's ``_connect_signals``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

from viewer.ui.i18n import LanguageChoice
from viewer.ui.nodes import TreeMode, TreeOrder
from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import ThemeChoice, icon

Key = QKeySequence | QKeySequence.StandardKey | str


def key_sequences(keys: Sequence[Key]) -> list[QKeySequence]:
    """Every key sequence of ``keys`` once, in order (a standard key may stand for several)."""
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for key in keys:
        sequences = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for sequence in sequences:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if text and text not in seen:
                seen.add(text)
                out.append(sequence)
    return out


class WindowCommands(QObject):
    """The actions (``*_action``, action groups) and the menus (``*_menu``) of one window."""

    def __init__(
        self,
        window: QMainWindow,
        results_dock: QDockWidget,
        bookmarks_dock: QDockWidget,
        theme: ThemeChoice,
        language: LanguageChoice,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._undo_texts = ("", "")
        self.import_action = self._action("import", [QKeySequence.StandardKey.Open, "Ctrl+O"])
        self.quit_action = self._action(None, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.copy_action = self._action(None)  # its key: add_view_shortcuts
        self.select_all_action = self._action(None)
        self.search_action = self._action("search", ["Ctrl+K", "Ctrl+Shift+F"])
        self.find_action = self._action("find", ["Ctrl+F", QKeySequence.StandardKey.Find])
        self.next_hit_action = self._action("go-down", ["F3"])
        self.previous_hit_action = self._action("go-up", ["Shift+F3"])
        self.zoom_in_action = self._action("zoom-in", ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn])
        self.zoom_out_action = self._action("zoom-out", ["Ctrl+-", QKeySequence.StandardKey.ZoomOut])
        self.zoom_reset_action = self._action(None, ["Ctrl+0"])
        self.focus_tree_action = self._action(None, ["Ctrl+1"])
        self.focus_article_action = self._action(None, ["Ctrl+2"])
        self.focus_results_action = self._action(None, ["Ctrl+3"])
        self.focus_bookmarks_action = self._action(None, ["Ctrl+4"])
        self.results_toggle_action = results_dock.toggleViewAction()
        self.bookmarks_toggle_action = bookmarks_dock.toggleViewAction()
        self.about_action = self._action("about")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.bookmark_action = self._action("bookmark", ["Ctrl+D"])
        self.undo_action = self._action(None, [QKeySequence.StandardKey.Undo, "Ctrl+Z"])
        self.redo_action = self._action(None, ["Ctrl+Shift+Z", QKeySequence.StandardKey.Redo])
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.export_bookmarks_action = self._action(None)
        self.import_bookmarks_action = self._action(None)

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
            action = self.order_actions[order] = self._checkable(self.tree_order_group, order.value)
        self.order_actions[TreeOrder.DATE].setChecked(True)
        self.theme_group = QActionGroup(self)
        self.theme_actions = {c: self._checkable(self.theme_group, c.value) for c in ThemeChoice}
        self.theme_actions[theme].setChecked(True)
        self.language_group = QActionGroup(self)
        self.language_actions = {c: self._checkable(self.language_group, c.value) for c in LanguageChoice}
        self.language_actions[language].setChecked(True)
        self._build_menus()

    def _action(self, icon_name: str | None = None, keys: Sequence[Key] = ()) -> QAction:
        action = QAction(self._window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if keys:
            action.setShortcuts(key_sequences(keys))
        self._window.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _checkable(self, group: QActionGroup, data: str) -> QAction:
        action = self._action(None)
        action.setCheckable(True)
        action.setData(data)
        group.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        self.file_menu = bar.addMenu("")
        self.edit_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        self._fill(self.file_menu, [self.import_action, None, self.import_bookmarks_action])
        self._fill(self.file_menu, [self.export_bookmarks_action, None, self.quit_action])
        self._fill(self.edit_menu, [self.undo_action, self.redo_action, None, self.copy_action])
        self._fill(
            self.edit_menu, [self.select_all_action, None, self.bookmark_action, None, self.search_action]
        )
        self._fill(self.edit_menu, [self.find_action, self.next_hit_action, self.previous_hit_action])
        self._fill(self.view_menu, [self.by_bulletin_action, self.by_district_action, None])
        self._fill(
            self.view_menu, [self.order_actions[TreeOrder.DATE], self.order_actions[TreeOrder.TITLE], None]
        )
        self._fill(self.view_menu, [self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action, None])
        self._fill(
            self.view_menu, [self.focus_tree_action, self.focus_article_action, self.focus_results_action]
        )
        self._fill(self.view_menu, [self.focus_bookmarks_action, self.results_toggle_action, None])
        self.theme_menu = self.view_menu.addMenu(icon("theme"), "")
        self._fill(self.theme_menu, list(self.theme_actions.values()))
        self.language_menu = self.view_menu.addMenu(icon("language"), "")
        self._fill(self.language_menu, list(self.language_actions.values()))
        self.help_menu.addAction(self.about_action)

    @staticmethod
    def _fill(menu, actions: Sequence[QAction | None]) -> None:
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def add_view_shortcuts(self) -> None:
        """Ctrl+C beside Copy in the menu, a key the views handle themselves (a shortcut of
        the window alone). Set once the first frame is painted: the context is a Qt enum
        (viewer.ui.qt_namespace); no key can be pressed before that frame."""
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.setShortcuts(key_sequences([QKeySequence.StandardKey.Copy]))

    def add_dock_toggle(self, dock: QDockWidget) -> None:
        """A side dock's show/hide action, listed before the results panel's."""
        self.view_menu.insertAction(self.results_toggle_action, dock.toggleViewAction())

    def set_undo_text(self, undo: str) -> None:
        """What Ctrl+Z would undo (empty: nothing)."""
        self._set_undo_texts(undo, self._undo_texts[1])

    def set_redo_text(self, redo: str) -> None:
        """What Ctrl+Shift+Z would redo (empty: nothing)."""
        self._set_undo_texts(self._undo_texts[0], redo)

    def _set_undo_texts(self, undo: str, redo: str) -> None:
        self._undo_texts = (undo, redo)
        self.undo_action.setText(self.tr("&Undo %1").replace("%1", undo) if undo else self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo %1").replace("%1", redo) if redo else self.tr("&Redo"))

    def set_tree_mode(self, mode: str) -> None:
        """The tree's view changed (from its own box): check the matching menu item."""
        (
            self.by_district_action if mode == TreeMode.BY_DISTRICT.value else self.by_bulletin_action
        ).setChecked(True)

    def retranslate(self) -> None:
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
        self.bookmarks_toggle_action.setText(self.tr("&Bookmarks Panel"))
        self._set_undo_texts(*self._undo_texts)
