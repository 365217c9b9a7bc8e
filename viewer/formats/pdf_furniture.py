"""Page furniture of a PDF: running headers and footers, page numbers.

One job: among the fragments near the top and bottom of each page, find the ones that are
not the document's text — a lone page number (``3``, ``- 3 -``, ``第 3 页``, ``共 9 页``,
``3/9``), or a text that comes back on other pages at about the same height (allowing a
changing page number) — so the reader drops them and records them as removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from viewer.formats.pdf_lines import Frag

#: The share of the page height at its top and bottom where furniture stands.
_ZONE = 0.1
#: How far (share of page height) a repeated header may move from page to page.
_DRIFT = 0.02

_PAGE_NUMBER = re.compile(
    r"^(?:"
    r"[-—–－~·•]?\s*\d{1,4}\s*[-—–－~·•]?"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页(?:\s*[，,/]?\s*第\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
    r")$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _signature(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub("", text))


def find_furniture(pages: Sequence[Sequence[Frag]], heights: Sequence[float]) -> list[set[int]]:
    """For each page, the indexes of its fragments that are furniture."""
    found: list[set[int]] = [set() for _ in pages]
    seen: dict[tuple[str, str], list[tuple[int, int, float]]] = {}
    for p, (frags, height) in enumerate(zip(pages, heights, strict=True)):
        for i, frag in enumerate(frags):
            if frag.bottom <= height * _ZONE:
                zone = "top"
            elif frag.top >= height * (1 - _ZONE):
                zone = "bottom"
            else:
                continue
            if is_page_number(frag.text):
                found[p].add(i)
            else:
                seen.setdefault((zone, _signature(frag.text)), []).append((p, i, frag.top / height))
    need = max(2, round(0.3 * len(pages)))
    for hits in seen.values():
        if len({p for p, _i, _y in hits}) < need:
            continue
        middle = median(y for _p, _i, y in hits)
        steady = [(p, i) for p, i, y in hits if abs(y - middle) <= _DRIFT]
        if len({p for p, _i in steady}) >= need:
            for p, i in steady:
                found[p].add(i)
    return found
