"""Format readers: a file's bytes → lines in reading order (``viewer.model.lines.Line``).

One module a format, behind one function ``read(data, progress, cancel) -> Extracted``.
``read_document`` picks the reader from the file's content (magic bytes) and name.
Readers import their libraries only when called, so the window does not pay for them.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import TYPE_CHECKING

from viewer.formats.errors import Cancelled, FormatError
from viewer.lazy import lazy_exports
from viewer.progress import Cancel, Progress, never_cancel, no_progress

if TYPE_CHECKING:
    from viewer.formats.base import Extracted

__all__ = [
    "Cancelled",
    "Extracted",
    "FormatError",
    "detect_kind",
    "read_document",
]

# ``Extracted`` when first looked up: the archive, which the window's first frame reads,
# needs this package's errors, not the readers' result type (a dataclass: 2.5 M instructions).
__getattr__, __dir__ = lazy_exports(__name__, {"Extracted": "base"})

#: Kind → module with ``read(data, progress, cancel)``.
_READERS = {
    "pdf": "viewer.formats.pdf",
    "docx": "viewer.formats.docx",
    "html": "viewer.formats.html",
    "md": "viewer.formats.markdown",
    "txt": "viewer.formats.text",
}
_SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
}
#: File-dialog patterns for every kind that can be imported (an old .doc is only explained).
SUFFIXES = tuple(sorted(suffix for suffix in _SUFFIXES if suffix != ".doc"))


def detect_kind(data: bytes, name: str = "") -> str:
    """The document kind from its first bytes, else from its name; "txt" otherwise."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    suffix = PurePath(name).suffix.lower()
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        return "docx"  # a Word file, or an old binary .doc its reader explains
    lowered = data[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        suffix in (".html", ".htm", ".xhtml") and lowered.startswith(b"<")
    ):
        return "html"
    # A .pdf or .docx without its magic bytes goes to its reader, which says it is damaged.
    return _SUFFIXES.get(suffix, "txt")


def read_document(
    data: bytes,
    name: str = "",
    progress: Progress = no_progress,
    cancel: Cancel = never_cancel,
) -> Extracted:
    """Read ``data`` (the bytes of the file called ``name``) into lines.

    Raises FormatError with a one-line reason for a file that is not what it claims
    (a scan without text, an encrypted or damaged PDF, a zip that is no Word file…),
    and Cancelled when ``cancel()`` turned True.
    """
    kind = detect_kind(data, name)
    module = importlib.import_module(_READERS[kind])
    return module.read(data, progress, cancel)
