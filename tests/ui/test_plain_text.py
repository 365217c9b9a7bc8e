"""Text from documents and users is shown as the text it is, never run as HTML.

A crafted bulletin puts ``<b>bold</b>``, ``<img src=file:///etc/passwd>`` and
``<a href='x'>link</a>`` in its title, column, a district headline and a paragraph; the
test then feeds the same strings as a bookmark note, tags, a query and a file name, and
reads back what each place shows: a label's text and its format, a tooltip as the view
really shows it (rendered as Qt renders it: as HTML whenever ``Qt.mightBeRichText`` says
so), a message box's labels, the tree rows, the article, the status bar and the notice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QToolTip

from viewer.store import Archive
from viewer.ui.bookmarks_panel import BookmarkRole
from viewer.ui.tree_model import NodeRole

BOLD = "<b>bold</b>"
IMAGE = "<img src=file:///etc/passwd>"
LINK = "<a href='x'>link</a>"
EVIL = BOLD + IMAGE + LINK

TITLE = f"通报{EVIL}"
COLUMN = "监管动态"  # a column is one the parser knows: no tags in it
HEADLINE_TEXT = f"{EVIL}头条"
PARAGRAPH = f"东城区出台消毒措施{EVIL}，涉及社区。"
CRAFTED = (
    f"{TITLE}\n {COLUMN}\n\n为了防控疫情，各区出台一系列防控举措。\n\n"
    f"东城：\n{HEADLINE_TEXT}\n\n{PARAGRAPH}\n\n"
    "西城：\n加强社区消毒工作\n\n西城区街道社区积极行动起来，应对疫情。\n"
)
# A file name cannot hold "/": the same tags, without it.
FILE_NAME = "<b>bold<b><img src=shot.png><a href='x'>link<a>.pdf"


def shown(text: str) -> str:
    """What Qt puts on screen for a string it may take as rich text (a tooltip, an
    AutoText label): the text of the HTML when ``Qt.mightBeRichText`` says it is some."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def assert_literal_label(label: QLabel, text: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert label.text() == text


def shown_tooltip(view: QAbstractItemView, index: QModelIndex) -> str:
    """Hover a row as a user does: the text of the tooltip the view shows (rendered)."""
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    QToolTip.hideText()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    labels = [w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel") and w.isVisible()]
    assert len(labels) == 1, "no tooltip shown"
    text = labels[0].text()
    QToolTip.hideText()
    assert text == index.data(Qt.ItemDataRole.ToolTipRole)  # what the model gave, unchanged
    return shown(text)


def _crafted_window(open_window, tmp_path: Path):
    source = tmp_path / "crafted.txt"
    source.write_text(CRAFTED, encoding="utf-8")
    report = Archive().import_files([source])
    assert not report.failed, report.failed
    window = open_window()
    bulletin = window.library.get(report.imported[0].id)
    assert bulletin.title == TITLE and bulletin.column == COLUMN  # the parser kept the text as it is
    assert bulletin.sections[0].headline == HEADLINE_TEXT
    assert bulletin.sections[0].paragraphs[0].text == PARAGRAPH
    return window, bulletin


def _walk(model, parent=QModelIndex()):  # noqa: B008
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from _walk(model, index)


def test_tree_rows_their_tooltips_the_article_and_the_title_show_the_text(qtbot, open_window, tmp_path):
    window, bulletin = _crafted_window(open_window, tmp_path)
    window.reading.show_section(bulletin.id, 0)  # 东城: selects and expands its row
    view = window.tree.view
    # The crafted bulletin's rows: its own (section None) and its districts'.
    rows = {
        i.data(NodeRole).section: i
        for i in _walk(view.model())
        if i.data(NodeRole).bulletin_id == bulletin.id
    }
    assert rows[None].data() == TITLE  # undated: the row is the title
    assert shown_tooltip(view, rows[None]) == COLUMN
    assert rows[0].data() == "东城"
    assert shown_tooltip(view, rows[0]) == HEADLINE_TEXT
    window.commands.by_district_action.trigger()  # 东城 → the bulletins that cover it
    window.reading.show_section(bulletin.id, 0)
    leaves = [i for i in _walk(view.model()) if i.parent().isValid()]
    (leaf,) = [
        i for i in leaves if i.data(NodeRole).bulletin_id == bulletin.id and i.parent().data() == "东城"
    ]
    assert leaf.data() == TITLE
    assert shown_tooltip(view, leaf) == HEADLINE_TEXT
    # The article shows the passages as text (no image, no link, no bold from the document).
    text = window.article.toPlainText()
    assert TITLE in text and HEADLINE_TEXT in text and PARAGRAPH in text
    assert "\ufffc" not in text  # an object (an image) would show as this
    window.reading.show_section(bulletin.id, None)
    assert TITLE in window.article.toPlainText() and COLUMN in window.article.toPlainText()
    assert window.windowTitle() == "Bulletin Viewer"


def test_results_tooltips_and_the_nothing_matches_label_show_the_text(qtbot, open_window, tmp_path):
    window, bulletin = _crafted_window(open_window, tmp_path)
    panel = window.search_panel
    with qtbot.waitSignal(window.search_shown, timeout=20_000):
        window.run_search("消毒措施")
    hits = panel.model.hits_in_order()
    crafted = [(index, hit) for index, hit in hits if hit.bulletin_id == bulletin.id]
    assert crafted and PARAGRAPH in [hit.text for _index, hit in crafted]
    for index, hit in crafted:
        assert shown_tooltip(panel.view, index) == hit.text
    with qtbot.waitSignal(window.search_shown, timeout=20_000):
        window.run_search("通报")  # a hit in the title: its text is the title
    assert TITLE in [hit.text for _index, hit in panel.model.hits_in_order()]
    for index, hit in panel.model.hits_in_order():
        assert shown_tooltip(panel.view, index) == hit.text

    for part in (BOLD, IMAGE, LINK):
        with qtbot.waitSignal(window.search_shown, timeout=20_000):
            window.run_search(part)  # the crafted passages hold it: hits
        assert panel.model.hits_in_order()
        for index, hit in panel.model.hits_in_order():
            assert shown_tooltip(panel.view, index) == hit.text
        assert panel.summary.textFormat() == Qt.TextFormat.PlainText
        query = f"{part}火星人"
        with qtbot.waitSignal(window.search_shown, timeout=20_000):
            window.run_search(query)
        assert panel.stack.currentWidget() is panel.message
        assert_literal_label(panel.message, f"Nothing matches “{query}”. Try fewer or other words.")
    panel.show_failure(EVIL, LINK)
    assert_literal_label(panel.message, f"Could not search for “{EVIL}”: {LINK}")


def test_bookmark_dialog_card_tooltip_and_tags_show_the_text(qtbot, open_window, tmp_path):
    window, bulletin = _crafted_window(open_window, tmp_path)
    qtbot.waitUntil(window.bookmarks.is_open, timeout=10_000)
    window.reading.show_section(bulletin.id, 0)
    assert window.bookmark_workflows.bookmark_paragraph(0, 0)
    dialog = window.bookmark_workflows.dialog
    assert_literal_label(dialog.quote, PARAGRAPH)
    assert_literal_label(dialog.place, f"东城 · paragraph 1 · {TITLE}")
    note = f"{EVIL}\n第二行"
    dialog.note_edit.setPlainText(note)
    dialog.tags_edit.setText(f"{BOLD}, {IMAGE}, {LINK}")
    with qtbot.waitSignal(window.bookmark_workflows.bookmark_saved, timeout=5_000) as saved:
        dialog.accept()
    bookmark = saved.args[0]
    assert bookmark.note == note and bookmark.tags == (BOLD, IMAGE, LINK)

    panel = window.bookmarks_panel
    window.bookmarks_dock.show()
    window.bookmarks_dock.raise_()
    qtbot.waitUntil(panel.view.isVisible)
    index = panel.model.index(panel.model.row_of(bookmark.id), 0)
    assert index.data(BookmarkRole).id == bookmark.id
    expected = "\n\n".join(
        [PARAGRAPH, f"东城 · paragraph 1 · {TITLE}", f"Note: {note}", f"Tags: {BOLD}, {IMAGE}, {LINK}"]
    )
    assert shown_tooltip(panel.view, index) == expected
    tags = [panel.tag_box.itemText(row) for row in range(panel.tag_box.count())]
    assert {f"#{BOLD}", f"#{IMAGE}", f"#{LINK}"} <= set(tags)  # combo box items are plain text

    window.bookmark_workflows.edit_bookmark(bookmark)
    editing = window.bookmark_workflows.dialog
    assert editing.note_edit.toPlainText() == note  # a plain text editor
    assert_literal_label(editing.place, f"东城 · paragraph 1 · {TITLE}")
    editing.reject()


def test_message_box_status_bar_and_notice_show_the_text(qtbot, open_window, tmp_path):
    window, _bulletin = _crafted_window(open_window, tmp_path)
    window.setProperty("quiet", False)  # this test wants the message box
    bad = tmp_path / FILE_NAME
    bad.write_bytes(b"%PDF-1.4 not really a PDF")
    with qtbot.waitSignal(window.library.imported, timeout=60_000):
        window.library.import_files([bad])
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1
    labels = [label for label in boxes[0].findChildren(QLabel) if label.text()]
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert any(label.text().startswith(f"{FILE_NAME}: ") for label in labels)  # the details name it
    boxes[0].close()

    window.report_error(TITLE, PARAGRAPH)
    box = next(box for box in window.findChildren(QMessageBox) if box.isVisible())
    texts = {label.text(): label.textFormat() for label in box.findChildren(QLabel) if label.text()}
    assert texts == {TITLE: Qt.TextFormat.PlainText, PARAGRAPH: Qt.TextFormat.PlainText}
    box.close()
    # The status bar draws its message as text (QStatusBar never renders HTML).
    assert window.statusBar().currentMessage() == f"{TITLE} {PARAGRAPH}"

    window.notice.show_message(lambda: HEADLINE_TEXT)
    assert_literal_label(window.notice.text, HEADLINE_TEXT)


def test_a_short_summary_leaves_the_details_a_readable_line(qtbot, open_window):
    """Qt sizes a message box by its first line: under a short summary the details were
    wrapped a few characters a line (Chinese may break after any character)."""
    from viewer.ui.message_box import DETAIL_LINE_CHARS

    window = open_window()
    window.setProperty("quiet", False)  # this test wants the message box
    details = "扫描件.pdf：没有文字层（是扫描的图片）；请先做文字识别（OCR）再导入。<b>不是标记</b>"
    window.report_error("这个文件未能导入。", details)
    box = next(box for box in window.findChildren(QMessageBox) if box.isVisible())
    label = next(label for label in box.findChildren(QLabel) if label.text() == details)
    qtbot.waitUntil(lambda: label.width() > 0)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.width() >= (DETAIL_LINE_CHARS - 1) * label.fontMetrics().horizontalAdvance("中")
    box.close()
