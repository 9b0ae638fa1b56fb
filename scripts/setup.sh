#!/usr/bin/env bash
# Shared set-up steps for scripts/test.sh and scripts/run.sh: installs the Debian packages and tools a
# fresh machine lacks. Sourced, not run.

# Installs the Debian packages given that are not installed yet (one apt-get update at most).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "== installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Cargo tools the tests need are installed inside the repo (target/tools), so a run leaves nothing
# cached outside it, always with `--locked` (the dependency versions the tool was released with).
# `cargo_tool NAME VERSION` pins it: any other version, on PATH or in target/tools, is replaced by
# that one in target/tools (first on PATH); `cargo_tool NAME` uses one already on PATH as it is.
export PATH="$(pwd)/target/tools/bin:$PATH"
cargo_tool() {
  local name="$1" version="${2:-}"
  if [ -z "$version" ]; then
    command -v "$name" >/dev/null || cargo install "$name" --locked --root target/tools
  elif [ "$("$name" --version 2>/dev/null)" != "$name $version" ]; then
    cargo install "$name" --version "=$version" --locked --root target/tools
  fi
}

# cargo-deny for the supply-chain check (scripts/deny.sh), pinned: a new release may add checks or
# change deny.toml's format, which is a change we make on purpose, not one CI makes for us.
setup_supply_chain_check() {
  cargo_tool cargo-deny 0.20.2
}

# The keyring (Secret Service over D-Bus), the C toolchain, Python for scripts/module-cycles.py, and
# cargo-deny (built from crates.io in ~2.5 min on a 2-core machine, once per checkout).
setup_test_machine() {
  apt_install build-essential pkg-config dbus gnome-keyring libsecret-tools python3
  command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
  setup_supply_chain_check
}

# The desktop app: Tauri's system libraries, Node for the UI, then the UI built into ui/dist (which
# `cargo build -p quipt-shipstation-app` embeds).
setup_app_machine() {
  apt_install build-essential pkg-config curl wget file libwebkit2gtk-4.1-dev libgtk-3-dev \
    libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  # Node: the machine's own when it has one (Debian's npm conflicts with NodeSource's nodejs).
  command -v npm >/dev/null || apt_install nodejs npm
  require_node 18
  build_ui
}

# Stops unless `node` on PATH is at least major version $1. The UI's lockfile needs Node 18 (Vite 6,
# Vitest 3, TypeScript 5): Debian 12 and Ubuntu 24.04 ship it as `nodejs`, Ubuntu 22.04 ships 12,
# and these machines reach no download site but the package registries, so Node cannot be fetched.
require_node() {
  local needed="$1" found major
  found="$(node --version 2>/dev/null)" || found=""
  major="${found#v}"
  major="${major%%.*}"
  if ! [[ "$major" =~ ^[0-9]+$ ]] || [ "$major" -lt "$needed" ]; then
    echo "The UI needs Node.js $needed or later; this machine has ${found:-no node on PATH}." >&2
    echo "Supported: Debian 12, Ubuntu 24.04 or later (their nodejs package is recent enough), or a" >&2
    echo "Node.js $needed or later already on PATH (on Ubuntu 22.04, whose nodejs is 12, install one first)." >&2
    exit 1
  fi
}

# `npm ci` in ui/, only when the lock changed: the UI's packages and the Tauri CLI pinned there
# (ui/node_modules/.bin/tauri, which scripts/package.sh and scripts/icons.sh run).
ui_packages() {
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    (cd ui && npm ci --no-audit --no-fund)
  fi
}

# `npm ci` (only when the lock changed) and `npm run build` in ui/.
build_ui() {
  ui_packages
  (cd ui && npm run build)
}

# End-to-end tests: Xvfb, WebKitWebDriver and tauri-driver.
setup_e2e_machine() {
  apt_install xvfb xauth x11-utils xdotool webkit2gtk-driver dbus gnome-keyring
  cargo_tool tauri-driver
}
