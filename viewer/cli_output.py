"""What the command line writes: lines for people (``say``, ``warn`` on stderr) with control
characters escaped (``readable``), JSON (``emit_json``, or ``emit_json_text`` for JSON
already encoded), an export's bytes (``write_bytes``). A title holding ``\\x1b[31m`` is
shown as that text and never drives the terminal. Output that cannot be written raises
``OutputError`` with the reason in plain words; a reader that stopped reading raises
``BrokenPipeError``. ``viewer.cli.main`` turns both into the program's end.
"""

from __future__ import annotations

import json
import re
import sys

from viewer.cli_errors import OutputError
from viewer.lazy import LazyPattern

#: What ``readable`` escapes: C0 controls but tab and newline, DEL, C1 controls, and lone
#: surrogates (a file name that is not UTF-8 holds them).
_UNSHOWABLE = LazyPattern("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: What ``emit_json_text`` escapes beyond json.dumps (which escapes only C0 controls): DEL
#: and C1 controls, which some terminals obey (\x9b is CSI). "\u009b" is the same JSON string.
_JSON_UNSHOWABLE = LazyPattern("[\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def readable(text: str) -> str:
    """``text`` safe to show on a terminal: control characters other than newline and tab
    as ``\\x1b``-style escapes, a byte of a non-UTF-8 file name as ``\\xff``."""
    return _UNSHOWABLE.sub(_escape, text)


def write_text(text: str) -> None:
    """Write ``text`` as it is to standard output; OutputError if it cannot be written."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed")
    try:
        stream.write(text)
    except BrokenPipeError:
        raise  # the reader stopped reading: main() ends quietly
    except OSError as exc:
        raise OutputError(_os_reason(exc)) from exc
    except ValueError as exc:  # written after it was closed
        raise OutputError("standard output is closed") from exc


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def say(text: str = "") -> None:
    """Print one line for people (control characters escaped)."""
    write_text(readable(text) + "\n")


def emit_json(obj: object) -> None:
    """Print ``obj`` as one line of JSON."""
    emit_json_text(json.dumps(obj, ensure_ascii=False))


def json_line(text: str) -> str:
    """The line ``emit_json_text`` prints for JSON already encoded."""
    return _JSON_UNSHOWABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def emit_json_text(text: str) -> None:
    """Print one line of JSON already encoded (as ``json.dumps(..., ensure_ascii=False)``
    writes it), with DEL and C1 controls escaped as ``emit_json`` escapes them."""
    write_text(json_line(text))


def write_bytes(data: bytes) -> None:
    """Write ``data`` as they are to standard output (an export's bytes)."""
    flush_output()
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(_os_reason(exc)) from exc
    except ValueError as exc:
        raise OutputError("standard output is closed") from exc


def flush_output() -> None:
    """Flush standard output; OutputError (or BrokenPipeError) if it cannot be written."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(_os_reason(exc)) from exc
    except ValueError:  # already closed: nothing left to write
        pass


def warn(text: str) -> None:
    """Print one line on stderr (control characters escaped); never fails."""
    try:
        sys.stderr.write(readable(text) + "\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # no stderr, or it cannot be written
        pass
