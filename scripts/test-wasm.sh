#!/usr/bin/env bash
# wasm-bindgen tests, the same file in Node and in headless Chromium, against the local
# test server (started here on a free port, stopped on exit, bounded in time and requests).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
log=.cache/test-server.log
node tests/server/server.mjs --max-requests 2000 --ttl-seconds 900 >"$log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q '^listening ' "$log" && break
  sleep 0.1
done
PROXYKIT_TEST_SERVER=$(awk '/^listening /{print $2}' "$log")
[ -n "$PROXYKIT_TEST_SERVER" ] || { echo "test server did not start"; cat "$log"; exit 1; }
export PROXYKIT_TEST_SERVER

echo "[test-wasm] Node"
cargo test --target wasm32-unknown-unknown --tests 2>&1 | tee .cache/wasm-node.log
echo "[test-wasm] headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_fetch 2>&1 | tee .cache/wasm-chromium.log
