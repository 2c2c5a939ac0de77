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
# npm shows the README without the repository around it: relative links become absolute
# (the repository URL is the base of package.json's `bugs`; tests/js/readme.test.mjs checks).
node -e '
  const fs = require("fs");
  const repo = JSON.parse(fs.readFileSync("sandbox/pkg-template/package.json", "utf8")).bugs.url.replace(/\/issues$/, "");
  const text = fs.readFileSync("sandbox/README.md", "utf8").replace(/\]\((?!https?:|#|mailto:)([^)]+)\)/g, (_, rel) =>
    `](${new URL(rel, `${repo}/blob/main/sandbox/`).href.replace("/blob/main/README.md", "#readme")})`);
  fs.writeFileSync("sandbox/pkg/README.md", text);
'
cp LICENSE-MIT LICENSE-APACHE sandbox/pkg/
echo "proxykit-sandbox built: sandbox/pkg ($(wc -c <sandbox/pkg/web/proxykit_sandbox_bg.wasm) bytes of wasm)"
