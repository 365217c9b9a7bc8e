"""The measures view: the reader's checks on the bundled bulletin, filters, tooltips,
opening a passage, exports, and document text never read as markup."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer.measures import ScanCache, load
from viewer.measures import export as exports
from viewer.model import Bulletin, Paragraph, Section
from viewer.ui.measures_model import CELL_ROLE, PLACE_ROLE
from viewer.ui.measures_view import MeasuresView
from viewer.ui.tasks import TaskRunner


@pytest.fixture
def bundled():
    from viewer.store import Archive

    return Archive().bulletins()


def _odd_bulletin() -> Bulletin:
    """A dated bulletin whose text looks like markup: <b>, a table bar, a link, HTML entities."""
    return Bulletin(
        id="0dd0dd0dd0dd0dd0",
        title="<b>标题</b> | 测试",
        column="监管动态",
        date="2021-05-06",
        sections=(
            Section(
                "西城",
                "西城：",
                "<i>消毒</i>工作",
                (Paragraph(0, "设置<b>20处</b>消毒点 | [链接](http://x) &amp; *强调*"),),
            ),
        ),
    )


@pytest.fixture
def make_view(qtbot, tmp_path):
    runners = []

    def _make(bulletins, cache=None) -> MeasuresView:
        runner = TaskRunner()
        runners.append(runner)
        view = MeasuresView(lambda: bulletins, runner, cache=cache)
        qtbot.addWidget(view)
        view.resize(1200, 600)
        view.show()
        with qtbot.waitSignal(view.matrix_changed, timeout=60_000):
            view.refresh()
        return view

    yield _make
    for runner in runners:
        runner.shutdown()


def _index(view: MeasuresView, district: str, type_id: str):
    matrix = view.model.matrix()
    row = matrix.districts.index(district)
    column = [t.id for t in matrix.types].index(type_id)
    return view.model.index(row, column)


def _text(view, district, type_id) -> str:
    return view.model.data(_index(view, district, type_id), Qt.ItemDataRole.DisplayRole)


def test_the_matrix_shows_the_readers_checks(make_view, bundled, qtmodeltester):
    view = make_view(bundled)
    qtmodeltester.check(view.model)
    assert _text(view, "西城", "disinfection") == "3 (1)"
    assert _text(view, "东城", "rent-relief") == "1 (1)"
    assert _text(view, "通州", "cadres-to-communities").endswith("(1)")
    assert _text(view, "大兴", "psychological-aid") and _text(view, "大兴", "hotlines")
    assert _text(view, "丰台", "telemedicine")
    assert _text(view, "平谷", "rent-relief") == ""
    tip = view.model.data(_index(view, "西城", "disinfection"), Qt.ItemDataRole.ToolTipRole)
    assert "1450处 口罩回收点" in tip
    assert "571名 机关干部" in view.model.data(
        _index(view, "通州", "cadres-to-communities"), Qt.ItemDataRole.ToolTipRole
    )
    assert "10万 居民" in view.model.data(_index(view, "丰台", "telemedicine"), Qt.ItemDataRole.ToolTipRole)
    # Screen readers: every cell and every control has a name.
    said = view.model.data(_index(view, "西城", "disinfection"), Qt.ItemDataRole.AccessibleTextRole)
    assert "西城" in said and "3" in said
    f = view.filters
    for widget in (view.table, view.passages, f.bulletin_box, f.from_box, f.to_box, f.type_box):
        assert widget.accessibleName()
    assert view.table.accessibleDescription()


def test_colours_follow_density_and_the_theme(make_view, bundled):
    from PySide6.QtGui import QColor, QPalette

    view = make_view(bundled)
    dense = view.model.data(_index(view, "西城", "disinfection"), Qt.ItemDataRole.BackgroundRole)
    light = view.model.data(_index(view, "东城", "rent-relief"), Qt.ItemDataRole.BackgroundRole)
    base = view.palette().color(QPalette.ColorRole.Base)
    assert dense != light != base
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#18191b"))
    view.setPalette(dark)
    shaded = view.model.data(_index(view, "西城", "disinfection"), Qt.ItemDataRole.BackgroundRole)
    assert shaded.lightness() < dense.lightness()


def test_filters_change_the_counts(make_view, bundled):
    generated = replace(
        bundled[0],
        id="1234123412341234",
        date="2020-03-01",
        title="另一期",
        sections=bundled[0].sections[:2],  # 东城 and 西城 again
    )
    odd = _odd_bulletin()
    view = make_view([*bundled, generated, odd])
    assert _text(view, "西城", "disinfection") == "8 (3)"  # 3 + 3 + the odd one's headline and paragraph
    view.set_filters(bulletin_id=generated.id)
    assert _text(view, "西城", "disinfection") == "3 (1)"
    assert view.model.matrix().districts == ["东城", "西城", ""]  # and its lead
    view.set_filters(date_from="2020-03-01", date_to="2020-03-01")
    assert view.chosen_bulletins() == [generated.id]  # undated ones are outside any range
    view.set_filters(date_from="2021-05-06")
    assert _text(view, "西城", "disinfection") == "2 (1)"
    view.set_filters(type_id="rent-relief")
    assert [t.id for t in view.model.matrix().types] == ["rent-relief"]
    assert view.model.columnCount() == 1
    view.set_filters()
    assert _text(view, "西城", "disinfection") == "8 (3)"
    # The combos say what they hold.
    assert view.filters.bulletin_box.itemText(0) == "All bulletins"
    assert view.filters.type_box.itemText(0) == "All types"
    assert "2021-05-06" in [view.filters.from_box.itemText(i) for i in range(view.filters.from_box.count())]


def test_activating_a_cell_lists_its_passages_and_asks_for_the_first(make_view, bundled, qtbot):
    view = make_view(bundled)
    index = _index(view, "西城", "disinfection")
    view.table.setFocus()
    view.table.setCurrentIndex(index)
    with qtbot.waitSignal(view.passage_requested) as asked:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    bulletin_id, section, paragraph, phrases = asked.args
    cell = view.model.data(index, CELL_ROLE)
    first = cell.places[0]
    assert (bulletin_id, section, paragraph) == (first.bulletin_id, first.section, first.paragraph)
    assert bulletin_id == bundled[0].id and bundled[0].sections[section].district == "西城"
    assert phrases and all(p in ("消毒", "消杀", "杀菌", "通风") for p in phrases)
    assert view.passages.count() == len(cell.places) == 3
    # The second passage, from the list (Enter), is the one with 1450处.
    item = view.passages.item(2)
    with qtbot.waitSignal(view.passage_requested) as asked:
        view.passages.itemActivated.emit(item)
    place = item.data(PLACE_ROLE)
    assert "1450处" in place.text
    assert asked.args[:3] == [place.bulletin_id, place.section, place.paragraph]
    assert "paragraph 2" in item.text()
    # Arrow keys move in the table; a click activates too.
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    assert view.table.currentIndex().column() == index.column() + 1
    with qtbot.waitSignal(view.passage_requested):
        view.table.clicked.emit(_index(view, "东城", "rent-relief"))
    assert view.current_cell().district == "东城"


def test_exports_of_the_matrix_and_the_cell(make_view, bundled, tmp_path):
    view = make_view(bundled)
    view._on_table_activated(_index(view, "西城", "disinfection"))
    matrix_csv = view.export_text("matrix", "csv")
    header, *rows = matrix_csv.split("\r\n")
    assert header.startswith("district,租金减免 passages,租金减免 bulletins,消毒消杀 passages")
    assert rows[1].startswith("西城,0,0,3,1,")
    matrix_md = view.export_text("matrix", "markdown")
    assert "| District | 租金减免 | 消毒消杀 |" in matrix_md and "| 西城 |  | 3 (1) |" in matrix_md
    cell_csv = view.export_text("cell", "csv")
    assert (
        "1450处 口罩回收点" in cell_csv
        and "北京：全力打好疫情防控阻击战！ · 监管动态 · 西城 · paragraph 2" in cell_csv
    )
    cell_md = view.export_text("cell", "markdown")
    assert cell_md.startswith("# 西城 · 消毒消杀") and "Figures: 1450处 口罩回收点" in cell_md
    # Written atomically, CSV with a byte order mark.
    target = tmp_path / "out" / "m.csv"
    assert view.export("matrix", "csv", target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbfdistrict,")
    assert view.export("cell", "markdown", tmp_path / "c.md")
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == cell_md
    # A folder that cannot be written: a plain message, no exception.
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    failures = []
    view.failed.connect(lambda summary, details: failures.append((summary, details)))
    assert not view.export("matrix", "markdown", blocked / "x.md")
    assert failures and "could not be written" in failures[0][0]


def test_document_text_is_never_read_as_markup(make_view):
    odd = _odd_bulletin()
    view = make_view([odd])
    index = _index(view, "西城", "disinfection")
    view._on_table_activated(index)
    tip = view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tip and "&lt;b&gt;" in tip  # escaped, shown as the text it is
    assert "20处" in tip
    item = view.passages.item(1)
    assert "<b>20处</b>" in item.text()  # a list item is plain text
    assert "&lt;b&gt;20处&lt;/b&gt;" in item.toolTip()
    md = view.export_text("cell", "markdown")
    assert r"\<b\>20处\</b\>" in md and r"\| \[链接\](http://x) \&amp; \*强调\*" in md
    assert "<b>" not in md
    assert r"\<b\>标题\</b\> \| 测试" in md  # the title in the citation
    table = view.export_text("matrix", "markdown")
    assert table.count("\n| ") == 3  # header, rule, one row
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in (view.summary, view.passages_label))
    assert exports.md_text("1. 第一 # 二") == r"1\. 第一 \# 二"


def test_the_view_uses_and_fills_the_scan_cache(make_view, bundled, tmp_path, qtbot):
    path = tmp_path / "scan.json"
    view = make_view(bundled, cache=ScanCache(path))
    qtbot.waitUntil(path.is_file, timeout=30_000)  # filled after the matrix is shown
    again = make_view(bundled, cache=ScanCache(path))
    assert _text(again, "西城", "disinfection") == _text(view, "西城", "disinfection") == "3 (1)"
    assert "1450处" in again.model.data(_index(again, "西城", "disinfection"), Qt.ItemDataRole.ToolTipRole)


def test_a_bad_lexicon_is_reported_in_plain_words(qtbot, bundled, tmp_path):
    from viewer.measures import LexiconError

    def broken():
        raise LexiconError(f"{tmp_path}/measures.toml: not a valid TOML file")

    runner = TaskRunner()
    view = MeasuresView(lambda: bundled, runner, load_types=broken, cache=None)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.failed) as failed:
        view.refresh()
    runner.shutdown()
    assert "could not be counted" in failed.args[0]
    assert "not a valid TOML" in view.summary.text()


def test_chinese_names_in_a_chinese_ui(make_view, bundled):
    app = QApplication.instance()
    view = make_view(bundled)
    assert view.model.headerData(1, Qt.Orientation.Horizontal) == "Disinfection"
    app.setProperty("viewerLanguage", "zh_CN")
    try:
        view.retranslate()
        assert view.model.headerData(1, Qt.Orientation.Horizontal) == "消毒消杀"
    finally:
        app.setProperty("viewerLanguage", "en")
    assert [t.id for t in load()][1] == "disinfection"


def test_passages_are_placed_in_the_uis_language(make_view, bundled, qtbot):
    """The passage list and its tooltips say 西城 · 第 2 段 in a Chinese UI, as bookmarks do;
    the exports keep the command line's English."""
    from viewer.ui.i18n import LanguageChoice, Translations

    view = make_view(bundled)
    translations = Translations()
    translations.apply(LanguageChoice.CHINESE)
    try:
        with qtbot.waitSignal(view.passage_requested):
            view.table.clicked.emit(_index(view, "西城", "disinfection"))
        item = view.passages.item(2)
        assert "1450处" in item.data(PLACE_ROLE).text
        assert "西城 · 第 2 段" in item.text() and "paragraph" not in item.text()
        assert "西城 · 第 2 段" in item.toolTip()
        assert "西城 · paragraph 2" in view.export_text("cell", "csv")
        translations.apply(LanguageChoice.ENGLISH)  # switched back: the list follows
        qtbot.waitUntil(lambda: "西城 · paragraph 2" in view.passages.item(2).text())
    finally:
        translations.apply(LanguageChoice.ENGLISH)


def test_the_export_buttons_arrow_leaves_its_label_whole(make_view, bundled):
    """The export menu's arrow has a place of its own beside the label (a tool button drew it
    over the last letter)."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    view = make_view(bundled)
    button = view.export_button
    assert button.menu() is not None
    option = QStyleOptionButton()
    option.initFrom(button)
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    label = QFontMetrics(button.font()).horizontalAdvance(button.text().replace("&", ""))
    assert button.width() >= label + arrow + 8  # the label, the arrow and the frame's margins
