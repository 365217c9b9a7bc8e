"""Reading the files a user names (documents to import or parse, bookmark exports to
import): one place that turns the usual mistakes into plain errors.

Only regular files are read. A named pipe (FIFO), a device (``/dev/zero``), a socket or a
folder is refused at once, before anything could block or stream without end: the file is
examined with ``stat`` before it is opened, opened without blocking (so a file swapped for
a pipe in between cannot hang either) and examined again once open.

One document may be at most 64 MB (1 MB = 2**20 bytes). The environment variable
``BULLETIN_VIEWER_MAX_MB`` changes the limit (a positive number of megabytes, e.g.
``BULLETIN_VIEWER_MAX_MB=200``). The size is checked before reading, and the file is read
in bounded chunks that stop just past the limit, so a file that grows, or whose reported
size is wrong, cannot exhaust memory either.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from viewer.store.errors import ArchiveError, NotRegularFile

#: The environment variable that sets the size limit of one document, in megabytes.
MAX_MB_ENV = "BULLETIN_VIEWER_MAX_MB"
DEFAULT_MAX_MB = 64
MB = 1 << 20
#: Bytes asked of the system per read.
_CHUNK = 1 << 20
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opened for reading would block until a writer came
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
)


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, for a message: "a folder", "a named pipe
    (FIFO)", "a symbolic link", "a socket", "a device" or "a regular file"."""
    for test, kind in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "a device"


def max_document_bytes() -> int:
    """The size limit of one document in bytes (``BULLETIN_VIEWER_MAX_MB``, default 64)."""
    value = os.environ.get(MAX_MB_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_MB * MB
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = math.nan
    if not (math.isfinite(megabytes) and megabytes > 0):
        raise ArchiveError(f"{MAX_MB_ENV} must be a positive number of megabytes, not {value!r}")
    return max(1, int(megabytes * MB))


def _size(size: int) -> str:
    """``size`` for people, rounded up to a tenth: "200 MB", "64.1 MB", "12.1 KB"."""
    unit, name = (MB, "MB") if size >= MB or size % MB == 0 else (1024, "KB")
    tenths = math.ceil(size * 10 / unit)
    return f"{tenths // 10} {name}" if tenths % 10 == 0 else f"{tenths / 10:.1f} {name}"


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    for test, reason in _KINDS:
        if test(mode):
            raise NotRegularFile(path, reason)
    raise NotRegularFile(path, "is not a regular file")


def _too_large(path: Path, size: int, limit: int, *, at_least: bool = False) -> ArchiveError:
    shown, allowed = _size(size), _size(limit)
    if shown == allowed and not at_least:  # rounding made them look the same
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    more = "more than " if at_least else ""
    return ArchiveError(f"{path} is {more}{shown}; the limit is {allowed} ({MAX_MB_ENV})")


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file (the rules of the module docstring:
    never a pipe, a device, a socket or a folder, opened without blocking, read in bounded
    chunks). Raises NotRegularFile, ArchiveError for a file over ``limit`` bytes, OSError
    for the rest (missing, no permission). The archive and the index read their own files
    with it too: a pipe lying among them would otherwise hang every reader."""
    path = Path(path)
    info = os.stat(path)
    _refuse_unless_regular(path, info.st_mode)
    if limit is not None and info.st_size > limit:
        raise _too_large(path, info.st_size, limit)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        _refuse_unless_regular(path, os.fstat(fd).st_mode)  # the file that was opened
        chunks, total = [], 0
        while chunk := os.read(fd, _CHUNK if limit is None else min(_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:
                raise _too_large(path, limit, limit, at_least=True)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_source(path: Path) -> bytes:
    """Read a file the user named, with a plain error (ArchiveError) for the usual mistakes:
    missing, unreadable, not a regular file, larger than ``max_document_bytes()``."""
    path = Path(path)
    limit = max_document_bytes()
    try:
        return read_regular(path, limit)
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise ArchiveError(f"{path}: permission denied") from exc
    except IsADirectoryError as exc:
        raise ArchiveError(f"{path} is a folder, not a file") from exc
    except BlockingIOError as exc:
        raise ArchiveError(f"{path} is not a regular file (reading it would wait)") from exc
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({(exc.strerror or str(exc)).lower()})") from exc
    except ValueError as exc:  # a NUL in the name
        raise ArchiveError(f"{path!r} is not a valid file name") from exc


def shown_name(path: Path) -> str:
    """A file's name as text that can be stored: bytes of a name that is not UTF-8 as \\xff."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
