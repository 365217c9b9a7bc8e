"""SearchController without widgets or an index: keystrokes merged, stale answers dropped,
more hits asked for page by page. A fake runner holds the tasks; the test finishes them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from viewer.model import Hit, SearchResult
from viewer.ui.search_controller import DEBOUNCE_MS, RESULT_LIMIT, SearchController, SearchOutcome, run_search


@dataclass
class Task:
    args: tuple
    on_finished: object
    on_failed: object
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def query(self) -> str:
        return self.args[1]

    @property
    def limit(self) -> int:
        return self.args[3]

    def finish(self, total: int = 500) -> None:
        """End the task as run_search would (None when it was cancelled)."""
        if self.cancelled:
            self.on_finished(None)
            return
        _index, query, district, limit, overall = self.args
        result = _result(query, min(limit, total), total)
        self.on_finished(SearchOutcome(query, district, result, overall or result, 0.0))


@dataclass
class FakeRunner:
    tasks: list[Task] = field(default_factory=list)

    def submit(self, name, fn, *args, on_finished=None, on_failed=None, **kwargs):
        assert fn is run_search
        task = Task(args, on_finished, on_failed)
        self.tasks.append(task)
        return task


def _result(query: str, listed: int, total: int) -> SearchResult:
    hits = tuple(Hit("b", "t", "西城", i, query, query, (), (), 1.0, True, section=0) for i in range(listed))
    return SearchResult(query=query, total=total, hits=hits, district_counts={"西城": total})


@pytest.fixture
def controller(qapp):
    runner = FakeRunner()
    search = SearchController(runner)
    search.set_index(object())
    return search, runner


def _recorder(signal) -> list:
    got: list = []
    signal.connect(lambda *args: got.append(args[0] if len(args) == 1 else args))
    return got


def test_the_first_keystroke_searches_at_once_and_the_rest_merge_into_one(qtbot, controller):
    search, runner = controller
    finished = _recorder(search.search_finished)
    search.set_query("疫")
    assert [t.query for t in runner.tasks] == ["疫"]
    for text in ("疫情", "疫情防", "疫情防控"):  # typed while the first search runs
        search.set_query(text)
    assert len(runner.tasks) == 1
    qtbot.wait(DEBOUNCE_MS * 3)
    assert runner.tasks[0].cancelled  # the latest text is wanted now
    runner.tasks[0].finish()  # its (empty) end starts the wanted one
    assert [t.query for t in runner.tasks] == ["疫", "疫情防控"]
    runner.tasks[1].finish()
    assert [o.query for o in finished] == ["疫情防控"]


def test_an_answer_to_an_older_query_is_dropped(controller):
    search, runner = controller
    finished = _recorder(search.search_finished)
    search.request("消毒", immediately=True)
    old = runner.tasks[-1]
    search.request("社区", immediately=True)
    assert old.cancelled and len(runner.tasks) == 1  # the wanted one starts when the old one ends
    old.cancelled = False  # it ran to its end before it saw the cancel
    old.finish()
    assert finished == []  # not the text in the field
    assert [t.query for t in runner.tasks] == ["消毒", "社区"]
    runner.tasks[-1].finish()
    assert [o.query for o in finished] == ["社区"]
    assert search.last_outcome_matches()


def test_clearing_cancels_and_says_so(controller):
    search, runner = controller
    cleared = _recorder(search.search_cleared)
    search.request("消毒", immediately=True)
    search.set_query("  ")
    assert runner.tasks[-1].cancelled and len(cleared) == 1
    runner.tasks[-1].finish()
    assert search.last_outcome is None and not search.is_busy()


def test_a_new_query_is_announced_and_waits_for_the_index(qapp):
    runner = FakeRunner()
    search = SearchController(runner)
    started, waiting = _recorder(search.search_started), _recorder(search.search_waiting)
    search.set_query("消毒")
    assert started == ["消毒"] and waiting == ["消毒"] and runner.tasks == []
    search.set_index(object())  # the index is open: the query runs
    assert [t.query for t in runner.tasks] == ["消毒"]


def test_more_hits_come_page_by_page_with_exact_totals(controller):
    search, runner = controller
    finished, extended = _recorder(search.search_finished), _recorder(search.search_extended)
    search.request("疫情", immediately=True)
    assert runner.tasks[-1].limit == RESULT_LIMIT
    runner.tasks[-1].finish(total=150)
    assert len(finished) == 1 and len(finished[0].result.hits) == RESULT_LIMIT
    assert search.load_more()
    assert not search.load_more()  # one page at a time
    assert runner.tasks[-1].limit == 2 * RESULT_LIMIT
    assert runner.tasks[-1].args[4] is finished[0].overall  # the counts are not made again
    runner.tasks[-1].finish(total=150)
    assert search.load_more()
    runner.tasks[-1].finish(total=150)
    assert [len(o.result.hits) for o in extended] == [2 * RESULT_LIMIT, 150]
    assert all(o.result.total == 150 for o in extended)
    assert not search.load_more()  # all are listed
    assert len(finished) == 1


def test_typing_during_a_page_drops_the_page(qtbot, controller):
    search, runner = controller
    finished, extended = _recorder(search.search_finished), _recorder(search.search_extended)
    search.request("疫情", immediately=True)
    runner.tasks[-1].finish(total=150)
    search.load_more()
    page = runner.tasks[-1]
    search.set_query("疫情防控")
    qtbot.wait(DEBOUNCE_MS * 3)
    assert page.cancelled
    page.finish()
    runner.tasks[-1].finish(total=80)
    assert extended == [] and [o.query for o in finished] == ["疫情", "疫情防控"]
    assert runner.tasks[-1].limit == RESULT_LIMIT  # a new query starts with one page


def test_run_search_counts_all_districts_once():
    calls = []

    class Index:
        def search(self, query, district=None, limit=20, cancel=None):
            calls.append((district, limit))
            return _result(query, 1, 3)

    none = dict(progress=lambda *a: None, cancel=lambda: False)
    outcome = run_search(Index(), "消毒", "西城", 5, **none)
    assert calls == [("西城", 5), (None, 1)] and outcome.overall.total == 3
    calls.clear()
    again = run_search(Index(), "消毒", "西城", 10, outcome.overall, **none)
    assert calls == [("西城", 10)] and again.overall is outcome.overall
