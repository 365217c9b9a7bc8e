"""The task runner: background work whose end comes back as signals on the UI thread."""

from __future__ import annotations

import threading

from viewer.store import StoreError
from viewer.ui.tasks import TaskRunner


def test_a_worker_thread_keeps_what_earlier_tasks_left_in_thread_local_storage(qtbot):
    # The search index keeps one searcher per thread: were it lost between tasks, every
    # search would open (and keep open) a searcher of its own.
    runner = TaskRunner(max_threads=1)
    local = threading.local()

    def task(*, progress, cancel):
        seen = getattr(local, "thread", None)
        local.thread = threading.get_ident()
        return seen, threading.get_ident()

    results = []
    for count in range(1, 4):  # one after another, as searches run
        runner.submit("remember", task, on_finished=results.append)
        qtbot.waitUntil(lambda count=count: len(results) == count)
    assert results[0][0] is None
    assert [seen for seen, _ in results[1:]] == [results[0][1]] * 2
    assert runner.shutdown()


def test_results_failures_and_progress_arrive_as_signals(qtbot):
    runner = TaskRunner()
    progress, results, failures = [], [], []

    def counting(n, *, progress, cancel):
        for i in range(n):
            progress(i, n, f"item {i}")
        return n * 2

    def failing(*, progress, cancel):
        raise StoreError("the archive folder is not writable")

    runner.submit("count", counting, 3, on_progress=lambda *a: progress.append(a), on_finished=results.append)
    qtbot.waitUntil(lambda: results == [6])
    assert progress == [(0, 3, "item 0"), (1, 3, "item 1"), (2, 3, "item 2")]  # all before the end
    runner.submit("fail", failing, on_finished=results.append, on_failed=failures.append)
    qtbot.waitUntil(lambda: failures == ["the archive folder is not writable"])
    assert results == [6]
    assert runner.shutdown()


def test_shutdown_asks_running_tasks_to_stop_and_starts_nothing_after(qtbot):
    runner = TaskRunner()
    started = threading.Event()

    def waits_for_cancel(*, progress, cancel):
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        return "stopped"

    handle = runner.submit("long", waits_for_cancel)
    assert started.wait(10)
    assert runner.shutdown(timeout_ms=10_000)
    assert handle.is_cancelled() and handle.is_done()
    late = runner.submit("late", waits_for_cancel)
    assert late.is_cancelled() and late.is_done()
