"""UI languages: English (the source) and Simplified Chinese, plus Qt's own dialogs.

The language follows the system locale unless the user picks one in the View menu.
Switching installs the new translators; every widget retranslates itself on the
LanguageChange event that follows.
"""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from viewer import paths

log = logging.getLogger("viewer.ui")


class LanguageChoice(enum.StrEnum):
    SYSTEM = "system"
    ENGLISH = "en"
    CHINESE = "zh_CN"


def resolve(choice: LanguageChoice, system_locale: QLocale | None = None) -> LanguageChoice:
    if choice is not LanguageChoice.SYSTEM:
        return choice
    locale = system_locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese:
        return LanguageChoice.CHINESE
    return LanguageChoice.ENGLISH


class Translations:
    """Owns the installed translators of the application."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = LanguageChoice.ENGLISH

    def apply(self, choice: LanguageChoice) -> LanguageChoice:
        """Install the catalogues for ``choice``; returns the language now in use."""
        app = QCoreApplication.instance()
        language = resolve(choice)
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()
        if language is LanguageChoice.CHINESE:
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._load("qtbase_zh_CN", qt_dir)
            self._load("viewer_zh_CN", str(paths.resource_path("translations")))
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        else:
            # English is the source language; its catalogue only holds the plural forms.
            self._load("viewer_en", str(paths.resource_path("translations")))
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        self.language = language
        if app is not None:
            app.setProperty("viewerLanguage", language.value)
        return language

    def _load(self, name: str, directory: str) -> None:
        translator = QTranslator()
        if translator.load(name, directory):
            QCoreApplication.installTranslator(translator)
            self._installed.append(translator)
        else:
            log.warning("translation %s not found in %s", name, directory)
