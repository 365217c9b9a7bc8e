"""Official documents: every paragraph convention, every part, in generated documents of
known structure (tests/corpus/make_official.py) and in small fixtures written by hand."""

from __future__ import annotations

import importlib.util
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS
from tests.unit.test_parser import assert_lossless
from viewer.model import parse_text
from viewer.model.official import find_date, find_number, standalone_heading


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_official = _load("make_official")


@pytest.mark.parametrize("layout", make_official.LAYOUTS)
def test_generated_official_documents_parse_to_their_structure(layout):
    rnd = random.Random(make_official.LAYOUTS.index(layout))
    for _ in range(60):
        doc, extra = make_official.make(rnd)
        text = make_official.render(doc, extra, layout, rnd)
        got = parse_text(text)
        assert got.to_dict() == doc, text
        assert_lossless(got, text)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(make_official.LAYOUTS), st.data())
def test_parsing_stays_lossless_on_every_layout_with_noise(seed, layout, data):
    rnd = random.Random(seed)
    doc, extra = make_official.make(rnd)
    lines = make_official.render(doc, extra, layout, rnd).split("\n")
    # Stray lines a real file has: chrome, blank lines, pieces of other lines.
    noise = st.sampled_from(
        ["下载", "【打印本页】", "\u200b", "", "　　", "Public domain", "（此件公开发布）"]
    )
    for _ in range(data.draw(st.integers(0, 4))):
        lines.insert(data.draw(st.integers(0, len(lines))), data.draw(noise))
    text = "\n".join(lines)
    assert_lossless(parse_text(text), text)


# -- paragraph conventions, by hand ------------------------------------------------
def test_one_paragraph_a_line_keeps_each_line_whole():
    text = "关于加强值守的通知\n各单位：\n第一段落讲值守。\n第二段落讲消毒。\n"
    got = parse_text(text)
    assert [p.text for p in got.lead] == ["各单位：", "第一段落讲值守。", "第二段落讲消毒。"]


def test_indentation_starts_paragraphs_and_wrapped_lines_join():
    text = "标题通知\n　　第一段第一行，\n接着写完。\n　　第二段。\n"
    got = parse_text(text)
    assert [p.text for p in got.lead] == ["第一段第一行，接着写完。", "第二段。"]


def test_fixed_width_wrap_without_blank_lines_ends_paragraphs_at_short_sentence_ends():
    body = "疫情防控期间各单位要加强值守工作做好消毒通风落实" * 2 + "措施。"
    second = "社区要做好人员排查登记和体温检测工作确保不漏一户" + "一人。"
    width = 16
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    lines += [second[i : i + width] for i in range(0, len(second), width)]
    got = parse_text("通知\n" + "\n".join(lines) + "\n")
    assert [p.text for p in got.lead] == [body, second]


def test_a_line_broken_by_a_link_is_joined_again():
    text = "决议\n\n会议审议了所作的\n政府工作报告\n。会议决定批准。\n\n会议号召团结奋斗。\n"
    assert [p.text for p in parse_text(text).lead] == [
        "会议审议了所作的政府工作报告。会议决定批准。",
        "会议号召团结奋斗。",
    ]


def test_headings_signatures_and_dates_end_paragraphs_without_a_full_stop():
    text = "通知\n各单位要做好\n一、总体要求\n坚持预防为主\n北京市卫生健康委员会\n2020年2月3日\n"
    got = parse_text(text)
    assert [p.text for p in got.lead] == ["各单位要做好"]
    assert got.sections[0].headline == "一、总体要求"
    assert [p.text for p in got.sections[0].paragraphs] == ["坚持预防为主"]
    assert got.closing[-2:] == (got.closing[-2], got.closing[-1])
    assert [p.text for p in got.closing] == ["北京市卫生健康委员会", "2020年2月3日"]


# -- parts, by hand --------------------------------------------------------------------
def test_title_skips_page_chrome_and_zero_width_characters():
    text = "\u200b\n下载\n【法宝引证码】CLI.12.345\n关于做好防控工作的通知\n各单位要加强值守。\n"
    got = parse_text(text)
    assert got.title == "关于做好防控工作的通知"
    assert "下载" in got.removed
    assert [p.text for p in got.lead] == ["各单位要加强值守。"]


def test_a_phrase_that_only_the_title_holds_is_kept_in_the_title_not_lost():
    got = parse_text("北京市人民政府关于印发\n《方案》的通知\n\n各区人民政府：\n\n现印发给你们。\n")
    assert got.title == "北京市人民政府关于印发《方案》的通知"


def test_banner_number_addressee_closing_and_attachment():
    text = (
        "北京市人民政府文件\n京政发〔2020〕3号\n北京市人民政府关于加强防控的通知\n"
        "各区人民政府，市政府各委、办、局：\n现将有关事项通知如下。\n一、总体要求\n坚持预防为主。\n"
        "附件：1.防控指南\n2.联系方式\n北京市人民政府\n2020年2月3日\n（此件公开发布）\n"
    )
    got = parse_text(text)
    assert (got.title, got.number, got.issuer, got.date) == (
        "北京市人民政府关于加强防控的通知",
        "京政发〔2020〕3号",
        "北京市人民政府",
        "2020-02-03",
    )
    assert [p.text for p in got.lead] == ["各区人民政府，市政府各委、办、局：", "现将有关事项通知如下。"]
    assert [(s.headline, s.level) for s in got.sections] == [("一、总体要求", 1)]
    assert [p.text for p in got.closing] == [
        "附件：1.防控指南",
        "2.联系方式",
        "北京市人民政府",
        "2020年2月3日",
        "（此件公开发布）",
    ]
    assert set(got.meta_lines) == {"北京市人民政府文件", "京政发〔2020〕3号"}


def test_heading_levels_follow_the_kinds_a_document_uses():
    text = "办法\n（一）总则\n正文。\n（1）定义\n正文。\n（二）附则\n正文。\n"
    assert [(s.headline, s.level) for s in parse_text(text).sections] == [
        ("（一）总则", 1),
        ("（1）定义", 2),
        ("（二）附则", 1),
    ]


def test_chapters_sections_and_articles():
    text = "条例\n第一章 总则\n第一条 为了加强管理，制定本条例。\n第二节 监督\n第二条\n"
    text += "本条例自公布之日起施行。\n"
    got = parse_text(text)
    assert [(s.headline, s.level) for s in got.sections] == [
        ("第一章 总则", 1),
        ("第二节 监督", 2),
        ("第二条", 3),
    ]
    assert [p.text for p in got.sections[0].paragraphs] == ["第一条 为了加强管理，制定本条例。"]


def test_region_labels_in_brackets_and_run_in():
    text = "各地动态\n【四川】\n四川加强防控\n四川省出台措施。\n【重庆】重庆市开展消毒。\n"
    got = parse_text(text)
    assert [(s.district, s.headline, [p.text for p in s.paragraphs]) for s in got.sections] == [
        ("四川", "四川加强防控", ["四川省出台措施。"]),
        ("重庆", "", ["重庆市开展消毒。"]),
    ]


def test_metadata_lines_of_a_site_give_date_issuer_and_number_and_chrome_is_dropped():
    text = (
        "关于促进发展的通知\n发布日期: 2025-10-31\n发布机构: 上海市科学技术委员会\n"
        "原文链接: http://example.org/a.html\n文号：沪科规〔2025〕2号\n各有关单位：\n现印发给你们。\n"
    )
    got = parse_text(text)
    assert (got.date, got.issuer, got.number) == ("2025-10-31", "上海市科学技术委员会", "沪科规〔2025〕2号")
    assert got.removed == ("原文链接: http://example.org/a.html",)
    assert [p.text for p in got.lead] == ["各有关单位：", "现印发给你们。"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020年2月3日", "2020-02-03"),
        ("2020-02-03", "2020-02-03"),
        ("2020.2.3", "2020-02-03"),
        ("二〇二〇年二月三日", "2020-02-03"),
        ("二○二六年十二月二十一日", "2026-12-21"),
        ("二〇二六年八月十二日", "2026-08-12"),
        ("2020年2月", ""),
        ("2020年13月3日", ""),
    ],
)
def test_dates_become_iso(text, iso):
    assert find_date(text) == iso


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("京政发〔2020〕3号", "京政发〔2020〕3号"),
        ("【2017】010 号", "【2017】010 号"),
        ("中国人民银行公开市场业务公告［2026］第6号", "［2026］第6号"),
        ("国务院令第701号", "国务院令第701号"),
        ("没有文号的标题", ""),
    ],
)
def test_document_numbers_as_printed(text, number):
    assert find_number(text) == number


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("一、总体要求", "cn"),
        ("（一）提升创新策源能级", "paren-cn"),
        ("1.加强组织领导", "num"),
        ("（1）定义", "paren-num"),
        ("第三章 附则", "chapter"),
        ("（一）高端医学影像产品。加快正电子发射及X射线计算机体层成像扫描设备迭代升级。", ""),
        ("1.5倍的增长", ""),
        ("第一条 为了加强管理，制定本条例。", ""),
    ],
)
def test_a_heading_stands_alone_an_enumerated_paragraph_does_not(text, kind):
    assert standalone_heading(text) == kind
