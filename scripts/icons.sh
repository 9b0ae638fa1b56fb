#!/usr/bin/env bash
# Regenerates every icon the Tauri bundler needs from the one source image, icons/source.png
# (square, 1024×1024, transparent corners):
#
#   ./scripts/icons.sh [SOURCE.png]
#
# Writes icons/32x32.png, 64x64.png, 128x128.png, 128x128@2x.png, icon.png (Linux .deb/AppImage),
# icon.ico (Windows msi/NSIS), icon.icns (macOS app/dmg) and the Square*Logo.png/StoreLogo.png tiles
# (Windows Store), with `tauri icon` from npm. The Android and iOS sets it also draws are dropped:
# the connector is a desktop app. To change the icon, replace icons/source.png, run this, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
source_png="${1:-icons/source.png}"
command -v npx >/dev/null || {
  # shellcheck source=scripts/setup.sh
  source scripts/setup.sh
  apt_install nodejs npm
}
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! npx --yes @tauri-apps/cli@2 icon "$source_png" --output "$out" >"$out/tauri-icon.log" 2>&1; then
  cat "$out/tauri-icon.log" >&2
  exit 1
fi
rm "$out/tauri-icon.log"
rm -rf "$out/android" "$out/ios"
cp "$out"/* icons/
[ "$source_png" -ef icons/source.png ] || cp "$source_png" icons/source.png
echo "== icons/ regenerated from $source_png:"
ls icons/
