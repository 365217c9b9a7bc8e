"""The real program against a hostile setting: a screenshot path it cannot write, a data
folder it cannot write, a settings.ini full of garbage. Each ends promptly, in plain words.

Every run has a timeout: a hang (the old way a failed screenshot ended) fails the test
instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

TIMEOUT = 90  # seconds; a run that has not ended by then hangs


def _run(args: list[str], home: Path, code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m viewer ARGS`` (or ``python -c CODE ARGS``) with its data under ``home``, offscreen."""
    env = dict(os.environ, BULLETIN_VIEWER_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    command = (
        [sys.executable, "-c", textwrap.dedent(code), *args]
        if code
        else [sys.executable, "-m", "viewer", *args]
    )
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=env, cwd=str(ROOT), timeout=TIMEOUT
    )


def _one_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


# -- --screenshot to a place it cannot be saved -------------------------------------------------------
def _read_only_place(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
        return folder / "x.png"
    if not Path("/proc/self").is_dir():
        pytest.skip("as root, only /proc offers a place that cannot be written")
    return Path("/proc/bulletin-viewer-x.png")  # root may write anywhere else


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("missing folder", "the folder {folder} does not exist"),
        ("a folder", "Is a directory"),
        ("a file for a folder", "{folder} is not a folder"),
        ("read-only", None),
    ],
)
def test_screenshot_to_an_impossible_path_exits_2_at_once(tmp_path, case, reason):
    if case == "missing folder":
        path = tmp_path / "no" / "such" / "x.png"
    elif case == "a folder":
        path = tmp_path
    elif case == "a file for a folder":
        (tmp_path / "file").write_text("")
        path = tmp_path / "file" / "x.png"
    else:
        path = _read_only_place(tmp_path)
    result = _run(["--screenshot", str(path)], tmp_path / "home")
    line = _one_error(result)
    assert line.startswith(f"error: cannot save the screenshot to {path}: ")
    if reason is not None:
        assert line == f"error: cannot save the screenshot to {path}: " + reason.format(folder=path.parent)
    assert not (tmp_path / "no").exists()  # no folders made for a mistyped path
    assert not (tmp_path / "home").exists()  # refused before the window (and its data) opened


SAVE_FAILS = """
import sys
from PySide6.QtGui import QImageWriter
{patch}
from viewer.cli import main
sys.exit(main(["--screenshot", sys.argv[1]]))
"""


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        ("QImageWriter.write = lambda self, image: False  # the disk filled up", ""),
        (
            "from viewer.ui.main_window import MainWindow\n"
            "def grab(self, *args):\n"
            "    raise OSError('the device went away')\n"
            "MainWindow.grab = grab",
            "the device went away",
        ),
    ],
    ids=["write fails", "grab raises"],
)
def test_screenshot_that_cannot_be_saved_once_the_window_is_up_exits_2(tmp_path, patch, reason):
    path = tmp_path / "x.png"
    result = _run([str(path)], tmp_path / "home", code=SAVE_FAILS.format(patch=patch))
    line = _one_error(result)
    assert line.startswith(f"error: cannot save the screenshot to {path}: ")
    assert line.endswith(reason)
    assert not path.exists()


# -- a data folder that cannot be written ------------------------------------------------------------
WINDOW = """
import json, sys
from PySide6.QtWidgets import QLabel, QMessageBox
{patch}
shown = []

def exec_(box):  # nobody clicks offscreen: record the dialog instead
    labels = [label for label in box.findChildren(QLabel) if label.text()]
    shown.append([[label.text(), label.textFormat().name] for label in labels])
    return 0

QMessageBox.exec = exec_
from viewer.app import run
status = run(screenshot=None, search=None, district=None)
print(json.dumps({{"status": status, "dialogs": shown}}, ensure_ascii=False))
"""


def _window_run(home: Path, patch: str = "") -> tuple[dict, str]:
    result = _run([], home, code=WINDOW.format(patch=patch))
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), result.stderr


def test_a_home_that_is_a_file_is_refused_plainly_not_already_running(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    line = _one_error(_run(["--screenshot", str(tmp_path / "x.png")], home))
    assert line == (
        f"error: the data folder {home / 'data'} cannot be written (Not a directory); "
        "check its permissions, or set BULLETIN_VIEWER_HOME to a folder you can write"
    )
    assert not (tmp_path / "x.png").exists()

    # Started as a window (from a menu: nobody reads stderr), it says so in a dialog too.
    outcome, stderr = _window_run(home)
    assert outcome["status"] == 2
    assert stderr.splitlines() == [line]
    (dialog,) = outcome["dialogs"]
    texts = [text for text, _format in dialog]
    assert texts[0] == "Bulletin Viewer cannot write to its data folder."
    assert texts[1].startswith(f"{home / 'data'} cannot be written (Not a directory).")
    assert all(fmt == "PlainText" for _text, fmt in dialog)  # a path is not HTML
    assert "already running" not in stderr + json.dumps(outcome)


READ_ONLY = """
import errno, os, tempfile
from viewer import paths
_mkstemp = tempfile.mkstemp

def mkstemp(*args, dir=None, **kwargs):  # the data folder as on a read-only disk
    if dir is not None and os.path.samefile(dir, paths.data_dir()):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))
    return _mkstemp(*args, dir=dir, **kwargs)

tempfile.mkstemp = mkstemp
"""


def test_a_read_only_data_folder_is_refused_plainly(tmp_path):
    home = tmp_path / "home"
    outcome, stderr = _window_run(home, READ_ONLY)
    assert outcome["status"] == 2
    assert stderr.splitlines() == [
        f"error: the data folder {home / 'data'} cannot be written (Read-only file system); "
        "check its permissions, or set BULLETIN_VIEWER_HOME to a folder you can write"
    ]
    assert len(outcome["dialogs"]) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder without write permission")
def test_a_data_folder_without_write_permission_is_refused_plainly(tmp_path):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "data").chmod(0o500)
    try:
        line = _one_error(_run(["--screenshot", str(tmp_path / "x.png")], home))
    finally:
        (home / "data").chmod(0o700)
    assert line.startswith(f"error: the data folder {home / 'data'} cannot be written (Permission denied)")


LOCK_REFUSED = """
from PySide6.QtCore import QLockFile
QLockFile.tryLock = lambda self, timeout=0: False  # the lock file cannot be made...
QLockFile.error = lambda self: QLockFile.LockError.PermissionError  # ...for want of permission
"""


def test_a_lock_that_cannot_be_made_is_not_taken_for_another_window(tmp_path):
    home = tmp_path / "home"
    outcome, stderr = _window_run(home, LOCK_REFUSED)
    assert outcome["status"] == 2
    assert stderr.splitlines() == [
        f"error: the data folder {home / 'data'} cannot be written (Permission denied); "
        "check its permissions, or set BULLETIN_VIEWER_HOME to a folder you can write"
    ]
    assert "already running" not in json.dumps(outcome)


TAKE_LOCK = """
import json, sys
from pathlib import Path
from viewer.ui.window_lock import take_window_lock
taken = take_window_lock(Path(sys.argv[1]))
print(json.dumps({"taken": taken.lock is not None, "problem": taken.problem, "unwritable": taken.unwritable}))
"""


def _take_lock(path: Path) -> dict:
    """``take_window_lock(path)`` in a process of its own (a hang fails the test)."""
    result = _run([str(path)], path.parent, code=TAKE_LOCK)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_a_lock_path_that_is_a_folder_or_a_pipe_is_said_plainly_not_waited_on(tmp_path):
    folder, pipe, link = tmp_path / "folder.lock", tmp_path / "pipe.lock", tmp_path / "link.lock"
    folder.mkdir()
    os.mkfifo(pipe)
    link.symlink_to(pipe)
    for path, kind in ((folder, "a folder"), (pipe, "a named pipe (FIFO)"), (link, "a symbolic link")):
        assert _take_lock(path) == {
            "taken": False,
            "problem": f"{path} is {kind}, not the lock file Bulletin Viewer keeps there; "
            "move it away and start again",
            "unwritable": False,
        }
    assert folder.is_dir() and pipe.exists()  # not the program's to remove


def test_a_lock_file_that_names_no_process_is_taken_over_once_it_is_a_moment_old(tmp_path):
    empty, garbage, fresh = tmp_path / "empty.lock", tmp_path / "garbage.lock", tmp_path / "fresh.lock"
    empty.write_bytes(b"")  # a write cut short (killed, disk full)
    garbage.write_bytes(bytes(range(256)))
    for path in (empty, garbage):
        os.utime(path, (time.time() - 60, time.time() - 60))
        assert _take_lock(path) == {"taken": True, "problem": None, "unwritable": False}
    fresh.write_bytes(b"")  # another window may be writing it this very moment
    assert _take_lock(fresh) == {"taken": False, "problem": None, "unwritable": False}
    dead = tmp_path / "dead.lock"  # a window that is gone: Qt's own stale-lock rule
    dead.write_text(f"999999999\npython3\n{socket.gethostname()}\n")
    assert _take_lock(dead)["taken"] is True


def test_a_lock_path_that_is_a_folder_is_not_taken_for_another_window(tmp_path):
    home = tmp_path / "home"
    (home / "data" / "window.lock").mkdir(parents=True)
    line = _one_error(_run(["--screenshot", str(tmp_path / "x.png")], home))
    assert line == (
        f"error: {home / 'data' / 'window.lock'} is a folder, not the lock file Bulletin Viewer keeps "
        "there; move it away and start again"
    )
    outcome, stderr = _window_run(home)
    assert outcome["status"] == 2 and "already running" not in stderr + json.dumps(outcome)
    (dialog,) = outcome["dialogs"]
    assert [fmt for _text, fmt in dialog] == ["PlainText"] * len(dialog)


# -- settings.ini with values that make no sense -------------------------------------------------------
GARBAGE = """\
[ui]
theme=sepia
language=klingon

[tree]
mode=sideways
order=1,2,3

[reading]
zoom=huge
bulletin=@ByteArray(\\0\\0)
section=-7
scroll=down

[window]
geometry=not a geometry
state=@ByteArray(garbage)
splitter=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x10)
layout=abc

[bookmarks]
format=docx
folder=a,b

[import]
folder=@Invalid()
"""


def _write_garbage(home: Path) -> Path:
    settings = home / "config" / "settings.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text(GARBAGE, encoding="utf-8")
    return settings


def test_garbage_settings_give_the_defaults_and_a_warning_not_a_crash(tmp_path):
    home = tmp_path / "home"
    _write_garbage(home)
    shot = tmp_path / "shot.png"
    result = _run(["--screenshot", str(shot)], home)
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("viewer.ui: settings: ")]
    assert any("ui/theme='sepia'" in line for line in warned), result.stderr
    assert any("tree/mode='sideways'" in line for line in warned), result.stderr


def test_the_window_opens_on_garbage_settings_with_the_defaults(qtbot, viewer_home):
    from PySide6.QtCore import QSettings

    from viewer import paths
    from viewer.ui.article import DEFAULT_ZOOM
    from viewer.ui.i18n import LanguageChoice
    from viewer.ui.main_window import MainWindow
    from viewer.ui.nodes import TreeMode, TreeOrder
    from viewer.ui.theme import ThemeChoice

    _write_garbage(viewer_home)
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.setProperty("quiet", True)
    qtbot.addWidget(window)
    assert window.commands.theme_actions[ThemeChoice.SYSTEM].isChecked()
    assert window.commands.language_actions[LanguageChoice.SYSTEM].isChecked()
    assert window.tree.mode() is TreeMode.BY_BULLETIN and window.tree.order() is TreeOrder.DATE
    assert window.article.zoom() == DEFAULT_ZOOM
    window.show()
    with qtbot.waitSignals([window.library_loaded, window.index_ready], timeout=60_000):
        window.start()
    assert window.article.current_section() is not None  # the first bulletin, not section -7
    window.close()
    settings.sync()
    saved = paths.settings_path().read_text(encoding="utf-8").splitlines()  # written back sound
    assert f"mode={TreeMode.BY_BULLETIN.value}" in saved and f"zoom={DEFAULT_ZOOM}" in saved


def test_a_pipe_for_the_screenshot_or_the_settings_hangs_nothing(tmp_path):
    import subprocess
    import sys

    home = tmp_path / "home"
    env = {**os.environ, "BULLETIN_VIEWER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    pipe = tmp_path / "shot.png"
    os.mkfifo(pipe)
    shot = subprocess.run(
        [sys.executable, "-m", "viewer", "--screenshot", str(pipe)], env=env, capture_output=True, timeout=60
    )
    assert shot.returncode == 2 and "not a regular file" in shot.stderr.decode()
    settings = home / "config" / "settings.ini"
    settings.parent.mkdir(parents=True)
    os.mkfifo(settings)
    started = subprocess.run(
        [sys.executable, "-m", "viewer", "--screenshot", str(tmp_path / "ok.png")],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert started.returncode == 2 and "settings.ini is not a regular file" in started.stderr.decode()
