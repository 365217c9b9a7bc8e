"""The GUI entry point (``bulletin-viewer-gui``): the command line without a console.

On Windows a ``gui-scripts`` launcher starts with no console window, so
``sys.stdout`` and ``sys.stderr`` are ``None``; anything the program would print
(``--version``, an ``error: …`` line, log records) then goes to the null device
instead of failing. Everywhere else this is exactly ``bulletin-viewer``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from viewer import cli


def main(argv: Sequence[str] | None = None) -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the process)
    return cli.main(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
