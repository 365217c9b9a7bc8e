"""The search layer's exception family."""

from __future__ import annotations


class SearchError(Exception):
    """The index could not be read or written (message is plain words for a user)."""
