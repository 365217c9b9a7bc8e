"""Fixtures that drive the real main window (offscreen; settings under BULLETIN_VIEWER_HOME)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from viewer import paths
from viewer.ui.i18n import LanguageChoice, Translations
from viewer.ui.main_window import MainWindow

BUNDLED_ID_PREFIX = ""  # the bundled bulletin is the first in the archive


@pytest.fixture
def open_window(qtbot):
    """Open a window as the program does (English UI), wait until the archive and index are ready."""
    windows = []

    def _open(language: LanguageChoice = LanguageChoice.ENGLISH) -> MainWindow:
        settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
        translations = Translations()
        translations.apply(language)
        window = MainWindow(settings, translations)
        window.setProperty("quiet", True)  # errors still reach task_failed and the status bar
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignals([window.library_loaded, window.index_ready], timeout=60_000):
            window.start()
        windows.append((window, translations))
        return window

    yield _open
    for window, translations in windows:
        if window.isVisible():
            window.close()
        translations.apply(LanguageChoice.ENGLISH)


def type_text(widget, text: str) -> None:
    """Type Chinese as an input method delivers it: one committed character at a time."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)
