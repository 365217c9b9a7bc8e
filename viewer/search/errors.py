"""The search layer's exception family."""

from __future__ import annotations


class SearchError(Exception):
    """The index could not be read or written (message is plain words for a user)."""


class Cancelled(Exception):
    """A newer query superseded this one."""


class GramsError(Exception):
    """A grams file that is not one, or not whole (the caller rebuilds it)."""
