#!/usr/bin/env bash
# Packaging check: the npm tarball installed into throwaway consumers (Node CJS, Node ESM,
# a browser-style ESM import of proxykit/web), each run for real; and the tarball's file
# list checked for what the exports map points at.
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(ls "$PWD"/.cache/tarballs/proxykit-0*.tgz)

echo "[test-pack] tarball: $(basename "$tarball") ($(wc -c <"$tarball") bytes)"
listing=$(tar -tzf "$tarball")
# Each .wasm once: four modules (root, one per provider, market), no per-target copies.
wasm_count=$(grep -c '\.wasm$' <<<"$listing")
[ "$wasm_count" = 6 ] || { echo "[test-pack] expected 6 .wasm files in the tarball, found $wasm_count"; exit 1; }
for f in package.json node.mjs proxy-solutions.mjs proxyshard.mjs \
  node/proxykit.js node/proxykit.d.ts node/proxykit_proxy_solutions.js node/proxykit_proxyshard.js \
  web/index.js web/index.d.ts web/package.json web/proxykit.js web/loader.js \
  web/proxy-solutions.js web/proxy-solutions.d.ts web/proxyshard.js web/proxyshard.d.ts \
  bundler/proxykit.js bundler/proxykit_bg.js bundler/proxykit_bg.wasm bundler/package.json \
  bundler/proxykit_proxy_solutions_bg.wasm bundler/proxykit_proxyshard_bg.wasm \
  bundler/proxykit_market_bg.wasm market.mjs web/market.js web/market.d.ts README.md \
  LICENSE-MIT LICENSE-APACHE CHANGELOG.md node.d.mts proxyshard.d.mts proxy-solutions.d.mts market.d.mts \
  node/proxykit.bundled.mjs node/proxykit.bundled.cjs node/proxykit_bg.wasm.base64.cjs \
  node/proxykit_proxyshard.bundled.mjs workerd/proxykit.js workerd/proxykit_proxyshard.js \
  workerd/package.json proxyshard/package.json proxy-solutions/package.json market/package.json \
  browser/proxykit.js browser/proxykit_proxyshard.js browser/package.json edge/proxykit.js edge/package.json \
  server/index.js server/index.d.ts server/routes.js server/store.js server/redis.js server/package.json \
  proxy-solutions-rules.mjs proxy-solutions-rules.d.mts proxyshard-rules.mjs proxyshard-rules.d.mts \
  node/proxykit_proxy_solutions_rules.js node/proxykit_proxyshard_rules.js \
  bundler/proxykit_proxy_solutions_rules_bg.wasm bundler/proxykit_proxyshard_rules_bg.wasm \
  web/proxy-solutions/rules.js web/proxy-solutions/rules.d.ts web/proxyshard/rules.js web/proxyshard/rules.d.ts \
  proxy-solutions/rules/package.json proxyshard/rules/package.json; do
  grep -qx "package/$f" <<<"$listing" || { echo "[test-pack] missing from tarball: $f"; exit 1; }
done

# The package linters, on the tarballs as npm would publish them. publint: the exports map
# (each condition's file exists and has the module format the condition promises). attw:
# what TypeScript sees under node10, node16 (CJS and ESM) and bundler resolution, for every
# entry point. Two deliberate exclusions, both by design rather than by accident: the .wasm
# subpaths are assets for bundlers (there is no module to type), and the proxykit/web*
# entries are ES modules for browsers, so CommonJS reaches them by dynamic import only.
lint_bin=tests/js/node_modules/.bin
sandbox_tarball=$(ls "$PWD"/.cache/tarballs/proxykit-sandbox-0*.tgz)
for t in "$tarball" "$sandbox_tarball"; do
  "$lint_bin/publint" run "$t" --strict | sed 's/^/[test-pack] publint: /'
done
"$lint_bin/attw" "$tarball" --format table-flipped --no-color --no-emoji --ignore-rules cjs-resolves-to-esm \
  --exclude-entrypoints ./proxykit_bg.wasm ./proxykit_proxy_solutions_bg.wasm ./proxykit_proxyshard_bg.wasm \
  ./proxykit_proxy_solutions_rules_bg.wasm ./proxykit_proxyshard_rules_bg.wasm ./proxykit_market_bg.wasm |
  sed 's/^/[test-pack] attw: /'
"$lint_bin/attw" "$sandbox_tarball" --format table-flipped --no-color --no-emoji --ignore-rules cjs-resolves-to-esm \
  --exclude-entrypoints ./proxykit_sandbox_bg.wasm | sed 's/^/[test-pack] attw: /'

# What `npm publish` would do, without publishing: it must not warn (npm auto-correcting
# package.json, a bad `bin`, …). The one expected warning is that this machine is not logged
# in to the registry.
for dir in pkg sandbox/pkg; do
  out=$(cd "$dir" && npm publish --dry-run 2>&1)
  warnings=$(grep -E '^npm (warn|error|ERR)' <<<"$out" | grep -v 'requires you to be logged in' || true)
  [ -z "$warnings" ] || { echo "[test-pack] npm publish --dry-run in $dir:"; echo "$warnings"; exit 1; }
  echo "[test-pack] npm publish --dry-run in $dir: $(grep -E '^\+ ' <<<"$out"), $(grep -E 'total files' <<<"$out" | sed 's/npm notice //'), no warnings"
done

make_consumer() { # dir type
  rm -rf "$1" && mkdir -p "$1"
  printf '{ "name": "consumer", "private": true, "type": "%s" }\n' "$2" >"$1/package.json"
  (cd "$1" && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
}

make_consumer .cache/consumer-cjs commonjs
(cd .cache/consumer-cjs && node -e "
const { ProxyShardClient, ProxySolutionsClient, isProxykitError } = require('proxykit');
const c = new ProxyShardClient({ apiKey: 'k' });
let threw = false;
try { new ProxySolutionsClient({ baseUrl: 'nope' }); } catch (e) { threw = isProxykitError(e) && e.code === 'invalid_input'; }
if (!threw || typeof c.getMe !== 'function') process.exit(1);
console.log('[test-pack] CJS consumer: require(\"proxykit\") OK');
")

make_consumer .cache/consumer-esm module
(cd .cache/consumer-esm && node --input-type=module -e "
import { ProxySolutionsClient, ProxyShardClient } from 'proxykit';
import * as web from 'proxykit/web';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
new ProxySolutionsClient(); new ProxyShardClient();
await web.init(readFileSync(require.resolve('proxykit/proxykit_bg.wasm')));
new web.ProxySolutionsClient();
console.log('[test-pack] ESM consumer: import from \"proxykit\" and \"proxykit/web\" OK');
")
