"""A saved web page (.html/.htm) → the Lines of its main text, without the site around it.

One job: the reader's entry point. It refuses oversized and empty pages, decodes the bytes
(:mod:`viewer.formats.html_encoding`), parses them with lxml, takes the title, drops
scripts, styles and forms' controls, then has :mod:`viewer.formats.html_main` find the main
text and set the site furniture apart, and :mod:`viewer.formats.html_blocks` read it into
lines, reporting progress and honouring cancel. Everything dropped that was text goes to
``Extracted.removed``.
"""

from __future__ import annotations

import re
from typing import Any

from viewer.formats.base import Cancelled, Extracted
from viewer.formats.errors import FormatError
from viewer.formats.html_blocks import Walker
from viewer.formats.html_encoding import decode_html
from viewer.formats.html_main import cut_inline_furniture, find_main, separate
from viewer.formats.html_tree import drop, text_of
from viewer.formats.paragraph_text import collapse
from viewer.formats.repair import repair_line
from viewer.model.lines import Line
from viewer.progress import Cancel, Progress, never_cancel, no_progress

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
    found = find_main(body)
    if cancel():
        raise Cancelled
    progress(2, 3, "reading the main text")
    walker = Walker()
    for element in separate(found, body, removed):
        walker.walk(element)
    lines = []
    for line in walker.lines:
        kept = cut_inline_furniture(line.text, removed)
        kept = repair_line(collapse(kept))
        if kept:
            lines.append(Line(kept, indent=line.indent, starts_paragraph=True, heading=line.heading,
                              bold=line.bold, table=line.table))  # fmt: skip
    progress(3, 3, "done")
    if not lines:
        raise FormatError("the web page has no text")
    return Extracted(kind="html", lines=lines, removed=removed, meta=meta)


def _strip_code(root: Any, removed: list[str]) -> None:
    """Drop scripts, styles and the like; drop forms' controls, their text to ``removed``."""
    for element in list(root.iter()):
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                drop(element)
            continue
        tag = tag.lower()
        if tag in _CODE_TAGS and element.getparent() is not None:
            drop(element)
        elif tag in _CONTROL_TAGS and element.getparent() is not None:
            text = element.get("value", "") if tag == "input" else text_of(element)
            if text:
                removed.append(text)
            drop(element)
