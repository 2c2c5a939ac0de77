// ESM entry for Node of `proxykit/proxy-solutions` (the Proxy-Solutions client alone, with its
// own smaller wasm). It re-exports the CommonJS build so `import` and `require` share one
// wasm instance in a process.
import cjs from "./node/proxykit_proxy_solutions.js";

// Keep in step with the CJS exports (tests/js/entries.test.mjs compares the two namespaces).
export const { ProxySolutionsClient, ProxySolutionsRules, isProxykitError, ProxykitError, wasmMemoryBytes } = cjs;
export default cjs;
