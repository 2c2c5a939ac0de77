#!/usr/bin/env bash
# make bench: builds the package, installs it (from its npm tarball) with the benchmark's
# dependencies into bench/, and runs bench/bench.mjs, which measures proxykit against its
# budgets (size, Node cold start and its breakdown, first call, per-call against raw fetch
# and a hand-written fetch wrapper, memory), prints one table with PASS/FAIL and writes
# BENCHMARKS.md. The timed parts run in fresh Node processes and the HTTP server in its
# own; bench.mjs kills them all when it ends.
#
#   scripts/bench.sh            full run (~5 min on 2 cores), writes BENCHMARKS.md
#   scripts/bench.sh --quick    the same method with small counts (~1 min), writes nothing
#
# Timings are only worth keeping on an otherwise idle machine: the header of the table
# says the load average and whether cargo/rustc/test runners were running.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh test
scripts/build-pkg.sh >/dev/null
mkdir -p .cache
rm -f .cache/proxykit-*.tgz
(cd pkg && npm pack --pack-destination ../.cache --loglevel=error >/dev/null)
if ! cmp -s bench/package-lock.json bench/node_modules/.proxykit-lock-stamp 2>/dev/null; then
  # Not `npm ci`: older lockfiles left out Rollup's optional per-platform packages, which ci
  # refuses; `npm install` completes them in the lockfile.
  (cd bench && npm install --no-audit --no-fund --loglevel=error)
  cp bench/package-lock.json bench/node_modules/.proxykit-lock-stamp
fi
(cd bench && npm install --no-save --no-audit --no-fund --loglevel=error ../.cache/proxykit-*.tgz >/dev/null)
# The size floor of wasm-bindgen + serde_json + an async export, for the reference rows.
bench/floor.sh >.cache/size-floor.jsonl
exec node bench/bench.mjs "$@"
