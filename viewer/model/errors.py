"""The model layer's exception family."""

from __future__ import annotations


class ModelError(Exception):
    """Base of every error raised by viewer.model."""


class ParseError(ModelError):
    """The bytes handed to the parser are not a bulletin we can read (message is user-facing)."""


class PassageError(ModelError):
    """A selection or passage that does not exist in the bulletin (message is user-facing)."""
