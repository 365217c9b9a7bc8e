"""What a scan found in each bulletin, kept on disk so that the next one need not look again.

A command line run starts cold: the segmenter and the folding tables alone take longer to
load than the rest of the answer (≈ 0.35 s on a 2-core machine), and finding every
type's passages and their figures in 1,000 bulletins as long again. What it finds
depends only on each passage's text, the lexicon and the code that matches and extracts,
so it is kept per bulletin under ``paths.cache_dir()/measures/scan.json``:

``{"format": 1, "key": <lexicon and code>, "bulletins": {<bulletin digest>: [[section,
paragraph, [type index, ...], [[text, value, unit, counts, start], ...]], ...]}}`` — the
passages that show a type, with their figures. The bulletin digest covers every passage
scanned (position and text), so an edited or re-parsed bulletin is scanned again; the key
covers the lexicon (its types in order, with their phrases), the sources of matching,
figures and search's folding, and the versions of Python's Unicode tables and OpenCC, so
a change to any of them starts a new cache.

Best effort: a cache that cannot be read (missing, damaged, another format) is ignored and
one that cannot be written (read-only folder, full disk) is not written, with a log line;
writes are atomic, so two programs writing at once leave one whole file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from viewer import __version__, paths
from viewer.measures.lexicon import MeasureType

log = logging.getLogger("viewer.measures")

FORMAT = 1
#: A passage found in a bulletin: (section, paragraph, type indexes, figures as lists).
Entry = list
#: The cache is rewritten with only the bulletins of the last scan once it holds this many more.
_SLACK = 200

_code_key: str | None = None


def _code() -> str:
    """What the answers depend on besides the lexicon and the text."""
    global _code_key
    if _code_key is None:
        digest = hashlib.sha256(f"{__version__}|{unicodedata.unidata_version}".encode())
        root = Path(__file__).resolve().parents[1]
        for part in ("measures/matrix.py", "measures/figures.py", "search/normalize.py"):
            try:
                digest.update((root / part).read_bytes())
            except OSError:  # a frozen bundle without sources: its version says enough
                digest.update(part.encode())
        try:
            from importlib.metadata import PackageNotFoundError, version

            try:
                digest.update(version("opencc").encode())
            except PackageNotFoundError:
                digest.update(b"no opencc")
        except ImportError:  # pragma: no cover
            pass
        _code_key = digest.hexdigest()
    return _code_key


def cache_key(types: list[MeasureType]) -> str:
    """The lexicon (in order) and the code."""
    lexicon = json.dumps(
        [[t.id, list(t.phrases), [list(c) for c in t.combinations]] for t in types], ensure_ascii=False
    )
    return hashlib.sha256(f"{FORMAT}|{_code()}|{lexicon}".encode()).hexdigest()


def bulletin_digest(passages: Iterable[tuple[int, int, str]]) -> str:
    """A digest of the passages scanned in a bulletin: (section, paragraph, text) each."""
    positions, texts = [], []
    for section, paragraph, text in passages:
        positions.append(f"{section},{paragraph},{len(text)}")
        texts.append(text)
    digest = hashlib.blake2b(" ".join(positions).encode(), digest_size=16)
    digest.update("\x00".join(texts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """No cyclic garbage collection while many containers are made at once: with a large
    archive in memory, the collections those allocations set off took longer than making
    them (a 2 MB cache file: 0.04 s to read without, 0.13-0.42 s with)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ScanCache:
    """The cache file: read once, on first use; ``save`` writes it anew."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._key: str | None = None
        self._bulletins: dict[str, list[Entry]] = {}
        self._lock = threading.RLock()  # a window may scan on two worker threads

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = paths.cache_dir() / "measures" / "scan.json"
        return self._path

    def load(self, key: str) -> dict[str, list[Entry]]:
        """The bulletins cached under ``key`` (digest → entries); {} when there are none."""
        with self._lock:
            return self._load(key)

    def _load(self, key: str) -> dict[str, list[Entry]]:
        if self._key == key:
            return self._bulletins
        self._key, self._bulletins = key, {}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._bulletins
        except OSError as exc:
            log.info("the measures cache %s cannot be read (%s): scanning", self.path, exc.strerror or exc)
            return self._bulletins
        try:
            with no_gc():
                data = json.loads(raw)
            ok = (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and isinstance(data.get("bulletins"), dict)
            )
        except (ValueError, RecursionError):
            ok = False
        if not ok:
            log.info("the measures cache %s is damaged or of another version: scanning", self.path)
        elif data.get("key") == key:
            self._bulletins = data["bulletins"]
        return self._bulletins

    def save(self, key: str, found: dict[str, list[Entry]], current: set[str]) -> None:
        """Add ``found`` (digest → entries) to what is cached under ``key``; bulletins not in
        ``current`` are dropped once there are many of them. Never raises for the file."""
        with self._lock:
            self._save(key, found, current)

    def _save(self, key: str, found: dict[str, list[Entry]], current: set[str]) -> None:
        from viewer.store.atomic import atomic_write_text
        from viewer.store.errors import StoreError

        bulletins = dict(self._load(key))
        bulletins.update(found)
        if len(bulletins) > len(current) + _SLACK:
            bulletins = {d: e for d, e in bulletins.items() if d in current}
        text = json.dumps({"format": FORMAT, "key": key, "bulletins": bulletins}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, text)
        except (OSError, StoreError) as exc:
            log.info("the measures cache %s cannot be written (%s)", self.path, exc)
            return
        self._key, self._bulletins = key, bulletins
