"""The text of a PDF that Qt writes: copied and found in a PDF viewer as it was printed.

Its one job is that text. A viewer copies and searches a PDF's text through the font's
ToUnicode map (from each printed glyph to its character), which Qt's PDF writer makes by
looking each glyph up in the font's character map and taking the lowest code that gives it.
Two things then go wrong with CJK fonts, and both are mended here:

- A font gives one glyph to 力 (U+529B) and to the Kangxi radical ⼒ (U+2F12), to 页 and to
  the radical ⻚ (U+2EDA): a viewer would copy 全⼒ for 全力, and search would miss it.
  ``fix_pdf_text`` rewrites the maps in place, code for code of the same length (so every
  offset in the file stays valid), to the ideograph printed: the one of the text that shares
  the radical's glyph in the font (``radical_ideographs``), else the radical's compatibility
  equivalent (NFKC). The archive holds no radicals (the readers repair them), so a radical
  in a map is always an ideograph's glyph.
- A glyph the font's ``locl`` feature chose (Noto Sans CJK puts other digits after Latin
  letters: the 1 of "Page 1") is in no character map, so it has no character at all.
  ``without_locl`` leaves that feature out of the printed text; the fonts are regional
  (Noto Sans CJK SC, …), so their own glyph forms are the ones wanted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from PySide6.QtGui import QFont, QRawFont, QTextCharFormat, QTextCursor, QTextDocument

_LOCL = "locl"
#: A 4-digit code in a ToUnicode map.
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_CMAP = re.compile(rb"begincmap(.*?)endcmap", re.DOTALL)
_RANGE_ARRAY = re.compile(rb"^(\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*)\[(.*)\]\s*$")
_PAIR = re.compile(rb"^(\s*<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>\s*$")
_RADICALS = "".join(chr(c) for c in range(0x2E80, 0x2FE0))  # CJK Radicals Supplement, Kangxi Radicals


def _is_radical(value: int) -> bool:
    return 0x2E80 <= value < 0x2FE0


# -- before painting -------------------------------------------------------------------------------
def without_locl(font: QFont) -> QFont:
    """``font`` without its ``locl`` feature (see the module's docstring)."""
    font = QFont(font)
    tag = QFont.Tag.fromString(_LOCL)
    if tag is not None:
        font.setFeature(tag, 0)
    return font


def without_locl_text(doc: QTextDocument) -> None:
    """Every character of ``doc`` (and its default font) without the ``locl`` feature."""
    tag = QFont.Tag.fromString(_LOCL)
    if tag is None:
        return
    doc.setDefaultFont(without_locl(doc.defaultFont()))
    cursor = QTextCursor(doc)
    cursor.select(QTextCursor.SelectionType.Document)
    fmt = QTextCharFormat()
    fmt.setFontFeatures({tag: 0})
    cursor.mergeCharFormat(fmt)


def radical_ideographs(text: str, fonts: Sequence[QFont]) -> dict[int, int]:
    """For each radical whose glyph one of ``fonts`` shares with an ideograph of ``text``, that
    ideograph (U+2EDA ⻚ → U+9875 页 in Noto Sans CJK SC)."""
    ideographs = sorted({c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"})
    found: dict[int, int] = {}
    for font in fonts:
        raw = QRawFont.fromFont(font)
        if not raw.isValid() or not ideographs:
            continue
        by_glyph: dict[int, str] = {}
        for char, glyph in zip(ideographs, raw.glyphIndexesForString("".join(ideographs)), strict=False):
            if glyph:
                by_glyph.setdefault(glyph, char)
        for radical, glyph in zip(_RADICALS, raw.glyphIndexesForString(_RADICALS), strict=False):
            if glyph and glyph in by_glyph:
                found.setdefault(ord(radical), ord(by_glyph[glyph]))
    return found


# -- after painting --------------------------------------------------------------------------------
def _mended(code: bytes, ideographs: Mapping[int, int]) -> bytes:
    value = int(code, 16)
    if not _is_radical(value):
        return code
    target = ideographs.get(value)
    if target is None:
        unified = unicodedata.normalize("NFKC", chr(value))
        if len(unified) != 1 or unified == chr(value):
            return code
        target = ord(unified)
    return f"{target:04X}".encode() if target <= 0xFFFF else code


def _mend_line(line: bytes, ideographs: Mapping[int, int]) -> bytes:
    array = _RANGE_ARRAY.match(line)
    if array is not None:  # <first> <last> [<char> <char> …]: one character per glyph
        fixed = _CODE.sub(lambda m: b"<" + _mended(m.group(1), ideographs) + b">", array.group(2))
        return line[: array.start(2)] + fixed + line[array.end(2) :]
    pair = _PAIR.match(line)
    if pair is not None:  # bfchar: <glyph> <char>
        return line[: pair.start(2)] + _mended(pair.group(2), ideographs) + line[pair.end(2) :]
    return line  # a range of codes, a code space: left as it is


def fix_pdf_text(data: bytes, ideographs: Mapping[int, int] | None = None) -> bytes:
    """``data`` (a PDF) with the radicals of its ToUnicode maps made the ideographs printed:
    ``ideographs`` (from ``radical_ideographs``), else their NFKC equivalents. Same length."""
    ideographs = ideographs or {}

    def mend(match: re.Match[bytes]) -> bytes:
        lines = match.group(1).split(b"\n")
        return b"begincmap" + b"\n".join(_mend_line(line, ideographs) for line in lines) + b"endcmap"

    fixed = _CMAP.sub(mend, data)
    return fixed if len(fixed) == len(data) else data
