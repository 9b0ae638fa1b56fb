#!/usr/bin/env bash
# The supply-chain check configured by deny.toml, with cargo-deny (installed into target/tools by
# scripts/setup.sh):
#
#   ./scripts/deny.sh                             # CI runs it from scripts/test.sh
#   DENY_ADVISORIES=required ./scripts/deny.sh    # a release machine: the database must be fetched
#
# 1. Licences, sources and duplicate versions need only Cargo.lock and crates.io: any error fails.
# 2. Advisories need RustSec's advisory database, a git repository on GitHub, which our CI machines
#    cannot reach (they reach the package registries only). What runs depends on what is there:
#    - the database fetched now: the advisories check runs, and an advisory deny.toml does not ignore
#      fails it;
#    - not fetched and DENY_ADVISORIES=required: a failure;
#    - not fetched, but a copy fetched earlier is in target/advisory-dbs: the check runs against that
#      copy, offline (no yanked-crate look-ups), and says how old the copy is;
#    - neither: ADVISORIES NOT CHECKED, with the reason. Never a pass for a check that did not run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
setup_supply_chain_check

echo "== cargo deny: licences, sources, duplicate versions (deny.toml)"
cargo deny --locked check licenses sources bans

echo "== cargo deny: advisories (RustSec's database)"
# A machine whose firewall drops GitHub's packets (instead of failing the name look-up, as ours do at
# once) would otherwise wait on git for many minutes: two are plenty for a shallow clone.
if timeout 120 cargo deny fetch db; then
  cargo deny --locked check advisories
  exit 0
fi

if [ "${DENY_ADVISORIES:-}" = required ]; then
  echo "!! RustSec's advisory database could not be fetched (the error is above, or 2 min ran out), and DENY_ADVISORIES=required" >&2
  exit 1
fi
# deny.toml > advisories > db-path; cargo-deny keeps one git clone per database URL in it.
earlier_copy=""
if [ -d target/advisory-dbs ]; then
  earlier_copy="$(find target/advisory-dbs -mindepth 2 -maxdepth 2 -name .git -printf '%h' -quit)"
fi
if [ -n "$earlier_copy" ]; then
  echo "!! RustSec's advisory database could not be fetched: checking against the earlier copy in" \
    "$earlier_copy, whose newest change is of $(git -C "$earlier_copy" log -1 --format=%cs);" \
    "advisories published since are not known here"
  cargo deny --frozen check advisories
  exit 0
fi

cat <<'MSG'
!! ADVISORIES NOT CHECKED: RustSec's advisory database (https://github.com/rustsec/advisory-db) could not
!! be fetched from this machine (the error is above, or 2 min ran out) and no earlier copy is in
!! target/advisory-dbs.
!! Licences, sources and duplicate versions were checked; known vulnerabilities were NOT. Run
!! ./scripts/deny.sh where GitHub is reachable; DENY_ADVISORIES=required makes this a failure.
MSG
