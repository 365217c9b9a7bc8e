"""OpenCC's conversions between simplified and traditional characters, loaded once each.

Search folds traditional to simplified (``t2s``); the window can show text in traditional
characters (``s2t``). OpenCC's dictionaries ship in its wheel; should they be missing (a
bundle built without them), ``convert`` returns the text unchanged and logs one warning,
naming what the user loses. Thread-safe: a printed page converts on a worker thread.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("viewer")

_lock = threading.Lock()
_converters: dict[str, object] = {}


def convert(text: str, config: str, lost: str) -> str:
    """``text`` converted by OpenCC's ``config`` ("t2s", "s2t"); unchanged when OpenCC
    cannot be loaded (then ``lost`` says, once, what does not work)."""
    with _lock:
        converter = _converters.get(config)
        if converter is None:
            try:
                import opencc

                converter = opencc.OpenCC(config)
            except Exception as exc:
                log.warning("%s: %s", lost, exc)
                converter = False
            _converters[config] = converter
        return converter.convert(text) if converter else text
