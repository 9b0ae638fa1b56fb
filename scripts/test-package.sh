#!/usr/bin/env bash
# The installed package, used the way an operator would, on this machine:
#
#   ./scripts/test-package.sh     (CI runs it from scripts/test.sh, before the cargo tests)
#
#  0. a release build without the real Quipt consumer, or without the release feed, is refused
#     (scripts/package.sh, no --demo);
#  1. builds the demo .deb (scripts/package.sh --demo: CI has no real consumer and talks only to the
#     sandbox) and installs it with apt-get;
#     it must hold both programs, the icons and the two systemd units (checked with
#     `systemd-analyze verify` once installed);
#  2. as a new user (a fresh $HOME, default config and data directories): the installed
#     `quipt-shipstation --version`, then `quipt-shipstation sandbox` in the background, the example
#     settings, the sandbox's demo credentials in the environment, and `quipt-shipstation check`,
#     which must exit 0; one `sync` writes the history; the CLI's bash/zsh/fish completions and
#     manual pages are in the package, the bash completion loads and the pages are section 1; an
#     instance of the system template unit runs the unit's own command line as systemd would (a user
#     of its own, no session bus, credentials only from its environment file) and SIGTERM ends it
#     with exit 0;
#  3. start on login: the installed app is driven through tauri-driver (WebDriver over curl) to call
#     `set_autostart`, the command behind the Settings checkbox; the autostart entry must appear and
#     launch the installed app, as the desktop session does at login; switching it off removes it;
#  4. `apt-get remove`: the programs are gone, the settings and the history database are not;
#     reinstalled, the same history is shown again.
# Needs root or sudo. Removes the package at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
apt_install curl jq file xvfb xauth x11-utils webkit2gtk-driver dbus systemd
cargo_tool tauri-driver # into target/tools, like every cargo tool (scripts/setup.sh)

# The app needs a display and a session bus: re-run inside both when they are missing.
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Polls a condition every 0.1 s until it holds or the deadline (seconds) passes.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what (not within ${seconds} s)"
    sleep 0.1
  done
}
# Whether a command's whole output matches a pattern. The output is read to its end before grep
# looks: `cmd | grep -q` under pipefail fails whenever grep quits at the first match while the
# command still writes (dpkg-deb prints a Description in two writes; its second then dies of SIGPIPE).
output_matches() {
  local pattern="$1" output
  shift
  output="$("$@")" || return 1
  grep -q -- "$pattern" <<<"$output"
}

# Bytes as MiB with two decimals.
mib() { awk -v bytes="$1" 'BEGIN { printf "%.2f", bytes / 1048576 }'; }

pids=()
work="$(mktemp -d)"
package=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$package" ] || $sudo apt-get remove -y -qq "$package" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== package: a release without the Quipt consumer in the environment is refused"
refused=0
env -u QUIPT_SHIPPED_CONSUMER_KEY -u QUIPT_SHIPPED_CONSUMER_SECRET ./scripts/package.sh \
  >"$work/refused.out" 2>&1 || refused=$?
[ "$refused" -eq 1 ] || fail "package.sh without the consumer exited $refused: $(cat "$work/refused.out")"
grep -q 'QUIPT_SHIPPED_CONSUMER_KEY' "$work/refused.out" || fail "the refusal does not say what to set"
cat "$work/refused.out"
refused=0
env -u QUIPT_SHIPSTATION_UPDATE_FEED QUIPT_SHIPPED_CONSUMER_KEY=issued-key QUIPT_SHIPPED_CONSUMER_SECRET=issued-secret \
  ./scripts/package.sh >"$work/refused.out" 2>&1 || refused=$?
[ "$refused" -eq 1 ] || fail "package.sh without the release feed exited $refused: $(cat "$work/refused.out")"
grep -q 'QUIPT_SHIPSTATION_UPDATE_FEED' "$work/refused.out" || fail "the refusal does not name the feed's variable"
cat "$work/refused.out"

echo "== package: build the demo .deb"
./scripts/package.sh --demo
deb="$(ls -t "$repo"/target/release/bundle/deb/*.deb | head -1)"
package="$(dpkg-deb -f "$deb" Package)"
version="$(dpkg-deb -f "$deb" Version)"
echo "== package: $deb ($package $version)"
# The size an operator downloads. BENCHMARKS.md ("The installer's size") has the release profile's;
# CI builds without LTO (scripts/test.sh), so its package is somewhat larger.
deb_bytes="$(stat -c %s "$deb")"
echo "size: $(mib "$deb_bytes") MiB ($deb_bytes B)"
case "$deb" in *-demo.deb) ;; *) fail "the demo package's file name does not say demo: $deb" ;; esac
output_matches 'DEMO BUILD' dpkg-deb -f "$deb" Description ||
  fail "the demo package's description does not say DEMO BUILD: $(dpkg-deb -f "$deb" Description)"

dpkg-deb -c "$deb" >"$work/contents.txt"
for path in 'usr/bin/quipt-shipstation' 'usr/bin/quipt-shipstation-app' \
  'usr/share/applications/.*\.desktop' 'usr/share/icons/hicolor/.*\.png' \
  'usr/share/bash-completion/completions/quipt-shipstation' \
  'usr/share/zsh/vendor-completions/_quipt-shipstation' \
  'usr/share/fish/vendor_completions.d/quipt-shipstation\.fish' \
  'usr/share/man/man1/quipt-shipstation\.1\.gz' 'usr/share/man/man1/quipt-shipstation-sync\.1\.gz' \
  'usr/lib/systemd/user/quipt-shipstation\.service' 'usr/lib/systemd/system/quipt-shipstation@\.service'; do
  grep -Eq " (\./)?$path\$" "$work/contents.txt" || fail "the .deb holds no /$path"
done
echo "the CLI's completions and manual pages in the .deb:"
grep -E 'completion|man1' "$work/contents.txt" | sed 's/.* \.\?/  /'

install_package() {
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$deb" >/dev/null
}
echo "== package: apt-get install"
install_package
[ "$(command -v quipt-shipstation)" = /usr/bin/quipt-shipstation ] || fail "quipt-shipstation is not on PATH from /usr/bin"
[ -x /usr/bin/quipt-shipstation-app ] || fail "the desktop app is not installed"
# The release profile strips both programs (Cargo.toml, strip = true): `file` must say so.
for program in /usr/bin/quipt-shipstation /usr/bin/quipt-shipstation-app; do
  kind="$(file -bL "$program")"
  case "$kind" in
    *"not stripped"*) fail "$program is not stripped: $kind" ;;
    *stripped*) echo "$program: stripped, $(mib "$(stat -L -c %s "$program")") MiB" ;;
    *) fail "file does not say whether $program is stripped: $kind" ;;
  esac
done
# What a Debian user expects of a command: Tab completes it, `man` documents it.
completes="$(bash -c 'source /usr/share/bash-completion/completions/quipt-shipstation && complete -p quipt-shipstation')" ||
  fail "the installed bash completion does not load"
echo "bash: $completes"
output_matches '^\.TH quipt-shipstation 1' zcat /usr/share/man/man1/quipt-shipstation.1.gz ||
  fail "the installed manual page is not a section 1 page of quipt-shipstation"
output_matches 'dry' zcat /usr/share/man/man1/quipt-shipstation-sync.1.gz ||
  fail "the manual page of quipt-shipstation sync does not document --dry-run"

echo "== installed: the systemd units pass systemd-analyze verify"
# A template is verified as an instance; a user unit needs a runtime directory of its own here.
units="$work/units"
mkdir -p "$units"
cp /usr/lib/systemd/system/quipt-shipstation@.service "$units/quipt-shipstation@acme.service"
systemd-analyze verify "$units/quipt-shipstation@acme.service" ||
  fail "the system template unit quipt-shipstation@.service does not verify"
XDG_RUNTIME_DIR="$units" systemd-analyze --user verify /usr/lib/systemd/user/quipt-shipstation.service ||
  fail "the user unit quipt-shipstation.service does not verify"
grep -q '^Restart=on-failure' "$units/quipt-shipstation@acme.service" || fail "the template does not restart on failure"
grep -q '^EnvironmentFile=/etc/quipt-shipstation/%i/credentials.env' "$units/quipt-shipstation@acme.service" ||
  fail "the template does not read the instance's credentials file"

# A new operator: nothing of this machine's user, the platform's default directories.
export HOME="$work/home"
mkdir -p "$HOME"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME QUIPT_SHIPSTATION_CONFIG QUIPT_SHIPSTATION_DATA_DIR
cd "$HOME"

echo "== installed: quipt-shipstation --version"
shown="$(quipt-shipstation --version)"
echo "$shown"
case "$shown" in
  "quipt-shipstation $version (demo build"*) ;;
  *) fail "--version says '$shown', the package is the demo build of $version" ;;
esac

echo "== installed: quipt-shipstation sandbox (background)"
quipt-shipstation sandbox --quipt-port 0 --shipstation-port 0 >"$work/sandbox.out" 2>&1 &
pids+=($!)
wait_for 30 "the sandbox prints both addresses" grep -q '^shipstation: ' "$work/sandbox.out"
quipt_url="$(sed -n 's/^quipt: //p' "$work/sandbox.out")"
shipstation_url="$(sed -n 's/^shipstation: //p' "$work/sandbox.out")"
echo "quipt: $quipt_url, shipstation: $shipstation_url"
export QUIPT_API_URL="$quipt_url" QUIPT_APP_URL="$quipt_url" SHIPSTATION_API_URL="$shipstation_url"
export QUIPT_CONSUMER_KEY=demo-consumer QUIPT_CONSUMER_SECRET=demo-consumer-secret
export QUIPT_ACCESS_TOKEN=demo-token QUIPT_ACCESS_TOKEN_SECRET=demo-token-secret
export SHIPSTATION_API_KEY=demo-key SHIPSTATION_API_SECRET=demo-secret
mkdir -p "$HOME/.config/quipt-shipstation"
cp "$repo/docs/settings.example.toml" "$HOME/.config/quipt-shipstation/settings.toml"

echo "== installed: quipt-shipstation check"
quipt-shipstation check || fail "the installed quipt-shipstation check exited $?"

echo "== installed: quipt-shipstation sync (writes the history)"
status=0
quipt-shipstation sync >"$work/sync.out" 2>&1 || status=$?
tail -5 "$work/sync.out"
# 0 = nothing held; 2 = some demo orders are held on purpose (malformed, unmatched warehouse).
[ "$status" -eq 0 ] || [ "$status" -eq 2 ] || fail "the installed sync exited $status"
history_db="$HOME/.local/share/quipt-shipstation/history.sqlite3"
[ -s "$history_db" ] || fail "no history database at $history_db"
quipt-shipstation history --json >"$work/history-before.json"
orders="$(jq length "$work/history-before.json")"
[ "$orders" -gt 0 ] || fail "the history lists no order after a sync"
echo "history: $orders orders in $history_db"

echo "== installed: an instance of the system template unit, its command line run as systemd runs it"
# The unit's own ExecStart with the instance's paths, as a user of its own (nobody, as DynamicUser
# gives one) with no HOME and no session bus, the credentials only from the instance's environment
# file (mode 0600), its history in its state directory (0700, its user's). SIGTERM asks the run in
# progress to finish, a second one abandons it: exit 0 either way.
instance="$(mktemp -d)"
chmod 755 "$instance"
mkdir -p "$instance/etc/acme" "$instance/var/acme"
cp "$repo/docs/settings.example.toml" "$instance/etc/acme/settings.toml"
chmod 644 "$instance/etc/acme/settings.toml"
for name in QUIPT_API_URL QUIPT_APP_URL SHIPSTATION_API_URL QUIPT_CONSUMER_KEY QUIPT_CONSUMER_SECRET \
  QUIPT_ACCESS_TOKEN QUIPT_ACCESS_TOKEN_SECRET SHIPSTATION_API_KEY SHIPSTATION_API_SECRET; do
  printf '%s=%s\n' "$name" "${!name}"
done >"$instance/etc/acme/credentials.env"
chmod 600 "$instance/etc/acme/credentials.env"
$sudo chown nobody:nogroup "$instance/var/acme"
$sudo chmod 700 "$instance/var/acme"
exec_start="$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/system/quipt-shipstation@.service)"
exec_start="${exec_start//\/etc\/quipt-shipstation\/%i/$instance/etc/acme}"
exec_start="${exec_start//\/var\/lib\/quipt-shipstation\/%i/$instance/var/acme}"
read -r -a argv <<<"$exec_start"
mapfile -t instance_env <"$instance/etc/acme/credentials.env"
$sudo env -i PATH=/usr/bin:/bin "${instance_env[@]}" \
  setpriv --reuid=nobody --regid=nogroup --clear-groups "${argv[@]}" >"$work/instance.out" 2>&1 &
daemon=$!
pids+=("$daemon")
wait_for 60 "the instance's daemon starts syncing" grep -q '^syncing every' "$work/instance.out"
wait_for 60 "the instance's history in its state directory" $sudo test -s "$instance/var/acme/history.sqlite3"
owner="$($sudo stat -c '%U %a' "$instance/var/acme/history.sqlite3")"
[ "$owner" = "nobody 600" ] || fail "the instance's history is '$owner', not its own user's alone"
kill -TERM "$daemon"
wait_for 30 "the instance says it is stopping" grep -q 'stopping' "$work/instance.out"
kill -TERM "$daemon" 2>/dev/null || true
status=0
wait "$daemon" || status=$?
tail -3 "$work/instance.out"
[ "$status" -eq 0 ] || fail "the template instance's daemon exited $status on SIGTERM"
$sudo rm -rf "$instance"

echo "== installed app: start on login through the app's own command (tauri-driver, WebDriver)"
port=4544
native_port=4545
tauri-driver --port "$port" --native-port "$native_port" >"$work/tauri-driver.log" 2>&1 &
pids+=($!)
webdriver="http://127.0.0.1:$port"
new_session() {
  curl -sf -X POST "$webdriver/session" -H 'content-type: application/json' \
    -d '{"capabilities":{"alwaysMatch":{"tauri:options":{"application":"/usr/bin/quipt-shipstation-app"}}}}' \
    >"$work/session.json" 2>/dev/null
}
wait_for 60 "a WebDriver session with the installed app" new_session
session="$(jq -r .value.sessionId "$work/session.json")"
# Runs an app command from the webview and prints its JSON answer.
invoke() {
  local body
  body="$(jq -n --arg cmd "$1" --argjson args "$2" '{
    script: "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => done({ok: v}), (e) => done({err: e}));",
    args: [$cmd, $args]}')"
  curl -sf -X POST "$webdriver/session/$session/execute/async" -H 'content-type: application/json' \
    -d "$body" | jq -c .value
}
[ "$(invoke autostart '{}')" = '{"ok":false}' ] || fail "start on login is on for a new user"
answer="$(invoke set_autostart '{"enabled":true}')"
[ "$answer" = '{"ok":true}' ] || fail "set_autostart answered $answer"
entry="$(ls "$HOME"/.config/autostart/*.desktop 2>/dev/null | head -1 || true)"
[ -n "$entry" ] || fail "switching start on login on wrote no ~/.config/autostart/*.desktop"
echo "autostart entry: $entry"
cat "$entry"
echo
exec_line="$(sed -n 's/^Exec=//p' "$entry")"
case "$exec_line" in
  *quipt-shipstation-app*--minimized*) ;;
  *) fail "the autostart entry runs '$exec_line', not the installed app minimised" ;;
esac
[ "$(invoke autostart '{}')" = '{"ok":true}' ] || fail "the app does not report start on login as on"
curl -sf -X DELETE "$webdriver/session/$session" >/dev/null || true
kill -TERM "${pids[-1]}" && wait "${pids[-1]}" 2>/dev/null || true
unset 'pids[-1]'
# The app WebDriver started is ended here, whether or not WebKitWebDriver's teardown got to it
# (under load it may not, within the wait below): what follows tests the login start alone.
pkill -TERM -f '^/usr/bin/quipt-shipstation-app' 2>/dev/null || true

echo "== installed app: what the desktop session runs at login"
# The session manager runs the Exec line; the app must start, minimised to the tray.
app_window() {
  xwininfo -root -tree >"$work/windows.txt" 2>/dev/null || true
  grep -q '"Quipt ShipStation Connector"' "$work/windows.txt"
}
no_app_window() { ! app_window; }
wait_for 30 "the app driven over WebDriver has closed" no_app_window
eval "set -- $exec_line"
"$@" >"$work/login-start.log" 2>&1 &
login_pid=$!
pids+=("$login_pid")
wait_for 30 "the app started from the autostart entry has a window" app_window
kill -0 "$login_pid" 2>/dev/null || fail "the app started at login exited: $(tail -5 "$work/login-start.log")"
echo "the app started from the autostart entry (pid $login_pid)"
kill -TERM "$login_pid" && wait "$login_pid" 2>/dev/null || true
unset 'pids[-1]'
# Switching it off again, without the app: the entry is the plugin's only state.
rm "$entry"

echo "== package: apt-get remove keeps the settings and the history"
DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq "$package" >/dev/null
[ ! -e /usr/bin/quipt-shipstation ] || fail "/usr/bin/quipt-shipstation is still there after apt-get remove"
[ ! -e /usr/bin/quipt-shipstation-app ] || fail "/usr/bin/quipt-shipstation-app is still there after apt-get remove"
[ -s "$history_db" ] || fail "apt-get remove deleted the history database $history_db"
[ -s "$HOME/.config/quipt-shipstation/settings.toml" ] || fail "apt-get remove deleted the settings"
echo "kept: $history_db ($(stat -c %s "$history_db") bytes), ~/.config/quipt-shipstation/settings.toml"

echo "== package: reinstalled, the same history is there"
install_package
quipt-shipstation history --json >"$work/history-after.json"
cmp -s "$work/history-before.json" "$work/history-after.json" ||
  fail "the history after reinstalling differs from before removal"
echo "history after reinstall: $(jq length "$work/history-after.json") orders, identical"

echo "== package: ok (installed $package $version: --version, check, sync, start on login, remove keeps history)"
