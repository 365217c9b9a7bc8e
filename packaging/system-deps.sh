#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Qt needs on a bare machine (and, with --test,
# what the headless test run and the packaging checks need). As root it installs what is missing; as
# anyone else it prints the apt-get command to run. Never fails the caller's
# build on its own: a missing library is reported again, in plain words, when
# the program starts.
set -u
runtime="libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 fonts-noto-cjk"
display="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
want="$runtime $display"
# --test: the headless test run, the validators the desktop-file tests call
# (desktop-file-validate, appstreamcli), and qpdf, which makes the encrypted PDF the
# format tests refuse.
[ "${1:-}" = "--test" ] && want="$want xvfb xauth desktop-file-utils appstream qpdf"

command -v dpkg-query >/dev/null 2>&1 || exit 0   # not a Debian-like system: nothing to do here
missing=""
for pkg in $want; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || echo "warning: could not install:$missing" >&2
else
  echo "Bulletin Viewer needs these system packages, which are missing:$missing" >&2
  echo "Install them with: sudo apt-get install$missing" >&2
fi
exit 0
