"""The Markdown reader: blocks as lines, marks removed, and the real crawler file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.corpus import make_documents as docs
from viewer.formats import FormatError, read_document
from viewer.formats import markdown as reader
from viewer.formats.repair import repair_line

REAL = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "corpus"
    / "real"
    / "17_shanghai_gaoduan_yiliao_qixie_tongzhi.md"
)


def _read(text: str):
    return reader.read(text.encode("utf-8")).lines


def _texts(text: str) -> list[str]:
    return [line.text for line in _read(text)]


@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3, 4])
def test_generated_document_comes_back_line_for_line(seed):
    doc = docs.SAMPLE if seed is None else docs.random_document(seed)
    extracted = reader.read(docs.render_md(doc))
    expected = [(repair_line(text), *rest) for text, *rest in docs.expected_lines(doc, "md")]
    assert [(line.text, line.heading, line.bold, line.table) for line in extracted.lines] == expected
    assert all(line.starts_paragraph for line in extracted.lines)
    assert extracted.meta["title"] == doc["title"]


def test_paragraph_lines_join_without_space_in_cjk_with_one_in_latin():
    assert _texts("各区人民政府要加强\n组织领导。\n\nthe State\nCouncil\n") == [
        "各区人民政府要加强组织领导。",
        "the State Council",
    ]


def test_a_soft_break_after_a_full_stop_still_continues_the_paragraph():
    assert _texts("第一句结束。\n第二句接着写。\n") == ["第一句结束。第二句接着写。"]


def test_marks_are_removed():
    text = (
        "这是**加粗**、*强调*、`代码`和[链接文字](http://example.com)，图片![示意图](a.png)，"
        "无说明的图片![](b.png)，<span>标签</span>去掉，~~删除线~~保留文字。"
    )
    assert _texts(text) == [
        "这是加粗、强调、代码和链接文字，图片示意图，无说明的图片，标签去掉，删除线保留文字。"
    ]


def test_lists_keep_ordered_numbers_and_drop_bullets():
    text = "1. 第一项\n2. 第二项\n\n- 要点甲\n* 要点乙\n\n3) 第三项\n"
    assert _texts(text) == ["1. 第一项", "2. 第二项", "要点甲", "要点乙", "3) 第三项"]


def test_headings_quotes_rules_tables_and_bold_lines():
    text = (
        "# 标题一\n\n### 标题三\n\n> 引用的段落。\n\n---\n\n**整行加粗**\n\n**部分**加粗\n\n"
        "| 序号 | 单位 |\n|---|---|\n| 1 | 市科委 |\n"
    )
    lines = _read(text)
    assert [(line.text, line.heading, line.bold, line.table) for line in lines] == [
        ("标题一", 1, False, False),
        ("标题三", 3, False, False),
        ("引用的段落。", 0, False, False),
        ("整行加粗", 0, True, False),
        ("部分加粗", 0, False, False),
        ("序号 | 单位", 0, False, True),
        ("1 | 市科委", 0, False, True),
    ]


def test_hard_breaks_split_between_lines_not_inside_a_sentence():
    assert _texts("上海市人民政府办公厅  \n2025年9月4日\n\n要切实加强组织领导，\\\n确保落实。\n") == [
        "上海市人民政府办公厅",
        "2025年9月4日",
        "要切实加强组织领导，确保落实。",
    ]


def test_front_matter_becomes_plain_lines_and_title_hint():
    extracted = reader.read("---\ntitle: 关于某事的通知\ndate: 2025-01-02\n---\n\n正文。\n".encode())
    assert [line.text for line in extracted.lines] == ["title: 关于某事的通知", "date: 2025-01-02", "正文。"]
    assert extracted.meta["title"] == "关于某事的通知"


def test_html_blocks_are_stripped_to_text():
    assert _texts('<div align="center">\n<b>抄送：</b>市委办公厅&amp;市人大<br>印发日期\n</div>\n') == [
        "抄送：市委办公厅&市人大",
        "印发日期",
    ]


def test_gb18030_markdown_is_decoded_and_empty_refused():
    assert reader.read("# 通知\n\n正文。".encode("gb18030")).lines[0].text == "通知"
    with pytest.raises(FormatError):
        reader.read(b"")


def test_read_document_dispatches_by_name():
    assert read_document("# 通知\n".encode(), "notice.md").kind == "md"


# ----------------------------------------------------------------- the real crawler file


@pytest.fixture(scope="module")
def real():
    if not REAL.exists():
        pytest.skip("shared/corpus/real is not beside this checkout")
    return reader.read(REAL.read_bytes())


def test_real_file_title_and_metadata_lines(real):
    lines = real.lines
    title = "上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知"
    assert (lines[0].text, lines[0].heading) == (title, 1)
    assert real.meta["title"] == title
    url = "http://stcsm.sh.gov.cn/zwgk/kjzc/zcwj/qtzcwj/20251031/8feac4b175464c3bbb2e01314d2534ec.html"
    assert [(line.text, line.heading, line.bold) for line in lines[1:6]] == [
        ("发布日期: 2025-10-31", 0, False),
        ("发布机构: 上海市科学技术委员会", 0, False),
        (f"原文链接: {url}", 0, False),
        ("检索时间: 2026-02-02 15:25:09", 0, False),
        ("检索关键词: 人工智能, 北斗", 0, False),
    ]


def test_real_file_notice_plan_title_and_paragraphs(real):
    texts = [line.text for line in real.lines]
    assert texts[6:11] == [
        "沪府办发〔2025〕17号",
        "各区人民政府，市政府各委、办、局，各有关单位：",
        "《上海市促进高端医疗器械产业全链条发展行动方案》已经市政府同意，现印发给你们，请认真按照执行。",
        "上海市人民政府办公厅",
        "2025年9月4日",
    ]
    plan = real.lines[11]
    assert (plan.text, plan.bold, plan.heading) == ("上海市促进高端医疗器械产业全链条发展行动方案", True, 0)
    assert [line.text for line in real.lines if line.bold] == [plan.text]
    assert texts[13] == "一、主要目标"
    assert texts[15] == "二、重点发展产品"
    assert texts[16].startswith("（一）高端医学影像产品。") and texts[16].endswith(
        "推动微型家用超声设备等产品研发。"
    )
    assert texts[24:26] == ["三、重点任务", "（一）提升创新策源能级"]
    assert texts[26].startswith("1.加强基础研究和前沿技术攻关。")
    items = [text for text in texts if re.match(r"\d+\.", text)]
    assert [text.split(".", 1)[0] for text in items] == [str(n) for n in range(1, 21)]
    assert texts[-3].startswith("本方案各项任务纳入市生物医药产业发展工作重点清单") and texts[-3].endswith(
        "确保高效落实。"
    )


def test_real_file_download_line_and_link_item(real):
    texts = [line.text for line in real.lines]
    assert texts[-2:] == [
        "【原文下载】",
        "上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知.pdf",
    ]
    assert len(texts) == 55
    assert not any(mark in text for text in texts for mark in ("**", "](", "\u2003", "---"))


def test_real_file_loses_no_text(real):
    source = REAL.read_text(encoding="utf-8")
    kept = "".join("".join(line.text.split()) for line in real.lines)
    # Every CJK character of the source is kept, in order, once (the link targets and marks go).
    source_cjk = [ch for ch in source if "\u4e00" <= ch <= "\u9fff"]
    kept_cjk = [ch for ch in kept if "\u4e00" <= ch <= "\u9fff"]
    assert kept_cjk == source_cjk
