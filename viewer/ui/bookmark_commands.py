"""The undo commands of bookmark actions, each carried out when it is pushed.

Made with the bookmark workflows (after the window's first frame), so QUndoCommand waits
for them too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from viewer.store.errors import BookmarkError

if TYPE_CHECKING:
    from viewer.model import Bookmark
    from viewer.ui.bookmarks import BookmarkService

Text = str | Callable[[], str]  # a command's text, or how to make it (again, in another language)


class BookmarkCommand(QUndoCommand):
    """An action already carried out when pushed (its first ``redo`` does nothing).

    A later undo or redo that fails is reported through ``service.failed`` and the
    command leaves the stack (the bookmarks are then as the store says, nothing lost).
    Its text, given as a function, is made again by ``retranslate`` after a language switch.
    """

    def __init__(
        self, service: BookmarkService, text: Text, undo: Callable[[], object], redo: Callable[[], object]
    ) -> None:
        super().__init__(text() if callable(text) else text)
        self._service = service
        self._text = text
        self._undo = undo
        self._redo = redo
        self._done = True

    def retranslate(self) -> None:
        if callable(self._text):
            self.setText(self._text())

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._redo)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, step: Callable[[], object]) -> None:
        try:
            step()
        except BookmarkError as exc:
            self.setObsolete(True)
            summary = QCoreApplication.translate("BookmarkService", "That could not be undone or redone.")
            self._service.failed.emit(summary, str(exc))


def added_command(service: BookmarkService, text: Text, added: Bookmark) -> BookmarkCommand:
    return BookmarkCommand(
        service, text, lambda: service.remove([added.id]), lambda: service.restore([added])
    )


def removed_command(service: BookmarkService, text: Text, removed: Sequence[Bookmark]) -> BookmarkCommand:
    kept = list(removed)
    return BookmarkCommand(
        service, text, lambda: service.restore(kept), lambda: service.remove([b.id for b in kept])
    )


def edited_command(
    service: BookmarkService, text: Text, before: Bookmark, after: Bookmark
) -> BookmarkCommand:
    return BookmarkCommand(
        service,
        text,
        lambda: service.update(before.id, before.note, before.tags),
        lambda: service.update(after.id, after.note, after.tags),
    )
