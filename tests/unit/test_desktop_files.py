"""Desktop integration files: the validators accept them and they agree with the package.

Software centres and desktops read these files, not our code: a desktop entry whose
Icon or Exec names nothing, or metainfo whose release lags the version, ships broken
without any other test noticing.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from viewer import __version__
from viewer.paths import APP_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed here (CI installs it: packaging/system-deps.sh --test)")
    return path


def _desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive: Name[zh_CN]
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def _texts(root: ET.Element, tag: str) -> dict[str | None, str]:
    return {el.get(XML_LANG): (el.text or "").strip() for el in root.findall(tag)}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_desktop_file_validates():
    result = subprocess.run(
        [_validator("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_validates():
    result = subprocess.run(
        [_validator("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_launches_our_command_with_our_icon():
    entry = _desktop_entry()
    scripts = _project()["scripts"]
    assert entry["Exec"].split()[0] in scripts
    assert entry["TryExec"] in scripts
    assert entry["Icon"] == APP_ID
    assert (ICONS / f"{APP_ID}.svg").is_file()


def test_metainfo_describes_the_same_application():
    root = _metainfo()
    entry = _desktop_entry()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable[@type='desktop-id']").text == DESKTOP.name
    binaries = {el.text for el in root.findall("provides/binary")}
    assert binaries and binaries <= set(_project()["scripts"])
    names = _texts(root, "name")
    assert names == {None: entry["Name"], "zh-CN": entry["Name[zh_CN]"]}
    for tag in ("summary", "description/p"):
        assert {None, "zh-CN"} <= set(_texts(root, tag)), f"{tag} needs English and Chinese"
    assert root.find("content_rating").get("type", "").startswith("oars-")


def test_newest_release_is_the_package_version():
    releases = _metainfo().findall("releases/release")
    assert releases, "metainfo lists no release"
    assert releases[0].get("version") == __version__, (
        f'add a <release version="{__version__}"> at the top of {METAINFO.name}'
    )


def test_screenshot_is_the_repository_docs_screenshot():
    images = [el.text.strip() for el in _metainfo().findall("screenshots/screenshot/image")]
    assert images and all(url.startswith("https://") for url in images)
    # Each URL points into the repository's main branch: the file must be committed there.
    for url in images:
        path = url.split("/main/", 1)[1]
        assert path == "docs/screenshot.png", url
        width, height = _png_size(ROOT / path)
        assert width >= 620 and height >= 350, "smaller than software centres show"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_hicolor_pngs_exist_in_every_size():
    for size in ICON_SIZES:
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"
        assert _png_size(path) == (size, size)


def test_hicolor_pngs_are_rendered_from_the_current_svg():
    # Qt loads in the child process only: this test module stays Qt-free.
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_install_desktop_script_installs_and_removes_the_menu_entry(tmp_path):
    prefix = tmp_path / "share"
    command = tmp_path / "my apps" / "bulletin-viewer"
    script = PACKAGING / "install-desktop.sh"
    result = subprocess.run(
        ["bash", str(script), "--prefix", str(prefix), "--exec", str(command)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    installed = prefix / "applications" / DESKTOP.name
    text = installed.read_text(encoding="utf-8")
    assert f'Exec="{command}"' in text.splitlines()
    assert f"TryExec={command}" in text.splitlines()
    assert (prefix / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (prefix / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert (prefix / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout

    uninstall = ["bash", str(script), "--prefix", str(prefix), "--uninstall"]
    result = subprocess.run(uninstall, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not installed.exists()
    assert not list(prefix.rglob(f"{APP_ID}.*"))
