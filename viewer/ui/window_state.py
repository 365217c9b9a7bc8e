"""What the window remembers between runs: every settings key it reads or writes, in one place.

Its one job is settings.ini for the window: the size, docks and panel sizes, the tree's
view and order, the text size, the section being read and where, how the text is shown
(font family, traditional characters, paragraph numbers), theme and language, and the
folders and format last used in file dialogs. Every value is read with a guarded
default (``viewer.ui.settings``): the file is the user's and may hold anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from viewer.ui.article_document import DEFAULT_ZOOM
from viewer.ui.i18n import LanguageChoice
from viewer.ui.nodes import TreeMode, TreeOrder
from viewer.ui.script_display import ScriptChoice
from viewer.ui.settings import read_bool, read_bytes, read_choice, read_int, read_text
from viewer.ui.theme import ThemeChoice

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

LAYOUT_VERSION = 2  # saved window states from version 1 have no bookmarks dock
DEFAULT_SIZE = (1180, 760)
DEFAULT_SPLIT = [260, 640]
DEFAULT_RESULTS_WIDTH = 320

#: The docks as a new window has them, in Qt's saved form (``QMainWindow.saveState``): the
#: search results on the right, DEFAULT_RESULTS_WIDTH wide, the bookmarks and the measures
#: as tabs beside them, the results in front. Restoring it places docks never added with
#: ``addDockWidget``, whose area is a Qt enum (viewer.ui.qt_namespace). If the docks change,
#: tests/ui/test_window_layout.py fails and prints the new value.
DEFAULT_DOCKS = (
    b"AAAA/wAAAAD9AAAAAQAAAAEAAAFAAAACovwCAAAAAfwAAAA6AAACogAAACoBAAAZ+gAAAAACAAAAA/sAAAAWAHIA"
    b"ZQBzAHUAbAB0AHMARABvAGMAawEAAAAA/////wAAABAA////+wAAABoAYgBvAG8AawBtAGEAcgBrAHMARABvAGMA"
    b"awEAAAAA/////wAAABAA////+wAAABgAbQBlAGEAcwB1AHIAZQBzAEQAbwBjAGsBAAAAAP////8AAAAQAP///wAA"
    b"A1YAAAKiAAAABAAAAAQAAAAIAAAACPwAAAABAAAAAgAAAAEAAAAWAG0AYQBpAG4AVABvAG8AbABiAGEAcgEAAAAA"
    b"/////wAAAAAAAAAA"
)

THEME = "ui/theme"
SYSTEM_DARK = "ui/system-dark"  # the desktop's colour scheme when last asked: the first frame's
LANGUAGE = "ui/language"
GEOMETRY = "window/geometry"
DOCKS = "window/state"
LAYOUT = "window/layout"
SPLITTER = "window/splitter"
TREE_MODE = "tree/mode"
TREE_ORDER = "tree/order"
ZOOM = "reading/zoom"
READING_BULLETIN = "reading/bulletin"
READING_SECTION = "reading/section"
READING_DISTRICT = "reading/district"  # written by version 0.1, read once
READING_SCROLL = "reading/scroll"
READING_NUMBERS = "reading/paragraph-numbers"
READING_SCRIPT = "reading/script"
READING_FONT = "reading/font-family"
PRINT_FOLDER = "print/folder"
IMPORT_FOLDER = "import/folder"
BOOKMARKS_FOLDER = "bookmarks/folder"
BOOKMARKS_FORMAT = "bookmarks/format"


class SavedReading(NamedTuple):
    """The section being read when the window closed (section None: the bulletin's page, or
    a district name from version 0.1 to look up)."""

    bulletin_id: str
    section: int | None
    district: str
    scroll: int


class WindowState:
    """The window's settings, read and written by key."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    # -- look and language ---------------------------------------------------------------
    def theme(self) -> ThemeChoice:
        return read_choice(self.settings, THEME, ThemeChoice.SYSTEM)

    def system_dark(self) -> bool | None:
        """Whether the desktop asked for dark colours when last asked (None: never asked)."""
        if self.settings.value(SYSTEM_DARK) is None:
            return None
        return read_bool(self.settings, SYSTEM_DARK, False)

    def set_system_dark(self, dark: bool) -> None:
        self.settings.setValue(SYSTEM_DARK, dark)

    def set_theme(self, choice: ThemeChoice) -> None:
        self.settings.setValue(THEME, choice.value)

    def language(self) -> LanguageChoice:
        return read_choice(self.settings, LANGUAGE, LanguageChoice.SYSTEM)

    def set_language(self, choice: LanguageChoice) -> None:
        self.settings.setValue(LANGUAGE, choice.value)

    # -- how the text is shown ------------------------------------------------------------
    def paragraph_numbers(self) -> bool:
        return read_bool(self.settings, READING_NUMBERS, False)

    def set_paragraph_numbers(self, shown: bool) -> None:
        self.settings.setValue(READING_NUMBERS, bool(shown))

    def script(self) -> ScriptChoice:
        return read_choice(self.settings, READING_SCRIPT, ScriptChoice.PUBLISHED)

    def set_script(self, choice: ScriptChoice) -> None:
        self.settings.setValue(READING_SCRIPT, choice.value)

    def text_font(self) -> str:
        """The font family chosen for the text ("": the default families)."""
        family = read_text(self.settings, READING_FONT, "").strip()
        return family if len(family) <= 200 and family.isprintable() else ""

    def set_text_font(self, family: str) -> None:
        self.settings.setValue(READING_FONT, family)

    # -- file dialogs --------------------------------------------------------------------
    def print_folder(self) -> str:
        return read_text(self.settings, PRINT_FOLDER, str(Path.home()))

    def set_print_folder(self, folder: Path) -> None:
        self.settings.setValue(PRINT_FOLDER, str(folder))

    def import_folder(self) -> str:
        return read_text(self.settings, IMPORT_FOLDER, str(Path.home()))

    def set_import_folder(self, folder: Path) -> None:
        self.settings.setValue(IMPORT_FOLDER, str(folder))

    def bookmarks_folder(self) -> str:
        return read_text(self.settings, BOOKMARKS_FOLDER, str(Path.home()))

    def set_bookmarks_folder(self, folder: Path) -> None:
        self.settings.setValue(BOOKMARKS_FOLDER, str(folder))

    def export_format(self, known: tuple[str, ...] | dict, default: str = "markdown") -> str:
        fmt = read_text(self.settings, BOOKMARKS_FORMAT, default)
        return fmt if fmt in known else default

    def set_export_format(self, fmt: str) -> None:
        self.settings.setValue(BOOKMARKS_FORMAT, fmt)

    # -- the window ----------------------------------------------------------------------
    def restore_layout(self, window: MainWindow) -> None:
        """Size, docks, splitter, tree view and order, text size (defaults where unreadable)."""
        s = self.settings
        geometry = read_bytes(s, GEOMETRY)
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(*DEFAULT_SIZE)
        # The docks where a new window has them, then where the user left them: a dock that a
        # saved state does not know (added since) keeps its new place.
        window.restoreState(QByteArray.fromBase64(DEFAULT_DOCKS))
        state = read_bytes(s, DOCKS)
        restored = state is not None and window.restoreState(state)
        if restored and read_int(s, LAYOUT, 1) < LAYOUT_VERSION:
            # Saved before the bookmarks dock existed: put it beside the results, as new windows have it.
            window.tabifyDockWidget(window.results_dock, window.bookmarks_dock)
            window.results_dock.raise_()
        sizes = read_bytes(s, SPLITTER)
        if sizes is None or not window.splitter.restoreState(sizes):
            window.splitter.setSizes(DEFAULT_SPLIT)
        window.tree.set_mode(read_choice(s, TREE_MODE, TreeMode.BY_BULLETIN))
        order = read_choice(s, TREE_ORDER, TreeOrder.DATE)
        window.commands.order_actions[order].setChecked(True)
        window.tree.set_order(order)
        window.article.set_zoom(read_int(s, ZOOM, DEFAULT_ZOOM))

    def saved_reading(self) -> SavedReading:
        s = self.settings
        section: int | None
        try:
            section = int(s.value(READING_SECTION, ""))
        except (TypeError, ValueError):
            section = None
        district = "" if section is not None else read_text(s, READING_DISTRICT, "")
        return SavedReading(
            read_text(s, READING_BULLETIN, ""), section, district, read_int(s, READING_SCROLL, 0, minimum=0)
        )

    def save(self, window: MainWindow) -> None:
        s = self.settings
        s.setValue(GEOMETRY, window.saveGeometry())
        s.setValue(DOCKS, window.saveState())
        s.setValue(LAYOUT, LAYOUT_VERSION)
        s.setValue(SPLITTER, window.splitter.saveState())
        s.setValue(TREE_MODE, window.tree.mode().value)
        s.setValue(TREE_ORDER, window.tree.order().value)
        s.setValue(ZOOM, window.article.zoom())
        current = window.article.current_section()
        if current is not None:
            s.setValue(READING_BULLETIN, current[0])
            s.setValue(READING_SECTION, "" if current[1] is None else current[1])
            s.remove(READING_DISTRICT)
            s.setValue(READING_SCROLL, window.article.verticalScrollBar().value())
        s.sync()
