"""A cheap description of what an archive folder holds, to tell whether it changed.

The state is ``"<stamp>;<digest>"``. The digest hashes the names, sizes and modification
times of the entry records (``<id>.json``) and of the bundled bulletins' files, with the
parser version: a stat per entry, no entry read or parsed. Equal digests mean the same
bulletins (an import or removal adds or removes a record; a record edited or damaged
changes its size or time), so the search index can tell it is up to date without reading
the archive.

The stamp is cheaper still: the folder's device, inode and modification time, one stat.
Every change the archive makes to its entries creates, renames or removes a file, and each
of those moves the folder's time, so while the stamp is what it was the digest is too —
provided the folder had not changed just before the stamp was taken, since a change in the
same tick of the file system's clock would leave the time as it was. A folder changed less
than ``SETTLED_S`` ago has no stamp ("racy", as git calls its index entries written in the
same second as the file), and its state is always checked by the digest.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from pathlib import Path

from viewer import paths
from viewer.model import PARSER_VERSION

_RECORD = re.compile(r"[0-9a-f]{16}\.json")
#: A folder whose time is older than this is settled: any later change moves its time.
SETTLED_S = 2.0


def _line(name: str, info: os.stat_result) -> str:
    return f"{name}\t{info.st_size}\t{info.st_mtime_ns}\n"


def _bundled() -> str:
    """The bundled bulletins' files, as a stat each (they change with the program)."""
    try:
        meta_path = paths.data_path("bulletins.json")
        lines = [_line("bulletins.json", meta_path.stat())]
        for entry in json.loads(meta_path.read_text(encoding="utf-8"))["bulletins"]:
            lines.append(_line(entry["file"], paths.data_path(entry["file"]).stat()))
        return "".join(lines)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"bundled unreadable: {exc}\n"


def folder_stamp(root: Path, include_bundled: bool = True) -> str | None:
    """The stamp of ``root`` (and of the bundled bulletins when included), or None when
    the folder changed too recently to be trusted."""
    try:
        info = root.stat()
    except FileNotFoundError:
        folder = "no folder"
    except OSError:
        return None
    else:
        if time.time() - info.st_mtime < SETTLED_S:
            return None
        folder = f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}"
    if include_bundled:
        import hashlib  # here: it loads OpenSSL, which the window's first frame does without

        folder += ":" + hashlib.sha256(_bundled().encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return folder


def archive_state(root: Path, include_bundled: bool = True, known: str | None = None) -> str:
    """The state of ``root`` (and of the bundled bulletins when included). ``known``, a
    state taken before, is returned as it is when the stamps show that nothing can have
    changed since: then no entry is looked at."""
    stamp = folder_stamp(root, include_bundled)
    if stamp is not None and known is not None and known.startswith(f"{stamp};"):
        return known
    return f"{stamp or 'racy'};{_digest(root, include_bundled)}"


def content_of(state: str | None) -> str | None:
    """The digest of a state: two states with the same digest describe the same entries."""
    return state.rpartition(";")[2] if state else None


def _digest(root: Path, include_bundled: bool) -> str:
    import hashlib  # here: see folder_stamp

    digest = hashlib.sha256(f"parser {PARSER_VERSION}\n".encode())
    if include_bundled:
        digest.update(_bundled().encode("utf-8", "surrogateescape"))
    lines = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                name = entry.name
                # The cheap test first: most names in the folder are not records.
                if name.endswith(".json") and len(name) == 21 and _RECORD.fullmatch(name):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISREG(info.st_mode):
                        lines.append(f"{name}\t{info.st_size}\t{info.st_mtime_ns}\n")
    except FileNotFoundError:
        lines.append("no folder\n")
    except OSError as exc:
        lines.append(f"unreadable folder: {exc.strerror}\n")
    lines.sort()
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
