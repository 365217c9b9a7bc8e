"""Word (.docx) automatic numbering: the labels ("一、", "（一）", "1.") Word shows.

One job: read the numbering part's list definitions (abstract lists, their levels, the
lists' overrides), count the numbered paragraphs in order as Word does (a level's counter
restarts after a higher level), and render each label in its number format: decimal,
Chinese counting (``chineseCounting``: 十一, 一百零五), legal Chinese (壹), heavenly stems,
enclosed numbers, letters and roman numerals. Automatic numbering is not text in a Word
file, so without this the labels would be lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from viewer.formats.docx_xml import W, is_on, to_int


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None
    restart: int | None = None  # restart after a level ≤ this one (0-based), None = any higher


@dataclass
class _List:
    abstract: str
    levels: dict[int, _Level] = field(default_factory=dict)
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl → start


class Numbering:
    """The numbering part's lists, and the counters as paragraphs are numbered in order."""

    def __init__(self, document: Any) -> None:
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError):
            return
        root = part.element
        abstracts: dict[str, dict[int, _Level]] = {}
        for abstract in root.iter(f"{W}abstractNum"):
            abstracts[abstract.get(f"{W}abstractNumId", "")] = {
                to_int(lvl.get(f"{W}ilvl"), 0) or 0: _level(lvl) for lvl in abstract.iter(f"{W}lvl")
            }
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            abstract_id = ref.get(f"{W}val", "") if ref is not None else ""
            levels = dict(abstracts.get(abstract_id, {}))
            entry = _List(abstract=abstract_id, levels=levels)
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = to_int(override.get(f"{W}ilvl"), 0) or 0
                redefined = override.find(f"{W}lvl")
                if redefined is not None:
                    levels[ilvl] = _level(redefined)
                start = override.find(f"{W}startOverride")
                if start is not None:
                    entry.overrides[ilvl] = to_int(start.get(f"{W}val"), 1) or 0
            self._lists[num.get(f"{W}numId", "")] = entry

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        entry = self._lists.get(num_id)
        if entry is not None and style_id is not None:
            for ilvl, level in entry.levels.items():
                if level.style == style_id:
                    return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """Advance the list's counter at ``ilvl``; (label as Word shows it, suffix), or None
        when the list or its format is unknown (bullets, pictures: the text stays as it is)."""
        entry = self._lists.get(num_id)
        if entry is None or ilvl not in entry.levels:
            return None
        counters = self._counters.setdefault(entry.abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for level_no, start in entry.overrides.items():
                counters[level_no] = start - 1
        level = entry.levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = entry.levels.get(deeper, _Level()).restart
            if restart is None or ilvl <= restart:
                del counters[deeper]
        if level.fmt == "bullet":
            return None

        def number(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = entry.levels.get(ref, _Level())
            value = counters.get(ref, ref_level.start)
            fmt = "decimal" if level.legal and ref != ilvl else ref_level.fmt
            shown = format_number(value, fmt)
            return shown if shown is not None else "\x00"

        text = re.sub(r"%([1-9])", number, level.text)
        if "\x00" in text:
            return None
        return text, level.suffix


def _level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val") if el is not None else None

    restart = to_int(val("lvlRestart"))
    return _Level(
        start=to_int(val("start"), 1) or 0,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        suffix=val("suff") or "tab",
        legal=bool(is_on(lvl.find(f"{W}isLgl"))),
        style=val("pStyle"),
        restart=None if restart is None else restart - 1,
    )


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千", zero_mark: str = "零") -> str:
    """1..9999 in Chinese counting (十一, 二十, 一百零五); larger numbers digit by digit."""
    if not 0 < n < 10000:
        return "".join(digits[int(d)] for d in str(n))
    out = ""
    parts = [(n // 1000, units[2]), (n // 100 % 10, units[1]), (n // 10 % 10, units[0]), (n % 10, "")]
    zero = False
    for value, unit in parts:
        if value == 0:
            zero = bool(out)
            continue
        if zero:
            out += zero_mark
            zero = False
        out += digits[value] + unit
    if out.startswith(digits[1] + units[0]) and digits is _CN_DIGITS:
        out = out[1:]  # 十一, not 一十一
    return out


def _roman(n: int) -> str:
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
    values += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str | None:
    """``n`` in Word's number format ``fmt`` ("decimal", "chineseCounting"…); None when the
    format is not one this reader renders."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    ):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "koreanDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 0 < n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 0 < n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 0 < n <= 20 else f"{n}."
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n) if n > 0 else str(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return None
