"""What every format reader returns (the callbacks it takes: ``viewer.progress``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from viewer.formats.errors import Cancelled as Cancelled  # where readers and callers have found it

if TYPE_CHECKING:
    from viewer.model.lines import Line


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
