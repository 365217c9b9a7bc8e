# Our hook for PySide6.QtGui, used instead of PyInstaller's (hookspath in the spec):
# the same collection, with only the Qt plugins a widgets program needs. Chosen
# here, before PyInstaller scans the plugins' own dependencies, so a dropped plugin
# (e.g. the GTK platform theme) brings none of its libraries into the bundle.
from pathlib import PurePosixPath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Kept plugins by folder under Qt/plugins (file name without suffix); folders not
# listed are dropped whole.
KEEP_PLUGINS = {
    "platforms": {"libqoffscreen", "libqxcb", "libqwayland", "qoffscreen", "qwindows", "qcocoa"},
    "imageformats": {"libqsvg", "qsvg"},  # PNG is built into QtGui
    "iconengines": {"libqsvgicon", "qsvgicon"},
    "platforminputcontexts": {"libcomposeplatforminputcontextplugin", "libibusplatforminputcontextplugin"},
    "xcbglintegrations": {"libqxcb-glx-integration", "libqxcb-egl-integration"},
    "wayland-shell-integration": {"libxdg-shell"},
    "wayland-decoration-client": {"libbradient", "libadwaita"},
    "wayland-graphics-integration-client": {"libqt-plugin-wayland-egl"},
    "styles": None,  # None: the whole folder (platform styles, e.g. Windows 11)
}


def _wanted(src: str, dest_dir: str) -> bool:
    parts = PurePosixPath(dest_dir.replace("\\", "/")).parts
    if "plugins" not in parts:
        return True
    folder = "/".join(parts[parts.index("plugins") + 1 :])
    keep = KEEP_PLUGINS.get(folder, set())
    return keep is None or PurePosixPath(src.replace("\\", "/")).name.split(".")[0] in keep


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if _wanted(src, dest)]
