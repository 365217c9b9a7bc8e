"""A cheap description of what an archive folder holds, to tell whether it changed.

The names, sizes and modification times of its entry records (``<id>.json``) and of the
bundled bulletins' files, with the parser version, hashed: a stat per entry, no entry
read or parsed. Equal descriptions mean the same bulletins (an import or removal adds or
removes a record; a record edited or damaged changes its size or time), so the search
index can tell it is up to date without reading the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from viewer import paths
from viewer.model import PARSER_VERSION

_RECORD = re.compile(r"[0-9a-f]{16}\.json")


def _line(name: str, info: os.stat_result) -> str:
    return f"{name}\t{info.st_size}\t{info.st_mtime_ns}\n"


def archive_state(root: Path, include_bundled: bool = True) -> str:
    """The description of ``root`` (and of the bundled bulletins when included)."""
    digest = hashlib.sha256(f"parser {PARSER_VERSION}\n".encode())
    if include_bundled:
        try:
            meta_path = paths.data_path("bulletins.json")
            digest.update(_line("bulletins.json", meta_path.stat()).encode())
            entries = json.loads(meta_path.read_text(encoding="utf-8"))["bulletins"]
            for entry in entries:
                digest.update(_line(entry["file"], paths.data_path(entry["file"]).stat()).encode())
        except (OSError, ValueError, KeyError, TypeError) as exc:
            digest.update(f"bundled unreadable: {exc}\n".encode())
    lines = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if _RECORD.fullmatch(entry.name):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISREG(info.st_mode):
                        lines.append(_line(entry.name, info))
    except FileNotFoundError:
        lines.append("no folder\n")
    except OSError as exc:
        lines.append(f"unreadable folder: {exc.strerror}\n")
    for line in sorted(lines):
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
