"""Plain data types of the archive: no I/O, no Qt."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

#: Where a passage is: ``(section, paragraph)``. ``section`` is the index in
#: ``Bulletin.sections``, or one of these for the parts outside the sections.
LEAD = -1  # the lead: paragraphs before the first section
CLOSING = -2  # the closing: 特此通知。, signature, date, 附件…
HEAD = -3  # the head: paragraph 0 the title, 1 the number, 2 the issuer
#: ``paragraph`` of a section's headline (or heading).
HEADLINE = -1
#: The head's passages, by paragraph index.
HEAD_FIELDS = ("title", "number", "issuer")

#: Suffixes that a district label may carry in print ("东城区："); dropped for grouping.
_DISTRICT_SUFFIXES = ("区", "县")


def district_key(label: str | None) -> str:
    """The name under which a district is grouped across bulletins.

    "东城区" and "东城" are the same district; a two-character name such as "城区"
    keeps its suffix, since dropping it would leave a single character. The lead
    (no district: "" or None) has the key "".
    """
    label = (label or "").strip()
    for suffix in _DISTRICT_SUFFIXES:
        if label.endswith(suffix) and len(label) > 2:
            return label[: -len(suffix)]
    return label


@dataclass(frozen=True)
class Paragraph:
    """One reflowed paragraph; ``index`` is 0-based within its section (or the lead)."""

    index: int
    text: str


@dataclass(frozen=True)
class Section:
    """A part of a bulletin: a district's (label line, headline, paragraphs) or a heading's
    (``district`` "", the heading as ``headline``, its level, paragraphs)."""

    district: str  # as printed, without the colon: "东城" (or "东城区" if printed so); "" for a heading
    label: str  # the whole label line as printed, e.g. "东城：", "【四川】"; "" for a heading
    headline: str  # the district's headline, or the heading ("一、总体要求")
    paragraphs: tuple[Paragraph, ...] = ()
    level: int = 1  # 1 for a top section, 2 for one nested in it (（一） under 一、), …

    @property
    def key(self) -> str:
        """District name for grouping across bulletins ("东城区" → "东城")."""
        return district_key(self.district)


@dataclass(frozen=True)
class Bulletin:
    """A parsed bulletin. ``id`` is derived from its content (see ``content_id``)."""

    id: str
    title: str
    column: str
    lead: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)
    date: str = ""  # ISO "2020-02-03", or ""
    number: str = ""  # the document number (文号) as printed, or ""
    issuer: str = ""  # as printed, or ""
    #: Paragraphs after the last section that end the document (特此通知。, signature, date, 附件：…).
    closing: tuple[Paragraph, ...] = ()
    #: Lines read as metadata and shown only as such (a number line, a 题注 with the date,
    #: a site's "发布日期：…"): kept so that nothing of the source is lost unrecorded.
    meta_lines: tuple[str, ...] = ()
    #: Page chrome dropped on purpose ("下载", a licence footer, running headers): recorded.
    removed: tuple[str, ...] = ()

    def section(self, district: str) -> Section | None:
        """The section for a district label ("东城") or grouping key; None if absent."""
        if not district:
            return None
        for sec in self.sections:
            if sec.district == district:
                return sec
        key = district_key(district)
        for sec in self.sections:
            if sec.key == key:
                return sec
        return None

    def section_index(self, district: str) -> int:
        """The index of the (first) section of a district label or key; LEAD if none."""
        section = self.section(district)
        return LEAD if section is None else self.sections.index(section)

    def passage(self, section: int, paragraph: int) -> str | None:
        """The text at (section, paragraph) (see LEAD, CLOSING, HEAD, HEADLINE), or None."""
        if section == HEAD:
            return getattr(self, HEAD_FIELDS[paragraph]) if 0 <= paragraph < len(HEAD_FIELDS) else None
        if section == LEAD:
            paragraphs = self.lead
        elif section == CLOSING:
            paragraphs = self.closing
        elif 0 <= section < len(self.sections):
            if paragraph == HEADLINE:
                return self.sections[section].headline
            paragraphs = self.sections[section].paragraphs
        else:
            return None
        return paragraphs[paragraph].text if 0 <= paragraph < len(paragraphs) else None

    def passages(self) -> Iterator[tuple[int, int, str]]:
        """Every passage a reader reads, in reading order, as (section, paragraph, text):
        the head (title, number, issuer), lead, each section's headline and paragraphs,
        closing. Empty ones are left out."""
        for n, name in enumerate(HEAD_FIELDS):
            if text := getattr(self, name):
                yield HEAD, n, text
        for para in self.lead:
            yield LEAD, para.index, para.text
        for s_index, sec in enumerate(self.sections):
            if sec.headline:
                yield s_index, HEADLINE, sec.headline
            for para in sec.paragraphs:
                yield s_index, para.index, para.text
        for para in self.closing:
            yield CLOSING, para.index, para.text

    def nested(self, section: int) -> range:
        """The section and the sections nested in it (headings of a higher level after it)."""
        level = self.sections[section].level
        end = section + 1
        while end < len(self.sections) and self.sections[end].level > level:
            end += 1
        return range(section, end)

    def district_of(self, section: int) -> str:
        """The district label of a section index ("" for a heading, the lead, the closing…)."""
        return self.sections[section].district if 0 <= section < len(self.sections) else ""

    @property
    def districts(self) -> list[str]:
        return [sec.district for sec in self.sections if sec.district]

    def pieces(self) -> Iterator[str]:
        """Every piece of text in reading order, including label lines (for lossless checks)."""
        yield self.title
        yield self.column
        for para in self.lead:
            yield para.text
        for sec in self.sections:
            yield sec.label
            yield sec.headline
            for para in sec.paragraphs:
                yield para.text
        for para in self.closing:
            yield para.text

    def char_count(self) -> int:
        return sum(len(p) for p in self.pieces())

    def to_dict(self) -> dict:
        """The public JSON shape (see shared/corpus/seed-expected.json)."""
        return {
            "title": self.title,
            "column": self.column,
            "date": self.date,
            "number": self.number,
            "issuer": self.issuer,
            "lead": [p.text for p in self.lead],
            "sections": [
                {
                    "district": sec.district,
                    "headline": sec.headline,
                    "level": sec.level,
                    "paragraphs": [p.text for p in sec.paragraphs],
                }
                for sec in self.sections
            ],
            "closing": [p.text for p in self.closing],
        }

    def to_storage(self) -> dict:
        """to_dict() plus what is needed to rebuild the object exactly (id, label lines,
        metadata lines, removed chrome)."""
        data = self.to_dict()
        data["id"] = self.id
        data["meta_lines"] = list(self.meta_lines)
        data["removed"] = list(self.removed)
        for sec_dict, sec in zip(data["sections"], self.sections, strict=False):
            sec_dict["label"] = sec.label
        return data

    @classmethod
    def from_storage(cls, data: dict) -> Bulletin:
        def paragraphs(texts: list[str]) -> tuple[Paragraph, ...]:
            return tuple(Paragraph(i, t) for i, t in enumerate(texts))

        return cls(
            id=data["id"],
            title=data["title"],
            column=data["column"],
            date=data.get("date", ""),
            number=data.get("number", ""),
            issuer=data.get("issuer", ""),
            lead=paragraphs(data["lead"]),
            sections=tuple(
                Section(
                    district=s["district"],
                    label=s.get("label", s["district"] + "：" if s["district"] else ""),
                    headline=s["headline"],
                    paragraphs=paragraphs(s["paragraphs"]),
                    level=s.get("level", 1),
                )
                for s in data["sections"]
            ),
            closing=paragraphs(data.get("closing", [])),
            meta_lines=tuple(data.get("meta_lines", ())),
            removed=tuple(data.get("removed", ())),
        )
