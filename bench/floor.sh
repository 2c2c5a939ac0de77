#!/usr/bin/env bash
# Prints, one JSON object per line, the size of bench/floor built four ways (nothing, serde_json,
# async, both): the fixed cost of wasm-bindgen, the allocator and `format!`, of serde_json's
# Value, and of an async export, before any SDK logic. `make bench` shows them next to the
# size budgets. Uses proxykit's wasm-bindgen CLI and target dir.
set -euo pipefail
cd "$(dirname "$0")/floor"
target="$PWD/../../target/size-floor"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for features in "" json futures json,futures; do
  CARGO_TARGET_DIR="$target" cargo build --quiet --release --target wasm32-unknown-unknown ${features:+--features "$features"}
  rm -rf "$out/pkg"
  wasm-bindgen "$target/wasm32-unknown-unknown/release/proxykit_size_floor.wasm" --target bundler \
    --out-dir "$out/pkg" --remove-name-section --remove-producers-section
  raw=$(wc -c <"$out/pkg/proxykit_size_floor_bg.wasm")
  gz=$(gzip -9c "$out/pkg/proxykit_size_floor_bg.wasm" | wc -c)
  js=$(gzip -9c "$out/pkg/proxykit_size_floor_bg.js" | wc -c)
  printf '{"features":"%s","raw":%d,"gzip":%d,"jsGzip":%d}\n' "${features:-none}" "$raw" "$gz" "$js"
done
