#!/usr/bin/env bash
# Regenerates every icon the Tauri bundler needs from the one source image, icons/source.png
# (square, 1024×1024, transparent corners):
#
#   ./scripts/icons.sh [SOURCE.png]
#
# Writes icons/32x32.png, 64x64.png, 128x128.png, 128x128@2x.png, icon.png (Linux .deb/AppImage),
# icon.ico (Windows msi/NSIS), icon.icns (macOS app/dmg) and the Square*Logo.png/StoreLogo.png tiles
# (Windows Store), with `tauri icon` of the Tauri CLI pinned in ui/package.json (npm ci in ui/ when
# its lock changed). The Android and iOS sets it also draws are dropped: the connector is a desktop
# app. To change the icon, replace icons/source.png, run this, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
source_png="${1:-icons/source.png}"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
command -v npm >/dev/null || apt_install nodejs npm
require_node 18
ui_packages
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! ui/node_modules/.bin/tauri icon "$source_png" --output "$out" >"$out/tauri-icon.log" 2>&1; then
  cat "$out/tauri-icon.log" >&2
  exit 1
fi
rm "$out/tauri-icon.log"
rm -rf "$out/android" "$out/ios"
cp "$out"/* icons/
[ "$source_png" -ef icons/source.png ] || cp "$source_png" icons/source.png
echo "== icons/ regenerated from $source_png:"
ls icons/
