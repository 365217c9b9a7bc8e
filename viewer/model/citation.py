"""How a passage's place and citation are written for people: the one formatter.

``西城 · paragraph 2`` (paragraphs counted from 1), ``西城 · headline``, ``一、总体要求 ·
paragraph 1`` for a heading that is no district's, ``lead · paragraph 1`` outside the
sections; a citation puts the bulletin before it: ``title · date · number · column ·
place``. The command line and the exports write it in English (``ENGLISH``); the window
passes the same words in the UI's language (``viewer.ui.bookmarks.place_words``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from viewer.model.types import CLOSING, HEAD, HEADLINE


class PlaceWords(NamedTuple):
    """The words of places and citations; ``%1`` stands for a number or an id."""

    lead: str
    closing: str
    title: str
    headline: str
    paragraph: str  # "paragraph %1"
    bulletin: str  # "bulletin %1": a bulletin without a title


ENGLISH = PlaceWords("lead", "closing", "title", "headline", "paragraph %1", "bulletin %1")


def part_name(section: int | None, words: PlaceWords = ENGLISH) -> str:
    """What a part outside the sections is called: the closing, the title (the head), else
    the lead."""
    return {CLOSING: words.closing, HEAD: words.title}.get(section, words.lead)


def place_label(
    district: str | None, heading: str, section: int | None, paragraph: int, words: PlaceWords = ENGLISH
) -> str:
    """Where a passage is: its district, else its section's heading, else the part of the
    bulletin it is in; then its paragraph (counting from 1) or ``headline``."""
    where = district or heading or part_name(section, words)
    what = words.headline if paragraph == HEADLINE else words.paragraph.replace("%1", str(paragraph + 1))
    return f"{where} · {what}"


def citation_label(
    title: str, bulletin_id: str, details: Iterable[str], place: str, words: PlaceWords = ENGLISH
) -> str:
    """``title · date · number · column · place``: ``details`` those present, in order; a
    bulletin without a title is named by its id."""
    parts = [title or words.bulletin.replace("%1", bulletin_id), *(d for d in details if d), place]
    return " · ".join(parts)
