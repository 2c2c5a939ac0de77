// Browser / worker entry with the ProxySolutionsClient and ProxySolutionsRules (one wasm, the provider's with its
// form checks): `import { init, ProxySolutionsClient, ProxySolutionsRules } from "proxykit/web/proxy-solutions/rules"`.
import load, * as wasm from "../proxykit_proxy_solutions_rules.js";
import { webEntry } from "../loader.js";

const entry = webEntry(load, wasm, "proxykit/web/proxy-solutions/rules");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxySolutionsClient = entry.client("ProxySolutionsClient");
export const ProxySolutionsRules = entry.statics("ProxySolutionsRules");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
export { isProxykitError } from "../loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
