// Browser / worker entry with the ProxyShardClient and ProxyShardRules (one wasm, the provider's with its
// form checks): `import { init, ProxyShardClient, ProxyShardRules } from "proxykit/web/proxyshard/rules"`.
import load, * as wasm from "../proxykit_proxyshard_rules.js";
import { webEntry } from "../loader.js";

const entry = webEntry(load, wasm, "proxykit/web/proxyshard/rules");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxyShardClient = entry.client("ProxyShardClient");
export const ProxyShardRules = entry.statics("ProxyShardRules");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
// Made by iterateOrders / iterateSubUsers only (no public constructor).
export const PageIterator = wasm.PageIterator;
export { isProxykitError } from "../loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
