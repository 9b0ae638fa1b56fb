#!/usr/bin/env bash
# Builds the Linux installer with one command:
#
#   QUIPT_SHIPPED_CONSUMER_KEY=… QUIPT_SHIPPED_CONSUMER_SECRET=… QUIPT_SHIPSTATION_UPDATE_FEED=https://… \
#     ./scripts/package.sh
#       →  target/release/bundle/deb/Quipt ShipStation Connector_<version>_amd64.deb
#   ./scripts/package.sh --demo
#       →  target/release/bundle/deb/Quipt ShipStation Connector_<version>_amd64-demo.deb
#
# A release carries the connector's real Quipt OAuth consumer (the key and secret Quipt issued for
# the connector), compiled in from those two environment variables: without them the script
# refuses, so that no release ships the sandbox's demo consumer by accident. `--demo` builds with
# the sandbox's demo consumer instead, clearly marked: `-demo` in the file name, "DEMO BUILD" in
# the package description, and `quipt-shipstation --version` says so. CI (scripts/test-package.sh)
# builds the demo package; it talks only to the sandbox. A release also carries the address of the
# release feed the update notice reads once a day (QUIPT_SHIPSTATION_UPDATE_FEED, https): without
# it the operators of that release would never hear of the next one, so the script refuses too.
#
# The .deb holds the desktop app (/usr/bin/quipt-shipstation-app, its menu entry and icons) and the
# headless CLI (/usr/bin/quipt-shipstation, its bash/zsh/fish completions and manual pages, mapped in
# tauri.conf.json > bundle > linux > deb > files), so the CLI is built first. The Tauri CLI comes from npm
# (seconds) rather than `cargo install tauri-cli` (~8 min): @tauri-apps/cli at the exact version in
# ui/package.json and ui/package-lock.json (the Tauri crates' version in Cargo.lock), installed by
# `npm ci` in ui/ (scripts/setup.sh) and run as ui/node_modules/.bin/tauri from the repository root.
# Sets up a fresh Debian/Ubuntu machine like scripts/run.sh.
#
# Other bundles: `BUNDLES=appimage ./scripts/package.sh` on a release machine with internet access
# (the AppImage bundler downloads linuxdeploy and fails offline); msi/nsis on Windows and app/dmg on
# macOS are built there with the same locked CLI, `ui/node_modules/.bin/tauri build` after
# `npm ci --prefix ui` (README, "Install on a workstation").
set -euo pipefail
cd "$(dirname "$0")/.."

demo=0
for arg in "$@"; do
  case "$arg" in
    --demo) demo=1 ;;
    *)
      echo "usage: $0 [--demo]   (a release needs QUIPT_SHIPPED_CONSUMER_KEY and QUIPT_SHIPPED_CONSUMER_SECRET)" >&2
      exit 2
      ;;
  esac
done
description_prefix=""
if [ "$demo" -eq 1 ]; then
  # Whatever the environment holds, a demo build ships the demo consumer.
  unset QUIPT_SHIPPED_CONSUMER_KEY QUIPT_SHIPPED_CONSUMER_SECRET QUIPT_SHIPSTATION_UPDATE_FEED
  description_prefix="DEMO BUILD (the sandbox's OAuth consumer; not for real Quipt accounts): "
  echo "== DEMO BUILD: the sandbox's OAuth consumer is compiled in; this package cannot authorize a real Quipt account"
else
  if [ -z "${QUIPT_SHIPPED_CONSUMER_KEY:-}" ] || [ -z "${QUIPT_SHIPPED_CONSUMER_SECRET:-}" ]; then
    cat >&2 <<'MSG'
refusing to build a release without the connector's Quipt OAuth consumer:
  set QUIPT_SHIPPED_CONSUMER_KEY and QUIPT_SHIPPED_CONSUMER_SECRET (the key and secret Quipt issued
  for the connector) in the environment, or pass --demo for a package marked as a demo build
  that works only with the sandbox.
MSG
    exit 1
  fi
  case "$QUIPT_SHIPPED_CONSUMER_KEY" in
    demo-consumer*)
      echo "refusing: QUIPT_SHIPPED_CONSUMER_KEY is the sandbox's demo consumer; use --demo for a demo build" >&2
      exit 1
      ;;
  esac
  case "${QUIPT_SHIPSTATION_UPDATE_FEED:-}" in
    https://*) ;;
    *)
      echo "refusing: QUIPT_SHIPSTATION_UPDATE_FEED must be the release feed's https address (the update notice reads it once a day); it is '${QUIPT_SHIPSTATION_UPDATE_FEED:-}'" >&2
      exit 1
      ;;
  esac
  export QUIPT_SHIPPED_CONSUMER_KEY QUIPT_SHIPPED_CONSUMER_SECRET QUIPT_SHIPSTATION_UPDATE_FEED
  echo "== release build with the Quipt OAuth consumer from the environment and the feed $QUIPT_SHIPSTATION_UPDATE_FEED"
fi

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
setup_app_machine # Tauri's system libraries, Node, and the UI built into ui/dist

echo "== release build of the CLI (packaged as /usr/bin/quipt-shipstation)"
cargo build --release --locked -p cli

echo "== the CLI's completions (bash, zsh, fish) and manual pages, from its clap definitions"
# Mapped into the .deb by tauri.conf.json > bundle > linux > deb > files (Debian's own places).
files=target/release/package-files
rm -rf "$files"
mkdir -p "$files/completions"
for shell in bash zsh fish; do
  target/release/quipt-shipstation completions "$shell" >"$files/completions/$shell"
done
target/release/quipt-shipstation manual --out-dir "$files/man1"
gzip -9n "$files"/man1/*.1

echo "== tauri build --bundles ${BUNDLES:-deb}"
# The UI is already built above: the config's beforeBuildCommand is switched off for this run.
# A demo build's package description starts with DEMO BUILD.
config="$(node -e '
  const bundle = require("./src-tauri/tauri.conf.json").bundle;
  const prefix = process.argv[1];
  console.log(JSON.stringify({
    build: { beforeBuildCommand: null },
    bundle: {
      shortDescription: prefix + bundle.shortDescription,
      longDescription: prefix + bundle.longDescription,
    },
  }));' "$description_prefix")"
# A bundle of the other kind (demo or release) left from an earlier run must not be mistaken for this one.
rm -f target/release/bundle/*/*."${BUNDLES:-deb}"
ui/node_modules/.bin/tauri build --ci --bundles "${BUNDLES:-deb}" --config "$config"

if [ "$demo" -eq 1 ]; then
  for bundle in target/release/bundle/*/*."${BUNDLES:-deb}"; do
    [ -e "$bundle" ] || continue
    mv "$bundle" "${bundle%.*}-demo.${bundle##*.}"
  done
fi
ls -1 target/release/bundle/*/*."${BUNDLES:-deb}" 2>/dev/null || ls -1 target/release/bundle/*/
