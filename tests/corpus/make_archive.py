#!/usr/bin/env python3
"""Make a synthetic archive of bulletins in the same raw layout as the bundled one.

Each bulletin is plain text as it comes out of a two-column PDF: hard-wrapped
lines, a title line, a column label, a lead, then sections that start with a
district label line ("东城："), a headline, and paragraphs separated by blank
lines; some blank lines fall inside a sentence or a headline (column breaks).
Next to every NAME.txt it writes NAME.expected.json, the structure a correct
parser must recover (same form as seed-expected.json).

Usage: make_archive.py OUT_DIR [--count N] [--seed S] [--expected PATH]
The paragraphs are recombined from the bundled bulletin, so the text is real
Chinese prose; district names and figures are varied.
"""

import argparse
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DISTRICTS = [
    "东城",
    "西城",
    "朝阳",
    "海淀",
    "丰台",
    "石景山",
    "门头沟",
    "房山",
    "通州",
    "顺义",
    "昌平",
    "大兴",
    "怀柔",
    "平谷",
    "密云",
    "延庆",
]
SENT_END = re.compile(r"[。！？…][”’」』）)]*$")
COLUMNS = ["监管动态", "地方动态", "工作动态", "基层实践"]


def wrap(text, width, rnd, breaks, first_break=0):
    """Hard-wrap text; maybe put a column break (blank line) after a line that ends mid-sentence.

    No break comes before line first_break: right under a headline, a short piece
    cut off by a break could as well be the headline's end.
    """
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        last = i == len(lines) - 1
        if not last and breaks and i >= first_break and rnd.random() < 0.08 and not SENT_END.search(line):
            out.append("")
    return out


def vary_numbers(text, rnd):
    return re.sub(r"\d+", lambda m: str(max(1, int(int(m.group()) * rnd.uniform(0.5, 1.8)))), text)


def make_one(pool, rnd, number):
    width = rnd.randint(10, 18)
    k = rnd.randint(5, 12)
    names = rnd.sample(DISTRICTS, k)
    picked = (
        rnd.sample(pool["sections"], k)
        if k <= len(pool["sections"])
        else [rnd.choice(pool["sections"]) for _ in names]
    )
    all_paras = [p for s in pool["sections"] for p in s["paragraphs"]]
    sections = []
    for name, src in zip(names, picked):
        paras = list(src["paragraphs"])
        if rnd.random() < 0.4:
            paras.append(rnd.choice(all_paras))
        paras = [vary_numbers(p.replace(src["district"], name), rnd) for p in paras]
        sections.append(
            {"district": name, "headline": vary_numbers(src["headline"], rnd), "paragraphs": paras}
        )
    title = f"北京：{rnd.choice(['全力打好疫情防控阻击战！', '各区扎实推进联防联控', '织密基层防控网络'])}"
    doc = {"title": title, "column": rnd.choice(COLUMNS), "lead": list(pool["lead"]), "sections": sections}

    raw = [" " + doc["title"], " " + doc["column"], ""]
    for p in doc["lead"]:
        raw += wrap(p, width, rnd, breaks=False) + [""]
    for s in sections:
        raw.append(s["district"] + "：")
        head = s["headline"]
        if rnd.random() < 0.3 and len(head) > 6:
            cut = rnd.randint(max(3, len(head) - 12), len(head) - 2)  # the piece after the break stays short
            raw += [head[:cut], "", head[cut:], ""]  # headline cut by a column break
        else:
            raw += [head, ""]
        for i, p in enumerate(s["paragraphs"]):
            raw += wrap(p, width, rnd, breaks=True, first_break=2 if i == 0 else 0) + [""]
    return "\n".join(raw) + "\n", doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--expected", type=Path, default=HERE / "seed-expected.json")
    args = ap.parse_args()
    pool = json.loads(args.expected.read_text(encoding="utf-8"))
    rnd = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for n in range(args.count):
        raw, doc = make_one(pool, rnd, n)
        stem = f"bulletin-{n:05d}"
        (args.out / f"{stem}.txt").write_text(raw, encoding="utf-8")
        (args.out / f"{stem}.expected.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    print(f"wrote {args.count} bulletins to {args.out}")


if __name__ == "__main__":
    main()
