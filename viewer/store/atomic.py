"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A write goes to a temp file in the same folder, ``.<name>.<8 random characters>.tmp``
(``tempfile.mkstemp``), which is fsynced and then renamed over ``<name>``. A process killed
half-way leaves only such a temp file behind, never a half-written ``<name>``;
``remove_stale_temp_files`` clears them on the next start.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from viewer.store.errors import StoreError

log = logging.getLogger("viewer.store")

_TEMP_PREFIX, _TEMP_SUFFIX = ".", ".tmp"
#: The name of a temp file of ``atomic_write_bytes`` for ``<target>`` (mkstemp's 8 characters).
TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")
#: A temp file is a leftover of a killed write once it is this old (seconds); a younger one
#: may belong to a write going on in another process.
STALE_AFTER_S = 60.0


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def describe_os_error(exc: OSError, path: Path) -> str:
    """A plain sentence for an OSError met while writing ``path``; it names the folder."""
    return cannot_write(Path(path).parent, exc, path)


def cannot_write(folder: Path, exc: OSError, path: Path | None = None) -> str:
    """``cannot write to FOLDER: read-only file system`` (or: the disk is full, …)."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is not None:
        return f"cannot write to {folder}: {reason}"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):  # the folder cannot be made: a file is in the way
        blocker = _not_a_folder(Path(folder))
        if blocker is not None:
            return f"cannot write to {folder}: {blocker} is a file, not a folder"
    return f"cannot write {path or folder}: {exc.strerror or exc}"


def _not_a_folder(folder: Path) -> Path | None:
    """The first of ``folder`` and its parents that exists and is not a folder."""
    for candidate in (folder, *folder.parents):
        try:
            if candidate.exists() or candidate.is_symlink():
                return None if candidate.is_dir() else candidate
        except OSError:
            return None
    return None


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}
if hasattr(errno, "EDQUOT"):  # not on every platform
    _REASONS[errno.EDQUOT] = "the disk quota is exceeded"


def is_write_refused(exc: OSError) -> bool:
    """True for the errors of a folder that cannot be written (read-only, full, no permission)."""
    return exc.errno in _REASONS


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, replace).

    Raises StoreError with a plain message naming the folder (disk full, read-only, no
    permission); the old file, if any, is left untouched and no temp file is left behind.
    """
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{_TEMP_PREFIX}{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, path)) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_copy(source: Path, target: Path) -> None:
    """Copy ``source`` byte for byte to ``target`` atomically (``target`` is complete or absent).

    Only reads ``source``. Raises OSError (the caller knows what the copy is for)."""
    source, target = Path(source), Path(target)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f"{_TEMP_PREFIX}{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(target.parent)
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def remove_stale_temp_files(folder: Path, older_than: float = STALE_AFTER_S) -> list[str]:
    """Remove the temp files of killed atomic writes in ``folder``: only names of our pattern
    (``TEMP_NAME``) and only those last written more than ``older_than`` seconds ago, so a
    write going on in another process is not disturbed. Best effort (a folder that cannot be
    written keeps them); returns the names removed."""
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(_TEMP_PREFIX) and TEMP_NAME.fullmatch(entry.name)):
            continue
        if remove_if_stale(entry, now, older_than):
            removed.append(entry.name)
    if removed:
        log.info("removed %d temp file(s) of interrupted writes in %s", len(removed), folder)
    return removed


def remove_if_stale(entry: os.DirEntry, now: float, older_than: float) -> bool:
    """Remove ``entry`` if it is a regular file (not a link) untouched for ``older_than``
    seconds; True if it was removed. A file in use by a live writer is younger than that."""
    try:
        if not entry.is_file(follow_symlinks=False):
            return False
        if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
            return False
        os.unlink(entry.path)
    except OSError:
        return False
    return True


def new_file_mode(folder: Path) -> int:
    """The permissions a new file gets in ``folder``: 0o666 less the umask (what a user's
    export or PDF gets, where the temp file of an atomic write is private). Read without
    setting the umask (``os.umask`` changes it for every thread of the process while it is
    read): from /proc on Linux, else by creating an empty file and looking at it."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    probe = Path(folder) / f".{os.urandom(6).hex()}.mode"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            return os.fstat(fd).st_mode & 0o777
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError:
        return 0o644
