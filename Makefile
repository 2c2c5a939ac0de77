# proxykit: the two set-up commands are `make demo` (the main job) and `make test` (every
# test). Each installs what it needs, idempotently (scripts/ensure-tools.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: gen pkg sandbox-pkg sandbox examples test test-native test-wasm test-js test-pack lint demo bench clean

## Regenerate what spec/ derives (operation tables, TS unions, README tables).
gen:
	cargo xtask gen

## Build the npm package into pkg/ and print the size report.
pkg:
	scripts/build-pkg.sh

## Every test: native, wasm (Node + Chromium), JS (ESM, CJS, web, browser page, tsc), packaging.
test:
	scripts/test-all.sh

test-native:
	cargo test --workspace

test-wasm: sandbox-pkg
	scripts/ensure-tools.sh test
	scripts/test-wasm.sh

test-js: pkg sandbox-pkg
	scripts/ensure-tools.sh test
	scripts/test-js.sh

test-pack: test-js
	scripts/test-pack.sh

## fmt and clippy on the native and wasm32 targets.
lint:
	cargo fmt --check
	cargo xtask gen --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p proxykit --target wasm32-unknown-unknown --all-targets --features market -- -D warnings
	cargo clippy -p proxykit --target wasm32-unknown-unknown --all-targets --no-default-features --features proxy-solutions -- -D warnings
	cargo clippy -p proxykit --target wasm32-unknown-unknown --all-targets --no-default-features --features proxyshard -- -D warnings

## The main job: build both packages, start the sandbox and walk a reseller flow through it.
demo: pkg sandbox-pkg
	cd examples-web && npm install --no-audit --no-fund --loglevel=error
	node examples-web/node/demo.mjs
	@echo; echo "== examples-web/node/market-demo.mjs (ProxyMarket, in-process sandbox)"; node examples-web/node/market-demo.mjs
	@echo; echo "== examples-web/node/buy.mjs (in-process sandbox)"; node examples-web/node/buy.mjs
	@echo; echo "== examples-web/node/export-proxies.mjs (first lines of .cache/proxies.csv)"
	@mkdir -p .cache && node examples-web/node/export-proxies.mjs .cache/proxies.csv && head -4 .cache/proxies.csv

## The example pages (storefront, reseller panel) on http://127.0.0.1:8080/.
examples: pkg sandbox-pkg
	cd examples-web && npm install --no-audit --no-fund --loglevel=error
	node examples-web/serve.mjs --port 8080

## Build the proxykit-sandbox npm package into sandbox/pkg/.
sandbox-pkg:
	scripts/build-sandbox.sh

## Start the sandbox HTTP server on 127.0.0.1:$(PORT) (Ctrl-C stops it).
PORT ?= 8787
sandbox: sandbox-pkg
	node sandbox/pkg/bin/proxykit-sandbox.mjs --port $(PORT)

## Size, start-up, per-call overhead vs plain fetch, memory; writes BENCHMARKS.md.
bench:
	scripts/bench.sh

clean:
	rm -rf pkg pkg-market sandbox/pkg .cache target
