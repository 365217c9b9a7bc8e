"""The reader's tools in the real window, as a user meets them: print and PDF export, copy
with citation, next / previous section, paragraph numbers, traditional characters, text font."""

from __future__ import annotations

import os
import stat

import pypdfium2
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import type_text
from viewer import paths
from viewer.model import HEADLINE
from viewer.ui import script_display
from viewer.ui.article_document import BlockInfo
from viewer.ui.i18n import LanguageChoice
from viewer.ui.paragraph_numbers import paragraph_number
from viewer.ui.pdf_text import fix_pdf_text
from viewer.ui.script_display import ScriptChoice, to_traditional
from viewer.ui.theme import installed_cjk_families

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _pdf_text(path) -> tuple[int, str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        pages = len(pdf)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(pages))
    finally:
        pdf.close()
    return pages, text


def _press(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifiers)


def _settings() -> QSettings:
    return QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


# -- print and PDF ---------------------------------------------------------------------------------
def test_export_pdf_of_a_section_holds_its_text_with_header_and_page_numbers(
    qtbot, open_window, tmp_path, umask_027
):
    window = open_window()
    bulletin = window.library.bulletins[0]
    window.open_district("西城")
    section = bulletin.section("西城")
    target = tmp_path / "西城.pdf"
    printing = window.reader_tools.printing
    with qtbot.waitSignal(printing.pdf_exported, timeout=30_000) as written:
        printing.export_pdf(target)
    assert written.args == [str(target)]
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    pages, text = _pdf_text(target)
    assert pages >= 1
    flat = _squeezed(text)
    assert _squeezed(section.headline) in flat
    for paragraph in section.paragraphs:
        assert _squeezed(paragraph.text) in flat  # 力, 工 … as printed, not as Kangxi radicals
    assert _squeezed(bulletin.title) in flat  # the header (and the title)
    assert f"Page 1 of {pages}" in text
    assert stat.S_IMODE(target.stat().st_mode) == umask_027  # a new file's mode, not mkstemp's 0600
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left
    assert "Exported to" in window.status.currentMessage()


def test_export_pdf_from_the_menu_key_asks_where_and_adds_the_suffix(
    qtbot, open_window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    window = open_window()
    window.open_district("东城")
    asked = []

    def answer(parent, title, suggested, filters):
        asked.append((title, suggested, filters))
        return str(tmp_path / "dongcheng"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    window.activateWindow()
    with qtbot.waitSignal(window.reader_tools.printing.pdf_exported, timeout=30_000):
        _press(qtbot, window.article, Qt.Key.Key_E, CTRL | SHIFT)
    assert asked and asked[0][1].endswith(".pdf") and "东城" in asked[0][1]
    assert (tmp_path / "dongcheng.pdf").read_bytes().startswith(b"%PDF-")
    assert window.window_state.print_folder() == str(tmp_path)


def test_whole_bulletin_pdf_has_every_district_in_traditional_characters_with_numbers(
    qtbot, open_window, tmp_path
):
    window = open_window()
    bulletin = window.library.bulletins[0]
    window.open_district("西城")
    tools = window.reader_tools
    tools.set_script(ScriptChoice.TRADITIONAL)
    tools.set_paragraph_numbers(True)
    target = tmp_path / "whole.pdf"
    with qtbot.waitSignal(tools.printing.pdf_exported, timeout=60_000):
        tools.printing.export_pdf(target, whole=True)
    pages, text = _pdf_text(target)
    assert pages > 1
    flat = _squeezed(text)
    for section in bulletin.sections:
        assert _squeezed(to_traditional(section.headline)) in flat
    assert _squeezed(to_traditional(bulletin.lead[0].text)) in flat
    assert "社區" in flat and "社区" not in flat
    assert f"Page {pages} of {pages}" in text


def test_print_sends_the_pages_to_the_printer(qtbot, open_window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    window = open_window()
    bulletin = window.library.bulletins[0]
    window.open_district("朝阳")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes its pages to a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printing = window.reader_tools.printing
    with qtbot.waitSignal(printing.printed, timeout=30_000) as printed:
        printing.print_to(printer)
    pages, text = _pdf_text(tmp_path / "printed.pdf")
    assert printed.args == [pages] and pages >= 1
    assert _squeezed(bulletin.section("朝阳").paragraphs[0].text) in _squeezed(text)
    assert window.status.currentMessage() == "Sent to the printer."


def test_printing_shows_its_pages_in_the_status_bar_and_cancel_stops_it(qtbot, open_window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    window = open_window()
    window.open_district("朝阳")
    printing, status = window.reader_tools.printing, window.status
    seen = []
    printing.progressed.connect(
        lambda what, done, total, cancellable: seen.append((what, done, total, cancellable))
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(printing.printed, timeout=30_000) as printed:
        printing.print_to(printer)
        assert not status.progress.isHidden() and status.cancel_button.isVisibleTo(status)
    pages = printed.args[0]
    assert seen[0] == ("Printing…", 0, 0, True) and seen[-1] == ("Printing…", pages, pages, True)
    qtbot.waitUntil(lambda: status.progress.isHidden(), timeout=5_000)  # gone once the pages are out

    printer.setOutputFileName(str(tmp_path / "cancelled.pdf"))
    sent = []
    printing.printed.connect(sent.append)
    with qtbot.waitSignal(printing.progress_ended, timeout=30_000):
        printing.print_to(printer, whole=True)
        status.cancel_requested.emit()  # the status bar's Cancel, before the first page is made
    assert sent == [] and window.status.currentMessage() == "Printing cancelled."


def test_ctrl_p_opens_the_print_dialog(qtbot, open_window):
    window = open_window()
    window.open_district("西城")
    window.activateWindow()
    _press(qtbot, window.article, Qt.Key.Key_P, CTRL)
    dialog = window.reader_tools.printing.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: window.reader_tools.printing.dialog is None)


def test_nothing_shown_nothing_printed(qtbot, open_window, tmp_path):
    window = open_window()
    window.article.clear_article()
    assert window.reader_tools.printing.export_pdf(tmp_path / "none.pdf") is None
    assert "Choose a bulletin" in window.status.currentMessage()
    assert not (tmp_path / "none.pdf").exists()


def test_a_pdf_that_cannot_be_written_is_reported_in_plain_words(qtbot, open_window, tmp_path):
    window = open_window()
    window.open_district("西城")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with qtbot.waitSignal(window.task_failed, timeout=30_000) as failed:
        window.reader_tools.printing.export_pdf(blocker / "out.pdf")
    assert failed.args[0].startswith("The PDF could not be written.")
    assert "is a file, not a folder" in failed.args[0]
    assert blocker.read_text() == "x"


def test_a_new_files_mode_is_found_without_proc(monkeypatch, tmp_path, umask_027):
    from pathlib import Path

    from viewer.store.atomic import new_file_mode

    real = Path.read_text

    def no_proc(self, *args, **kwargs):
        if str(self).startswith("/proc"):
            raise OSError("no /proc here")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", no_proc)
    assert new_file_mode(tmp_path) == umask_027
    assert list(tmp_path.iterdir()) == []  # the probe is gone


def test_radicals_in_the_pdf_text_map_become_the_ideographs_printed():
    cmap = (
        b"stream\nbegincmap\n1 beginbfrange\n<0001> <0003> [<5317> <2F12> <2F2F>]\nendbfrange\n"
        b"1 beginbfchar\n<0004> <2F00>\nendbfchar\nendcmap\nendstream <2F12>"
    )
    fixed = fix_pdf_text(cmap)
    assert len(fixed) == len(cmap)  # offsets in the file stay valid
    assert b"[<5317> <529B> <5DE5>]" in fixed and b"<0004> <4E00>" in fixed
    assert fixed.endswith(b"<2F12>")  # outside the map: untouched


# -- copy with citation ----------------------------------------------------------------------------
def test_copy_with_citation_in_chinese(qtbot, open_window):
    window = open_window(LanguageChoice.CHINESE)
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    quote = bulletin.sections[xicheng].paragraphs[1].text[:12]
    window.open_district("西城")
    window.article.setTextCursor(window.article.paragraph_cursor((xicheng, 1), 0, 12))
    window.activateWindow()
    _press(qtbot, window.article, Qt.Key.Key_C, CTRL | SHIFT)
    where = " · ".join(p for p in (bulletin.title, bulletin.date) if p)
    assert QApplication.clipboard().text() == f"{quote}\n{where} · 西城 · 第 2 段"


def test_copy_with_citation_in_english_cites_the_paragraph_at_the_cursor(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    chaoyang = bulletin.section_index("朝阳")
    window.open_district("朝阳")
    cursor = window.article.paragraph_cursor((chaoyang, 0), 3, 3)  # no selection: the whole paragraph
    window.article.setTextCursor(cursor)
    assert window.reader_tools.citations.copy()
    text, citation = QApplication.clipboard().text().rsplit("\n", 1)
    assert text == bulletin.sections[chaoyang].paragraphs[0].text
    assert citation.endswith("朝阳 · paragraph 1") and citation.startswith(bulletin.title)


def test_copy_with_citation_of_a_selection_over_paragraphs_cites_where_it_starts(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    paragraphs = bulletin.sections[xicheng].paragraphs
    window.reading.show_spans(bulletin.id, xicheng, 0, [(0, 5, 5), (1, 0, 6)])
    assert window.reader_tools.citations.copy()
    text, citation = QApplication.clipboard().text().rsplit("\n", 1)
    assert text == f"{paragraphs[0].text[5:]}\n{paragraphs[1].text[:6]}"
    assert citation.endswith("西城 · paragraph 1")


def test_copy_with_citation_shows_traditional_text_as_shown(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    window.reader_tools.set_script(ScriptChoice.TRADITIONAL)
    xicheng = bulletin.section_index("西城")
    window.open_district("西城")
    window.article.setTextCursor(window.article.paragraph_cursor((xicheng, HEADLINE), 0, 6))
    assert window.reader_tools.citations.copy()
    text, citation = QApplication.clipboard().text().rsplit("\n", 1)
    assert text == to_traditional(bulletin.sections[xicheng].headline[:6])
    assert citation.endswith("西城 · headline")


# -- next / previous section -----------------------------------------------------------------------
def test_alt_down_and_ctrl_page_keys_step_through_the_tree(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    order = [s.district for s in bulletin.sections]
    window.open_district(order[1])
    window.activateWindow()
    article = window.article
    _press(qtbot, article, Qt.Key.Key_Down, ALT)
    assert article.current_section() == (bulletin.id, 2)
    assert window.tree.current_target() == (bulletin.id, 2)  # the tree follows
    assert bulletin.sections[2].headline in article.toPlainText()
    _press(qtbot, article, Qt.Key.Key_PageDown, CTRL)
    assert article.current_section() == (bulletin.id, 3)
    _press(qtbot, article, Qt.Key.Key_PageUp, CTRL)
    _press(qtbot, article, Qt.Key.Key_Up, ALT)
    assert article.current_section() == (bulletin.id, 1)
    assert article.hasFocus()  # the reader stays in the text
    # Before the first district: the bulletin's own page (the tree's row above it).
    _press(qtbot, article, Qt.Key.Key_Up, ALT)
    _press(qtbot, article, Qt.Key.Key_Up, ALT)
    assert article.current_section() == (bulletin.id, None)
    _press(qtbot, article, Qt.Key.Key_Up, ALT)
    assert article.current_section() == (bulletin.id, None)
    assert window.status.currentMessage() == "This is the first section."


def test_next_section_in_the_by_district_tree(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    window.commands.by_district_action.trigger()
    window.open_district(bulletin.sections[0].district)
    assert window.reader_tools.step_section(True)
    assert window.article.current_section() == (bulletin.id, 1)
    window.open_district(bulletin.sections[-1].district)
    assert not window.reader_tools.step_section(True)
    assert window.status.currentMessage() == "This is the last section."


# -- paragraph numbers -----------------------------------------------------------------------------
def _margin_ink(window, place) -> int:
    """Dark pixels in the margin left of a paragraph's first line, as painted."""
    article = window.article
    cursor = article.paragraph_cursor(place, 0, 0)
    article.scroll_to_cursor(cursor)
    rect = article.cursorRect(cursor)
    left = int(article.document().rootFrame().frameFormat().leftMargin())
    image: QImage = article.viewport().grab().toImage()
    base = image.pixelColor(2, rect.center().y()).lightness()
    ink = 0
    for x in range(2, max(3, left - 2)):
        for y in range(rect.top(), rect.bottom()):
            if abs(image.pixelColor(x, y).lightness() - base) > 60:
                ink += 1
    return ink


def test_paragraph_numbers_show_in_the_margin_and_are_remembered(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    window.open_district("西城")
    action = window.reader_tools.commands.paragraph_numbers_action
    assert not action.isChecked() and _margin_ink(window, (xicheng, 1)) == 0
    text = window.article.toPlainText()
    action.trigger()
    assert window.article.paragraph_numbers()
    assert _margin_ink(window, (xicheng, 1)) > 0
    assert _margin_ink(window, (xicheng, HEADLINE)) == 0  # a headline has no number
    assert window.article.toPlainText() == text  # painted beside the text, never in it
    window.close()

    again = open_window()
    assert again.reader_tools.commands.paragraph_numbers_action.isChecked()
    assert again.article.paragraph_numbers()


def test_paragraph_numbers_are_the_numbers_citations_give(qtbot, open_window, monkeypatch):
    from PySide6.QtGui import QPainter

    window = open_window()
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    window.open_district("西城")
    window.reader_tools.set_paragraph_numbers(True)
    drawn = []
    real = QPainter.drawText

    def record(painter, *args):
        drawn.append(args[-1])
        return real(painter, *args)

    monkeypatch.setattr(QPainter, "drawText", record)
    window.article.viewport().repaint()
    monkeypatch.undo()
    assert drawn == [str(p.index + 1) for p in bulletin.sections[xicheng].paragraphs]
    for paragraph in bulletin.sections[xicheng].paragraphs:
        number = paragraph_number(BlockInfo(xicheng, paragraph.index))
        window.article.setTextCursor(window.article.paragraph_cursor((xicheng, paragraph.index)))
        citation = window.reader_tools.citations.text_with_citation().rsplit("\n", 1)[1]
        assert citation.endswith(f"paragraph {number}")
    assert paragraph_number(BlockInfo(xicheng, HEADLINE)) is None


def test_unreadable_display_settings_give_the_defaults(qtbot, open_window):
    settings = _settings()
    settings.setValue("reading/paragraph-numbers", "perhaps")
    settings.setValue("reading/script", "klingon")
    settings.setValue("reading/font-family", "x\ny")
    settings.sync()
    window = open_window()
    assert not window.article.paragraph_numbers()
    assert window.article.display() is None
    assert window.article.text_family() == ""


# -- traditional characters ------------------------------------------------------------------------
def test_traditional_display_keeps_hits_finds_and_selections_on_their_characters(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    window.open_district("西城")
    window.reader_tools.commands.traditional_action.trigger()
    article = window.article
    shown = article.toPlainText()
    assert "社區" in shown and "社区" not in shown
    assert to_traditional(bulletin.sections[xicheng].headline) in shown

    # Search hits: the spans mark the characters of 社区, shown as 社區.
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("社区")
    window.open_district("西城")
    spans = article.hit_spans()
    assert spans
    for section, paragraph, start, end in spans:
        assert bulletin.passage(section, paragraph)[start:end] == "社区"
        cursor = article.paragraph_cursor((section, paragraph), start, end)
        assert cursor.selectedText() == "社區"

    # Find in section, typed either way.
    count = sum(p.text.count("社区") for p in bulletin.sections[xicheng].paragraphs)
    count += bulletin.sections[xicheng].headline.count("社区")
    window.commands.find_action.trigger()
    for typed in ("社区", "社區"):
        window.find_bar.edit.clear()
        type_text(window.find_bar.edit, typed)
        assert window.find_bar.count.text() == f"1 / {count}"
        assert {c.selectedText() for c in article.find_cursors(typed, 100)} == {"社區"}
    window.find_bar.closed.emit()

    # A selection is a reference into the text as published (what a bookmark keeps).
    article.setTextCursor(article.paragraph_cursor((xicheng, 0), 0, 10))
    ref = article.current_selection()
    assert (
        article.paragraph_text((xicheng, 0))[ref.start : ref.end]
        == bulletin.sections[xicheng].paragraphs[0].text[:10]
    )

    window.reader_tools.commands.traditional_action.trigger()  # back to the text as published
    assert "社区" in article.toPlainText()
    assert _settings().value("reading/script") == ScriptChoice.PUBLISHED.value


def test_traditional_display_is_remembered(qtbot, open_window):
    window = open_window()
    window.reader_tools.set_script(ScriptChoice.TRADITIONAL)
    window.open_district("西城")
    window.close()
    again = open_window()
    assert again.reader_tools.commands.traditional_action.isChecked()
    assert "社區" in again.article.toPlainText()


def test_a_conversion_that_changes_length_falls_back_character_by_character(monkeypatch):
    phrases = {"头发": "頭髮絲", "发": "發", "头": "頭"}  # a made-up phrase of another length
    monkeypatch.setattr(script_display, "_s2t", lambda text: phrases.get(text, text))
    script_display._run.cache_clear()
    script_display._char.cache_clear()
    try:
        assert to_traditional("头发。发") == "頭發。發"  # the run 头发 char by char
    finally:
        script_display._run.cache_clear()
        script_display._char.cache_clear()


def test_converted_text_keeps_every_length():
    sample = "头发理发店，东城区后面干净里面。“台湾”网络 EMS 1,450处；乾隆"
    converted = to_traditional(sample)
    assert len(converted) == len(sample)
    assert converted.startswith("頭髮理髮店")


# -- text font -------------------------------------------------------------------------------------
def test_text_font_menu_lists_chinese_fonts_and_the_choice_is_remembered(qtbot, open_window):
    families = [f for f in installed_cjk_families() if f != "Noto Sans CJK SC"]
    if not families:
        pytest.skip("only one Chinese font is installed")
    chosen = next((f for f in families if "Serif" in f), families[0])
    window = open_window()
    window.open_district("西城")
    commands = window.reader_tools.commands
    commands.font_menu.aboutToShow.emit()  # the menu is filled when it opens
    names = [a.data() for a in commands.font_menu.actions() if not a.isSeparator()]
    assert names[0] == "" and chosen in names and all(not n.endswith(" JP") for n in names if n)
    action = next(a for a in commands.font_menu.actions() if a.data() == chosen)
    action.trigger()
    assert QFontInfo(window.article.document().defaultFont()).family() == chosen
    window.close()

    again = open_window()
    again.open_district("西城")
    assert again.article.text_family() == chosen
    assert QFontInfo(again.article.document().defaultFont()).family() == chosen
    again.reader_tools.commands.font_menu.aboutToShow.emit()
    checked = [a.data() for a in again.reader_tools.commands.font_group.actions() if a.isChecked()]
    assert checked == [chosen]
