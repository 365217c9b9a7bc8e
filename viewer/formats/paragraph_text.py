"""A paragraph's pieces of text → the text of its Lines (shared by the Word, web page and
Markdown readers).

The markup formats hand over a paragraph as pieces: runs of text and the line breaks
(``<br>``, Word's ``<w:br/>``, a Markdown hard break) between them. This module collapses
whitespace the way a reader sees it, joins pieces without a space where CJK text meets, and
decides for each line break whether it ends a line of its own (a signature above its date,
"来源：" under "发布时间：") or is only layout inside a sentence, which must not split it.
"""

from __future__ import annotations

import re

from viewer.model.lines import indent_of

#: Code point ranges of characters written without spaces between them: CJK ideographs
#: (with extensions and compatibility forms), kana, hangul, CJK and full-width punctuation.
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals supplement, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x31BF),  # bopomofo
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)
#: A line ending with one of these has ended its sentence (or at least its clause line).
_ENDS_LINE = set("。！？；：…」』”’）)]】〕》!?;:")
#: A line starting like this starts an item of its own: 一、 （一） 1. 1、 （1） ① 第三条 附件
_STARTS_ITEM = re.compile(
    r"(?:[一二三四五六七八九十百]+[、.．]"
    r"|[（(][一二三四五六七八九十百\d]+[）)]"
    r"|\d+(?:[、．]|\.(?!\d))"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条款部分]"
    r"|附件|附表|抄送|联系人|联系电话|\d{4}\s*年\s*\d{1,2}\s*月)"
)
#: A broken line shorter than this (in characters) is a line of its own (a label, a name,
#: a signature): layout breaks inside sentences come after a line's worth of text.
_SHORT_LINE = 16
#: Whitespace runs (Unicode: space, tab, newline, no-break, ideographic and em spaces).
_SPACES = re.compile(r"\s+")
_INDENT_CHARS = " \t\u00a0\u3000\u2002\u2003"


def is_cjk(ch: str) -> bool:
    """True for a character of a script written without spaces (and its punctuation)."""
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def collapse(text: str) -> str:
    """Whitespace runs as one space, none where a run holding a newline (a line break in
    the source) sits between two CJK characters; the ends stripped."""

    def one(match: re.Match[str]) -> str:
        start, end = match.span()
        if (
            "\n" in match.group()
            and start > 0
            and end < len(text)
            and is_cjk(text[start - 1])
            and is_cjk(text[end])
        ):
            return ""
        return " "

    return _SPACES.sub(one, text).strip()


def join(left: str, right: str) -> str:
    """Two pieces of one paragraph: no space where CJK text meets, one between Latin words."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return left + " " + right


def continues(before: str, after: str) -> bool:
    """Whether the line break between ``before`` and ``after`` is only layout, inside a
    sentence: ``before`` does not end a sentence or clause line, is at least a line's worth
    of text (or ends on a comma), and ``after`` does not start an item, a date or a label."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return False
    if after[0] in "，、。；：！？）)”’》":
        return True
    if before[-1] in _ENDS_LINE or _STARTS_ITEM.match(after):
        return False
    return before[-1] in "，、,（(“‘《" or len(before) >= _SHORT_LINE


def group_breaks(segments: list[str]) -> list[list[int]]:
    """Which of a paragraph's segments (its text between line breaks) make one line each:
    lists of segment indices, in order. A break that :func:`continues` a sentence puts its
    two segments in one group; empty segments belong to none."""
    groups: list[list[int]] = []
    text = ""
    joinable = False
    for n, raw in enumerate(segments):
        piece = collapse(raw)
        if not piece:
            joinable = False
            continue
        if groups and joinable and continues(text, piece):
            groups[-1].append(n)
            text = join(text, piece)
        else:
            groups.append([n])
            text = piece
        joinable = True
    return groups


def split_at_breaks(segments: list[str]) -> list[str]:
    """A paragraph's text between its line breaks → the lines it shows as separate lines
    (see :func:`group_breaks`), each collapsed."""
    out = []
    for group in group_breaks(segments):
        text = ""
        for n in group:
            text = join(text, collapse(segments[n]))
        out.append(text)
    return out


def leading_indent(raw: str) -> float:
    """The indentation at the start of ``raw`` in CJK character widths (em spaces count as
    ideographic spaces, en spaces as half)."""
    stripped = raw.lstrip(_INDENT_CHARS)
    lead = raw[: len(raw) - len(stripped)]
    return indent_of(lead.replace("\u2003", "\u3000").replace("\u2002", " "))
