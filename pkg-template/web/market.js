// Browser / worker entry of ProxyMarket (experimental) with both clients, in their own wasm
// module: `import { init, ProxyMarket, ProxyShardClient } from "proxykit/web/market"`.
import load, * as wasm from "./proxykit_market.js";
import { webEntry } from "./loader.js";

const entry = webEntry(load, wasm, "proxykit/web/market");

/** Loads the wasm module once; later calls return the same promise. */
export const init = entry.init;
export default init;
/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export const initSync = entry.initSync;
export const ProxyMarket = entry.client("ProxyMarket");
export const ProxySolutionsClient = entry.client("ProxySolutionsClient");
export const ProxyShardClient = entry.client("ProxyShardClient");
export const ProxySolutionsRules = entry.statics("ProxySolutionsRules");
export const ProxyShardRules = entry.statics("ProxyShardRules");
export const wasmMemoryBytes = entry.wasmMemoryBytes;
// Made by iterateOrders / iterateSubUsers / orders only (no public constructor).
export const PageIterator = wasm.PageIterator;
export const MarketOrderIterator = wasm.MarketOrderIterator;
export { isProxykitError } from "./loader.js";
// For `instanceof` (checks the same brand; works before init too).
export const ProxykitError = wasm.ProxykitError;
