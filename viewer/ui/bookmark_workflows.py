"""What people do with bookmarks in the window, from first click to undo.

Its one job is the bookmark workflows: bookmark a selection or a paragraph (Ctrl+D, the
article's context menu) through the note dialog, edit and delete them (Ctrl+Z brings
them back), open one at its exact quote, export and import them, mark the passages of
the shown section that hold one, and tell the user once when the store was repaired on
opening. The store itself is ``BookmarkService``'s; errors go out through ``failed``,
passing messages through ``status_posted``, lasting ones through ``notice_posted``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from viewer.model import Bookmark, PassageError, locate, make_bookmark
from viewer.model.bookmark import section_of
from viewer.store import BookmarkError, DuplicateBookmarkError
from viewer.ui.article import ArticleView, shown_sections
from viewer.ui.bookmark_commands import BookmarkCommand, added_command, edited_command, removed_command
from viewer.ui.bookmarks import (
    BookmarkService,
    ImportOutcome,
    export_bookmarks,
    import_bookmarks,
    markdown_texts,
    place_text,
)
from viewer.ui.i18n import sentence
from viewer.ui.library import Library
from viewer.ui.qt_namespace import Qt
from viewer.ui.tasks import TaskHandle, TaskRunner
from viewer.ui.theme import icon
from viewer.ui.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMenu

    from viewer.ui.reading_controller import ReadingController

POLL_MS = 2000  # how often an active window looks for bookmarks saved elsewhere (CLI)


class BookmarkWorkflows(QObject):
    """Bookmarking, editing, deleting (with undo), opening, exporting and importing."""

    bookmark_saved = Signal(object)  # Bookmark, after Ctrl+D (or the context menu) and the dialog
    already_kept = Signal(object)  # Bookmark: the passage asked for is bookmarked already
    status_posted = Signal(str, int)  # a passing message, for how many milliseconds
    notice_posted = Signal(object)  # a callable giving a lasting notice's text (in the language shown)
    failed = Signal(str, str)  # summary, details

    def __init__(
        self,
        service: BookmarkService,
        article: ArticleView,
        reading: ReadingController,
        runner: TaskRunner,
        state: WindowState,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.service = service
        self.article = article
        self.reading = reading
        self.runner = runner
        self.state = state
        self.window = window  # parent of the dialogs and menus
        self.library = Library(())
        self.undo_stack = QUndoStack(self)
        self._stack_at = (0, 0)  # (index, count) of the stack: tells undo and redo from the rest
        self._pushing = False
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.dialog: QDialog | None = None  # the bookmark dialog while it is open
        self.article_menu: QMenu | None = None  # the article's context menu while it is open
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self._on_poll_timer_timeout)

    def set_library(self, library: Library) -> None:
        self.library = library

    def retranslate(self) -> None:
        """The language changed: the undo texts in the new one (the Edit menu shows them)."""
        for n in range(self.undo_stack.count()):
            command = self.undo_stack.command(n)
            if isinstance(command, BookmarkCommand):
                command.retranslate()
        self.undo_stack.undoTextChanged.emit(self.undo_stack.undoText())
        self.undo_stack.redoTextChanged.emit(self.undo_stack.redoText())

    # -- undo --------------------------------------------------------------------------------------
    def _push(self, command: BookmarkCommand) -> None:
        self._pushing = True
        try:
            self.undo_stack.push(command)
        finally:
            self._pushing = False
            self._stack_at = (self.undo_stack.index(), self.undo_stack.count())

    def _on_undo_stack_index_changed(self, index: int) -> None:
        """Undone or redone: the status says so (instead of what the action itself said). A step
        that failed has left the stack (its error is reported) and says nothing here."""
        (before, count), self._stack_at = self._stack_at, (index, self.undo_stack.count())
        if self._pushing or index == before or count != self.undo_stack.count():
            return
        command = self.undo_stack.command(index if index < before else index - 1)
        text = command.text() if command is not None else ""
        if index < before:
            self.status_posted.emit(self.tr("Undone: %1").replace("%1", text), 5000)
        else:
            self.status_posted.emit(self.tr("Redone: %1").replace("%1", text), 5000)

    # -- bookmarking -------------------------------------------------------------------------------
    def bookmark_selection(self) -> bool:
        """Ctrl+D: bookmark the selected text (or, with nothing selected, the paragraph at the
        text cursor); the dialog asks for a note and tags. False if there is nothing to keep."""
        ref = self.article.current_selection()
        if ref is not None:
            return self._bookmark_passage(
                ref.bulletin_id,
                ref.section,
                ref.paragraph,
                ref.start,
                ref.end,
                self.article.selection_is_cut(),
            )
        place = self.article.passage_at()
        current = self.article.current_section()
        if place is None or current is None:
            self.status_posted.emit(
                self.tr(
                    "Select text in a paragraph first (or right-click a paragraph to bookmark all of it)."
                ),
                8000,
            )
            return False
        return self._bookmark_passage(current[0], place[0], place[1], None, None)

    def bookmark_paragraph(self, section: int, paragraph: int) -> bool:
        """Bookmark a whole paragraph (or headline) of the shown section."""
        current = self.article.current_section()
        if current is None:
            return False
        return self._bookmark_passage(current[0], section, paragraph, None, None)

    def _bookmark_passage(
        self, bulletin_id: str, section: int, paragraph: int, start: int | None, end: int | None, cut=False
    ) -> bool:
        bulletin = self.library.get(bulletin_id)
        if bulletin is None:
            return False
        try:
            draft = make_bookmark(bulletin, section, paragraph, start, end)
        except PassageError:
            self.status_posted.emit(self.tr("There is no text in the selection to bookmark."), 8000)
            return False
        try:
            self.service.store()  # opened now if the background opening has not finished
        except BookmarkError as exc:
            self.failed.emit(self.tr("Bookmarks are not available."), str(exc))
            return False
        existing = self.service.same_passage(draft)
        if existing is not None:
            self._show_existing(existing)
            return False
        notice = ""
        if cut:
            notice = self.tr(
                "The selection runs over several paragraphs; only its part in the first one is bookmarked."
            )
            self.status_posted.emit(notice, 8000)
        self._open_dialog(draft, notice, lambda note, tags: self._save_new(draft, note, tags))
        return True

    def _open_dialog(
        self, bookmark: Bookmark, notice: str, save: Callable[[str, tuple[str, ...]], None], editing=False
    ) -> None:
        from viewer.ui.bookmark_dialog import BookmarkDialog  # not needed before the first bookmark

        dialog = BookmarkDialog(bookmark, self.service.tags(), self.window, notice=notice, editing=editing)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: save(dialog.note(), dialog.tags()))
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _save_new(self, draft: Bookmark, note: str, tags: tuple[str, ...]) -> None:
        try:
            saved = self.service.add(replace(draft, note=note, tags=tags))
        except DuplicateBookmarkError as exc:
            self._show_existing(exc.existing)
            return
        except BookmarkError as exc:
            self.failed.emit(self.tr("The bookmark could not be saved."), str(exc))
            return
        self._push(added_command(self.service, lambda: self.tr("Add Bookmark"), saved))
        self.status_posted.emit(
            self.tr("Bookmarked: %1 (Ctrl+4: bookmarks).").replace("%1", place_text(saved)), 8000
        )
        self.bookmark_saved.emit(saved)

    def _show_existing(self, existing: Bookmark) -> None:
        self.already_kept.emit(existing)
        self.status_posted.emit(
            self.tr("This passage is already bookmarked; it is selected in the Bookmarks panel."), 8000
        )

    # -- one bookmark ------------------------------------------------------------------------------
    def open_bookmark(self, bookmark: Bookmark) -> bool:
        """Show a bookmark's passage with its exact quote selected; False if it cannot be found."""
        bulletin = self.library.get(bookmark.bulletin_id)
        anchor = locate(bookmark, bulletin) if bulletin is not None else None
        if bulletin is None or anchor is None:
            self.status_posted.emit(
                self.tr(
                    "The passage of this bookmark is no longer in the archive; its quote and note are kept."
                ),
                8000,
            )
            return False
        return self.reading.show_spans(bulletin.id, anchor.section, anchor.paragraph, anchor.spans)

    def edit_bookmark(self, bookmark: Bookmark) -> None:
        """The dialog with the note and tags of a bookmark; saving can be undone."""
        before = self.service.get(bookmark.id) or bookmark
        self._open_dialog(before, "", lambda note, tags: self._save_edited(before, note, tags), editing=True)

    def _save_edited(self, before: Bookmark, note: str, tags: tuple[str, ...]) -> None:
        if note == before.note and tags == before.tags:
            return
        try:
            after = self.service.update(before.id, note, tags)
        except BookmarkError as exc:
            self.failed.emit(self.tr("The bookmark could not be saved."), str(exc))
            return
        self._push(edited_command(self.service, lambda: self.tr("Edit Bookmark"), before, after))

    def delete_bookmarks(self, chosen: Sequence[Bookmark]) -> int:
        """Remove bookmarks (Ctrl+Z brings them back); returns how many were removed."""
        removed: list[Bookmark] = []
        try:
            for bookmark in chosen:
                removed.extend(self.service.remove([bookmark.id]))
        except BookmarkError as exc:
            self.failed.emit(self.tr("The bookmark could not be deleted."), str(exc))
        if removed:
            count = len(removed)
            self._push(
                removed_command(self.service, lambda: self.tr("Delete %n Bookmark(s)", "", count), removed)
            )
            self.status_posted.emit(
                self.tr("%n bookmark(s) deleted; Ctrl+Z brings them back.", "", len(removed)), 8000
            )
        return len(removed)

    # -- the article -------------------------------------------------------------------------------
    def refresh_marks(self, *_args: object) -> None:
        """Mark the passages of the shown section that hold bookmarks."""
        bulletin = self.article.bulletin()
        current = self.article.current_section()
        if bulletin is None or current is None:
            return
        shown = shown_sections(bulletin, current[1])
        marks = []
        for b in self.service.for_bulletin(bulletin.id):
            section = section_of(b, bulletin)
            if section in shown:
                marks.append((section, b.paragraph))
        self.article.mark_paragraphs(marks)

    def show_article_menu(self, pos: QPoint) -> None:
        """The article's context menu: Qt's own, and bookmarking the selection or the paragraph."""
        menu = self.article.createStandardContextMenu(pos)
        menu.addSeparator()
        selection = menu.addAction(icon("bookmark"), self.tr("&Bookmark Selection…"))
        selection.setShortcut(QKeySequence("Ctrl+D"))
        selection.setEnabled(self.article.current_selection() is not None)
        selection.triggered.connect(self.bookmark_selection)
        place = self.article.passage_at(pos)
        paragraph = menu.addAction(self.tr("Bookmark This &Paragraph…"))
        paragraph.setEnabled(place is not None)
        if place is not None:
            paragraph.triggered.connect(lambda: self.bookmark_paragraph(*place))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.article_menu = menu
        menu.popup(self.article.viewport().mapToGlobal(pos))

    # -- the store ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the store in the background and look for changes made elsewhere from now on."""
        self.service.open_in_background()
        self.poll_timer.start()

    def _on_poll_timer_timeout(self) -> None:
        if self.window.isActiveWindow():
            self.service.poll()

    def on_store_opened(self) -> None:
        """Tell the user, once, what opening the store had to set aside."""
        kept = self.service.recovered_from()
        if kept is not None:
            self._tell(
                lambda: self.tr(
                    "Your bookmarks file was damaged and could not be read. It was kept as %1, "
                    "and a new, empty bookmarks file was started."
                ).replace("%1", str(kept))
            )
        foreign = self.service.foreign_wal()
        if foreign is not None:
            self._tell(
                lambda: self.tr(
                    "Unsaved changes found beside your bookmarks file were not written for it "
                    "(from another copy of it?), so they were not applied. They were kept as %1; "
                    "your bookmarks are as they were last saved."
                ).replace("%1", str(foreign))
            )

    def _tell(self, text: Callable[[], str]) -> None:
        self.notice_posted.emit(text)
        self.status_posted.emit(text(), 15000)

    # -- export and import -------------------------------------------------------------------------
    def export_with_dialog(self) -> None:
        filters = {
            "markdown": self.tr("Markdown (*.md)"),
            "csv": self.tr("CSV for spreadsheets (*.csv)"),
            "json": self.tr("JSON, complete, can be imported (*.json)"),
        }
        from PySide6.QtWidgets import QFileDialog

        from viewer.store.export_formats import FORMATS, SUFFIXES

        fmt = self.state.export_format(FORMATS)
        folder = Path(self.state.bookmarks_folder())
        name, chosen = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Export Bookmarks"),
            str(folder / f"bookmarks{SUFFIXES[fmt]}"),
            ";;".join(filters.values()),
            filters[fmt],
        )
        if not name:
            return
        path = Path(name)
        by_suffix = {suffix: f for f, suffix in SUFFIXES.items()}
        fmt = by_suffix.get(path.suffix.lower()) or next((f for f, t in filters.items() if t == chosen), fmt)
        if path.suffix.lower() not in by_suffix:
            path = path.with_name(path.name + SUFFIXES[fmt])
        self.state.set_bookmarks_folder(path.parent)
        self.state.set_export_format(fmt)
        self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str) -> TaskHandle | None:
        """Write every bookmark to ``path`` in the background (atomically)."""
        try:
            self.service.store()
        except BookmarkError as exc:
            self.failed.emit(self.tr("Bookmarks are not available."), str(exc))
            return None
        chosen = self.service.bookmarks()
        if not chosen:
            self.status_posted.emit(self.tr("There are no bookmarks to export yet."), 8000)
            return None
        return self.runner.submit(
            "export bookmarks",
            export_bookmarks,
            chosen,
            fmt,
            path,
            markdown_texts(chosen) if fmt == "markdown" else None,
            on_finished=lambda count: self.status_posted.emit(
                self.tr("%n bookmark(s) exported to %1.", "", count).replace("%1", str(path)), 10000
            ),
            on_failed=lambda message: self.failed.emit(
                self.tr("The bookmarks could not be exported."), message
            ),
        )

    def import_with_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Import Bookmarks"),
            self.state.bookmarks_folder(),
            self.tr("Bookmarks exported as JSON (*.json);;All files (*)"),
        )
        if name:
            self.state.set_bookmarks_folder(Path(name).parent)
            self.import_from(Path(name))

    def import_from(self, path: Path) -> TaskHandle | None:
        """Add the bookmarks of a JSON export in the background (passages already kept are skipped)."""
        try:
            store = self.service.store()
        except BookmarkError as exc:
            self.failed.emit(self.tr("Bookmarks are not available."), str(exc))
            return None
        return self.runner.submit(
            "import bookmarks",
            import_bookmarks,
            store,
            path,
            self.library.bulletins,
            on_finished=self._on_import_finished,
            on_failed=lambda message: self.failed.emit(
                self.tr("The bookmarks could not be imported."), message
            ),
        )

    def _on_import_finished(self, outcome: ImportOutcome) -> None:
        self.service.reload()
        parts = [self.tr("%n bookmark(s) imported", "", len(outcome.report.added))]
        if outcome.report.duplicates:
            parts.append(self.tr("%n already kept", "", len(outcome.report.duplicates)))
        if outcome.orphaned:
            parts.append(self.tr("%n not found in the archive", "", outcome.orphaned))
        self.status_posted.emit(sentence(parts), 10000)
