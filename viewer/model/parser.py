"""Recover a bulletin's structure from text extracted from a two-column PDF.

The layout (see shared/corpus/): a title line, a column label, a lead, then
sections that start with a district label line ("东城：") directly followed by a
headline; paragraphs are hard-wrapped and separated by blank lines, but a blank
line that follows text which does not end a sentence is a column break inside a
paragraph (or inside a headline), not a paragraph end.

Everything here is a pure function of the text: no I/O.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata

from viewer.model.decoding import decode_text
from viewer.model.errors import ParseError
from viewer.model.types import Bulletin, Paragraph, Section

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
#: A sentence ends with 。！？… (ASCII !? too), optionally followed by closing quotes/brackets.
SENTENCE_END = re.compile(r"[。！？…!?][”’」』）)\]】》\"']*$")
#: A district label line: 2–4 CJK characters and a colon ("东城：", "石景山区：").
LABEL = re.compile(rf"^([{_CJK}]{{2,4}})[：:]$")
#: Whitespace that a PDF extraction left where none belongs: next to CJK punctuation,
#: or between two CJK characters.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK_PUNCT}])\s+|\s+(?=[{_CJK_PUNCT}])|(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
#: A wrapped line of space-separated Latin text: its wrap stands for a space.
_LATIN_WORDS = re.compile(r"[A-Za-z][\w,.;:!?'\"()-]*\s+[A-Za-z]")
#: A piece of headline cut off by a column break is one short line.
_HEADLINE_TAIL_MAX = 16
#: Bump when parsing changes: stored parses of imported bulletins are then redone.
PARSER_VERSION = 1
#: A column label is a short line right under the title.
_COLUMN_MAX = 12


def content_id(bulletin_text_pieces: list[str]) -> str:
    """A stable id from the bulletin's content: whitespace and Unicode form do not count.

    The same bulletin imported again, in another encoding or with other line
    breaks, gets the same id.
    """
    joined = "".join(_SPACES.sub("", unicodedata.normalize("NFC", p)) for p in bulletin_text_pieces)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no space, except inside space-separated Latin text."""
    out = lines[0]
    for prev, line in itertools.pairwise(lines):
        if (
            _LATIN_WORDS.search(prev)
            and prev[-1].isascii()
            and (prev[-1].isalnum() or prev[-1] in ",.;:!?")
            and line[0].isascii()
            and line[0].isalnum()
        ):
            out += " "
        out += line
    return out


def _clean_paragraph(text: str) -> str:
    text = _STRAY_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _clean_headline(text: str) -> str:
    # The space inside a headline ("资源优势 助力疫情防控") is deliberate: keep one.
    return _SPACES.sub(" ", text).strip()


def _chunks(text: str) -> list[list[str]]:
    """Runs of non-blank lines (stripped of indentation), split at blank lines."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


class _Builder:
    """Accumulates paragraphs for the lead and for each section."""

    def __init__(self) -> None:
        self.lead: list[str] = []
        self.sections: list[dict] = []
        self._open = False  # the last paragraph was cut by a column break

    @property
    def _paragraphs(self) -> list[str]:
        return self.sections[-1]["paragraphs"] if self.sections else self.lead

    def start_section(self, district: str, label: str, headline_lines: list[str]) -> None:
        self.sections.append(
            {"district": district, "label": label, "headline": headline_lines, "paragraphs": []}
        )
        self._open = False

    def add_text(self, lines: list[str]) -> None:
        paragraphs = self._paragraphs
        if self._open and paragraphs:
            paragraphs[-1].extend(lines)
        else:
            paragraphs.append(list(lines))
        self._open = not _ends_sentence(lines[-1])


def _is_headline_tail(chunks: list[list[str]], i: int) -> bool:
    """Is chunk i the piece of a headline that a column break cut off?"""
    chunk = chunks[i]
    if len(chunk) != 1 or len(chunk[0]) > _HEADLINE_TAIL_MAX or _ends_sentence(chunk[0]):
        return False
    # More text must follow in the same section: a lone last line is a paragraph.
    return i + 1 < len(chunks) and not LABEL.match(chunks[i + 1][0])


def parse_text(text: str) -> Bulletin:
    """Parse decoded text into a Bulletin. Never raises for non-blank text."""
    chunks = _chunks(text)
    if not chunks:
        raise ParseError("the file holds only blank lines")

    first = chunks[0]
    title = first[0]
    column = ""
    rest_of_first = first[1:]
    if (
        len(first) == 2
        and len(first[1]) <= _COLUMN_MAX
        and not _ends_sentence(first[1])
        and not LABEL.match(first[1])
        and not re.search(r"[，,。；;]", first[1])
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
            headline_may_continue = not _ends_sentence(headline[-1])
            i += 1
            continue
        if headline_may_continue and _is_headline_tail(body, i):
            builder.sections[-1]["headline"].extend(chunk)
        else:
            builder.add_text(chunk)
        headline_may_continue = False
        i += 1

    lead = [_clean_paragraph(_join_lines(p)) for p in builder.lead]
    sections = []
    for sec in builder.sections:
        sections.append(
            Section(
                district=sec["district"],
                label=sec["label"],
                headline=_clean_headline("".join(sec["headline"])),
                paragraphs=tuple(
                    Paragraph(n, _clean_paragraph(_join_lines(p))) for n, p in enumerate(sec["paragraphs"])
                ),
            )
        )
    pieces = [title, column, *lead]
    for sec in sections:
        pieces += [sec.label, sec.headline, *(p.text for p in sec.paragraphs)]
    return Bulletin(
        id=content_id(pieces),
        title=title,
        column=column,
        lead=tuple(Paragraph(n, t) for n, t in enumerate(lead)),
        sections=tuple(sections),
    )


def parse_bytes(data: bytes) -> Bulletin:
    """Decode and parse the bytes of a published bulletin (raises ParseError)."""
    text, _encoding = decode_text(data)
    return parse_text(text)
