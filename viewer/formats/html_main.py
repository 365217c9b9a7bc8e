"""A saved web page's main text: which element holds it, and the site furniture around it.

One job: find the main text and set the site apart from it. The main text is the element
with the most CJK text outside links, less its link text (a navigation bar, a sidebar of
related articles and a footer are mostly links or little text), with a bonus for the
content ids and classes government sites use (``TRS_Editor``, ``zoom``,
``pages_content``…); it grows to take in its parents while what they add is text more than
links (the title above it, the publication line). Blocks of attachment links right after
it are kept with it. Inside, the page furniture is dropped by its class (share, print,
breadcrumbs…), by its words ("打印本页", "【字体：大 中 小】", "分享到") and, outside the
main text itself, by being mostly links. What is dropped or left around it, if text, is
recorded for ``Extracted.removed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from viewer.formats.html_blocks import BLOCK_TAGS, Walker
from viewer.formats.html_tree import drop, tag_of, text_of
from viewer.formats.paragraph_text import collapse, is_cjk

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


@dataclass
class _Stats:
    text: int = 0  # non-space characters
    link: int = 0  # non-space characters inside <a>
    cjk: int = 0  # CJK characters outside <a>


@dataclass
class MainText:
    """Where the main text is: ``core`` scored highest, ``main`` is it grown to take in its
    title and publication line; ``stats`` measures every element of the body."""

    core: Any
    main: Any
    stats: dict[Any, _Stats]


def find_main(body: Any) -> MainText:
    """The element holding the page's main text (see the module's description)."""
    stats = _measure(body)
    core = _core(body, stats)
    return MainText(core=core, main=_grow(core, body, stats), stats=stats)


def separate(found: MainText, body: Any, removed: list[str]) -> list[Any]:
    """The elements to read (the main text and the attachments after it), the page around
    them and the furniture inside dropped; the text of both appended to ``removed``."""
    after = _attachments_after(found.main, found.stats)
    removed += _outside([found.main, *after], body)
    _drop_furniture(found.main, found.core, found.stats, removed)
    return [found.main, *after]


def cut_inline_furniture(text: str, removed: list[str]) -> str:
    """``text`` with the furniture inside a line ("【打印】", "【字体：大 中 小】") cut out
    (a space in its place), what was cut appended to ``removed``."""
    return _FURNITURE_INLINE.sub(lambda m: removed.append(m.group()) or " ", text)


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
        in_link = in_link or tag_of(element) == "a"
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
        if not isinstance(element.tag, str) or tag_of(element) in _NOT_CONTAINERS:
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
        _count(parent.text, extra, tag_of(parent) == "a")
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
    text = text_of(element)
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
    in_link = tag_of(element) == "a" or any(tag_of(a) == "a" for a in element.iterancestors())
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
            out += [line.text for line in Walker().walk(sibling).lines]
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
        text = text_of(element)
        furniture = bool(_FURNITURE_TEXT.match(text)) and len(text) < 80
        if element not in inside_core and not furniture:
            s = stats.get(element)
            furniture = _furniture_like(element) or (
                tag_of(element) in BLOCK_TAGS
                and s is not None
                and s.text > 0
                and s.link >= 0.5 * s.text
                and not _attachments(element)
            )
        if furniture:
            if text:
                removed.append(text)
            dropped.add(element)
            drop(element)


def _attachments(element: Any) -> bool:
    """Links to files (附件 as .pdf, .docx…) are the document's, not the site's."""
    return text_of(element).startswith("附件") or any(
        _ATTACHMENT.search(a.get("href", "") + " " + text_of(a)) for a in element.iter("a")
    )
