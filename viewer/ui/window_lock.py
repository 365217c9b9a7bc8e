"""One window per data folder: the lock file a window holds while it runs.

Its one job is taking that lock (``take_window_lock``) safely: a lock left by a process that
is gone is taken over; so is one that names no process (a write cut short) once it is a
moment old; whatever lies where the lock goes (a folder, a named pipe, a link) is refused in
plain words rather than waited on; and taking it never waits longer than a moment.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("viewer.ui")

LOCK_NAME = "window.lock"
#: A lock file that holds no process id is a lock being written for this long at most; older,
#: it is the remains of a write that was cut short (a kill, a full disk), not a window.
UNREADABLE_LOCK_STALE_S = 2.0


@dataclass
class WindowLock:
    """What ``take_window_lock`` found: the lock taken (``lock``); or held by a running
    window (``lock`` and ``problem`` None); or unusable, ``problem`` saying why in plain
    words (``unwritable``: because its folder cannot be written)."""

    lock: object | None = None
    problem: str | None = None
    unwritable: bool = False


def _odd_lock_file(path: Path) -> str | None:
    """Why what lies at ``path`` cannot be a lock file (a folder, a named pipe, a link…), or
    None. Looked at before Qt opens it: Qt would read a pipe and wait for ever, and take a
    folder for a lock held by another window."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"the lock file {path} cannot be examined ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    from viewer.store.sources import file_kind

    return (
        f"{path} is {file_kind(mode)}, not the lock file Bulletin Viewer keeps there; "
        "move it away and start again"
    )


def take_window_lock(path: Path, wait_ms: int = 100) -> WindowLock:
    """Take the lock that keeps one window per data folder (``QLockFile``, its folder made
    when missing). A lock file of a process that is gone is taken over; so is one that holds
    no process at all (empty or garbage, left by a write cut short) once it is a moment old.
    Never waits longer than ``wait_ms`` (and a moment), whatever lies at ``path``."""
    from PySide6.QtCore import QLockFile

    odd = _odd_lock_file(path)
    if odd is not None:
        return WindowLock(problem=odd)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # only a lock of a process that is gone counts as stale
    for attempt in range(2):
        if lock.tryLock(wait_ms):
            return WindowLock(lock=lock)
        error = lock.error()
        if error != QLockFile.LockError.LockFailedError:
            # Not held by another window: the lock file itself cannot be made.
            if error == QLockFile.LockError.PermissionError:
                reason = os.strerror(errno.EACCES)
            else:
                reason = f"the lock file {path.name} cannot be made"
            return WindowLock(problem=reason, unwritable=True)
        odd = _odd_lock_file(path)  # it may have been swapped since the first look
        if odd is not None:
            return WindowLock(problem=odd)
        if attempt or not _holds_no_process(lock, path):
            break
        log.info("%s holds no process (a write cut short); taking it over", path)
        lock.removeStaleLockFile()
    return WindowLock()


def _holds_no_process(lock, path: Path) -> bool:
    """True for a lock file that names no process and is not being written just now."""
    pid, _host, _app = lock.getLockInfo()
    if pid > 0:
        return False
    try:
        age = time.time() - os.lstat(path).st_mtime
    except OSError:
        return False
    return abs(age) > UNREADABLE_LOCK_STALE_S
