"""The district tree's item models: thin adapters over plain nodes that pass Qt's model tester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from tests.conftest import BUNDLED_TXT, generate_bulletins
from viewer.model import Hit, SearchResult, parse_bytes, parse_text
from viewer.ui.nodes import NodeKind, TreeMode, build_tree, find_district, find_node
from viewer.ui.results_model import ResultsModel
from viewer.ui.tree_model import DistrictTreeModel, HitCountRole, NodeRole, TreeFilterProxy


@pytest.fixture(scope="module")
def bulletins():
    bundled = parse_bytes(BUNDLED_TXT.read_bytes())
    return [bundled] + [parse_text(raw) for raw, _doc in generate_bulletins(3, seed=7)]


def _labels(model, parent=QModelIndex()):  # noqa: B008
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append((index.data(), _labels(model, index)))
    return out


@pytest.mark.parametrize("mode", list(TreeMode))
def test_tree_model_passes_the_model_tester(qtmodeltester, bulletins, mode):
    model = DistrictTreeModel()
    model.set_root(build_tree(bulletins, mode))
    qtmodeltester.check(model, force_py=True)
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter_text("西城")
    qtmodeltester.check(proxy, force_py=True)


def test_by_bulletin_lists_each_bulletins_districts_in_print_order(bulletins):
    root = build_tree(bulletins, TreeMode.BY_BULLETIN)
    # None of these bulletins has a date: they keep the archive's order (dated ones come first).
    assert [n.label for n in root.children] == [b.title for b in bulletins]
    first = root.children[0]
    assert [n.label for n in first.children] == bulletins[0].districts
    assert first.target == (bulletins[0].id, None)  # a bulletin shows its own page
    assert first.children[1].target == (bulletins[0].id, 1)  # 西城, the second section


def test_by_district_groups_the_bulletins_that_cover_a_district(bulletins):
    root = build_tree(bulletins, TreeMode.BY_DISTRICT)
    keys = [n.label for n in root.children]
    assert keys[:3] == ["东城", "西城", "朝阳"]  # order of first appearance: the bundled bulletin
    assert len(keys) == len(set(keys))
    for group in root.children:
        covering = [b.title for b in bulletins if any(s.key == group.label for s in b.sections)]
        assert [c.label for c in group.children] == covering
        assert all(c.kind is NodeKind.BULLETIN and c.district for c in group.children)


def test_find_node_prefers_the_leaf_for_a_section(bulletins):
    bundled = bulletins[0]
    for mode in TreeMode:
        root = build_tree(bulletins, mode)
        node = find_node(root, bundled.id, bundled.section_index("西城区"))
        assert node is not None and node.target == (bundled.id, 1) and node.district == "西城"
        assert find_district(root, "朝阳区").key == "朝阳"


def test_hit_counts_show_per_bulletin_and_district_and_clear(bulletins):
    bundled = bulletins[0]
    hits = tuple(
        Hit(
            bundled.id,
            bundled.title,
            d,
            0,
            "消毒",
            "消毒",
            ((0, 2),),
            ((0, 2),),
            1.0,
            True,
            bundled.section_index(d),
        )
        for d in ("西城", "西城", "石景山")
    )
    result = SearchResult("消毒", 3, hits, {"西城": 2, "石景山": 1}, {bundled.id: 3})
    model = DistrictTreeModel()
    model.set_root(build_tree(bulletins, TreeMode.BY_BULLETIN))
    model.set_search_result(result)
    top = model.index(0, 0)
    assert top.data(HitCountRole) == 3
    counts = {model.index(r, 0, top).data(): model.index(r, 0, top).data(HitCountRole) for r in range(12)}
    assert counts["西城"] == 2 and counts["石景山"] == 1 and counts["东城"] == 0
    assert model.index(1, 0).data(HitCountRole) == 0  # another bulletin: no hits
    model.set_root(build_tree(bulletins, TreeMode.BY_DISTRICT))
    model.set_search_result(result)
    by_key = {model.index(r, 0).data(): model.index(r, 0) for r in range(model.rowCount())}
    assert by_key["西城"].data(HitCountRole) == 2
    assert model.index(0, 0, by_key["西城"]).data(HitCountRole) == 2  # complete result: exact per section
    model.set_search_result(None)
    assert by_key["西城"].data(HitCountRole) is None
    assert isinstance(by_key["西城"].data(NodeRole).label, str)


def test_filter_keeps_matching_rows_with_their_ancestors(bulletins):
    model = DistrictTreeModel()
    model.set_root(build_tree(bulletins[:1], TreeMode.BY_BULLETIN))
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter_text("消毒")  # in 西城's headline
    assert _labels(proxy) == [(bulletins[0].title, [("西城", [])])]


def test_results_model_groups_hits_by_district_and_passes_the_tester(qtmodeltester, bulletins):
    bundled = bulletins[0]

    def hit(district, paragraph):
        return Hit(
            bundled.id, bundled.title, district, paragraph, "消毒", "消毒", ((0, 2),), ((0, 2),), 1.0, True
        )

    result = SearchResult(
        "消毒",
        4,
        (hit("西城", -1), hit("石景山", 2), hit("西城", 0), hit("", 0)),
        {"西城": 2, "石景山": 1},
        {},
    )
    model = ResultsModel()
    model.set_result(result)
    qtmodeltester.check(model, force_py=True)
    groups = [(g.key, g.count, [h.paragraph for h in g.hits]) for g in model.groups()]
    assert groups == [("西城", 2, [-1, 0]), ("石景山", 1, [2]), ("", 1, [0])]  # lead paragraphs last
    assert [h.district for _i, h in model.hits_in_order()][:2] == ["西城", "西城"]


def test_results_model_extends_in_place_and_keeps_passing_the_tester(qtmodeltester, bulletins):
    from PySide6.QtCore import QPersistentModelIndex

    from viewer.ui.results_model import HitRole

    bundled = bulletins[0]

    def hit(district, paragraph):
        return Hit(bundled.id, bundled.title, district, paragraph, "疫情", "疫情", (), (), 1.0, True)

    ranked = [hit("西城", 0), hit("东城", 0), hit("西城", 1), hit("朝阳", 0), hit("东城", 1), hit("西城", 2)]
    counts = {"西城": 3, "东城": 2, "朝阳": 1}

    def page(n):
        return SearchResult("疫情", 6, tuple(ranked[:n]), counts, {})

    model = ResultsModel()
    model.set_result(page(2))  # 西城 0, 东城 0
    qtmodeltester.check(model, force_py=True)
    kept = QPersistentModelIndex(model.index(0, 0, model.index(1, 0)))  # 东城 0
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((parent.data(), first, last)))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.extend(page(6))
    assert resets == [] and inserted == [
        ("西城  ·  3", 1, 2),
        ("东城  ·  2", 1, 1),
        (None, 2, 2),
    ]  # rows added
    # (the tester checked every insertion as it happened)
    assert [(g.key, [h.paragraph for h in g.hits]) for g in model.groups()] == [
        ("西城", [0, 1, 2]),
        ("东城", [0, 1]),
        ("朝阳", [0]),
    ]
    assert kept.isValid() and kept.data(HitRole) == ranked[1]
    assert model.index_of_hit(ranked[5]).data(HitRole) == ranked[5]
    # A page that does not continue the listed one (equal scores ranked anew) resets the model.
    model.set_result(page(3))
    assert not model.extend(SearchResult("疫情", 6, (ranked[0], ranked[4], ranked[2], ranked[1]), counts, {}))
    assert resets and model.hit_count() == 4
