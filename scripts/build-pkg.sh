#!/usr/bin/env bash
# Builds the npm package into pkg/ from the release wasm modules and pkg-template/, then
# prints the size report. Each .wasm ships once and serves every target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh build

start=$(date +%s)
# Six wasm modules, each shipped once: `proxykit` (both clients and Rules classes, the root
# entry), one per provider (`proxykit/proxy-solutions`, `proxykit/proxyshard`: cargo features,
# so a storefront that sells one provider loads only its code), each provider with its Rules
# class, and the market. wasm-bindgen runs once per module and target;
# the node and web glue then load the one copy under bundler/ (it must sit there, beside the
# bundler glue its imports name), instead of each target carrying its own.
release=target/wasm32-unknown-unknown/release
mkdir -p target/pkg-wasm
# Each module's cargo features, the one list of them: the appended JS below keeps the
# `// @only <feature>` blocks of the same features.
MODULES=()
declare -A FEATURES
build_module() { # name cargo-features (comma-separated)
  MODULES+=("$1")
  FEATURES[$1]=$2
  cargo build --release --target wasm32-unknown-unknown --lib --quiet --no-default-features --features "$2"
  cp "$release/proxykit.wasm" "target/pkg-wasm/$1.wasm"
}
build_module proxykit proxy-solutions,proxyshard,rules
build_module proxykit_proxy_solutions proxy-solutions
build_module proxykit_proxyshard proxyshard
# A provider's client with its Rules class (`proxykit/<provider>/rules`): the form checks cost
# ~11 KB gzip of wasm, so the plain provider entries (what a storefront loads) leave them out.
build_module proxykit_proxy_solutions_rules proxy-solutions,rules
build_module proxykit_proxyshard_rules proxyshard,rules
# ProxyMarket (experimental) with both clients: its own entry point, proxykit/market, so only
# the storefronts that use it download its ~110 KB gzip of extra code.
build_module proxykit_market proxy-solutions,proxyshard,rules,market
rm -rf pkg
mkdir -p pkg
for name in "${MODULES[@]}"; do
  for target in nodejs:node web:web bundler:bundler; do
    wasm-bindgen "target/pkg-wasm/$name.wasm" --target "${target%%:*}" --out-dir "pkg/${target##*:}" \
      --remove-name-section --remove-producers-section
  done
  rm "pkg/node/${name}_bg.wasm" "pkg/web/${name}_bg.wasm" "pkg/node/${name}_bg.wasm.d.ts" "pkg/web/${name}_bg.wasm.d.ts"
  # Point the node and web glue at bundler/<name>_bg.wasm; fail loudly if wasm-bindgen's
  # output changed shape and the line is not there.
  repoint() { # file from to
    grep -qF "$2" "$1" || { echo "build-pkg: '$2' not found in $1" >&2; exit 1; }
    sed -i "s|$2|$3|" "$1"
  }
  repoint "pkg/node/$name.js" "\${__dirname}/${name}_bg.wasm" "\${__dirname}/../bundler/${name}_bg.wasm"
  repoint "pkg/web/$name.js" "new URL('${name}_bg.wasm', import.meta.url)" "new URL('../bundler/${name}_bg.wasm', import.meta.url)"
  # Short import names (`__wbg_0`, …) instead of wasm-bindgen's hashed ones, in the .wasm and
  # the three glues alike: ~1 KB gzip of the .wasm and ~0.7 KB of each glue (see the script).
  node scripts/short-imports.mjs "pkg/bundler/${name}_bg.wasm" "pkg/node/$name.js" "pkg/web/$name.js" "pkg/bundler/${name}_bg.js"
  # Panic location paths blanked (never shown: panics abort; ~0.3 KB gzip, see the script).
  node scripts/blank-panic-paths.mjs "pkg/bundler/${name}_bg.wasm"
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
# The call loop (src/wasm/call.js, with the fetch.js it sends with, inside one function so
# nothing becomes a global or meets the names a glue imports) and `pkToJson`
# (src/wasm/to-json.js: params as JSON text, which the wasm imports by that name from the
# glue's scope); each operation's method
# (src/wasm/methods.js, generated: they run the loop); then typed errors for calls on a
# freed client, which wraps those methods too (see the file); and the ProxykitError class
# (src/wasm/error-class.js), exported the way each glue exports.
loop=target/pkg-wasm/call-loop.js
{
  echo
  echo "// ---- appended by scripts/build-pkg.sh (src/transport/fetch.js, then src/wasm/call.js) ----"
  echo "const { pkCall, pkFreedError, pkToJson } = (function callLoop() {"
  sed 's/^export function /function /' src/transport/fetch.js
  cat src/wasm/call.js src/wasm/to-json.js
  echo "return { pkCall, pkFreedError: freedError, pkToJson };"
  echo "})();"
} >"$loop"
if grep -Eq '^[[:space:]]*(import|export)\b' "$loop"; then
  echo "build-pkg: $loop keeps module syntax" >&2
  exit 1
fi
# The appended JS keeps only the blocks of the module's own cargo features (`// @only
# <feature>` … `// @end`: the other provider's method names, the page iterators in a
# Proxy-Solutions-only module, the market's classes), so a one-provider storefront does not
# download the other's JS.
only_blocks() { # features files... : the files, without the blocks of other features
  awk -v keep=" $1 " '
    function fail(why) { print "build-pkg: " why " in " FILENAME ":" FNR > "/dev/stderr"; failed = 1; exit 1 }
    FNR == 1 && open { fail("a // @only block left open before") }
    /^[[:space:]]*\/\/ @only / { if (open) fail("nested // @only"); open = 1; skip = index(keep, " " $3 " ") == 0; next }
    /^[[:space:]]*\/\/ @end$/ { if (!open) fail("// @end without // @only"); open = 0; skip = 0; next }
    !skip
    END { if (open && !failed) fail("an unclosed // @only") }' "${@:2}"
}
for name in "${MODULES[@]}"; do
  appended=target/pkg-wasm/appended-$name.js
  only_blocks "${FEATURES[$name]//,/ }" "$loop" src/wasm/methods.js src/wasm/freed-guard.js src/wasm/error-class.js >"$appended"
  for glue in "pkg/node/$name.js" "pkg/web/$name.js" "pkg/bundler/${name}_bg.js"; do
    cat "$appended" >>"$glue"
  done
  echo 'exports.ProxykitError = ProxykitError;' >>"pkg/node/$name.js"
  echo 'export { ProxykitError };' >>"pkg/web/$name.js"
  echo 'export { ProxykitError };' >>"pkg/bundler/${name}_bg.js"
  echo "export { ProxykitError } from \"./${name}_bg.js\";" >>"pkg/bundler/$name.js"
done
cp -R pkg-template/. pkg/
# The package README (pkg-template/README.md, copied above) is written for npm users; the
# repository README is for people working on proxykit.
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md pkg/
# The Node ESM entries (the CommonJS build re-exported), server bundles (the .wasm embedded),
# Workers, Edge and browser entries, and ES module types: see the script's head.
node scripts/pkg-variants.mjs node:proxykit proxy-solutions:proxykit_proxy_solutions \
  proxyshard:proxykit_proxyshard proxy-solutions-rules:proxykit_proxy_solutions_rules \
  proxyshard-rules:proxykit_proxyshard_rules market:proxykit_market
end=$(date +%s)

gz() { gzip -9 -c "$1" | wc -c; }
report() {
  printf '%-44s %9s %9s\n' "$1" "$(wc -c <"$2")" "$(gz "$2")"
}
# What a plain browser page loads per entry: the wasm, wasm-bindgen's web glue, our loader.
web_total() { # label name loader
  local files=("pkg/bundler/$2_bg.wasm" "pkg/web/$2.js" "pkg/web/$3")
  local raw=0 zipped=0 f
  for f in "${files[@]}"; do
    raw=$((raw + $(wc -c <"$f")))
    zipped=$((zipped + $(gz "$f")))
  done
  printf '%-44s %9s %9s\n' "$1" "$raw" "$zipped"
}
{
  echo "proxykit package size (bytes; gzip -9), built in $((end - start)) s"
  printf '%-44s %9s %9s\n' "file" "raw" "gzip"
  report "wasm, root (both providers)" pkg/bundler/proxykit_bg.wasm
  report "wasm, proxykit/proxy-solutions" pkg/bundler/proxykit_proxy_solutions_bg.wasm
  report "wasm, proxykit/proxyshard" pkg/bundler/proxykit_proxyshard_bg.wasm
  report "wasm, proxykit/proxy-solutions/rules" pkg/bundler/proxykit_proxy_solutions_rules_bg.wasm
  report "wasm, proxykit/proxyshard/rules" pkg/bundler/proxykit_proxyshard_rules_bg.wasm
  report "wasm, proxykit/market (experimental)" pkg/bundler/proxykit_market_bg.wasm
  report "glue: node (CJS), root" pkg/node/proxykit.js
  report "glue: web, root" pkg/web/proxykit.js
  report "glue: bundler, root" pkg/bundler/proxykit_bg.js
  web_total "browser total, proxykit/web" proxykit index.js
  web_total "browser total, proxykit/web/proxy-solutions" proxykit_proxy_solutions proxy-solutions.js
  web_total "browser total, proxykit/web/proxyshard" proxykit_proxyshard proxyshard.js
  web_total "browser total, proxykit/web/proxy-solutions/rules" proxykit_proxy_solutions_rules proxy-solutions/rules.js
  web_total "browser total, proxykit/web/proxyshard/rules" proxykit_proxyshard_rules proxyshard/rules.js
  web_total "browser total, proxykit/web/market" proxykit_market market.js
} | tee pkg/SIZE.txt
