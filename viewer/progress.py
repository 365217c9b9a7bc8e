"""The two callbacks every long piece of work takes, in one place for every layer.

Task functions (importing, indexing, exporting, printing) are pure and never touch
widgets (DESIGN.md): they report through ``progress(done, total, what)`` — e.g. ``(3, 26,
"page 3 of 26")``, total 0 when unknown — and ask ``cancel()`` between steps, True once
the user asked to stop. ``no_progress`` and ``never_cancel`` are the defaults when nobody
is watching.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def no_progress(done: int, total: int, what: str) -> None:
    """The default progress callback: nobody is watching."""


def never_cancel() -> bool:
    """The default cancel callback: nobody can ask to stop."""
    return False
