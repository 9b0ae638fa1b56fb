#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (system and npm packages), builds the UI and starts the
# desktop app. With no accounts configured the wizard offers "Try it with demo data", which starts
# the built-in sandbox in-process. `scripts/run.sh --sandbox` runs only the two simulators (the
# CLI's `quipt-shipstation sandbox`) and prints where each one listens.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
if [ "${1:-}" = "--sandbox" ]; then
  shift
  apt_install build-essential pkg-config
  cargo build --release --locked -p cli
  exec target/release/quipt-shipstation sandbox "$@"
fi
setup_app_machine
cargo build --release --locked -p quipt-shipstation-app
exec target/release/quipt-shipstation-app "$@"
