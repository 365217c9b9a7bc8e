"""Showing the text in traditional characters: the one simplified → traditional converter.

Its one job is the display conversion. The archive, the search index, bookmarks and
citations keep the text as published; only what the article (and a printed page) shows is
converted. Every converted text has the length of its source, character for character, so
the offsets of search hits, find matches and selections still point at the same characters.

OpenCC (``s2t``, its dictionaries ship in the wheel) is loaded when first needed, as
``viewer.search.normalize`` loads its ``t2s``; without it the text is shown as published,
with a warning in the log. Conversion goes run by run (the text between punctuation), with
OpenCC's phrases (头发 → 頭髮, 理发 → 理髮); a run whose conversion changes its length (a
phrase of the tables may map to one of another length) is converted character by
character, and a character whose conversion is not one character is kept as it is.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from functools import lru_cache

from viewer.lazy import LazyPattern
from viewer.opencc_conversion import convert

log = logging.getLogger("viewer.ui")

#: A run of Han characters (and the marks inside words): the unit OpenCC converts at once.
_RUN = LazyPattern(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


class ScriptChoice(enum.StrEnum):
    """How Chinese text is shown: as published, or in traditional characters."""

    PUBLISHED = "published"
    TRADITIONAL = "traditional"


def _s2t(text: str) -> str:
    """OpenCC's simplified → traditional conversion; without OpenCC, ``text`` unchanged."""
    return convert(text, "s2t", "the text cannot be shown in traditional characters")


@lru_cache(maxsize=8192)
def _char(char: str) -> str:
    converted = _s2t(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=65536)
def _run(run: str) -> str:
    converted = _s2t(run)
    if len(converted) == len(run):
        return converted
    log.debug("s2t changed the length of %r: converted character by character", run)
    return "".join(_char(c) for c in run)


def to_traditional(text: str) -> str:
    """``text`` in traditional characters, of the same length, character for character."""
    return _RUN.sub(lambda m: _run(m.group()), text)


def display_converter(choice: ScriptChoice) -> Callable[[str], str] | None:
    """The function that turns a passage into what is shown (None: shown as published)."""
    return to_traditional if choice is ScriptChoice.TRADITIONAL else None
