"""The translation catalogues: complete, built from the committed sources, and loaded by the UI.

After changing UI strings: run pyside6-lupdate (see ``_lupdate`` below) on the .ts files,
translate the new messages (Qt Linguist), then pyside6-lrelease, and commit .ts and .qm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from viewer import paths
from viewer.ui.i18n import LanguageChoice, Translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = paths.resource_path("translations")
BIN = Path(sys.executable).parent
SOURCES = [ROOT / "viewer" / "app.py", *sorted((ROOT / "viewer" / "ui").glob("*.py"))]
CATALOGUES = {"viewer_zh_CN": [], "viewer_en": ["-pluralonly"]}


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed next to the interpreter")
    return str(path)


def _lupdate(ts: Path, extra: list[str]) -> None:
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *map(str, SOURCES),
            "-ts",
            str(ts),
            "-no-obsolete",
            "-locations",
            "none",
            *extra,
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize("name", CATALOGUES)
def test_ts_sources_hold_every_ui_string(tmp_path, name):
    committed = TRANSLATIONS / f"{name}.ts"
    copy = tmp_path / committed.name
    shutil.copy(committed, copy)
    _lupdate(copy, CATALOGUES[name])
    assert copy.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"{committed.name} is out of date: run pyside6-lupdate and translate the new strings"
    )


@pytest.mark.parametrize("name", CATALOGUES)
def test_committed_qm_is_built_from_the_ts(tmp_path, name):
    built = tmp_path / f"{name}.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TRANSLATIONS / f"{name}.ts"), "-qm", str(built)],
        check=True,
        capture_output=True,
    )
    assert built.read_bytes() == (TRANSLATIONS / f"{name}.qm").read_bytes(), (
        f"run pyside6-lrelease on {name}.ts"
    )


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_message_is_translated(name):
    root = ET.parse(TRANSLATIONS / f"{name}.ts").getroot()
    unfinished = [
        m.findtext("source")
        for m in root.iter("message")
        if m.find("translation").get("type") == "unfinished"
        or not "".join(m.find("translation").itertext()).strip()
    ]
    assert unfinished == []


def test_chinese_ui_and_qt_dialogs_are_translated(qapp):
    translations = Translations()
    try:
        assert translations.apply(LanguageChoice.CHINESE) is LanguageChoice.CHINESE
        assert QCoreApplication.translate("WindowCommands", "&File") == "文件(&F)"
        assert QCoreApplication.translate("SearchPanel", "%n matches", "", 3) == "3 处匹配"
        # Qt's own dialogs and buttons (qtbase_zh_CN).
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        translations.apply(LanguageChoice.ENGLISH)
        assert QCoreApplication.translate("WindowCommands", "&File") == "&File"
        assert QCoreApplication.translate("SearchPanel", "%n matches", "", 1) == "1 match"
        assert QCoreApplication.translate("SearchPanel", "%n matches", "", 4) == "4 matches"
    finally:
        translations.apply(LanguageChoice.ENGLISH)
