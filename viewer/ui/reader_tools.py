"""The reader's tools, wired to the window: print and PDF, copy with citation, next and
previous section, paragraph numbers, traditional characters and the text font.

Its one job is that wiring, kept beside the window's ``_connect_signals`` so the window stays
assembly only: it builds the tools' commands (``reader_commands``), the citation copy
(``citation_copy``) and printing (``print_export``), connects them to the article, the tree
and the status bar (the one channel for errors), and restores how the text is shown from
the settings (``WindowState``), saving each change when it is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from viewer.ui.citation_copy import CitationCopy
from viewer.ui.print_export import PrintExport
from viewer.ui.reader_commands import ReaderCommands
from viewer.ui.script_display import ScriptChoice, display_converter

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class ReaderTools(QObject):
    """The reader tools of one window (``commands``, ``citations``, ``printing``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.commands = ReaderCommands(window, window.commands, window.article)
        self.citations = CitationCopy(window.article, self)
        self.printing = PrintExport(window.article, window.runner, window.window_state, window)
        self._restore()
        self._connect()
        self.commands.retranslate()
        window.installEventFilter(self)  # LanguageChange: the texts anew

    def _restore(self) -> None:
        state, article, c = self.window.window_state, self.window.article, self.commands
        numbers = state.paragraph_numbers()
        article.set_paragraph_numbers(numbers)
        c.paragraph_numbers_action.setChecked(numbers)
        script = state.script()
        article.set_display(display_converter(script))
        c.traditional_action.setChecked(script is ScriptChoice.TRADITIONAL)
        family = state.text_font()
        article.set_text_family(family)
        c.set_font_family(family)

    def _connect(self) -> None:
        c, window, printing = self.commands, self.window, self.printing
        c.print_action.triggered.connect(lambda: printing.print_with_dialog(whole=False))
        c.print_bulletin_action.triggered.connect(lambda: printing.print_with_dialog(whole=True))
        c.export_pdf_action.triggered.connect(lambda: printing.export_pdf_with_dialog(whole=False))
        c.export_bulletin_pdf_action.triggered.connect(lambda: printing.export_pdf_with_dialog(whole=True))
        c.copy_citation_action.triggered.connect(self.citations.copy)
        c.next_section_action.triggered.connect(lambda: self.step_section(True))
        c.previous_section_action.triggered.connect(lambda: self.step_section(False))
        c.paragraph_numbers_action.toggled.connect(self.set_paragraph_numbers)
        c.traditional_action.toggled.connect(
            lambda on: self.set_script(ScriptChoice.TRADITIONAL if on else ScriptChoice.PUBLISHED)
        )
        c.font_chosen.connect(self.set_text_font)
        self.citations.status_posted.connect(window.status.showMessage)
        printing.status_posted.connect(window.status.showMessage)
        printing.failed.connect(window.report_error)
        printing.progressed.connect(window.status.show_progress)
        printing.progress_ended.connect(window.status.hide_progress)
        window.status.cancel_requested.connect(printing.cancel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.commands.retranslate()
        return False

    # -- what the commands do ----------------------------------------------------------------------
    def step_section(self, forward: bool) -> bool:
        """Alt+Down / Alt+Up: the next or previous section in the tree's order, chosen in the
        tree as a click would; False (and a word in the status bar) at either end."""
        window = self.window
        if window.tree.step(forward, window.article.current_section()):
            return True
        last = self.tr("This is the last section.") if forward else self.tr("This is the first section.")
        window.status.showMessage(last, 3000)
        return False

    def set_paragraph_numbers(self, shown: bool) -> None:
        self.commands.paragraph_numbers_action.setChecked(shown)
        self.window.article.set_paragraph_numbers(shown)
        self.window.window_state.set_paragraph_numbers(shown)

    def set_script(self, choice: ScriptChoice) -> None:
        """Show the text as published or in traditional characters (display only)."""
        self.commands.traditional_action.setChecked(choice is ScriptChoice.TRADITIONAL)
        self.window.article.set_display(display_converter(choice))
        self.window.window_state.set_script(choice)

    def set_text_font(self, family: str) -> None:
        """Set the text in ``family`` ("": the default families, in order)."""
        self.commands.set_font_family(family)
        self.window.article.set_text_family(family)
        self.window.window_state.set_text_font(family)
