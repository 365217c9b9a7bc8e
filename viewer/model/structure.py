"""Paragraphs → the parts of a document: title, number, issuer, date, lead, sections
(districts or headings with their levels), closing.

Input is a list of :class:`Item` (a paragraph with what its format said of it, or a
district label with its headline from the district-bulletin layout); output is the
fields of a ``Bulletin``. Pure functions; see ``viewer.model.official`` for what each
part looks like.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from viewer.model import official
from viewer.model.types import Paragraph, Section

_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Whitespace that a PDF extraction left where none belongs: next to CJK punctuation,
#: or between two CJK characters.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK_PUNCT}])\s+|\s+(?=[{_CJK_PUNCT}])|(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
#: A wrapped line of space-separated Latin text: its wrap stands for a space.
_LATIN_WORDS = re.compile(r"[A-Za-z][\w,.;:!?'\"()-]*\s+[A-Za-z]")
#: A title that goes on over a second line is joined to it when both are short.
_TITLE_PIECE_MAX = 40


def join_lines(lines: list[str]) -> str:
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


#: An article's number and its text are set apart by a space: "第一条　为了…".
_ARTICLE = re.compile(r"^(第[〇零一二两三四五六七八九十百千\d]+条)\s+")


def clean_paragraph(text: str) -> str:
    article = _ARTICLE.match(text)
    if article:
        return article.group(1) + " " + clean_paragraph(text[article.end() :])
    text = _STRAY_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_headline(text: str) -> str:
    # The space inside a headline ("资源优势 助力疫情防控") is deliberate: keep one.
    return _SPACES.sub(" ", text).strip()


@dataclass
class Item:
    """A paragraph (its lines) with what the format said of it; or a district label."""

    lines: list[str]
    heading: int = 0  # a heading level the format stated
    bold: bool = False
    table: bool = False
    label: tuple[str, str] | None = None  # (district, label line as printed)
    headline_lines: list[str] = field(default_factory=list)
    size: float | None = None  # the largest font size of its lines, when the format knows
    page: int = 0

    @cached_property  # asked many times over; an item's lines are complete before it is
    def text(self) -> str:
        if not self.lines:
            return ""
        if self.table:
            return clean_headline(" ".join(self.lines))
        return clean_paragraph(join_lines(self.lines))


@dataclass
class Parts:
    """The fields of a Bulletin, as the structure parser found them."""

    title: str = ""
    column: str = ""
    date: str = ""
    number: str = ""
    issuer: str = ""
    lead: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    meta_lines: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class _Found:
    """Candidates for the metadata, by how much each source is to be believed."""

    titles: list[tuple[int, str]] = field(default_factory=list)  # (priority, title)
    dates: list[tuple[int, str]] = field(default_factory=list)  # (priority, ISO date)
    issuers: list[tuple[int, str]] = field(default_factory=list)
    numbers: list[tuple[int, str]] = field(default_factory=list)

    @staticmethod
    def best(candidates: list[tuple[int, str]]) -> str:
        return min(candidates, key=lambda c: c[0])[1] if candidates else ""


# Priorities: lower wins.
_P_CLOSING, _P_SIGNED, _P_HEADER, _P_META, _P_SITE, _P_TEXT = range(6)


def _read_metadata(text: str, found: _Found) -> bool:
    """A "key: value" line of a site's metadata: note what it says; True if it was one."""
    meta = official.metadata(text)
    if meta is None:
        return False
    key, value = meta
    if key in official.META_TITLE and value:
        found.titles.append((_P_META, value))
    elif key in official.META_ISSUER:
        found.issuers.append((_P_META if key in ("发文机关", "制发机关", "发文单位") else _P_SITE, value))
    elif key in official.META_DATE and official.find_date(value):
        priority = _P_META if key in ("成文日期", "印发日期", "发文日期", "签发日期") else _P_SITE
        found.dates.append((priority, official.find_date(value)))
    elif key in official.META_NUMBER and value:
        found.numbers.append((_P_META, value))
    return True


def _head(items: list[Item], parts: Parts, found: _Found, has_title: bool) -> int:
    """Read the head (banner, number, metadata, title, 题注); return where the body starts."""
    i = 0
    title_at = -1 if not has_title else 0
    while i < len(items):
        item = items[i]
        text = item.text
        if item.label is not None or item.table:
            break
        if official.is_chrome(text):
            parts.removed.append(text)
        elif _read_metadata(text, found):
            parts.meta_lines.append(text)
        elif official.is_number_line(text):
            found.numbers.append((_P_HEADER, text))
            parts.meta_lines.append(text)
        elif note := official.adoption_note(text):
            found.dates.append((_P_HEADER, note[0]))
            if note[1]:
                found.issuers.append((_P_META, note[1]))
            parts.meta_lines.append(text)
        elif title_at < 0 and official.is_banner(text):
            found.issuers.append((_P_META, text.removesuffix("文件").strip()))
            parts.meta_lines.append(text)
        elif official.is_date_line(text):  # a date line above or under the title
            found.dates.append((_P_META, official.find_date(text)))
            parts.meta_lines.append(text)
        elif title_at < 0 and _title_like(item):
            parts.title = text
            title_at = i
        elif title_at == i - 1 and title_at >= 0 and not has_title and _continues_title(parts.title, item):
            parts.title += text
            title_at = i
        else:
            break
        i += 1
    return i


def _title_like(item: Item) -> bool:
    text = item.text
    return (
        official.looks_like_title(text)
        and not official.standalone_heading(text)
        and not official.is_addressee(text)
        and not official.is_closing_formula(text)
    )


def _continues_title(title: str, item: Item) -> bool:
    """A title set over two lines: "关于印发《…》" / "的通知"."""
    text = item.text
    if item.heading or official.ends_like_document_kind(title):
        return False
    return (
        len(title) <= _TITLE_PIECE_MAX
        and len(text) <= _TITLE_PIECE_MAX
        and _title_like(item)
        and not official.SENTENCE_END.search(title)
        and (official.ends_like_document_kind(text) or text[0] in "的之与和及")
    )


def _closing_start(texts: list[str]) -> int:
    """Index where the closing starts (len(texts) when there is none)."""
    n = len(texts)
    # An attachment list runs to the end: "附件：1. …" then its numbered items.
    attach = next((k for k in range(n) if official.is_attachment(texts[k])), None)
    end = attach if attach is not None and all(len(t) <= 80 for t in texts[attach:]) else n
    j = end
    strong = end < n
    while j > 0:
        text = texts[j - 1]
        if (
            official.is_date_line(text)
            or official.is_closing_note(text)
            or official.is_attachment(text)
            or official.is_closing_formula(text)
        ):
            strong = True
        elif not official.is_signature(text):
            break
        j -= 1
    return j if strong else end


def _closing_metadata(closing: list[str], found: _Found) -> None:
    signatures = [t for t in closing if official.is_signature(t)]
    if signatures:
        found.issuers.append((_P_CLOSING, "、".join(signatures)))
    for text in closing:
        if official.is_date_line(text):
            found.dates.append((_P_CLOSING, official.find_date(text)))
            break


def _signed_in_body(texts: list[str], found: _Found) -> None:
    """A signature and a date inside the body (a notice that forwards a plan): the first
    such pair signs the document."""
    for prev, text in itertools.pairwise(texts):
        if official.is_date_line(text) and official.is_signature(prev):
            found.issuers.append((_P_SIGNED, prev))
            found.dates.append((_P_SIGNED, official.find_date(text)))
            return


_HEADING_RANK = {kind: 10 + n for n, kind in enumerate(official.HEADING_KINDS)}
_BOLD_RANK = 9  # a bold line standing alone: above the enumerated headings


def _heading_rank(item: Item, all_bold: bool) -> int | None:
    """The rank of a heading (lower is higher up), or None for a paragraph."""
    text = item.text
    kind = official.standalone_heading(text)
    if kind:
        return _HEADING_RANK[kind]
    if item.heading:
        return item.heading  # 1..9: a heading the format states, above any enumerated one
    if (
        item.bold
        and not all_bold
        and official.looks_like_title(text)
        and len(text) <= 40
        and official.has_words(text)
        and not official.is_caption(text)
    ):
        return _BOLD_RANK
    return None


#: A title set in type this much larger than the body text is the title, wherever it
#: stands on the first pages (after a journal's cover sheet, say).
_TITLE_SIZE = 1.3
_TITLE_PAGES = 2


def _set_in_large_type(items: list[Item]) -> int | None:
    """The item printed as the document's title: the largest type on the first pages,
    well above the body's size; None when the format knows no sizes."""
    sizes = sorted(item.size for item in items if item.size)
    if not sizes:
        return None
    body = sizes[len(sizes) // 2]
    best: int | None = None
    for i, item in enumerate(items):
        if item.page >= _TITLE_PAGES or not item.size or item.size < body * _TITLE_SIZE or item.table:
            continue
        if not (official.looks_like_title(item.text) and official.has_words(item.text)):
            continue
        if best is None or item.size > (items[best].size or 0):
            best = i
    return best


def build(items: list[Item], *, title: str | None = None, column: str = "") -> Parts:
    """The parts of a document from its items. ``title`` is given by a layout that knows it."""
    parts = Parts(column=column)
    found = _Found()
    if title is None and (big := _set_in_large_type(items)) is not None:
        title = items[big].text
        items = items[:big] + items[big + 1 :]
    if title is not None:
        parts.title = title
    start = _head(items, parts, found, has_title=title is not None)
    body: list[Item] = []
    for item in items[start:]:
        if item.label is None and official.is_chrome(item.text):
            parts.removed.append(item.text)
        else:
            body.append(item)
    texts = [item.text for item in body]
    cut = _closing_start(texts)
    # A closing never swallows the last section's heading or label.
    while cut < len(body) and (body[cut].label is not None or _heading_rank(body[cut], False)):
        cut += 1
    parts.closing = texts[cut:]
    _closing_metadata(parts.closing, found)
    _signed_in_body(texts[:cut], found)
    _sections(body[:cut], parts)
    if not found.numbers and (number := official.find_number(parts.title)):
        found.numbers.append((_P_TEXT, number))
    if not found.dates:
        for text in parts.lead[:3]:
            if text.startswith(("——", "—", "-")) and (date := official.find_date(text)):
                found.dates.append((_P_TEXT, date))
                break
    for text in parts.lead[:30]:  # a cover sheet's "网络首发日期：…", kept as it stands
        _read_metadata(text, found)
    if found.titles and title is None:
        # A site's or a cover sheet's "题目：…" names the title; the first line was a guess.
        if parts.title:
            parts.lead.insert(0, parts.title)
        parts.title = _Found.best(found.titles)
    parts.date = _Found.best(found.dates)
    parts.issuer = _Found.best(found.issuers)
    parts.number = _Found.best(found.numbers)
    return parts


def _sections(body: list[Item], parts: Parts) -> None:
    """Lead paragraphs, then sections: district labels and headings with their paragraphs."""
    all_bold = bool(body) and all(item.bold for item in body if not item.label)
    ranks = [_heading_rank(item, all_bold) if item.label is None else None for item in body]
    # A bold heading above the first enumerated one heads them all (a forwarded plan's
    # title); after it, it stands beside the top ones (a paper's 作者简介 after 4 结论).
    enumerated = [(i, r) for i, r in enumerate(ranks) if r is not None and r > _BOLD_RANK]
    if enumerated:
        first, top = enumerated[0][0], min(r for _, r in enumerated)
        ranks = [top if r == _BOLD_RANK and i > first else r for i, r in enumerate(ranks)]
    used = sorted({r for r in ranks if r is not None})
    level_of = {rank: n + 1 for n, rank in enumerate(used)}
    sections: list[dict] = []
    last_heading_level = 0
    i = 0
    while i < len(body):
        item, rank = body[i], ranks[i]
        region = item.label or (official.region_label(item.text) if not item.table else None)
        if region is not None:
            district, label = region
            if item.label is not None:  # the district-bulletin layout read its headline
                headline, rest = clean_headline("".join(item.headline_lines)), ""
            elif item.text == label:
                headline, rest = "", ""
                following = body[i + 1] if i + 1 < len(body) else None
                if (
                    following is not None
                    and ranks[i + 1] is None
                    and official.looks_like_title(following.text)
                    and len(following.text) <= 40
                    and not following.text.endswith("。")
                    and official.region_label(following.text) is None
                ):
                    headline = clean_headline(" ".join(following.lines))
                    i += 1
            else:  # "【四川】四川省…": the label runs into its first paragraph
                headline, rest = "", item.text[len(label) :].strip()
            sections.append(
                {
                    "district": district,
                    "label": label,
                    "headline": headline,
                    "level": last_heading_level + 1,
                    "paragraphs": [rest] if rest else [],
                }
            )
        elif rank is not None:
            last_heading_level = level_of[rank]
            heading = clean_headline(join_lines(item.lines))
            sections.append(
                {
                    "district": "",
                    "label": "",
                    "headline": heading,
                    "level": last_heading_level,
                    "paragraphs": [],
                }
            )
        elif sections:
            sections[-1]["paragraphs"].append(item.text)
        else:
            parts.lead.append(item.text)
        i += 1
    parts.sections = [
        Section(
            district=s["district"],
            label=s["label"],
            headline=s["headline"],
            level=s["level"],
            paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(s["paragraphs"])),
        )
        for s in sections
    ]
