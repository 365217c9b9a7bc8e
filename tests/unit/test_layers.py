"""Only viewer/ui and the entry point may load Qt: everything else imports without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import viewer

QT_FREE = sorted(
    name
    for _finder, name, _pkg in pkgutil.walk_packages(viewer.__path__, "viewer.")
    if not name.startswith("viewer.ui") and name not in {"viewer.app", "viewer.__main__"}
)


def test_qt_free_modules_do_not_load_pyside6():
    assert "viewer.cli" in QT_FREE and "viewer.model" in QT_FREE and "viewer.store" in QT_FREE
    code = (
        "import importlib, sys\n"
        f"for name in {QT_FREE!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
