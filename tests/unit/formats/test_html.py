"""The web page reader: the main text only, its lines whole and in order, the site's
furniture recorded as removed, encodings, the size limit."""

from __future__ import annotations

import pytest

from tests.corpus import make_documents as docs
from viewer.formats import FormatError, read_document
from viewer.formats import html as reader
from viewer.formats.html_encoding import decode_html
from viewer.formats.repair import repair_line


def _lines(extracted):
    return [(line.text, line.heading, line.bold, line.table) for line in extracted.lines]


@pytest.mark.parametrize("template", docs.TEMPLATES)
@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3, 4])
def test_main_text_comes_back_line_for_line_without_the_site(template, seed):
    doc = docs.SAMPLE if seed is None else docs.random_document(seed)
    extracted = reader.read(docs.render_html(doc, template))
    expected = [(repair_line(text), *rest) for text, *rest in docs.expected_lines(doc, "html", template)]
    assert _lines(extracted) == expected
    assert not [word for word in docs.FURNITURE if any(word in line.text for line in extracted.lines)]
    assert extracted.meta["title"] == doc["title"] + "_上海市人民政府"


def test_furniture_that_was_text_is_recorded_as_removed_scripts_are_not():
    extracted = reader.read(docs.render_html(docs.SAMPLE, "trs"))
    removed = " ".join(extracted.removed)
    for word in ("网站首页", "当前位置", "相关文件", "打印本页", "分享到", "网站标识码", "【字体"):
        assert word in removed
    assert "document.write" not in removed and "font-family" not in removed


def test_read_document_detects_a_page_by_its_doctype():
    assert read_document(docs.render_html(docs.SAMPLE, "html5"), "page.htm").kind == "html"


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>".encode()


def test_br_inside_a_sentence_does_not_split_it_between_lines_does():
    body = (
        "<div class='TRS_Editor'><p>各区人民政府要切实加强组织领导，完善<br>"
        "工作机制，确保各项任务落到实处。<br>"
        "联系人：张三<br>联系电话：12345678</p>"
        "<p>（一）总体要求<br>（二）主要任务</p></div>"
    )
    texts = [line.text for line in reader.read(_page(body)).lines]
    assert texts == [
        "各区人民政府要切实加强组织领导，完善工作机制，确保各项任务落到实处。",
        "联系人：张三",
        "联系电话：12345678",
        "（一）总体要求",
        "（二）主要任务",
    ]


def test_source_newlines_between_cjk_characters_vanish_latin_words_keep_a_space():
    body = "<div id='zoom'><p>推进高端医疗\n    器械发展，应用 AI\n technology 技术。</p></div>"
    assert [line.text for line in reader.read(_page(body)).lines] == [
        "推进高端医疗器械发展，应用 AI technology 技术。"
    ]


def test_headings_bold_paragraphs_indent_and_data_tables():
    body = (
        "<div class='article'><h2>一、总体要求</h2><p><b>加粗的整段</b></p><p><b>部分</b>加粗</p>"
        "<p style='font-weight:bold'>样式加粗</p><p style='text-indent:2em'>首行缩进的段落。</p>"
        "<table><tr><th>序号</th><th>单位</th></tr><tr><td>1</td><td>市科委<br>市卫健委</td></tr></table></div>"
    )
    lines = reader.read(_page(body)).lines
    assert [(line.text, line.heading, line.bold, line.table) for line in lines] == [
        ("一、总体要求", 2, False, False),
        ("加粗的整段", 0, True, False),
        ("部分加粗", 0, False, False),
        ("样式加粗", 0, True, False),
        ("首行缩进的段落。", 0, False, False),
        ("序号 | 单位", 0, False, True),
        ("1 | 市科委市卫健委", 0, False, True),
    ]
    assert lines[4].indent == 2.0


def test_a_layout_table_around_the_text_is_read_as_paragraphs():
    body = "<table><tr><td><p>第一段正文内容。</p><p>第二段正文内容。</p></td></tr></table>"
    lines = reader.read(_page(body)).lines
    assert [(line.text, line.table) for line in lines] == [
        ("第一段正文内容。", False),
        ("第二段正文内容。", False),
    ]


def test_attachment_links_after_the_text_are_kept():
    body = (
        "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/z'>政务公开</a></li></ul>"
        "<div class='TRS_Editor'><p>现将有关事项通知如下，请认真贯彻执行，确保各项工作落到实处。</p>"
        "<p>特此通知。</p></div>"
        "<div class='fj'><a href='/f/1.pdf'>附件1：重点任务分工表.pdf</a></div>"
    )
    texts = [line.text for line in reader.read(_page(body)).lines]
    assert texts[-1] == "附件1：重点任务分工表.pdf"
    assert "首页" not in texts


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<meta charset="gb2312"><p>通知</p>'.encode("gb18030"), "gb18030"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>通知</p>'.encode("gbk"),
            "gb18030",
        ),
        (b"\xef\xbb\xbf" + '<meta charset="gbk"><p>通知</p>'.encode(), "utf-8"),
        ('<meta charset="gb2312"><p>通知</p>'.encode(), "utf-8"),  # re-saved as UTF-8, old declaration
        ("<p>通知</p>".encode(), "utf-8"),
        ("<p>通知</p>".encode("gb18030"), "gb18030"),
        ("\ufeff<p>通知</p>".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_encodings(data, encoding):
    text, found = decode_html(data)
    assert found == encoding
    assert "通知" in text


def test_a_gb2312_page_reads_as_chinese():
    extracted = reader.read(docs.render_html(docs.SAMPLE, "table_gb2312"))
    assert extracted.lines[0].text == docs.SAMPLE["title"]


def test_a_page_over_the_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as out:
        out.write(b"<!DOCTYPE html><html><body>")
        chunk = ("<p>" + "大" * 1000 + "</p>\n").encode() * 1000
        while out.tell() < 50 * 1024 * 1024:
            out.write(chunk)
        out.truncate(50 * 1024 * 1024)
    data = path.read_bytes()
    with pytest.raises(FormatError, match=r"the web page is too large \(50 MB; the limit is 20 MB\)"):
        read_document(data, "huge.html")


def test_a_page_without_text_is_refused():
    with pytest.raises(FormatError, match="no text"):
        reader.read(_page("<script>var a = 1;</script><img src='x.png'>"))
