"""Is the index on disk what its writer committed? A manifest of the committed files.

After each commit the writer records every index file's size and CRC-32 (files already in
the last manifest with the same size keep their CRC: Whoosh never rewrites a segment), and
the name of the table of contents it committed. Opening checks sizes (cheap: a stat per
file); ``verify`` re-reads every file and compares CRCs (the window runs it in the
background, once a session). A mismatch is damage: the index is marked damaged (a file of
its own, so a reader that finds it need not hold the writer's lock) and the next sync
rebuilds it from the archive.

A manifest naming another table of contents than the newest one on disk is stale, not
damage: another process committed and has not yet written its manifest (or was killed
between the two); then nothing is checked, and the next sync writes a fresh manifest.

Only regular files are opened, without blocking (``read_index_file``): anything else lying
in the index folder (a named pipe, a device, a folder named like a segment) would make a
reader wait for ever, so ``quick_check`` calls it damage first of all, before any file is
opened, and the rebuild clears it away. (A writer's temporary folder, ``*.tmp``, is not.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import zlib
from pathlib import Path

from viewer.store.atomic import atomic_write_text
from viewer.store.errors import StoreError
from viewer.store.sources import NotRegularFile, file_kind, read_regular

#: Marks an index found damaged; the next sync rebuilds it (its text says why).
DAMAGED_NAME = "viewer-index.damaged"
_CHUNK = 1 << 20

Manifest = dict[str, list[int]]  # file name → [size, crc32]


def read_index_file(path: Path) -> bytes:
    """The bytes of an index file; OSError for anything but a regular file (a named pipe is
    refused at once, never waited on) or when it cannot be read."""
    try:
        return read_regular(path)
    except NotRegularFile as exc:
        raise OSError(errno.EINVAL, f"it {exc.reason}", str(path)) from exc


def _is_regular(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()  # follows a link: a link to a pipe is no file either
    except OSError:
        return False


def odd_entries(index_dir: Path) -> list[str]:
    """What lies in the index folder that is not a regular file (but a writer's temporary
    folder): "name is a named pipe (FIFO)", … ; [] when the folder cannot be listed."""
    found = []
    try:
        entries = sorted(os.scandir(index_dir), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if _is_regular(entry):
            continue
        try:
            mode = os.stat(entry.path).st_mode
        except OSError:
            if not os.path.lexists(entry.path):
                continue  # gone since the listing: a writer's temporary file, renamed or removed
            mode = 0  # a dangling link
        if stat.S_ISDIR(mode) and entry.name.endswith(".tmp"):
            continue  # a killed writer's temporary folder: the next sync removes it
        kind = file_kind(mode) if mode else "a link to nothing"
        found.append(f"{entry.name} is {kind}, not a file")
    return found


def newest_toc(index_dir: Path, index_name: str) -> str:
    """The file name of the newest committed table of contents, or ""."""
    tocs = []
    for entry in index_dir.glob(f"_{index_name}_*.toc"):
        number = entry.name[len(index_name) + 2 : -len(".toc")]
        if number.isdigit():
            tocs.append((int(number), entry.name))
    return max(tocs)[1] if tocs else ""


def _crc(path: Path) -> int:
    """CRC-32 of a regular file, read in chunks; OSError for anything else (never waits)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "it is not a regular file", str(path))
        crc = 0
        while chunk := os.read(fd, _CHUNK):
            crc = zlib.crc32(chunk, crc)
        return crc
    finally:
        os.close(fd)


def _committed_files(index_dir: Path, skip: set[str]) -> list[Path]:
    return sorted(
        entry
        for entry in index_dir.iterdir()
        if entry.is_file()
        and entry.name not in skip
        and not entry.name.endswith(".tmp")
        and ".toc." not in entry.name
    )


def make_manifest(index_dir: Path, previous: Manifest | None, skip: set[str]) -> Manifest:
    """Size and CRC of every committed file (the writer holds the lock)."""
    previous = previous or {}
    out: Manifest = {}
    for path in _committed_files(index_dir, skip):
        size = path.stat().st_size
        known = previous.get(path.name)
        out[path.name] = [size, known[1] if known and known[0] == size else _crc(path)]
    return out


def quick_check(index_dir: Path, manifest: Manifest | None, toc: str, index_name: str) -> str:
    """ "" if the files the manifest names are there at their sizes, else what is wrong
    (first of all: something not a regular file in the folder, which no reader may open)."""
    odd = odd_entries(index_dir)
    if odd:
        return f"{odd[0]} (in {index_dir})"
    if not manifest or toc != newest_toc(index_dir, index_name):
        return ""  # an index written before manifests, or a stale manifest: nothing to check
    for name, (size, _crc32) in manifest.items():
        try:
            actual = (index_dir / name).stat().st_size
        except OSError:
            return f"index file {name} is missing"
        if actual != size:
            return f"index file {name} is {actual} bytes, {size} were committed"
    return ""


def full_check(index_dir: Path, manifest: Manifest | None, toc: str, index_name: str) -> str:
    """Like ``quick_check``, and every file's content read and compared with its CRC."""
    why = quick_check(index_dir, manifest, toc, index_name)
    if why or not manifest or toc != newest_toc(index_dir, index_name):
        return why
    for name, (_size, crc32) in manifest.items():
        try:
            if _crc(index_dir / name) != crc32:
                return f"index file {name} has changed since it was committed"
        except OSError as exc:
            return f"index file {name} cannot be read ({exc.strerror or exc})"
    return ""


def mark_damaged(index_dir: Path, why: str) -> None:
    """Leave word for the next sync to rebuild (best effort: a read-only index stays as it is).
    Written atomically: what lies at the name (even a pipe) is replaced, never opened."""
    with contextlib.suppress(StoreError):
        atomic_write_text(index_dir / DAMAGED_NAME, why + "\n")


def damaged(index_dir: Path) -> str:
    """Why the index was marked damaged, or "" (a marker that is no file marks it too)."""
    path = index_dir / DAMAGED_NAME
    try:
        text = read_index_file(path).decode("utf-8", "replace")
    except FileNotFoundError:
        return ""
    except OSError as exc:
        if not os.path.lexists(path):
            return ""
        return f"{DAMAGED_NAME} cannot be read ({exc.strerror or exc})"
    return text.strip() or "damaged index"
