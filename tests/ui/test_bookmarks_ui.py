"""Bookmarks in the window, driven as a user would: select, Ctrl+D, note, panel, open, undo."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer import paths
from viewer.model import HEADLINE, Bookmark, make_bookmark
from viewer.store import BookmarkStore
from viewer.ui.bookmarks_panel import BookmarkRole, BookmarksModel


def _wait_for_store(qtbot, window) -> None:
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)


def _listed(window) -> list:
    model = window.bookmarks_panel.model
    return [model.index(row, 0).data(BookmarkRole) for row in range(model.rowCount())]


def _at(window, paragraph: int) -> tuple[int, int]:
    """A paragraph (or HEADLINE) of the section shown."""
    return window.article.current_section()[1], paragraph


def _select(window, paragraph: int, start: int, end: int) -> None:
    cursor = window.article.paragraph_cursor(_at(window, paragraph), start, end)
    window.article.setTextCursor(cursor)
    window.article.setFocus()


def _reactivate(qtbot, window) -> None:
    """The dialog has gone: the window is active again (a window manager does this; offscreen, we do)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _bookmark_with_note(qtbot, window, note: str, tags: str = "") -> object:
    """Ctrl+D in the article, type the note, Enter: the saved bookmark."""
    qtbot.keyClick(window.article, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = window.bookmark_workflows.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.note_edit.hasFocus)  # the note field takes the keys at once
    dialog.tags_edit.setText(tags)
    qtbot.keyClicks(dialog.note_edit, note)
    with qtbot.waitSignal(window.bookmark_workflows.bookmark_saved, timeout=5_000) as blocker:
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    _reactivate(qtbot, window)
    return blocker.args[0]


def _double_click_row(qtbot, window, row: int) -> None:
    panel = window.bookmarks_panel
    window.bookmarks_dock.show()
    window.bookmarks_dock.raise_()
    qtbot.waitUntil(panel.view.isVisible)
    rect = panel.view.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_select_ctrl_d_note_then_open_it_again_and_after_restart(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    window.open_district("西城")
    paragraph = bulletin.section("西城").paragraphs[1]
    _select(window, 1, 4, 18)
    saved = _bookmark_with_note(qtbot, window, "note for the report", "消毒, 社区")
    assert saved.quote == paragraph.text[4:18]
    assert saved.note == "note for the report" and saved.tags == ("消毒", "社区")
    listed = _listed(window)
    assert [b.id for b in listed] == [saved.id]
    assert window.bookmarks_panel.current_bookmark().id == saved.id
    assert (1, 1) in window.article.marked_paragraphs()  # 西城, its second paragraph

    # Elsewhere, then back by double-clicking the bookmark: the exact quote is selected.
    window.open_district("东城")
    assert (1, 1) not in window.article.marked_paragraphs()
    _double_click_row(qtbot, window, 0)
    assert window.article.current_section() == (bulletin.id, 1)  # 西城
    assert window.article.textCursor().selectedText() == saved.quote
    assert window.article.current_selection() == (bulletin.id, 1, 1, 4, 18)
    qtbot.waitUntil(window.article.hasFocus)  # on to reading

    # Enter on the row opens it too.
    window.open_district("朝阳")
    window.bookmarks_panel.focus_list()
    qtbot.keyClick(window.bookmarks_panel.view, Qt.Key.Key_Return)
    assert window.article.current_section() == (bulletin.id, 1)

    window.close()
    again = open_window()
    qtbot.waitUntil(lambda: len(_listed(again)) == 1, timeout=10_000)
    kept = _listed(again)[0]
    assert (kept.id, kept.quote, kept.note, kept.tags) == (saved.id, saved.quote, saved.note, saved.tags)


def test_duplicate_selects_the_existing_bookmark(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    _select(window, 0, 0, 10)
    first = _bookmark_with_note(qtbot, window, "a")
    _select(window, 0, 20, 30)
    _bookmark_with_note(qtbot, window, "b")
    window.bookmarks_panel.select_bookmark(_listed(window)[1].id)
    _select(window, 0, 0, 10)
    assert window.bookmark_workflows.bookmark_selection() is False
    assert window.bookmark_workflows.dialog is None
    assert window.bookmarks_panel.current_bookmark().id == first.id
    assert "already bookmarked" in window.statusBar().currentMessage()
    assert len(_listed(window)) == 2


def test_selection_over_several_paragraphs_is_cut_to_the_first(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    window.open_district("西城")
    start = window.article.paragraph_cursor(_at(window, 0), 5, 5).position()
    end = window.article.paragraph_cursor(_at(window, 1), 8, 8).position()
    cursor = window.article.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    window.article.setTextCursor(cursor)
    assert window.bookmark_workflows.bookmark_selection()
    dialog = window.bookmark_workflows.dialog
    assert dialog.notice.isVisibleTo(dialog) and "first" in dialog.notice.text()
    assert "first" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.bookmark_workflows.bookmark_saved) as blocker:
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    assert blocker.args[0].quote == bulletin.section("西城").paragraphs[0].text[5:].strip()


def test_context_menu_bookmarks_a_whole_paragraph(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    window.open_district("朝阳")
    article = window.article
    rect = article.cursorRect(article.paragraph_cursor(_at(window, HEADLINE), 2, 2))
    window.bookmark_workflows.show_article_menu(rect.center())
    menu = window.bookmark_workflows.article_menu
    texts = {a.text().replace("&", ""): a for a in menu.actions()}
    assert not texts["Bookmark Selection…"].isEnabled()  # nothing selected
    texts["Bookmark This Paragraph…"].trigger()
    menu.close()
    dialog = window.bookmark_workflows.dialog
    with qtbot.waitSignal(window.bookmark_workflows.bookmark_saved) as blocker:
        dialog.accept()
    saved = blocker.args[0]
    assert (saved.district, saved.paragraph, saved.quote) == (
        "朝阳",
        HEADLINE,
        bulletin.section("朝阳").headline,
    )
    assert (2, HEADLINE) in window.article.marked_paragraphs()  # 朝阳


def test_delete_then_ctrl_z_brings_it_back_and_edit_can_be_undone(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    _select(window, 1, 0, 12)
    saved = _bookmark_with_note(qtbot, window, "keep me", "tag")
    panel = window.bookmarks_panel
    window.bookmarks_dock.raise_()
    panel.focus_list()
    panel.select_bookmark(saved.id)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert _listed(window) == []
    assert (1, 1) not in window.article.marked_paragraphs()
    assert window.commands.undo_action.isEnabled() and "Delete" in window.commands.undo_action.text()
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = _listed(window)
    assert [(b.id, b.quote, b.note, b.tags) for b in back] == [(saved.id, saved.quote, "keep me", ("tag",))]
    assert (1, 1) in window.article.marked_paragraphs()  # 西城, its second paragraph
    with BookmarkStore() as store:  # it is back on disk, under its own id
        assert store.get(saved.id).note == "keep me"

    # Edit the note (F2 opens the dialog), then undo the edit.
    panel.select_bookmark(saved.id)
    panel.focus_list()
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    dialog = window.bookmark_workflows.dialog
    assert dialog.note_edit.toPlainText() == "keep me"
    dialog.note_edit.setPlainText("changed")
    dialog.accept()
    assert _listed(window)[0].note == "changed"
    window.commands.undo_action.trigger()
    assert _listed(window)[0].note == "keep me"
    window.commands.redo_action.trigger()
    assert _listed(window)[0].note == "changed"


def test_an_orphaned_bookmark_is_shown_as_such(qtbot, open_window):
    gone = Bookmark(
        bulletin_id="0" * 16,
        district="西城",
        paragraph=0,
        quote="这段文字不在任何公告里",
        title="已删除的公告",
        note="its bulletin was removed",
    )
    with BookmarkStore() as store:
        store.add(gone)
    window = open_window()  # re-attaches bookmarks to the archive at start-up
    qtbot.waitUntil(lambda: len(_listed(window)) == 1 and _listed(window)[0].orphaned, timeout=10_000)
    index = window.bookmarks_panel.model.index(0, 0)
    assert "no longer in the archive" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()  # the warning icon
    assert not window.bookmark_workflows.open_bookmark(_listed(window)[0])
    assert "no longer in the archive" in window.statusBar().currentMessage()


def test_bookmarks_added_elsewhere_appear_while_the_window_is_active(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    bulletin = window.library.bulletins[0]
    with BookmarkStore() as store:  # as `bulletin-viewer bookmarks add` does
        store.add_selection(bulletin, "海淀", 0, note="from the terminal")
    qtbot.waitUntil(lambda: [b.note for b in _listed(window)] == ["from the terminal"], timeout=10_000)


def test_filter_by_text_and_tag(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    with BookmarkStore() as store:
        store.add_selection(bulletin, "西城", 0, note="alpha", tags=["red"])
        store.add_selection(bulletin, "东城", 0, note="beta", tags=["blue"])
    window.bookmarks.reload()
    panel = window.bookmarks_panel
    assert len(_listed(window)) == 2
    panel.filter_edit.setText("beta")
    assert [b.note for b in _listed(window)] == ["beta"]
    panel.filter_edit.clear()
    row = panel.tag_box.findData("red")
    panel.tag_box.setCurrentIndex(row)
    panel.tag_box.activated.emit(row)
    assert [b.note for b in _listed(window)] == ["alpha"]
    panel.filter_edit.setText("nothing like this")
    assert panel.stack.currentWidget() is panel.message


def _status_after(qtbot, window, start_task, words: str) -> str:
    """Run a background bookmark task; the status bar message it ends with (holding ``words``)."""
    status = window.statusBar()
    status.clearMessage()
    assert start_task() is not None
    qtbot.waitUntil(lambda: words in status.currentMessage(), timeout=30_000)
    return status.currentMessage()


def test_export_and_import(qtbot, open_window, tmp_path):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    with BookmarkStore() as store:
        store.add_selection(bulletin, "西城", 0, 0, 12, note="注释")
    window.bookmarks.reload()
    out = tmp_path / "marks.json"
    _status_after(qtbot, window, lambda: window.bookmark_workflows.export_to(out, "json"), "exported")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [b["note"] for b in document["bookmarks"]] == ["注释"]
    markdown = tmp_path / "marks.md"
    message = _status_after(
        qtbot, window, lambda: window.bookmark_workflows.export_to(markdown, "markdown"), "exported"
    )
    assert message == f"1 bookmark exported to {markdown}."
    assert "注释" in markdown.read_text(encoding="utf-8")

    window.bookmark_workflows.delete_bookmarks(_listed(window))
    message = _status_after(qtbot, window, lambda: window.bookmark_workflows.import_from(out), "imported")
    assert message == "1 bookmark imported."
    assert [b.note for b in _listed(window)] == ["注释"]
    message = _status_after(qtbot, window, lambda: window.bookmark_workflows.import_from(out), "imported")
    assert message == "0 bookmarks imported, 1 already kept."
    assert len(_listed(window)) == 1

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    reported = []
    window.task_failed.connect(reported.append)
    window.bookmark_workflows.import_from(bad)
    qtbot.waitUntil(lambda: bool(reported), timeout=30_000)
    assert (
        reported[0].startswith("The bookmarks could not be imported.")
        and "not a bookmarks file" in reported[0]
    )


def test_a_damaged_store_is_kept_aside_and_the_user_told(qtbot, open_window):
    path = paths.bookmarks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x13\x37 this is not a database " * 200)
    window = open_window()
    _wait_for_store(qtbot, window)
    kept = window.bookmarks.recovered_from()
    assert kept is not None and kept.exists() and kept.name.startswith("bookmarks.sqlite3.damaged-")
    qtbot.waitUntil(window.notice.isVisible)
    text = window.notice.text.text()
    assert "damaged" in text and str(kept) in text
    assert QApplication.activeModalWidget() is None  # told without blocking


def test_a_foreign_write_ahead_log_is_set_aside_and_the_user_told_once(qtbot, open_window):
    path = paths.bookmarks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"not a log written for this file " * 64)  # beside no database at all
    window = open_window()
    _wait_for_store(qtbot, window)
    kept = window.bookmarks.foreign_wal()
    assert kept is not None and kept.exists() and kept.name.startswith("bookmarks.sqlite3-wal.foreign-")
    qtbot.waitUntil(window.notice.isVisible)
    text = window.notice.text.text()
    assert "not applied" in text and str(kept) in text
    assert window.bookmarks.recovered_from() is None and "damaged" not in text
    assert QApplication.activeModalWidget() is None  # told without blocking
    window.bookmarks.reload()  # later changes do not tell it again
    window.bookmarks.poll()
    assert window.notice.text.text().count(str(kept)) == 1
    window.close()
    again = open_window()  # nor does the next start: the log was set aside
    _wait_for_store(qtbot, again)
    assert again.bookmarks.foreign_wal() is None
    qtbot.wait(50)
    assert not again.notice.isVisible()


def test_bookmark_errors_are_reported_in_plain_words(qtbot, open_window, monkeypatch):
    from viewer.store import BookmarkError

    window = open_window()
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    _select(window, 0, 0, 6)

    def refuse(_bookmark):
        raise BookmarkError("the disk is full: bookmarks could not be saved")

    monkeypatch.setattr(window.bookmarks.store(), "add", refuse)
    reported = []
    window.task_failed.connect(reported.append)
    qtbot.keyClick(window.article, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    window.bookmark_workflows.dialog.accept()
    assert reported == ["The bookmark could not be saved. the disk is full: bookmarks could not be saved"]
    assert _listed(window) == []


def test_bookmarks_panel_controls_have_names_and_keys(qtbot, open_window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    window = open_window()
    _wait_for_store(qtbot, window)
    with BookmarkStore() as store:
        store.add_selection(window.library.bulletins[0], "西城", 0, tags=["t"])
    window.bookmarks.reload()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    panel = window.bookmarks_panel
    assert panel.view.hasFocus() and panel.view.currentIndex().row() == 0
    qtbot.keyClick(panel.view, Qt.Key.Key_Up)
    assert panel.filter_edit.hasFocus()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert panel.view.hasFocus()
    controls = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractItemView, QAbstractButton)
        for w in panel.findChildren(kind)
        if w.isVisibleTo(window)
    ]
    assert controls and [w.objectName() for w in controls if not w.accessibleName()] == []
    assert window.commands.bookmarks_toggle_action in window.commands.view_menu.actions()
    assert window.commands.bookmark_action in window.commands.edit_menu.actions()


def test_bookmarks_model_passes_the_model_tester(qtmodeltester, qapp):
    from viewer.model import parse_bytes

    bulletin = parse_bytes(paths.data_path("beijing-districts-bulletin.txt").read_bytes())
    model = BookmarksModel()
    marks = [
        make_bookmark(bulletin, s.district, 0, note=f"n{i}", tags=["x"])
        for i, s in enumerate(bulletin.sections)
    ]
    from dataclasses import replace

    model.set_bookmarks([replace(b, id=i + 1, orphaned=i == 2) for i, b in enumerate(marks)])
    qtmodeltester.check(model, force_py=True)
    model.set_bookmarks([])
    qtmodeltester.check(model, force_py=True)


def test_a_window_state_saved_before_the_bookmarks_dock_gets_it_beside_the_results(qtbot, open_window):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

    old = QMainWindow()  # the window as it was: results dock only
    qtbot.addWidget(old)
    old.setCentralWidget(QLabel("text"))
    results = QDockWidget("Search Results", old)
    results.setObjectName("resultsDock")
    results.setWidget(QLabel("results"))
    old.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, results)
    old.show()
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    settings.setValue("window/state", old.saveState())
    settings.sync()
    old.close()

    window = open_window()
    assert window.tabifiedDockWidgets(window.results_dock) == [window.bookmarks_dock]
    window.close()
    again = open_window()  # saved with the dock: its place is the user's from now on
    assert again.tabifiedDockWidgets(again.results_dock) == [again.bookmarks_dock]


def test_the_list_context_menu_offers_open_edit_copy_delete(qtbot, open_window):
    from PySide6.QtCore import QPoint

    window = open_window()
    _wait_for_store(qtbot, window)
    with BookmarkStore() as store:
        saved = store.add_selection(window.library.bulletins[0], "西城", 0, 0, 9, note="n")
    window.bookmarks.reload()
    panel = window.bookmarks_panel
    window.bookmarks_dock.raise_()
    panel.focus_list()
    panel.view.customContextMenuRequested.emit(QPoint(-1, -1))  # the Menu key: at the current row
    actions = [a.text().replace("&", "") for a in panel.menu.actions() if a.text()]
    assert actions == ["Open Passage", "Edit Note and Tags…", "Copy Quote with Citation", "Delete"]
    panel.menu.close()
    panel.copy_action.trigger()
    assert QApplication.clipboard().text() == f"{saved.quote}\n— {saved.citation()}"
    panel.open_action.trigger()
    assert window.article.textCursor().selectedText() == saved.quote
