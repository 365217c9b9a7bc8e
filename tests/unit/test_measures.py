"""Measures side by side: a reader's checks on the bundled bulletin, the figures, the lexicon."""

from __future__ import annotations

import pytest

from tests.conftest import generate_bulletins
from viewer.measures import LexiconError, figures, load, measure
from viewer.model import Bulletin, parse_text


@pytest.fixture(scope="module")
def matrix():
    from viewer.store import Archive

    return measure(Archive().bulletins(), load())


def _figures(matrix, district: str, type_id: str) -> list[tuple[str, str]]:
    cell = matrix.cell(district, type_id)
    assert cell is not None, (district, type_id)
    return [(f.text, f.counts) for f, _ in cell.figures]


def test_a_readers_checks_on_the_bundled_bulletin(matrix):
    assert ("1450处", "口罩回收点") in _figures(matrix, "西城", "disinfection")
    assert matrix.cell("东城", "rent-relief") is not None
    assert ("571名", "机关干部") in _figures(matrix, "通州", "cadres-to-communities")
    assert matrix.cell("大兴", "psychological-aid") is not None
    assert matrix.cell("大兴", "hotlines") is not None
    assert ("10万", "居民") in _figures(matrix, "丰台", "telemedicine")
    # A district that reports no such measure has no cell for it.
    assert matrix.cell("平谷", "rent-relief") is None


def test_cells_count_passages_and_bulletins_and_cite_their_figures(matrix):
    cell = matrix.cell("西城区", "disinfection")  # the grouping key finds the printed label
    data = cell.to_dict()
    assert data["district"] == "西城" and data["passages"] == len(cell.places) >= 1 and data["bulletins"] == 1
    figure = next(f for f in data["figures"] if f["text"] == "1450处")
    assert (figure["value"], figure["unit"], figure["paragraph"]) == (1450, "处", 1)
    assert set(matrix.to_dict()) == {"types", "cells"}
    assert {t["id"] for t in matrix.to_dict()["types"]} >= {"rent-relief", "disinfection", "hotlines"}


def test_a_type_is_exactly_the_passages_its_phrases_hold():
    raws = [raw for raw, _ in generate_bulletins(30, seed=4)]
    bulletins = [parse_text(r) for r in raws]
    types = [t for t in load() if t.id == "masks"]
    result = measure(bulletins, types)
    counted = sum(len(c.places) for c in result.cells.values())
    expected = sum(1 for b in bulletins for s, _p, text in b.passages() if s != -3 and "口罩" in text)
    assert counted == expected > 0


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("西城区在全区废弃口罩回收点共设置1450处。", [("1450处", 1450, "处", "口罩回收点")]),
        ("抽调571名机关干部下沉各社区", [("571名", 571, "名", "机关干部")]),
        ("朝阳区采取了三项措施，一是系统开展", [("三项", 3, "项", "措施")]),
        ("智慧家医远程服务10万居民", [("10万", 100_000, "万", "居民")]),
        ("朝阳区启用了3家医学观察点", [("3家", 3, "家", "医学观察点")]),
        ("2020年2月3日起实行一户一册", []),  # dates and sayings are not figures
    ],
)
def test_figures_with_their_units_and_what_they_count(text, wanted):
    got = [(f.text, f.value, f.unit, f.counts) for f in figures(text)]
    assert got == wanted


def test_a_users_lexicon_replaces_the_shipped_one_and_bad_ones_are_refused(tmp_path):
    own = tmp_path / "measures.toml"
    own.write_text('[[type]]\nid = "x"\nname = "测温"\nphrases = ["测温"]\n', encoding="utf-8")
    assert [t.id for t in load(own)] == ["x"]
    own.write_text("[[type]]\nid = 3\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="id"):
        load(own)
    own.write_text("not toml [", encoding="utf-8")
    with pytest.raises(LexiconError, match="TOML"):
        load(own)


def test_the_measures_command(viewer_home):
    import json

    from tests.conftest import run_cli

    result = run_cli("measures", "--district", "西城区", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {c["district"] for c in data["cells"]} == {"西城"}
    disinfection = next(c for c in data["cells"] if c["type"] == "disinfection")
    assert any(f["text"] == "1450处" and f["counts"] == "口罩回收点" for f in disinfection["figures"])
    readable = run_cli("measures")
    assert readable.returncode == 0 and "通州" in readable.stdout and "干部下沉" in readable.stdout


# -- the fast scan against a straightforward reference ---------------------------------------


def _reference(bulletins, types, district=None):
    """measure() written the obvious way: every type, every passage, folded, ``in``."""
    from viewer.model import HEAD, district_key
    from viewer.search.normalize import fold

    key = district_key(district) if district else None
    places, labels = [], {}
    for b in bulletins:
        for s, p, text in b.passages():
            label = b.district_of(s)
            if s == HEAD or (key is not None and district_key(label) != key):
                continue
            places.append((b.id, s, p, label, text, fold(text)))
            labels.setdefault(district_key(label), label)
    cells = {}
    for kind in types:
        for bid, s, p, label, text, folded in places:
            phrases = [fold(x) for x in kind.phrases]
            combos = [[fold(w) for w in c] for c in kind.combinations]
            if any(x and x in folded for x in phrases) or any(
                all(w and w in folded for w in c) for c in combos
            ):
                cell = cells.setdefault((district_key(label), kind.id), [labels[district_key(label)], []])
                cell[1].append((bid, s, p, label, text))
    districts = [d for k, d in labels.items() if k] + ([""] if "" in labels else [])
    return districts, cells


def _as_reference(matrix):
    return matrix.districts, {k: [c.district, [tuple(p) for p in c.places]] for k, c in matrix.cells.items()}


def test_the_scan_finds_what_the_straightforward_reference_finds(tmp_path):
    from viewer.measures import ScanCache, scan
    from viewer.measures.lexicon import MeasureType

    bulletins = [parse_text(raw) for raw, _ in generate_bulletins(40, seed=9)]
    types = [
        *load(),
        # Pieces that hide one another in a leftmost scan: inside, across an end, same start.
        MeasureType("overlaps", "交叠", "Overlaps", ("防控", "控工作", "疫情防控工作", "情防", "东城區")),
        MeasureType("folded", "折叠", "Folded", ("ＥＭＳ", "東城", "\u00ad")),  # a piece folding to nothing
        MeasureType("combo", "组合", "Combo", (), (("社区", "消毒"), ("口罩", "\u00ad"))),
    ]
    expected = _reference(bulletins, types)
    assert _as_reference(measure(bulletins, types)) == expected
    assert list(measure(bulletins, types).cells) == list(expected[1])  # the same order
    cache = ScanCache(tmp_path / "scan.json")
    assert _as_reference(scan(bulletins, types, cache=cache).matrix()) == expected  # cold: writes
    assert (tmp_path / "scan.json").is_file()
    assert _as_reference(scan(bulletins, types, cache=ScanCache(tmp_path / "scan.json")).matrix()) == expected
    assert _as_reference(measure(bulletins, types, district="朝阳区")) == _reference(bulletins, types, "朝阳")


def test_the_scan_counts_any_choice_of_bulletins_and_types_without_scanning_again():
    from viewer.measures import scan

    bulletins = [parse_text(raw) for raw, _ in generate_bulletins(12, seed=3)]
    types = load()
    found = scan(bulletins, types)
    some = [b.id for b in bulletins[3:7]]
    wanted = [t for t in types if t.id in ("masks", "disinfection")]
    assert _as_reference(found.matrix(some, ["masks", "disinfection"])) == _reference(
        [b for b in bulletins if b.id in some], wanted
    )


def test_folding_many_texts_at_once_is_folding_each():
    from viewer.measures.matrix import fold_all
    from viewer.search.normalize import fold

    odd = ["東城區…ＥＭＳ", "防\u00ad控", "Straße ①", "𠀋字 emoji 😷", "", "，。：；"]
    texts = [raw for raw, _ in generate_bulletins(3, seed=2)] * 30 + odd * 20
    assert fold_all(texts) == [fold(t) for t in texts]


def test_a_damaged_or_foreign_cache_is_ignored_and_a_changed_bulletin_scanned_again(tmp_path):
    from dataclasses import replace

    from viewer.measures import ScanCache, scan
    from viewer.model import Paragraph

    path = tmp_path / "scan.json"
    bulletins = [parse_text(raw) for raw, _ in generate_bulletins(5, seed=5)]
    types = [t for t in load() if t.id == "masks"]
    expected = _reference(bulletins, types)
    for junk in (b"not json", b'{"format": 1, "key": "x", "bulletins": []}', b"[1, 2]"):
        path.write_bytes(junk)
        assert _as_reference(scan(bulletins, types, cache=ScanCache(path)).matrix()) == expected
    # A cached entry of the wrong shape is not taken.
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    for digest in data["bulletins"]:
        data["bulletins"][digest] = [["x"]]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert _as_reference(scan(bulletins, types, cache=ScanCache(path)).matrix()) == expected
    # An edited bulletin has another digest: it is scanned, not taken from the cache.
    first = bulletins[0]
    section = first.sections[0]
    edited = replace(
        first,
        sections=(replace(section, paragraphs=(Paragraph(0, "发放口罩三万只"),)), *first.sections[1:]),
    )
    changed = [edited, *bulletins[1:]]
    assert _as_reference(scan(changed, types, cache=ScanCache(path)).matrix()) == _reference(changed, types)


def test_the_json_of_the_command_is_what_json_dumps_writes():
    import json

    from viewer.cli_measures import matrix_json
    from viewer.model import Paragraph, Section

    bulletins = [parse_text(raw) for raw, _ in generate_bulletins(6, seed=8)]
    odd = Bulletin(
        id="odd",
        title='t "q" \\',
        column="",
        sections=(
            Section(
                "东城", "东城：", '消毒 <b>"1450处"</b> \x9b\x1b', (Paragraph(0, "口罩3.5万只，消毒1/2处"),)
            ),
        ),
    )
    matrix = measure([*bulletins, odd], load())
    assert matrix_json(matrix) == json.dumps(matrix.to_dict(), ensure_ascii=False)


def test_phrases_in_a_passage_for_highlighting():
    from viewer.measures.matrix import phrases_in

    types = {t.id: t for t in load()}
    assert phrases_in("在全区减免房租，东城", types["rent-relief"]) == ["减免房租", "减免", "房租"]
    assert phrases_in("消毒消杀，开窗通风", types["disinfection"]) == ["消毒", "消杀", "通风"]
