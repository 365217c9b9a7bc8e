"""Turn the bytes of a published bulletin into text, or refuse them with a plain reason.

UTF-8 (with or without a byte order mark) and UTF-16/32 with one are read as they are.
Other bytes are legacy Chinese: GB18030 (mainland; a superset of GBK and GB2312) or Big5
(Taiwan, Hong Kong). Almost any Big5 file also decodes as GB18030 — into nonsense — and
much GB text decodes as Big5, so both are tried and each reading is scored by the share
of its characters that are *common* Chinese characters: those of GB2312's first level
(the 3,755 most used simplified characters) or Big5's first level (the 5,401 most used
traditional ones). Punctuation, digits, symbols, Latin and Greek letters are neutral;
everything else (second-level and extension characters, kana, Cyrillic, private-use and
unassigned code points) counts against. The better reading wins when it reaches
``MIN_CONFIDENCE`` (GB18030 on a tie); otherwise the file is refused rather than shown
as garbage. A few GBK characters are valid UTF-8 too ("通知"); UTF-8 that reads as junk
of two-byte characters is given to the legacy readings first (``_misread_utf8``).

Junk is refused whatever its encoding: fewer than two letters, a tiny text holding a
control, private-use or unassigned character, any text made mostly of those. Of random
byte strings of 1–16 bytes, 30 % were accepted as text before these rules, 2.6 % after
(printable ASCII, or one or two common characters, which no rule can tell from text).
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from functools import cache

from viewer.model.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Control characters (Unicode category Cc) that plain text does not contain: all but
#: tab, newline, vertical tab, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

#: The legacy readings tried when the bytes are not UTF-8: GB18030, then Big5 (the first
#: of its variants that decodes: plain Big5, Microsoft's cp950, Hong Kong's HKSCS).
_GB = "gb18030"
_BIG5_VARIANTS = ("big5", "cp950", "big5hkscs")

#: A legacy reading is taken only when at least this share of its scored characters are
#: common Chinese characters. Measured on the bundled bulletin and the texts of
#: shared/corpus/real (the .txt and .md files and the text layers of the two PDFs), each
#: as GB18030 (simplified, and traditional via OpenCC s2t) and as Big5 (traditional), cut
#: to the title, the first 20/60/200 characters, and whole: the right reading scored
#: 0.98–1.0, the wrong one 0.29–0.60 (median 0.34). Single lines as files (2,043 of them,
#: many of 2–5 characters): the right reading scored at least 0.83; 3% of the wrong
#: readings reached 0.8, and the choice was wrong for one line of four characters.
MIN_CONFIDENCE = 0.8
#: How many scored characters are looked at (a prefix is enough to tell; keeps it fast).
_SAMPLE = 20_000
#: Categories that never count for or against a reading: punctuation, symbols, numbers,
#: separators. Latin letters (pinyin tone marks, ×, °…), Greek ones and letter-like symbols
#: (formulas, ℃, Ω) are neutral too (below).
_NEUTRAL_CATEGORIES = ("P", "S", "N", "Z")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _ideographs(codec: str, first: int, last: int) -> set[str]:
    """The CJK ideographs of a double-byte ``codec`` between codes ``first`` and ``last``."""
    chars = set()
    for code in range(first, last + 1):
        try:
            char = code.to_bytes(2, "big").decode(codec)
        except UnicodeDecodeError:
            continue
        if "\u4e00" <= char <= "\u9fff":
            chars.add(char)
    return chars


@cache
def _common_characters() -> frozenset[str]:
    """GB2312 level 1 (0xB0A1–0xD7F9: 3,755 characters) ∪ Big5 level 1 (0xA440–0xC67E:
    5,401 characters)."""
    return frozenset(_ideographs("gb2312", 0xB0A1, 0xD7F9) | _ideographs("big5", 0xA440, 0xC67E))


@cache
def _neutral(char: str) -> bool:
    return (
        char <= "\u024f"
        or "\u0370" <= char <= "\u03ff"
        or "\u2100" <= char <= "\u214f"
        or unicodedata.category(char).startswith(_NEUTRAL_CATEGORIES)
    )


def confidence(text: str) -> float:
    """The share of ``text``'s scored characters (non-ASCII, not punctuation, symbols,
    numbers, Latin or Greek) that are common Chinese characters; 1.0 when none is scored."""
    common = _common_characters()
    scored = good = 0
    for match in _NON_ASCII.finditer(text):
        for char in match.group():
            if _neutral(char):
                continue
            scored += 1
            good += char in common
        if scored >= _SAMPLE:
            break
    return good / scored if scored else 1.0


def _decode_legacy(data: bytes) -> tuple[str, str]:
    readings: list[tuple[str, str]] = []
    for names in ((_GB,), _BIG5_VARIANTS):
        for name in names:
            try:
                readings.append((data.decode(name), name))
                break
            except UnicodeDecodeError:
                continue
    if not readings:
        raise ParseError("the file is neither UTF-8, UTF-16, GB18030 nor Big5 text")
    # max() keeps the first of equals: GB18030 wins a tie.
    score, text, name = max(((confidence(text), text, name) for text, name in readings), key=lambda r: r[0])
    if score < MIN_CONFIDENCE:
        raise ParseError(
            "the text's encoding cannot be told: it reads as neither GB18030 nor Big5 with confidence"
        )
    return text, name


_BEYOND_TWO_BYTES = re.compile("[^\x00-\u07ff]")
_TWO_BYTES = re.compile("[\x80-\u07ff]")


def _misread_utf8(text: str) -> bool:
    """Valid UTF-8 that reads as junk: a few GBK characters can be valid UTF-8 too ("通知"
    is b"\\xcd\\xa8\\xd6\\xaa", which UTF-8 reads as two stray combining marks). Chinese in
    UTF-8 has characters of three bytes (U+0800 up); this text has none but some of two
    bytes, and is junk, puts a combining mark on no letter, or mixes letters of several
    scripts (Latin with Greek, Cyrillic with Hebrew…), as GBK read as UTF-8 does."""
    if _BEYOND_TWO_BYTES.search(text) or not _TWO_BYTES.search(text):
        return False
    if _is_junk(text):
        return True
    scripts = set()
    for n, match in enumerate(_TWO_BYTES.finditer(text)):
        char, at = match.group(), match.start()
        if unicodedata.category(char) == "Mn" and not (at and text[at - 1].isalpha()):
            return True
        if char.isalpha():
            scripts.add(unicodedata.name(char, "?").split(" ", 1)[0])
        if n >= _SAMPLE:
            break
    return len(scripts) > 1


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    limit = max(2, len(text) // 1000)
    return any(n > limit for n, _match in enumerate(_CONTROLS.finditer(text), 1))


#: Fewer letters (any script: 东, a) than this and a file is not text but junk.
_MIN_LETTERS = 2
_LETTER = re.compile(r"[^\W\d_]")
#: A text with fewer non-blank characters than this is *tiny*: a single control,
#: private-use or unassigned character in it makes it junk (a longer text may hold a stray
#: one; ``_looks_binary`` bounds how many).
_TINY = 32
#: Characters no text is made of: controls, private use, unassigned, surrogates, U+FFFD.
_JUNK_CATEGORIES = ("Cc", "Co", "Cn", "Cs")
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
#: Blanks: white space that is not a control (Python counts \x1c–\x1f and \x85 as space).
_BLANK = re.compile("[ \t\n\v\f\r\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _is_junk(text: str) -> bool:
    """Too few letters, or (for a tiny text) any character no text is made of, or (for
    any text) mostly such characters: random bytes that happen to decode."""
    head = text[:_SAMPLE]
    letters = 0
    for letters, _match in enumerate(_LETTER.finditer(head), 1):
        if letters >= _MIN_LETTERS:
            break
    if letters < _MIN_LETTERS and len(text) <= _SAMPLE:
        return True
    junk = len(_JUNK.findall(head))
    if not junk and len(head) >= 4 * _TINY:  # the usual case, decided without counting blanks
        return False
    shown = len(head) - len(_BLANK.findall(head))
    if shown < _TINY:
        return any(
            char == "\ufffd" or unicodedata.category(char) in _JUNK_CATEGORIES
            for char in head
            if not _BLANK.match(char)
        )
    return 2 * junk >= shown


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name).

    UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 and Big5 are accepted (see
    the module docstring for how GB18030 and Big5 are told apart). Newlines are
    normalised to "\\n". Raises ParseError for empty, blank, binary, undecodable or
    ambiguous input, and for junk (fewer than two letters; a tiny text holding a control,
    private-use or unassigned character; any text made mostly of those).
    """
    if not data:
        raise ParseError("the file is empty")
    text = encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                raise ParseError(f"the file starts like {name} text but is not valid {name}") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise ParseError("the file is binary, not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_legacy(data)
        else:
            if _misread_utf8(text):
                with contextlib.suppress(ParseError):  # no confident reading: refused below as junk
                    text, encoding = _decode_legacy(data)
    if _looks_binary(text):
        raise ParseError("the file is binary, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise ParseError("the file holds only blank lines")
    if _is_junk(text):
        raise ParseError("the file holds no readable text (too few letters, or mostly unreadable characters)")
    return text, encoding
