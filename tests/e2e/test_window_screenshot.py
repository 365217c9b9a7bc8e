"""End to end: start the real program, let it open its window, and check the PNG it saves."""

from __future__ import annotations

import struct
import zlib

from tests.conftest import run_cli


def _png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


def test_screenshot_with_a_search_saves_the_painted_window(tmp_path):
    out = tmp_path / "shot.png"
    result = run_cli(
        "--screenshot",
        str(out),
        "--search",
        "消毒",
        "--district",
        "西城",
        home=tmp_path / "home",
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    width, height, pixels = _png(out)
    assert width >= 800 and height >= 500
    assert len(set(pixels[:: max(1, len(pixels) // 5000)])) > 20  # a painted window, not a blank image
    # A screenshot run leaves the user's window state alone.
    assert not (tmp_path / "home" / "config" / "settings.ini").exists()


def test_screenshot_of_an_unknown_district_is_a_plain_error(tmp_path):
    result = run_cli(
        "--screenshot",
        str(tmp_path / "x.png"),
        "--district",
        "火星",
        home=tmp_path / "home",
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: no district called '火星' in the archive"]
