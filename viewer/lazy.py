"""Paying at start-up only for what is used: lazy package exports and lazy patterns.

A command that needs one type of a layer (``bulletin-viewer search`` needs the model's
``SearchResult``, not the parser; the store's fingerprint, not the bookmark store) should
not pay for importing the whole layer. A package lists its exports as ``name →
submodule``; the submodule is imported when the name is first looked up (PEP 562).
Likewise a module's regular expressions can be compiled when first matched.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose ``exports`` map each public
    name to the submodule (relative to the package) that defines it."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # looked up once
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__


class LazyPattern:
    """A regular expression compiled when first used.

    A module of many patterns (the official-document rules: 24 ms of compiling) costs
    nothing to import; each pattern is compiled on its first match. After that its methods
    are plain attributes, as fast as the compiled pattern's.
    """

    _METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")
    __slots__ = ("pattern", "_flags", "_compiled", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            compiled = re.compile(self.pattern, self._flags)
            for name in self._METHODS:
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"
