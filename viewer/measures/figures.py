"""Key figures in a passage: the numbers with their units and what they count.

``1450处`` 口罩回收点, ``571名`` 机关干部, ``16项`` 措施, ``10万`` 居民, ``3家`` 医学观察点,
``三项`` 措施. A figure is a number (digits, with a point or thousands separators, or
Chinese numerals) with a classifier or a multiplier (万, 亿) after it; what it counts is
the noun after it (571名机关干部) or, when the sentence ends there, the noun before the
verb that led to it (口罩回收点共设置1450处). Dates, times and ordinals are not figures.
Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
#: Classifiers (量词) and units that say what kind of thing is counted.
UNITS = [
    "万元",
    "亿元",
    "平方米",
    "平方公里",
    "公里",
    "公斤",
    "小时",
    "人次",
    "余人",
    "多人",
    "名",
    "人",
    "处",
    "项",
    "家",
    "个",
    "户",
    "辆",
    "件",
    "次",
    "元",
    "台",
    "套",
    "份",
    "吨",
    "张",
    "条",
    "支",
    "组",
    "所",
    "批",
    "天",
    "座",
    "栋",
    "间",
    "场",
    "架",
    "箱",
    "只",
    "位",
    "类",
    "种",
    "%",
    "％",
]
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUMBER = r"[零〇一二两三四五六七八九十百千]+"
_FIGURE = re.compile(
    rf"(?P<num>{_NUMBER}|{_CN_NUMBER})(?=\s*(?:余|多)?\s*(?:万|亿|{_UNIT_RE}))"
    rf"\s*(?P<more>余|多)?\s*(?P<big>万|亿)?\s*(?P<unit>{_UNIT_RE})?"
)
#: Words between a counted noun and its number: "口罩回收点共设置1450处".
_LEAD_VERBS = re.compile(
    r"(?:共|已|累计|合计|约|达|达到|有|设置|设立|开设|建立|启用|组建|抽调|选派|发放|新增|超过|设|开通|覆盖)+$"
)
_STOP = "，。；：、！？（）()“”《》【】 ,.;:"
_COUNTED_MAX = 5


@dataclass(frozen=True)
class Figure:
    """A number as printed (``text``), its value, its unit and what it counts."""

    text: str
    value: float
    unit: str
    counts: str
    start: int  # offset of ``text`` in the passage

    def to_dict(self) -> dict:
        value = int(self.value) if self.value == int(self.value) else self.value
        return {"text": self.text, "value": value, "unit": self.unit, "counts": self.counts}


def cn_value(text: str) -> int | None:
    """三 → 3, 十六 → 16, 一百二十 → 120, 两千 → 2000; None for what is not a numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGIT:
            if digit is not None:  # 二〇二〇: digits one by one
                return (
                    int("".join(str(_CN_DIGIT[c]) for c in text))
                    if all(c in _CN_DIGIT for c in text)
                    else None
                )
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


#: Parts of speech that end the noun a figure counts: verbs (not verbal nouns),
#: prepositions, conjunctions, particles, adverbs, pronouns.
_ENDS_NOUN = ("v", "p", "c", "u", "d", "r", "x", "w", "a")


def _noun_word(tag: str) -> bool:
    return tag == "vn" or not tag.startswith(_ENDS_NOUN)


_BOUNDARY = re.compile(rf"[{re.escape(_STOP)}0-9]")


def _counted_after(text: str, end: int) -> str:
    rest = text[end : end + 12]
    cut = _BOUNDARY.search(rest)
    return _noun_after(rest[: cut.start()] if cut else rest)


@functools.lru_cache(maxsize=8192)  # the same words follow many figures
def _noun_after(rest: str) -> str:
    import rjieba  # here, not at the top: figures read from the cache need no segmenter

    out = ""
    for word, tag in rjieba.tag(rest):
        if not word.strip() or not _noun_word(tag) or len(out) + len(word) > _COUNTED_MAX:
            break
        out += word
    return out


#: Words after which the noun before a number starts: "在全区废弃口罩回收点共设置1450处".
_BEFORE_STOPS = ("在", "全区", "全市", "全县", "为", "对", "向", "了", "的", "其中", "目前", "截至")


_STOPS = re.compile(rf"[{re.escape(_STOP)}]")


def _counted_before(text: str, start: int) -> str:
    before = _STOPS.split(text[max(0, start - 16) : start])[-1]  # after the last stop
    return _noun_before(_LEAD_VERBS.sub("", before))


@functools.lru_cache(maxsize=8192)
def _noun_before(before: str) -> str:
    import rjieba

    tagged = rjieba.tag(before)
    if not tagged or (not _noun_word(tagged[-1][1]) and tagged[-1][1] != "m"):
        return ""  # a verb right before the number ("可接收1000人"): nothing named
    out = ""
    for word, _tag in reversed(tagged):
        if not word.strip() or word in _BEFORE_STOPS or len(out) + len(word) > _COUNTED_MAX:
            break
        out = word + out
    return out


def figures(text: str) -> list[Figure]:
    """The key figures of a passage, in order."""
    found: list[Figure] = []
    for match in _FIGURE.finditer(text):
        num, unit, big = match.group("num"), match.group("unit") or "", match.group("big") or ""
        if not unit and not big:
            continue  # a bare number: a year, an article number, part of a name
        end = match.end()
        after = text[end : end + 1]
        if after and after in "年月日号时期届" and not unit:
            continue
        if num[0] in _CN_DIGIT or num[0] in _CN_UNIT:
            value = cn_value(num)
            if value is None or (len(num) == 1 and not unit) or num == "一":
                continue  # "一户一册", "一人一消": a way of saying, not a figure
        else:
            value = float(num.replace(",", ""))
        value *= _CN_BIG.get(big, 1)
        if unit in ("万元", "亿元"):
            value *= _CN_BIG[unit[0]]
        printed = text[match.start() : end].strip()
        counts = _counted_after(text, end)
        if not counts or unit in ("%", "％"):
            counts = counts or _counted_before(text, match.start())
        found.append(Figure(printed, value, unit or big, counts, match.start()))
    return found
