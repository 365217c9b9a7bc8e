"""Search on the bundled bulletin: folded and reworded queries, the query language, results."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.model import HEAD, HEADLINE, LEAD, Hit, district_key
from viewer.search import SearchIndex, highlight_spans
from viewer.search.highlight import SNIPPET_CHARS, SNIPPET_LEAD, snippet
from viewer.search.normalize import fold, fold_with_offsets
from viewer.search.query import parse_query
from viewer.store import Archive


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundled")
    archive = Archive(root / "archive")
    index = SearchIndex(root / "index")
    report = index.sync(archive)
    assert report.added == 1 and report.documents > 30
    yield index, archive
    index.close()


def _marked(hit: Hit) -> list[str]:
    return [hit.text[s:e] for s, e in hit.highlights]


# -- folding -------------------------------------------------------------------
def test_fold_makes_full_width_latin_traditional_and_case_equal():
    assert fold("ＥＭＳ") == fold("ems") == fold("EMS") == "ems"
    assert fold("東城區") == "东城区"
    assert fold("１６項") == "16项"


def test_offsets_map_back_when_folding_changes_length():
    text = "第①项ﬁle租金"
    folded, starts = fold_with_offsets(text)
    assert folded == "第1项file租金"
    assert starts is not None and len(starts) == len(folded)
    assert highlight_spans(text, "租金") == [(6, 8)]
    assert highlight_spans(text, "file") == [(3, 6)]  # "ﬁ" is one character of the text
    assert highlight_spans(text, "i") == [(3, 4)]


def test_a_lone_surrogate_folds_as_itself_like_any_unprintable_character():
    assert fold("\ud800") == "\ud800"
    assert fold("東\udcff城\x07") == "东\udcff城\x07"  # as a control character is kept
    text = "①\ud800東ﬁ\udfff"  # expanding characters around it: the offset map is needed
    folded, starts = fold_with_offsets(text)
    assert folded == "1\ud800东fi\udfff"
    assert starts == [0, 1, 2, 3, 3, 4]
    assert [text[starts[i]] for i in (1, 5)] == ["\ud800", "\udfff"]  # each maps back to itself
    assert highlight_spans(text, "东") == [(2, 3)]
    assert highlight_spans("防\udcff控", "控") == [(2, 3)]


def test_highlight_spans_are_offsets_into_the_original_text():
    text = "通过ＥＭＳ邮寄、EMS邮寄和 ems"
    spans = highlight_spans(text, "ems")
    assert [text[s:e] for s, e in spans] == ["ＥＭＳ", "EMS", "ems"]
    assert highlight_spans("東城區和东城区", "东城") == [(0, 2), (4, 6)]
    assert highlight_spans("减免租金，租金减免", "租金减免") == [(0, 4), (5, 9)]  # its words too
    assert highlight_spans("口罩和消毒", "消毒 -口罩") == [(3, 5)]  # excluded words are not marked
    assert highlight_spans("啊啊啊", "啊啊") == [(0, 3)]  # overlapping occurrences merge


def _snip(text: str, query: str) -> tuple[str, list[str]]:
    """Snippet of ``text`` for ``query``, and the marked stretches of the snippet."""
    snip, spans = snippet(text, highlight_spans(text, query))
    return snip, [snip[s:e] for s, e in spans]


def test_snippet_starts_at_the_clause_holding_the_first_hit():
    tail = "街道干部下沉到社区开展工作" * 8
    text = "北京市" * 10 + "为了保障群众生活，对社区实行封闭管理并加强消毒，" + tail
    snip, marked = _snip(text, "消毒")
    assert snip.startswith("对社区实行封闭管理并加强消毒") and snip.endswith("…")
    assert marked == ["消毒"] and len(snip) == SNIPPET_CHARS + 1
    # After a sentence's end and its closing quote.
    quoted = "甲" * 40 + "他说“要戴口罩。”同时做好消毒工作" + "乙" * 80
    assert _snip(quoted, "消毒")[0].startswith("同时做好消毒")


def test_snippet_without_a_clause_start_near_begins_with_an_ellipsis():
    text = "各" * 60 + "消毒" + "区" * 60
    snip, marked = _snip(text, "消毒")
    assert snip == "…" + "各" * SNIPPET_LEAD + "消毒" + "区" * (SNIPPET_CHARS - SNIPPET_LEAD - 2) + "…"
    assert marked == ["消毒"]
    # Near the paragraph's start, the snippet starts there; a short paragraph is whole.
    assert _snip("各区" * 5 + "消毒" + "区" * 80, "消毒")[0].startswith("各区各区")
    assert _snip("加强消毒。", "消毒") == ("加强消毒。", ["消毒"])


def test_snippet_highlights_are_exact_offsets_into_the_snippet():
    text = "，".join(["加强社区消毒"] * 20)
    snip, spans = snippet(text, highlight_spans(text, "社区消毒 消毒"))
    assert snip.endswith("…") and spans
    assert all(snip[s:e] == "社区消毒" for s, e in spans[:-1])
    assert snip[spans[-1][0] : spans[-1][1]] in "社区消毒"  # the last one may be cut by the end


# -- the query language ----------------------------------------------------------
def test_query_language_parts():
    parsed = parse_query('租金 "打好 疫情" 消毒 OR 防疫 -口罩 district:东城区')
    assert [[t.text for t in g] for g in parsed.groups] == [["租金"], ["打好 疫情"], ["消毒", "防疫"]]
    assert parsed.groups[1][0].quoted
    assert [t.text for t in parsed.excluded] == ["口罩"]
    assert parsed.districts == ["东城"]


ODD_QUERIES = ['"', '"租金', "OR", "OR 租金 OR", "-", "--", "district:", "，。！", "", " "]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_parse(query):
    parsed = parse_query(query)
    assert all(term.runs for group in parsed.groups for term in group)


# -- results on the bundled bulletin ---------------------------------------------
def test_reworded_query_finds_the_dongcheng_rent_paragraph_first(bundled_index):
    index, archive = bundled_index
    result = index.search("租金减免")
    top = result.hits[0]
    bulletin = archive.get(top.bulletin_id)
    assert top.district == "东城"
    assert top.text == bulletin.section("东城").paragraphs[top.paragraph].text
    assert "减免租金" in top.text
    assert {"减免", "减免租金"} <= set(_marked(top))
    assert not top.exact  # it holds the words, not the literal query


@pytest.mark.parametrize("query", ["ems", "ＥＭＳ", "EMS邮寄", "ｅｍｓ邮寄"])
def test_latin_in_any_width_or_case_finds_ems(bundled_index, query):
    index, _ = bundled_index
    result = index.search(query)
    assert result.total == 1
    hit = result.hits[0]
    assert hit.exact and hit.district == "东城"
    assert _marked(hit)[0] in ("EMS", "EMS邮寄")
    s, e = hit.snippet_highlights[0]
    assert hit.snippet[s:e] == _marked(hit)[0]


def test_traditional_query_finds_simplified_text(bundled_index):
    index, _ = bundled_index
    result = index.search("東城區")
    assert result.total >= 2
    assert all("东城区" in h.text for h in result.hits)
    assert all(h.text[s:e] == "东城区" for h in result.hits for s, e in h.highlights)


def test_literal_passages_rank_before_word_only_ones(bundled_index):
    index, _ = bundled_index
    result = index.search("疫情防控", limit=None)
    flags = [h.exact for h in result.hits]
    assert flags == sorted(flags, reverse=True)
    assert result.total == len(result.hits)
    assert all("疫情防控" in h.text for h in result.hits if h.exact)


def test_headline_match_is_a_hit_of_its_own(bundled_index):
    index, _ = bundled_index
    result = index.search("打好疫情防控", limit=0)
    headlines = [h for h in result.hits if h.paragraph == HEADLINE]
    assert [(h.district, h.text) for h in headlines] == [("东城", "出台16项措施打好疫情防控战")]
    leads = [h for h in result.hits if h.section == LEAD]
    assert [h.paragraph for h in leads] == [0]  # the lead says 全力打好疫情防控阻击战
    titles = [h for h in result.hits if h.section == HEAD]  # and so does the title
    assert [(h.paragraph, h.district, h.text) for h in titles] == [(0, "", "北京：全力打好疫情防控阻击战！")]


def test_and_or_exclude_and_district(bundled_index):
    index, _ = bundled_index
    both = index.search("消毒 社区", limit=0)
    assert both.total and all("消毒" in h.text and "社区" in h.text for h in both.hits)
    either = index.search("消毒 OR 值守", limit=0)
    assert either.total > both.total
    assert all("消毒" in h.text or "值守" in h.text for h in either.hits)
    without = index.search("消毒 -口罩", limit=0)
    assert without.total and all("口罩" not in h.text for h in without.hits)
    west = index.search("消毒 district:西城", limit=0)
    assert west.total == index.search("消毒", district="西城区", limit=0).total
    assert west.total and {h.district for h in west.hits} == {"西城"}


def test_counts_cover_every_match_not_only_the_page(bundled_index):
    index, archive = bundled_index
    full = index.search("疫情", limit=0)
    page = index.search("疫情", limit=3)
    assert len(page.hits) == 3 and page.total == full.total > 3
    assert page.district_counts == full.district_counts
    assert sum(page.bulletin_counts.values()) == full.total
    expected: dict[str, int] = {}
    for hit in full.hits:
        if hit.district:
            key = district_key(hit.district)
            expected[key] = expected.get(key, 0) + 1
    assert page.district_counts == expected
    sections: dict[tuple[str, int], int] = {}
    for hit in full.hits:  # the lead, the closing and the title count under LEAD, CLOSING, HEAD
        pair = (hit.bulletin_id, hit.section)
        sections[pair] = sections.get(pair, 0) + 1
    assert page.section_counts == full.section_counts == sections
    assert page.hits == full.hits[:3]
    (bid,) = archive.ids()
    assert index.search("疫情", bulletin=bid, limit=0).total == full.total
    assert index.search("疫情", bulletin="0" * 16).total == 0


def test_hit_json_shape(bundled_index):
    index, _ = bundled_index
    data = index.search("消毒", limit=1).to_dict()
    assert set(data) == {"query", "total", "hits"}
    fields = {"bulletin", "district", "paragraph", "section", "text", "snippet", "highlights", "score"}
    assert set(data["hits"][0]) == fields


def test_cancel_supersedes_a_query(bundled_index):
    index, _ = bundled_index
    assert index.search("疫情", cancel=lambda: True).cancelled
    assert not index.search("疫情", cancel=lambda: False).cancelled


def test_searches_from_many_threads_agree(bundled_index):
    index, _ = bundled_index
    queries = ["疫情", "消毒", "東城區", "租金减免", "社区 OR 街道"]
    expected = [index.search(q, limit=5).hits for q in queries]

    def run(_n: int) -> list[tuple[Hit, ...]]:
        return [index.search(q, limit=5).hits for q in queries * 5]

    with ThreadPoolExecutor(max_workers=4) as pool:
        for got in pool.map(run, range(4)):
            assert got == expected * 5


_QUERY_TEXT = st.text(
    alphabet=st.sampled_from(list('租金减免疫情东城區ＥＭＳems "“”-－:：OR，。！\\*()[]{}?district\t\n0')),
    max_size=40,
) | st.text(max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_QUERY_TEXT, district=st.none() | st.sampled_from(["东城", "", "不存在", "東城區"]))
def test_no_query_raises(bundled_index, query, district):
    index, _ = bundled_index
    result = index.search(query, district=district, limit=5)
    assert result.total >= len(result.hits)
    for hit in result.hits:
        assert all(0 <= s < e <= len(hit.text) for s, e in hit.highlights)
    assert all(0 <= s < e <= len(query) for s, e in highlight_spans(query, query))


def test_very_long_query_returns(bundled_index):
    index, _ = bundled_index
    assert index.search("疫" * 10_000).total == 0
    # The same word 3,000 times asks no more than the word once: all its passages.
    once, repeated = index.search("疫情"), index.search("疫情 " * 3_000)
    assert repeated.total == once.total > 0
    assert [h.text for h in repeated.hits] == [h.text for h in once.hits]
    assert index.search('"' * 10_000 + "-" * 10).total == 0


def test_district_printed_with_qu_is_counted_under_its_key(tmp_path, bundled_text):
    source = tmp_path / "qu.txt"
    source.write_text(bundled_text.replace("朝阳：", "朝阳区："), encoding="utf-8")
    archive = Archive()
    record = archive.import_file(source)
    index = SearchIndex()
    index.sync(archive)
    result = index.search("商务楼宇", bulletin=record.id, limit=0)
    assert {h.district for h in result.hits} == {"朝阳区"}  # the label as printed
    assert result.district_counts == {"朝阳": result.total}  # grouped under the key
    assert index.search("商务楼宇", district="朝阳", limit=0).total == 2 * result.total
    assert index.search("商务楼宇 district:朝阳区", limit=0).total == 2 * result.total
    index.close()


def test_finer_words_of_a_query_word_count(bundled_index):
    """机关干部下沉: 朝阳's paragraph says 机关系统广大党员干部…下沉基层 — the query's word 机关干部
    is not in it, its finer words 机关 and 干部 are."""
    index, _ = bundled_index
    result = index.search("机关干部下沉", limit=0)
    chaoyang = [h for h in result.hits if h.district == "朝阳" and h.paragraph == 0]
    assert len(chaoyang) == 1 and not chaoyang[0].exact
    assert all(h.exact for h in result.hits[: sum(h.exact for h in result.hits)])  # literal ones first


def test_invisible_characters_inside_words_are_found_and_numbers_stay_whole(tmp_path):
    from viewer.store import Archive

    text = (
        "标题通知\n\n各单位要做好疫\u200b情防\u00ad控工作，全年投入372.53亿元，增长5.2%。\n\n"
        "另有372户和53家参与，比例0.00251。\n"
    )
    (tmp_path / "n.txt").write_text(text, encoding="utf-8")
    archive = Archive()
    archive.import_files([tmp_path / "n.txt"])
    index = SearchIndex()
    index.sync(archive)
    assert index.search("疫情防控", limit=0).total >= 1
    hits = index.search("372.53", limit=0).hits
    assert [h.text[s:e] for h in hits for s, e in h.highlights] == ["372.53"]  # not every 372 and 53
    assert index.search("5.2%", limit=0).total == 1
    assert [h.text[s:e] for h in index.search("0.00251", limit=0).hits for s, e in h.highlights] == [
        "0.00251"
    ]
    index.close()
    # Text kept with its invisible characters (the readers drop them; older archives may
    # not): they fold to nothing, and the mark covers what the reader sees.
    raw = "做好疫\u200b情防\u00ad控工作"
    assert fold(raw) == "做好疫情防控工作"
    assert highlight_spans(raw, "疫情防控") == [(2, 8)]


def test_a_word_of_two_characters_is_found_only_together(tmp_path):
    """打好 is not a word of the segmenter's dictionary (it splits it into 打 and 好), yet a
    reader typing 打好 means the two together: a passage with 打 and 好 apart is no hit."""
    from viewer.search.normalize import words_of_term

    text = "标题通知\n\n要打好疫情防控阻击战。\n\n打击违法行为，做好服务。\n"
    (tmp_path / "n.txt").write_text(text, encoding="utf-8")
    archive = Archive()
    (record,) = archive.import_files([tmp_path / "n.txt"]).imported
    index = SearchIndex()
    index.sync(archive)
    hits = index.search("打好", bulletin=record.id, limit=0).hits
    assert [h.text for h in hits] == ["要打好疫情防控阻击战。"]
    assert words_of_term("打好") == ("打好",)
    assert set(words_of_term("打好疫情防控")) >= {"疫情", "防控"}  # longer runs are segmented
    index.close()
