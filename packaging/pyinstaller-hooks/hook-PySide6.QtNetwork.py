# Our hook for PySide6.QtNetwork, used instead of PyInstaller's (hookspath in the spec).
# The program uses QtNetwork only for local sockets (one window per data folder), so
# none of its plugins (TLS backends, network information) goes into the bundle.
from pathlib import PurePosixPath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (src, dest) for src, dest in binaries if "plugins" not in PurePosixPath(dest.replace("\\", "/")).parts
]
