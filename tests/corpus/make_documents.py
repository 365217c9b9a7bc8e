"""Documents of known structure rendered as Word, web pages and Markdown, with the lines a
correct reader returns for each.

A document is a dict::

    {"title", "number", "issuer", "date", "addressee", "lead": [str], "bold_line": str,
     "sections": [{"heading", "level", "paragraphs": [str]}],
     "table": {"after": section index, "rows": [[cell, ...], ...]}, "closing": [str]}

``render_docx``, ``render_html`` (a government-site page in one of several TEMPLATES, with
navigation, breadcrumbs, a sidebar, share buttons, a footer and scripts around the main
text) and ``render_md`` turn it into file bytes; ``expected_lines`` says which lines come
back, in order, as (text, heading level, bold, table row). ``FURNITURE`` lists the page
furniture that must not come back as body text.

    python tests/corpus/make_documents.py OUT_DIR [COUNT]

writes COUNT random documents in every format (and every web page template) to OUT_DIR.
"""

from __future__ import annotations

import html
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent
_CN = "一二三四五六七八九十"

SAMPLE: dict[str, Any] = {
    "title": "上海市人民政府办公厅关于印发《上海市促进高端医疗器械产业全链条发展行动方案》的通知",
    "number": "沪府办发〔2025〕17号",
    "issuer": "上海市人民政府办公厅",
    "date": "2025年9月4日",
    "addressee": "各区人民政府，市政府各委、办、局，各有关单位：",
    "lead": [
        "《上海市促进高端医疗器械产业全链条发展行动方案》已经市政府同意，现印发给你们，请认真按照执行。"
    ],
    "bold_line": "上海市促进高端医疗器械产业全链条发展行动方案",
    "sections": [
        {
            "heading": "一、主要目标",
            "level": 1,
            "paragraphs": [
                "到2027年，新增首次获批境内第三类医疗器械注册证超500件，新增在海外市场获批医疗器械产品超100件。",
            ],
        },
        {"heading": "二、重点任务", "level": 1, "paragraphs": []},
        {
            "heading": "（一）提升创新策源能级",
            "level": 2,
            "paragraphs": [
                "加强基础研究和前沿技术攻关。加强肿瘤精准诊断与介入治疗、神经功能调控等研究。（责任单位：市科委）",
                "加快关键材料器件研发和核心生产工艺开发，推动 AI 辅助诊断软件与 5G 远程手术应用。",
            ],
        },
        {
            "heading": "（二）强化临床赋能产业",
            "level": 2,
            "paragraphs": ["提升临床研究效能。鼓励医疗机构承担高端医疗器械产品临床试验。"],
        },
    ],
    "table": {
        "after": 3,
        "rows": [
            ["序号", "任务", "责任单位"],
            ["1", "建设概念验证平台", "市科委、浦东新区政府"],
            ["2", "优化审评审批服务", "市药品监管局"],
        ],
    },
    "closing": ["特此通知。", "附件：重点任务分工表", "上海市人民政府办公厅", "2025年9月4日"],
}

#: Page furniture put around the main text of every web page: none of it is body text.
FURNITURE = [
    "网站首页",
    "政务公开",
    "当前位置",
    "打印本页",
    "关闭窗口",
    "【字体：",
    "分享到",
    "微信扫一扫",
    "相关文件",
    "热点信息",
    "主办单位",
    "网站标识码",
    "沪ICP备",
    "上一篇",
    "返回顶部",
    "网站地图",
    "document.write",
    "var pageTitle",
    "font-family",
]


def random_document(seed: int) -> dict[str, Any]:
    """A document of the same shape as SAMPLE, its prose drawn from the bundled bulletin."""
    pool = json.loads((CORPUS / "seed-expected.json").read_text(encoding="utf-8"))
    rnd = random.Random(seed)
    sections: list[dict[str, Any]] = []
    for n, source in enumerate(rnd.sample(pool["sections"], k=min(4, len(pool["sections"])))):
        sections.append({"heading": f"{_CN[n]}、{source['headline']}", "level": 1, "paragraphs": []})
        subsections = 0
        for paragraph in source["paragraphs"][:3]:
            if rnd.random() < 0.5:
                sections[-1]["paragraphs"].append(paragraph)
            else:
                heading = f"（{_CN[subsections]}）{source['district']}措施{subsections + 1}"
                sections.append({"heading": heading, "level": 2, "paragraphs": [paragraph]})
                subsections += 1
    districts = [s["district"] for s in pool["sections"]]
    rows = [["序号", "区", "措施数"]] + [
        [str(i + 1), district, str(rnd.randint(3, 30))] for i, district in enumerate(rnd.sample(districts, 3))
    ]
    doc = dict(SAMPLE)
    doc.update(
        title=f"关于做好{rnd.choice(districts)}区疫情防控工作的通知",
        number=f"京政办发〔2020〕{rnd.randint(1, 60)}号",
        lead=list(pool["lead"]),
        bold_line=pool["title"],
        sections=sections,
        table={"after": rnd.randrange(len(sections)), "rows": rows},
    )
    return doc


def expected_lines(doc: dict[str, Any], kind: str, template: str = "") -> list[tuple[str, int, bool, bool]]:
    """The lines a reader returns for ``doc`` rendered as ``kind``: (text, heading, bold,
    table). A web page also shows its publication line under the title."""
    if kind == "html" and not html_headings(template):
        out = [(doc["title"], 0, template == "table_gb2312", False)]
    else:
        out = [(doc["title"], 1, False, False)]
    if kind == "html":
        out.append((f"发布时间：{_iso(doc['date'])} 来源：{doc['issuer']}", 0, False, False))
    out += [(doc["number"], 0, False, False), (doc["addressee"], 0, False, False)]
    out += [(text, 0, False, False) for text in doc["lead"]]
    if doc.get("bold_line"):
        out.append((doc["bold_line"], 0, True, False))
    for n, section in enumerate(doc["sections"]):
        out.append((section["heading"], section["level"] + 1, False, False))
        out += [(text, 0, False, False) for text in section["paragraphs"]]
        if doc.get("table") and doc["table"]["after"] == n:
            out += [(" | ".join(row), 0, False, True) for row in doc["table"]["rows"]]
    out += [(text, 0, False, False) for text in doc["closing"]]
    return out


def _iso(date: str) -> str:
    year, rest = date.split("年")
    month, day = rest.rstrip("日").split("月")
    return f"{year}-{int(month):02d}-{int(day):02d}"


# --------------------------------------------------------------------------- Word


def render_docx(doc: dict[str, Any], numbered: bool = False) -> bytes:
    """``doc`` as a .docx: the title in Heading 1, sections in Heading 2/3, the bold line in
    bold runs, the table in its place. With ``numbered``, the sections' "一、" and "（一）"
    are Word's automatic numbering (a chineseCounting list), not typed text."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.title = doc["title"]
    document.add_heading(doc["title"], level=1)
    document.add_paragraph(doc["number"])
    document.add_paragraph(doc["addressee"])
    for text in doc["lead"]:
        document.add_paragraph(text)
    if doc.get("bold_line"):
        paragraph = document.add_paragraph()
        half = len(doc["bold_line"]) // 2
        paragraph.add_run(doc["bold_line"][:half]).bold = True
        paragraph.add_run(doc["bold_line"][half:]).bold = True
    num_id = _add_chinese_numbering(document, parse_xml) if numbered else None
    for n, section in enumerate(doc["sections"]):
        heading = section["heading"]
        if numbered:
            heading = heading.split("、", 1)[1] if section["level"] == 1 else heading.split("）", 1)[1]
        paragraph = document.add_heading(heading, level=section["level"] + 1)
        if numbered:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f'<w:ilvl w:val="{section["level"] - 1}"/><w:numId w:val="{num_id}"/></w:numPr>'
                )
            )
        for text in section["paragraphs"]:
            document.add_paragraph(text)
        if doc.get("table") and doc["table"]["after"] == n:
            rows = doc["table"]["rows"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    for text in doc["closing"]:
        document.add_paragraph(text)
    section = document.sections[0]
    section.header.paragraphs[0].text = "上海市人民政府办公厅文件"
    section.footer.paragraphs[0].text = "— 1 —"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_chinese_numbering(document: Any, parse_xml: Any) -> str:
    """A two-level list "一、" / "（一）" in the document's numbering part; its numId."""
    numbering = document.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


# --------------------------------------------------------------------------- web pages

TEMPLATES = ("trs", "html5", "table_gb2312", "unmarked")

_HEAD = """<head>
<meta {charset}>
<title>{title}_上海市人民政府</title>
<style>body {{ font-family: "Microsoft YaHei"; }} .nav li {{ float: left; }}</style>
<script>var pageTitle = "{title}"; document.write("<span>网站地图</span>");</script>
</head>"""
_NAV = """<div class="top">上海市人民政府 <a href="/">网站首页</a> <a href="/map">网站地图</a>
<a href="/en">English</a> <a href="/wza">无障碍</a></div>
<ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li>
<li><a href="/sh">走进上海</a></li></ul>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/zcwj">政策文件</a></div>"""
_SIDEBAR = """<div class="side"><h3>相关文件</h3><ul>
<li><a href="/a1">上海市关于促进生物医药产业高质量发展的若干意见</a></li>
<li><a href="/a2">上海市加快打造全球生物医药研发经济和产业化高地的若干政策措施</a></li>
<li><a href="/a3">关于进一步完善本市医疗器械注册人制度试点工作的通知</a></li></ul>
<h3>热点信息</h3><ul><li><a href="/h1">本市召开高端医疗器械产业推进大会</a></li>
<li><a href="/h2">市政府常务会议研究部署产业发展工作</a></li></ul></div>"""
_SHARE = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a>
<div class="qr">微信扫一扫：分享</div></div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】 <a href="#top">返回顶部</a></div>
<div class="prevnext">上一篇：<a href="/p">关于开展2025年度科技创新行动计划项目申报工作的通知</a></div>"""
_FOOTER = """<div class="footer"><p>主办单位：上海市人民政府办公厅　承办：上海市大数据中心</p>
<p>网站标识码：3100000033　沪ICP备05004630号-1　沪公网安备31010102002533号</p></div>
<script>(function(){var s=document.createElement("script");s.src="//stat.example/tj.js";})();</script>"""


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _body_html(doc: dict[str, Any], template: str) -> str:
    """The main text as a content management system writes it."""
    indent = ' style="text-indent:2em"' if template != "table_gb2312" else ""
    lead = "&nbsp;&nbsp;&nbsp;&nbsp;" if template == "table_gb2312" else ""
    parts = [f'<p style="text-align:center">{_esc(doc["number"])}</p>']
    parts.append(f"<p>{_esc(doc['addressee'])}</p>")
    parts += [f"<p{indent}>{lead}{_esc(text)}</p>" for text in doc["lead"]]
    if doc.get("bold_line"):
        parts.append(f'<p style="text-align:center"><strong>{_esc(doc["bold_line"])}</strong></p>')
    for n, section in enumerate(doc["sections"]):
        if template == "html5":
            tag = f"h{section['level'] + 1}"
            parts.append(f"<{tag}>{_esc(section['heading'])}</{tag}>")
        else:
            tag = f"h{section['level'] + 1}"
            parts.append(f"<{tag} class='sub'>{_esc(section['heading'])}</{tag}>")
        paragraphs = section["paragraphs"]
        if template == "html5" and len(paragraphs) > 1:
            # One <p> holding its paragraphs between <br>s, one of them also broken for layout
            # in the middle of a sentence.
            pieces = []
            for text in paragraphs:
                cut = text.find("，")
                pieces.append(
                    _esc(text[: cut + 1]) + "<br>\n" + _esc(text[cut + 1 :]) if cut > 16 else _esc(text)
                )
            parts.append(f"<p{indent}>" + "<br>\n".join(pieces) + "</p>")
        else:
            parts += [f"<p{indent}>{lead}{_esc(text)}</p>" for text in paragraphs]
        if doc.get("table") and doc["table"]["after"] == n:
            rows = doc["table"]["rows"]
            cells = "".join(f"<th>{_esc(c)}</th>" for c in rows[0])
            body = "".join(
                "<tr>" + "".join(f"<td><p>{_esc(c)}</p></td>" for c in row) + "</tr>" for row in rows[1:]
            )
            parts.append(f'<table border="1"><tbody><tr>{cells}</tr>{body}</tbody></table>')
    closing = doc["closing"]
    parts += [f"<p{indent}>{lead}{_esc(text)}</p>" for text in closing[:-2]]
    # Signature and date in one right-aligned <p>, split by a <br>.
    parts.append(f'<p style="text-align:right">{_esc(closing[-2])}<br>{_esc(closing[-1])}</p>')
    return "\n".join(parts)


def render_html(doc: dict[str, Any], template: str = "trs") -> bytes:
    """``doc`` as a saved page of a government site built on ``template``:

    - "trs": a TRS-style page, the text in ``<div class="TRS_Editor" id="zoom">``;
    - "html5": header/nav/main/article/aside/footer, the text in ``<div class="article-content">``,
      paragraphs separated by ``<br>`` inside one ``<p>``;
    - "table_gb2312": an old page laid out in nested tables, encoded GB2312 (declared in
      ``<meta http-equiv>``), the text in a ``<td>`` with no telling class;
    - "unmarked": divs whose class names say nothing; the text must be found by density.
    """
    title = _esc(doc["title"])
    info = (
        f'<div class="info"><span>发布时间：{_iso(doc["date"])}</span> '
        f"<span>来源：{_esc(doc['issuer'])}</span> "
        '<span class="font">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>'
    )
    body = _body_html(doc, template)
    if template == "trs":
        charset = 'charset="utf-8"'
        page = (
            f'<div class="header">{_NAV}</div><div class="main">{_SIDEBAR}'
            f'<div class="article"><h1 class="title">{title}</h1>{info}'
            f'<div class="TRS_Editor" id="zoom">{body}</div>{_SHARE}</div></div>{_FOOTER}'
        )
    elif template == "html5":
        charset = 'charset="utf-8"'
        page = (
            f"<header>{_NAV}</header><main><article><h1>{title}</h1>{info}"
            f'<div class="article-content">{body}</div>{_SHARE}</article><aside>{_SIDEBAR}</aside></main>'
            f"<footer>{_FOOTER}</footer>"
        )
    elif template == "table_gb2312":
        charset = 'http-equiv="Content-Type" content="text/html; charset=gb2312"'
        page = (
            f'<table width="1000"><tr><td colspan="2">{_NAV}</td></tr><tr><td width="250">{_SIDEBAR}</td>'
            f'<td width="750"><table width="100%"><tr><td align="center"><font size="5"><b>{title}</b></font>'
            f'</td></tr><tr><td align="center">{info}</td></tr><tr><td class="bt_content">{body}</td></tr>'
            f"<tr><td>{_SHARE}</td></tr></table></td></tr><tr><td colspan='2'>{_FOOTER}</td></tr></table>"
        )
    elif template == "unmarked":
        charset = 'charset="utf-8"'
        page = (
            f'<div class="c01">{_NAV}</div><div class="c02"><div class="c03">{_SIDEBAR}</div>'
            f'<div class="c04"><div class="c05">{title}</div>{info}<div class="c06">{body}</div>'
            f'{_SHARE}</div></div><div class="c07">{_FOOTER}</div>'
        )
    else:
        raise ValueError(f"unknown template {template!r}")
    head = _HEAD.format(charset=charset, title=title)
    text = f'<!DOCTYPE html>\n<html lang="zh-CN">{head}<body>{page}</body></html>'
    return text.encode("gb18030" if template == "table_gb2312" else "utf-8")


def html_headings(template: str) -> bool:
    """Whether a page of ``template`` marks its title as a heading (the others set it in
    bold or in a div of its own)."""
    return template in ("trs", "html5")


# --------------------------------------------------------------------------- Markdown


def render_md(doc: dict[str, Any]) -> bytes:
    """``doc`` as Markdown: "#" headings, the bold line as ``**…**``, a pipe table, the
    paragraphs hard-wrapped the way crawlers and editors leave them."""
    out = [f"# {doc['title']}", "", doc["number"], "", doc["addressee"], ""]
    for text in doc["lead"]:
        out += [_wrap(text), ""]
    if doc.get("bold_line"):
        out += [f"**{doc['bold_line']}**", ""]
    for n, section in enumerate(doc["sections"]):
        out += ["#" * (section["level"] + 1) + " " + section["heading"], ""]
        for text in section["paragraphs"]:
            out += [_wrap(text), ""]
        if doc.get("table") and doc["table"]["after"] == n:
            rows = doc["table"]["rows"]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            out.append("")
    for text in doc["closing"]:
        out += [text, ""]
    return "\n".join(out).encode("utf-8")


def _wrap(text: str, width: int = 30) -> str:
    """Hard-wrap at ``width`` characters, never inside a Latin word or number."""
    lines, line = [], ""
    for n, ch in enumerate(text):
        line += ch
        following = text[n + 1 : n + 2]
        if len(line) >= width and not ch.isascii() and not following.isascii():
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    count = int(argv[1]) if len(argv) > 1 else 10
    out.mkdir(parents=True, exist_ok=True)
    for seed in range(count):
        doc = random_document(seed)
        (out / f"doc-{seed:04d}.docx").write_bytes(render_docx(doc, numbered=seed % 2 == 1))
        (out / f"doc-{seed:04d}.md").write_bytes(render_md(doc))
        for template in TEMPLATES:
            (out / f"doc-{seed:04d}-{template}.html").write_bytes(render_html(doc, template))
        (out / f"doc-{seed:04d}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
