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

# The keyring (Secret Service over D-Bus) and the C toolchain.
setup_test_machine() {
  apt_install build-essential pkg-config dbus gnome-keyring libsecret-tools
  command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
}
