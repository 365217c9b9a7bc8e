"""Plain text: decoded (UTF-8/16/32, GB18030), one Line per line (characters repaired as
every reader repairs them), blank lines kept."""

from __future__ import annotations

from viewer.formats.base import Extracted
from viewer.formats.errors import FormatError
from viewer.formats.repair import repair_line
from viewer.model.decoding import decode_text
from viewer.model.errors import ParseError
from viewer.model.lines import lines_from_text
from viewer.progress import Cancel, Progress, never_cancel, no_progress


def read(data: bytes, progress: Progress = no_progress, cancel: Cancel = never_cancel) -> Extracted:
    try:
        text, _encoding = decode_text(data)
    except ParseError as exc:
        raise FormatError(str(exc)) from exc
    return Extracted(kind="txt", lines=lines_from_text(text, repair_line))
