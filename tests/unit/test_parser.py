"""The parser recovers the published structure, whatever the encoding or layout quirks."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import full_expected, generate_bulletins
from viewer.model import ParseError, content_id, decode_text, parse_bytes, parse_text

_WS = re.compile(r"\s")


def _no_ws(obj) -> str:
    return _WS.sub("", json.dumps(obj, ensure_ascii=False))


def test_bundled_bulletin_parses_to_the_expected_structure(bundled_text, seed_expected):
    bulletin = parse_text(bundled_text)
    assert _no_ws(bulletin.to_dict()) == _no_ws(full_expected(seed_expected))
    assert bulletin.title == "北京：全力打好疫情防控阻击战！"
    assert bulletin.column == "监管动态"
    assert [s.district for s in bulletin.sections][:3] == ["东城", "西城", "朝阳"]


def test_headlines_cut_by_column_breaks_are_rejoined_and_keep_their_space(bundled_text):
    bulletin = parse_text(bundled_text)
    assert bulletin.section("海淀").headline == "发挥科技创新资源优势 助力疫情防控"
    assert bulletin.section("丰台").headline == "智慧家医远程服务10万居民"
    assert bulletin.section("平谷").headline == "党员干部下沉村居“四报到”"


def test_column_break_inside_a_sentence_does_not_split_the_paragraph(bundled_text):
    chaoyang = parse_text(bundled_text).section("朝阳")
    assert len(chaoyang.paragraphs) == 3
    assert "朝阳区机关系统300余党支部" in chaoyang.paragraphs[0].text


def test_stray_spaces_next_to_cjk_punctuation_are_removed(bundled_text):
    text = parse_text(bundled_text).section("昌平").paragraphs[1].text
    assert "触角，建立" in text
    assert "机制。及时" in text
    assert " " not in text


def test_paragraph_indices_are_zero_based_within_a_section(bundled_text):
    shijingshan = parse_text(bundled_text).section("石景山")
    assert [p.index for p in shijingshan.paragraphs] == [0, 1, 2, 3]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_generated_bulletins_parse_exactly(seed):
    for raw, expected in generate_bulletins(120, seed):
        assert _no_ws(parse_text(raw).to_dict()) == _no_ws(expected)


def _variants(raw: str) -> dict[str, bytes]:
    indented = "\n".join(("　　" + line if line.strip() else line) for line in raw.split("\n"))
    tabbed = "\n".join(("\t" + line if line.strip() else line) for line in raw.split("\n"))
    return {
        "utf-8": raw.encode("utf-8"),
        "utf-8-bom-crlf": b"\xef\xbb\xbf" + raw.replace("\n", "\r\n").encode("utf-8"),
        "utf-16": raw.encode("utf-16"),
        "utf-16-be-bom": b"\xfe\xff" + raw.encode("utf-16-be"),
        "gb18030": raw.encode("gb18030"),
        "cr-only": raw.replace("\n", "\r").encode("utf-8"),
        "full-width-indent": indented.encode("utf-8"),
        "tab-indent": tabbed.encode("gb18030"),
    }


def test_encodings_and_layout_variants_parse_the_same():
    for raw, expected in generate_bulletins(100, seed=7):
        for name, data in _variants(raw).items():
            got = parse_bytes(data)
            assert _no_ws(got.to_dict()) == _no_ws(expected), name


def test_the_same_content_in_another_encoding_has_the_same_id(bundled_text):
    ids = {parse_bytes(data).id for data in _variants(bundled_text).values()}
    assert len(ids) == 1


def test_different_bulletins_have_different_ids():
    ids = {parse_text(raw).id for raw, _ in generate_bulletins(50, seed=3)}
    assert len(ids) == 50


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\n\n  \r\n\t\n", "blank"),
        ("　　\n".encode(), "blank"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\x00\xd8", "not valid"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(data)


def test_gb18030_is_detected():
    text, encoding = decode_text("东城：\n消毒\n".encode("gb18030"))
    assert encoding == "gb18030"
    assert text.startswith("东城：")


def test_an_article_without_district_labels_parses_as_lead():
    article = "关于做好防控工作的通知\n\n各单位要加强值守，\n做好消毒工作。\n\n第二段落的内容。\n"
    bulletin = parse_text(article)
    assert bulletin.title == "关于做好防控工作的通知"
    assert bulletin.sections == ()
    assert [p.text for p in bulletin.lead] == ["各单位要加强值守，做好消毒工作。", "第二段落的内容。"]


def test_district_label_with_suffix_is_recognised_and_grouped():
    raw = " 标题\n 栏目\n\n导语。\n\n东城区：\n标题一\n\n正文一。\n\n石景山区：\n标题二\n\n正文二。\n"
    bulletin = parse_text(raw)
    assert [s.district for s in bulletin.sections] == ["东城区", "石景山区"]
    assert [s.key for s in bulletin.sections] == ["东城", "石景山"]
    assert bulletin.section("东城") is bulletin.sections[0]


def test_latin_words_wrapped_across_lines_keep_their_space():
    bulletin = parse_text("Title\n\nThe measures were\nannounced today.\n")
    assert bulletin.lead[0].text == "The measures were announced today."


def _non_ws(text: str) -> str:
    return _WS.sub("", text)


def assert_lossless(bulletin, text: str) -> None:
    """Every non-whitespace character of ``text`` is kept once: what is shown keeps the
    source's order; metadata lines and removed chrome hold the rest."""
    shown = _non_ws("".join(bulletin.pieces()))
    source = _non_ws(text)
    kept = shown + _non_ws("".join(bulletin.meta_lines)) + _non_ws("".join(bulletin.removed))
    assert Counter(kept) == Counter(source)
    rest = iter(source)
    assert all(ch in rest for ch in shown), "the shown text is out of the source's order"


_line = st.text(
    alphabet=st.sampled_from([*list("东城区西海淀消毒疫情防控：:，。！？“”（）() \u3000\tEMS12"), "\n"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, min_size=1, max_size=30))
def test_parsing_is_lossless(lines):
    text = "\n".join(lines)
    if not text.strip():
        with pytest.raises(ParseError):
            parse_text(text)
        return
    try:
        bulletin = parse_text(text)
    except ParseError as exc:
        assert "page furniture" in str(exc)
        return
    assert_lossless(bulletin, text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        bulletin = parse_text(text)
    except ParseError as exc:
        assert not text.strip() or "page furniture" in str(exc)
        return
    assert_lossless(bulletin, text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused_cleanly(data):
    try:
        parse_bytes(data)
    except ParseError as exc:
        assert str(exc)


def test_content_id_ignores_whitespace():
    assert content_id(["东城", "消毒 工作"]) == content_id(["东 城", "消毒工作"])
