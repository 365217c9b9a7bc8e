"""The Whoosh schema and its Chinese analysis.

Whoosh pickles the schema into the index, so every class here is a top-level class of
this module (renaming one makes old indexes unreadable, which the index treats as damage
and rebuilds). Documents are handed to Whoosh already folded (``normalize.fold``); the
field types turn that text into postings directly, without a token object per character,
which is most of the indexing time in a plain Whoosh set-up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

from viewer.search.normalize import fold, grams, words_for_index

#: Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 1


class GramTokenizer(Tokenizer):
    """Bigram tokens (last character of a run alone), positions one per character."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, **kwargs)
        for pos, gram in enumerate(grams(fold(value))):
            token.text = gram
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            yield token


class WordTokenizer(Tokenizer):
    """rjieba search-mode words, punctuation and spaces dropped."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, **kwargs)
        for pos, word in enumerate(words_for_index(fold(value))):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            yield token


class GramField(fields.FieldType):
    """Literal-substring field: bigrams with positions, queried as phrases.

    ``index`` takes text that is already folded.
    """

    def __init__(self) -> None:
        self.format = formats.Positions()
        self.analyzer = GramTokenizer()
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None
        self.multitoken_query = "phrase"
        self.spelling = False

    def index(self, value: str, **kwargs) -> list[tuple[bytes, int, float, bytes]]:
        poses: defaultdict[str, list[int]] = defaultdict(list)
        for pos, gram in enumerate(grams(value)):
            poses[gram].append(pos)
        encode = self.format.encode
        return [(gram.encode("utf-8"), len(p), float(len(p)), encode(p)) for gram, p in poses.items()]


class WordField(fields.FieldType):
    """Words for ranking (BM25), without positions. ``index`` takes folded text."""

    def __init__(self) -> None:
        self.format = formats.Frequency()
        self.analyzer = WordTokenizer()
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None
        self.multitoken_query = "or"
        self.spelling = False

    def index(self, value: str, **kwargs) -> list[tuple[bytes, int, float, bytes]]:
        counts = Counter(words_for_index(value))
        return [(word.encode("utf-8"), n, float(n), pack_uint(n)) for word, n in counts.items()]


#: Document kinds (the ``kind`` field).
KIND_LEAD = "l"
KIND_HEADLINE = "h"
KIND_PARAGRAPH = "p"
KIND_MARKER = "m"  # one per indexed bulletin: written in the same commit as its passages


def make_schema() -> fields.Schema:
    return fields.Schema(
        bulletin=fields.ID(stored=True, sortable=True),
        district=fields.ID(stored=True, sortable=True),  # district_key(...); "" for the lead
        kind=fields.ID(stored=True),
        label=fields.STORED(),  # the district as printed
        section=fields.STORED(),
        paragraph=fields.STORED(),
        title=fields.STORED(),
        text=fields.STORED(),
        grams=GramField(),
        words=WordField(),
    )
