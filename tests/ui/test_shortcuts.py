"""Every key in README's shortcuts table, pressed as a user would, does what the table says."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import type_text
from viewer.ui.article import DEFAULT_ZOOM
from viewer.ui.window_commands import key_sequences

README = Path(__file__).resolve().parents[2] / "README.md"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _readme_keys() -> set[str]:
    """The keys of README's shortcuts table (first column, each in backticks)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| keys | what |") :].split("\n\n", 1)[0]
    return {key for line in table.splitlines()[2:] for key in re.findall(r"`([^`]+)`", line.split("|")[1])}


def _press(qtbot, window, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget() or window
    qtbot.keyClick(widget, key, modifiers)


def _no_ambiguity(qtlog) -> None:
    messages = [r.message for r in qtlog.records]
    assert not [m for m in messages if "Ambiguous shortcut" in m], messages


def test_no_two_window_actions_share_a_key(open_window):
    window = open_window()
    seen: dict[str, str] = {}
    for action in window.actions():
        if action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut:
            continue
        keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
        assert len(keys) == len(set(keys)), (action.text(), keys)
        for key in keys:
            assert key not in seen, f"{key} on both {seen[key]!r} and {action.text()!r}"
            seen[key] = action.text()
    # The table's keys that belong to window actions are all bound.
    table = {k for k in _readme_keys() if k.startswith(("Ctrl", "F3", "Shift+F3"))}
    assert table <= set(seen) | {"Ctrl+C"}, table - set(seen)


def test_a_standard_key_and_the_same_key_written_out_make_one_binding():
    keys = key_sequences([QKeySequence.StandardKey.Find, "Ctrl+F", "Ctrl+=", "Ctrl++", "Ctrl+="])
    texts = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys]
    assert len(texts) == len(set(texts))
    assert texts[0] == "Ctrl+F" and texts[-2:] == ["Ctrl+=", "Ctrl++"]


def test_every_shortcut_in_the_readme_works(qtbot, open_window, qtlog, monkeypatch, tmp_path):
    window = open_window()
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_district("西城")
    window.article.setFocus()

    # Ctrl+K, Ctrl+Shift+F: the search field.
    for key, modifiers in ((Qt.Key.Key_K, CTRL), (Qt.Key.Key_F, CTRL | SHIFT)):
        window.tree.view.setFocus()
        _press(qtbot, window, key, modifiers)
        assert window.search_field.hasFocus(), key

    # Ctrl+F: find in this section; Enter / Shift+Enter next / previous; Esc closes.
    window.article.setFocus()
    _press(qtbot, window, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible() and window.find_bar.edit.hasFocus()
    type_text(window.find_bar.edit, "社区")
    total = window.article.toPlainText().count("社区")
    assert window.find_bar.count.text() == f"1 / {total}"
    _press(qtbot, window, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == f"2 / {total}"
    _press(qtbot, window, Qt.Key.Key_Return, SHIFT)
    assert window.find_bar.count.text() == f"1 / {total}"
    _press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()

    # F3, Shift+F3: next / previous hit of the search.
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("消毒")
    window.open_district("西城")
    window.article.setFocus()
    assert window.article.hit_count() > 2
    _press(qtbot, window, Qt.Key.Key_F3)
    _press(qtbot, window, Qt.Key.Key_F3)
    assert window.article.current_hit() == 1
    _press(qtbot, window, Qt.Key.Key_F3, SHIFT)
    assert window.article.current_hit() == 0

    # Ctrl+=, Ctrl++, Ctrl+-, Ctrl+0: larger, smaller, actual text size.
    window.article.setFocus()
    _press(qtbot, window, Qt.Key.Key_Equal, CTRL)
    bigger = window.article.zoom()
    assert bigger > DEFAULT_ZOOM
    _press(qtbot, window, Qt.Key.Key_Plus, CTRL)
    assert window.article.zoom() > bigger
    _press(qtbot, window, Qt.Key.Key_Minus, CTRL)
    assert window.article.zoom() == bigger
    _press(qtbot, window, Qt.Key.Key_0, CTRL)
    assert window.article.zoom() == DEFAULT_ZOOM

    # Ctrl+D: bookmark the selection.
    window.open_district("西城")
    cursor = window.article.paragraph_cursor((window.article.current_section()[1], 0), 0, 8)
    window.article.setTextCursor(cursor)
    window.article.setFocus()
    _press(qtbot, window, Qt.Key.Key_D, CTRL)
    dialog = window.bookmark_workflows.dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(window.bookmark_workflows.bookmark_saved, timeout=5_000):
        dialog.accept()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert len(window.bookmarks.bookmarks()) == 1

    # Ctrl+1 … Ctrl+4: the tree, the text, the results, the bookmarks.
    _press(qtbot, window, Qt.Key.Key_1, CTRL)
    assert window.tree.view.hasFocus()
    _press(qtbot, window, Qt.Key.Key_2, CTRL)
    assert window.article.hasFocus()
    _press(qtbot, window, Qt.Key.Key_3, CTRL)
    assert window.search_panel.view.hasFocus()
    _press(qtbot, window, Qt.Key.Key_4, CTRL)
    assert window.bookmarks_panel.view.hasFocus()

    # Ctrl+Z, Ctrl+Shift+Z: undo, redo (bookmark changes).
    window.article.setFocus()
    _press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.bookmarks.bookmarks() == []
    _press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(window.bookmarks.bookmarks()) == 1

    # Ctrl+O: import bulletins (the file dialog is answered here).
    from PySide6.QtWidgets import QFileDialog

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: asked.append(a) or ([], ""))
    _press(qtbot, window, Qt.Key.Key_O, CTRL)
    assert len(asked) == 1

    _no_ambiguity(qtlog)

    # Ctrl+Q: quit.
    _press(qtbot, window, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible())
    _no_ambiguity(qtlog)
