"""The running window identifies itself by the id the desktop entry and metainfo use.

Wayland compositors and docks match a window to its menu entry (name, icon) by the
desktop file name the program sets; a mismatch shows a generic icon and no name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from viewer.paths import APP_ID

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from viewer.app import run
status = run(screenshot=sys.argv[1], search=None, district=None)
from PySide6.QtWidgets import QApplication
app = QApplication.instance()
windows = [w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"]
print(json.dumps({
    "status": status,
    "desktop_file_name": app.desktopFileName(),
    "main_windows": len(windows),
    "icon_drawn": bool(windows) and not windows[0].windowIcon().pixmap(64, 64).isNull(),
}))
"""


def test_window_uses_the_desktop_entry_id_and_the_app_icon(tmp_path, viewer_home):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "shot.png")],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 0
    assert probe["desktop_file_name"] == APP_ID
    assert (ROOT / "packaging" / f"{APP_ID}.desktop").is_file()
    assert probe["main_windows"] == 1
    assert probe["icon_drawn"], "the main window has no icon"
