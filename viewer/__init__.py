"""Bulletin Viewer: an offline reader for archives of Chinese regulatory bulletins."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# numpy serves the search postings (intersections, counts, sorts), never linear algebra:
# OpenBLAS's thread pool, started when numpy is imported, would only cost start-up time
# (10-30 ms here) and memory. A value the user set is kept.
for _pool in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_pool, "1")
del _pool
