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
"""

from __future__ import annotations

import contextlib
import zlib
from pathlib import Path

#: Marks an index found damaged; the next sync rebuilds it (its text says why).
DAMAGED_NAME = "viewer-index.damaged"
_CHUNK = 1 << 20

Manifest = dict[str, list[int]]  # file name → [size, crc32]


def newest_toc(index_dir: Path, index_name: str) -> str:
    """The file name of the newest committed table of contents, or ""."""
    tocs = []
    for entry in index_dir.glob(f"_{index_name}_*.toc"):
        number = entry.name[len(index_name) + 2 : -len(".toc")]
        if number.isdigit():
            tocs.append((int(number), entry.name))
    return max(tocs)[1] if tocs else ""


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


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
    """ "" if the files the manifest names are there at their sizes, else what is wrong."""
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
    """Leave word for the next sync to rebuild (best effort: a read-only index stays as it is)."""
    with contextlib.suppress(OSError):
        (index_dir / DAMAGED_NAME).write_text(why + "\n", encoding="utf-8")


def damaged(index_dir: Path) -> str:
    """Why the index was marked damaged, or ""."""
    try:
        return (index_dir / DAMAGED_NAME).read_text(encoding="utf-8").strip() or "damaged index"
    except OSError:
        return ""
