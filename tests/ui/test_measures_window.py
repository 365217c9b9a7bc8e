"""The measures view in the window: a tab beside the results, built when first shown,
and a passage asked for opens in the article with the type's phrases highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_measures_tab_opens_a_cell_passage_highlighted(open_window, qtbot):
    window = open_window()
    assert window.later.made_measures_view is None  # not built before it is wanted
    with qtbot.waitSignal(window.measures_dock.visibilityChanged, timeout=10_000):
        window.measures_dock.show()
        window.measures_dock.raise_()
    view = window.measures_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=30_000)
    vertical = Qt.Orientation.Vertical
    rows = [view.model.headerData(r, vertical) for r in range(view.model.rowCount())]
    assert "西城" in rows
    bulletin = window.library.bulletins[0]
    section = next(i for i, s in enumerate(bulletin.sections) if s.district.startswith("西城"))
    paragraph = next(i for i, p in enumerate(bulletin.sections[section].paragraphs) if "消毒" in p.text)
    view.passage_requested.emit(bulletin.id, section, paragraph, ["消毒", "消杀"])
    shown = window.article.current_section()
    assert shown is not None and shown[0] == bulletin.id
    spans = window.article.hit_spans()
    assert spans and all(s[:2] == (section, paragraph) for s in spans)
    text = bulletin.sections[section].paragraphs[paragraph].text
    assert {text[s[2] : s[3]] for s in spans} <= {"消毒", "消杀"}


def test_the_article_stays_readable_beside_the_measures(open_window, qtbot):
    """The measures panel is wide (a matrix and its passages); opened in a window of the
    default size it takes the room beyond a short line of text, never the reading column
    (it used to leave the article one character wide)."""
    from viewer.ui.article import MIN_LINE_CHARS

    window = open_window()
    window.resize(1180, 760)
    with qtbot.waitSignal(window.measures_dock.visibilityChanged, timeout=10_000):
        window.measures_dock.show()
        window.measures_dock.raise_()
    view = window.measures_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=30_000)
    qtbot.waitUntil(lambda: window.measures_dock.width() > 300, timeout=5_000)
    assert window.width() <= 1180  # it fits: the window did not have to grow
    article = window.article
    lines = []
    block = article.document().begin()
    while block.isValid():
        layout = block.layout()
        if block.length() > 2 * MIN_LINE_CHARS and layout.lineCount() > 1:
            lines.append(layout.lineAt(0).textLength())
        block = block.next()
    assert lines and min(lines) >= MIN_LINE_CHARS - 1  # an opening bracket may move down
