"""Fixes seen in use (issue 11), each checked by what the user sees.

Import keeps the reader in place and says what it did; the Chinese UI is complete (Qt's
file dialog, undo texts after a switch, citations and Markdown exports, the lead in the
district filter); the results, the bookmark dialog and panel, the dark theme and the
progress bar look right; exported files get the umask's mode; undo leaves no stale status.
"""

from __future__ import annotations

import os
import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QTreeView,
)

from tests.conftest import write_bulletins
from tests.ui.conftest import type_text
from viewer.model import make_bookmark
from viewer.ui import search_controller
from viewer.ui.hit_delegate import MARK_COLORS
from viewer.ui.i18n import LanguageChoice
from viewer.ui.library_controller import failure_line
from viewer.ui.painting import item_fonts, layout_clamped, unbreakable_spans
from viewer.ui.theme import ThemeChoice
from viewer.ui.widgets import keep_together

LEAD_ONLY = "结合各自区情"  # words of the bundled bulletin's lead and nowhere else


def _wait_for_store(qtbot, window) -> None:
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)


def _keep(window, section_name: str, paragraph: int, start=None, end=None):
    bulletin = window.library.bulletins[0]
    return window.bookmarks.add(
        make_bookmark(bulletin, bulletin.section_index(section_name), paragraph, start, end)
    )


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _search(qtbot, window, query: str):
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search(query)
    return shown.args[0]


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    yield
    os.umask(before)


# -- 1. import -------------------------------------------------------------------------------------
def test_import_keeps_the_section_read_and_says_what_it_did(qtbot, open_window, tmp_path):
    window = open_window()
    window.open_district("朝阳")
    reading = window.article.current_section()
    assert window.tree.current_target() == reading
    files = write_bulletins(tmp_path / "in", 12, seed=11)
    bad = tmp_path / "in" / "notes.txt"
    bad.write_bytes(b"\x00\x01binary\xff")
    reported = []
    window.task_failed.connect(reported.append)
    with qtbot.waitSignals([window.library.imported, window.index_ready], timeout=120_000):
        window.library.import_files([*files, bad])
    qtbot.waitUntil(lambda: window.status.progress.isHidden(), timeout=60_000)  # indexing done too
    assert window.article.current_section() == reading
    assert window.tree.current_target() == reading
    assert "朝阳" in window.article.toPlainText()
    # The status still says what the import did (indexing did not wipe it), naming the file once.
    message = window.status.currentMessage()
    assert message.startswith("12 bulletins imported, 1 failed.")
    assert message.count("notes.txt") == 1 and len(reported) == 1 and reported[0].count("notes.txt") == 1


def test_one_bulletin_imported_in_chinese_and_plural_correct_in_english(qtbot, open_window, tmp_path):
    window = open_window(LanguageChoice.CHINESE)
    files = write_bulletins(tmp_path / "in", 1, seed=12)
    with qtbot.waitSignal(window.library.imported, timeout=60_000):
        window.library.import_files(files)
    qtbot.waitUntil(lambda: window.status.progress.isHidden(), timeout=60_000)
    assert window.status.currentMessage() == "已导入 1 份公报。"
    translate = QCoreApplication.translate
    window.set_language(LanguageChoice.ENGLISH)
    assert translate("LibraryController", "%n bulletin(s) imported", "", 1) == "1 bulletin imported"
    assert translate("LibraryController", "%n bulletin(s) imported", "", 12) == "12 bulletins imported"


def test_a_failure_names_its_file_once(tmp_path):
    path = tmp_path / "scan.pdf"
    assert failure_line(path, "scan.pdf: the PDF has no text layer") == "scan.pdf: the PDF has no text layer"
    assert (
        failure_line(path, f"cannot read {path}: permission denied")
        == f"cannot read {path}: permission denied"
    )
    assert failure_line(path, "the file is empty") == "scan.pdf: the file is empty"


# -- 2. Chinese UI ---------------------------------------------------------------------------------
def _file_dialog_texts(qtbot, window) -> list[str]:
    """Open File → Import Bulletins…, read what its file dialog says, and close it."""
    seen: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, look)
            return
        seen.extend(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())
        for button in dialog.findChildren(QAbstractButton):
            seen.extend((button.text(), button.toolTip()))
        files = dialog.findChild(QTreeView, "treeView").model()
        seen.extend(str(files.headerData(c, Qt.Orientation.Horizontal)) for c in range(files.columnCount()))
        dialog.reject()

    QTimer.singleShot(50, look)
    window.commands.import_action.trigger()
    return [t for t in seen if t]


def test_qt_file_dialog_speaks_chinese_and_english_again(qtbot, open_window, tmp_path):
    (tmp_path / "folder").mkdir()
    window = open_window(LanguageChoice.CHINESE)
    window.window_state.set_import_folder(tmp_path)
    texts = _file_dialog_texts(qtbot, window)
    for expected in (
        "查找范围(&L)：",
        "文件名称(&N)：",
        "文件类型(&T)：",
        "打开(&O)",
        "取消",
        "后退",
        "父目录",
    ):
        assert expected in texts
    words = [t for t in texts if re.search(r"[A-Za-z]{3}", t.replace("&", "")) and "*" not in t]
    assert words == []
    # The type of a folder in the detail view (a string Qt's own catalogue lacks).
    assert (
        QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    )

    window.set_language(LanguageChoice.ENGLISH)  # Qt's catalogue goes with ours
    texts = _file_dialog_texts(qtbot, window)
    assert "&Look in:" in texts and "Files of &type:" in texts and "Cancel" in texts


def test_undo_texts_come_out_in_the_language_switched_to(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    undo = window.commands.undo_action
    first = _keep(window, "西城", 0)
    window.bookmark_workflows.delete_bookmarks([first])
    assert undo.text() == "&Undo Delete Bookmark"
    window.set_language(LanguageChoice.CHINESE)
    qtbot.waitUntil(lambda: undo.text() == "撤销删除 1 个书签(&U)")  # made again in Chinese
    second = _keep(window, "西城", 1)
    window.bookmark_workflows.delete_bookmarks([second])  # made after the switch: Chinese
    assert undo.text() == "撤销删除 1 个书签(&U)"
    window.commands.undo_action.trigger()
    assert window.commands.redo_action.text() == "重做删除 1 个书签(&R)"
    window.set_language(LanguageChoice.ENGLISH)
    qtbot.waitUntil(lambda: undo.text() == "&Undo Delete Bookmark")
    assert window.commands.redo_action.text() == "&Redo Delete Bookmark"


def test_copied_citation_and_markdown_export_in_the_ui_language(qtbot, open_window, tmp_path, umask_022):
    window = open_window(LanguageChoice.CHINESE)
    _wait_for_store(qtbot, window)
    saved = _keep(window, "西城", 1, 0, 12)
    panel = window.bookmarks_panel
    panel.refresh()
    panel.select_bookmark(saved.id)
    panel.copy_action.trigger()
    copied = QApplication.clipboard().text()
    assert copied.startswith(saved.quote + "\n— ") and copied.endswith("监管动态 · 西城 · 第 2 段")

    out = tmp_path / "书签.md"
    with qtbot.waitSignal(window.bookmark_workflows.status_posted, timeout=10_000):
        window.bookmark_workflows.export_to(out, "markdown")
    text = out.read_text(encoding="utf-8")
    assert (
        text.startswith("# 书签\n") and "— 北京：全力打好疫情防控阻击战！ · 监管动态 · 西城 · 第 2 段" in text
    )
    assert "paragraph" not in text
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)  # the umask's mode, not a private 0600


def test_the_lead_is_counted_and_offered_in_the_district_filter(qtbot, open_window):
    window = open_window(LanguageChoice.CHINESE)
    panel, box = window.search_panel, window.search_panel.district_box
    outcome = _search(qtbot, window, LEAD_ONLY)
    assert outcome.result.total == 1
    assert [box.itemText(i) for i in range(box.count())] == ["全部区（1）", "导语 (1)"]
    assert panel.model.groups()[0].count == 1  # the lead's group counts its matches

    outcome = _search(qtbot, window, "疫情")
    items = {box.itemData(i): box.itemText(i) for i in range(box.count())}
    outside = outcome.overall.total - sum(outcome.overall.district_counts.values())
    assert items[""] == f"标题和导语 ({outside})"  # the title and the lead hold the rest
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        box.activated.emit(box.findData(""))
    narrowed = shown.args[0].result
    assert narrowed.total == outside and {h.district for h in narrowed.hits} == {""}
    assert box.currentData() == ""  # the filter chosen stays chosen


# -- 3. how it looks -------------------------------------------------------------------------------
@pytest.mark.parametrize("point_size", [9.0, 18.0])
def test_hit_rows_are_as_tall_as_their_text(qtbot, open_window, point_size):
    window = open_window()
    font = QFont(QApplication.font())
    font.setPointSizeF(point_size)
    window.search_panel.view.setFont(font)
    _search(qtbot, window, "消毒")
    view, delegate = window.search_panel.view, window.search_panel.view.itemDelegate()
    qtbot.waitUntil(lambda: view._measured_width == view.viewport().width(), timeout=5_000)
    body, small = item_fonts(view.font())
    heights = {}
    for index, hit in window.search_panel.model.hits_in_order():
        rect = view.visualRect(index)
        width = view.viewport().width() - view.indentation() - sum(delegate.PAD_X)
        mark = delegate._mark(False)
        snippet = layout_clamped(hit.snippet, body, width, 2, delegate._ranges(hit, mark))
        needed = sum(delegate.PAD_Y) + QFontMetricsF(small).lineSpacing() + delegate.GAP + snippet.height
        assert needed <= rect.height() <= needed + 2, hit.snippet  # nothing cut, no empty lines
        heights[snippet.lines] = rect.height()
    assert heights[1] < heights[2]  # a one-line headline row is shorter than a two-line one


def test_first_n_shown_goes_whole_to_the_next_line_and_away_when_all_are_listed(
    qtbot, open_window, tmp_path, monkeypatch
):
    from viewer.store import Archive

    Archive().import_files(write_bulletins(tmp_path / "src", 2, seed=5))
    monkeypatch.setattr(search_controller, "RESULT_LIMIT", 3)
    window = open_window()
    panel = window.search_panel
    panel.resize(240, 600)  # the narrowest the dock gets
    window.search.request("疫情", immediately=True)
    qtbot.waitUntil(lambda: "first" in panel.summary.text(), timeout=30_000)
    text = panel.summary.text()
    piece = text[text.index("·") :]
    assert " " not in piece  # it does not break inside: it wraps whole
    assert keep_together(" · 显示前 60 条").replace("\u2060", "") == " ·\u00a0显示前\u00a060\u00a0条"
    while panel.has_more():
        panel.view.verticalScrollBar().setValue(panel.view.verticalScrollBar().maximum())
        qtbot.wait(20)
        qtbot.waitUntil(lambda: not window.search.is_busy(), timeout=30_000)
    assert panel.model.hit_count() == window.search.last_outcome.result.total
    assert "shown" not in panel.summary.text() and "·" not in panel.summary.text()


def test_snippet_lines_never_split_a_number_from_its_unit(qapp):
    text = (
        "西城区在全区废弃口罩回收点共设置1450处。由于假期延长，"
        "财政资金372.53万元用于EMS快递（1450处）共计100%完成"
    )
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC", "sans-serif"])
    font.setPointSizeF(10)
    kept = [text[a:b] for a, b in unbreakable_spans(text)]
    assert {"1450处", "372.53万元", "100%完成"} <= set(kept)
    metrics = QFontMetricsF(font)
    for width in range(60, 600, 3):
        layout = layout_clamped(text, font, width, 12).layout
        ends = [
            layout.lineAt(i).textStart() + layout.lineAt(i).textLength() for i in range(layout.lineCount())
        ]
        for start, end in unbreakable_spans(text):
            if metrics.horizontalAdvance(text[start:end]) > width:
                continue  # longer than a line: it has to break
            cut = [e for e in ends[:-1] if start < e < end]
            assert cut == [], (width, text[start:end])


def test_a_bookmarked_paragraph_is_shaded_as_one_block(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    _keep(window, "西城", 1)
    article = window.article
    qtbot.waitUntil(lambda: (1, 1) in article.marked_paragraphs())
    image = article.viewport().grab().toImage()
    base = article.palette().color(QPalette.ColorRole.Base)
    cursor = article.paragraph_cursor((1, 1), 0, 0)
    first = article.cursorRect(cursor)  # the first line starts after the two-character indent
    block = cursor.block().layout()
    line_gap_y = int(first.top() + block.lineAt(0).height() + 1)  # between lines 1 and 2
    doc_left = article.document().rootFrame().frameFormat().leftMargin()
    indent_x = int(doc_left + (first.left() - doc_left) / 2)
    for x, y in (
        (indent_x, first.center().y()),
        (indent_x, line_gap_y),
        (int(first.left()) + 60, line_gap_y),
    ):
        assert _distance(QColor(image.pixel(x, y)), base) >= 6, (x, y)  # shaded there too
    other = article.cursorRect(article.paragraph_cursor((1, 0), 0, 0))
    assert QColor(image.pixel(indent_x, other.center().y())) == base  # an unmarked paragraph


def test_dialog_buttons_have_no_colourful_icons(qtbot, open_window):
    class IconsEverywhere(QProxyStyle):  # as a desktop theme that puts icons on dialog buttons
        def styleHint(self, hint, option=None, widget=None, data=None):
            if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
                return 1
            return super().styleHint(hint, option, widget, data)

    window = open_window()
    window.set_theme(ThemeChoice.LIGHT)  # its style sheet, as the program starts with
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    window.bookmark_workflows.bookmark_paragraph(1, 0)
    dialog = window.bookmark_workflows.dialog
    assert all(b.icon().isNull() for b in dialog.buttons.buttons())
    dialog.reject()
    style = IconsEverywhere(QStyleFactory.create("Fusion"))
    box = QDialogButtonBox()
    qtbot.addWidget(box)
    box.setStyle(style)
    box.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert all(b.icon().isNull() for b in box.buttons())


def test_the_bookmark_dialog_cuts_a_long_quote_with_an_ellipsis(qtbot, open_window, monkeypatch):
    from viewer.ui import bookmark_dialog

    monkeypatch.setattr(bookmark_dialog, "QUOTE_LINES", 3)  # the paragraph is five lines long
    window = open_window()
    window.set_theme(ThemeChoice.LIGHT)
    _wait_for_store(qtbot, window)
    window.open_district("西城")
    long_text = window.library.bulletins[0].section("西城").paragraphs[1].text
    window.bookmark_workflows.bookmark_paragraph(1, 1)
    quote = window.bookmark_workflows.dialog.quote
    qtbot.waitUntil(quote.isVisible)
    assert quote.text().endswith("…") and long_text.startswith(quote.text()[:-1])
    assert long_text in quote.toolTip()
    lines = quote.contentsRect().height() / QFontMetricsF(quote.font()).lineSpacing()
    assert 2.5 < lines < 3.8  # three lines shown whole, nothing cut off below
    window.bookmark_workflows.dialog.reject()
    window.bookmark_workflows.bookmark_selection()  # nothing selected: the paragraph at the cursor
    window.bookmark_workflows.dialog.reject()


def test_dark_theme_hits_and_the_dock_close_button_are_clearly_visible(qtbot, open_window):
    from viewer.ui.article_highlights import layer_colors

    window = open_window()
    window.set_theme(ThemeChoice.DARK)
    try:
        palette = QApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        mark_bg, mark_fg = (QColor(c) for c in MARK_COLORS[True])
        assert _contrast(mark_bg, base) >= 4.5 and _contrast(mark_bg, mark_fg) >= 4.5  # in the list
        hit = layer_colors(palette)["hit"]
        assert _contrast(hit, base) >= 2.5 and _contrast(hit, text) >= 3  # in the article
        button = window.results_dock.findChild(QAbstractButton, "qt_dockwidget_closebutton")
        image = button.grab().toImage()
        lightest = max(
            QColor(image.pixel(x, y)).lightness() for x in range(image.width()) for y in range(image.height())
        )
        assert lightest > 150  # drawn in the dark theme's light text colour, not dark grey
    finally:
        window.set_theme(ThemeChoice.LIGHT)


def test_the_file_dialog_tool_buttons_are_monochrome_and_visible_in_the_dark_theme(
    qtbot, open_window, tmp_path
):
    from PySide6.QtWidgets import QFileDialog, QToolButton

    window = open_window()
    window.set_theme(ThemeChoice.DARK)
    try:
        dialog = QFileDialog(window, "Import Bulletins", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        names = ("toParentButton", "newFolderButton", "listModeButton", "detailModeButton")
        for name in names:
            image = dialog.findChild(QToolButton, name).icon().pixmap(24, 24).toImage()
            colours = [QColor(image.pixel(x, y)) for x in range(24) for y in range(24)]
            drawn = [c for c in colours if c.alpha() > 128]
            assert drawn, name
            assert max(c.lightness() for c in drawn) > 150, name  # the dark theme's light text colour
            assert max(c.saturation() for c in drawn) < 40, name  # no colourful stock icon
        dialog.close()
    finally:
        window.set_theme(ThemeChoice.LIGHT)


@pytest.mark.parametrize("choice", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_the_progress_bar_shows_how_far_in_both_themes(qtbot, open_window, choice):
    window = open_window()
    window.set_theme(choice)
    try:
        window.status.show_progress("Importing…", 50, 100, True)
        bar = window.status.progress
        qtbot.waitUntil(bar.isVisible)
        image: QImage = bar.grab().toImage()
        y = image.height() // 2
        filled, empty = (
            QColor(image.pixel(image.width() // 4, y)),
            QColor(image.pixel(image.width() * 3 // 4, y)),
        )
        assert _distance(filled, empty) > 150
        window.status.hide_progress()
        assert window.status.task_text() == ""
    finally:
        window.set_theme(ThemeChoice.LIGHT)


def test_undo_and_redo_say_what_they_did(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    saved = _keep(window, "西城", 0)
    window.bookmark_workflows.delete_bookmarks([saved])
    assert "Ctrl+Z brings it back" in window.status.currentMessage()
    window.commands.undo_action.trigger()
    assert window.status.currentMessage() == "Undone: Delete Bookmark"
    window.commands.redo_action.trigger()
    assert window.status.currentMessage() == "Redone: Delete Bookmark"


def test_the_tag_completer_offers_only_tags_not_entered_yet(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    bulletin = window.library.bulletins[0]
    first = make_bookmark(bulletin, 1, 0)
    window.bookmarks.add(type(first)(**{**first.__dict__, "tags": ("消毒", "社区", "租金")}))
    window.open_district("西城")
    window.bookmark_workflows.bookmark_paragraph(1, 1)
    dialog = window.bookmark_workflows.dialog
    completer = dialog.tags_edit.completer()
    assert sorted(completer.offered()) == sorted(["消毒", "社区", "租金"])
    type_text(dialog.tags_edit, "社区, 消毒，")
    assert completer.offered() == ["租金"]
    type_text(dialog.tags_edit, "租")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "社区, 消毒, 租金"
    dialog.tags_edit.setText("社区")  # a tag being typed is still offered
    assert sorted(completer.offered()) == sorted(["消毒", "社区", "租金"])
    dialog.reject()


def test_the_selected_bookmark_is_clearly_highlighted_without_the_focus(qtbot, open_window):
    window = open_window()
    _wait_for_store(qtbot, window)
    kept = [_keep(window, "西城", 0), _keep(window, "西城", 1)]
    panel = window.bookmarks_panel
    window.bookmarks_dock.show()
    window.bookmarks_dock.raise_()
    panel.refresh()
    panel.select_bookmark(kept[1].id)
    window.article.setFocus()
    qtbot.waitUntil(lambda: not panel.view.hasFocus())
    image = panel.view.viewport().grab().toImage()
    rows = [panel.view.visualRect(panel.model.index(r, 0)) for r in range(2)]
    selected_row = panel.model.row_of(kept[1].id)
    plain, chosen = rows[1 - selected_row], rows[selected_row]
    x = chosen.width() - 4  # past the text, at the right edge of the card
    background = QColor(image.pixel(x, plain.center().y()))
    assert _distance(QColor(image.pixel(x, chosen.center().y())), background) >= 40
    highlight = QApplication.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    assert QColor(image.pixel(1, chosen.center().y())) == highlight  # the bar along its edge


def test_an_export_written_again_keeps_the_mode_it_was_given(tmp_path, umask_022):
    from viewer.store.bookmark_export import write_export

    kept = [make_bookmark_for_export()]
    out = tmp_path / "shared.csv"
    write_export(kept, "csv", out)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o640)
    write_export(kept, "csv", out)  # replaced atomically, its mode as the user set it
    assert out.stat().st_mode & 0o777 == 0o640


def make_bookmark_for_export():
    from viewer.model import Bookmark

    return Bookmark(id=1, bulletin_id="b", district="东城", paragraph=0, quote="消毒")
