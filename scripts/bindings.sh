#!/usr/bin/env bash
# Regenerates the UI's TypeScript types (ui/src/api/bindings, one file per Rust type) from the Rust
# types that cross to the webview: ts-rs writes them while `cargo test` runs its `export_bindings_*`
# tests under the `ts` feature of connector and of the app. Where they go and how 64-bit integers
# are typed (`number`, as JSON gives them) is in .cargo/config.toml.
#
# `scripts/bindings.sh --check` (CI): fails when the regenerated files differ from the committed
# ones — a Rust type changed without its binding being regenerated and committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=ui/src/api/bindings
# From empty, so a binding whose Rust type is gone shows up as deleted.
rm -f "$dir"/*.ts
cargo test --quiet --lib -p connector --features ts export_bindings
cargo test --quiet --lib -p quipt-shipstation-app --features ts export_bindings
echo "bindings: $(find "$dir" -name '*.ts' | wc -l) files in $dir"
if [ "${1:-}" = "--check" ]; then
  changes=$(git status --porcelain -- "$dir")
  if [ -n "$changes" ]; then
    echo "The TypeScript bindings are stale: run scripts/bindings.sh and commit $dir." >&2
    echo "$changes" >&2
    git --no-pager diff -- "$dir" >&2
    exit 1
  fi
  echo "bindings: up to date"
fi
