"""A saved web page (.html/.htm) → the Lines of its main text, without the site around it.

The page is parsed with lxml. Scripts, styles and forms' controls go first. The main text
is the element with the most CJK text outside links, less its link text (a navigation
bar, a sidebar of related articles and a footer are mostly links or little text), with a
bonus for the content ids and classes government sites use (``TRS_Editor``, ``zoom``,
``pages_content``…); it grows to take in its parents while what they add is text more
than links (the title above it, the publication line). Inside, the page furniture is
dropped by its class (share, print, breadcrumbs…), by its words ("打印本页", "【字体：大 中
小】", "分享到") and, outside the main text itself, by being mostly links. Everything
dropped that was text goes to ``Extracted.removed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.base import Cancel, Cancelled, Extracted, Progress, never_cancel, no_progress
from viewer.formats.errors import FormatError
from viewer.formats.html_encoding import decode_html
from viewer.formats.paragraph_text import collapse, group_breaks, is_cjk, join, leading_indent
from viewer.formats.repair import repair_line
from viewer.model.lines import Line

#: Pages larger than this are refused before parsing: a bulletin is tens of kilobytes.
MAX_BYTES = 20 * 1024 * 1024

#: Elements that are never text: dropped with what they hold, not recorded.
_CODE_TAGS = {
    "script",
    "style",
    "template",
    "svg",
    "math",
    "object",
    "embed",
    "canvas",
    "iframe",
    "head",
    "link",
    "meta",
}
#: Controls and fallbacks that are text, but the site's, not the document's: recorded.
_CONTROL_TAGS = {"noscript", "button", "select", "textarea", "option", "input", "label"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Inline elements that cannot hold the main text.
_NOT_CONTAINERS = {
    "a",
    "b",
    "strong",
    "em",
    "i",
    "u",
    "font",
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
}
#: Ids and classes government content management systems give the main text.
_CONTENT_HINT = re.compile(
    r"trs_editor|trs_ueditor|custom_unionstyle|ucap-content|^zoom$|fontzoom|pages_content|article[-_]?con"
    r"|article$|^content$|[-_]content$|^content[-_]|contenttext|^detail|^text$|wzcon|^con_?text|news_?con"
    r"|main[-_]?text|^xxgk_?con|bt_content|^arti",
    re.I,
)
#: Ids and classes of page furniture.
_FURNITURE_HINT = re.compile(
    r"share|bdshare|print|^tools?$|[-_]tools?$|toolbar|prevnext|prev|next|crumb|position|location|^font"
    r"|fontsize|zihao|related|xgwz|xgxx|footer|^foot|header|^head$|^nav|[-_]nav|menu|sidebar|^side|comment"
    r"|qrcode|ewm|^qr$|erweima|gotop|backtop",
    re.I,
)
#: A block whose whole text is one of these is furniture.
_FURNITURE_TEXT = re.compile(
    r"^(?:[【\[]?\s*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|返回|保存|纠错|"
    r"字体[：:]?\s*[大中小](?:\s*[大中小]){2}|[大中小](?:\s*[大中小]){2})\s*[】\]]?[\s|｜/]*)+$"
    r"|^(?:分享到|分享至|扫一扫|微信扫一扫|用微信扫|当前位置|您现在的位置|您当前的位置|上一篇|下一篇)[：:]?"
)
#: Furniture inside a line of text: cut out of it.
_FURNITURE_INLINE = re.compile(
    r"[【\[]\s*字体[：:]?\s*[大中小](?:\s*[大中小]){2}\s*[】\]]|[【\[]\s*(?:打印本页|打印|关闭窗口|关闭)\s*[】\]]"
)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|txt|et|ceb)\b", re.I)
_TEXT_INDENT = re.compile(r"text-indent\s*:\s*([\d.]+)\s*em", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    """Read a saved web page's bytes into the lines of its main text."""
    if len(data) > MAX_BYTES:
        raise FormatError(
            f"the web page is too large ({len(data) / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)"
        )
    text, _encoding = decode_html(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise FormatError("the web page is empty")
    from lxml import etree
    from lxml import html as lxml_html

    progress(0, 3, "parsing the page")
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError(f"the web page cannot be read ({exc})") from exc
    if cancel():
        raise Cancelled
    meta = {}
    title = collapse(" ".join(root.xpath("//title//text()")))
    if title:
        meta["title"] = repair_line(title)
    removed: list[str] = []
    _strip_code(root, removed)
    body = root.find("body")
    if body is None:
        body = root
    progress(1, 3, "finding the main text")
    stats = _measure(body)
    core = _core(body, stats)
    main = _grow(core, body, stats)
    if cancel():
        raise Cancelled
    progress(2, 3, "reading the main text")
    after = _attachments_after(main, stats)
    removed += _outside([main, *after], body)
    _drop_furniture(main, core, stats, removed)
    walker = _Walker()
    for element in (main, *after):
        walker.walk(element)
    lines = []
    for line in walker.lines:
        kept = _FURNITURE_INLINE.sub(lambda m: removed.append(m.group()) or " ", line.text)
        kept = repair_line(collapse(kept))
        if kept:
            lines.append(Line(kept, indent=line.indent, starts_paragraph=True, heading=line.heading,
                              bold=line.bold, table=line.table))  # fmt: skip
    progress(3, 3, "done")
    if not lines:
        raise FormatError("the web page has no text")
    return Extracted(kind="html", lines=lines, removed=removed, meta=meta)


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _text_of(element: Any) -> str:
    return collapse(" ".join(element.itertext()))


def _drop(element: Any) -> None:
    """Remove ``element`` and what it holds, keeping the text that follows it."""
    element.drop_tree()


def _strip_code(root: Any, removed: list[str]) -> None:
    for element in list(root.iter()):
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                _drop(element)
            continue
        tag = tag.lower()
        if tag in _CODE_TAGS and element.getparent() is not None:
            _drop(element)
        elif tag in _CONTROL_TAGS and element.getparent() is not None:
            text = element.get("value", "") if tag == "input" else _text_of(element)
            if text:
                removed.append(text)
            _drop(element)


# --------------------------------------------------------------------------- finding the main text


@dataclass
class _Stats:
    text: int = 0  # non-space characters
    link: int = 0  # non-space characters inside <a>
    cjk: int = 0  # CJK characters outside <a>


def _count(text: str | None, stats: _Stats, in_link: bool) -> None:
    if not text:
        return
    chars = sum(1 for ch in text if not ch.isspace())
    stats.text += chars
    if in_link:
        stats.link += chars
    else:
        stats.cjk += sum(1 for ch in text if is_cjk(ch) and ch.isalpha())


def _measure(body: Any) -> dict[Any, _Stats]:
    """Text, link text and CJK text of every element, its descendants included."""
    stats: dict[Any, _Stats] = {}

    def visit(element: Any, in_link: bool) -> _Stats:
        own = _Stats()
        in_link = in_link or _tag(element) == "a"
        _count(element.text, own, in_link)
        for child in element:
            sub = visit(child, in_link)
            own.text += sub.text
            own.link += sub.link
            own.cjk += sub.cjk
            _count(child.tail, own, in_link)
        stats[element] = own
        return own

    visit(body, False)
    return stats


def _names(element: Any) -> list[str]:
    return [element.get("id", ""), *element.get("class", "").split()]


def _hinted(element: Any, pattern: re.Pattern[str]) -> bool:
    return any(name and pattern.search(name) for name in _names(element))


def _core(body: Any, stats: dict[Any, _Stats]) -> Any:
    """The element holding the main text: most CJK text outside links, less link text."""
    best, best_score = body, float("-inf")
    for element in body.iter():
        if not isinstance(element.tag, str) or _tag(element) in _NOT_CONTAINERS:
            continue
        s = stats[element]
        score = s.cjk - s.link
        if _hinted(element, _CONTENT_HINT) and not _hinted(element, _FURNITURE_HINT):
            score *= 1.25
        if score > best_score:
            best, best_score = element, score
    return best


def _grow(core: Any, body: Any, stats: dict[Any, _Stats]) -> Any:
    """Take in the parents whose text around ``core`` (furniture aside) is more text than
    links (a title, a publication line), and not a second body of text."""
    main = core
    while main is not body:
        parent = main.getparent()
        if parent is None:
            break
        extra = _Stats()
        _count(parent.text, extra, _tag(parent) == "a")
        for sibling in parent:
            if sibling is not main:
                _add_clean(sibling, stats, extra)
            _count(sibling.tail, extra, False)
        plain = extra.text - extra.link
        if extra.link > 0.5 * plain + 10 or plain > 0.5 * stats[main].text + 20:
            break
        main = parent
    return main


def _furniture_like(element: Any) -> bool:
    """Furniture by its class or id, or by its words."""
    if _hinted(element, _FURNITURE_HINT):
        return True
    text = _text_of(element)
    return len(text) < 80 and bool(_FURNITURE_TEXT.match(text))


def _add_clean(element: Any, stats: dict[Any, _Stats], total: _Stats) -> None:
    """Add ``element``'s measures to ``total``, less the furniture inside it."""
    if not isinstance(element.tag, str) or _furniture_like(element):
        return
    own = stats[element]
    if not any(_furniture_like(child) for child in element.iterdescendants() if isinstance(child.tag, str)):
        total.text += own.text
        total.link += own.link
        total.cjk += own.cjk
        return
    in_link = _tag(element) == "a" or any(_tag(a) == "a" for a in element.iterancestors())
    _count(element.text, total, in_link)
    for child in element:
        _add_clean(child, stats, total)
        _count(child.tail, total, in_link)


def _attachments_after(main: Any, stats: dict[Any, _Stats]) -> list[Any]:
    """Blocks of attachment links right after the main text (furniture between them aside):
    the document's attachments, which sites set apart from the text."""
    found = []
    for sibling in main.itersiblings():
        if not isinstance(sibling.tag, str) or not stats[sibling].text:
            continue
        if _attachments(sibling) and not _hinted(sibling, _FURNITURE_HINT):
            found.append(sibling)
        elif not _furniture_like(sibling):
            break
    return found


def _outside(kept: list[Any], body: Any) -> list[str]:
    """The text of the page around the ``kept`` elements (siblings), block by block."""
    out: list[str] = []
    node = kept[0]
    while node is not body and node.getparent() is not None:
        parent = node.getparent()
        for sibling in parent:
            if sibling is node or any(sibling is element for element in kept):
                continue
            out += [line.text for line in _Walker().walk(sibling).lines]
        if parent.text and parent.text.strip():
            out.append(collapse(parent.text))
        for sibling in parent:
            if sibling.tail and sibling.tail.strip():
                out.append(collapse(sibling.tail))
        node = parent
    return [text for text in out if text]


def _drop_furniture(main: Any, core: Any, stats: dict[Any, _Stats], removed: list[str]) -> None:
    holds_core = set(core.iterancestors()) | {core}
    inside_core = set(core.iter())
    dropped: set[Any] = set()
    for element in list(main.iter()):
        if not isinstance(element.tag, str) or element in holds_core:
            continue
        if any(ancestor in dropped for ancestor in element.iterancestors()):
            continue
        text = _text_of(element)
        furniture = bool(_FURNITURE_TEXT.match(text)) and len(text) < 80
        if element not in inside_core and not furniture:
            s = stats.get(element)
            furniture = _furniture_like(element) or (
                _tag(element) in _BLOCK_TAGS
                and s is not None
                and s.text > 0
                and s.link >= 0.5 * s.text
                and not _attachments(element)
            )
        if furniture:
            if text:
                removed.append(text)
            dropped.add(element)
            _drop(element)


def _attachments(element: Any) -> bool:
    """Links to files (附件 as .pdf, .docx…) are the document's, not the site's."""
    return _text_of(element).startswith("附件") or any(
        _ATTACHMENT.search(a.get("href", "") + " " + _text_of(a)) for a in element.iter("a")
    )


# --------------------------------------------------------------------------- reading blocks


@dataclass
class _Paragraph:
    segments: list[str] = field(default_factory=lambda: [""])
    bold: list[bool] = field(default_factory=lambda: [True])  # per segment: all its text bold
    indent: float | None = None

    def add(self, text: str, bold: bool) -> None:
        self.segments[-1] += text
        if text.strip() and not bold:
            self.bold[-1] = False

    def brk(self) -> None:
        self.segments.append("")
        self.bold.append(True)


class _Walker:
    """Block elements → lines: paragraphs split at their line breaks, headings, table rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.para = _Paragraph()

    def walk(self, element: Any) -> _Walker:
        self.block(element, bold=False)
        self.flush()
        return self

    def flush(self, heading: int = 0) -> None:
        para, self.para = self.para, _Paragraph()
        if heading:
            text = ""
            for segment in para.segments:
                text = join(text, collapse(segment))
            if text:
                self.lines.append(Line(text, heading=heading))
            return
        first = True
        for group in group_breaks(para.segments):
            text = ""
            for n in group:
                text = join(text, collapse(para.segments[n]))
            indent = leading_indent(para.segments[group[0]].lstrip(" \t\r\n\f"))
            if first and para.indent is not None:
                indent = max(indent, para.indent)
            bold = all(para.bold[n] for n in group)
            self.lines.append(Line(text, indent=indent, bold=bold))
            first = False

    def block(self, element: Any, bold: bool) -> None:
        tag = _tag(element)
        bold = bold or tag in ("b", "strong") or bool(_BOLD_STYLE.search(element.get("style", "")))
        if tag in _HEADINGS:
            self.flush()
            self.inline_children(element, bold)
            self.flush(heading=_HEADINGS[tag])
            return
        if tag == "table" and self.is_data_table(element):
            self.flush()
            for row in _rows(element):
                cells = [_cell_text(cell) for cell in row]
                if any(cells):
                    self.lines.append(Line(" | ".join(cells), table=True))
            return
        if tag == "br":
            self.para.brk()
            return
        if tag == "hr":
            self.flush()
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            indent = _TEXT_INDENT.search(element.get("style", ""))
            if indent:
                self.para.indent = float(indent.group(1))
            if element.text:
                self.para.add(element.text, bold)
            for child in element:
                self.block(child, bold)
                if child.tail:
                    self.para.add(child.tail, bold)
            self.flush()
            return
        self.inline(element, bold)

    def inline_children(self, element: Any, bold: bool) -> None:
        if element.text:
            self.para.add(element.text, bold)
        for child in element:
            self.inline(child, bold)
            if child.tail:
                self.para.add(child.tail, bold)

    def inline(self, element: Any, bold: bool) -> None:
        tag = _tag(element)
        if tag == "br":
            self.para.brk()
            return
        if tag in _BLOCK_TAGS and tag not in _HEADINGS:
            # A block inside an inline element (<a><div>…</div></a>): still a block.
            self.block(element, bold)
            return
        bold = bold or tag in ("b", "strong") or bool(_BOLD_STYLE.search(element.get("style", "")))
        if tag == "img":
            return
        self.inline_children(element, bold)

    def is_data_table(self, table: Any) -> bool:
        """A table of data (rows of cells) rather than one laying out the page or the text:
        two columns or more, no table inside, no cell holding most of the table's text."""
        rows = list(_rows(table))
        if not rows or max(len(row) for row in rows) < 2:
            return False
        if any(True for _ in table.iterdescendants("table")):
            return False
        total = sum(len(_cell_text(cell)) for row in rows for cell in row)
        return not any(len(_cell_text(cell)) > max(300, 0.6 * total) for row in rows for cell in row)


def _rows(table: Any) -> Iterator[list[Any]]:
    for part in [table, *[child for child in table if _tag(child) in ("thead", "tbody", "tfoot")]]:
        for row in part:
            if _tag(row) == "tr":
                yield [cell for cell in row if _tag(cell) in ("td", "th")]


def _cell_text(cell: Any) -> str:
    lines = _Walker().walk(cell).lines
    text = ""
    for line in lines:
        text = join(text, line.text) if text else line.text
    return text.replace("|", "｜")
