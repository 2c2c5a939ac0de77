// Browser / worker entry: `import { init, ProxyShardClient } from "proxykit/web"`.
//
// The wasm module must be loaded before use: `await init()` fetches `proxykit_bg.wasm`
// next to this file; `init(source)` also takes a URL, a `Response`, bytes or a compiled
// `WebAssembly.Module` (for workers and edge runtimes), and `initSync(moduleOrBytes)` loads
// synchronously. Both are idempotent. Using a client before that throws an error that says so,
// instead of wasm-bindgen's "cannot read properties of undefined".
import load, * as wasm from "./proxykit.js";

let ready = null;
let loaded = false;

function notLoaded(what) {
  const e = new Error(
    `proxykit: ${what} was used before the WebAssembly module was loaded. ` +
      'Call `await init()` (from "proxykit/web") first.',
  );
  e.name = "ProxykitError";
  e.code = "not_initialized";
  return e;
}

/** Loads the wasm module once; later calls return the same promise. */
export function init(source) {
  if (loaded) return Promise.resolve();
  if (!ready) {
    const arg = source === undefined ? undefined : { module_or_path: source };
    ready = load(arg).then(
      () => {
        loaded = true;
      },
      (e) => {
        ready = null; // a failed load (e.g. offline) may be retried
        throw e;
      },
    );
  }
  return ready;
}
export default init;

/** Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes. */
export function initSync(module) {
  if (loaded) return;
  wasm.initSync({ module });
  loaded = true;
}

export class ProxySolutionsClient extends wasm.ProxySolutionsClient {
  constructor(options) {
    if (!loaded) throw notLoaded("ProxySolutionsClient");
    super(options);
  }
}

export class ProxyShardClient extends wasm.ProxyShardClient {
  constructor(options) {
    if (!loaded) throw notLoaded("ProxyShardClient");
    super(options);
  }
}

// Static helpers: calling one before init() gets the same explanatory error.
function guardStatics(cls, name) {
  return new Proxy(cls, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value === "function" && !loaded) {
        return () => {
          throw notLoaded(`${name}.${String(prop)}`);
        };
      }
      return value;
    },
  });
}

export const ProxySolutionsRules = guardStatics(wasm.ProxySolutionsRules, "ProxySolutionsRules");
export const ProxyShardRules = guardStatics(wasm.ProxyShardRules, "ProxyShardRules");
export function wasmMemoryBytes() {
  return loaded ? wasm.wasmMemoryBytes() : 0;
}

// Made by iterateOrders / iterateSubUsers only (no public constructor).
export const PageIterator = wasm.PageIterator;

// Pure JS so it works before init too; the same brand the wasm side sets.
export function isProxykitError(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    value[Symbol.for("proxykit.error")] === true
  );
}
