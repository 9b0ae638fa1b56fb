#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs the connector. With no accounts configured it starts
# the built-in demo sandbox (both simulators with demo data) and prints where each one listens.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
apt_install build-essential pkg-config
cargo build --release --locked -p cli
exec target/release/quipt-shipstation sandbox "$@"
