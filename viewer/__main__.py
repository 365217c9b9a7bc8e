"""``python -m viewer``: the same as the ``bulletin-viewer`` command."""

from __future__ import annotations

import sys

from viewer.cli import main

sys.exit(main())
