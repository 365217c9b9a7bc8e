"""The query language, parsed by hand (never by Whoosh's QueryParser).

``租金 减免``  every word must occur (AND);  ``"打好 疫情"``  a quoted phrase, literal only;
``消毒 OR 防疫``  either;  ``-口罩``  excludes passages holding it literally;
``district:东城``  only that district.  Any input parses: unbalanced quotes close at the
end, lone operators and punctuation-only words are dropped, so parsing never fails.
Characters no text can hold (lone surrogates, which a command line that is not UTF-8
gives) are read as U+FFFD, a symbol: like punctuation it separates, and is not searched for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viewer.model import district_key
from viewer.search.normalize import fold, runs, words_of_term

#: Longest query text looked at (a pasted page is cut, not refused).
MAX_QUERY_CHARS = 2000
_QUOTES = {'"': '"', "“": "”", "”": "”", "＂": "＂", "「": "」", "『": "』"}
_FIELD_PREFIXES = ("district:", "district：", "区:", "区：")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (a surrogate cannot be encoded
    or folded, and no passage holds one)."""
    return _SURROGATES.sub("\ufffd", text)


@dataclass(frozen=True)
class Term:
    """One searchable unit: a word the user typed or a quoted phrase, folded."""

    text: str  # folded text, as typed (punctuation kept, used for highlighting)
    quoted: bool

    @property
    def runs(self) -> list[str]:
        """Its runs of searchable characters (literal pieces that must all occur)."""
        return runs(self.text)

    @property
    def words(self) -> tuple[str, ...]:
        """The words that must all occur for a non-literal match."""
        if self.quoted:
            return tuple(self.runs)
        return words_of_term(self.text) or tuple(self.runs)

    @property
    def patterns(self) -> list[str]:
        """Strings to highlight: its runs (literal pieces) and its words."""
        out = dict.fromkeys([*self.runs, *self.words])
        return [p for p in out if p]


@dataclass
class ParsedQuery:
    """``groups`` are ANDed; the terms inside one group are ORed."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)  # district keys

    @property
    def empty(self) -> bool:
        return not self.groups

    def positive_terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]


def _split(query: str) -> list[tuple[str, bool, bool]]:
    """(text, quoted, negated) pieces; quotes group spaces, ``-`` before a piece negates."""
    pieces: list[tuple[str, bool, bool]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in "-－" and i + 1 < n and not query[i + 1].isspace():
            negated = True
            i += 1
            ch = query[i]
        if ch in _QUOTES:
            close = _QUOTES[ch]
            end = query.find(close, i + 1)
            if ch in "“”":  # either curly quote may close
                ends = [e for e in (query.find("”", i + 1), query.find("“", i + 1)) if e >= 0]
                end = min(ends) if ends else -1
            if end < 0:
                end = n
            pieces.append((query[i + 1 : end], True, negated))
            i = end + 1
            continue
        j = i
        while j < n and not query[j].isspace():
            j += 1
        pieces.append((query[i:j], False, negated))
        i = j
    return pieces


def parse_query(query: str, district: str | None = None) -> ParsedQuery:
    """Parse any text into a query; never raises. ``district`` "" keeps the passages outside
    districts (the lead, headings, the closing); None keeps every district."""
    parsed = ParsedQuery()
    if district is not None:
        parsed.districts.append(district_key(fold(_encodable(district))))
    pending_or = False
    for text, quoted, negated in _split(_encodable(str(query)[:MAX_QUERY_CHARS])):
        if not quoted and not negated:
            if text == "OR":
                pending_or = bool(parsed.groups)
                continue
            lowered = text.lower()
            prefix = next((p for p in _FIELD_PREFIXES if lowered.startswith(p)), None)
            if prefix is not None:
                name = text[len(prefix) :].strip()
                if name:
                    parsed.districts.append(district_key(fold(name)))
                continue
        term = Term(fold(text), quoted)
        if not term.runs:
            continue  # punctuation only: nothing to search for
        if negated:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    return parsed
