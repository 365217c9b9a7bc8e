"""Peer search engines for bench_search.py: tantivy (tantivy-py) and Xapian (through libzim).

Both are optional (``pip install -e .[bench]``); ``available()`` says which are installed.
Every engine gets the same passages: ``(pid, district, text)`` where ``text`` is a passage
of ``Bulletin.passages()`` folded by ``viewer.search.fold`` and ``district`` the folded
district key of its section ("" outside districts). Each class has ``build(passages,
directory)``, ``open(directory)``, ``search(query, limit) -> (total, [pid, ...])`` (the top
``limit`` by the engine's own ranking, BM25 in both) and ``all_ids(query)`` (every match,
for the recall check; not timed).

The query is the viewer's query text, read as its literal part by ``plan()``: words
separated by spaces must all occur, ``a OR b`` either, ``-word`` leaves out passages
holding it, ``district:NAME`` keeps one district, a quoted phrase is one word; each word
is folded and cut into *pieces* as the viewer cuts it (``viewer.search.normalize.runs``:
runs of letters and digits, a number such as 2.6 kept whole), each of which must occur
literally. ``LiteralScan`` gives the exact answer by scanning the folded text; the
viewer adds passages that hold all of a word's jieba words, so its totals can be larger.

How a literal Chinese piece is expressed:

- **tantivy**: the passage is stored pre-split as the overlapping bigrams of all its
  characters, punctuation included, white space as ``␣``, with a closing token
  (``体温，检测`` → ``体温 温， ，检 检测 测␣``); whitespace tokenizer, positions kept. A piece
  of n ≥ 3 characters is a phrase query over its n − 1 overlapping bigrams, 2 characters
  one term, 1 character a regex query ``c.`` over the terms (every character starts
  exactly one token). Exact literal recall and precision by construction, whatever the
  pieces are: a phrase of overlapping bigrams at consecutive positions is a substring.
  (tantivy's own ``Tokenizer.ngram`` gives every gram position 0, so a phrase over it is
  only a conjunction of grams: not used.)
- **Xapian via libzim**: libzim's writer indexes the text handed over as ``IndexData``
  (content = the folded passage, plus a district term ``zzd<hex>``), language ``zho``:
  no stemmer, and CJK n-grams (observed: each Chinese character and each pair of
  neighbours is a term, with or without ``XAPIAN_CJK_NGRAM``). libzim indexes without
  positions, so the piece itself is the query and matches every passage holding all of
  its characters and bigrams anywhere: a superset for Chinese (precision below 1).
  Latin letters and digits are whole words to Xapian, so a piece cut inside a word or a
  number (``020`` of 2020, ``em`` of ems) finds nothing (recall below 1). libzim's query
  text is lowercased and has no OR, NOT or ``-``; such queries are run as one search per
  word, combined here over full result lists. The total is libzim's
  ``getEstimatedMatches``.

Run as ``python tests/bench/peers.py build|serve ...`` by bench_search.py, one child
process per build and per serving run, so that time and memory are each engine's own.
"""

from __future__ import annotations

import bisect
import json
import operator
import os
import pickle
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A maximal run of letters and digits: the viewer's definition of a piece, when its
#: ``viewer.search.normalize.runs`` is not there (it also keeps 2.6, 1,450 and 5% whole).
RUN_RE = re.compile(r"[^\W_]+")
#: What stands for white space and for the end of a passage in tantivy's bigram tokens.
GAP = "\u2423"
#: Query tokens: a quoted phrase (an unbalanced quote closes at the end) or a word.
_TOKEN_RE = re.compile(r'"([^"]*)"?|(\S+)')
QUERY_CUT = 2000

Passage = tuple[int, str, str]  # (pid, folded district key, folded text)


def _fold(text: str) -> str:
    from viewer.search import fold

    return fold(text)


def pieces_of(text: str) -> list[str]:
    """The pieces of a query word, as the viewer cuts them (folded, then runs)."""
    try:
        from viewer.search.normalize import runs
    except ImportError:
        return RUN_RE.findall(_fold(text))
    return runs(_fold(text))


def district_of(label: str) -> str:
    """The folded grouping key of a district label ("東城區" → "东城")."""
    from viewer.model.types import district_key

    return district_key(_fold(label))


# -- the literal reading of a query -----------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """``must``: clauses that must all hold; a clause holds if one of its alternatives
    does; an alternative holds if all its pieces occur. ``exclude``: alternatives whose
    passages are left out. ``district``: folded district key, or ""."""

    must: tuple[tuple[tuple[str, ...], ...], ...]
    exclude: tuple[tuple[str, ...], ...] = ()
    district: str = ""

    @property
    def conjunctive(self) -> bool:
        return not self.exclude and all(len(clause) == 1 for clause in self.must)

    def pieces(self) -> list[str]:
        return [p for clause in self.must for alt in clause for p in alt]


def plan(query: str) -> Plan:
    """The literal reading of the viewer's query language (see the module docstring)."""
    must: list[list[tuple[str, ...]]] = []
    exclude: list[tuple[str, ...]] = []
    district = ""
    join_next = False
    for match in _TOKEN_RE.finditer(query[:QUERY_CUT]):
        phrase, word = match.group(1), match.group(2)
        if phrase is None:
            if word == "OR":
                join_next = bool(must)
                continue
            if word.startswith("district:"):
                district = district_of(word[len("district:") :])
                continue
            negative = word.startswith("-")
            text = word[1:] if negative else word
        else:
            negative, text = False, phrase
        pieces = tuple(pieces_of(text))
        if not pieces:
            continue
        if negative:
            exclude.append(pieces)
        elif join_next:
            must[-1].append(pieces)
        else:
            must.append([pieces])
        join_next = False
    return Plan(tuple(tuple(c) for c in must), tuple(exclude), district)


class LiteralScan:
    """The exact literal answer of a plan, by scanning the folded text (``str.find`` over
    all passages joined, then ``in`` over the survivors)."""

    def __init__(self, texts: Sequence[str], districts: Sequence[str]) -> None:
        self.texts, self.districts = texts, districts
        self.joined = "\x00".join(texts)  # no piece holds NUL, so no match spans two passages
        self.starts, at = [], 0
        for text in texts:
            self.starts.append(at)
            at += len(text) + 1

    def _having(self, piece: str) -> list[int]:
        if len(piece) == 1:  # in most passages: one test each is cheaper than a find per hit
            return [i for i, text in enumerate(self.texts) if piece in text]
        found, find, starts, end = [], self.joined.find, self.starts, len(self.joined)
        pos = find(piece)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            found.append(i)
            pos = find(piece, starts[i + 1] if i + 1 < len(starts) else end)
        return found

    def _holds(self, alt: tuple[str, ...], ids: list[int] | None) -> list[int]:
        texts = self.texts
        pieces = sorted(alt, key=len, reverse=True)  # longest first: fewest survivors
        out = self._having(pieces[0]) if ids is None else [i for i in ids if pieces[0] in texts[i]]
        for piece in pieces[1:]:
            out = [i for i in out if piece in texts[i]]
        return out

    def ids(self, p: Plan) -> list[int]:
        """Every passage (index into ``texts``) that the plan matches literally, in order."""
        if not p.must:
            return []
        ids: list[int] | None = None
        for clause in sorted(p.must, key=lambda c: -min(len("".join(a)) for a in c)):
            if len(clause) == 1:
                ids = self._holds(clause[0], ids)
            else:
                found: set[int] = set()
                for alt in clause:
                    found.update(self._holds(alt, ids))
                ids = sorted(found)
        if p.district:
            ids = [i for i in ids if self.districts[i] == p.district]
        for alt in p.exclude:
            gone = set(self._holds(alt, ids))
            ids = [i for i in ids if i not in gone]
        return ids


# -- tantivy ------------------------------------------------------------------------------


def _grams(text: str) -> str:
    """The passage as overlapping bigrams of all its characters, white space as GAP and
    a closing token (``体温，检测`` → ``体温 温， ，检 检测 测␣``)."""
    text = "".join(GAP if c.isspace() else c for c in text) if _SPACE_RE.search(text) else text
    return " ".join(map(operator.add, text, text[1:] + GAP))


_SPACE_RE = re.compile(r"\s")


class TantivyEngine:
    name = "tantivy"
    TOKENIZER = "grams"

    def __init__(self) -> None:
        self.index = None
        self.schema = None
        self.searcher = None

    @staticmethod
    def version() -> str:
        from importlib.metadata import version

        return version("tantivy")

    def _schema(self):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("grams", tokenizer_name=self.TOKENIZER, index_option="position")
        builder.add_text_field("district", tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("pid", fast=True)
        return builder.build()

    def _register(self) -> None:
        import tantivy

        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        self.index.register_tokenizer(self.TOKENIZER, analyzer)

    def build(self, passages: Sequence[Passage], directory: Path) -> None:
        import tantivy

        directory.mkdir(parents=True, exist_ok=True)
        self.schema = self._schema()
        self.index = tantivy.Index(self.schema, path=str(directory))
        self._register()
        writer = self.index.writer()  # default heap, one indexing thread per core
        for pid, district, text in passages:
            if district:
                doc = tantivy.Document(grams=_grams(text), district=district, pid=pid)
            else:
                doc = tantivy.Document(grams=_grams(text), pid=pid)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()

    def open(self, directory: Path) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(directory))
        self.schema = self.index.schema
        self._register()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _piece(self, piece: str):
        from tantivy import Query

        if len(piece) == 1:
            return Query.regex_query(self.schema, "grams", re.escape(piece) + ".")
        bigrams = [piece[i : i + 2] for i in range(len(piece) - 1)]
        if len(bigrams) == 1:
            return Query.term_query(self.schema, "grams", bigrams[0])
        return Query.phrase_query(self.schema, "grams", bigrams)

    def _all_of(self, queries: list):
        from tantivy import Occur, Query

        if len(queries) == 1:
            return queries[0]
        return Query.boolean_query([(Occur.Must, q) for q in queries])

    def compile(self, p: Plan):
        from tantivy import Occur, Query

        if not p.must:
            return None
        parts = []
        for clause in p.must:
            alts = [self._all_of([self._piece(x) for x in alt]) for alt in clause]
            if len(alts) == 1:
                parts.append((Occur.Must, alts[0]))
            else:
                parts.append((Occur.Must, Query.boolean_query([(Occur.Should, a) for a in alts])))
        for alt in p.exclude:
            parts.append((Occur.MustNot, self._all_of([self._piece(x) for x in alt])))
        if p.district:
            parts.append((Occur.Must, Query.term_query(self.schema, "district", p.district)))
        if len(parts) == 1:
            return parts[0][1]
        return Query.boolean_query(parts)

    def search(self, query: str, limit: int) -> tuple[int, list[int]]:
        q = self.compile(plan(query))
        if q is None:
            return 0, []
        result = self.searcher.search(q, limit, count=True)
        addresses = [address for _score, address in result.hits]
        ids = self.searcher.fast_field_values("pid", addresses) if addresses else []
        return result.count, ids

    def all_ids(self, query: str) -> set[int]:
        q = self.compile(plan(query))
        if q is None:
            return set()
        count = self.searcher.search(q, 1, count=True).count
        if not count:
            return set()
        addresses = [a for _s, a in self.searcher.search(q, count, count=False).hits]
        return set(self.searcher.fast_field_values("pid", addresses))


# -- Xapian through libzim -------------------------------------------------------------


def _district_term(district: str) -> str:
    return "zzd" + district.encode("utf-8").hex()


class XapianZimEngine:
    name = "xapian"
    LANGUAGE = "zho"
    FILE = "passages.zim"

    def __init__(self) -> None:
        self.archive = None
        self.searcher = None
        self.emulated = 0  # queries combined here (OR, exclusions)

    @staticmethod
    def version() -> str:
        from importlib.metadata import version

        return f"libzim {version('libzim')}"

    def build(self, passages: Sequence[Passage], directory: Path) -> None:
        from libzim.writer import Creator, Hint, IndexData, Item, StringProvider

        class Data(IndexData):
            def __init__(self, content: str) -> None:
                super().__init__()
                self.content = content

            def has_indexdata(self) -> bool:
                return True

            def get_title(self) -> str:
                return ""

            def get_content(self) -> str:
                return self.content

            def get_keywords(self) -> str:
                return ""

            def get_wordcount(self) -> int:
                return len(self.content)

            def get_geoposition(self):
                return None

        class PassageItem(Item):
            def __init__(self, pid: int, content: str) -> None:
                super().__init__()
                self.pid, self.content = pid, content

            def get_path(self) -> str:
                return str(self.pid)

            def get_title(self) -> str:
                return ""

            def get_mimetype(self) -> str:
                return "text/plain"

            def get_contentprovider(self):
                return StringProvider("")  # the index is what is measured, not stored text

            def get_hints(self):
                return {Hint.FRONT_ARTICLE: False, Hint.COMPRESS: False}

            def get_indexdata(self):
                return Data(self.content)

        directory.mkdir(parents=True, exist_ok=True)
        path = directory / self.FILE
        path.unlink(missing_ok=True)
        with Creator(path).config_indexing(True, self.LANGUAGE) as creator:  # default workers
            for pid, district, text in passages:
                content = f"{text} {_district_term(district)}" if district else text
                creator.add_item(PassageItem(pid, content))

    def index_bytes(self, directory: Path) -> int:
        """Size of the Xapian full-text database inside the ZIM file."""
        from libzim.reader import Archive

        archive = Archive(directory / self.FILE)
        for n in range(archive.all_entry_count - 1, -1, -1):
            entry = archive._get_entry_by_id(n)
            if entry.path.endswith("fulltext/xapian"):
                return entry.get_item().size
        return 0

    def open(self, directory: Path) -> None:
        from libzim.reader import Archive
        from libzim.search import Searcher

        self.archive = Archive(directory / self.FILE)
        self.searcher = Searcher(self.archive)

    def _text(self, pieces: Iterable[str], district: str) -> str:
        words = list(pieces)
        if district:
            words.append(_district_term(district))
        return " ".join(words)

    def _run(self, text: str, limit: int) -> tuple[int, list[int]]:
        from libzim.search import Query

        search = self.searcher.search(Query().set_query(text))
        return search.getEstimatedMatches(), [int(path) for path in search.getResults(0, limit)]

    def _every(self, text: str) -> list[int]:
        return self._run(text, self.archive.all_entry_count)[1]

    def search(self, query: str, limit: int) -> tuple[int, list[int]]:
        p = plan(query)
        if not p.must:
            return 0, []
        if p.conjunctive:
            return self._run(self._text(p.pieces(), p.district), limit)
        self.emulated += 1
        ranked = self._combined(p)
        return len(ranked), ranked[:limit]

    def _combined(self, p: Plan) -> list[int]:
        """OR and exclusions, which libzim's query text cannot say: one search per
        alternative, combined over full result lists (order: the first list's ranking)."""
        order: list[int] = []
        keep: set[int] | None = None
        for clause in p.must:
            found: set[int] = set()
            for alt in clause:
                ids = self._every(self._text(alt, p.district))
                if not order:
                    order = ids
                found.update(ids)
            keep = found if keep is None else keep & found
        for alt in p.exclude:
            keep -= set(self._every(self._text(alt, p.district)))
        ranked = list(dict.fromkeys(i for i in order if i in keep))
        return ranked + sorted(keep.difference(ranked))

    def all_ids(self, query: str) -> set[int]:
        p = plan(query)
        if not p.must:
            return set()
        if p.conjunctive:
            return set(self._every(self._text(p.pieces(), p.district)))
        return set(self._combined(p))


ENGINES = {"tantivy": TantivyEngine, "xapian": XapianZimEngine}
_MODULES = {"tantivy": "tantivy", "xapian": "libzim"}


def available() -> list[str]:
    import importlib.util

    return [name for name in ENGINES if importlib.util.find_spec(_MODULES[name]) is not None]


# -- child processes ----------------------------------------------------------------------


def rss_kb(field: str = "VmRSS") -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def dir_bytes(directory: Path) -> int:
    return sum(f.stat().st_size for f in Path(directory).rglob("*") if f.is_file())


def _child_build(name: str, passages_file: str, directory: str, out: str) -> None:
    with open(passages_file, "rb") as handle:
        passages: list[Passage] = pickle.load(handle)
    engine = ENGINES[name]()
    before = rss_kb()
    start = time.perf_counter()
    engine.build(passages, Path(directory))
    seconds = time.perf_counter() - start
    size = dir_bytes(Path(directory))
    report = {
        "seconds": seconds,
        "chars": sum(len(t) for _p, _d, t in passages),
        "documents": len(passages),
        "bytes": size,
        "rss_before_kb": before,
        "version": engine.version(),
    }
    if isinstance(engine, XapianZimEngine):
        report["index_bytes"] = engine.index_bytes(Path(directory))
    Path(out).write_text(json.dumps(report), encoding="utf-8")


class OursEngine:
    """The viewer's own search, through its public API only (it is being rewritten)."""

    name = "ours"

    def __init__(self) -> None:
        self.index = None

    @staticmethod
    def version() -> str:
        import viewer

        return f"viewer {viewer.__version__}"

    def open(self, directory: Path) -> None:
        from viewer.search import SearchIndex

        self.index = SearchIndex(directory)

    def search(self, query: str, limit: int) -> tuple[int, list[tuple]]:
        result = self.index.search(query, limit=limit)
        return result.total, [(h.bulletin_id, h.section, h.paragraph) for h in result.hits]


# What each engine imports before it opens: for ours the index module (numpy, Whoosh) and
# the word segmenter (rjieba's engine and the mapped words file), which a long-lived
# process opens in the background when it opens the index (viewer.ui.library.open_index),
# as every peer loads its library first.
_SERVED = {
    "ours": (OursEngine, ("viewer.search.index", "viewer.search.segmenter")),
    "tantivy": (TantivyEngine, ("tantivy",)),
}
_SERVED["xapian"] = (XapianZimEngine, ("libzim.reader", "libzim.search"))


def _child_serve(name: str, directory: str, queries_file: str, out: str, truth_file: str = "") -> None:
    """One serving run in a fresh process: import, open and the first query, then the
    query mix, memory after it; then (with ``truth_file``) every match of every query.

    Every process first loads the harness (the query folding: viewer.search, OpenCC),
    so "first query" is opening the index plus one search, and ``base_kb`` the memory of
    the process before the engine's library is imported."""
    import importlib

    spec = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    cls, modules = _SERVED[name]
    # The harness, alike in every process: the query folding (viewer.search, OpenCC).
    _fold("預熱 ＥＭＳ")
    base_kb = rss_kb()
    start = time.perf_counter()
    for module in modules:
        importlib.import_module(module)
    import_ms = 1000 * (time.perf_counter() - start)
    engine = cls()
    start = time.perf_counter()
    engine.open(Path(directory))
    first_total, _ids = engine.search(spec["first"], spec["limit"])
    first_ms = 1000 * (time.perf_counter() - start)
    latencies, totals, tops = [], [], []
    for query in spec["queries"]:
        start = time.perf_counter()
        total, ids = engine.search(query, spec["limit"])
        latencies.append(1000 * (time.perf_counter() - start))
        totals.append(total)
        tops.append(ids)
    report = {
        "import_ms": import_ms,
        "first_ms": first_ms,
        "first_total": first_total,
        "latencies": latencies,
        "totals": totals,
        "tops": tops if name != "ours" else [],
        "rss_kb": rss_kb(),
        "hwm_kb": rss_kb("VmHWM"),
        "base_kb": base_kb,
        "emulated": getattr(engine, "emulated", 0),
    }
    if truth_file and hasattr(engine, "all_ids"):  # after the timed part
        with open(truth_file, "rb") as handle:
            truth: list[list[int]] = pickle.load(handle)
        checks, start = [], time.perf_counter()
        for query, exact in zip(spec["queries"], truth, strict=True):
            found = engine.all_ids(query)
            checks.append([len(found), len(exact), len(found.intersection(exact))])
        report["checks"] = checks
        report["check_s"] = time.perf_counter() - start
    Path(out).write_text(json.dumps(report), encoding="utf-8")


def _child_once(name: str, directory: str, query: str, limit: str) -> None:
    """A one-shot search, as a command line does it: import, open, one query, print the
    total and the ids. The query is folded as ours folds it (the same passages asked for)."""
    cls, _modules = _SERVED[name]
    engine = cls()
    engine.open(Path(directory))
    total, ids = engine.search(query, int(limit))
    print(json.dumps({"total": total, "ids": list(ids)}))


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    command, *rest = argv
    if command == "build":
        _child_build(*rest)
    elif command == "serve":
        _child_serve(*rest)
    elif command == "once":
        _child_once(*rest)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main(sys.argv[1:])
