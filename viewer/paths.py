"""The one place that knows where files live.

Everything the program writes goes under platformdirs' per-user folders, or under
``$BULLETIN_VIEWER_HOME`` when it is set (tests and portable use). The functions name
folders and never create them (``ensure_dir`` does, for a writer). Bundled
``data/`` and ``resources/`` are found by ``bundled_dir`` alike from a checkout,
an installed wheel and a frozen (PyInstaller) bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "bulletin-viewer"
APP_ID = "io.github.bulletinviewer.BulletinViewer"
HOME_ENV = "BULLETIN_VIEWER_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def ensure_dir(path: Path) -> Path:
    """Create the folder ``path`` (and its parents) if it is missing; return it. For
    writers only, just before they write: raises OSError when it cannot be made."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """User data: imported bulletins and bookmarks.

    Like every function here, this only names the folder: nothing is created by asking
    (a read-only or missing home must not break reading), writers call ``ensure_dir``."""
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Rebuildable data: the search index."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings (window state, language, theme)."""
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def archive_dir() -> Path:
    return data_dir() / "archive"


def index_dir() -> Path:
    return cache_dir() / "index"


def bookmarks_path() -> Path:
    return data_dir() / "bookmarks.sqlite3"


def settings_path() -> Path:
    return config_dir() / "settings.ini"


def bundled_dir(name: str) -> Path:
    """Find a bundled top-level folder ("data" or "resources").

    Looked for inside the package (wheel and frozen bundle: the build maps the
    folders to ``viewer/data`` and ``viewer/resources``), then beside the package
    (a source checkout or an editable install).
    """
    candidates = [_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "viewer" / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found (looked in {candidates})")


def data_path(*parts: str) -> Path:
    return bundled_dir("data").joinpath(*parts)


def resource_path(*parts: str) -> Path:
    return bundled_dir("resources").joinpath(*parts)
