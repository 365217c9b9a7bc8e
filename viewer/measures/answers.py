"""The command line's last answers, kept while the archive stays as it was.

``bulletin-viewer measures`` is a pure function of the archive's bulletins, the lexicon,
the code and its arguments. Its answer is kept in ``paths.cache_dir()/measures/`` as
``answer-<key>.txt``: the archive's state (``Archive.fingerprint``) on the first line,
then the output exactly as printed. The key covers the lexicon and code (``cache_key``:
a changed lexicon or program is a new key) and the arguments. While the archive's state
is the one recorded, which one stat of its folder tells (see ``viewer.store.fingerprint``),
the answer is printed as it is, without reading a bulletin.

Best effort, like the scan cache: a file that cannot be read is a miss, one that cannot be
written is not written (a log line); writes are atomic. Only the latest answer per key is
kept, and at most ``KEEP`` keys: the oldest files go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from viewer import paths

log = logging.getLogger("viewer.measures")

#: Answers kept (one per lexicon, code and arguments).
KEEP = 16
_FORMAT = "bulletin-viewer measures answer 1"


def answer_key(lexicon_key: str, arguments: Sequence[object]) -> str:
    """The key of an answer: the lexicon and code (``cache.cache_key``) and the arguments."""
    material = "\x00".join([_FORMAT, lexicon_key, *(repr(a) for a in arguments)])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class AnswerCache:
    """Answers on disk, each valid for one state of the archive."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = paths.cache_dir() / "measures"
        return self._folder

    def _path(self, key: str) -> Path:
        return self.folder / f"answer-{key}.txt"

    def recorded_state(self, key: str) -> tuple[str, str] | None:
        """(archive state, answer) as last recorded under ``key``; None when there is none
        (or it cannot be read)."""
        try:
            raw = self._path(key).read_text(encoding="utf-8", errors="strict")
        except (OSError, UnicodeDecodeError):
            return None
        state, newline, answer = raw.partition("\n")
        if not newline or not state:
            return None
        return state, answer

    def answer(self, key: str, state_now) -> str | None:
        """The answer recorded under ``key`` if the archive is still as it was then.

        ``state_now(known)`` gives the archive's state, returning ``known`` itself when
        nothing can have changed (``Archive.fingerprint``)."""
        recorded = self.recorded_state(key)
        if recorded is None:
            return None
        state, answer = recorded
        return answer if state_now(state) == state else None

    def keep(self, key: str, state: str, answer: str) -> None:
        """Record ``answer`` for the archive in ``state``. Never raises for the file."""
        from viewer.store.atomic import atomic_write_text
        from viewer.store.errors import StoreError

        if "\n" in state:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self._path(key), f"{state}\n{answer}")
        except (OSError, StoreError) as exc:
            log.info("the measures answer cannot be kept in %s (%s)", self.folder, exc)
            return
        self._prune(key)

    def _prune(self, kept: str) -> None:
        try:
            found = [(p.stat().st_mtime, p) for p in self.folder.glob("answer-*.txt")]
        except OSError:
            return
        found.sort(reverse=True)
        for _mtime, path in found[KEEP:]:
            if path.name != f"answer-{kept}.txt":
                with contextlib.suppress(OSError):
                    path.unlink()
