"""Web page main-text extraction: this project's lxml rules against trafilatura, on the
generated government-site pages (tests/corpus/make_documents.py), and read times of every
format. By hand: ``python tests/bench/bench_formats.py [COUNT]`` (trafilatura is measured
when it is importable; it is not a dependency of the project).

Figures per template: paragraphs back whole (each expected line found as one output line,
or inside one when the extractor joins lines), furniture leaked (FURNITURE words in the
output), title kept, heading levels kept, median time per page.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.corpus import make_documents as docs
from viewer.formats import docx, html, markdown
from viewer.formats.repair import repair_line


def _ours(data: bytes) -> tuple[list[str], dict[str, int]]:
    extracted = html.read(data)
    return [line.text for line in extracted.lines], {line.text: line.heading for line in extracted.lines}


def _trafilatura(data: bytes) -> tuple[list[str], dict[str, int]]:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(data, output_format="xml", include_tables=True, include_formatting=True,
                              favor_recall=True)  # fmt: skip
    if not xml:
        return [], {}
    root = etree.fromstring(xml.encode("utf-8"))
    lines, headings = [], {}
    for element in root.iter("head", "p", "row", "item"):
        if element.tag == "row":
            text = " | ".join(" ".join("".join(cell.itertext()).split()) for cell in element)
        else:
            text = " ".join("".join(element.itertext()).split())
        text = repair_line(text)
        if text:
            lines.append(text)
            if element.tag == "head":
                headings[text] = int((element.get("rend") or "h1")[1:] or 1)
    return lines, headings


def _score(
    lines: list[str], headings: dict[str, int], doc: dict, template: str
) -> tuple[int, int, int, int, int]:
    expected = docs.expected_lines(doc, "html", template)
    whole = sum(1 for text, *_ in expected if repair_line(text) in lines)
    inside = sum(1 for text, *_ in expected if any(repair_line(text) in line for line in lines))
    leaked = sum(1 for word in docs.FURNITURE if any(word in line for line in lines))
    title = int(any(doc["title"] in line for line in lines))
    levels = sum(1 for text, level, *_ in expected if level and headings.get(repair_line(text)) == level)
    return whole, inside, leaked, title, levels


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 10
    extractors = {"lxml rules (ours)": _ours}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura"] = _trafilatura
    except ImportError:
        print("trafilatura not installed: measuring ours only")
    documents = [docs.SAMPLE] + [docs.random_document(seed) for seed in range(count - 1)]
    for name, extract in extractors.items():
        print(f"\n{name}")
        print(
            f"{'template':14} {'whole':>9} {'inside':>9} {'leaked':>7} {'title':>6} "
            f"{'levels':>9} {'ms/page':>8}"
        )
        for template in docs.TEMPLATES:
            totals = [0, 0, 0, 0, 0]
            expected_total = levels_total = 0
            times = []
            for doc in documents:
                data = docs.render_html(doc, template)
                start = time.perf_counter()
                lines, headings = extract(data)
                times.append(time.perf_counter() - start)
                for n, value in enumerate(_score(lines, headings, doc, template)):
                    totals[n] += value
                expected = docs.expected_lines(doc, "html", template)
                expected_total += len(expected)
                levels_total += sum(1 for _t, level, *_ in expected if level)
            print(
                f"{template:14} {totals[0]:>4}/{expected_total:<4} {totals[1]:>4}/{expected_total:<4} "
                f"{totals[2]:>7} {totals[3]:>3}/{len(documents):<2} {totals[4]:>4}/{levels_total:<4} "
                f"{statistics.median(times) * 1000:>8.1f}"
            )
    print("\nread times, median of", len(documents), "documents")
    for name, render, reader in (
        ("docx", lambda d: docs.render_docx(d, numbered=True), docx.read),
        ("md", docs.render_md, markdown.read),
        ("html (trs)", lambda d: docs.render_html(d, "trs"), html.read),
    ):
        times = []
        for doc in documents:
            data = render(doc)
            start = time.perf_counter()
            reader(data)
            times.append(time.perf_counter() - start)
        print(f"{name:12} {statistics.median(times) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
