"""Lines of a document in reading order: what every format hands the structure parser.

A format reader (``viewer.formats``: PDF, Word, web page, Markdown, plain text) turns a
file into a list of :class:`Line` in reading order, with what its layout knows about
each line. The structure parser (``viewer.model.parser``) turns lines into title,
metadata, sections and paragraphs and never knows which format they came from.

What a reader does not know stays at its default (``None`` / ``0`` / ``False``), and the
parser falls back to the text itself (blank lines, indentation, punctuation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Widths of leading whitespace, in CJK character widths.
_INDENT_WIDTH = {"\u3000": 1.0, " ": 0.5, "\u00a0": 0.5, "\t": 2.0}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document, in reading order.

    ``text`` is the line without its leading indentation and trailing whitespace;
    ``""`` is a blank line (plain text keeps them: they separate paragraphs there).
    """

    text: str
    #: Leading indentation in CJK character widths (full-width space 1, space 0.5, tab 2;
    #: in a PDF, the distance from the column's left edge divided by the font size).
    indent: float = 0.0
    #: True when the format knows a paragraph starts on this line (a PDF's first-line
    #: indent after a short line, a Word or HTML paragraph, a Markdown block), False when
    #: it knows the line continues the paragraph before it (a hard wrap, a paragraph
    #: going on across a column or page break); None when it cannot tell.
    starts_paragraph: bool | None = None
    #: A heading level the format states (Word "Heading 2", <h2>, "## "): 1 = top; 0 = none.
    heading: int = 0
    #: The whole line is set in bold (Word run, <b>/<strong>, Markdown **…**, a PDF bold font).
    bold: bool = False
    #: Font size in points, when known.
    size: float | None = None
    #: How far the line reaches across its column, 0..1 (1 = to the right edge), when known:
    #: a line well short of the edge after 。！？ ends its paragraph.
    fill: float | None = None
    #: A table row, cells joined by " | " (never mixed with body text).
    table: bool = False
    #: 0-based page, column on that page, and the line's box in points from the page's
    #: top left (x0, y0, x1, y1), when the format has pages.
    page: int = 0
    column: int = 0
    box: tuple[float, float, float, float] | None = None


def indent_of(raw: str) -> float:
    """The width of ``raw``'s leading whitespace, in CJK character widths."""
    width = 0.0
    for ch in raw:
        step = _INDENT_WIDTH.get(ch)
        if step is None:
            break
        width += step
    return width


def lines_from_text(text: str, repair: Callable[[str], str] | None = None) -> list[Line]:
    """Plain text as lines: indentation measured, blank lines kept as ``Line("")``; each
    line's characters passed through ``repair`` when given (ASCII lines need none).

    ``text`` has "\\n" newlines (``decode_text`` gives that).
    """
    out: list[Line] = []
    blank = Line("")
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped and repair is not None and not stripped.isascii():
            stripped = repair(stripped)
        out.append(Line(stripped, indent=indent_of(raw) if raw[:1].isspace() else 0.0) if stripped else blank)
    return out
