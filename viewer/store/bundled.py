"""The bulletins shipped in ``data/``, from a kept parse when this parser has read them before.

Parsing the bundled bulletin is quick, but importing the parser is not (≈ 0.08 s, on the
worker thread while the window is being shown). So each bundled file's parse is kept in
``paths.cache_dir()/bundled/<file>.json``, laid out like an archive entry (header, then the
parse with the checksum of its bytes), with the checksum of the file it was parsed from and
the parser's version. A kept parse that does not match all three is parsed again. Keeping
it is best effort (a read-only or full disk only means parsing next time too), and only
into a cache folder that exists already: reading the archive makes no folder.

The checksums are CRC-32s, not the archive entries' sha256: they only tell a cache from a
damaged or outdated one, which CRC-32 was made for, and zlib is loaded already, where
hashlib would load OpenSSL (11 M instructions, 1 % of the window's start) before the first
frame of a user who has imported nothing yet.
"""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path

from viewer import paths
from viewer.model.types import Bulletin
from viewer.model.version import PARSER_VERSION
from viewer.store.atomic import atomic_write_bytes
from viewer.store.entry_meta import payload_bytes, stored_payload, with_payload
from viewer.store.errors import StoreError
from viewer.store.sources import read_regular

log = logging.getLogger("viewer.store")

_FORMAT = 2  # 1: sha256 checksums
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


def _crc32(data: bytes) -> str:
    return f"{zlib.crc32(data):08x}"


def _bulletin(name: str) -> Bulletin:
    data = paths.data_path(name).read_bytes()
    digest = _crc32(data)
    kept = _kept(name, digest)
    if kept is not None:
        return kept
    from viewer.store.documents import parse_document  # the parser: only when not kept

    bulletin = parse_document(data, name)[0]
    header = {"format": _FORMAT, "parser_version": PARSER_VERSION, "source_crc32": digest}
    path = _kept_path(name)
    if not paths.cache_dir().is_dir():
        return bulletin  # reading makes no folder: kept once something has made the cache
    try:
        paths.ensure_dir(path.parent)
        payload = payload_bytes(bulletin)
        atomic_write_bytes(path, with_payload(dict(header, bulletin_crc32=_crc32(payload)), payload))
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
            or header.get("source_crc32") != digest
            or payload is None
            or _crc32(payload) != header.get("bulletin_crc32")
        ):
            return None
        return Bulletin.from_storage(header["bulletin"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # unreadable, not JSON, another shape: parse it again
        log.debug("the kept parse of %s is not used: %s", name, exc)
        return None
