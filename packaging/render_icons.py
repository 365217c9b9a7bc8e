"""Render the app icon's hicolor PNG sizes from its SVG, or check they are current.

    python packaging/render_icons.py           # write resources/icons/hicolor/NxN/apps/<APP_ID>.png
    python packaging/render_icons.py --check   # exit 1 if a PNG is missing or differs from the SVG

The SVG (``resources/icons/<APP_ID>.svg``) is the source; the PNGs are committed so
that neither a wheel nor a bundle build needs a renderer. They are drawn with Qt's
own SVG renderer (QtSvg, already a dependency), antialiased on a transparent ground.
``--check`` allows for small antialiasing differences between Qt versions.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.paths import APP_ID  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / f"{APP_ID}.svg"

#: A channel may differ by this much before a pixel counts as different ...
CHANNEL_TOLERANCE = 24
#: ... and this share of an icon's pixels may differ before it is stale.
PIXEL_SHARE_TOLERANCE = 0.01


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def _render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"error: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def _differing_share(a, b) -> float:
    """Share of pixels where some ARGB channel differs by more than the tolerance."""
    from PySide6.QtGui import QImage

    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    if a.size() != b.size():
        return 1.0
    bytes_a, bytes_b = bytes(a.constBits()), bytes(b.constBits())
    differing = 0
    for offset in range(0, len(bytes_a), 4):
        pixel_a, pixel_b = bytes_a[offset : offset + 4], bytes_b[offset : offset + 4]
        if pixel_a == pixel_b:
            continue
        if max(abs(x - y) for x, y in zip(pixel_a, pixel_b, strict=True)) > CHANNEL_TOLERANCE:
            differing += 1
    return differing / (a.width() * a.height())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the PNGs are current")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication([])
    stale = []
    for size in SIZES:
        fresh = _render(size)
        path = png_path(size)
        if args.check:
            committed = QImage(str(path))
            if committed.isNull():
                stale.append(f"{path.relative_to(ROOT)}: missing or unreadable")
            elif (share := _differing_share(fresh, committed)) > PIXEL_SHARE_TOLERANCE:
                stale.append(f"{path.relative_to(ROOT)}: {share:.1%} of pixels differ from the SVG")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not fresh.save(str(path), "PNG"):
            raise SystemExit(f"error: could not write {path}")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale app icon PNGs (run: python packaging/render_icons.py):", file=sys.stderr)
        for line in stale:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
