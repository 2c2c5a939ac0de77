#!/usr/bin/env bash
# Installs what the build and tests need, idempotently: each step is skipped when its tool
# is already present at the right version. Usage: scripts/ensure-tools.sh [build|test]
#   build: wasm target + wasm-bindgen CLI (matching Cargo.lock)
#   test:  the above + Chromium/ChromeDriver (Debian packages) + JS test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock (Cargo.toml pins it with =).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (found '${have:-none}'; takes ~3 min)"
  # Not --locked: one of the CLI's locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "$want" --quiet
fi

if [ "$what" = "test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium + chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # proxykit/server's Redis store is tested against a real redis-server that the test starts
  # on 127.0.0.1 (tests/js/server-redis.test.mjs); the package's service is not used.
  if ! command -v redis-server >/dev/null; then
    log "installing Debian redis-server"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  fi
  # Reinstall when the lockfile changed since the last install.
  if ! cmp -s tests/js/package-lock.json tests/js/node_modules/.proxykit-lock-stamp 2>/dev/null; then
    log "installing JS test dependencies"
    # Not `npm ci`: Vite 8 lists a Windows-only optional package that this registry does not
    # serve, so npm leaves it out of the lockfile and `npm ci` then refuses the lockfile as
    # out of sync. `npm install` installs the locked versions and skips the missing optional.
    (cd tests/js && npm install --no-audit --no-fund --loglevel=error)
    cp tests/js/package-lock.json tests/js/node_modules/.proxykit-lock-stamp
  fi
fi
