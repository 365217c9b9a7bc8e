"""The archive as the window has it, and the background work that changes it.

Its one job: read the archive at start-up, open the search index and bring it up to date,
import files, each on the task runner, and say what happened through signals — progress
for the status bar, ``failed`` for the one error channel, ``changed`` with each new
snapshot of the archive, ``index_ready`` when the index can be searched. It never
touches a widget; the window connects these signals to the widgets that show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from viewer.model import Bulletin
from viewer.store import IMPORT_STEPS
from viewer.store.sources import shown_name
from viewer.ui.i18n import sentence
from viewer.ui.library import (
    ImportOutcome,
    IndexState,
    Library,
    import_bulletins,
    is_small_archive,
    load_library,
    open_index,
    sync_index,
)
from viewer.ui.tasks import TaskHandle, TaskRunner

SYNC_WAIT_S = 30.0  # how long a sync waits for another window's writer


def failure_line(path: Path, reason: str) -> str:
    """``name: reason`` for a file that could not be imported, naming it once: the archive's
    reasons usually name the file already."""
    name = shown_name(path)
    if name in reason or str(path) in reason:
        return reason
    return f"{name}: {reason}"


class LibraryController(QObject):
    """The Library snapshot, the search index, and the tasks that load, index and import."""

    progressed = Signal(str, int, int, bool)  # text, done, total (0: unknown), cancellable
    progress_ended = Signal()
    status_posted = Signal(str, int)  # a passing message, for how many milliseconds
    failed = Signal(str, str)  # summary, details
    changed = Signal(object)  # Library: a new snapshot of the archive
    loaded = Signal()  # the archive was read at start-up (or could not be)
    index_ready = Signal(object)  # the SearchIndex to search (None: there is none to search)
    imported = Signal(object)  # ImportOutcome

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.library = Library(())
        self._index: Any = None
        self._sync_handle: TaskHandle | None = None
        self._sync_again = False
        self._import_handle: TaskHandle | None = None
        self._unreadable = False  # the archive could not be read at start-up

    # -- the snapshot ------------------------------------------------------------------------------
    @property
    def bulletins(self) -> tuple[Bulletin, ...]:
        return self.library.bulletins

    def get(self, bulletin_id: str) -> Bulletin | None:
        return self.library.get(bulletin_id)

    def __len__(self) -> int:
        return len(self.library)

    def search_index(self) -> Any:
        """The open SearchIndex, or None before it is opened."""
        return self._index

    def _set_library(self, library: Library) -> None:
        self.library = library
        self.changed.emit(library)

    # -- start-up ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the archive, in the background unless it is small; ``loaded`` follows (then
        ``open_index``)."""
        done = {"on_finished": self._on_load_finished, "on_failed": self._on_load_failed}
        if is_small_archive():  # a few milliseconds: the first frame can hold the text
            self._runner.run_now("load archive", load_library, **done)
            return
        self.progressed.emit(self.tr("Reading the archive…"), 0, 0, False)
        self._runner.submit("load archive", load_library, **done)

    def _on_load_finished(self, library: Library) -> None:
        self.progress_ended.emit()
        self._set_library(library)
        self.loaded.emit()

    def _on_load_failed(self, message: str) -> None:
        self.progress_ended.emit()
        self.failed.emit(self.tr("The archive could not be read."), message)
        self._unreadable = True
        self.loaded.emit()

    def open_index(self) -> None:
        """Open the search index in the background, once the archive was read (the window
        calls this when the text is on screen); ``index_ready`` follows, after a sync if the
        index does not cover the archive."""
        library = None if self._unreadable else self.library
        try:
            import viewer.search  # noqa: F401
        except ImportError as exc:  # only a broken installation gets here
            self.failed.emit(self.tr("Search is not available."), str(exc))
            self.index_ready.emit(None)
            return
        self._runner.submit(
            "open index",
            open_index,
            library,
            on_finished=self._on_index_opened,
            on_failed=self._on_index_failed,
        )

    def _on_index_opened(self, state: IndexState) -> None:
        self._index = state.index
        if state.needs_sync:
            # Searches wait for the sync: an index still being filled would answer "no results".
            self.start_sync()
        else:
            self.index_ready.emit(state.index)

    def _on_index_failed(self, message: str) -> None:
        self.failed.emit(self.tr("The search index could not be opened."), message)
        self.index_ready.emit(None)

    # -- indexing ----------------------------------------------------------------------------------
    def start_sync(self) -> None:
        """Bring the index up to date in the background (again, if one is running)."""
        if self._index is None:
            return
        if self._sync_handle is not None and not self._sync_handle.is_done():
            self._sync_again = True
            return
        self._sync_again = False
        self.progressed.emit(self.tr("Updating the search index…"), 0, 0, True)
        self._sync_handle = self._runner.submit(
            "sync index",
            sync_index,
            self._index,
            self.library,
            wait=SYNC_WAIT_S,
            on_progress=self._on_sync_progressed,
            on_finished=self._on_sync_finished,
            on_failed=self._on_sync_failed,
        )

    def _on_sync_progressed(self, done: int, total: int, _name: str) -> None:
        self.progressed.emit(self.tr("Updating the search index…"), done, total, True)

    def _on_sync_finished(self, report: Any) -> None:
        self.progress_ended.emit()
        if self._sync_again:
            self.start_sync()
            return
        if getattr(report, "busy", False):
            self.status_posted.emit(
                self.tr("Another window is updating the search index; results may be incomplete."), 8000
            )
        elif getattr(report, "cancelled", False):
            self.status_posted.emit(self.tr("Indexing stopped; search covers what was indexed."), 8000)
        self.index_ready.emit(self._index)

    def _on_sync_failed(self, message: str) -> None:
        self.progress_ended.emit()
        self.failed.emit(self.tr("The search index could not be updated."), message)
        self.index_ready.emit(self._index)  # what the index holds is still worth searching

    # -- import ------------------------------------------------------------------------------------
    def import_files(self, files: Sequence[Path]) -> bool:
        """Import in the background; False if an import is already running."""
        if self._import_handle is not None and not self._import_handle.is_done():
            self.status_posted.emit(self.tr("An import is already running."), 5000)
            return False
        files = [Path(f) for f in files]
        self.progressed.emit(
            self.tr("Importing %n file(s)…", "", len(files)), 0, len(files) * IMPORT_STEPS, True
        )
        self._import_handle = self._runner.submit(
            "import",
            import_bulletins,
            files,
            on_progress=self._on_import_progressed,
            on_finished=self._on_import_finished,
            on_failed=self._on_import_failed,
        )
        return True

    def _on_import_progressed(self, done: int, total: int, name: str) -> None:
        # The archive counts IMPORT_STEPS a file; a PDF moves through them page by page.
        text = (
            self.tr("Importing %1 (%2 of %3)…")
            .replace("%1", name)
            .replace("%2", str(min(done // IMPORT_STEPS + 1, max(1, total // IMPORT_STEPS))))
            .replace("%3", str(total // IMPORT_STEPS))
            if name
            else self.tr("Importing…")
        )
        self.progressed.emit(text, done, total, True)

    def _on_import_finished(self, outcome: ImportOutcome) -> None:
        self.progress_ended.emit()
        report = outcome.report
        self._set_library(outcome.library)
        if report.imported:
            self.start_sync()
        parts = [self.tr("%n bulletin(s) imported", "", len(report.imported))]
        if report.duplicates:
            parts.append(self.tr("%n already in the archive", "", len(report.duplicates)))
        if report.failed:
            parts.append(self.tr("%n failed", "", len(report.failed)))
        if report.cancelled:
            parts.append(self.tr("stopped before the end"))
        done = sentence(parts)
        if report.failed:
            # Through the one error channel, which also puts it in the status bar: what was done,
            # then each file that failed and why.
            self.failed.emit(done, "\n".join(failure_line(path, reason) for path, reason in report.failed))
        else:
            self.status_posted.emit(done, 10000)
        self.imported.emit(outcome)

    def _on_import_failed(self, message: str) -> None:
        self.progress_ended.emit()
        self.failed.emit(self.tr("The import failed."), message)

    def cancel(self) -> None:
        """Stop the running import and indexing (what is done so far is kept)."""
        for handle in (self._import_handle, self._sync_handle):
            if handle is not None and not handle.is_done():
                handle.cancel()
        self.status_posted.emit(self.tr("Stopping…"), 0)

    def close(self) -> None:
        if self._index is not None and hasattr(self._index, "close"):
            self._index.close()
