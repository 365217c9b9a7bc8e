"""Real documents as people have them (../shared/corpus/real, see its SOURCES.md) come out as
a reader reads them. Every expectation here was written from reading the document (the text
files in an editor, the PDFs from their page images), not from the parser's output.

The journal PDF is a publisher's work: it is read from ../shared, never copied here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from viewer.store import Archive, parse_document

REAL = ROOT.parent / "shared" / "corpus" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not beside the clone")


def _parse(name: str):
    return parse_document((REAL / name).read_bytes(), name)[0]


def _all_paragraphs(bulletin) -> list[str]:
    out = [p.text for p in bulletin.lead]
    for section in bulletin.sections:
        out += [p.text for p in section.paragraphs]
    return out + [p.text for p in bulletin.closing]


def test_npc_resolution_from_wikisource():
    got = _parse("10_npc_2023_resolution_on_gov_work_report_wikisource.txt")
    assert got.title == "第十四届全国人民代表大会第一次会议关于政府工作报告的决议"
    # The adoption note under the title gives the date and the adopting body.
    assert (got.date, got.issuer, got.number) == ("2023-03-13", "第十四届全国人民代表大会第一次会议", "")
    assert [p.text[:20] for p in got.lead] == [
        "第十四届全国人民代表大会第一次会议听取和",
        "会议号召，全国各族人民更加紧密地团结在以",
    ]
    # The links of the web page broke the first sentence over three lines: one paragraph again.
    assert "李克强所作的政府工作报告。会议高度评价" in got.lead[0].text
    assert got.lead[0].text.endswith("决定批准这个报告。")
    assert got.lead[1].text.endswith("为全面建设社会主义现代化国家、全面推进中华民族伟大复兴而团结奋斗!")
    assert got.sections == () and got.closing == ()
    # Wikisource's licence template is page furniture: not read, but recorded.
    assert not any("公有领域" in p or "Public domain" in p for p in _all_paragraphs(got))
    assert any("公有领域" in r for r in got.removed) and "Public domain" in got.removed


def test_pboc_open_market_notice_one_paragraph_a_line():
    got = _parse("11_pboc_omo_notice_2026_no6.txt")
    assert got.title == "中国人民银行公开市场业务公告［2026］第6号"
    assert (got.number, got.date) == ("［2026］第6号", "2026-08-12")
    assert got.issuer == "中国人民银行公开市场业务操作室"
    assert [p.text for p in got.lead] == [
        "各公开市场业务一级交易商：",
        "为更好匹配银行体系短期流动性需求，中国人民银行将在8月14日、8月17日至8月19日开展隔夜逆回购操作，"
        "采用固定利率、数量招标，每日操作量不超过6000亿元。",
    ]
    assert [p.text for p in got.closing] == [
        "特此通知。",
        "中国人民银行公开市场业务操作室",
        "二〇二六年八月十二日",
    ]


def test_treasury_deposit_notice():
    got = _parse("13_pboc_treasury_cash_deposit_2026_14.txt")
    assert got.title == "2026年中央国库现金管理商业银行定期存款（十四期）招投标通知"
    assert (got.date, got.issuer, got.number) == ("2026-08-14", "中央国库现金管理操作室", "")
    assert len(got.lead) == 1 and got.lead[0].text.startswith("为提高中央国库现金使用效益")
    assert got.lead[0].text.endswith("及相关规定执行。")
    assert [p.text for p in got.closing] == ["中央国库现金管理操作室", "二〇二六年八月十四日"]


def test_shanghai_notice_forwarding_an_action_plan_in_markdown():
    got = _parse("17_shanghai_gaoduan_yiliao_qixie_tongzhi.md")
    assert got.title == "上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知"
    assert got.number == "沪府办发〔2025〕17号"
    # Signed by the office on 2025-09-04; the crawler's 发布日期 and 发布机构 are the site's.
    assert (got.issuer, got.date) == ("上海市人民政府办公厅", "2025-09-04")
    assert [p.text for p in got.lead] == [
        "各区人民政府，市政府各委、办、局，各有关单位：",
        "《上海市促进高端医疗器械产业全链条发展行动方案》已经市政府同意，现印发给你们，请认真按照执行。",
        "上海市人民政府办公厅",
        "2025年9月4日",
    ]
    headings = [(s.headline, s.level) for s in got.sections]
    assert headings[:5] == [
        ("上海市促进高端医疗器械产业全链条发展行动方案", 1),
        ("一、主要目标", 2),
        ("二、重点发展产品", 2),
        ("三、重点任务", 2),
        ("（一）提升创新策源能级", 3),
    ]
    assert [h for h, level in headings if level == 3][-1] == "（七）推动产业国际化发展"
    assert len(headings) == 11
    products = got.sections[2]
    # （一）…（八） with their text run into the paragraph: paragraphs, not headings.
    assert len(products.paragraphs) == 8 and products.paragraphs[0].text.startswith(
        "（一）高端医学影像产品。加快"
    )
    tasks = got.sections[4]
    assert [p.text[:2] for p in tasks.paragraphs] == ["1.", "2.", "3."]
    assert _all_paragraphs(got)[-1].startswith("本方案各项任务纳入市生物医药产业发展工作重点清单")
    # Markdown marks, the crawler's link lines and the download link are not read as text.
    assert not any("**" in p or "http" in p or ".pdf" in p for p in _all_paragraphs(got))
    assert any(r.startswith("原文链接") for r in got.removed)


def test_beijing_work_report_pdf_single_column():
    got = _parse("08_beijing_gov_work_report_2024.pdf")
    assert got.title == ""  # the report prints no title: it opens with 各位代表：
    assert [p.text for p in got.lead] == [
        "各位代表：",
        "现在，我代表北京市人民政府，向大会报告政府工作，请予审议，并请市政协委员提出意见。",
    ]
    headings = [(s.headline, s.level) for s in got.sections]
    assert headings[:3] == [
        ("一、2023 年工作回顾", 1),
        ("二、2024 年重点任务", 1),
        ("（一）持续提升首都功能，推动京津冀协同发展取得新的更大进展", 2),
    ]
    assert headings[-1] == ("（十一）加快构建大安全大应急框架，全力维护首都安全稳定", 2)
    assert len(headings) == 13
    review = [p.text for p in got.sections[0].paragraphs]
    assert review[0].startswith("2023 年是全面贯彻落实党的二十大精神的开局之年")
    assert review[1].startswith("过去一年，在以习近平同志为核心的党中央坚强领导下")
    assert "一年来，主要做了以下工作。" in review
    paragraphs = _all_paragraphs(got)
    assert paragraphs[-1].startswith("各位代表！奋楫扬帆启新航，凝心聚力谱华章。")
    assert paragraphs[-1].endswith("为推进中国式现代化作出首都贡献！")
    # Page breaks fall inside paragraphs; none is cut there, none is a page number.
    assert not any(p.isdigit() for p in paragraphs)
    assert all(p[-1] in "。！？：；”）" for p in paragraphs), [
        p[-12:] for p in paragraphs if p[-1] not in "。！？：；”）"
    ]


def test_two_column_journal_pdf_reads_column_by_column():
    got = _parse("02_kongzhi_yu_juece_2024_2col_cnki.pdf")
    # The title is the line in the largest type (after the cover sheet), not the journal's name.
    assert got.title == "事件触发式多智能体分层安全强化学习运动规划"
    assert got.date == "2024-06-06"  # 网络首发日期 on the cover sheet
    headings = [s.headline for s in got.sections]
    for heading in ("0 引言", "1 多智能体安全强化学习", "3 实验仿真和验证", "3.1 实验初始化设置", "4 结论"):
        assert heading in headings
    levels = {s.headline: s.level for s in got.sections}
    assert levels["3.1 实验初始化设置"] == levels["3 实验仿真和验证"] + 1
    assert not any(h.startswith(("图", "表")) for h in headings)  # captions are not headings
    paragraphs = _all_paragraphs(got)
    abstract = next(p for p in paragraphs if p.startswith("摘要"))
    assert "首先, 基于受限马尔可夫决策模型" in abstract and abstract.endswith("协同运动规划能力.")
    # Read off the page images: the introduction's last paragraph runs from the foot of
    # page 3's left column ("下层恢") to the top of its right column ("复网络基于…"), and an
    # earlier sentence from page 2 ("…的非安") over the page break ("全场景,…").
    intro = got.sections[headings.index("0 引言")]
    last = intro.paragraphs[-1].text
    assert last.startswith("针对以上问题") and "下层恢复网络基于李雅普诺夫" in last
    assert any("充满未知信息的非安全场景,机器人的决策安全性也因而受到了严峻的挑战." in p for p in paragraphs)
    assert headings.index("0 引言") < headings.index("1 多智能体安全强化学习")
    # Running heads and page numbers are dropped and recorded.
    assert "控制与决策" in got.removed
    assert not any(p == "控制与决策" for p in paragraphs[5:])


def test_scan_without_a_text_layer_is_refused_and_nothing_is_stored(viewer_home):
    scan = REAL / "17_scanned_book_page_NO_TEXT.pdf"
    result = run_cli("import", str(scan))
    assert result.returncode == 2
    assert "no text layer" in result.stderr and "Traceback" not in result.stderr
    assert [r.source_name for r in Archive().records() if not r.bundled] == []


def test_every_real_document_imports_and_parses_as_json(viewer_home, tmp_path):
    names = [
        "10_npc_2023_resolution_on_gov_work_report_wikisource.txt",
        "11_pboc_omo_notice_2026_no6.txt",
        "13_pboc_treasury_cash_deposit_2026_14.txt",
        "17_shanghai_gaoduan_yiliao_qixie_tongzhi.md",
        "08_beijing_gov_work_report_2024.pdf",
        "02_kongzhi_yu_juece_2024_2col_cnki.pdf",
    ]
    parsed = run_cli("parse", *(str(REAL / n) for n in names), "--json")
    assert parsed.returncode == 0, parsed.stderr
    shapes = [json.loads(line) for line in parsed.stdout.splitlines()]
    assert len(shapes) == len(names)
    for shape in shapes:
        assert set(shape) == {"title", "column", "date", "number", "issuer", "lead", "sections", "closing"}
    imported = run_cli("import", *(str(REAL / n) for n in names))
    assert imported.returncode == 0, imported.stderr
    archive = Archive()
    records = {r.source_name: r for r in archive.records() if not r.bundled}
    assert set(records) == set(names)
    report = records["08_beijing_gov_work_report_2024.pdf"]
    # Its text has no title: it is listed under its file's name.
    assert report.title == "08_beijing_gov_work_report_2024"
    root = Path(archive.root)
    assert (root / f"{report.id}.pdf").read_bytes() == (
        REAL / "08_beijing_gov_work_report_2024.pdf"
    ).read_bytes()
    assert "各位代表：" in (root / f"{report.id}.extracted.txt").read_text(encoding="utf-8")
    found = run_cli("search", "奋楫扬帆启新航", "--json")
    hits = json.loads(found.stdout.splitlines()[0])["hits"]
    assert [h["bulletin"] for h in hits] == [report.id]
