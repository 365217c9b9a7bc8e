"""Light and dark themes, following the system colour scheme unless the user picks one.

The Fusion style with an explicit palette looks the same on every platform and lets
the manual switch work everywhere; a small style sheet per theme adds the details.
Icons are SVGs from resources/icons drawn in ``currentColor``, tinted to the palette.
"""

from __future__ import annotations

import enum
import logging
from functools import lru_cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from viewer import paths
from viewer.ui.qt_namespace import Qt

log = logging.getLogger("viewer.ui")

#: Fonts for Chinese text, in order; without an explicit choice Qt may pick Japanese glyph
#: forms. The one list: the article, the results, dialogs and the printed page use it.
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]


def text_families(chosen: str = "") -> list[str]:
    """The families to set Chinese text in: the one the user chose first (a family no longer
    installed falls through to the next), then ``CJK_FAMILIES``."""
    return [chosen, *(f for f in CJK_FAMILIES if f != chosen)] if chosen else list(CJK_FAMILIES)


def cjk_font_available() -> bool:
    """True when some installed font can show Simplified Chinese."""
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    return bool(families) or any(f in QFontDatabase.families() for f in CJK_FAMILIES[:-1])


def installed_cjk_families() -> list[str]:
    """The installed font families that can show Chinese (simplified or traditional), sorted;
    vertical-writing variants (``@SimSun``) and the Japanese and Korean cuts of pan-CJK
    families (``Noto Sans CJK JP``: other glyph forms) left out."""
    from PySide6.QtGui import QFontDatabase

    systems = (QFontDatabase.WritingSystem.SimplifiedChinese, QFontDatabase.WritingSystem.TraditionalChinese)
    found = {f for system in systems for f in QFontDatabase.families(system)}
    return sorted(
        (f for f in found if not f.startswith("@") and not f.endswith(_OTHER_CUTS)), key=str.casefold
    )


_OTHER_CUTS = (" JP", " KR")


class ThemeChoice(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


def system_prefers_dark() -> bool:
    """Whether the desktop asks for dark colours. Its answer is a Qt enum: asking builds the
    Qt namespace (viewer.ui.qt_namespace), so the first frame uses the last answer kept."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(choice: ThemeChoice, system_dark: bool | None = None) -> ThemeChoice:
    """Light or dark; SYSTEM follows ``system_dark``, the desktop's last known wish (None:
    ask it now)."""
    if choice is ThemeChoice.SYSTEM:
        dark = system_prefers_dark() if system_dark is None else system_dark
        return ThemeChoice.DARK if dark else ThemeChoice.LIGHT
    return choice


def _palette(dark: bool) -> QPalette:
    if dark:
        window, base, alt, text, mid = "#202124", "#18191b", "#26272a", "#e8e6e3", "#3a3b3e"
        button, highlight, highlighted_text, link, muted = (
            "#2b2c2f",
            "#3d6fb4",
            "#ffffff",
            "#8ab4f8",
            "#9a9896",
        )
    else:
        window, base, alt, text, mid = "#f4f3f1", "#fdfcfa", "#f0eeeb", "#1f1e1c", "#d6d3ce"
        button, highlight, highlighted_text, link, muted = (
            "#f7f6f4",
            "#2f6fcf",
            "#ffffff",
            "#1a5fb4",
            "#77736d",
        )
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: alt,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: button,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: highlighted_text,
        QPalette.ColorRole.Link: link,
        QPalette.ColorRole.LinkVisited: link,
        QPalette.ColorRole.ToolTipBase: base,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: muted,
        QPalette.ColorRole.Mid: mid,
        QPalette.ColorRole.Midlight: alt,
        QPalette.ColorRole.Dark: mid,
        QPalette.ColorRole.Light: base,
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(muted))
    pal.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor(mid))
    pal.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.HighlightedText, QColor(text))
    return pal


#: The icons Qt's own widgets ask the icon theme for (the file dialog's tool buttons) →
#: ours. ``resources/icon-themes`` holds them tinted for each theme, as an icon theme: where
#: the desktop sets none, or its theme has no such icon, Qt shows ours, monochrome like the
#: toolbar's, instead of its colourful stock ones. The docks' close button, which
#: no icon theme reaches, takes ``window-close`` from the style sheet. Made by
#: ``packaging/make_icon_themes.py``, from ``THEMED_ICONS`` and ``themed_svg``.
THEMED_ICONS = {
    "window-close": "close",
    "go-previous": "go-back",
    "go-next": "go-forward",
    "go-up": "go-parent",
    "folder-new": "folder-new",
    "view-list-icons": "view-icons",
    "view-list-details": "view-details",
}


def icon_theme_name(resolved: ThemeChoice) -> str:
    return f"bulletin-viewer-{resolved.value}"


def text_color(resolved: ThemeChoice) -> str:
    """The colour icons are drawn in: the palette's window text."""
    return _palette(resolved is ThemeChoice.DARK).color(QPalette.ColorRole.WindowText).name()


def themed_svg(name: str, color: str) -> bytes:
    """Our icon ``name`` drawn in ``color`` (its strokes are ``currentColor``)."""
    return _svg_source(name).replace(b"currentColor", color.encode())


def new_application(program: str) -> QApplication:
    """The application, in Qt's Fusion style from the start, which looks the same everywhere.

    The style is Qt's own, named: a Python style would be called into, with its arguments
    made Python objects, for every icon Qt asks for (8 ms before the first frame). It is
    named on the command line, not set afterwards: ``setStyle`` returns the style, and
    PySide making that a Python object makes QStyle's 566 enumeration members Python enums
    (8 ms more).
    """
    app = QApplication([program, "-style", "Fusion"])
    app.setProperty("fusionStyle", True)
    return app


def apply_theme(app: QApplication, choice: ThemeChoice, system_dark: bool | None = None) -> ThemeChoice:
    """Apply the palette and style sheet of ``choice`` (``system_dark``: see ``resolve``);
    returns the resolved light/dark theme, also kept as the application's ``theme`` property."""
    resolved = resolve(choice, system_dark)
    dark = resolved is ThemeChoice.DARK
    if app.property("fusionStyle") is not True:  # an application not made by new_application
        app.setStyle("Fusion")
        app.setProperty("fusionStyle", True)
    if app.property("themeSetUp") is not True:
        QIcon.setThemeSearchPaths([*QIcon.themeSearchPaths(), str(paths.resource_path("icon-themes"))])
        # Qt asks an icon theme only when one is set: with none from the desktop, ours is.
        app.setProperty("ownIconTheme", not QIcon.themeName())
        app.setProperty("themeSetUp", True)
    if app.property("ownIconTheme"):
        QIcon.setThemeName(icon_theme_name(resolved))
    else:  # the desktop's icons first, ours where it has none
        QIcon.setFallbackThemeName(icon_theme_name(resolved))
    app.setPalette(_palette(dark))
    app.setStyleSheet(_style_sheet(resolved.value))
    app.setProperty("theme", resolved.value)
    return resolved


def follow_desktop(app: QApplication | None, choice: ThemeChoice) -> bool:
    """Ask the desktop whether it wants dark colours, and return its answer; under SYSTEM,
    apply it if the theme shown was resolved from an earlier answer it no longer gives."""
    dark = system_prefers_dark()
    wanted = resolve(choice, dark).value
    if isinstance(app, QApplication) and choice is ThemeChoice.SYSTEM and app.property("theme") != wanted:
        apply_theme(app, choice, dark)
    return dark


@lru_cache(maxsize=4)
def _style_sheet(name: str) -> str:
    path = paths.resource_path("styles", f"{name}.qss")
    folder = paths.resource_path("icon-themes", icon_theme_name(ThemeChoice(name)))
    try:
        return path.read_text(encoding="utf-8").replace("@icon-theme@", folder.as_posix())
    except OSError as exc:
        log.warning("style sheet %s not loaded: %s", path, exc)
        return ""


# -- icons -----------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _svg_source(name: str) -> bytes:
    return paths.resource_path("icons", f"{name}.svg").read_bytes()


class _TintedSvgEngine(QIconEngine):
    """Draws an SVG in the palette's text colour (disabled: the muted colour), at any size."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self._renderers: dict[str, QSvgRenderer] = {}
        self._pixmaps: dict[tuple[int, int, str], QPixmap] = {}

    @staticmethod
    def _color(mode: QIcon.Mode) -> str:
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        return QApplication.palette().color(group, QPalette.ColorRole.WindowText).name()

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        color = self._color(mode)
        renderer = self._renderers.get(color)
        if renderer is None:
            renderer = self._renderers[color] = QSvgRenderer(QByteArray(themed_svg(self._name, color)))
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # Drawn from a cached pixmap at device resolution (icons repaint with every row).
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        painter.drawPixmap(rect, self.pixmap(size, mode, state))  # device pixels into ``rect``

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), self._color(mode))
        cached = self._pixmaps.get(key)
        if cached is None:
            cached = QPixmap(size)
            cached.fill(QColor(0, 0, 0, 0))  # transparent (Qt.GlobalColor: see qt_namespace)
            painter = QPainter(cached)
            self._renderer(mode).render(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
            if len(self._pixmaps) > 32:
                self._pixmaps.clear()
            self._pixmaps[key] = cached
        return cached  # shared, not copied: Qt takes a copy, and no caller draws on it

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._name)


def icon(name: str) -> QIcon:
    """An icon from resources/icons/NAME.svg that follows the theme."""
    try:
        _svg_source(name)
    except OSError as exc:
        log.warning("icon %s not found: %s", name, exc)
        return QIcon()
    return QIcon(_TintedSvgEngine(name))


ROW_ICON_EXTENT = 16  # logical pixels: the small icon size item views draw


def row_icon(name: str, ratio: float) -> QIcon:
    """``icon(name)`` as plain pixmaps in the current palette's colours, drawn for a screen of
    device pixel ratio ``ratio``, for item views that draw it on every row: painting it calls
    no Python. Make it again when the palette or the screen's ratio changes."""
    try:
        _svg_source(name)
    except OSError as exc:
        log.warning("icon %s not found: %s", name, exc)
        return QIcon()
    engine = _TintedSvgEngine(name)
    off = QIcon.State.Off
    fixed = QIcon()
    extent = max(ROW_ICON_EXTENT, round(ROW_ICON_EXTENT * ratio))
    size = QSize(extent, extent)
    normal = engine.pixmap(size, QIcon.Mode.Normal, off)
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Active, QIcon.Mode.Selected):
        fixed.addPixmap(normal, mode, off)
    fixed.addPixmap(engine.pixmap(size, QIcon.Mode.Disabled, off), QIcon.Mode.Disabled, off)
    return fixed


def app_icon() -> QIcon:
    path = paths.resource_path("icons", f"{paths.APP_ID}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
