"""Qt's ``Qt`` namespace, made a Python object when one of its names is first used.

PySide turns all 1,205 enumeration members of ``Qt`` into Python enums the first time the
namespace is touched, and ``from PySide6.QtCore import Qt`` touches it: some 100 million
instructions, a tenth of the window's start (tests/bench/bench_startup.py). The first frame
needs none of them, so the window's modules import ``Qt`` from here instead; it is looked
up in QtCore when one of its names is first used (a key pressed, a search shown).

Qt's API takes item data roles as plain ints (``data(index, role)``); the roles the first
frame is asked for are named here with Qt's values, which never change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "ACCESSIBLE_TEXT_ROLE",
    "DECORATION_ROLE",
    "DISPLAY_ROLE",
    "FOREGROUND_ROLE",
    "TOOL_TIP_ROLE",
    "USER_ROLE",
    "Qt",
]

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
DECORATION_ROLE = 1  # Qt.ItemDataRole.DecorationRole
TOOL_TIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
USER_ROLE = 256  # Qt.ItemDataRole.UserRole: the first of an application's own


class _Namespace:
    """Stands for ``PySide6.QtCore.Qt``; each name is looked up there once."""

    def __getattr__(self, name: str) -> Any:
        from PySide6.QtCore import Qt as namespace

        value = getattr(namespace, name)
        setattr(self, name, value)
        return value


if TYPE_CHECKING:
    from PySide6.QtCore import Qt
else:
    Qt = _Namespace()
