"""Character repairs for one line of extracted text, shared by every format reader.

``repair_line`` undoes what extraction and old fonts do to Chinese text: Unicode NFC,
Kangxi radicals and radical-supplement forms (``⽆⻔``) and compatibility ideographs
to the unified characters, soft hyphens and zero-width characters removed, the spaces
justified lines put between CJK characters (``例 如 ，``) removed while Latin words keep
theirs, and Founder-font mis-maps (``摇`` for a space, ``郾`` for a full stop, ``鄄`` for a
hyphen) repaired where the context proves them (``2郾2摇机制`` → ``2.2 机制``), never in
ordinary words (``动摇``, ``郾城``, ``鄄城`` stay).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["repair_line"]

#: CJK Radicals Supplement forms that stand for a whole character (the simplified
#: radicals fonts map their glyphs to); component-only forms (⺮, ⻌, ⻐…) are left.
_RADICAL_SUPPLEMENT = {
    "\u2e9f": "母",
    "\u2ea0": "民",
    "\u2ec1": "虎",
    "\u2ec4": "西",
    "\u2ec5": "见",
    "\u2ec6": "角",
    "\u2ec9": "贝",
    "\u2ecb": "车",
    "\u2ed1": "長",
    "\u2ed3": "长",
    "\u2ed4": "门",
    "\u2ed8": "青",
    "\u2ed9": "韦",
    "\u2eda": "页",
    "\u2edb": "风",
    "\u2edc": "飞",
    "\u2edd": "食",
    "\u2ee2": "马",
    "\u2ee3": "骨",
    "\u2ee4": "鬼",
    "\u2ee5": "鱼",
    "\u2ee6": "鸟",
    "\u2ee7": "卤",
    "\u2ee8": "麦",
    "\u2ee9": "黄",
    "\u2eea": "黾",
    "\u2eeb": "斉",
    "\u2eec": "齐",
    "\u2eed": "歯",
    "\u2eee": "齿",
    "\u2eef": "竜",
    "\u2ef0": "龙",
    "\u2ef1": "龜",
    "\u2ef2": "亀",
    "\u2ef3": "龟",
}


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in _RADICAL_SUPPLEMENT.items()}
    # Kangxi radicals: each has a compatibility decomposition to its unified ideograph.
    for code in range(0x2F00, 0x2FD6):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    # Soft hyphen, zero-width space/joiners, word joiner, BOM: invisible, dropped.
    for code in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        table[code] = None
    # C0/C1 control characters (pdfium marks soft line-end hyphens with \x02).
    for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)):
        table[code] = " " if code == 0x09 else None
    return table


_TABLE = _build_table()
#: Any character the table changes (most lines hold none: then translate is skipped).
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")
_FOUNDER = re.compile("[郾鄄摇]")

#: Characters that carry their own spacing: ideographs, kana, CJK and full-width punctuation.
_WIDE = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
#: Full-width punctuation: no space belongs next to it on either side.
_WIDE_PUNCT = (
    "\u3001-\u3003\u3008-\u3011\u3014-\u301f\ufe10-\ufe1f\ufe30-\ufe4f"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
#: Punctuation shared with Latin text that Chinese sets without spaces next to a CJK character.
_SHARED_PUNCT = "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2022"
_SPACES = "[ \u00a0\u2002-\u200a\u202f\u205f]+"

_SPACE_RUN = re.compile(_SPACES)
_CJK_GAP = re.compile(
    rf"(?<=[{_WIDE}]){_SPACES}(?=[{_WIDE}{_SHARED_PUNCT}])"
    rf"|(?<=[{_SHARED_PUNCT}]){_SPACES}(?=[{_WIDE}])"
    rf"|(?<=[{_WIDE_PUNCT}]){_SPACES}(?=\S)"
    rf"|(?<=\S){_SPACES}(?=[{_WIDE_PUNCT}])"
)

# Founder (方正) fonts whose ToUnicode maps punctuation glyphs to ideographs.
# 郾 for ".": after an ASCII letter or digit (2郾2, et al郾, Vol郾3); a genuine 郾 sits among
# Chinese characters (郾城).
_FOUNDER_STOP = re.compile(r"(?<=[A-Za-z0-9])郾")
# 鄄 for "-": between ASCII letters or digits (1001鄄0920, Sun鄄Ho).
_FOUNDER_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])鄄(?=[A-Za-z0-9])")
# 摇 for " ": runs of 摇 after ASCII letters, digits or ASCII punctuation (2.2摇机制, Fig.1摇…),
# before an ASCII letter or digit when a space or the line start precedes (摇2.2), and
# a line-leading run of 摇 mixed with spaces (Founder's paragraph indent "摇 摇 ").
_FOUNDER_SPACE_AFTER = re.compile(r"(?<=[A-Za-z0-9.,;:)\]])摇+")
_FOUNDER_SPACE_BEFORE = re.compile(r"(?:(?<=^)|(?<=\s))摇+(?=[A-Za-z0-9(\[])")
_FOUNDER_INDENT = re.compile(r"^(?:摇\s+)+")


def _repair_founder(text: str) -> str:
    if "郾" in text:
        text = _FOUNDER_STOP.sub(".", text)
    if "鄄" in text:
        text = _FOUNDER_HYPHEN.sub("-", text)
    if "摇" in text:
        text = _FOUNDER_INDENT.sub("", text)
        text = _FOUNDER_SPACE_AFTER.sub(" ", text)
        text = _FOUNDER_SPACE_BEFORE.sub(" ", text)
    return text


def repair_line(text: str) -> str:
    """``text`` (one line) with its characters repaired; leading and trailing spaces stripped.

    Ideographic spaces (U+3000) inside the line are kept: a document sets them on purpose.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _TRANSLATED.search(text):
        text = text.translate(_TABLE)
    if _FOUNDER.search(text):
        text = _repair_founder(text)
    if _SPACE_RUN.search(text):  # most lines have no space at all: skip the slow patterns
        text = _CJK_GAP.sub("", text)
        text = _SPACE_RUN.sub(" ", text)
    return text.strip(" \u3000")
