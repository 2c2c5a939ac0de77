// ESM entry for Node. It re-exports the CommonJS build (which loads the wasm synchronously)
// so `import` and `require` share one wasm instance in a process: no dual-package hazard,
// one set of classes for `instanceof`.
import cjs from "./node/proxykit.js";

// Keep in step with the CJS exports (tests/js/node.test.mjs compares the two namespaces).
export const {
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
