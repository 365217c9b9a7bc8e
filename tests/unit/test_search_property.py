"""Search against a brute-force scan of generated archives (the oracle).

A query word matches a passage that holds it literally, or holds every one of its
words (rjieba, accurate mode); a quoted phrase only literally. Passages that hold the
query literally come first. The oracle folds the text the same way (that folding is
the definition of "literally") and scans every passage of the archive.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import indexed_archive
from viewer.model import HEADLINE, district_key
from viewer.search import SearchIndex
from viewer.search.highlight import CLAUSE_ENDS
from viewer.search.normalize import fold, words_of_term

_WORD_RUN = re.compile(r"[^\W_]+")
Key = tuple[str, int, int]  # (bulletin id, section, paragraph)
_BOUNDARY = CLAUSE_ENDS | set("”’」』）)》〉】]\"' \u3000")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    archive, index = indexed_archive(tmp_path_factory.mktemp("generated"), 6, seed=11)
    passages: dict[Key, str] = {}
    labels: dict[Key, str] = {}
    for bulletin in archive.bulletins():
        # Every passage a reader reads: the title, the lead, headlines, paragraphs.
        for section, paragraph, text in bulletin.passages():
            passages[(bulletin.id, section, paragraph)] = fold(text)
            labels[(bulletin.id, section, paragraph)] = bulletin.district_of(section)
    assert any(paragraph == HEADLINE for _, _, paragraph in passages)
    # Stretches of letters and digits to cut pieces from: punctuation never belongs to a
    # piece (a number's "." or "%" is searched only inside the whole number).
    runs = sorted({run for text in passages.values() for run in _WORD_RUN.findall(text)})
    yield index, (passages, labels), runs
    index.close()


def _oracle(passages: dict[Key, str], pieces: list[str], quoted: bool) -> tuple[set[Key], set[Key]]:
    """(every passage the query should return, those holding it literally)."""
    exact = {k for k, text in passages.items() if all(p in text for p in pieces)}
    if quoted:
        return exact, exact
    words = [w for p in pieces for w in (words_of_term(p) or (p,))]
    matched = {k for k, text in passages.items() if all(w in text for w in words)}
    return matched | exact, exact


def _check(index: SearchIndex, corpus, query: str, pieces: list[str], quoted: bool) -> None:
    passages, labels = corpus
    result = index.search(query, limit=0)
    matched, exact = _oracle(passages, pieces, quoted)
    keys = [(h.bulletin_id, h.section, h.paragraph) for h in result.hits]
    assert all(h.district == labels[k] for k, h in zip(keys, result.hits, strict=True))
    assert len(keys) == len(set(keys)) == result.total
    assert set(keys) == matched
    assert {k for k, h in zip(keys, result.hits, strict=True) if h.exact} == exact
    flags = [h.exact for h in result.hits]
    assert flags == sorted(flags, reverse=True), "literal matches come first"
    for hit in result.hits:
        marked = [fold(hit.text[s:e]) for s, e in hit.highlights]
        if hit.exact:  # the literal pieces are highlighted (offsets into the original text)
            assert all(any(piece in m for m in marked) for piece in pieces)
        # The snippet shows the text (between ellipses when cut) with the same marks.
        body = hit.snippet.removeprefix("…").removesuffix("…") if hit.snippet != hit.text else hit.text
        offset = len(hit.snippet) - len(hit.snippet.removeprefix("…")) if body != hit.text else 0
        at = hit.text.find(body)
        assert at >= 0 and (at == 0 or hit.snippet.startswith("…") or hit.text[at - 1] in _BOUNDARY)
        assert [(s - offset + at, e - offset + at) for s, e in hit.snippet_highlights] == [
            (max(s, at), min(e, at + len(body))) for s, e in hit.highlights if s < at + len(body) and e > at
        ]
    # A page of 3 has the same total and counts over every match, and is the head of the list.
    page = index.search(query, limit=3)
    assert page.total == len(matched) and page.hits == result.hits[:3]
    sections = Counter((bulletin, section) for bulletin, section, _ in matched)
    assert page.section_counts == result.section_counts == dict(sections)
    districts = Counter(district_key(labels[k]) for k in matched if labels[k])
    assert page.district_counts == dict(districts)
    assert page.bulletin_counts == dict(Counter(bulletin for bulletin, _, _ in matched))


def _piece(runs: list[str], data: st.DataObject) -> str:
    run = data.draw(st.sampled_from(runs))
    size = data.draw(st.integers(1, min(6, len(run))))
    start = data.draw(st.integers(0, len(run) - size))
    return run[start : start + size]


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(data=st.data())
def test_literal_piece(generated, data):
    index, passages, runs = generated
    piece = _piece(runs, data)
    _check(index, passages, piece, [piece], quoted=False)


@_SETTINGS
@given(data=st.data())
def test_quoted_piece_is_exactly_the_passages_holding_it(generated, data):
    index, passages, runs = generated
    piece = _piece(runs, data)
    _check(index, passages, f'"{piece}"', [piece], quoted=True)


@_SETTINGS
@given(data=st.data())
def test_two_word_query(generated, data):
    index, passages, runs = generated
    first, second = _piece(runs, data), _piece(runs, data)
    _check(index, passages, f"{first} {second}", [first, second], quoted=False)


def test_word_only_matches_follow_literal_ones(generated):
    index, passages, _ = generated
    result = index.search("防控疫情", limit=0)  # text says 疫情防控; some passages have both words
    assert any(not h.exact for h in result.hits)
    _check(index, passages, "防控疫情", ["防控疫情"], quoted=False)
