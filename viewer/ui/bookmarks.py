"""Bookmarks behind the window: the store wrapped in one QObject, and the task functions.

``BookmarkService`` owns the window's one ``BookmarkStore``. It is opened in the
background after the window has painted (``open_in_background``), or on the spot by
the first action that needs it. It keeps every bookmark in memory for the panel and
the article's marks, and says ``bookmarks_changed`` after anything changed: an action
here, a re-anchoring, or another window or CLI process (``poll``, on a timer).

Store methods raise ``BookmarkError`` with a plain message; the window catches it at
each action. The undo commands (``viewer.ui.bookmark_commands``) report their own failures
through ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, Signal

from viewer.model import Bulletin
from viewer.progress import Cancel, Progress
from viewer.store.errors import BookmarkError
from viewer.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from viewer.model import Bookmark, PlaceWords
    from viewer.store.bookmark_export import MarkdownTexts
    from viewer.store.bookmarks import BookmarkStore, MergeReport

log = logging.getLogger("viewer.ui")


def place_words() -> PlaceWords:
    """The words of places and citations in the UI's language (``viewer.model.citation``)."""
    from viewer.model import PlaceWords

    translate = QCoreApplication.translate  # called with literals: pyside6-lupdate finds them
    return PlaceWords(
        lead=translate("BookmarksPanel", "Lead"),
        closing=translate("BookmarksPanel", "Closing"),
        title=translate("BookmarksPanel", "Title"),
        headline=translate("BookmarksPanel", "headline"),
        paragraph=translate("BookmarksPanel", "paragraph %1"),
        bulletin=translate("BookmarksPanel", "bulletin %1"),
    )


def place_text(bookmark: Bookmark, words: PlaceWords | None = None) -> str:
    """Where a bookmark is, for people: 西城 · 第 2 段 (counting from 1), in the UI's language
    (``words``: ``place_words()``, when the caller has them already)."""
    from viewer.model import place_label

    b = bookmark
    return place_label(b.district, b.heading, b.section, b.paragraph, words or place_words())


def citation_text(bookmark: Bookmark) -> str:
    """A bookmark's citation in the UI's language, as copied and exported from the window:
    bulletin title · date · number · column · 西城 · 第 2 段 (``Bookmark.citation`` in the words
    of the UI; the command line keeps English)."""
    from viewer.model import citation_label

    words = place_words()
    details = (bookmark.date, bookmark.number, bookmark.column)
    text = citation_label(bookmark.title, bookmark.bulletin_id, details, place_text(bookmark, words), words)
    if bookmark.orphaned:
        translate = QCoreApplication.translate
        return translate("BookmarksPanel", "%1 (passage not found in the archive)").replace("%1", text)
    return text


def markdown_texts(bookmarks: Sequence[Bookmark]) -> MarkdownTexts:
    """The words of a Markdown export in the UI's language (made here, on the UI thread)."""
    from viewer.store.bookmark_export import MarkdownTexts  # not needed before the window paints

    citations = {b.id: citation_text(b) for b in bookmarks}
    return MarkdownTexts(
        heading=QCoreApplication.translate("BookmarksPanel", "Bookmarks"),
        tags=QCoreApplication.translate("BookmarksPanel", "Tags: %1").replace("%1", ""),
        citation=lambda b: citations.get(b.id) or b.citation(),
    )


# -- task functions (pure: run on the task runner) --------------------------------------------
def open_store(path: Path | None = None, *, progress: Progress, cancel: Cancel) -> BookmarkStore:
    from viewer.store.bookmarks import BookmarkStore  # on the worker, after the window paints

    return BookmarkStore(path)


def reanchor_bookmarks(
    store: BookmarkStore, bulletins: Sequence[Bulletin], ids: Iterable[int] | None = None, *,
    progress: Progress, cancel: Cancel,
) -> int:  # fmt: skip
    """Re-attach bookmarks to the bulletins as they are now; returns how many are orphaned."""
    return store.reanchor(bulletins, ids)


class ImportOutcome(NamedTuple):
    """A bookmark import's report, and how many of the added bookmarks found no passage."""

    report: MergeReport
    orphaned: int


def import_bookmarks(
    store: BookmarkStore, path: Path, bulletins: Sequence[Bulletin], *, progress: Progress, cancel: Cancel
) -> ImportOutcome:
    """Add the bookmarks of a JSON export (duplicates skipped) and anchor them in the archive."""
    from viewer.store.bookmark_export import read_import  # not needed before the window paints

    report = store.merge(read_import(path))
    orphaned = store.reanchor(bulletins, [b.id for b in report.added]) if report.added else 0
    return ImportOutcome(report, orphaned)


def export_bookmarks(
    bookmarks: Sequence[Bookmark],
    fmt: str,
    path: Path,
    texts: MarkdownTexts | None = None,
    *,
    progress: Progress,
    cancel: Cancel,
) -> int:
    from viewer.store.bookmark_export import write_export

    write_export(bookmarks, fmt, path, texts)
    return len(bookmarks)


# -- the store, for the window ------------------------------------------------------------------
class BookmarkService(QObject):
    """The window's bookmark store, a cached list of its bookmarks, and one change signal."""

    bookmarks_changed = Signal()
    store_opened = Signal()  # ``recovered_from()`` and ``foreign_wal()`` may now be set
    failed = Signal(str, str)  # summary, details: a background bookmark task or an undo step failed

    def __init__(self, runner: TaskRunner, parent: QObject | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._path = path
        self._store: BookmarkStore | None = None
        self._opening = False
        self._bookmarks: list[Bookmark] = []
        self._bulletins: tuple[Bulletin, ...] | None = None

    # -- opening ---------------------------------------------------------------------------------
    def open_in_background(self) -> None:
        if self._store is not None or self._opening:
            return
        self._opening = True
        self._runner.submit(
            "open bookmarks",
            open_store,
            self._path,
            on_finished=self._on_open_finished,
            on_failed=self._on_open_failed,
        )

    def _on_open_finished(self, store: BookmarkStore) -> None:
        self._opening = False
        if self._store is not None:  # an action opened it meanwhile
            store.close()
            return
        self._adopt(store)

    def _on_open_failed(self, message: str) -> None:
        self._opening = False
        if self._store is None:
            self.failed.emit(self.tr("Bookmarks are not available."), message)

    def _adopt(self, store: BookmarkStore) -> None:
        self._store = store
        self._reload()
        self.store_opened.emit()
        self.bookmarks_changed.emit()
        self._reanchor_all()

    def store(self) -> BookmarkStore:
        """The open store (opened now if it is not yet); raises BookmarkError."""
        if self._store is None:
            from viewer.store.bookmarks import BookmarkStore

            self._adopt(BookmarkStore(self._path))
        assert self._store is not None
        return self._store

    def is_open(self) -> bool:
        return self._store is not None

    def recovered_from(self) -> Path | None:
        """Where a damaged bookmarks file was kept when the store was opened."""
        return self._store.recovered_from if self._store is not None else None

    def foreign_wal(self) -> Path | None:
        """Where a write-ahead log not written for the bookmarks file was set aside, unapplied."""
        return getattr(self._store, "foreign_wal", None) if self._store is not None else None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- reading (from the cache) ----------------------------------------------------------------
    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, oldest first."""
        return list(self._bookmarks)

    def get(self, bookmark_id: int) -> Bookmark | None:
        return next((b for b in self._bookmarks if b.id == bookmark_id), None)

    def same_passage(self, bookmark: Bookmark) -> Bookmark | None:
        """The kept bookmark of the same passage, if there is one."""
        identity = bookmark.identity()
        return next((b for b in self._bookmarks if b.identity() == identity), None)

    def for_bulletin(self, bulletin_id: str) -> list[Bookmark]:
        return [b for b in self._bookmarks if b.bulletin_id == bulletin_id and not b.orphaned]

    def search(self, text: str = "", tag: str = "") -> list[Bookmark]:
        """Bookmarks whose quote, note, district, title or tag holds ``text``, with ``tag``."""
        if not text.strip() and not tag.strip():
            return self.bookmarks()
        if self._store is None:
            return []
        try:
            return self._store.list(text or None, tag or None)
        except BookmarkError as exc:
            self.failed.emit(self.tr("The bookmarks could not be read."), str(exc))
            return []

    def tags(self) -> list[str]:
        from viewer.model.bookmark import tag_names

        return tag_names(self._bookmarks)

    # -- writing (each raises BookmarkError) -----------------------------------------------------
    def add(self, bookmark: Bookmark) -> Bookmark:
        saved = self.store().add(bookmark)
        self.reload()
        return saved

    def update(self, bookmark_id: int, note: str, tags: Iterable[str]) -> Bookmark:
        saved = self.store().update(bookmark_id, note=note, tags=tags)
        self.reload()
        return saved

    def remove(self, bookmark_ids: Sequence[int]) -> list[Bookmark]:
        """Remove bookmarks; returns them (for undo). Stops at the first failure."""
        store = self.store()
        removed = []
        try:
            for bookmark_id in bookmark_ids:
                removed.append(store.remove(bookmark_id))
        finally:
            if removed:
                self.reload()
        return removed

    def restore(self, bookmarks: Sequence[Bookmark]) -> None:
        store = self.store()
        try:
            for bookmark in bookmarks:
                store.restore(bookmark)
        finally:
            self.reload()

    def poll(self) -> bool:
        """Pick up what another window or CLI process saved; True if anything had changed."""
        if self._store is None:
            return False
        try:
            changed = self._store.changed_elsewhere()
        except BookmarkError as exc:
            log.info("bookmark poll failed: %s", exc)
            return False
        if changed:
            self.reload()
        return changed

    # -- re-anchoring ----------------------------------------------------------------------------
    def set_bulletins(self, bulletins: Sequence[Bulletin]) -> None:
        """The archive as the window now has it: re-attach bookmarks to it in the background."""
        self._bulletins = tuple(bulletins)
        self._reanchor_all()

    def _reanchor_all(self) -> None:
        if self._store is None or self._bulletins is None or not self._bookmarks:
            return
        self._runner.submit(
            "re-anchor bookmarks",
            reanchor_bookmarks,
            self._store,
            self._bulletins,
            on_finished=lambda _orphans: self.reload(),
            on_failed=lambda message: self.failed.emit(
                self.tr("Bookmarks could not be re-attached."), message
            ),
        )

    def reload(self) -> None:
        """Read the bookmarks again and say so (after a change made here or elsewhere)."""
        self._reload()
        self.bookmarks_changed.emit()

    def _reload(self) -> None:
        if self._store is None:
            return
        try:
            self._bookmarks = self._store.list()
        except BookmarkError as exc:
            self.failed.emit(self.tr("The bookmarks could not be read."), str(exc))
