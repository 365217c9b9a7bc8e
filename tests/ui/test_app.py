"""The entry point: missing Qt libraries, a second instance, the font notice."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QLockFile

from tests.conftest import ROOT, run_cli
from viewer import paths


def test_missing_qt_libraries_give_a_plain_error_naming_the_packages(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['PySide6.QtWidgets'] = None  # what a missing libEGL.so.1 looks like\n"
        "from viewer.cli import main\n"
        "sys.exit(main([]))\n"
    )
    env = dict(os.environ, BULLETIN_VIEWER_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: the Qt libraries cannot be loaded")
    assert "sudo apt install libegl1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_instance_on_the_same_data_is_refused_plainly(tmp_path):
    home = tmp_path / "home"
    os.environ["BULLETIN_VIEWER_HOME"] = str(home)  # the autouse fixture restores it
    paths.ensure_dir(paths.data_dir())
    lock = QLockFile(str(paths.data_dir() / "window.lock"))
    assert lock.tryLock(0)
    try:
        result = run_cli(
            "--screenshot", str(tmp_path / "x.png"), home=home, env={"QT_QPA_PLATFORM": "offscreen"}
        )
    finally:
        lock.unlock()
    assert result.returncode == 2
    assert result.stderr.startswith("error: Bulletin Viewer is already running")
    assert not (tmp_path / "x.png").exists()
