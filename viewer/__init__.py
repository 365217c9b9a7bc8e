"""Bulletin Viewer: an offline reader for archives of Chinese regulatory bulletins."""

from __future__ import annotations

__version__ = "0.1.0"
