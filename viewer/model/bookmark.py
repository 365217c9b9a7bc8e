"""Bookmarks of passages and how they find their passage again. Pure: no Qt, no I/O.

A bookmark remembers *where* a passage was (bulletin id, section index and district
label as printed, paragraph index, character offset) and *what* it was: the exact quote plus up to
``CONTEXT`` characters before (``prefix``) and after (``suffix``) it inside the same
paragraph. The location is only a hint; the quote and its context are the anchor,
so a bookmark survives a bulletin being parsed differently (paragraphs merged or
split, spacing changed) or re-imported.

How a bookmark is re-attached (``reattach``), in order:

1. In its own bulletin, at the remembered district and paragraph, the quote with the
   whole remembered context around it: nothing to do.
2. Anywhere else in its own bulletin (lead, headlines, paragraphs; a quote may now
   run over a paragraph break, e.g. after a paragraph was split): every occurrence is
   scored by how many characters of the remembered context it agrees with; ties go
   to the same district, then the same paragraph, then the nearest offset.
3. Only when its own bulletin is no longer in the archive (a corrected edition was
   imported and the old one removed): another bulletin where the quote occurs in the
   same district with the whole remembered context, provided exactly one bulletin
   qualifies. A passage repeated in several bulletins is never guessed at.
4. Otherwise the bookmark is *orphaned*: kept with everything it had, shown as such,
   and re-attached by a later ``reattach`` if its passage comes back. Never deleted.

Whitespace is ignored when matching (the parser may change spacing, never the
characters). Paragraph numbers are 0-based here, as in the CLI's JSON and in
``Hit``; ``HEADLINE`` (-1) marks a section's headline; section ``LEAD`` is the lead,
``CLOSING`` the closing and ``HEAD`` the title (viewer.model.types). A bookmark kept
before sections were numbered has section None and is found by its district.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from viewer.model.citation import citation_label, part_name, place_label
from viewer.model.errors import PassageError
from viewer.model.types import HEAD, HEADLINE, LEAD, Bulletin, district_key

#: Characters of context kept on each side of a quote (within its paragraph).
CONTEXT = 32

#: ``(paragraph, start, end)``: a stretch of one paragraph's text, end exclusive.
Span = tuple[int, int, int]


@dataclass(frozen=True, kw_only=True)
class Bookmark:
    """A kept passage. ``id`` is 0 until the bookmark store has saved it."""

    id: int = 0
    bulletin_id: str
    district: str  # label as printed ("东城"); "" outside districts (lead, heading, closing)
    paragraph: int  # 0-based within the section (or lead); HEADLINE for the headline
    #: Index of the section in the bulletin, or LEAD / CLOSING / HEAD; None for a bookmark
    #: kept before sections were numbered (its district says where it is).
    section: int | None = None
    quote: str  # the exact selected text, or the whole paragraph
    prefix: str = ""  # up to CONTEXT characters before the quote, within the paragraph
    suffix: str = ""  # up to CONTEXT characters after the quote, within the paragraph
    start: int = 0  # offset of the quote in the paragraph's text when last anchored
    note: str = ""
    tags: tuple[str, ...] = ()
    title: str = ""  # the bulletin's title, column, date and number, and the section's
    column: str = ""  # heading when it is no district's: kept so that a citation
    date: str = ""  # survives the bulletin being removed from the archive
    number: str = ""
    heading: str = ""
    created: str = ""  # ISO 8601 (UTC), set by the store
    updated: str = ""
    orphaned: bool = False  # its passage could not be found in the archive

    @property
    def is_headline(self) -> bool:
        return self.paragraph == HEADLINE

    @property
    def place(self) -> str:
        """Where it is, for people, counting from 1: "东城 · paragraph 2" (``place_label``)."""
        return place_label(self.district, self.heading, self.section, self.paragraph)

    def citation(self) -> str:
        """bulletin title · date · number · column · place (paragraph n counts from 1), as in
        exports."""
        text = citation_label(self.title, self.bulletin_id, (self.date, self.number, self.column), self.place)
        return f"{text} (passage not found in the archive)" if self.orphaned else text

    def to_dict(self) -> dict:
        """Every field, as exported to JSON (``bulletin`` holds the bulletin id)."""
        return {
            "id": self.id,
            "bulletin": self.bulletin_id,
            "title": self.title,
            "column": self.column,
            "date": self.date,
            "number": self.number,
            "district": self.district,
            "section": self.section,
            "heading": self.heading,
            "paragraph": self.paragraph,
            "start": self.start,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "note": self.note,
            "tags": list(self.tags),
            "created": self.created,
            "updated": self.updated,
            "orphaned": self.orphaned,
        }

    def identity(self) -> tuple[str, str, int, str]:
        """What makes two bookmarks the same passage (import de-duplicates on it)."""
        return (self.bulletin_id, district_key(self.district), self.paragraph, _norm(self.quote))


@dataclass(frozen=True)
class Anchor:
    """Where a quote is in a bulletin now: one span, or several if it runs over paragraphs."""

    bulletin_id: str
    district: str  # label as printed; "" outside districts
    section: int  # index in Bulletin.sections, or LEAD / CLOSING / HEAD
    spans: tuple[Span, ...]  # (paragraph, start, end) per paragraph covered, in order
    agreement: int = 0  # characters of remembered context that agree (0 … 2·CONTEXT)
    whole_context: bool = True  # all of the remembered context agrees

    @property
    def paragraph(self) -> int:
        return self.spans[0][0]

    @property
    def start(self) -> int:
        return self.spans[0][1]

    @property
    def end(self) -> int:
        """End offset in the *last* spanned paragraph (the same paragraph, almost always)."""
        return self.spans[-1][2]


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped of surrounding space, empty ones dropped, repeats dropped (first kept)."""
    if isinstance(tags, str):
        tags = (tags,)
    seen: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def tag_names(bookmarks: Iterable[Bookmark]) -> list[str]:
    """The distinct tags of ``bookmarks`` (case aside: the first spelling is kept), sorted."""
    seen: dict[str, str] = {}
    for bookmark in bookmarks:
        for tag in bookmark.tags:
            seen.setdefault(tag.casefold(), tag)
    return sorted(seen.values(), key=str.casefold)


#: A section by its index (or LEAD / CLOSING / HEAD), or by a district's label or key
#: ("东城", "东城区"; "" for the lead).
Where = int | str


def resolve_section(bulletin: Bulletin, where: Where) -> int | None:
    """The section index ``where`` names in ``bulletin``; None for a district it lacks."""
    if isinstance(where, int):
        return where
    if not where:
        return LEAD
    found = bulletin.section(where)
    return None if found is None else bulletin.sections.index(found)


def passage_text(bulletin: Bulletin, where: Where, paragraph: int) -> str | None:
    """The text at (section, paragraph): a headline (``HEADLINE``), a section's paragraph, a
    lead or closing paragraph, the title (see ``Bulletin.passage``)."""
    section = resolve_section(bulletin, where)
    return None if section is None else bulletin.passage(section, paragraph)


def section_of(bookmark: Bookmark, bulletin: Bulletin) -> int | None:
    """The section a bookmark remembers in ``bulletin`` (by its district when it was kept
    before sections were numbered); None when that district is not there."""
    return resolve_section(bulletin, bookmark.district if bookmark.section is None else bookmark.section)


def _heading_of(bulletin: Bulletin, section: int) -> str:
    """A section's heading when the section is no district's (for citations)."""
    if 0 <= section < len(bulletin.sections) and not bulletin.sections[section].district:
        return bulletin.sections[section].headline
    return ""


def make_bookmark(
    bulletin: Bulletin,
    where: Where,
    paragraph: int,
    start: int | None = None,
    end: int | None = None,
    *,
    note: str = "",
    tags: Iterable[str] = (),
) -> Bookmark:
    """An unsaved bookmark of ``text[start:end]`` of one passage (the whole passage if both
    are None). Space around the selection is trimmed. Raises PassageError for a place that
    does not exist or an empty selection."""
    section = resolve_section(bulletin, where)
    text = None if section is None else passage_text(bulletin, section, paragraph)
    if section is None or text is None:
        if isinstance(where, str):
            place = f"district {where}"
        else:
            place = part_name(where) if where < 0 else f"section {where + 1}"
        raise PassageError(f"bulletin {bulletin.id} has no such passage ({place}, paragraph {paragraph})")
    start = 0 if start is None else start
    end = len(text) if end is None else end
    if not 0 <= start <= end <= len(text):
        raise PassageError(f"the selection {start}–{end} is outside the paragraph (0–{len(text)})")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise PassageError("nothing is selected")
    return Bookmark(
        bulletin_id=bulletin.id,
        district=bulletin.district_of(section),
        section=section,
        heading=_heading_of(bulletin, section),
        paragraph=paragraph,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        note=note,
        tags=normalize_tags(tags),
        title=bulletin.title,
        column=bulletin.column,
        date=bulletin.date,
        number=bulletin.number,
    )


def make_bookmark_at(
    bulletin: Bulletin, anchor: Anchor, *, note: str = "", tags: Iterable[str] = ()
) -> Bookmark:
    """An unsaved bookmark of a passage found by ``find_quote`` (a single-paragraph anchor)."""
    paragraph, start, end = anchor.spans[0]
    return make_bookmark(bulletin, anchor.section, paragraph, start, end, note=note, tags=tags)


def find_quote(bulletins: Iterable[Bulletin], quote: str, district: str | None = None) -> list[Anchor]:
    """Every place where ``quote`` occurs within one passage, ignoring whitespace; optionally
    only in one district (label or grouping key)."""
    needle = _norm(quote)
    if not needle:
        return []
    key = district_key(district) if district is not None else None
    found = []
    for bulletin in bulletins:
        for block in _blocks(bulletin):
            if key is not None and district_key(block.district) != key:
                continue
            for i in block.occurrences(needle):
                if block.para_of[i] == block.para_of[i + len(needle) - 1]:
                    found.append(block.anchor(bulletin.id, i, len(needle)))
    return found


def locate(bookmark: Bookmark, bulletin: Bulletin) -> Anchor | None:
    """Where the bookmark's quote is in ``bulletin`` now (steps 1–2 of the module docstring)."""
    remembered = section_of(bookmark, bulletin)
    # 0. The common case, the text unchanged: no need to normalise anything.
    text = None if remembered is None else passage_text(bulletin, remembered, bookmark.paragraph)
    start, end = bookmark.start, bookmark.start + len(bookmark.quote)
    if (
        text is not None
        and bookmark.quote
        and text.startswith(bookmark.quote, start)
        and text.endswith(bookmark.prefix, 0, start)
        and text.startswith(bookmark.suffix, end)
    ):
        return Anchor(
            bulletin_id=bulletin.id,
            district=bulletin.district_of(remembered),
            section=remembered,
            spans=((bookmark.paragraph, start, end),),
            agreement=len(_norm(bookmark.prefix)) + len(_norm(bookmark.suffix)),
        )
    needle = _norm(bookmark.quote)
    if not needle:
        return None
    prefix, suffix = _norm(bookmark.prefix), _norm(bookmark.suffix)
    blocks = _blocks(bulletin)
    # 1. The remembered place, with the whole remembered context.
    for block in blocks:
        if block.section != remembered or bookmark.paragraph not in block.para_start:
            continue
        lo = block.para_start[bookmark.paragraph]
        hi = block.para_end[bookmark.paragraph]
        i = block.norm.find(prefix + needle + suffix, lo, hi)
        if i >= 0:
            return block.anchor(bulletin.id, i + len(prefix), len(needle), prefix, suffix)
    # 2. Anywhere in the bulletin, the best agreement with the remembered context.
    best: tuple[tuple, Anchor] | None = None
    for block in blocks:
        same_place = _same_place(block, bookmark)
        for i in block.occurrences(needle):
            anchor = block.anchor(bulletin.id, i, len(needle), prefix, suffix)
            rank = (
                anchor.agreement,
                same_place,
                block.section == remembered,
                same_place and anchor.paragraph == bookmark.paragraph,
                len(anchor.spans) == 1,
                -abs(anchor.start - bookmark.start),
            )
            if best is None or rank > best[0]:
                best = (rank, anchor)
    return best[1] if best is not None else None


def _same_place(block: _Block, bookmark: Bookmark) -> bool:
    """Is the block where the bookmark was: the same district, heading, or part (lead…)?"""
    if bookmark.district:
        return district_key(block.district) == district_key(bookmark.district)
    if bookmark.heading:
        return block.heading == bookmark.heading
    return block.section == (LEAD if bookmark.section is None else bookmark.section) and block.section < 0


def reattach(
    bookmark: Bookmark, bulletins: Iterable[Bulletin] | Mapping[str, Bulletin]
) -> tuple[Bookmark, Anchor | None]:
    """The bookmark moved to where its passage is now (or marked orphaned), and the anchor.

    ``bulletins`` is the whole archive (a mapping id → bulletin saves building one per
    call); only the bookmark's location fields (bulletin id, section, district, heading,
    paragraph, start, title, column, date, number) and ``orphaned`` change.
    """
    by_id = bulletins if isinstance(bulletins, Mapping) else {b.id: b for b in bulletins}
    own = by_id.get(bookmark.bulletin_id)
    anchor: Anchor | None = None
    target = own
    if own is not None:
        anchor = locate(bookmark, own)
    else:
        anchor, target = _elsewhere(bookmark, by_id.values())
    if anchor is None or target is None:
        return (bookmark if bookmark.orphaned else replace(bookmark, orphaned=True)), None
    moved = replace(
        bookmark,
        bulletin_id=target.id,
        district=anchor.district,
        section=anchor.section,
        heading=_heading_of(target, anchor.section),
        paragraph=anchor.paragraph,
        start=anchor.start,
        title=target.title,
        column=target.column,
        date=target.date,
        number=target.number,
        orphaned=False,
    )
    return moved, anchor


def _elsewhere(bookmark: Bookmark, bulletins: Iterable[Bulletin]) -> tuple[Anchor | None, Bulletin | None]:
    """Step 3: the one other bulletin holding the quote with its whole context, same place."""
    needle = _norm(bookmark.quote)
    if not needle:
        return None, None
    prefix, suffix = _norm(bookmark.prefix), _norm(bookmark.suffix)
    found: list[tuple[Anchor, Bulletin]] = []
    for bulletin in bulletins:
        for block in _blocks(bulletin):
            if not _same_place(block, bookmark):
                continue
            hits = [
                block.anchor(bulletin.id, i, len(needle), prefix, suffix) for i in block.occurrences(needle)
            ]
            hits = [a for a in hits if a.whole_context]
            if hits:
                found.append((min(hits, key=lambda a: abs(a.start - bookmark.start)), bulletin))
                break
        if len(found) > 1:
            return None, None
    return found[0] if found else (None, None)


# -- matching text, ignoring whitespace ---------------------------------------------
def _norm(text: str) -> str:
    return "".join(text.split())


@dataclass
class _Block:
    """Paragraphs that may run into one another (a lead, or a section's paragraphs), or a
    headline on its own, as one whitespace-free string with a map back to the originals."""

    district: str
    section: int
    heading: str = ""  # the section's heading when it is no district's
    norm: str = ""
    para_of: list[int] = field(default_factory=list)  # normalized index → paragraph
    offset_of: list[int] = field(default_factory=list)  # normalized index → offset in paragraph
    para_start: dict[int, int] = field(default_factory=dict)  # paragraph → first normalized index
    para_end: dict[int, int] = field(default_factory=dict)  # paragraph → normalized end

    @classmethod
    def build(cls, bulletin: Bulletin, section: int, paragraphs: Sequence[tuple[int, str]]) -> _Block:
        block = cls(bulletin.district_of(section), section, _heading_of(bulletin, section))
        chars: list[str] = []
        for index, text in paragraphs:
            block.para_start[index] = len(chars)
            for offset, char in enumerate(text):
                if not char.isspace():
                    chars.append(char)
                    block.para_of.append(index)
                    block.offset_of.append(offset)
            block.para_end[index] = len(chars)
        block.norm = "".join(chars)
        return block

    def occurrences(self, needle: str) -> Iterable[int]:
        i = self.norm.find(needle)
        while i >= 0:
            yield i
            i = self.norm.find(needle, i + 1)

    def anchor(self, bulletin_id: str, i: int, length: int, prefix: str = "", suffix: str = "") -> Anchor:
        j = i + length  # normalized [i, j)
        first, last = self.para_of[i], self.para_of[j - 1]
        spans: list[Span] = []
        for paragraph in range(first, last + 1) if first != HEADLINE else (HEADLINE,):
            lo = max(i, self.para_start[paragraph])
            hi = min(j, self.para_end[paragraph])
            if lo < hi:
                spans.append((paragraph, self.offset_of[lo], self.offset_of[hi - 1] + 1))
        before = self.norm[max(self.para_start[first], i - CONTEXT) : i]
        after = self.norm[j : min(self.para_end[last], j + CONTEXT)]
        agree_before = _common_suffix(prefix, before)
        agree_after = _common_prefix(suffix, after)
        return Anchor(
            bulletin_id=bulletin_id,
            district=self.district,
            section=self.section,
            spans=tuple(spans),
            agreement=agree_before + agree_after,
            whole_context=agree_before == len(prefix) and agree_after == len(suffix),
        )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


@functools.lru_cache(maxsize=4096)
def _blocks(bulletin: Bulletin) -> tuple[_Block, ...]:
    """Runs of passages a quote may run over: each head passage alone, the lead, each
    section's headline alone and its paragraphs, the closing."""
    runs: dict[tuple[int, int | None], list[tuple[int, str]]] = {}
    for section, paragraph, text in bulletin.passages():
        alone = section == HEAD or paragraph == HEADLINE
        runs.setdefault((section, paragraph if alone else None), []).append((paragraph, text))
    return tuple(_Block.build(bulletin, section, passages) for (section, _), passages in runs.items())
