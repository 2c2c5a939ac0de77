// ESM entry for Node. It re-exports the CommonJS build (which loads the wasm synchronously)
// so `import` and `require` share one wasm instance in a process: no dual-package hazard,
// one set of classes for `instanceof`.
import cjs from "./node/proxykit.js";

export const { ProxySolutionsClient, ProxyShardClient, isProxykitError } = cjs;
export default cjs;
