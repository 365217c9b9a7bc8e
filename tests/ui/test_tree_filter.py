"""The tree's filter box: it folds as search does, Esc clears it, and the row chosen stays."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from tests.conftest import BUNDLED_TXT
from tests.ui.conftest import type_text
from viewer.model import parse_text
from viewer.ui.nodes import TreeMode, build_tree
from viewer.ui.tree_model import DistrictTreeModel, TreeFilterProxy


def _labels(model, parent=QModelIndex()) -> list[str]:  # noqa: B008
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(index.data())
        out.extend(_labels(model, index))
    return out


def _proxy(text: str) -> TreeFilterProxy:
    raw = BUNDLED_TXT.read_text(encoding="utf-8").replace(
        "三项措施加强商务楼宇防控", "三项措施加强EMS商务楼宇防控"
    )
    model = DistrictTreeModel()
    model.set_root(build_tree([parse_text(raw)], TreeMode.BY_DISTRICT))
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.source = model  # kept alive with the proxy
    proxy.set_filter_text(text)
    return proxy


def test_the_filter_folds_as_search_does(qtmodeltester):
    assert _labels(_proxy("東"))[:1] == ["东城"]  # traditional finds simplified
    assert {"西城", "石景山"} <= set(_labels(_proxy("社區")))  # in their headlines: 社区
    assert _labels(_proxy("ＥＭＳ"))[:1] == ["朝阳"]  # full-width finds half-width
    assert _labels(_proxy("ems"))[:1] == ["朝阳"]  # and case is folded
    assert _labels(_proxy("量子")) == []
    qtmodeltester.check(_proxy("社區"), force_py=True)


def test_esc_clears_the_filter_and_the_row_chosen_stays(qtbot, open_window):
    window = open_window()
    window.commands.by_district_action.trigger()
    tree = window.tree
    type_text(tree.filter_edit, "海澱")  # 海淀, as a traditional-character keyboard gives it
    view = tree.view
    assert [view.model().index(r, 0).data() for r in range(view.model().rowCount())] == ["海淀"]
    qtbot.keyClick(tree.filter_edit, Qt.Key.Key_Down)  # into the tree, on its first row
    assert view.hasFocus()
    district = view.model().index(0, 0)
    view.expand(district)
    view.setCurrentIndex(view.model().index(0, 0, district))  # 海淀 in the bundled bulletin
    chosen = tree.current_target()
    assert chosen is not None and window.article.current_section() == chosen
    qtbot.keyClick(tree.filter_edit, Qt.Key.Key_Escape)
    assert tree.filter_edit.text() == ""
    assert view.model().rowCount() == 12  # every district again
    assert tree.current_target() == chosen  # the row chosen while filtering is still the current one
    assert window.article.current_section() == chosen
    assert view.visualRect(view.currentIndex()).intersects(view.viewport().rect())  # and in view
