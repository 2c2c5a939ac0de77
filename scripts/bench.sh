#!/usr/bin/env bash
# make bench: builds the package, installs it (from its npm tarball) with the benchmark's
# dependencies into bench/, and runs bench/bench.mjs, which prints the table and writes
# BENCHMARKS.md. Pass --quick for a short run that does not write the file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh test
scripts/build-pkg.sh >/dev/null
mkdir -p .cache
rm -f .cache/proxykit-*.tgz
(cd pkg && npm pack --pack-destination ../.cache --loglevel=error >/dev/null)
if ! cmp -s bench/package-lock.json bench/node_modules/.proxykit-lock-stamp 2>/dev/null; then
  # Not `npm ci`: this lockfile leaves out Rollup's optional per-platform packages, which ci refuses.
  (cd bench && npm install --no-audit --no-fund --loglevel=error)
  cp bench/package-lock.json bench/node_modules/.proxykit-lock-stamp
fi
(cd bench && npm install --no-save --no-audit --no-fund --loglevel=error ../.cache/proxykit-*.tgz >/dev/null)
node --expose-gc bench/bench.mjs "$@"
