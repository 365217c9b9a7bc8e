"""The bulletins shipped in ``data/``, from a kept parse when this parser has read them before.

Parsing the bundled bulletin is quick, but importing the parser is not (≈ 0.08 s, on the
worker thread while the window is being shown). So each bundled file's parse is kept in
``paths.cache_dir()/bundled/<file>.json``, laid out like an archive entry (header, then the
parse with the checksum of its bytes), with the sha256 of the file it was parsed from and
the parser's version. A kept parse that does not match all three is parsed again. Keeping
it is best effort (a read-only or full disk only means parsing next time too), and only
into a cache folder that exists already: reading the archive makes no folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from viewer import paths
from viewer.model.types import Bulletin
from viewer.model.version import PARSER_VERSION
from viewer.store.atomic import atomic_write_bytes
from viewer.store.entry_meta import meta_bytes, sha256_hex, stored_payload
from viewer.store.errors import StoreError
from viewer.store.sources import read_regular

log = logging.getLogger("viewer.store")

_FORMAT = 1
_LOADED: list[tuple[Bulletin, str]] | None = None


def bundled_bulletins() -> list[tuple[Bulletin, str]]:
    """The bundled bulletins and their file names (read once per process)."""
    global _LOADED
    if _LOADED is None:
        meta = json.loads(paths.data_path("bulletins.json").read_text(encoding="utf-8"))
        _LOADED = [(_bulletin(entry["file"]), entry["file"]) for entry in meta["bulletins"]]
    return _LOADED


def _kept_path(name: str) -> Path:
    return paths.cache_dir() / "bundled" / f"{name}.json"


def _bulletin(name: str) -> Bulletin:
    data = paths.data_path(name).read_bytes()
    digest = sha256_hex(data)
    kept = _kept(name, digest)
    if kept is not None:
        return kept
    from viewer.store.documents import parse_document  # the parser: only when not kept

    bulletin = parse_document(data, name)[0]
    header = {"format": _FORMAT, "parser_version": PARSER_VERSION, "source_sha256": digest}
    path = _kept_path(name)
    if not paths.cache_dir().is_dir():
        return bulletin  # reading makes no folder: kept once something has made the cache
    try:
        paths.ensure_dir(path.parent)
        atomic_write_bytes(path, meta_bytes(header, bulletin))
    except (OSError, StoreError) as exc:
        log.debug("the parse of %s cannot be kept: %s", name, exc)
    return bulletin


def _kept(name: str, digest: str) -> Bulletin | None:
    """The kept parse of ``name`` if it is of this file, this parser and undamaged."""
    try:
        raw = read_regular(_kept_path(name))  # never waits on a pipe
        header = json.loads(raw)
        payload = stored_payload(raw)
        if (
            not isinstance(header, dict)
            or header.get("format") != _FORMAT
            or header.get("parser_version") != PARSER_VERSION
            or header.get("source_sha256") != digest
            or payload is None
            or sha256_hex(payload) != header.get("bulletin_sha256")
        ):
            return None
        return Bulletin.from_storage(header["bulletin"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # unreadable, not JSON, another shape: parse it again
        log.debug("the kept parse of %s is not used: %s", name, exc)
        return None
