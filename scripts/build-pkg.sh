#!/usr/bin/env bash
# Builds the npm package into pkg/ from the release wasm and pkg-template/, then prints
# the size report. One .wasm serves every target; wasm-bindgen runs once per target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh build

start=$(date +%s)
cargo build --release --target wasm32-unknown-unknown --lib --quiet
wasm=target/wasm32-unknown-unknown/release/proxykit.wasm

rm -rf pkg
mkdir -p pkg
for target in nodejs:node web:web bundler:bundler; do
  wasm-bindgen "$wasm" --target "${target%%:*}" --out-dir "pkg/${target##*:}" \
    --remove-name-section --remove-producers-section
done
# The nodejs target is CommonJS but wasm-bindgen copies JS snippets (src/transport/fetch.js)
# as ES modules and require()s them: that needs require(esm) (Node >= 20.19 / 22.12; Node 18
# and older 20s throw ERR_REQUIRE_ESM) and costs ~2 ms of ESM loader start-up. Rewrite the
# node copy as CommonJS; the snippet's only module syntax is `export function`.
commonjs_snippets() {
  local snippet names
  for snippet in $(find "$1" -name '*.js'); do
    if grep -Eq '^(import|export) ' "$snippet" && ! grep -Eq '^(import |export (const|let|class|default|\{))' "$snippet"; then
      names=$(sed -n 's/^export function \([A-Za-z0-9_]*\).*/\1/p' "$snippet" | paste -sd, -)
      sed -i 's/^export function /function /' "$snippet"
      printf '\nmodule.exports = { %s };\n' "$names" >>"$snippet"
    fi
    # Whatever the snippet held, no module syntax may be left, and it must load where Node
    # has no require(esm) (Node 18): a silent miss would only show on an old Node.
    if grep -Eq '^[[:space:]]*(import|export)\b' "$snippet"; then
      echo "build-pkg: $snippet keeps module syntax the CommonJS rewrite does not handle" >&2
      exit 1
    fi
    flag=$(node -e 'process.stdout.write(process.allowedNodeEnvironmentFlags.has("--no-experimental-require-module") ? "--no-experimental-require-module" : "")')
    # shellcheck disable=SC2086 # an optional flag
    node $flag -e "require(process.argv[1])" "$PWD/$snippet" || {
      echo "build-pkg: $snippet does not load as CommonJS" >&2
      exit 1
    }
  done
}
commonjs_snippets pkg/node/snippets
# Typed errors for calls on a freed client, in every target's glue (see the file).
for glue in pkg/node/proxykit.js pkg/web/proxykit.js pkg/bundler/proxykit_bg.js; do
  cat src/wasm/freed-guard.js >>"$glue"
done
cp -R pkg-template/. pkg/
cp README.md pkg/README.md
end=$(date +%s)

gz() { gzip -9 -c "$1" | wc -c; }
report() {
  printf '%-34s %9s %9s\n' "$1" "$(wc -c <"$2")" "$(gz "$2")"
}
{
  echo "proxykit package size (bytes; gzip -9), built in $((end - start)) s"
  printf '%-34s %9s %9s\n' "file" "raw" "gzip"
  report "wasm (all targets, identical)" pkg/web/proxykit_bg.wasm
  report "glue: node (CJS)" pkg/node/proxykit.js
  report "glue: web" pkg/web/proxykit.js
  report "glue: bundler" pkg/bundler/proxykit_bg.js
  report "loader: web/index.js" pkg/web/index.js
  total_raw=$(( $(wc -c <pkg/web/proxykit_bg.wasm) + $(wc -c <pkg/web/proxykit.js) + $(wc -c <pkg/web/index.js) ))
  total_gz=$(( $(gz pkg/web/proxykit_bg.wasm) + $(gz pkg/web/proxykit.js) + $(gz pkg/web/index.js) ))
  printf '%-34s %9s %9s\n' "browser total (wasm+web glue)" "$total_raw" "$total_gz"
} | tee pkg/SIZE.txt

# The experimental ProxyMarket (cargo feature "market") as a separate, unpublished package
# `proxykit-market` (Node CommonJS only), so the published `proxykit` does not carry its
# ~110 KB gzip. The JS tests install it by name (tests/js/market.test.mjs).
cargo build --release --target wasm32-unknown-unknown --lib --quiet --features market
rm -rf pkg-market
wasm-bindgen "$wasm" --target nodejs --out-dir pkg-market/node --remove-name-section --remove-producers-section
commonjs_snippets pkg-market/node/snippets
cat src/wasm/freed-guard.js >>pkg-market/node/proxykit.js
cat >pkg-market/package.json <<'JSON'
{
  "name": "proxykit-market",
  "version": "0.1.0",
  "private": true,
  "description": "Experimental: proxykit with ProxyMarket (one storefront over both sellers, purchases exactly once). Not published; see docs/market.md.",
  "license": "MIT OR Apache-2.0",
  "main": "./node/proxykit.js",
  "types": "./node/proxykit.d.ts",
  "files": ["node/"],
  "engines": { "node": ">=18" }
}
JSON
report "proxykit-market wasm (unpublished)" pkg-market/node/proxykit_bg.wasm | tee -a pkg/SIZE.txt
