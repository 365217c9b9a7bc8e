"""WordprocessingML names and property values, shared by the Word (.docx) modules.

One job: the XML namespaces of a Word package's parts (``W``, ``MC``, ``M``) and the
readers of the property values the styles, numbering and body modules all look at: a
toggle (``<w:b/>``), a whole number, an outline level, a paragraph's numbering reference.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
#: The values of an on/off attribute that mean on.
TRUE = {"1", "true", "on"}


def is_on(element: Any | None) -> bool | None:
    """A toggle property (<w:b/>, <w:b w:val="0"/>) as True/False; None when absent."""
    if element is None:
        return None
    return element.get(f"{W}val", "true").lower() in TRUE


def to_int(value: str | None, default: int | None = None) -> int | None:
    """An attribute's whole number; ``default`` when it is absent or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def outline_level(ppr: Any) -> int | None:
    """The 0-based outline level (9 = body text) paragraph properties state; None when absent."""
    outline_el = ppr.find(f"{W}outlineLvl")
    return to_int(outline_el.get(f"{W}val")) if outline_el is not None else None


def num_pr(num_pr: Any | None) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a <w:numPr>; None for what it does not state."""
    if num_pr is None:
        return None, None
    num_el = num_pr.find(f"{W}numId")
    lvl_el = num_pr.find(f"{W}ilvl")
    num_id = num_el.get(f"{W}val") if num_el is not None else None
    return num_id, to_int(lvl_el.get(f"{W}val")) if lvl_el is not None else None
