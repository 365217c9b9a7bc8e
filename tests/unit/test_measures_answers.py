"""``bulletin-viewer measures`` keeps its last answer while the archive stays as it was:
the same output without reading a bulletin, a new one after any change."""

from __future__ import annotations

import json

import pytest

from tests.conftest import settle, write_bulletins
from viewer import cli, paths
from viewer.store import Archive


def _measures(capsys, *args: str) -> str:
    capsys.readouterr()
    assert cli.main(["measures", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture
def archive(tmp_path) -> Archive:
    archive = Archive()
    archive.import_files(write_bulletins(tmp_path / "in", 2))
    settle(archive.root)
    return archive


def _refuse_reading(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("the archive was read")

    monkeypatch.setattr(Archive, "bulletins", refuse)
    monkeypatch.setattr(Archive, "_load", refuse)


def test_the_same_archive_gives_the_kept_answer_without_reading_it(archive, capsys, monkeypatch):
    first = _measures(capsys, "--json")
    text = _measures(capsys)
    _refuse_reading(monkeypatch)
    assert _measures(capsys, "--json") == first
    assert _measures(capsys) == text
    assert "消毒消杀: " in text and " passages, " in text  # lines for people
    assert json.loads(first)["cells"]


def test_an_import_gives_a_new_answer(archive, capsys, tmp_path):
    before = json.loads(_measures(capsys, "--json"))
    archive.import_files(write_bulletins(tmp_path / "more", 3, seed=5))
    after = json.loads(_measures(capsys, "--json"))
    passages = lambda answer: sum(c["passages"] for c in answer["cells"])  # noqa: E731
    assert passages(after) > passages(before)
    assert after == json.loads(_measures(capsys, "--json"))  # and that one is kept in turn


def test_each_set_of_arguments_has_its_own_answer(archive, capsys):
    everything = json.loads(_measures(capsys, "--json"))
    xicheng = json.loads(_measures(capsys, "--json", "--district", "西城"))
    assert {c["district"] for c in xicheng["cells"]} <= {"西城", "西城区"}
    assert len(everything["cells"]) > len(xicheng["cells"])
    assert json.loads(_measures(capsys, "--json")) == everything


def test_a_changed_lexicon_gives_a_new_answer(archive, capsys):
    before = json.loads(_measures(capsys, "--json"))
    mine = paths.config_dir() / "measures.toml"
    paths.ensure_dir(mine.parent)
    mine.write_text(
        '[[type]]\nid = "masks"\nname = "口罩"\nname_en = "Masks"\nphrases = ["口罩"]\n',
        encoding="utf-8",
    )
    after = json.loads(_measures(capsys, "--json"))
    assert [t["id"] for t in after["types"]] == ["masks"] != [t["id"] for t in before["types"]]


def test_a_damaged_or_unwritable_answer_is_only_a_miss(archive, capsys, monkeypatch):
    first = _measures(capsys, "--json")
    (kept,) = (paths.cache_dir() / "measures").glob("answer-*.txt")
    kept.write_bytes(b"\xff\xfe not an answer")
    assert _measures(capsys, "--json") == first
    kept.write_text("", encoding="utf-8")
    assert _measures(capsys, "--json") == first

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("viewer.store.atomic.atomic_write_text", full_disk)
    kept.unlink()
    assert _measures(capsys, "--json") == first  # answered, only not kept
    assert not list((paths.cache_dir() / "measures").glob("answer-*.txt"))
