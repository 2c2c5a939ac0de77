#!/usr/bin/env bash
# wasm-bindgen tests, the same file in Node and in headless Chromium, against the sandbox's
# HTTP server (sandbox/pkg, built if missing): started here on a free port with the accounts
# of tests/wasm_fetch.sandbox.json, bounded in time and requests, reset between the two runs
# (so each starts from the same state), stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
[ -f sandbox/pkg/node.mjs ] || scripts/build-sandbox.sh
log=.cache/wasm-sandbox.log
node sandbox/pkg/bin/proxykit-sandbox.mjs --port 0 --config tests/wasm_fetch.sandbox.json \
  --max-requests 2000 --ttl-seconds 900 >"$log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q '^proxykit sandbox listening on ' "$log" && break
  sleep 0.1
done
PROXYKIT_TEST_SERVER=$(awk '/^proxykit sandbox listening on /{print $5}' "$log")
[ -n "$PROXYKIT_TEST_SERVER" ] || { echo "sandbox did not start"; cat "$log"; exit 1; }
export PROXYKIT_TEST_SERVER

reset_sandbox() {
  node -e 'fetch(process.argv[1] + "/__sandbox/reset", { method: "POST" }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$PROXYKIT_TEST_SERVER" || { echo "sandbox reset failed"; cat "$log"; exit 1; }
}

echo "[test-wasm] Node (sandbox at $PROXYKIT_TEST_SERVER)"
cargo test --target wasm32-unknown-unknown --tests 2>&1 | tee .cache/wasm-node.log
reset_sandbox
echo "[test-wasm] headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_fetch 2>&1 | tee .cache/wasm-chromium.log
