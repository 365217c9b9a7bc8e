"""Reading settings.ini: each value is checked, and one that makes no sense gives the default.

The file is the user's: it may be edited by hand, written by another version, or
damaged. A value that cannot be used is logged and replaced by the default, never
raised (``theme=sepia`` used to end the program).
"""

from __future__ import annotations

import enum
import logging
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger("viewer.ui")

E = TypeVar("E", bound=enum.Enum)


def _bad(key: str, value: object, default: str) -> None:
    log.warning("settings: %s=%r is not valid; using %s", key, value, default)


def read_text(settings: QSettings, key: str, default: str = "") -> str:
    """A string value (a list, as QSettings reads ``a,b``, is not one)."""
    value = settings.value(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        _bad(key, value, repr(default))
        return default
    return value


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    """A yes/no value: ``true`` / ``false`` as QSettings writes them (or 1 / 0)."""
    value = settings.value(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int):
        return value != 0
    _bad(key, value, str(default).lower())
    return default


def read_choice(settings: QSettings, key: str, default: E) -> E:
    """A member of ``default``'s enum, by its value."""
    value = settings.value(key)
    if value is None or value == "":
        return default
    kind = type(default)
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    _bad(key, value, repr(default.value))
    return default


def read_int(
    settings: QSettings, key: str, default: int, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole number, within ``minimum`` and ``maximum`` when they are given."""
    value = settings.value(key)
    if value is None or value == "":
        return default
    try:
        number = int(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except ValueError:
        number = None
    too_small = number is not None and minimum is not None and number < minimum
    too_large = number is not None and maximum is not None and number > maximum
    if number is None or too_small or too_large:
        _bad(key, value, str(default))
        return default
    return number


def read_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """Saved window state (``@ByteArray(…)``), or None when there is none or it is not one."""
    value = settings.value(key)
    if value is None or value == "":
        return None
    if not isinstance(value, QByteArray):
        _bad(key, value, "the default")
        return None
    return value if not value.isEmpty() else None
