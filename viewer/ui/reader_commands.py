"""The reader tools' commands: their actions, keys and texts, and their places in the menus.

Its one job is that part of the command surface (``window_commands`` holds the rest, and
its ``key_sequences`` gives each action each of its keys once). File: Print…, Print Whole
Bulletin…, Export as PDF…, Export Whole Bulletin as PDF…; Edit: Copy with Citation; View:
Paragraph Numbers, Traditional Characters, Text Font ▸, Next / Previous Section.

Next / Previous Section are ``Ctrl+PgDown`` / ``Ctrl+PgUp`` anywhere in the window, and
``Alt+Down`` / ``Alt+Up`` where the text has the focus (elsewhere ``Alt+Down`` opens a combo
box's list, which a window-wide key would take away). What the actions do is wired in
``reader_tools``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from viewer.ui.qt_namespace import Qt
from viewer.ui.theme import CJK_FAMILIES, installed_cjk_families
from viewer.ui.window_commands import Key, WindowCommands, key_sequences


class ReaderCommands(QObject):
    """The reader tools' actions (``*_action``) and the Text Font menu (``font_menu``)."""

    font_chosen = Signal(str)  # a family, or "" for the default families

    def __init__(self, window: QMainWindow, commands: WindowCommands, article: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._article = article
        self._family = ""
        self.print_action = self._action(window, [QKeySequence.StandardKey.Print, "Ctrl+P"])
        self.print_bulletin_action = self._action(window)
        self.export_pdf_action = self._action(window, ["Ctrl+Shift+E"])
        self.export_bulletin_pdf_action = self._action(window)
        self.copy_citation_action = self._action(window, ["Ctrl+Shift+C"])
        self.next_section_action = self._action(window, ["Ctrl+PgDown"])
        self.previous_section_action = self._action(window, ["Ctrl+PgUp"])
        self.paragraph_numbers_action = self._action(window)
        self.paragraph_numbers_action.setCheckable(True)
        self.traditional_action = self._action(window)
        self.traditional_action.setCheckable(True)
        self.font_menu = QMenu(window)
        self.font_group = QActionGroup(self)
        self.font_menu.aboutToShow.connect(self._fill_font_menu)
        self.font_group.triggered.connect(lambda action: self.font_chosen.emit(action.data() or ""))
        self._place(commands)

    def add_text_shortcuts(self) -> None:
        """Next and previous section in the text on Alt+Down and Alt+Up too, keys that combo
        boxes elsewhere use: shortcuts of the article alone. Set once the first frame is
        painted: the context is a Qt enum (viewer.ui.qt_namespace)."""
        for action, key in ((self.next_section_action, "Alt+Down"), (self.previous_section_action, "Alt+Up")):
            alias = self._action(self._article, [key])
            alias.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            alias.triggered.connect(action.trigger)

    @staticmethod
    def _action(owner: QWidget, keys: Sequence[Key] = ()) -> QAction:
        action = QAction(owner)
        if keys:
            action.setShortcuts(key_sequences(keys))
        owner.addAction(action)  # the window's: with the menu bar hidden too; the article's: there
        return action

    def _place(self, commands: WindowCommands) -> None:
        file_menu, view_menu = commands.file_menu, commands.view_menu
        for action in (
            self.print_action,
            self.print_bulletin_action,
            self.export_pdf_action,
            self.export_bulletin_pdf_action,
        ):
            file_menu.insertAction(commands.quit_action, action)
        file_menu.insertSeparator(commands.quit_action)
        commands.edit_menu.insertAction(commands.select_all_action, self.copy_citation_action)
        before = commands.focus_tree_action
        view_menu.insertAction(before, self.paragraph_numbers_action)
        view_menu.insertAction(before, self.traditional_action)
        view_menu.insertMenu(before, self.font_menu)
        view_menu.insertSeparator(before)
        view_menu.insertAction(before, self.next_section_action)
        view_menu.insertAction(before, self.previous_section_action)
        view_menu.insertSeparator(before)

    # -- Text Font ---------------------------------------------------------------------------------
    def set_font_family(self, family: str) -> None:
        """The family in use ("": the default), checked when the menu is next shown."""
        self._family = family

    def _fill_font_menu(self) -> None:
        """The installed Chinese fonts, read when the menu opens (not at start-up)."""
        for action in self.font_group.actions():
            self.font_group.removeAction(action)
            action.deleteLater()
        self.font_menu.clear()
        installed = installed_cjk_families()
        default = next((f for f in CJK_FAMILIES if f in installed), CJK_FAMILIES[-1])
        automatic = self.font_menu.addAction(self.tr("&Default (%1)").replace("%1", default))
        automatic.setData("")
        self.font_menu.addSeparator()
        for family in installed:
            action = self.font_menu.addAction(family.replace("&", "&&"))  # no mnemonic
            action.setData(family)
        for action in self.font_menu.actions():
            if action.isSeparator():
                continue
            action.setCheckable(True)
            self.font_group.addAction(action)
            action.setChecked(action.data() == (self._family if self._family in installed else ""))

    # -- texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.font_menu.setTitle(self.tr("Text &Font"))
        texts = {
            self.print_action: (self.tr("&Print…"), self.tr("Print what the article shows (Ctrl+P)")),
            self.print_bulletin_action: (
                self.tr("Print &Whole Bulletin…"),
                self.tr("Print the whole bulletin: every district or heading"),
            ),
            self.export_pdf_action: (
                self.tr("Export as P&DF…"),
                self.tr("Save what the article shows as a PDF file (Ctrl+Shift+E)"),
            ),
            self.export_bulletin_pdf_action: (self.tr("Export Whole Bulletin &as PDF…"), ""),
            self.copy_citation_action: (
                self.tr("Copy with Ci&tation"),
                self.tr("Copy the selection with a line that cites it (Ctrl+Shift+C)"),
            ),
            self.next_section_action: (
                self.tr("N&ext Section"),
                self.tr("The next section in the tree (Ctrl+PgDown; Alt+Down in the text)"),
            ),
            self.previous_section_action: (
                self.tr("Pre&vious Section"),
                self.tr("The previous section in the tree (Ctrl+PgUp; Alt+Up in the text)"),
            ),
            self.paragraph_numbers_action: (
                self.tr("Paragraph &Numbers"),
                self.tr("Number the paragraphs in the margin, as citations count them"),
            ),
            self.traditional_action: (
                self.tr("Traditional &Characters"),
                self.tr(
                    "Show the text in traditional characters (search and bookmarks keep it as published)"
                ),
            ),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip or text.replace("&", ""))
            action.setStatusTip(tip)
