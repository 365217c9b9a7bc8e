"""The search index: one Whoosh document per paragraph and per headline.

Layout of ``paths.index_dir()``: the Whoosh files (``MAIN_*.toc``, segments,
``MAIN_WRITELOCK``) and ``viewer-index.json`` with the schema version, the parser
version the passages came from and the manifest of the committed files (``integrity``).
An index of another version (of either), one that cannot be read, and one whose files
are not what was committed (``viewer-index.damaged`` then says why) is rebuilt from the
archive (with a log line).

Writing: one writer at a time, across processes, under Whoosh's own lock file (an
``flock``, released by the kernel if the process dies). A process that finds the lock
taken waits up to ``wait`` seconds and otherwise searches the last committed state.
Whoosh commits by renaming a new table of contents into place, so a writer killed
half-way leaves the previous commit intact; its orphan files are removed by the next
writer. Each bulletin's passages are committed together with a marker document, so
"which bulletins are indexed" is read from the index itself and is always true.

Each committed segment has a grams file beside it (``grams``), written before the table
of contents that names the segment, so a committed state always has its grams; files of
segments merged away are removed after the commit.

Reading: one searcher per thread, reopened when a writer has committed; matching
(``corpus``) and ranking (``ranking``) run over the mapped grams of that committed state.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from viewer import paths
from viewer.model import (
    PARSER_VERSION,
    Bulletin,
    SearchResult,
)
from viewer.progress import Cancel, Progress
from viewer.search.corpus import Corpus
from viewer.search.errors import Cancelled, SearchError
from viewer.search.hits import hits_of
from viewer.search.integrity import (
    mark_damaged,
    newest_toc,
)
from viewer.search.manifest import (
    INDEX_NAME,
    LOCK_NAME,
    META_NAME,
    checked,
    read_meta,
    read_versions,
    write_manifest,
)
from viewer.search.query import ParsedQuery, parse_query
from viewer.search.ranking import Scorer, rank
from viewer.search.schema import (
    KIND_MARKER,
    SCHEMA_VERSION,
    make_schema,
)
from viewer.search.writing import GramsWriter, passages_of, unfinished
from viewer.store.atomic import atomic_write_text
from viewer.store.errors import StoreError
from viewer.store.fingerprint import content_of


class BulletinSource(Protocol):
    """What the index reads of an archive: viewer.store.Archive, or the window's snapshot."""

    def ids(self) -> list[str]: ...

    def get(self, bulletin_id: str) -> Bulletin | None: ...


log = logging.getLogger("viewer.search")

T = TypeVar("T")


WRITER_LIMIT_MB = 64
#: Reads of the index tried before it counts as damaged (another process may commit
#: between reading the table of contents and opening the segments it names).
OPEN_ATTEMPTS = 3
#: Corpora of older index generations kept for threads that have not refreshed yet.
CORPORA_KEPT = 2


@dataclass
class SyncReport:
    """What one ``sync`` did."""

    added: int = 0  # bulletins indexed
    removed: int = 0  # bulletins dropped
    documents: int = 0  # passages (paragraphs and headlines) indexed
    chars: int = 0  # characters of those passages
    rebuilt: bool = False  # the index was (re)created from scratch
    reason: str = ""  # why it was rebuilt
    cancelled: bool = False  # cancel() stopped it; what was done so far is committed
    busy: bool = False  # another process was writing; nothing was done
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.rebuilt)


class _Busy(Exception):
    pass


def _quietly(read: Callable[[], T]) -> tuple[T | None, str]:
    """``(read(), "")``, or ``(None, why)`` if Whoosh failed reading the index.

    Whoosh raises many kinds of exception on a damaged index (EOFError, pickle and
    struct errors, its own IndexError...) and leaves the files it opened to the garbage
    collector; they are collected here, so no ResourceWarning is printed later.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return read(), ""
        except Exception as exc:
            why = f"unreadable index ({exc.__class__.__name__}: {exc})"
        gc.collect()
    return None, why


class SearchIndex:
    """Index and search an archive. Cheap to create: files are opened on first use."""

    def __init__(self, index_dir: Path | None = None) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else paths.index_dir()
        self._local = threading.local()
        self._searchers: list[Searcher] = []
        self._lock = threading.Lock()
        self._corpora: dict[tuple, tuple[Corpus, Scorer]] = {}
        self._damaged = ""  # why the last search could not read the index
        self._verified = False  # every file's CRC checked once (needs_sync does it)
        self._corpus_lock = threading.Lock()

    # -- opening ---------------------------------------------------------------
    def _current(self, meta: dict) -> bool:
        """Whether the index is as the record ``meta`` says its last sync left it: nothing
        committed or found damaged since (a stat per file)."""
        if self._damaged or meta.get("toc") != newest_toc(self.index_dir, INDEX_NAME):
            return False
        if meta.get("schema_version") != SCHEMA_VERSION or meta.get("parser_version") != PARSER_VERSION:
            return False
        return not checked(self.index_dir, full=False, meta=meta) and self._searcher() is not None

    def _open(self) -> tuple[whoosh_index.Index | None, str]:
        """The committed index, or (None, why it cannot be used)."""
        if not self.index_dir.is_dir():
            return None, "no index yet"
        versions = read_versions(self.index_dir)
        if versions is None:
            exists = any(self.index_dir.glob(f"_{INDEX_NAME}_*.toc"))
            return None, "unreadable index metadata" if exists else "no index yet"
        schema, parser = versions
        if schema != SCHEMA_VERSION:
            return None, f"index schema version {schema}, this program uses {SCHEMA_VERSION}"
        if parser != PARSER_VERSION:
            # The archive re-parses every bulletin (same ids, maybe other paragraphs).
            return None, f"bulletins indexed with parser version {parser}, now {PARSER_VERSION}"
        why = checked(self.index_dir, full=False)
        if why:
            return None, f"damaged index: {why}"

        def read() -> whoosh_index.Index:
            ix = whoosh_index.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            ix.schema  # noqa: B018 - unpickles the schema: fails on a damaged table of contents
            return ix

        return _quietly(read)

    def _searcher(self) -> Searcher | None:
        """This thread's searcher on the last committed state (None: no usable index)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            if _quietly(searcher.up_to_date)[0]:
                return searcher
            # Not Searcher.refresh(): it reuses the old segment reader after a commit that
            # only deleted documents, and the deleted passages would still be found.
            self._forget_searcher(searcher)
        for _attempt in range(OPEN_ATTEMPTS):
            ix, why = self._open()
            if ix is None:
                if not why.startswith("unreadable"):
                    log.info("no usable search index: %s", why)
                    return None
                continue  # another process may have committed between two reads: look again
            searcher, why = _quietly(ix.searcher)
            if searcher is not None:
                break
        else:
            log.warning("cannot open the search index: %s", why)
            return None
        with self._lock:
            self._searchers.append(searcher)
        self._local.searcher = searcher
        return searcher

    def _forget_searcher(self, old: Searcher) -> None:
        with self._lock:
            if old in self._searchers:
                self._searchers.remove(old)
        try:
            old.close()
        except Exception as exc:  # closing a reader of deleted files
            log.debug("closing a stale searcher: %s", exc)
        self._local.searcher = None

    def close(self) -> None:
        """Close every searcher this object opened (in any thread)."""
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            try:
                searcher.close()
            except Exception as exc:
                log.debug("closing a searcher: %s", exc)
        self._local = threading.local()

    # -- what is indexed -------------------------------------------------------
    def _indexed_ids(self, searcher: Searcher) -> set[str]:
        return self._corpus(searcher)[0].indexed_bulletins()

    def indexed_ids(self) -> set[str]:
        """Ids of the bulletins in the last committed index."""
        searcher = self._searcher()
        return set() if searcher is None else self._indexed_ids(searcher)

    def needs_sync(self, archive: BulletinSource) -> bool:
        """Whether ``sync`` has work to do (missing, outdated or damaged index, or the
        archive changed since the last sync). Reads the bulletin markers; the first call
        also re-reads every index file against its manifest (damage of any kind)."""
        if self._damaged:
            return True
        if not self._verified:
            self._verified = True
            if self.index_dir.is_dir() and checked(self.index_dir, full=True):
                return True
        searcher = self._searcher()
        if searcher is None:
            return True
        indexed, why = _quietly(lambda: self._indexed_ids(searcher))
        if indexed is None:
            log.warning("search index: %s", why)
            return True
        return indexed != set(archive.ids())

    # -- writing ---------------------------------------------------------------
    def _acquire(self, wait: float):
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(self.index_dir)).lock(LOCK_NAME)
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            if lock.acquire(blocking=False):
                return lock
            if time.monotonic() >= deadline:
                raise _Busy
            time.sleep(0.1)

    def _clear(self) -> None:
        """Remove every file of the index except the lock (held by us)."""
        for entry in self.index_dir.iterdir():
            if entry.name == LOCK_NAME:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def _create(self) -> whoosh_index.Index:
        self._clear()
        ix = whoosh_index.create_in(str(self.index_dir), make_schema(), indexname=INDEX_NAME)
        # Written after the index: if we die in between, the next run rebuilds again.
        meta = {"schema_version": SCHEMA_VERSION, "parser_version": PARSER_VERSION}
        atomic_write_text((self.index_dir / META_NAME), json.dumps(meta) + "\n")
        return ix

    def _remove_stale_temp(self) -> None:
        """What a killed writer left behind that Whoosh does not clean (we hold the lock):
        its temporary folder and a table of contents it had not yet renamed into place.
        (Orphan segment files are removed by Whoosh at the next commit.)"""
        for entry in self.index_dir.iterdir():
            if entry.is_dir() and entry.name.endswith(".tmp"):
                shutil.rmtree(entry, ignore_errors=True)
            elif unfinished(entry.name, INDEX_NAME):
                entry.unlink(missing_ok=True)

    def _flush_to_disk(self) -> None:
        """Whoosh never fsyncs: flush the committed files, so a power cut after a sync does
        not leave a table of contents that names unwritten segments (that would still only
        mean a rebuild)."""
        for entry in self.index_dir.iterdir():
            if entry.is_file() and entry.name != LOCK_NAME:
                with open(entry, "rb") as handle:
                    os.fsync(handle.fileno())
        fd = os.open(self.index_dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def sync(
        self,
        archive: BulletinSource,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        *,
        wait: float = 0.0,
    ) -> SyncReport:
        """Bring the index in line with ``archive``: index new bulletins, drop removed ones.

        Rebuilds an index of another schema version or a damaged one. If another process
        is writing, waits up to ``wait`` seconds, then returns ``SyncReport(busy=True)``
        (searches keep reading the last committed state). Raises SearchError only when
        the index folder cannot be written at all.

        An archive that can describe its state cheaply (``fingerprint(known)``: one stat
        of its folder, or a stat per entry) and is as it was at the last sync is not read
        at all: nothing is written and no lock is taken, so an up-to-date index on a
        read-only disk is fine.
        """
        started = time.monotonic()
        report = SyncReport()
        describe = getattr(archive, "fingerprint", None)
        meta = read_meta(self.index_dir) or {}
        recorded = meta.get("archive_state") if isinstance(meta.get("archive_state"), str) else None
        archive_state = describe(recorded) if callable(describe) else None
        if archive_state and content_of(archive_state) == content_of(recorded) and self._current(meta):
            if archive_state != recorded:
                self._note_state(archive_state)  # the same entries; the folder's stamp moved on
            return report
        try:
            lock = self._acquire(wait)
        except _Busy:
            log.info("another process is updating the search index; using its last committed state")
            report.busy = True
            return report
        except OSError as exc:
            raise SearchError(self._write_error(exc)) from exc
        try:
            self._sync_locked(archive, report, progress, cancel, archive_state)
        except StoreError as exc:
            raise SearchError(str(exc)) from exc
        except OSError as exc:
            raise SearchError(self._write_error(exc)) from exc
        finally:
            lock.release()
        report.seconds = time.monotonic() - started
        if report.changed:
            log.info(
                "search index: %d bulletins added (%d passages, %d chars), %d removed in %.1f s",
                report.added,
                report.documents,
                report.chars,
                report.removed,
                report.seconds,
            )
        return report

    def _note_state(self, archive_state: str) -> None:
        """Record the archive's new state, so that the next check is one stat: best effort
        (another writer busy, or a disk that cannot take it, is no error)."""
        try:
            lock = self._acquire(0.0)
        except (_Busy, OSError):
            return
        try:
            write_manifest(self.index_dir, archive_state)
        except OSError as exc:
            log.info("cannot note the archive's state in %s: %s", self.index_dir, exc)
        finally:
            lock.release()

    def _write_error(self, exc: OSError) -> str:
        return f"cannot write the search index in {self.index_dir}: {exc.strerror or exc}"

    def _sync_locked(
        self,
        archive: BulletinSource,
        report: SyncReport,
        progress: Progress | None,
        cancel: Cancel | None,
        archive_state: str | None,
    ) -> None:
        ix, why = self._open()
        indexed: set[str] = set()
        if ix is not None:

            def read_markers() -> set[str]:
                with ix.searcher() as searcher:
                    if self._damaged:  # a search failed: read every passage to be sure
                        for _text in searcher.reader().column_reader("raw"):
                            pass
                        Corpus(searcher.reader(), self.index_dir)
                    return self._indexed_ids(searcher)

            found, why = _quietly(read_markers)
            if found is None:
                ix = None
            else:
                indexed = found
        self._damaged = ""
        if ix is None:
            if why != "no index yet":
                log.warning("rebuilding the search index: %s", why)
            report.rebuilt, report.reason = True, why
            ix = self._create()
            indexed = set()
        wanted = archive.ids()
        wanted_set = set(wanted)
        to_remove = sorted(indexed - wanted_set)
        to_add = [bid for bid in wanted if bid not in indexed]
        if not to_remove and not to_add:
            meta = read_meta(self.index_dir) or {}
            killed = meta.get("toc") != newest_toc(self.index_dir, INDEX_NAME)  # after its commit
            if killed:
                write_manifest(self.index_dir, archive_state)
            elif archive_state and meta.get("archive_state") != archive_state:
                try:  # only a note for next time: a disk that cannot take it is no error
                    write_manifest(self.index_dir, archive_state)
                except OSError as exc:
                    log.info("cannot note the archive's state in %s: %s", self.index_dir, exc)
            return
        self._remove_stale_temp()
        bulletins = [archive.get(bid) for bid in to_add]
        writer = GramsWriter(ix, _lk=False, limitmb=WRITER_LIMIT_MB)
        try:
            for bid in to_remove:
                writer.delete_by_term("bulletin", bid)
            report.removed = len(to_remove)
            for done, bulletin in enumerate(bulletins):
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                if progress is not None:
                    progress(done, len(bulletins), bulletin.title)
                for doc in passages_of(bulletin):
                    report.chars += doc.pop("chars")
                    writer.add_document(**doc)
                    report.documents += 1
                title = bulletin.title.encode("utf-8")
                writer.add_document(bulletin=bulletin.id, kind=KIND_MARKER.encode(), raw=title)
                report.added += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._flush_to_disk()
        write_manifest(self.index_dir, None if report.cancelled else archive_state)
        if progress is not None and not report.cancelled:
            progress(len(bulletins), len(bulletins), "")

    # -- searching -------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        district: str | None = None,
        bulletin: str | None = None,
        limit: int | None = 20,
        cancel: Cancel | None = None,
    ) -> SearchResult:
        """Search the last committed index. Any query text is accepted: a query with
        nothing to search for gives no hits. Raises SearchError if the index cannot be read."""
        parsed = parse_query(query, district)
        limit = max(limit or 0, 0) or None  # None, 0 and negative numbers: every hit
        if parsed.empty:
            return SearchResult(query=query, total=0)
        if cancel is not None and cancel():
            return SearchResult(query=query, total=0, cancelled=True)
        for _attempt in range(OPEN_ATTEMPTS):
            searcher = self._searcher()
            if searcher is None:
                return SearchResult(query=query, total=0)
            result, why = _quietly(lambda s=searcher: self._search(s, query, parsed, bulletin, limit, cancel))
            if result is not None:
                return result
            # Another process may have committed and removed files under us: look again.
            self._forget_searcher(searcher)
        self._damaged = why
        log.warning("search failed: %s", why)
        mark_damaged(self.index_dir, why)  # every process rebuilds it at its next sync
        raise SearchError("the search index cannot be read; it will be rebuilt")

    def _corpus(self, searcher: Searcher) -> tuple[Corpus, Scorer]:
        """The corpus of the searcher's generation and its scorer (made once, shared by threads)."""
        reader = searcher.reader()
        # Generations restart at 1 when the index is rebuilt; segment names never repeat.
        key = (reader.generation(), tuple(r.segment().segment_id() for r, _ in reader.leaf_readers()))
        with self._corpus_lock:
            found = self._corpora.get(key)
            if found is None:
                started = time.monotonic()
                corpus = Corpus(reader, self.index_dir)
                found = self._corpora[key] = (corpus, Scorer(corpus))
                for old in list(self._corpora)[:-CORPORA_KEPT]:
                    del self._corpora[old]
                log.info(
                    "search corpus opened: %d passages in %.0f ms",
                    corpus.size,
                    1000 * (time.monotonic() - started),
                )
        return found

    def _search(
        self,
        searcher: Searcher,
        query: str,
        parsed: ParsedQuery,
        bulletin: str | None,
        limit: int | None,
        cancel: Cancel | None,
    ) -> SearchResult:
        corpus, scorer = self._corpus(searcher)
        corpus.release()
        try:
            ranked = rank(corpus, scorer, parsed, bulletin, limit, cancel)
        except Cancelled:
            return SearchResult(query=query, total=0, cancelled=True)
        hits = hits_of(corpus, ranked, parsed)
        return SearchResult(
            query=query,
            total=ranked.total,
            hits=hits,
            district_counts=ranked.district_counts,
            bulletin_counts=ranked.bulletin_counts,
            section_counts=ranked.section_counts,
        )
