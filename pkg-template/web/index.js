// Browser / worker entry with both clients: `import { init, ProxyShardClient } from "proxykit/web"`.
// A page that uses one provider loads less with "proxykit/web/proxy-solutions" or
// "proxykit/web/proxyshard". See loader.js for init / initSync.
import load, * as wasm from "./proxykit.js";
import { webEntry } from "./loader.js";

const entry = webEntry(load, wasm, "proxykit/web");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxySolutionsClient = entry.client("ProxySolutionsClient");
export const ProxyShardClient = entry.client("ProxyShardClient");
export const ProxySolutionsRules = entry.statics("ProxySolutionsRules");
export const ProxyShardRules = entry.statics("ProxyShardRules");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
// Made by iterateOrders / iterateSubUsers only (no public constructor).
export const PageIterator = wasm.PageIterator;
export { isProxykitError } from "./loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
