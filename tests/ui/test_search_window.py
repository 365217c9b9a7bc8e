"""Search in the window: every result reachable by scrolling, the results tab in front when a
search starts, and passages a ``-word`` leaves out not marked in the text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from tests.conftest import write_bulletins
from viewer.model import HEADLINE
from viewer.store import Archive
from viewer.ui import search_controller
from viewer.ui.results_model import HitRole


def _place(hit) -> tuple:
    return hit.bulletin_id, hit.section, hit.paragraph


def test_scrolling_to_the_end_of_the_list_loads_every_result(qtbot, open_window, tmp_path, monkeypatch):
    Archive().import_files(write_bulletins(tmp_path / "src", 3, seed=5))
    monkeypatch.setattr(search_controller, "RESULT_LIMIT", 4)
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("疫情")
    first = shown.args[0].result
    total = first.total
    assert len(first.hits) == 4 < total
    panel, model = window.search_panel, window.search_panel.model
    panel.focus_results()
    current = panel.view.currentIndex().data(HitRole)
    assert current is not None
    bar = panel.view.verticalScrollBar()
    for _page in range(total):
        listed = model.hit_count()
        if listed == total:
            break
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda listed=listed: model.hit_count() > listed, timeout=30_000)
        assert window.search.last_outcome.result.total == total  # exact from the first page on
        assert "matches" in panel.summary.text() and str(total) in panel.summary.text()
    assert model.hit_count() == total
    everything = window.search_index().search("疫情", limit=0).hits
    assert sorted(_place(h) for _i, h in model.hits_in_order()) == sorted(_place(h) for h in everything)
    assert panel.view.currentIndex().data(HitRole) == current  # the row chosen stays chosen
    assert "shown" not in panel.summary.text()  # no longer "first N shown"
    groups = model.groups()
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)
    assert all(len(g.hits) == g.count for g in groups)


def test_stepping_past_the_listed_hits_goes_on_to_the_end(qtbot, open_window, tmp_path, monkeypatch):
    Archive().import_files(write_bulletins(tmp_path / "src", 2, seed=7))
    monkeypatch.setattr(search_controller, "RESULT_LIMIT", 2)
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("疫情")
    total = shown.args[0].result.total
    panel = window.search_panel
    panel.open_first()
    steps = 0
    for _step in range(2 * total):
        if panel.open_adjacent(True):
            steps += 1
            continue
        if not panel.has_more():
            break
        # The next page is asked for; its hits may also join groups above (the list stays grouped).
        qtbot.waitUntil(lambda: panel.open_adjacent(True) or not panel.has_more(), timeout=30_000)
        steps += 1
    assert panel.model.hit_count() == total and steps > 2
    last = panel.model.hits_in_order()[-1][0]
    assert panel.view.currentIndex() == last  # at the end of the whole list, not of the first page
    # F3 past the very end says there are no more.
    window.article.clear_hits()
    window.reading.step_hit(True)
    assert window.statusBar().currentMessage() == "No more matches."


def _front_tab(window) -> str:
    """The title of the dock in front among the tabbed docks on the right."""
    (bar,) = [b for b in window.findChildren(QTabBar) if b.count() > 1 and b.isVisible()]
    return bar.tabText(bar.currentIndex())


def test_the_results_come_to_the_front_when_a_search_starts(qtbot, open_window):
    window = open_window()
    window.bookmarks_dock.raise_()
    assert _front_tab(window) == "Bookmarks"
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "covid")
    assert _front_tab(window) == "Search Results"  # at once, not only when the answer is in
    assert window.search_field.hasFocus()  # the typing goes on where it was
    window.bookmarks_dock.raise_()
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("消毒")  # --search, say
    assert _front_tab(window) == "Search Results"
    # A search that ends (the index brought up to date, say) does not take the tab back.
    window.bookmarks_dock.raise_()
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.search.refresh()
    assert _front_tab(window) == "Bookmarks"


def test_passages_left_out_by_a_minus_word_are_not_marked(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    xicheng = bulletin.section_index("西城")
    section = bulletin.section("西城")
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("消毒 -平房")
    listed = {(h.section, h.paragraph) for h in shown.args[0].result.hits}
    assert (xicheng, 1) in listed and (xicheng, 0) not in listed and (xicheng, HEADLINE) not in listed
    window.open_district("西城")
    marked = {(s, p) for s, p, _start, _end in window.article.hit_spans()}
    assert marked == {(xicheng, 1)}  # not the headline nor the first paragraph, which name 平房
    assert window.article.hit_count() == section.paragraphs[1].text.count("消毒")
    # Opening the hit marks it the same way.
    hit = next(h for h in shown.args[0].result.hits if (h.section, h.paragraph) == (xicheng, 1))
    window.open_district("东城")
    window.open_hit(hit)
    assert {(s, p) for s, p, _start, _end in window.article.hit_spans()} == {(xicheng, 1)}
    # Without the minus word every passage holding 消毒 is marked again.
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("消毒")
    marked = {(s, p) for s, p, _start, _end in window.article.hit_spans()}
    assert marked == {(xicheng, HEADLINE), (xicheng, 0), (xicheng, 1)}


def test_a_hit_row_survives_more_hits_arriving(qtbot, open_window, tmp_path, monkeypatch):
    Archive().import_files(write_bulletins(tmp_path / "src", 2, seed=3))
    monkeypatch.setattr(search_controller, "RESULT_LIMIT", 3)
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("疫情")
    panel = window.search_panel
    panel.open_first()
    chosen = panel.view.currentIndex().data(HitRole)
    with qtbot.waitSignal(window.search.search_extended, timeout=30_000):
        assert window.search.load_more() or window.search.is_busy()
    assert panel.view.currentIndex().data(HitRole) == chosen
    assert panel.view.currentIndex().isValid()
    before = panel.view.currentIndex()
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)  # the view still walks the rows
    assert panel.view.currentIndex().isValid() and panel.view.currentIndex() != before
