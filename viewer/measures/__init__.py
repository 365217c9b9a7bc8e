"""Measures side by side: which district did what, with the figures, across bulletins.

No Qt: the command line and the window both build on ``measure``.
"""

from __future__ import annotations

from viewer.measures.cache import ScanCache
from viewer.measures.figures import Figure, figures
from viewer.measures.lexicon import LexiconError, MeasureType, load, user_file
from viewer.measures.matrix import Cell, Matrix, Place, Scan, measure, scan

__all__ = [
    "Cell",
    "Figure",
    "LexiconError",
    "Matrix",
    "MeasureType",
    "Place",
    "Scan",
    "ScanCache",
    "figures",
    "load",
    "measure",
    "scan",
    "user_file",
]
