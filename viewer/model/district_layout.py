"""The district-bulletin layout: text extracted from a two-column PDF (the bundled one).

A title line, a column label, a lead, then sections that start with a district label
line ("东城：") directly followed by a headline; paragraphs are hard-wrapped and separated
by blank lines, but a blank line that follows text which does not end a sentence is a
column break inside a paragraph (or inside a headline), not a paragraph end.
"""

from __future__ import annotations

from viewer.model.lines import Line
from viewer.model.official import LABEL
from viewer.model.paragraphs import ends_sentence, runs
from viewer.model.structure import Item

#: A piece of headline cut off by a column break is one short line.
_HEADLINE_TAIL_MAX = 16
#: A column label is a short line right under the title.
_COLUMN_MAX = 12


def applies(lines: list[Line]) -> bool:
    """Blank-separated text with district label lines ("东城：") of their own."""
    labels = sum(1 for line in lines if LABEL.match(line.text))
    return labels >= 2 and any(not line.text for line in lines)


class _Builder:
    """Accumulates items; remembers whether the last paragraph was cut by a column break."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self._open = False

    def start_section(self, district: str, label: str, headline_lines: list[str]) -> None:
        self.items.append(Item(lines=[], label=(district, label), headline_lines=list(headline_lines)))
        self._open = False

    def add_text(self, lines: list[str]) -> None:
        last = self.items[-1] if self.items else None
        if self._open and last is not None and last.label is None:
            last.lines.extend(lines)
        else:
            self.items.append(Item(lines=list(lines)))
        self._open = not ends_sentence(lines[-1])


def _is_headline_tail(chunks: list[list[str]], i: int) -> bool:
    """Is chunk i the piece of a headline that a column break cut off?"""
    chunk = chunks[i]
    if len(chunk) != 1 or len(chunk[0]) > _HEADLINE_TAIL_MAX or ends_sentence(chunk[0]):
        return False
    # More text must follow in the same section: a lone last line is a paragraph.
    return i + 1 < len(chunks) and not LABEL.match(chunks[i + 1][0])


def read(lines: list[Line]) -> tuple[str, str, list[Item]]:
    """(title, column, items) of a district bulletin."""
    chunks = [[line.text for line in run] for run in runs(lines)]
    first = chunks[0]
    title = first[0]
    column = ""
    rest_of_first = first[1:]
    if (
        len(first) == 2
        and len(first[1]) <= _COLUMN_MAX
        and not ends_sentence(first[1])
        and not LABEL.match(first[1])
        and not any(ch in first[1] for ch in "，,。；;")
    ):
        column, rest_of_first = first[1], []

    body = ([rest_of_first] if rest_of_first else []) + chunks[1:]
    builder = _Builder()
    headline_may_continue = False
    i = 0
    while i < len(body):
        chunk = body[i]
        label = LABEL.match(chunk[0])
        # A label line starts a section when its headline follows in the same run of
        # lines; alone in its run it does too, unless it is the end of a paragraph
        # cut by a column break ("做到：").
        if label and (len(chunk) > 1 or (not builder._open and i + 1 < len(body))):
            headline = chunk[1:]
            if not headline:
                i += 1
                headline = list(body[i])
            builder.start_section(label.group(1), chunk[0], headline)
            headline_may_continue = not ends_sentence(headline[-1])
            i += 1
            continue
        if headline_may_continue and _is_headline_tail(body, i):
            builder.items[-1].headline_lines.extend(chunk)
        else:
            builder.add_text(chunk)
        headline_may_continue = False
        i += 1
    return title, column, builder.items
