#!/usr/bin/env bash
# Checks that the bench measured each figure CI must see (issue 21: the quick run still measures
# each of them), from the bench's output:
#
#   cargo run -p bench -- --quick | tee target/bench-quick.txt
#   ./scripts/bench-figures.sh target/bench-quick.txt      (or the output on stdin)
#
# A figure is measured when it has a `figure: <name> <number> <unit> (target …) met|MISSED` line
# (crates/bench/src/figure.rs) and none of its lines has `n/a`, `-` or anything else in place of the
# number. `met` is not required: in a debug build (CI) some ratios come out MISSED, and the targets
# are for the full size on a release build (BENCHMARKS.md). Exits 1 naming each figure that is
# missing or unmeasured, 0 otherwise.
set -euo pipefail

# Names as the bench prints them; history's carries the event count (`history_query_ms_1m_events` at
# the full size, `history_query_ms_50000_events` in the quick run), so it is a pattern here.
figures=(
  push_ceiling_ratio
  push_speedup_vs_one_per_call
  first_sync_minutes_to_shipstation_5000
  idle_run_api_calls
  idle_run_writes
  tracking_latency_s_during_backlog
  'history_query_ms_(1m|[0-9]+)_events'
)

case $# in
  0) output="$(cat)" ;;
  1) output="$(cat -- "$1")" ;;
  *)
    echo "usage: $0 [BENCH-OUTPUT-FILE]   (the bench's output on stdin without one)" >&2
    exit 2
    ;;
esac

number='-?[0-9]+(\.[0-9]+)?'
failed=0
for figure in "${figures[@]}"; do
  lines="$(grep -E "^figure: $figure " <<<"$output" || true)"
  if [ -z "$lines" ]; then
    echo "bench figure missing: $figure (no 'figure: $figure …' line)" >&2
    failed=1
    continue
  fi
  unmeasured="$(grep -Ev "^figure: $figure $number " <<<"$lines" || true)"
  if [ -n "$unmeasured" ]; then
    echo "bench figure not measured (no number): $unmeasured" >&2
    failed=1
    continue
  fi
  echo "measured: $lines"
done
if [ "$failed" -ne 0 ]; then
  echo "FAIL: the bench did not measure every figure above (crates/bench; BENCHMARKS.md)" >&2
  exit 1
fi
echo "bench: all ${#figures[@]} figures measured"
