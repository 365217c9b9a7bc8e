"""Reading the files a user names (documents to import or parse, bookmark exports to
import): one place that turns the usual mistakes into plain errors."""

from __future__ import annotations

from pathlib import Path

from viewer.store.errors import ArchiveError


def read_source(path: Path) -> bytes:
    """Read a file the user named, with a plain error for the usual mistakes."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ArchiveError(f"{path} is a folder, not a file")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise ArchiveError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
