// Browser / worker entry with the Proxy-Solutions client only (its own, smaller wasm;
// its Rules class is in proxykit/web/proxy-solutions/rules):
// `import { init, ProxySolutionsClient } from "proxykit/web/proxy-solutions"`.
import load, * as wasm from "./proxykit_proxy_solutions.js";
import { webEntry } from "./loader.js";

const entry = webEntry(load, wasm, "proxykit/web/proxy-solutions");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxySolutionsClient = entry.client("ProxySolutionsClient");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
export { isProxykitError } from "./loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
