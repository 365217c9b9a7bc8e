#!/usr/bin/env bash
# Add Bulletin Viewer to the desktop's menus (Linux, freedesktop.org): the desktop
# entry, the app icon in every hicolor size and the AppStream metainfo, for the
# current user (~/.local/share) or under --prefix.
#
#   install-desktop.sh [--prefix DIR] [--exec COMMAND] [--uninstall]
#
# Works from a checkout or sdist (packaging/install-desktop.sh) and from the bundle
# (dist/bulletin-viewer/install-desktop.sh). The menu entry starts, by an absolute
# path: --exec COMMAND if given, else the bundle's executable beside this script,
# else the `bulletin-viewer` found on PATH (a pip-installed wheel).
set -euo pipefail

APP_ID=io.github.bulletinviewer.BulletinViewer
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
exec_cmd=""
uninstall=0

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --exec) exec_cmd=${2:?--exec needs a command}; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "error: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

icons=""
for candidate in "$here/../resources/icons" "$here/_internal/viewer/resources/icons"; do
  [ -f "$candidate/$APP_ID.svg" ] && icons=$(cd "$candidate" && pwd) && break
done
if [ -z "$icons" ] || [ ! -f "$here/$APP_ID.desktop" ]; then
  echo "error: run this script from a checkout's packaging/ folder or from the bundle's folder" >&2
  exit 2
fi

desktop_dst="$prefix/applications/$APP_ID.desktop"
metainfo_dst="$prefix/metainfo/$APP_ID.metainfo.xml"
icon_dsts=("$prefix/icons/hicolor/scalable/apps/$APP_ID.svg")
for png in "$icons"/hicolor/*/apps/"$APP_ID.png"; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  icon_dsts+=("$prefix/icons/hicolor/$size/apps/$APP_ID.png")
done

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$prefix/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$prefix/icons/hicolor" 2>/dev/null || true
}

if [ "$uninstall" = 1 ]; then
  rm -f "$desktop_dst" "$metainfo_dst" "${icon_dsts[@]}"
  refresh
  echo "Removed Bulletin Viewer's menu entry, icons and metainfo from $prefix"
  exit 0
fi

if [ -z "$exec_cmd" ]; then
  if [ -x "$here/bulletin-viewer" ] && [ -f "$here/bulletin-viewer" ]; then
    exec_cmd="$here/bulletin-viewer"
  elif command -v bulletin-viewer >/dev/null 2>&1; then
    exec_cmd=$(command -v bulletin-viewer)
  else
    echo "error: bulletin-viewer is not on PATH: install the wheel first, or pass --exec COMMAND" >&2
    exit 2
  fi
fi
case "$exec_cmd" in
  *[\"\`\$\\]*) echo "error: --exec path must not contain \" \` \$ or \\" >&2; exit 2 ;;
esac
quoted=$exec_cmd
case "$exec_cmd" in *" "*) quoted="\"$exec_cmd\"" ;; esac

mkdir -p "$(dirname "$desktop_dst")" "$(dirname "$metainfo_dst")"
sed -e "s|^Exec=.*|Exec=$quoted|" -e "s|^TryExec=.*|TryExec=$exec_cmd|" \
  "$here/$APP_ID.desktop" > "$desktop_dst.tmp" && mv "$desktop_dst.tmp" "$desktop_dst"
install -m 0644 "$here/$APP_ID.metainfo.xml" "$metainfo_dst"
install -D -m 0644 "$icons/$APP_ID.svg" "${icon_dsts[0]}"
for png in "$icons"/hicolor/*/apps/"$APP_ID.png"; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  install -D -m 0644 "$png" "$prefix/icons/hicolor/$size/apps/$APP_ID.png"
done
refresh
echo "Installed Bulletin Viewer's menu entry (Exec=$quoted), icons and metainfo under $prefix"
