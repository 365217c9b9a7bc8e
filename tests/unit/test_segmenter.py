"""The query segmenter cuts as rjieba with its whole dictionary does, without loading it."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
import rjieba

from tests.conftest import BUNDLED_TXT, ROOT, fresh_python
from viewer.search import segmenter
from viewer.search.normalize import RUN_RE, fold

REAL = ROOT.parent / "shared" / "corpus" / "real"


def _runs_of_texts() -> list[str]:
    texts = [BUNDLED_TXT.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(REAL.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(REAL.glob("*.md"))]
    return sorted({run for text in texts for run in RUN_RE.findall(fold(text))})


def _samples() -> list[str]:
    """Every run of the bundled bulletin and the real texts, and random pieces of them (a
    query is usually a piece of what the reader saw)."""
    rng = random.Random(7)
    runs = _runs_of_texts()
    pieces = set(runs)
    for run in runs:
        for _ in range(3):
            start = rng.randrange(len(run))
            pieces.add(run[start : rng.randrange(start, len(run)) + 1])
    pieces.update(["机关干部下沉", "中华人民共和国", "租金减免", "体温检测", "4s店", "b超检查"])
    pieces.add("新冠肺炎疫情防控指挥部")
    return sorted(pieces)


def test_cuts_are_rjiebas_with_the_whole_dictionary():
    samples = _samples()
    assert len(samples) > 1000
    engine = segmenter.segmenter()
    assert engine._full is None  # the words file was used, not the whole dictionary
    differ = [
        text
        for text in samples
        if list(segmenter.cut(text)) != rjieba.cut(text)
        or list(segmenter.cut_for_search(text)) != rjieba.cut_for_search(text)
    ]
    assert differ == []


def test_the_words_file_is_rjiebas_dictionary():
    dictionary = segmenter.Dictionary(segmenter.words_path())
    lines = segmenter.words_path().read_text(encoding="utf-8").splitlines()[1:]
    words = [line.split(" ")[0] for line in lines]
    assert len(words) == 349045
    assert all(rjieba.has_word(word) for word in words[::101])
    # the first and last words, where a binary search goes wrong first
    assert dictionary.words_in(words[0])[words[0]] == int(lines[0].split(" ")[1])
    assert words[-1] in dictionary.words_in(words[-1])
    assert dictionary.words_in("\ue001\ue002") == {}


def test_finds_every_word_at_every_position():
    dictionary = segmenter.Dictionary(segmenter.words_path())
    found = dictionary.words_in("机关干部下沉")
    assert {"机关", "干部", "机关干部", "下沉", "机", "关", "干", "部", "下", "沉"} <= set(found)
    assert all(rjieba.has_word(word) for word in found)
    assert all(freq > 0 for freq in found.values())


def test_a_query_does_not_load_the_whole_dictionary():
    code = (
        "import sys\n"
        "from viewer.search.normalize import words_of_term, ranking_words\n"
        "print(words_of_term('机关干部下沉'), ranking_words('中华人民共和国'))\n"
        "print('rjieba' in sys.modules)\n"
    )
    words, loaded = fresh_python(code)
    assert words == "('机关', '干部', '下沉') ('中华', '华人', '人民', '共和', '共和国', '中华人民共和国')"
    assert loaded == "False"


@pytest.mark.parametrize("damage", ["missing", "not a words file", "empty"])
def test_without_a_usable_words_file_the_whole_dictionary_gives_the_same_words(
    damage, tmp_path, monkeypatch, caplog
):
    path = tmp_path / "words.txt"
    if damage == "not a words file":
        path.write_text("机关 100\n干部 100\n", encoding="utf-8")
    elif damage == "empty":
        path.write_bytes(b"")
    monkeypatch.setattr(segmenter, "words_path", lambda: Path(path))
    with caplog.at_level(logging.WARNING, logger="viewer.search"):
        engine = segmenter._Segmenter()
    assert engine._full is not None
    assert "whole word dictionary" in caplog.text
    assert engine.cut("机关干部下沉社区") == rjieba.cut("机关干部下沉社区")
