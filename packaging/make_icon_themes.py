"""Write ``resources/icon-themes``: our icons for Qt's own widgets, tinted for each theme
(a maintainer's tool; run it after changing an icon or a palette's text colour).

Qt's file dialog asks the icon theme for its tool buttons' icons (``go-up``, ``folder-new``…)
and shows colourful stock ones where the desktop's theme has none. The window sets these
folders as the fallback icon theme (``viewer.ui.theme.apply_theme``), one a theme, so those
buttons are drawn as the toolbar is: our icons in the palette's text colour. The docks'
close button takes ``window-close`` from the style sheet.

    .venv/bin/python packaging/make_icon_themes.py

``tests/ui/test_icon_themes.py`` checks that the files are what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INDEX = """[Icon Theme]
Name=Bulletin Viewer ({theme})
Comment=Bulletin Viewer's icons for Qt's own widgets, in the {theme} theme's text colour
Directories=scalable

[scalable]
Size=24
MinSize=8
MaxSize=512
Type=Scalable
"""


def theme_files() -> dict[Path, bytes]:
    """Each file of the icon themes (relative to ``resources/icon-themes``) → its content."""
    from viewer.ui.theme import THEMED_ICONS, ThemeChoice, icon_theme_name, text_color, themed_svg

    files: dict[Path, bytes] = {}
    for theme in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        folder = Path(icon_theme_name(theme))
        files[folder / "index.theme"] = INDEX.format(theme=theme.value).encode()
        for theme_name, ours in THEMED_ICONS.items():
            files[folder / "scalable" / f"{theme_name}.svg"] = themed_svg(ours, text_color(theme))
    return files


def main() -> int:
    out = ROOT / "resources" / "icon-themes"
    for relative, content in theme_files().items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
