"""The real window, driven as a user would: tree, article, search, import, state, languages."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from tests.conftest import write_bulletins
from tests.ui.conftest import type_text
from viewer.model import HEADLINE
from viewer.ui.article import DEFAULT_ZOOM
from viewer.ui.i18n import LanguageChoice
from viewer.ui.nodes import TreeMode
from viewer.ui.theme import ThemeChoice
from viewer.ui.tree_model import HitCountRole

XICHENG_HEADLINE = "加强平房院落社区消毒工作"


def _proxy_rows(window, parent=QModelIndex()):  # noqa: B008
    proxy = window.tree.view.model()  # the model, or the filter proxy while filtering
    out = {}
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        out[index.data()] = index
    return out


def _click_tree_row(qtbot, window, index) -> None:
    view = window.tree.view
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _article_text(window) -> str:
    return window.article.toPlainText()


def test_choosing_a_district_shows_its_headline_and_paragraphs(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    top = next(iter(_proxy_rows(window).values()))
    _click_tree_row(qtbot, window, _proxy_rows(window, top)["西城"])
    text = _article_text(window)
    assert XICHENG_HEADLINE in text
    assert bulletin.section("西城").paragraphs[0].text in text
    assert window.article.current_section() == (bulletin.id, bulletin.section_index("西城"))
    # Keyboard: Down moves to the next district and shows it.
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Down)
    assert bulletin.section("朝阳").headline in _article_text(window)


def test_selecting_a_bulletin_shows_its_lead(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    _click_tree_row(qtbot, window, next(iter(_proxy_rows(window).values())))
    assert window.article.current_section() == (bulletin.id, None)
    assert bulletin.lead[0].text in _article_text(window)


def test_by_district_view_and_filter(qtbot, open_window):
    window = open_window()
    window.commands.by_district_action.trigger()
    assert window.tree.mode() is TreeMode.BY_DISTRICT
    rows = _proxy_rows(window)
    assert list(rows)[:2] == ["东城", "西城"]
    _click_tree_row(qtbot, window, rows["朝阳"])
    assert window.library.bulletins[0].section("朝阳").headline in _article_text(window)
    type_text(window.tree.filter_edit, "海淀")
    assert list(_proxy_rows(window)) == ["海淀"]
    window.tree.filter_edit.clear()
    assert len(_proxy_rows(window)) == 12
    assert window.tree.current_target() == window.article.current_section()


def test_search_groups_by_district_counts_in_tree_and_highlights_hits(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    window.commands.search_action.trigger()
    assert window.search_field.hasFocus()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as blocker:
        type_text(window.search_field, "消毒")
    outcome = blocker.args[0]
    assert outcome.query == "消毒" and outcome.result.total > 0

    groups = window.search_panel.model.groups()
    keys = [g.key for g in groups]
    assert "西城" in keys and len(keys) == len(set(keys))
    counts = [g.count for g in groups]
    assert counts == sorted(counts, reverse=True)
    for group in groups:
        assert all(h.district == group.key or h.district.startswith(group.key) for h in group.hits)
        assert group.count == outcome.result.district_counts[group.key]

    # The tree shows hit counts while the search is active.
    top = next(iter(_proxy_rows(window).values()))
    assert top.data(HitCountRole) == outcome.result.bulletin_counts[bulletin.id]
    districts = _proxy_rows(window, top)
    assert districts["西城"].data(HitCountRole) == outcome.result.district_counts["西城"]
    assert districts["东城"].data(HitCountRole) == 0

    # Down from the field goes into the list; the first hit opens with every hit highlighted.
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.search_panel.view.hasFocus()
    first = groups[0].hits[0]
    section = bulletin.sections[first.section]
    assert window.article.current_section() == (bulletin.id, first.section)
    texts = {HEADLINE: section.headline} | {p.index: p.text for p in section.paragraphs}
    expected = sum(t.count("消毒") for t in texts.values())
    spans = window.article.hit_spans()
    assert len(spans) == expected > 0
    assert all(sec == first.section and texts[p][s:e] == "消毒" for sec, p, s, e in spans)
    assert spans[window.article.current_hit()][:2] == (first.section, first.paragraph)

    # F3 moves to the next hit; at the last one it opens the next result.
    before = window.article.current_hit()
    window.commands.next_hit_action.trigger()
    assert window.article.current_hit() == before + 1
    for _ in range(expected):
        window.commands.next_hit_action.trigger()
    assert window.article.current_section() != (bulletin.id, section.district)

    # Clearing the field clears counts and highlights.
    with qtbot.waitSignal(window.search.search_cleared):
        window.search_field.clear()
    assert top.data(HitCountRole) is None
    assert window.article.hit_count() == 0


def test_a_hopeless_query_shows_a_calm_no_results(qtbot, open_window):
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as blocker:
        window.run_search("量子色动力学")
    assert blocker.args[0].result.total == 0
    panel = window.search_panel
    assert panel.stack.currentWidget() is panel.message
    assert "量子色动力学" in panel.message.text()
    assert not QApplication.activeModalWidget()
    assert window.article.hit_count() == 0  # none of its characters is marked in the text


def test_browsing_during_a_search_marks_hits_only_where_there_are_some(qtbot, open_window):
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("消毒")
    window.open_district("西城")
    assert window.article.hit_count() == _article_text(window).count("消毒") > 0
    window.open_district("东城")  # no 消毒 there, though 消 and 毒 words may be
    assert window.article.hit_count() == 0


def test_district_filter_narrows_results(qtbot, open_window):
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000):
        window.run_search("疫情")
    box = window.search_panel.district_box
    assert box.count() > 2
    row = box.findData("西城")
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as blocker:
        box.setCurrentIndex(row)
        box.activated.emit(row)
    outcome = blocker.args[0]
    assert outcome.district == "西城"
    assert {g.key for g in window.search_panel.model.groups()} == {"西城"}
    assert box.count() > 2  # the other districts stay choosable


def test_find_in_section_counts_and_steps(qtbot, open_window):
    window = open_window()
    window.open_district("西城")
    window.commands.find_action.trigger()
    assert window.find_bar.isVisible() and window.find_bar.edit.hasFocus()
    type_text(window.find_bar.edit, "社区")
    total = _article_text(window).count("社区")
    assert window.find_bar.count.text() == f"1 / {total}"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == f"2 / {total}"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.count.text() == f"1 / {total}"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_the_find_bar_made_on_first_use_sits_below_the_text_and_follows_it_in_tab_order(qtbot, open_window):
    window = open_window()
    assert window.later.made_find_bar is None  # not part of the first frame
    window.open_district("西城")
    window.commands.find_action.trigger()
    bar = window.find_bar
    layout = window.reading_layout
    assert layout.indexOf(bar) == layout.indexOf(window.article) + 1  # below the article

    def next_stop(widget):  # where Tab goes from ``widget``: the next widget outside it that takes Tab
        candidate = widget.nextInFocusChain()
        while widget.isAncestorOf(candidate) or not candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
            candidate = candidate.nextInFocusChain()
        return candidate

    chain = [window.article]
    while len(chain) < 5:
        chain.append(next_stop(chain[-1]))
    assert chain[1:] == [bar.edit, bar.previous_button, bar.next_button, bar.close_button]


def test_import_two_bulletins_shows_them_in_both_views(qtbot, open_window, tmp_path):
    window = open_window()
    files = write_bulletins(tmp_path / "in", 2, seed=5)
    bad = tmp_path / "in" / "notes.txt"
    bad.write_bytes(b"\x00\x01binary\xff")
    reported, finished = [], []
    window.task_failed.connect(reported.append)
    window.library.imported.connect(finished.append)
    with qtbot.waitSignals([window.library.imported, window.index_ready], timeout=60_000):
        assert window.library.import_files([*files, bad])
    outcome = finished[0]
    assert len(outcome.report.imported) == 2
    assert [p for p, _reason in outcome.report.failed] == [bad]
    titles = [r.title for r in outcome.report.imported]
    assert set(titles) <= set(_proxy_rows(window))
    assert len(reported) == 1 and "notes.txt" in reported[0]  # the failure is listed with its reason

    window.commands.by_district_action.trigger()
    covered = set()
    for index in _proxy_rows(window).values():
        covered |= set(_proxy_rows(window, index))
    assert set(titles) <= covered

    # The index was brought up to date: the new bulletins are searchable.
    new = window.library.get(outcome.report.imported[0].id)
    word = new.sections[0].headline[:4]
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as blocker:
        window.run_search(word)
    assert new.id in blocker.args[0].result.bulletin_counts


def test_drop_files_imports_them(qtbot, open_window, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    window = open_window()
    files = write_bulletins(tmp_path / "drop", 1, seed=9)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.library.imported, timeout=60_000) as blocker:
        window.dropEvent(event)
    assert len(blocker.args[0].report.imported) == 1


def test_restart_restores_section_zoom_and_tree_mode(qtbot, open_window):
    window = open_window()
    window.open_district("朝阳")
    window.commands.zoom_in_action.trigger()
    window.commands.zoom_in_action.trigger()
    zoom = window.article.zoom()
    assert zoom > DEFAULT_ZOOM
    window.commands.by_district_action.trigger()
    section = window.article.current_section()
    window.close()

    again = open_window()
    assert again.article.current_section() == section
    assert again.article.zoom() == zoom
    assert again.tree.mode() is TreeMode.BY_DISTRICT
    assert again.tree.current_target() == section
    again.commands.zoom_reset_action.trigger()
    assert again.article.zoom() == DEFAULT_ZOOM


def test_selection_reference_and_show_passage(qtbot, open_window):
    window = open_window()
    bulletin = window.library.bulletins[0]
    paragraph = bulletin.section("西城").paragraphs[1]
    quote = paragraph.text[10:22]
    xicheng = bulletin.section_index("西城")
    assert window.reading.show_passage(bulletin.id, xicheng, 1, quote)
    ref = window.article.current_selection()
    assert ref == (bulletin.id, xicheng, 1, 10, 22)
    window.article.copy()
    assert QApplication.clipboard().text() == quote
    assert not window.reading.show_passage(bulletin.id, xicheng, 1, "not in the text")
    window.article.mark_paragraphs([(xicheng, 0), (xicheng, HEADLINE)])
    assert window.article.marked_paragraphs() == {(xicheng, 0), (xicheng, HEADLINE)}


def test_language_and_theme_switch_live(qtbot, open_window):
    window = open_window()
    assert window.commands.file_menu.title() == "&File"
    window.commands.language_actions[LanguageChoice.CHINESE].trigger()
    qtbot.waitUntil(lambda: window.commands.file_menu.title() == "文件(&F)")  # LanguageChange is posted
    assert window.search_field.placeholderText().startswith("搜索")
    assert window.tree.mode_box.itemText(1) == "按区"
    window.commands.language_actions[LanguageChoice.ENGLISH].trigger()
    qtbot.waitUntil(lambda: window.commands.file_menu.title() == "&File")

    window.commands.theme_actions[ThemeChoice.DARK].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 100
    window.commands.theme_actions[ThemeChoice.LIGHT].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


def test_every_control_has_an_accessible_name(qtbot, open_window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTextEdit

    window = open_window()
    controls = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractItemView, QTextEdit, QAbstractButton)
        for w in window.findChildren(kind)
        if w.isVisibleTo(window) and w.parent() is not None and not w.objectName().startswith("qt_")
    ]
    unnamed = [
        f"{type(w).__name__}:{w.objectName()} in {type(w.parent()).__name__}:{w.parent().objectName()}"
        for w in controls
        if not w.accessibleName()
    ]
    assert controls and unnamed == []


def test_missing_chinese_font_shows_a_notice_that_does_not_block(qtbot, open_window, monkeypatch):
    import viewer.ui.main_window as main_window

    monkeypatch.setattr(main_window, "cjk_font_available", lambda: False)
    window = open_window()
    assert window.notice.isVisible()
    assert "fonts-noto-cjk" in window.notice.text.text()
    assert QApplication.activeModalWidget() is None
    window.commands.language_actions[LanguageChoice.CHINESE].trigger()
    qtbot.waitUntil(lambda: "中文字体" in window.notice.text.text())
    window.commands.language_actions[LanguageChoice.ENGLISH].trigger()
    qtbot.mouseClick(window.notice.close_button, Qt.MouseButton.LeftButton)
    assert not window.notice.isVisible()


def test_window_paints_before_the_archive_is_read(qtbot, viewer_home):
    from PySide6.QtCore import QSettings

    from viewer import paths
    from viewer.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(paths.settings_path()), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.library.bulletins == () and window.search_index() is None  # nothing read yet
    with qtbot.waitSignals([window.library_loaded, window.index_ready], timeout=60_000):
        window.start()
    assert window.status.progress.isHidden()  # the start-up progress is gone once ready
    assert window.search_index() is not None and len(window.library) == 1
    window.close()


def test_typing_before_the_index_is_open_searches_once_it_is(qtbot, viewer_home):
    from PySide6.QtCore import QSettings

    from viewer import paths
    from viewer.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(paths.settings_path()), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.search_field.setText("消毒")
    panel = window.search_panel
    assert panel.stack.currentWidget() is panel.message
    assert "being prepared" in panel.message.text()
    with qtbot.waitSignal(window.search_shown, timeout=60_000) as blocker:
        window.start()
    assert blocker.args[0].query == "消毒" and blocker.args[0].result.total > 0
    assert panel.stack.currentWidget() is panel.view
    window.close()


def test_a_side_dock_joins_the_results_as_a_tab_and_is_remembered(qtbot, open_window):
    from PySide6.QtWidgets import QDockWidget, QListWidget

    window = open_window()
    assert window.tabifiedDockWidgets(window.results_dock) == [window.bookmarks_dock, window.measures_dock]
    dock = QDockWidget("Notes", window)
    dock.setObjectName("notesDock")
    dock.setWidget(QListWidget(dock))
    window.add_side_dock(dock)
    qtbot.waitUntil(lambda: dock in window.tabifiedDockWidgets(window.results_dock))
    assert dock.toggleViewAction() in window.commands.view_menu.actions()
    unnamed = QDockWidget(window)
    try:
        window.add_side_dock(unnamed)
    except ValueError as exc:
        assert "objectName" in str(exc)
    else:
        raise AssertionError("a dock without a name was accepted")


def test_sections_are_marked_exactly_where_the_search_found_passages_also_past_the_listed_page(
    qtbot, open_window, tmp_path, monkeypatch
):
    from viewer.store import Archive
    from viewer.ui import search_controller
    from viewer.ui.article import view_of

    Archive().import_files(write_bulletins(tmp_path / "src", 3, seed=5))
    monkeypatch.setattr(search_controller, "RESULT_LIMIT", 1)  # the list holds one hit of many
    window = open_window()
    with qtbot.waitSignal(window.search_shown, timeout=30_000) as shown:
        window.run_search("消毒")
    assert len(shown.args[0].result.hits) == 1 < shown.args[0].result.total
    found = {(h.bulletin_id, view_of(h.section)) for h in window.search_index().search("消毒", limit=0).hits}
    marked, unmarked = 0, 0
    for bulletin in window.library.bulletins:
        for section in [None, *range(len(bulletin.sections))]:
            window.reading.show_section(bulletin.id, section)
            has_hits = (bulletin.id, section) in found
            assert (window.article.hit_count() > 0) == has_hits, (bulletin.title, section)
            marked += has_hits
            unmarked += not has_hits
    assert marked > 1 and unmarked > 1


def test_tree_row_icons_are_drawn_for_the_screens_pixel_ratio(qtbot, open_window, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent, QSize

    window = open_window()

    def sizes() -> list[QSize]:
        icon = window.tree.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        return icon.availableSizes()

    ratio = window.tree.view.devicePixelRatioF()
    extent = round(16 * ratio)
    assert sizes() == [QSize(extent, extent)]  # drawn once, at this screen's scale
    monkeypatch.setattr(window.tree.view, "devicePixelRatioF", lambda: 2 * ratio)
    QCoreApplication.sendEvent(window.tree, QEvent(QEvent.Type.DevicePixelRatioChange))  # another screen
    assert sizes() == [QSize(2 * extent, 2 * extent)]  # drawn anew, sharp there


def test_tree_row_icons_follow_the_theme(qtbot, open_window):
    window = open_window()

    def icon_lightness() -> int:
        icon = window.tree.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(16, 16).toImage()
        inked = [
            image.pixelColor(x, y)
            for x in range(16)
            for y in range(16)
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert inked
        return max(c.lightness() for c in inked)

    window.commands.theme_actions[ThemeChoice.LIGHT].trigger()
    assert icon_lightness() < 100  # dark ink on a light tree
    window.commands.theme_actions[ThemeChoice.DARK].trigger()
    assert icon_lightness() > 150  # light ink on a dark tree
    window.commands.theme_actions[ThemeChoice.LIGHT].trigger()
