#!/usr/bin/env bash
# JS tests of the built package: pack pkg/ with npm, install the tarball into tests/js
# and proxykit-sandbox (so tests import both by name through its exports map), run node --test (ESM, CJS,
# proxykit/web in Node and in a Chromium page), then tsc --noEmit on TypeScript consumers.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
rm -rf .cache/tarballs
mkdir -p .cache/tarballs
(cd pkg && npm pack --pack-destination ../.cache/tarballs --loglevel=error >/dev/null)
(cd sandbox/pkg && npm pack --pack-destination ../../.cache/tarballs --loglevel=error >/dev/null)
tarballs=$(ls .cache/tarballs/*.tgz | sed 's|^|../../|')
# shellcheck disable=SC2086 # two tarballs, one per word
(cd tests/js && npm install --no-save --no-audit --no-fund --loglevel=error $tarballs)

cd tests/js
node --test --test-reporter=spec node.test.mjs entries.test.mjs bundlers.test.mjs runtimes.test.mjs cjs.test.cjs web-node.test.mjs proxy-solutions.test.mjs proxyshard.test.mjs hostile.test.mjs contract.test.mjs browser.test.mjs sandbox.test.mjs sandbox-faithful.test.mjs reliability.test.mjs market.test.mjs secrets.test.mjs callpath.test.mjs callpath-browser.test.mjs callpath-review.test.mjs fuzz.test.mjs reply-fuzz.test.mjs examples.test.mjs readme.test.mjs server.test.mjs server-redis.test.mjs server-runtimes.test.mjs \
  2>&1 | tee ../../.cache/js-tests.log
echo "[test-js] tsc --noEmit (ESM and CJS consumers of the typings)"
./node_modules/.bin/tsc -p tsconfig.json
echo "[test-js] typings OK"
