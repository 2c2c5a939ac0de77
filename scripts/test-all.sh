#!/usr/bin/env bash
# The whole test suite (what `make test` and .ci/run run). Installs what is missing, then:
# lint (fmt, clippy native + wasm32), native tests (SDK and sandbox), package build + size report, wasm tests
# in Node and Chromium, JS tests of the packed package (ESM, CJS, proxykit/web in Node and
# in a Chromium page, tsc), and the packaging check. Ends with the counts per suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
t0=$(date +%s)
stamp() { echo "$(( $(date +%s) - t0 )) s"; }

scripts/ensure-tools.sh test
echo "== tools ready ($(stamp))"

cargo fmt --check
# What spec/ derives (operation tables, TS unions, README tables) must be up to date.
cargo xtask gen --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings
# The experimental ProxyMarket binding is behind the "market" feature (proxykit/market).
cargo clippy --quiet -p proxykit --target wasm32-unknown-unknown --all-targets --features market -- -D warnings
# The one-provider builds behind proxykit/proxy-solutions and proxykit/proxyshard.
for provider in proxy-solutions proxyshard; do
  cargo clippy --quiet -p proxykit --target wasm32-unknown-unknown --all-targets --no-default-features --features "$provider" -- -D warnings
done
echo "== lint clean ($(stamp))"

cargo test --workspace 2>&1 | tee .cache/native.log
echo "== native tests done ($(stamp))"

scripts/build-pkg.sh
scripts/build-sandbox.sh
echo "== packages built: proxykit (root, per-provider and market modules), proxykit-sandbox ($(stamp))"

scripts/test-wasm.sh
echo "== wasm tests done ($(stamp))"

scripts/test-js.sh
scripts/test-pack.sh
echo "== JS tests and packaging check done ($(stamp))"

sum_cargo() { grep -Eo 'test result: ok\. [0-9]+ passed' "$1" | awk '{s+=$4} END{print s+0}'; }
js_pass=$(grep -Eo 'ℹ pass [0-9]+' .cache/js-tests.log | awk '{print $3}')
echo
echo "proxykit test summary (all green; $(stamp) in all)"
echo "  native cargo tests:        $(sum_cargo .cache/native.log) passed (SDK + sandbox)"
echo "  wasm tests in Node:        $(sum_cargo .cache/wasm-node.log) passed"
echo "  wasm tests in Chromium:    $(sum_cargo .cache/wasm-chromium.log) passed"
echo "  JS tests (node --test):    ${js_pass:-0} passed (ESM, CJS, proxykit/web, Chromium pages, sandbox + Prism faithfulness)"
echo "  TypeScript consumers:      tsc --noEmit OK"
echo "  packaging check:           npm pack, publint, attw, npm publish --dry-run, CJS/ESM consumers OK"
