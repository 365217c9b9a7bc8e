"""The wheel, as a user installs it: built like `make dist`, installed into a fresh venv.

The fresh venv holds nothing but the wheel. Its dependencies (PySide6, whoosh,
rjieba, platformdirs) are borrowed read-only from the test environment through a
plain path in a ``.pth`` file, instead of being installed again (hundreds of MB of
Qt per run): a plain path line does not run the test environment's own ``.pth``
files, so the editable checkout never becomes importable, and the tests assert that
``viewer`` is imported from the fresh venv. ``pip check`` then proves the wheel's
declared requirements are met. A full install with dependencies from the registry
is what ``make dist`` does for the bundle (packaging/build_bundle.sh).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from viewer import __version__
from viewer.paths import APP_ID
from viewer.store import parse_file

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    return subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=str(cwd),
        env=env,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = _run(sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed (no pip of its own: the test's pip drives it)."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    result = _run(sys.executable, "-m", "venv", "--without-pip", root, cwd=root.parent)
    assert result.returncode == 0, result.stderr
    python = root / "bin" / "python"
    where = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root)
    purelib = Path(where.stdout.strip())
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_borrowed_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    pip = (sys.executable, "-m", "pip", "--python", python)
    result = _run(*pip, "install", "--no-deps", "--no-index", wheel, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def run_installed(venv, tmp_path, viewer_home):
    """Run a command from the venv's bin/ in a folder far from the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["BULLETIN_VIEWER_HOME"] = str(viewer_home)
    env["QT_QPA_PLATFORM"] = "offscreen"

    def run(command: str, *args: str | Path):
        return _run(venv / "bin" / command, *args, cwd=tmp_path, env=env)

    return run


def test_wheel_carries_version_entry_points_data_and_resources(wheel):
    assert wheel.name == f"bulletin_viewer-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"bulletin_viewer-{__version__}.dist-info/entry_points.txt").decode()
    assert "bulletin-viewer = viewer.cli:main" in entry_points
    assert "[gui_scripts]" in entry_points and "bulletin-viewer-gui = viewer.gui:main" in entry_points
    assert {"viewer/data/beijing-districts-bulletin.txt", "viewer/data/bulletins.json"} <= names
    assert f"viewer/resources/icons/{APP_ID}.svg" in names
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file():
            packed = f"viewer/{source.relative_to(ROOT).as_posix()}"
            assert packed in names, f"{source} missing from the wheel"


def test_installed_package_is_the_wheel_and_its_requirements_are_met(venv):
    python = venv / "bin" / "python"
    where = _run(python, "-c", "import viewer; print(viewer.__file__)", cwd=venv)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    check = _run(sys.executable, "-m", "pip", "--python", python, "check", cwd=venv)
    assert check.returncode == 0, check.stdout + check.stderr


def test_installed_commands_report_the_version(run_installed):
    for command in ("bulletin-viewer", "bulletin-viewer-gui"):
        result = run_installed(command, "--version")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"bulletin-viewer {__version__}"


def test_installed_command_parses_the_bundled_bulletin(run_installed, venv):
    (bundled,) = venv.glob("lib/python*/site-packages/viewer/data/beijing-districts-bulletin.txt")
    result = run_installed("bulletin-viewer", "parse", "--json", bundled)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    # The same structure the checkout's parser recovers (whose accuracy tests/unit checks).
    assert parsed == parse_file(ROOT / "data" / "beijing-districts-bulletin.txt").to_dict()
    assert len(parsed["sections"]) == 12


def test_installed_archive_finds_the_bundled_bulletin(run_installed):
    result = run_installed("bulletin-viewer", "list", "--json")
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["bundled"] is True
    assert record["title"] == "北京：全力打好疫情防控阻击战！"


def test_installed_command_takes_a_screenshot_of_the_window(run_installed, tmp_path, qapp):
    from PySide6.QtGui import QImage

    shot = tmp_path / "window.png"
    result = run_installed("bulletin-viewer", "--screenshot", shot)
    assert result.returncode == 0, result.stderr
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width >= 400 and height >= 300
    image = QImage(str(shot)).scaled(64, 48).convertToFormat(QImage.Format.Format_RGB32)
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert len(colours) >= 8, "the window painted nothing"
