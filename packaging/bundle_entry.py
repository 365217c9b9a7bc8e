"""What the frozen bundle runs: the GUI entry point (no console needed on Windows)."""

from __future__ import annotations

import sys

from viewer.gui import main

sys.exit(main())
