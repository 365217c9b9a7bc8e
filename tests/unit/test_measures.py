"""Measures side by side: a reader's checks on the bundled bulletin, the figures, the lexicon."""

from __future__ import annotations

import pytest

from tests.conftest import generate_bulletins
from viewer.measures import LexiconError, figures, load, measure
from viewer.model import parse_text


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
