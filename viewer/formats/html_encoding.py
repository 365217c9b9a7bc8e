"""The text of a saved web page: which encoding its bytes are in."""

from __future__ import annotations

import codecs
import re

from viewer.formats.errors import FormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: <meta charset="…">, <meta http-equiv="Content-Type" content="…; charset=…">, <?xml encoding="…"?>
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
#: Legacy Chinese encodings are all read as GB18030, the superset browsers use for them.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "csgb2312", "gb_2312-80"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding the page declares in its first 4 KB, as a Python codec name; None when
    it declares none (or one Python does not know)."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _plausible_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8 when it is valid UTF-8 that reads like a CJK page: GBK bytes that
    happen to be valid UTF-8 decode to two-byte letters (Greek, Cyrillic, Hebrew…), CJK
    text to three-byte characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    two = three = 0
    for ch in text:
        code = ord(ch)
        if code >= 0x800:
            three += 1
        elif code >= 0x80:
            two += 1
    return text if three >= two else None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): a byte-order mark first; then UTF-8 when the bytes are plausible
    UTF-8 holding non-ASCII text, whatever the page declares (a browser re-saving a GBK page
    writes UTF-8 and keeps the old declaration); then the declared encoding; then GB18030."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                raise FormatError(f"the web page starts like {name} text but is not valid {name}") from exc
    declared = declared_encoding(data)
    utf8 = _plausible_utf8(data)
    if utf8 is not None and (declared in (None, "utf-8", "ascii") or not data.isascii()):
        return utf8, "utf-8"
    for name in [declared or "gb18030", "gb18030", "utf-8"]:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    name = declared or "gb18030"
    return data.decode(name, errors="replace"), name
