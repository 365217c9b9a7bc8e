"""The formats layer's exceptions: a file that cannot be read as the document it claims to be,
and a read the user cancelled."""

from __future__ import annotations


class FormatError(Exception):
    """The file cannot be turned into text; the message is one plain line for the user
    ("this PDF has no text layer — it is a scan; OCR is not supported yet")."""


class Cancelled(Exception):
    """Raised by a reader when ``cancel()`` returned True (not an error: the user stopped it)."""
