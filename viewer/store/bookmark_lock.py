"""Who else has the bookmark file open: the advisory open lock on ``<file>.lock``, which
lets one instance at a time check, open or close the file; the count of stores open on
each file in this process; and the probe of SQLite's own lock on the ``-shm`` file, which
every open connection holds. A WAL in use is a live one of ours and must not be judged
while it is being written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from viewer.store.errors import BookmarkError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

#: Byte of the ``-shm`` file on which every open connection holds a shared lock (SQLite's
#: "DMS" slot: 120 + 8 in os_unix.c and os_win.c).
SHM_DMS = 128

_OPEN_FILES: dict[tuple[int, int], int] = {}  # (device, inode) → stores open in this process
_OPEN_FILES_LOCK = threading.Lock()


def companion(path: Path, suffix: str) -> Path:
    """A file beside the database: ``-wal``, ``-shm``, ``.lock``."""
    return path.with_name(path.name + suffix)


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``; None when there is no such file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def register(identity: tuple[int, int] | None, delta: int) -> None:
    """Count a store opened (``delta`` +1) or closed (-1) on the file ``identity``."""
    if identity is None:
        return
    with _OPEN_FILES_LOCK:
        count = _OPEN_FILES.get(identity, 0) + delta
        if count > 0:
            _OPEN_FILES[identity] = count
        else:
            _OPEN_FILES.pop(identity, None)


def in_use(path: Path) -> bool:
    """True when a connection has the file open: another store in this process, or one in
    another process (it holds SQLite's shared lock on the ``-shm`` file). Its WAL is then a
    live one of ours. True also when it cannot be told."""
    identity = file_identity(path)
    if identity is not None and _OPEN_FILES.get(identity):
        return True
    return _shm_locked(companion(path, "-shm")) is not False


@contextlib.contextmanager
def open_lock(path: Path, timeout: float, *, or_fail: bool = True) -> Iterator[None]:
    """Hold the open lock of the database ``path`` (``<file>.lock``, an advisory lock of its
    own file, which does not touch SQLite's locks): one instance at a time checks, opens or
    closes the file. Without a writable folder there is no lock, and nothing to write either.
    When the lock stays taken past ``timeout``: BookmarkError, or (``or_fail`` false) go on."""
    try:
        fd = os.open(companion(path, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        locked = _try_lock(fd)
        while not locked and time.monotonic() < deadline:
            time.sleep(0.01)
            locked = _try_lock(fd)
        if not locked and or_fail:
            raise BookmarkError(
                "the bookmarks are busy (another Bulletin Viewer is opening them); please try again"
            )
        try:
            yield
        finally:
            if locked:
                _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        elif msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError as exc:
        # Held by another; any other error: a file system without locks, go on unlocked.
        return exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK)


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        elif msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _shm_locked(shm: Path) -> bool | None:
    """Whether a process holds SQLite's lock on the ``-shm`` file (every open connection
    does); None when it cannot be told. Only called with no connection to the file open in
    this process: closing a descriptor drops this process's POSIX locks on the file."""
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False  # no connection in WAL mode runs without it
    except OSError:
        return None
    try:
        if fcntl is not None:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS, os.SEEK_SET)
            except OSError:
                return True
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, SHM_DMS, os.SEEK_SET)
            return False
        if msvcrt is not None:  # pragma: no cover - Windows
            os.lseek(fd, SHM_DMS, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                return True
            os.lseek(fd, SHM_DMS, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            return False
        return None  # pragma: no cover
    finally:
        os.close(fd)
