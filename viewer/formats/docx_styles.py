"""Word (.docx) styles: what a paragraph or character style makes of its text.

One job: read the styles part (paragraph and character styles by id, the document
defaults) and resolve through each style's ``basedOn`` chain the heading level it states
(by name, "Heading 2" / "标题 2" / "Title", else by outline level), whether it is bold, and
the automatic numbering it carries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from viewer.formats.docx_xml import TRUE, W, is_on, num_pr, outline_level

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}


def outline_heading(outline: int) -> int:
    """The heading level of a 0-based outline level: 0 for body text (level 9)."""
    return outline + 1 if outline < 9 else 0


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    outline: int | None  # 0-based outline level (9 = body text)
    num_id: str | None
    num_level: int | None


class Styles:
    """Paragraph and character styles by id, resolved through their ``basedOn`` chain."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_bold = False
        root = document.styles.element
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        if defaults is not None:
            self.default_bold = bool(is_on(defaults.find(f"{W}b")))
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            name_el = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            ppr = style.find(f"{W}pPr")
            rpr = style.find(f"{W}rPr")
            outline = num_id = num_level = None
            if ppr is not None:
                outline = outline_level(ppr)
                num_id, num_level = num_pr(ppr.find(f"{W}numPr"))
            self._styles[style_id] = _Style(
                name=(name_el.get(f"{W}val", "") if name_el is not None else "").strip(),
                based_on=based.get(f"{W}val") if based is not None else None,
                bold=is_on(rpr.find(f"{W}b")) if rpr is not None else None,
                outline=outline,
                num_id=num_id,
                num_level=num_level,
            )
            if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in TRUE:
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style_id, style
            style_id = style.based_on

    def heading(self, style_id: str | None) -> int:
        """The heading level a paragraph style states (by name, else by outline level)."""
        for _sid, style in self.chain(style_id):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if style.name.lower() in _TITLE_NAMES:
                return 1
        for _sid, style in self.chain(style_id):
            if style.outline is not None:
                return outline_heading(style.outline)
        return 0

    def bold(self, style_id: str | None) -> bool | None:
        for _sid, style in self.chain(style_id):
            if style.bold is not None:
                return style.bold
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style that carries them) from the style chain."""
        for sid, style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.num_level, sid
        return None, None, None
