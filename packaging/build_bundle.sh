#!/usr/bin/env bash
# Build the onedir bundle dist/bulletin-viewer/ from the newest wheel in dist/.
#
#   packaging/build_bundle.sh        (make dist builds the wheel first, then runs this)
#
# PyInstaller runs in its own venv, build/venv-bundle (made on first use, reused
# after), where the wheel is installed with its dependencies from the registry, so
# the project's .venv is never touched and the bundle holds what the wheel holds.
# Desktop integration files are copied beside the executable: run
# dist/bulletin-viewer/install-desktop.sh to add the program to the menus.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${BUNDLE_VENV:-build/venv-bundle}
DIST=dist
NAME=bulletin-viewer
APP_ID=io.github.bulletinviewer.BulletinViewer

wheel=$(ls -t "$DIST"/bulletin_viewer-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "error: no wheel in $DIST/: build it first (make dist does both)" >&2
  exit 2
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
# hooks-contrib 2025.1 brought the pypdfium2/pypdfium2_raw hooks (pdfium's shared library):
# named here so that a venv made before then is brought up to date.
"$VENV/bin/python" -m pip install -q "pyinstaller>=6.10" "pyinstaller-hooks-contrib>=2025.1" "$wheel"
# Same version number as last time still means new contents: reinstall the package itself.
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$wheel"

echo "Building $DIST/$NAME/ from $wheel"
start=$(date +%s)
rm -rf "${DIST:?}/$NAME"
# Run from build/ so that nothing in the checkout shadows the installed package.
(cd build && "../$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "../$DIST" --workpath pyinstaller "../packaging/$NAME.spec")

# Debug symbols out (about 25 MB), on Linux, except in the libraries that auditwheel
# vendored into a wheel's *.libs folder: they are stripped already, and strip breaks
# their segment alignment (numpy's OpenBLAS would no longer load).
if [ "$(uname -s)" = Linux ] && command -v strip >/dev/null; then
  find "$DIST/$NAME" -type f \( -name '*.so' -o -name '*.so.*' \) ! -path '*.libs/*' \
    -exec strip --strip-debug {} + 2>/dev/null || true
fi

install -m 0755 packaging/install-desktop.sh "$DIST/$NAME/install-desktop.sh"
install -m 0644 "packaging/$APP_ID.desktop" "packaging/$APP_ID.metainfo.xml" "$DIST/$NAME/"

echo "Built $DIST/$NAME/ in $(( $(date +%s) - start )) s: $(du -sh "$DIST/$NAME" | cut -f1)"
