"""What every format reader returns, and the callbacks it takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from viewer.formats.errors import Cancelled as Cancelled  # where readers and callers have found it

if TYPE_CHECKING:
    from viewer.model.lines import Line

#: progress(done, total, what): e.g. (3, 26, "page 3 of 26"); total 0 when unknown.
Progress = Callable[[int, int, str], None]
#: cancel() → True when the user asked to stop; a reader checks it between pages.
Cancel = Callable[[], bool]


@dataclass
class Extracted:
    """A document as lines in reading order."""

    kind: str  # "pdf", "docx", "html", "md", "txt"
    lines: list[Line]
    pages: int = 0  # pages read (PDF); 0 for formats without pages
    #: Page furniture the reader dropped on purpose (running headers and footers, page
    #: numbers, navigation, scripts' text): kept here so nothing is lost unrecorded.
    removed: list[str] = field(default_factory=list)
    #: What the format itself says about the document, when it says it (HTML <title>,
    #: docx core properties "title"); hints only, the parser decides.
    meta: dict[str, str] = field(default_factory=dict)


def no_progress(done: int, total: int, what: str) -> None:
    """The default progress callback: nobody is watching."""


def never_cancel() -> bool:
    return False
