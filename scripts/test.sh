#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every test: formatting, lints, docs, then the
# workspace's tests inside a D-Bus session with an unlocked gnome-keyring (the real Secret Service).
# CI runs exactly this (see .ci/run). Idempotent: installed packages and tools are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
setup_test_machine
setup_app_machine
setup_e2e_machine

echo "== UI: Prettier (the formatter npm installs from ui/package.json) finds every file formatted"
(cd ui && npm run format:check)

echo "== UI: Vitest"
(cd ui && npm test)

echo "== TypeScript bindings: regenerated from the Rust types, must equal the committed ui/src/api/bindings"
./scripts/bindings.sh --check

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== no module cycles in the engine and the clients (scripts/module-cycles.py)"
python3 scripts/module-cycles.py crates/connector/src crates/quipt/src crates/shipstation/src src-tauri/src

echo "== cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

# Licences, sources, duplicate versions and RustSec advisories of every dependency (deny.toml). The
# advisory database is on GitHub, which CI machines cannot reach: the script then says ADVISORIES NOT
# CHECKED and goes on (README, "Dependencies").
./scripts/deny.sh

echo "== package: build the .deb, install it, run the installed quipt-shipstation against the sandbox"
# Own step, before the cargo tests (CI reads cargo test's closing lines, so they stay last).
# CI checks the package, not its optimisation: no LTO and more codegen units halve the release build.
CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 ./scripts/test-package.sh

echo "== bench in a reduced size (checks that every SPEC §6 figure is measured; BENCHMARKS.md has the full run)"
# Shown here as it runs and kept in target/; a figure printed without a number (n/a, -) or not at all
# fails CI (scripts/bench-figures.sh), a MISSED target does not (a debug build, a reduced size).
mkdir -p target
cargo run -p bench -- --quick | tee target/bench-quick.txt
./scripts/bench-figures.sh target/bench-quick.txt

echo "== fuzz every response parser for a few seconds each (long run: see BENCHMARKS.md)"
./scripts/fuzz.sh

echo "== cargo test (inside a D-Bus session with an unlocked gnome-keyring, on a virtual X display)"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test --workspace --no-fail-fast 2>&1
'
