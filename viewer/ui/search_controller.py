"""Search as you type: which query runs, when, and which answers are still wanted.

Its one job is turning keystrokes into background searches. The first keystroke searches
at once; keystrokes that follow while that search runs are merged (a short debounce) into
one search for the latest text; a newer query cancels the one in flight, whose answer is
dropped, so what is shown always belongs to the text in the field. ``load_more`` asks
for the next page of hits of the query shown (the totals and counts are exact from the
first page on). No widgets here: the results panel listens to the signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.progress import Cancel, Progress

if TYPE_CHECKING:
    from viewer.model import SearchResult

RESULT_LIMIT = 60  # hits listed at first, and added by each load_more; counts cover every match
DEBOUNCE_MS = 40  # while a search runs, keystrokes within this interval make one search


class SearchOutcome(NamedTuple):
    """What one finished search produced. ``overall`` has the counts without the district filter."""

    query: str
    district: str | None
    result: SearchResult
    overall: SearchResult
    seconds: float


def run_search(
    index: Any,
    query: str,
    district: str | None,
    limit: int,
    overall: SearchResult | None = None,
    *,
    progress: Progress,
    cancel: Cancel,
) -> SearchOutcome | None:
    """Task function: search (and, with a district filter, count over all districts too,
    unless ``overall`` already holds those counts). None when cancelled."""
    start = time.perf_counter()
    result = index.search(query, district=district, limit=limit, cancel=cancel)
    if result.cancelled or cancel():
        return None
    if overall is None:
        overall = result
        if district is not None:
            overall = index.search(query, limit=1, cancel=cancel)
            if overall.cancelled:
                return None
    return SearchOutcome(query, district, result, overall, time.perf_counter() - start)


class _Run(NamedTuple):
    query: str
    district: str | None
    limit: int
    more: bool  # more hits of the query already shown


Submit = Callable[..., Any]  # TaskRunner.submit


class SearchController(QObject):
    """Runs the latest query in the background; older queries are cancelled and ignored."""

    search_started = Signal(str)  # a new query is wanted (not more hits of the one shown)
    search_waiting = Signal(str)  # a query is wanted but the index is not open yet
    search_finished = Signal(object)  # SearchOutcome of the wanted query
    search_extended = Signal(object)  # SearchOutcome: the same query with more hits (load_more)
    search_failed = Signal(str, str)  # query, message
    search_cleared = Signal()

    def __init__(self, runner: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner  # anything with TaskRunner's submit()
        self._index: Any = None
        self._wanted: tuple[str, str | None] = ("", None)
        self._limit = RESULT_LIMIT
        self._more = False
        self._running: _Run | None = None
        self._handle: Any = None
        self._token: object = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_wanted)
        self.last_outcome: SearchOutcome | None = None

    def set_index(self, index: Any) -> None:
        """Use this SearchIndex from now on (None: none could be opened), and run the
        current query against it (again, if it is the index already in use: it changed)."""
        if index is None:
            return
        if index is self._index:
            self.refresh()
            return
        self._index = index
        if self._wanted[0]:
            self._restart()

    def query(self) -> str:
        return self._wanted[0]

    def set_query(self, text: str) -> None:
        """The field's text changed: search it (within the district chosen)."""
        self.request(text, self._wanted[1])

    def set_district(self, key: object) -> None:
        """The district filter changed: search the same query in it (None: everywhere), now."""
        self.request(self._wanted[0], key if isinstance(key, str) else None, immediately=True)

    def request(self, query: str, district: str | None = None, immediately: bool = False) -> None:
        query = query.strip()
        wanted = (query, district)
        running = self._running is not None and self._running[:2] == wanted
        if wanted == self._wanted and (running or self.last_outcome_matches()):
            return
        self._wanted = wanted
        self._limit, self._more = RESULT_LIMIT, False
        if not query:
            self._timer.stop()
            self._cancel_running()
            self.last_outcome = None
            self.search_cleared.emit()
            return
        self.search_started.emit(query)
        if self._index is None:
            self.search_waiting.emit(query)  # it runs once the index is open
        if immediately or not (self.is_busy() or self._timer.isActive()):
            # Idle: the first keystroke searches at once; keystrokes that follow while that
            # search runs are coalesced (debounced) into one search for the latest text.
            self._timer.stop()
            self._start_wanted()
        else:
            self._timer.start()

    def load_more(self) -> bool:
        """Ask for the next RESULT_LIMIT hits of the query shown; False when there are no
        more, or a search is running (the list asks again as it scrolls)."""
        shown = self.last_outcome
        if shown is None or not self.last_outcome_matches() or self.is_busy() or self._timer.isActive():
            return False
        if len(shown.result.hits) >= shown.result.total:
            return False
        self._limit, self._more = len(shown.result.hits) + RESULT_LIMIT, True
        self._start_wanted()
        return True

    def refresh(self) -> None:
        """Run the current query again (the index changed)."""
        if self._wanted[0]:
            self.last_outcome = None
            self._restart()

    def _restart(self) -> None:
        self._limit, self._more = RESULT_LIMIT, False
        self._running = None
        self._start_wanted()

    def last_outcome_matches(self) -> bool:
        o = self.last_outcome
        return o is not None and (o.query, o.district) == self._wanted

    def is_busy(self) -> bool:
        """A search was started and its end has not been delivered yet."""
        return self._handle is not None

    def _cancel_running(self) -> None:
        if self._handle is not None:
            self._handle.cancel()

    def _wanted_run(self) -> _Run:
        return _Run(*self._wanted, self._limit, self._more)

    def _start_wanted(self) -> None:
        query, district = self._wanted
        if not query or self._index is None:
            return
        wanted = self._wanted_run()
        if self.is_busy():
            if self._running != wanted:
                self._cancel_running()  # its end starts the wanted query
            return
        self._running = wanted
        token = object()
        self._token = token
        overall = self.last_outcome.overall if wanted.more and self.last_outcome is not None else None
        self._handle = self._runner.submit(
            "search",
            run_search,
            self._index,
            query,
            district,
            wanted.limit,
            overall,
            on_finished=lambda outcome: self._on_task_finished(token, outcome),
            on_failed=lambda message: self._on_task_failed(token, message),
        )

    def _on_task_finished(self, token: object, outcome: SearchOutcome | None) -> None:
        if token is not self._token:
            return
        self._handle = None
        ran, self._running = self._running, None
        if outcome is not None and ran == self._wanted_run():
            self.last_outcome = outcome
            (self.search_extended if ran.more else self.search_finished).emit(outcome)
        elif self._wanted[0]:
            self._start_wanted()

    def _on_task_failed(self, token: object, message: str) -> None:
        if token is not self._token:
            return
        self._handle = None
        ran, self._running = self._running, None
        if ran is not None and ran == self._wanted_run():
            self.search_failed.emit(ran.query, message)
        elif self._wanted[0]:
            self._start_wanted()
