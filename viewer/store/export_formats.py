"""The formats bookmarks export to and import from, and their file suffixes: on their own,
so that naming them (the command line's ``--format`` choices) does not load the exporter."""

from __future__ import annotations

FORMATS = ("markdown", "csv", "json")
SUFFIXES = {"markdown": ".md", "csv": ".csv", "json": ".json"}
