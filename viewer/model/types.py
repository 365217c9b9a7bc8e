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
    """A district's part of a bulletin: label line, headline, paragraphs."""

    district: str  # as printed, without the colon: "东城" (or "东城区" if printed so)
    label: str  # the whole label line as printed, e.g. "东城："
    headline: str
    paragraphs: tuple[Paragraph, ...] = ()

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

    def section(self, district: str) -> Section | None:
        """The section for a district label ("东城") or grouping key; None if absent."""
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

    def char_count(self) -> int:
        return sum(len(p) for p in self.pieces())

    def to_dict(self) -> dict:
        """The public JSON shape (see shared/corpus/seed-expected.json)."""
        return {
            "title": self.title,
            "column": self.column,
            "lead": [p.text for p in self.lead],
            "sections": [
                {
                    "district": sec.district,
                    "headline": sec.headline,
                    "paragraphs": [p.text for p in sec.paragraphs],
                }
                for sec in self.sections
            ],
        }

    def to_storage(self) -> dict:
        """to_dict() plus what is needed to rebuild the object exactly (id, label lines)."""
        data = self.to_dict()
        data["id"] = self.id
        for sec_dict, sec in zip(data["sections"], self.sections, strict=False):
            sec_dict["label"] = sec.label
        return data

    @classmethod
    def from_storage(cls, data: dict) -> Bulletin:
        return cls(
            id=data["id"],
            title=data["title"],
            column=data["column"],
            lead=tuple(Paragraph(i, t) for i, t in enumerate(data["lead"])),
            sections=tuple(
                Section(
                    district=s["district"],
                    label=s.get("label", s["district"] + "："),
                    headline=s["headline"],
                    paragraphs=tuple(Paragraph(i, t) for i, t in enumerate(s["paragraphs"])),
                )
                for s in data["sections"]
            ),
        )
