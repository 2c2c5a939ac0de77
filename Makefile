# proxykit: the two set-up commands are `make demo` (the main job) and `make test` (every
# test). Each installs what it needs, idempotently (scripts/ensure-tools.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: pkg test test-native test-wasm test-js test-pack lint demo bench clean

## Build the npm package into pkg/ and print the size report.
pkg:
	scripts/build-pkg.sh

## Every test: native, wasm (Node + Chromium), JS (ESM, CJS, web, browser page, tsc), packaging.
test:
	scripts/test-all.sh

test-native:
	cargo test

test-wasm:
	scripts/ensure-tools.sh test
	scripts/test-wasm.sh

test-js: pkg
	scripts/ensure-tools.sh test
	scripts/test-js.sh

test-pack: test-js
	scripts/test-pack.sh

## fmt and clippy on the native and wasm32 targets.
lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

## The main job: build the package and run the end-to-end demo against a local server.
demo: pkg
	cd examples-web && npm install --no-audit --no-fund --loglevel=error
	node examples-web/node/demo.mjs

## Size, start-up, per-call overhead vs plain fetch, memory; writes BENCHMARKS.md.
bench:
	scripts/bench.sh

clean:
	rm -rf pkg .cache target
