"""UI languages: English (the source) and Simplified Chinese, plus Qt's own dialogs.

The language follows the system locale unless the user picks one in the View menu.
Switching installs the new translators; every widget retranslates itself on the
LanguageChange event that follows.

Qt's own dialogs are translated by its qtbase_zh_CN catalogue (from PySide6's translations
folder), loaded with ours and unloaded on switching back to English. That catalogue lacks a
few strings the file dialog shows; ``QT_STRINGS_MISSING`` lists them so that they are
extracted into our catalogue, which is looked in first. (Offscreen and where no platform
dialog exists, Qt's own file dialog is the one shown; a native one speaks the desktop's
language.)
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from viewer import paths

log = logging.getLogger("viewer.ui")

#: Strings of Qt's file dialog that qtbase_zh_CN does not translate (labels whose mnemonics
#: changed, the type of a folder): our catalogue has them, in Qt's contexts.
QT_STRINGS_MISSING = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    # The file list's type column (asked for with a disambiguation, found without one).
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Shortcut"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Unknown"),
)


class LanguageChoice(enum.StrEnum):
    SYSTEM = "system"
    ENGLISH = "en"
    CHINESE = "zh_CN"


def sentence(clauses: Sequence[str]) -> str:
    """Clauses as one sentence in the UI's language: "12 bulletins imported, 1 failed." /
    "已导入 12 份公报，1 份失败。" (Chinese punctuation in Chinese)."""
    translate = QCoreApplication.translate
    text = ""
    for clause in clauses:
        joined = translate("Translations", "%1, %2").replace("%1", text) if text else "%2"
        text = joined.replace("%2", clause)
    return translate("Translations", "%1.").replace("%1", text)


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
