"""Write ``resources/segmenter/words.txt`` from jieba's dictionary (a maintainer's tool).

The query segmenter (``viewer/search/segmenter.py``) runs rjieba's own algorithm with only
the dictionary words that occur in the query, read from this file, instead of loading
rjieba's whole built-in dictionary (a tenth of a second and 34 MB in every process).
rjieba's built-in dictionary is jieba's ``dict.txt`` (MIT licence), so the file is made
from that: every word with its frequency, one per line, sorted by code point so that a
reader can binary-search it in place. The first line records the dictionary's total
frequency (the sum over all its lines, as rjieba adds it up), which the segmenter needs
for the same word probabilities as the full dictionary.

    pip download --no-deps jieba==0.42.1 && tar xzf jieba-0.42.1.tar.gz
    python packaging/make_segmenter_words.py jieba-0.42.1/jieba/dict.txt

``tests/unit/test_segmenter.py`` checks the result against rjieba itself.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "segmenter" / "words.txt"


def build(dict_txt: Path) -> tuple[str, int, int]:
    raw = dict_txt.read_bytes()
    freq: dict[str, int] = {}
    total = 0
    for number, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        fields = line.split(" ")
        if len(fields) < 2 or not fields[1].isdigit():
            raise SystemExit(f"{dict_txt}:{number}: not 'word frequency [tag]': {line!r}")
        freq[fields[0]] = int(fields[1])  # a word listed twice keeps its last frequency
        total += int(fields[1])
    source = hashlib.sha256(raw).hexdigest()
    header = f"# jieba dict.txt sha256 {source}; word frequency, sorted; total {total}\n"
    body = "".join(f"{word} {freq[word]}\n" for word in sorted(freq))
    return header + body, len(freq), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dict_txt", type=Path, help="jieba's dict.txt")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text, words, total = build(args.dict_txt)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"{args.out}: {words} words, total frequency {total}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
