#!/usr/bin/env bash
# Builds the proxykit-sandbox npm package into sandbox/pkg/ (Node CJS glue for the server and
# createSandbox, web glue for browsers), from one release wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh build

cargo build --release --target wasm32-unknown-unknown -p proxykit-sandbox --lib --quiet
wasm=target/wasm32-unknown-unknown/release/proxykit_sandbox.wasm
rm -rf sandbox/pkg
mkdir -p sandbox/pkg
for target in nodejs:node web:web; do
  wasm-bindgen "$wasm" --target "${target%%:*}" --out-dir "sandbox/pkg/${target##*:}" \
    --remove-name-section --remove-producers-section
done
cp -R sandbox/pkg-template/. sandbox/pkg/
cp sandbox/README.md sandbox/pkg/README.md
cp LICENSE-MIT LICENSE-APACHE sandbox/pkg/
echo "proxykit-sandbox built: sandbox/pkg ($(wc -c <sandbox/pkg/web/proxykit_sandbox_bg.wasm) bytes of wasm)"
