#!/usr/bin/env bash
# JS tests of the built package: pack pkg/ with npm, install the tarball into tests/js
# (so tests import "proxykit" by name through its exports map), run node --test (ESM, CJS,
# proxykit/web in Node and in a Chromium page), then tsc --noEmit on TypeScript consumers.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
rm -f .cache/proxykit-*.tgz
(cd pkg && npm pack --pack-destination ../.cache --loglevel=error >/dev/null)
tarball=$(ls .cache/proxykit-*.tgz)
(cd tests/js && npm install --no-save --no-audit --no-fund --loglevel=error "../../$tarball")

cd tests/js
node --test --test-reporter=spec node.test.mjs cjs.test.cjs web-node.test.mjs proxy-solutions.test.mjs proxyshard.test.mjs hostile.test.mjs contract.test.mjs browser.test.mjs \
  2>&1 | tee ../../.cache/js-tests.log
echo "[test-js] tsc --noEmit (ESM and CJS consumers of the typings)"
./node_modules/.bin/tsc -p tsconfig.json
echo "[test-js] typings OK"
