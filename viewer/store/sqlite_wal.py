"""Reading a SQLite write-ahead log (``-wal`` file) without SQLite, to decide whether it
belongs to the database beside it before SQLite is allowed to apply it.

The format (https://www.sqlite.org/fileformat.html, "The WAL File Format"): a 32-byte
header — magic 0x377f0682 or 0x377f0683 (checksums over little- or big-endian words),
format version 3007000, page size, checkpoint sequence number, salt-1, salt-2 and a
checksum of the first 24 bytes — then frames, each a 24-byte header (page number; for the
last frame of a transaction the database size in pages after it, else 0; salt-1; salt-2;
a checksum cumulative over every frame so far) and one page. A frame is valid when its salts
are the header's and its checksum is right; SQLite uses the valid frames up to the last
commit frame and ignores the rest. This module finds exactly those, so it sees what SQLite
would apply. Every integer is big-endian.

Nothing in a WAL names its database: the salts are random and live only in the WAL. The
link is made by the bookmark store itself (see ``viewer.store.bookmark_recovery``): each of its
transactions rewrites one row, ``store_state(generation, previous, nonce)``, and this module
reads that row's page from each transaction of the WAL (``state_of``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_MAGIC_LE, _MAGIC_BE = 0x377F0682, 0x377F0683
_VERSION = 3007000
_HEADER = struct.Struct(">8I")
_FRAME_HEADER = struct.Struct(">6I")
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class Wal:
    """The part of a WAL that SQLite would apply."""

    page_size: int
    #: One entry per committed transaction, in order: page number → its image in it.
    commits: tuple[dict[int, bytes], ...]


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & _MASK
        s1 = (s1 + words[i + 1] + s0) & _MASK
    return s0, s1


def read_wal(path: Path) -> Wal | None:
    """The committed transactions of the WAL at ``path``; None when its header is not a valid
    WAL header (SQLite then ignores the file and applies nothing). OSError if unreadable."""
    data = Path(path).read_bytes()
    if len(data) < _HEADER.size:
        return None
    magic, version, page_size, _seq, salt1, salt2, check1, check2 = _HEADER.unpack_from(data)
    if magic not in (_MAGIC_LE, _MAGIC_BE) or version != _VERSION:
        return None
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return None
    big_endian = magic == _MAGIC_BE
    s0, s1 = _checksum(data[:24], 0, 0, big_endian)
    if (s0, s1) != (check1, check2):
        return None
    commits: list[dict[int, bytes]] = []
    pending: dict[int, bytes] = {}
    frame_size = _FRAME_HEADER.size + page_size
    offset = _HEADER.size
    while offset + frame_size <= len(data):
        page, db_size, f_salt1, f_salt2, f_check1, f_check2 = _FRAME_HEADER.unpack_from(data, offset)
        if page == 0 or (f_salt1, f_salt2) != (salt1, salt2):
            break
        image = data[offset + _FRAME_HEADER.size : offset + frame_size]
        s0, s1 = _checksum(data[offset : offset + 8], s0, s1, big_endian)
        s0, s1 = _checksum(image, s0, s1, big_endian)
        if (s0, s1) != (f_check1, f_check2):
            break
        pending[page] = image
        if db_size:
            commits.append(pending)
            pending = {}
        offset += frame_size
    return Wal(page_size, tuple(commits))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """A SQLite varint at ``at``: (value, offset after it)."""
    value = 0
    for n in range(9):
        byte = data[at + n]
        if n == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + n + 1
    raise AssertionError("unreachable")  # pragma: no cover


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def state_of(page: bytes) -> tuple[int, ...] | None:
    """The integer columns (after the rowid alias) of the single row of a table b-tree leaf
    page — the bookmark store's ``store_state`` row — or None when the page is anything else."""
    try:
        if page[0] != 0x0D or struct.unpack_from(">H", page, 3)[0] != 1:
            return None
        (cell,) = struct.unpack_from(">H", page, 8)
        size, at = _varint(page, cell)
        _rowid, at = _varint(page, at)
        if size > len(page) - at:
            return None  # overflowing: not our small row
        header_size, cursor = _varint(page, at)
        end_of_header, body = at + header_size, at + header_size
        values = []
        while cursor < end_of_header:
            serial, cursor = _varint(page, cursor)
            if serial == 0:
                values.append(None)
            elif serial in (8, 9):
                values.append(serial - 8)
            elif serial in _INT_SIZES:
                width = _INT_SIZES[serial]
                values.append(int.from_bytes(page[body : body + width], "big", signed=True))
                body += width
            else:
                return None  # text, blob or float: not our row
        if cursor != end_of_header or values[:1] != [None]:
            return None
        if any(v is None for v in values[1:]):
            return None
        return tuple(values[1:])  # type: ignore[arg-type]
    except (IndexError, struct.error):
        return None
