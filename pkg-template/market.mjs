// ESM entry for Node of `proxykit/market` (experimental): ProxyMarket with both clients, in
// their own wasm module. It re-exports the CommonJS build so `import` and `require` share one
// wasm instance in a process. Build the market from clients imported from here: clients of
// another entry point live in another wasm instance.
import cjs from "./node/proxykit_market.js";

// Keep in step with the CJS exports (tests/js/entries.test.mjs compares the two namespaces).
export const {
  ProxyMarket,
  MarketOrderIterator,
  ProxySolutionsClient,
  ProxySolutionsRules,
  ProxyShardClient,
  ProxyShardRules,
  PageIterator,
  isProxykitError,
  ProxykitError,
  wasmMemoryBytes,
} = cjs;
export default cjs;
