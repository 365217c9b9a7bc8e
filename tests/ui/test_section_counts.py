"""Every section row of the district tree shows its hit count, also when the result is a page."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtWidgets import QTreeView

from tests.conftest import indexed_archive
from viewer.model import district_key
from viewer.search import SearchIndex
from viewer.ui.nodes import TreeMode, build_tree
from viewer.ui.tree_model import DistrictTreeModel, HitCountRole


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    archive, index = indexed_archive(tmp_path_factory.mktemp("sections"), 3, seed=5)
    yield archive, index
    index.close()


def _expected(index: SearchIndex, query: str) -> Counter:
    """Hits per (bulletin id, district key), from the complete list of hits."""
    full = index.search(query, limit=0)
    return Counter((h.bulletin_id, district_key(h.district)) for h in full.hits if h.district)


@pytest.mark.parametrize("mode", list(TreeMode))
def test_section_rows_show_counts_of_a_limited_result(qtbot, searched, mode):
    archive, index = searched
    page = index.search("消毒", limit=1)
    assert len(page.hits) == 1 < page.total  # only a page: the counts cannot come from the hits
    expected = _expected(index, "消毒")
    model = DistrictTreeModel()
    model.set_root(build_tree(archive.bulletins(), mode))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.expandAll()
    model.set_search_result(page)
    seen = 0
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        for child_row in range(model.rowCount(top)):
            node = model.node(model.index(child_row, 0, top))
            count = model.index(child_row, 0, top).data(HitCountRole)
            if top.data(HitCountRole):
                assert count == expected[(node.bulletin_id, node.key)], node.label
                seen += count > 0
            else:
                assert count is None  # nothing to count under a row without hits
    assert seen >= 2


def test_a_new_search_announces_the_counts_of_shown_section_rows(qtbot, searched):
    archive, index = searched
    model = DistrictTreeModel()
    model.set_root(build_tree(archive.bulletins(), TreeMode.BY_BULLETIN))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    first = model.index(0, 0)
    view.expand(first)
    qtbot.wait(50)  # the view lays out the rows under it (asking the model for them)
    model.set_search_result(index.search("消毒", limit=1))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda tl, br, roles: changed.append((tl.parent().row(), tl.row())))
    model.set_search_result(index.search("社区", limit=1))
    assert (0, 0) in changed  # the rows under the expanded bulletin were told to repaint
    bulletin_id = model.node(first).bulletin_id
    expected = _expected(index, "社区")
    counts = {
        model.node(model.index(r, 0, first)).key: model.index(r, 0, first).data(HitCountRole)
        for r in range(model.rowCount(first))
    }
    assert counts == {key: expected[(bulletin_id, key)] for key in counts}
    model.set_search_result(None)
    assert model.index(0, 0, first).data(HitCountRole) is None
