"""The command line's exceptions. ``viewer.cli.main`` catches both and prints one line
``error: …`` on stderr with exit status 2; the command modules (``viewer.cli_*``) raise
them without importing ``viewer.cli``, which imports them."""

from __future__ import annotations


class CliError(Exception):
    """A user mistake on the command line (message is printed after ``error:``)."""


class OutputError(Exception):
    """Standard output cannot be written (the message says why, in plain words)."""
