"""The icon themes Qt's own widgets draw from are our icons in each palette's text colour."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def _generator():
    path = ROOT / "packaging" / "make_icon_themes.py"
    spec = importlib.util.spec_from_file_location("make_icon_themes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_icon_theme_files_are_the_icons_tinted_for_each_theme():
    folder = ROOT / "resources" / "icon-themes"
    expected = _generator().theme_files()
    shipped = {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    assert shipped.keys() == expected.keys()  # run packaging/make_icon_themes.py after a change
    stale = sorted(str(path) for path, content in expected.items() if shipped[path] != content)
    assert not stale, f"out of date (run packaging/make_icon_themes.py): {stale}"
    dark = expected[next(p for p in expected if p.parts[0].endswith("dark") and p.name == "go-up.svg")]
    assert b'stroke="#e8e6e3"' in dark and b"currentColor" not in dark  # the dark theme's text
