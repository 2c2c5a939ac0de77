// Browser / worker entry with the ProxyShard client only (its own, smaller wasm;
// its Rules class is in proxykit/web/proxyshard/rules):
// `import { init, ProxyShardClient } from "proxykit/web/proxyshard"`.
import load, * as wasm from "./proxykit_proxyshard.js";
import { webEntry } from "./loader.js";

const entry = webEntry(load, wasm, "proxykit/web/proxyshard");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxyShardClient = entry.client("ProxyShardClient");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
// Made by iterateOrders / iterateSubUsers only (no public constructor).
export const PageIterator = wasm.PageIterator;
export { isProxykitError } from "./loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
