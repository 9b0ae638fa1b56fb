#!/usr/bin/env bash
# Fuzzes every response parser of the two API clients (fuzz/fuzz_targets/, one per parser) with
# cargo-fuzz (libFuzzer). cargo-fuzz needs nightly flags; the machines have stable 1.95 only, which
# accepts them with RUSTC_BOOTSTRAP=1. CI runs a few seconds per target; for the long run:
#   FUZZ_SECONDS=3600 scripts/fuzz.sh            # an hour per target
#   FUZZ_SECONDS=600 scripts/fuzz.sh quipt_order # one target
# A crash leaves its input in fuzz/artifacts/<target>/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

export PATH="$(pwd)/../target/tools/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --root ../target/tools
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-4}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for target in "${targets[@]}"; do
  echo "== fuzz $target (${seconds} s)"
  corpus="corpus/$target"
  mkdir -p "$corpus"
  # No sanitizer: the parsers are safe Rust, so what libFuzzer looks for here is a panic.
  cargo fuzz run --sanitizer none "$target" "$corpus" "seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=0 2>&1 | tail -n 3
  test "${PIPESTATUS[0]}" -eq 0
done
