"""The Word reader: body order, headings, numbering, bold, tables, refusals."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.corpus import make_documents as docs
from viewer.formats import FormatError, read_document
from viewer.formats import docx as reader
from viewer.formats.repair import repair_line


def _lines(extracted):
    return [(line.text, line.heading, line.bold, line.table) for line in extracted.lines]


def _expected(doc):
    return [(repair_line(text), *rest) for text, *rest in docs.expected_lines(doc, "docx")]


@pytest.mark.parametrize("numbered", [False, True])
@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3])
def test_generated_document_comes_back_line_for_line(seed, numbered):
    doc = docs.SAMPLE if seed is None else docs.random_document(seed)
    extracted = reader.read(docs.render_docx(doc, numbered=numbered))
    assert extracted.kind == "docx"
    assert _lines(extracted) == _expected(doc)
    assert all(line.starts_paragraph for line in extracted.lines)
    assert extracted.meta["title"] == doc["title"]


def test_running_header_and_footer_are_recorded_as_removed_not_read():
    extracted = reader.read(docs.render_docx(docs.SAMPLE))
    assert extracted.removed == ["上海市人民政府办公厅文件", "— 1 —"]
    assert not any("— 1 —" in line.text for line in extracted.lines)


def test_read_document_dispatches_by_zip_magic():
    assert read_document(docs.render_docx(docs.SAMPLE), "x.docx").kind == "docx"


def _docx_with(body_xml: str, numbering_xml: str = "") -> bytes:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for child in parse_xml(f"<w:body {w}>{body_xml}</w:body>"):
        body.insert(len(body) - 1, child)
    if numbering_xml:
        numbering = document.part.numbering_part.element
        for child in parse_xml(f"<w:numbering {w}>{numbering_xml}</w:numbering>"):
            numbering.append(child)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_decimal_numbering_with_restart_levels_and_legal_format():
    numbering = (
        '<w:abstractNum w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/>'
        '<w:suff w:val="space"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>'
        "<w:isLgl/></w:lvl>"
        "</w:abstractNum>"
        '<w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num>'
    )

    def item(level: int, text: str) -> str:
        return (
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr></w:pPr>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p>"
        )

    body = "".join(
        item(level, text) for level, text in [(0, "总则"), (1, "目的"), (1, "范围"), (0, "附则"), (1, "施行")]
    )
    body += "".join(item(0, "其他") for _ in range(10))
    texts = [line.text for line in reader.read(_docx_with(body, numbering)).lines]
    # The space Word puts after "第一条" falls between CJK characters: repair_line drops it.
    assert texts[:5] == ["第一条总则", "1.1 目的", "1.2 范围", "第二条附则", "2.1 施行"]
    assert texts[-1] == "第十二条其他"


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCountingThousand", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (4, "decimalEnclosedCircle", "④"),
        (2, "lowerLetter", "b"),
        (9, "upperRoman", "IX"),
        (3, "chineseLegalSimplified", "叁"),
        (5, "bullet", None),
    ],
)
def test_number_formats(n, fmt, shown):
    assert reader.format_number(n, fmt) == shown


def test_bullets_leave_the_text_as_it_is():
    numbering = (
        '<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="●"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="8"><w:abstractNumId w:val="8"/></w:num>'
    )
    body = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="8"/></w:numPr></w:pPr>'
        "<w:r><w:t>要点</w:t></w:r></w:p>"
    )
    assert [line.text for line in reader.read(_docx_with(body, numbering)).lines] == ["要点"]


def test_content_controls_insertions_hyperlinks_and_text_boxes_are_read_deletions_and_field_codes_not():
    body = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件里的段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>保留</w:t></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:hyperlink><w:r><w:t>链接文字</w:t></w:r></w:hyperlink></w:p>"
    )
    texts = [line.text for line in reader.read(_docx_with(body)).lines]
    assert texts == ["控件里的段落。", "保留插入7链接文字"]


def test_line_break_inside_a_sentence_joins_between_lines_splits():
    body = (
        "<w:p><w:r><w:t>上海市人民政府办公厅</w:t><w:br/><w:t>2025年9月4日</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>各区人民政府要加强组织领导，</w:t><w:br/><w:t>确保各项任务落实。</w:t></w:r></w:p>"
    )
    texts = [line.text for line in reader.read(_docx_with(body)).lines]
    assert texts == ["上海市人民政府办公厅", "2025年9月4日", "各区人民政府要加强组织领导，确保各项任务落实。"]


def test_bold_only_when_every_run_with_text_is_bold():
    body = (
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>全部加粗</w:t></w:r><w:r><w:t> </w:t></w:r></w:p>"
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>部分</w:t></w:r><w:r><w:t>加粗</w:t></w:r></w:p>"
        '<w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>明确不加粗</w:t></w:r></w:p>'
    )
    lines = reader.read(_docx_with(body)).lines
    assert [(line.text, line.bold) for line in lines] == [
        ("全部加粗", True),
        ("部分加粗", False),
        ("明确不加粗", False),
    ]


def test_merged_cells_give_their_text_once():
    body = (
        "<w:tbl>"
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'
        "<w:p><w:r><w:t>合并标题</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>浦东</w:t></w:r></w:p></w:tc>'
        "<w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"
    )
    lines = reader.read(_docx_with(body)).lines
    assert [(line.text, line.table) for line in lines] == [
        ("合并标题", True),
        ("浦东 | 甲", True),
        ("| 乙", True),
    ]


def test_heading_styles_by_chinese_name_and_outline_level():
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    style = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("一、总体要求", style=style)
    paragraph = document.add_paragraph("（一）工作目标")
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            '<w:outlineLvl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:val="2"/>'
        )
    )
    out = io.BytesIO()
    document.save(out)
    lines = reader.read(out.getvalue()).lines
    assert [(line.text, line.heading) for line in lines] == [("一、总体要求", 2), ("（一）工作目标", 3)]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_that_is_not_a_word_document_is_refused():
    junk = _zip({"readme.txt": b"hello", "images/a.png": b"\x89PNG"})
    with pytest.raises(FormatError, match=r"not a Word document \(no word/document.xml\)"):
        read_document(junk, "report.docx")


def test_damaged_zip_is_refused():
    data = docs.render_docx(docs.SAMPLE)
    with pytest.raises(FormatError, match="damaged"):
        reader.read(data[: len(data) // 2])
    with pytest.raises(FormatError, match="damaged"):
        reader.read(b"PK\x03\x04" + b"\x00" * 200)


def test_old_binary_doc_is_refused(tmp_path):
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "WordDocument".encode("utf-16-le")
        + b"\x00" * 1000
    )
    path = tmp_path / "notice.doc"
    path.write_bytes(ole)
    with pytest.raises(FormatError, match=r"old Word \.doc file; save it as \.docx"):
        reader.read(path.read_bytes())
    with pytest.raises(FormatError, match="old Word"):
        read_document(ole, "notice.docx")


def test_encrypted_docx_is_refused_as_password_protected():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(FormatError, match="password"):
        reader.read(ole)
