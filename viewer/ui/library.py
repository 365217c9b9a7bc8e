"""Task functions behind the window (pure: no widgets, run on the task runner).

The window keeps an immutable snapshot of the archive (``Library``) and replaces it
after an import. Reading and importing open their own Archive (an Archive is not
thread-safe); the index tasks are handed the snapshot, which is, so the archive is
read from disk once per change rather than once per task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from viewer.model import Bulletin
from viewer.progress import Cancel, Progress
from viewer.store import Archive, ImportReport


@dataclass(frozen=True)
class Library:
    """The bulletins the window shows, in archive order."""

    bulletins: tuple[Bulletin, ...]

    @classmethod
    def of(cls, archive: Archive) -> Library:
        return cls(tuple(archive.bulletins()))

    @cached_property
    def _by_id(self) -> dict[str, Bulletin]:
        return {bulletin.id: bulletin for bulletin in self.bulletins}

    def get(self, bulletin_id: str) -> Bulletin | None:
        return self._by_id.get(bulletin_id)

    def ids(self) -> list[str]:
        """The bulletin ids, as SearchIndex.needs_sync/sync ask an archive for them."""
        return list(self._by_id)

    def __len__(self) -> int:
        return len(self.bulletins)


def load_library(*, progress: Progress, cancel: Cancel) -> Library:
    return Library.of(Archive())


#: An archive this small is read at once, on the window's thread: a few milliseconds,
#: where handing the reading to a worker and its answer back costs 15-20 ms before the
#: first text (the interpreter lock changes hands every 5 ms). Anything larger, or odd,
#: is read in the background.
SMALL_ARCHIVE_ENTRIES = 16
SMALL_ARCHIVE_BYTES = 2 * 1024 * 1024


def is_small_archive() -> bool:
    """Whether the archive folder holds only a few small regular files (or does not exist yet)."""
    return Archive().holds_at_most(SMALL_ARCHIVE_ENTRIES, SMALL_ARCHIVE_BYTES)


class IndexState(NamedTuple):
    """The search index as opened, and whether it must catch up with the archive."""

    index: Any  # viewer.search.SearchIndex
    needs_sync: bool


def open_index(library: Library | None, *, progress: Progress, cancel: Cancel) -> IndexState:
    """Open the search index and check whether it covers the library (None: the archive
    could not be read, so the index is searched as it is and left alone)."""
    from viewer.search import SearchIndex, load_segmenter

    index = SearchIndex()
    load_segmenter()  # here, in the background, not on the first query typed
    return IndexState(index, library is not None and index.needs_sync(library))


def sync_index(index: Any, library: Library, *, progress: Progress, cancel: Cancel, wait: float = 0.0) -> Any:
    """Bring the index in line with the library; returns the SyncReport."""
    return index.sync(library, progress=progress, cancel=cancel, wait=wait)


class ImportOutcome(NamedTuple):
    """An import's report, and the archive as it is after it."""

    report: ImportReport
    library: Library


def import_bulletins(files: Sequence[Path], *, progress: Progress, cancel: Cancel) -> ImportOutcome:
    """Copy files into the archive (one failing file does not stop the others)."""
    archive = Archive()
    report = archive.import_files([Path(f) for f in files], progress=progress, cancel=cancel)
    return ImportOutcome(report, Library.of(archive))


def section_spans(
    bulletin: Bulletin, sections: Iterable[int], query: str, spans_of: Callable[[str, str], list]
) -> list[tuple[int, int, int, int]]:
    """Every occurrence of ``query`` in the passages of ``sections`` (indices, or LEAD /
    CLOSING / HEAD) as (section, paragraph, start, end)."""
    wanted = set(sections)
    return [
        (section, paragraph, start, end)
        for section, paragraph, text in bulletin.passages()
        if section in wanted
        for start, end in spans_of(text, query)
    ]
