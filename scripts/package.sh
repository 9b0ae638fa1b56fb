#!/usr/bin/env bash
# Builds the Linux installer with one command:
#
#   ./scripts/package.sh      →  target/release/bundle/deb/Quipt ShipStation Connector_<version>_amd64.deb
#
# The .deb holds the desktop app (/usr/bin/quipt-shipstation-app, its menu entry and icons) and the
# headless CLI (/usr/bin/quipt-shipstation, mapped in tauri.conf.json > bundle > linux > deb > files),
# so the CLI is built first. The Tauri CLI comes from npm (`npx @tauri-apps/cli@2`, seconds) rather
# than `cargo install tauri-cli` (~8 min). Sets up a fresh Debian/Ubuntu machine like scripts/run.sh.
#
# Other bundles: `BUNDLES=appimage ./scripts/package.sh` on a release machine with internet access
# (the AppImage bundler downloads linuxdeploy and fails offline); msi/nsis on Windows and app/dmg on
# macOS are built there with `npx @tauri-apps/cli@2 build` (README, "Install on a workstation").
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
setup_app_machine # Tauri's system libraries, Node, and the UI built into ui/dist

echo "== release build of the CLI (packaged as /usr/bin/quipt-shipstation)"
cargo build --release --locked -p cli

echo "== tauri build --bundles ${BUNDLES:-deb}"
# The UI is already built above: the config's beforeBuildCommand is switched off for this run.
npx --yes @tauri-apps/cli@2 build --ci --bundles "${BUNDLES:-deb}" \
  --config '{"build":{"beforeBuildCommand":null}}'

ls -1 target/release/bundle/*/*."${BUNDLES:-deb}" 2>/dev/null || ls -1 target/release/bundle/*/
