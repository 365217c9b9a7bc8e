"""The PDF reader: reading order, paragraph starts, furniture, tables and refusals.

Generated PDFs (tests/corpus/make_pdf.py, drawn with QPdfWriter) have a known structure;
the real PDFs in ../shared/corpus/real were read by eye from their page images.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.formats import Cancelled, FormatError, pdf, read_document
from viewer.formats.pdf_furniture import is_page_number

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / ".." / "shared" / "corpus" / "real"
WORK_REPORT = REAL / "08_beijing_gov_work_report_2024.pdf"
JOURNAL = REAL / "02_kongzhi_yu_juece_2024_2col_cnki.pdf"
SCANNED = REAL / "17_scanned_book_page_NO_TEXT.pdf"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tests" / "corpus" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_pdf = _load_generator()


def paragraphs_of(lines) -> list[str]:
    """Body lines joined as the structure parser joins them: no separator inside a paragraph."""
    out: list[str] = []
    for line in lines:
        if line.table:
            continue
        if line.starts_paragraph or not out:
            out.append(line.text)
        else:
            out[-1] += line.text
    return out


@pytest.fixture(scope="module")
def one_column(qapp):
    made = make_pdf.make_pdf(columns=1, sections=3, seed=1)
    return made, pdf.read(made.data)


@pytest.fixture(scope="module")
def two_columns(qapp):
    made = make_pdf.make_pdf(columns=2, sections=6, seed=2)
    return made, pdf.read(made.data)


@pytest.fixture(scope="module", params=["one", "two"])
def generated(request, one_column, two_columns):
    return one_column if request.param == "one" else two_columns


# --- generated documents -------------------------------------------------------------


def test_generator_makes_the_breaks_the_tests_rely_on(one_column, two_columns):
    assert one_column[0].pages >= 2 and one_column[0].across_page
    assert two_columns[0].pages >= 2 and two_columns[0].across_column and two_columns[0].across_page


def test_paragraphs_come_back_whole_and_in_order(generated):
    made, extracted = generated
    assert extracted.kind == "pdf"
    assert extracted.pages == made.pages
    assert paragraphs_of(extracted.lines) == made.paragraphs


def test_paragraph_running_on_across_a_page_break_is_marked_continuing(generated):
    made, extracted = generated
    for page in range(1, made.pages):
        first = next(line for line in extracted.lines if line.page == page)
        previous = extracted.lines[extracted.lines.index(first) - 1]
        ends_paragraph = previous.text.endswith("。") and (previous.fill or 0) < 0.9
        assert first.starts_paragraph is (ends_paragraph or first.indent >= 1.5 or first.bold)
    assert any(
        not line.starts_paragraph
        and line.page > 0
        and line is next(x for x in extracted.lines if x.page == line.page)
        for line in extracted.lines
    )


def test_columns_are_read_one_after_the_other(two_columns):
    made, extracted = two_columns
    for page in range(made.pages):
        columns = [line.column for line in extracted.lines if line.page == page and not line.table]
        assert columns == sorted(columns)
        assert set(columns) == {0, 1} or page == made.pages - 1
    title, lead = made.paragraphs[:2]
    texts = paragraphs_of(extracted.lines)
    assert texts[0] == title and texts[1] == lead


def test_running_header_and_page_numbers_are_removed_and_recorded(generated):
    made, extracted = generated
    assert sorted(extracted.removed) == sorted(made.furniture)
    for line in extracted.lines:
        assert line.text != make_pdf.HEADER_TEXT
        assert not is_page_number(line.text)


def test_ruled_table_rows_come_whole_and_in_place(generated):
    made, extracted = generated
    rows = [i for i, line in enumerate(extracted.lines) if line.table]
    assert rows == list(range(rows[0], rows[0] + len(made.table)))
    assert [extracted.lines[i].text.split(" | ") for i in rows] == made.table
    before = paragraphs_of(extracted.lines[: rows[0]])
    assert before == made.paragraphs[: made.table_before]


def test_line_geometry_and_fonts(one_column):
    _made, extracted = one_column
    body = [line for line in extracted.lines if not line.table]
    title = body[0]
    assert title.bold and title.size > 15 and title.indent > 5
    heading = next(line for line in body if line.text.startswith("一、"))
    assert heading.bold and heading.starts_paragraph and heading.size > body[2].size
    firsts = [line for line in body[1:] if line.starts_paragraph and not line.bold]
    assert firsts and all(1.7 <= line.indent <= 2.3 for line in firsts)
    assert all(0.0 <= (line.fill or 0) <= 1.0 and line.box is not None for line in body)
    wraps = [line for line in body if line.starts_paragraph is False]
    assert wraps and all(line.indent < 0.5 for line in wraps)
    assert any(line.text == "附件：Smart City 试点名单" for line in body)


def test_progress_after_each_page_and_cancel_between_pages(qapp):
    made = make_pdf.make_pdf(columns=1, sections=3, seed=3)
    calls = []
    pdf.read(made.data, progress=lambda *args: calls.append(args))
    assert calls == [(i, made.pages, f"page {i} of {made.pages}") for i in range(1, made.pages + 1)]
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(Cancelled):
        pdf.read(made.data, cancel=cancel)


def test_read_document_dispatches_pdf(one_column):
    made, _ = one_column
    assert read_document(made.data, "bulletin.pdf").kind == "pdf"


# --- refusals --------------------------------------------------------------------------


def test_scan_is_refused(qapp):
    with pytest.raises(FormatError, match="no text layer"):
        pdf.read(make_pdf.make_scan())


def test_truncated_pdf_is_refused(one_column):
    made, _ = one_column
    with pytest.raises(FormatError, match="damaged or incomplete"):
        pdf.read(made.data[: len(made.data) // 2])


@pytest.mark.parametrize("data", [b"hello, world", b"PK\x03\x04 not a pdf"])
def test_not_a_pdf_is_refused(data):
    with pytest.raises(FormatError, match="not a PDF"):
        pdf.read(data)


def test_garbage_with_pdf_markers_is_refused():
    with pytest.raises(FormatError, match="damaged"):
        pdf.read(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf makes the encrypted PDF")
def test_password_protected_pdf_is_refused(one_column, tmp_path):
    made, _ = one_column
    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    plain.write_bytes(made.data)
    subprocess.run(
        ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(plain), str(locked)], check=True, timeout=60
    )
    with pytest.raises(FormatError, match="password"):
        pdf.read(locked.read_bytes())


# --- real documents ----------------------------------------------------------------------

needs_real = pytest.mark.skipif(
    not WORK_REPORT.exists(), reason="../shared/corpus/real is not beside the clone"
)


@pytest.fixture(scope="module")
def work_report():
    return pdf.read(WORK_REPORT.read_bytes())


@pytest.fixture(scope="module")
def journal():
    return pdf.read(JOURNAL.read_bytes())


@needs_real
def test_work_report_opens_with_its_first_paragraphs_in_order(work_report):
    assert work_report.pages == 13
    texts = paragraphs_of(work_report.lines)
    assert texts[:4] == [
        "各位代表：",
        "现在，我代表北京市人民政府，向大会报告政府工作，请予审议，并请市政协委员提出意见。",
        "一、2023 年工作回顾",
        texts[3],
    ]
    assert texts[3].startswith("2023 年是全面贯彻落实党的二十大精神的开局之年")
    assert texts[3].endswith("汇聚起奋进新征程、建功新时代的磅礴力量。")
    assert texts[5] == "一年来，主要做了以下工作。"
    assert not any(is_page_number(line.text) for line in work_report.lines)
    assert {line.column for line in work_report.lines} == {0}


@needs_real
def test_work_report_paragraph_across_a_page_break_is_continuing(work_report):
    first = next(line for line in work_report.lines if line.page == 3)
    previous = work_report.lines[work_report.lines.index(first) - 1]
    assert previous.text.endswith("有序处置重点")
    assert first.text.startswith("企业风险，监管预付式资金")
    assert first.starts_paragraph is False
    assert any("有序处置重点企业风险，监管预付式资金" in t for t in paragraphs_of(work_report.lines))


@needs_real
def test_journal_abstract_precedes_the_columns(journal):
    texts = paragraphs_of(journal.lines)
    abstract = next(i for i, t in enumerate(texts) if t.startswith("摘要: 针对深度强化学习"))
    introduction = texts.index("0 引言")
    assert abstract < introduction
    assert texts[abstract].endswith("增强了策略的安全性和多机协同运动规划能力.")


@needs_real
def test_journal_columns_in_order_and_sentences_whole(journal):
    texts = paragraphs_of(journal.lines)
    whole = "\n".join(texts)
    # Left column, then right column, then across the page break (footnotes after).
    assert "有些深度强化学习方法甚至在学习过程中加入了随机探索以期获得更好的近似最优解" in whole
    assert "并不完全适用于充满未知信息的非安全场景,机器人的决策安全性也因而受到了严峻的挑战." in whole
    on_page = [line.text for line in journal.lines if line.page == 2]
    left = on_page.index("全场景,机器人的决策安全性也因而受到了严峻的挑")
    right = next(i for i, t in enumerate(on_page) if t.startswith("复网络基于李雅普诺夫安全约束条件"))
    assert left < right
    assert (
        "下层恢复网络基于李雅普诺夫安全约束条件,保证状态轨迹可在有限时间内从危险状态中恢复至安全空间."
        in whole
    )
    notes = next(i for i, t in enumerate(texts) if t.startswith("收稿日期: 2023-09-11；"))
    continued = next(i for i, t in enumerate(texts) if "受到了严峻的挑战." in t)
    assert notes > continued


@needs_real
def test_journal_running_headers_are_removed(journal):
    assert "控制与决策" in journal.removed
    assert any(t.startswith("孙辉辉等: 事件触发式") for t in journal.removed)
    for line in journal.lines:
        if line.page >= 2:
            assert line.text not in ("控制与决策", "第xx卷", "第x期")
            in_margin = line.box[1] < 60 or line.box[3] > 780
            assert not (in_margin and re.fullmatch(r"\d+", line.text))


@needs_real
def test_scanned_book_page_is_refused():
    with pytest.raises(FormatError) as caught:
        pdf.read(SCANNED.read_bytes())
    assert str(caught.value) == pdf.SCAN
