"""The one task runner: long work runs on worker threads, results come back as signals.

Task functions are plain callables that never touch widgets. They are called as
``fn(*args, progress=..., cancel=..., **kwargs)``: ``progress(done, total, name)``
reports how far they are, ``cancel()`` says whether to stop early. What they
return arrives in ``TaskHandle.signals.finished``; an exception arrives as a
plain-words message in ``failed`` (the traceback goes to the log, never to a user).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from viewer.model import ModelError
from viewer.progress import Progress, never_cancel, no_progress
from viewer.store import StoreError

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("viewer.ui")


def _expected_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [StoreError, ModelError, OSError]
    try:
        from viewer.search import SearchError
    except ImportError:  # the search layer is optional for reading
        pass
    else:
        errors.append(SearchError)
    return tuple(errors)


def describe_error(exc: BaseException) -> str:
    """An exception as a sentence for a user (lower layers write user-facing messages)."""
    if isinstance(exc, _expected_errors()):
        return str(exc) or exc.__class__.__name__
    return f"unexpected failure ({exc.__class__.__name__}: {exc})"


class TaskSignals(QObject):
    """Signals of one task, delivered on the thread that owns this object (the UI thread)."""

    progressed = Signal(int, int, str)  # done, total, current item
    finished = Signal(object)  # the task function's return value
    failed = Signal(str)  # a message in plain words


class TaskHandle:
    """What the submitter keeps: the signals, and a way to ask the task to stop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.signals = TaskSignals()
        self._cancelled = threading.Event()
        self._done = threading.Event()
        self._future: Future | None = None

    def cancel(self) -> None:
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def is_done(self) -> bool:
        return self._done.is_set()


def _outcome(name: str, call: Callable[[], Any]) -> tuple[bool, Any]:
    """(True, result) or (False, the failure in plain words), logged as tasks' failures are."""
    try:
        return True, call()
    except Exception as exc:
        expected = isinstance(exc, _expected_errors())
        level = logging.INFO if expected else logging.ERROR
        log.log(level, "task %s failed: %s", name, exc, exc_info=not expected)
        return False, describe_error(exc)


def _run(handle: TaskHandle, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """One task, on a worker thread: its end (or its failure) goes out as a signal."""
    signals = handle.signals

    def progress(done: int, total: int, name: str = "") -> None:
        with contextlib.suppress(RuntimeError):  # the window went away
            signals.progressed.emit(int(done), int(total), str(name))

    cancel = handle.is_cancelled
    ok, value = _outcome(handle.name, lambda: fn(*args, progress=progress, cancel=cancel, **kwargs))
    handle._done.set()
    _emit(handle, signals.finished if ok else signals.failed, value)


def _emit(handle: TaskHandle, signal: Any, value: Any) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the window went away while the task ran: nobody is listening
        log.debug("task %s ended after its window closed", handle.name)


class TaskRunner(QObject):
    """Runs task functions on worker threads of its own.

    The workers are Python threads that live as long as the runner, so a task finds what
    an earlier one left in thread-local storage: the search index keeps one searcher per
    thread. (A QThreadPool thread enters Python afresh for every task, losing it: each
    search opened, and kept open, a searcher of its own, at ~10-20 ms a keystroke.)
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._max_threads = max_threads
        self._executor: ThreadPoolExecutor | None = None  # started with the first task
        self._handles: list[TaskHandle] = []
        self._closed = False

    def submit(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_progress: Progress | None = None,
        **kwargs: Any,
    ) -> TaskHandle:
        """Start ``fn`` in the background. The callbacks are connected before it starts
        (a fast task could otherwise finish before anyone listens)."""
        handle = TaskHandle(name)
        if self._closed:  # the window is closing: nothing new starts
            handle.cancel()
            handle._done.set()
            return handle
        # Keep the handle (and so its signals object) alive until its last signal is delivered.
        self._handles.append(handle)
        handle.signals.finished.connect(lambda _result: self._forget(handle))
        handle.signals.failed.connect(lambda _message: self._forget(handle))
        if on_progress is not None:
            handle.signals.progressed.connect(on_progress)
        if on_finished is not None:
            handle.signals.finished.connect(on_finished)
        if on_failed is not None:
            handle.signals.failed.connect(on_failed)
        if self._executor is None:
            # Imported with the first task, after the window has painted.
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(self._max_threads, thread_name_prefix="viewer-task")
        handle._future = self._executor.submit(_run, handle, fn, args, kwargs)
        return handle

    def run_now(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
        **kwargs: Any,
    ) -> None:
        """Run a task that is known to be quick on this thread, with the same failure handling
        (and the same callbacks) as ``submit``; it reports no progress and cannot be cancelled."""
        ok, value = _outcome(name, lambda: fn(*args, progress=no_progress, cancel=never_cancel, **kwargs))
        (on_finished if ok else on_failed)(value)

    def _forget(self, handle: TaskHandle) -> None:
        if handle in self._handles:
            self._handles.remove(handle)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Ask every task to stop and wait for them; True if all ended in time. Nothing starts after."""
        self._closed = True
        for handle in self._handles:
            handle.cancel()
        if self._executor is None:
            return True
        from concurrent.futures import wait

        self._executor.shutdown(wait=False, cancel_futures=True)  # the workers end when idle
        futures = [h._future for h in self._handles if h._future is not None]
        _done, running = wait(futures, timeout=timeout_ms / 1000)
        return not running
