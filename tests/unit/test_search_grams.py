"""The grams files beside the index: exact postings, several segments, deletions, and
files that are missing or damaged (search stays exact; nothing is ever served stale)."""

from __future__ import annotations

import logging

import pytest
from whoosh import index as whoosh_index

from tests.conftest import write_bulletins
from viewer.search import SearchIndex, grams
from viewer.search.corpus import Corpus
from viewer.search.normalize import fold
from viewer.store import Archive


def _built(texts: list[str], kinds: list[int] | None = None) -> grams.SegmentGrams:
    n = len(texts)
    kinds = kinds or [grams.PASSAGE] * n
    data = grams.build(
        [t.encode("utf-8") for t in texts],
        kinds,
        ["b1"] * n,
        ["东城"] * n,
        ["东城区"] * n,
        [0] * n,
        list(range(n)),
    ).to_bytes()
    return grams.SegmentGrams(data)


def test_postings_are_every_document_holding_a_character_or_pair_with_its_count():
    texts = ["疫情防控疫情", "防控", "", "疫情期间消毒", "ＥＭＳ邮政"]
    part = _built(texts)
    folded = [fold(t) for t in texts]
    for char in "疫情防控消毒ems邮":
        docs, tfs = part.unigram(char)
        assert docs.tolist() == [i for i, t in enumerate(folded) if char in t]
        assert tfs.tolist() == [folded[i].count(char) for i in docs.tolist()]
    docs, tfs = part.bigram("疫", "情")
    assert docs.tolist() == [0, 3] and tfs.tolist() == [2, 1]
    assert part.bigram("情", "疫")[0].tolist() == []  # no pair across two documents' texts
    assert part.bigram("控", "防")[0].tolist() == []
    assert part.text(4) == "ＥＭＳ邮政" and part.folded(4) == "ems邮政"
    held = part.holding(part.bigram("疫", "情")[0].astype("int64"), "情防".encode())
    assert held.tolist() == [0]


def test_a_marker_holds_the_title_and_no_text_to_match():
    part = _built(["消毒", "北京：全力打好疫情防控阻击战！"], [grams.PASSAGE, grams.MARKER])
    assert part.titles == ["北京：全力打好疫情防控阻击战！"]
    assert part.unigram("疫")[0].tolist() == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # cut short
        lambda data: b"NOTGRAMS" + data[8:],
        lambda data: data[:8] + (10**9).to_bytes(8, "little") + data[16:],
        lambda data: b"",
    ],
)
def test_a_damaged_grams_file_is_refused(damage):
    data = grams.build([b"abc"], [grams.PASSAGE], ["b"], [""], [""], [0], [0]).to_bytes()
    with pytest.raises(grams.GramsError):
        grams.SegmentGrams(damage(data))


def _oracle(archive: Archive, piece: str) -> set[tuple[str, int, int]]:
    return {
        (b.id, section, paragraph)
        for b in archive.bulletins()
        for section, paragraph, text in b.passages()
        if piece in fold(text)
    }


def _found(index: SearchIndex, piece: str) -> set[tuple[str, int, int]]:
    result = index.search(f'"{piece}"', limit=0)
    keys = {(h.bulletin_id, h.section, h.paragraph) for h in result.hits}
    assert len(keys) == result.total
    return keys


PIECES = ["疫情", "消毒", "防控工作", "社区", "口罩", "体温检测", "东城", "租金"]


def test_several_segments_and_deletions_stay_exact(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src1", 3, seed=5))
    index = SearchIndex(tmp_path / "index")
    index.sync(archive)
    archive.import_files(write_bulletins(tmp_path / "src2", 2, seed=6))
    archive.reload()
    index.sync(archive)  # a second segment
    gone = archive.ids()[1]
    archive.remove(gone)
    archive.reload()
    index.sync(archive)  # deletions in the first
    segment_files = sorted(p.name for p in (tmp_path / "index").glob("*.seg"))
    grams_files = sorted(p.name for p in (tmp_path / "index").glob(f"{grams.PREFIX}*"))
    assert [
        f"{grams.PREFIX}{name.removesuffix('.seg')}{grams.SUFFIX}" for name in segment_files
    ] == grams_files
    assert index.indexed_ids() == set(archive.ids())
    for piece in PIECES:
        found = _found(index, piece)
        assert found == _oracle(archive, piece), piece
        assert all(bid != gone for bid, _s, _p in found)
    index.close()


def test_merged_segments_leave_no_grams_behind(tmp_path):
    archive = Archive(tmp_path / "archive")
    index = SearchIndex(tmp_path / "index")
    for round_ in range(12):  # Whoosh merges small segments as they pile up
        archive.import_files(write_bulletins(tmp_path / f"src{round_}", 1, seed=20 + round_))
        archive.reload()
        index.sync(archive)
    directory = tmp_path / "index"
    segments = {p.name.removesuffix(".seg") for p in directory.glob("*.seg")}
    left = {
        p.name.removeprefix(grams.PREFIX).removesuffix(grams.SUFFIX)
        for p in directory.glob(f"{grams.PREFIX}*")
    }
    assert left == segments and len(segments) < 12
    for piece in PIECES[:4]:
        assert _found(index, piece) == _oracle(archive, piece)
    index.close()


def test_a_missing_grams_file_is_damage_and_the_index_is_rebuilt(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", 2, seed=3))
    index = SearchIndex(tmp_path / "index")
    index.sync(archive)
    index.close()
    for path in (tmp_path / "index").glob(f"{grams.PREFIX}*"):
        path.unlink()
    fresh = SearchIndex(tmp_path / "index")
    assert fresh.needs_sync(archive)
    assert fresh.sync(archive).rebuilt
    for piece in PIECES[:4]:
        assert _found(fresh, piece) == _oracle(archive, piece)
    fresh.close()


def test_a_reader_without_the_grams_file_makes_them_in_memory(tmp_path, caplog):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", 2, seed=3))
    SearchIndex(tmp_path / "index").sync(archive)
    (tmp_path / "elsewhere").mkdir()
    ix = whoosh_index.open_dir(str(tmp_path / "index"), indexname="MAIN")
    with ix.searcher() as searcher, caplog.at_level(logging.WARNING, logger="viewer.search"):
        corpus = Corpus(searcher.reader(), tmp_path / "elsewhere")
        for piece in PIECES:
            found = corpus.passages_with(fold(piece))
            assert len(found) == len(_oracle(archive, piece)), piece
    assert "built in memory" in caplog.text


def test_a_changed_grams_file_is_damage_and_the_index_is_rebuilt(tmp_path):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", 2, seed=4))
    index = SearchIndex(tmp_path / "index")
    index.sync(archive)
    index.close()
    path = next((tmp_path / "index").glob(f"{grams.PREFIX}*"))
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # a changed byte in the text: same size, other content
    path.write_bytes(bytes(data))
    fresh = SearchIndex(tmp_path / "index")
    assert fresh.needs_sync(archive)
    assert fresh.sync(archive).rebuilt
    for piece in PIECES[:4]:
        assert _found(fresh, piece) == _oracle(archive, piece)
    fresh.close()


def test_a_phrase_is_found_where_its_pairs_follow_each_other():
    texts = ["疫情防控疫情", "疫情 防控", "情防控", "防控疫情防控工作", "疫疫情情防防控控", "aaaa", "aaa"]
    part = _built(texts)
    pieces = ["疫情防控", "情防", "防控疫情", "控疫", "疫情防控工作", "aaa", "aaaa", "疫情防", "控工作了"]
    for piece in pieces:
        found = grams.distinct(part.occurrences(piece)).tolist()
        assert found == [i for i, t in enumerate(texts) if piece in t], piece


def test_common_long_pieces_found_by_position_are_exact(tmp_path, monkeypatch):
    from viewer.search import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "PHRASE_FROM", 0)  # every long piece by position
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", 3, seed=8))
    index = SearchIndex(tmp_path / "index")
    index.sync(archive)
    for piece in ["疫情防控", "防控工作", "体温检测", "全力打好疫情防控阻击战", "没有的话"]:
        assert _found(index, piece) == _oracle(archive, piece), piece
    index.close()


def test_search_does_not_read_an_archive_that_has_not_changed(tmp_path, monkeypatch):
    archive = Archive(tmp_path / "archive")
    archive.import_files(write_bulletins(tmp_path / "src", 2, seed=9))
    index = SearchIndex(tmp_path / "index")
    assert index.sync(archive).added == 3

    def no_reading(self):
        raise AssertionError("the archive was read")

    unchanged = Archive(tmp_path / "archive")
    monkeypatch.setattr(Archive, "ids", no_reading)
    assert not index.sync(unchanged).changed  # no record read: the state is the same
    monkeypatch.undo()
    added = Archive(tmp_path / "archive")
    added.import_files(write_bulletins(tmp_path / "src2", 1, seed=10))
    monkeypatch.setattr(Archive, "ids", no_reading)
    with pytest.raises(AssertionError, match="was read"):
        index.sync(Archive(tmp_path / "archive"))  # one more record: read and synced
    monkeypatch.undo()
    assert index.sync(Archive(tmp_path / "archive")).added == 1
    index.close()
