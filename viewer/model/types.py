"""Plain data types of the archive: no I/O, no Qt."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

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

    @property
    def districts(self) -> list[str]:
        return [sec.district for sec in self.sections]

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
