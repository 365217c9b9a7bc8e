"""Lines → paragraphs, by the paragraph convention each document follows.

The convention is measured per document, never assumed:

- **format-stated**: the reader knows where paragraphs start (``Line.starts_paragraph``:
  Word, web pages, Markdown, a PDF's geometry);
- **hard-wrapped at a fixed width** (the lines of a paragraph reach about the same width;
  a line well short of it after 。！？ ends its paragraph), with or without blank lines
  between paragraphs; in blank-separated text a blank line after text that does not end a
  sentence is a column break inside the paragraph (the bundled bulletin's layout);
- **indentation-started** (``　　``, spaces or a tab start a paragraph; its wrapped lines are
  not indented);
- **one paragraph a line** (web and database text), where a line broken by a link inside
  a sentence ("所作的" / "政府工作报告" / "。会议…") is joined again.

Whatever the convention, a heading, a region label, a date, a document number, an
addressee or a closing formula stands alone: it ends the paragraph before it.
"""

from __future__ import annotations

import functools
import itertools
import statistics
from dataclasses import dataclass

from viewer.model import official
from viewer.model.lines import Line


def display_width(text: str) -> float:
    """Width in CJK character cells: ASCII counts half."""
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))


def ends_sentence(text: str) -> bool:
    return bool(official.SENTENCE_END.search(text))


@functools.lru_cache(maxsize=8192)  # asked of each line as the end and as the start of a pair
def stands_alone(text: str) -> bool:
    """A line that is a part of its own, never a piece of a paragraph."""
    return bool(
        official.standalone_heading(text)
        or official.LABEL.match(text)
        or official.is_date_line(text)
        or official.is_number_line(text)
        or official.is_addressee(text)
        or official.is_closing_formula(text)
        or official.is_attachment(text)
        or official.metadata(text)
        or official.adoption_note(text)
        or official.is_chrome(text)
    )


@dataclass(frozen=True)
class Shape:
    """What a document's lines say about its paragraph convention."""

    #: The width hard-wrapped lines reach (display cells), None when lines are not wrapped.
    width: float | None = None
    #: Blank lines separate the document's paragraphs (at least three runs of lines).
    blank_separated: bool = False
    #: Paragraphs start with an indented line; their other lines are not indented.
    indent_starts: bool = False
    #: The reader stated where paragraphs start.
    stated: bool = False

    @property
    def column_breaks(self) -> bool:
        """Blank-separated wrapped text: a blank line inside a sentence is a column break."""
        return self.width is not None and self.blank_separated

    @property
    def tolerance(self) -> float:
        return max(1.5, 0.08 * (self.width or 0))


def runs(lines: list[Line]) -> list[list[Line]]:
    """Runs of non-blank lines, split at blank lines."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def measure(lines: list[Line]) -> Shape:
    """The convention of ``lines`` (see the module docstring)."""
    if any(line.starts_paragraph is not None for line in lines):
        return Shape(stated=True)
    found = runs(lines)
    inner = [line for run in found for line in run[:-1]]  # lines followed by another line
    # Wrapped lines end mid-sentence and reach about the same width; one-paragraph-a-line
    # text ends its lines with punctuation, at every width.
    open_lines = [
        line
        for line in inner
        if not ends_sentence(line.text)
        and not line.text.endswith(("：", ":"))
        and not stands_alone(line.text)
    ]
    width = None
    if len(open_lines) >= 4:
        widths = [_reach(line) for line in open_lines]
        top = statistics.median_high(widths)
        tol = max(1.5, 0.08 * top)
        near = sum(1 for w in widths if abs(w - top) <= tol)
        if near >= 0.6 * len(widths) and 8 <= top <= 120:
            width = top
    indented = [line for run in found for line in run if line.indent >= 1]
    flat = [line for run in found for line in run if line.indent < 1]
    indent_starts = False
    if len(indented) >= 2 and len(flat) >= 2:
        # An indented line followed, in the same run, by a flat line it wraps into.
        indent_starts = any(
            a.indent >= 1 and b.indent < 1 and not ends_sentence(a.text)
            for run in found
            for a, b in itertools.pairwise(run)
        )
    return Shape(width=width, blank_separated=len(found) >= 3, indent_starts=indent_starts)


def _reach(line: Line) -> float:
    """How far the line reaches from the left margin, in display cells (indent included)."""
    return line.indent + display_width(line.text)


def _short(line: Line, shape: Shape) -> bool:
    """The line stops well short of the width its paragraph's lines reach."""
    if line.fill is not None:
        return line.fill < 0.9
    if shape.width is None:
        return True
    return _reach(line) < shape.width - shape.tolerance


def continues(a: Line, b: Line, after_b: Line | None, blank_between: bool, shape: Shape) -> bool:
    """Does ``b`` continue the paragraph whose last line so far is ``a``?"""
    if a.table or b.table:
        return False
    if b.starts_paragraph is not None and shape.stated:
        return not b.starts_paragraph
    if stands_alone(a.text) or stands_alone(b.text):
        return False
    if blank_between:
        return shape.column_breaks and not ends_sentence(a.text) and not a.text.endswith(("：", ":"))
    if b.text[0] in official.CONTINUING or a.text[-1] in official.OPENING:
        return True
    sentence_done = ends_sentence(a.text) or a.text.endswith(("：", ":"))
    if shape.width is not None and not sentence_done and _short(a, shape):
        return False  # a wrap never leaves a short line inside a sentence: a title, a heading
    if shape.indent_starts:
        if b.indent >= 1:
            return False
        return not (sentence_done and _short(a, shape))
    if shape.width is not None:
        return not (sentence_done and _short(a, shape))
    if shape.blank_separated:
        # Runs of lines between blank lines are paragraphs: their lines were wrapped.
        return not sentence_done
    # One paragraph a line: a line continues only where its sentence plainly goes on.
    if a.text.endswith(("，", ",", "、")):
        return True
    if a.text[-1].isascii() and a.text[-1].isalpha() and b.text[0].islower():
        return True  # English wrapped mid-sentence
    # A link broke the sentence: "…所作的" / "政府工作报告" / "。会议…".
    return (
        not sentence_done
        and after_b is not None
        and display_width(b.text) <= 25
        and not ends_sentence(b.text)
        and after_b.text[0] in official.CONTINUING
    )


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group ``lines`` into paragraphs (each a list of its lines, in order)."""
    shape = measure(lines)
    texts = [i for i, line in enumerate(lines) if line.text]
    out: list[list[Line]] = []
    current: list[Line] = []
    for n, i in enumerate(texts):
        line = lines[i]
        after = lines[texts[n + 1]] if n + 1 < len(texts) else None
        blank_between = n > 0 and texts[n - 1] != i - 1
        if current and continues(current[-1], line, after, blank_between, shape):
            current.append(line)
        else:
            if current:
                out.append(current)
            current = [line]
    if current:
        out.append(current)
    return out
