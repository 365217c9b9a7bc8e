"""Official documents of known structure, written out as plain text in every paragraph
convention the parser must tell apart.

``make(rnd)`` gives a document (the ``parse --json`` shape) with a banner, a number,
a title, an addressee, lead paragraphs, headings at two or three levels (一、 / （一） / 1.),
paragraphs and a closing (特此通知。, signature, date). ``render(doc, layout, rnd)`` writes
it as text:

- ``lines``: one paragraph a line (web and database text);
- ``lines-blank``: one paragraph a line, blank lines between;
- ``indent``: paragraphs hard-wrapped at a fixed width, first lines indented with 　　;
- ``wrapped``: hard-wrapped at a fixed width, no blank lines, no indentation (a short
  line after 。 ends a paragraph);
- ``wrapped-blank``: hard-wrapped, blank lines between paragraphs.

The paragraphs are taken from the bundled bulletin, so the prose is real.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SEED = Path(__file__).resolve().parent / "seed-expected.json"
LAYOUTS = ("lines", "lines-blank", "indent", "wrapped", "wrapped-blank")
_CN = "〇一二三四五六七八九"
_CN_ORDINAL = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
_ISSUERS = ["北京市人民政府办公厅", "上海市市场监督管理局", "中国人民银行办公厅", "海淀区卫生健康委员会"]
_KINDS = ["通知", "意见", "实施方案", "工作方案"]
_SUBJECTS = [
    "做好疫情防控期间市场供应保障工作",
    "加强社区联防联控",
    "支持中小企业共渡难关",
    "落实减免房租政策",
]
_TOPICS = ["总体要求", "主要措施", "保障措施", "工作要求", "组织领导", "强化服务保障", "压实工作责任"]


def _pool() -> list[str]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    paragraphs = [p for s in seed["sections"] for p in s["paragraphs"]] + list(seed["lead"])
    return [re.sub(r"\s+", "", p) for p in paragraphs]  # the seed keeps the PDF's stray spaces


def _cn_year(year: int) -> str:
    return "".join(_CN[int(d)] for d in str(year))


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def make(rnd: random.Random) -> tuple[dict, dict]:
    """(the expected structure, what render needs besides it: the printed date)."""
    pool = _pool()
    issuer = rnd.choice(_ISSUERS)
    year, month, day = rnd.randint(2015, 2026), rnd.randint(1, 12), rnd.randint(1, 28)
    printed_date = rnd.choice(
        [f"{year}年{month}月{day}日", f"{_cn_year(year)}年{_cn_small(month)}月{_cn_small(day)}日"]
    )
    code = rnd.choice(["京政办发", "沪市监规", "银办发", "海卫发"])
    number = rnd.choice(
        [f"{code}〔{year}〕{rnd.randint(1, 99)}号", f"{code}［{year}］{rnd.randint(1, 99)}号"]
    )
    title = f"{issuer}关于{rnd.choice(_SUBJECTS)}的{rnd.choice(_KINDS)}"
    sections = []
    levels = rnd.choice([(1,), (1, 2), (1, 2, 3)])
    topics = rnd.sample(_TOPICS, rnd.randint(2, 4))
    for n, topic in enumerate(topics):
        sections.append(
            {
                "district": "",
                "headline": f"{_CN_ORDINAL[n]}、{topic}",
                "level": 1,
                "paragraphs": rnd.sample(pool, rnd.randint(0 if 2 in levels else 1, 2)),
            }
        )
        if 2 in levels:
            for m in range(rnd.randint(1, 2)):
                sections.append(
                    {
                        "district": "",
                        "headline": f"（{_CN_ORDINAL[m]}）{rnd.choice(_TOPICS)}",
                        "level": 2,
                        "paragraphs": rnd.sample(pool, rnd.randint(1, 2)),
                    }
                )
                if 3 in levels:
                    sections.append(
                        {
                            "district": "",
                            "headline": f"{m + 1}.{rnd.choice(_TOPICS)}",
                            "level": 3,
                            "paragraphs": rnd.sample(pool, 1),
                        }
                    )
    doc = {
        "title": title,
        "column": "",
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "number": number,
        "issuer": issuer,
        "lead": ["各区人民政府，市政府各委、办、局：", *rnd.sample(pool, rnd.randint(1, 2))],
        "sections": sections,
        "closing": ["特此通知。", issuer, printed_date],
    }
    return doc, {"banner": f"{issuer}文件", "number": number}


def _blocks(doc: dict, extra: dict) -> list[tuple[str, str]]:
    """(kind, text) in reading order: kind "p" for prose to wrap, "s" for a line standing alone."""
    out = [("s", extra["banner"]), ("s", extra["number"]), ("s", doc["title"])]
    out += [("s", doc["lead"][0])] + [("p", p) for p in doc["lead"][1:]]
    for sec in doc["sections"]:
        out.append(("s", sec["headline"]))
        out += [("p", p) for p in sec["paragraphs"]]
    out += [("s", t) for t in doc["closing"]]
    return out


def _cells(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Hard-wrap at ``width`` display cells (ASCII is half a cell), as an editor or a PDF does."""
    lines, current = [], ""
    for ch in text:
        if _cells(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current]


def _fits(text: str, width: int) -> bool:
    """A reader can tell this paragraph's end: its last line stops well short of the width."""
    return _cells(_wrap(text, width)[-1]) <= width - 3


def render(doc: dict, extra: dict, layout: str, rnd: random.Random) -> str:
    width = rnd.randint(18, 36)
    while not all(_fits(t, width) for k, t in _blocks(doc, extra) if k == "p"):
        width += 1
    lines: list[str] = []
    for kind, text in _blocks(doc, extra):
        if layout in ("lines", "lines-blank"):
            lines.append(text)
        elif layout == "indent":
            lines += (
                ["　　" + text]
                if kind == "s"
                else ["　　" + line if i == 0 else line for i, line in enumerate(_wrap(text, width))]
            )
        else:  # wrapped, wrapped-blank
            lines += [text] if kind == "s" else _wrap(text, width)
        if layout.endswith("-blank"):
            lines.append("")
    return "\n".join(lines) + "\n"
