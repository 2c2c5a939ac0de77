export * from "./proxykit.js";

/** wasm-bindgen's raw export table, shadowed here: it is internal and typed with `any`. */
export type InitOutput = WebAssembly.Exports;

/** Anything `init` can load the wasm module from. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | Promise<Response>
  | BufferSource
  | WebAssembly.Module;

/**
 * Loads the wasm module (idempotent: later calls return the same promise). With no
 * argument it fetches `proxykit_bg.wasm` next to this module. Must finish before a client
 * is constructed; until then constructors throw an error with `code: "not_initialized"`.
 */
export function init(source?: WasmSource): Promise<void>;
export default init;

/** Loads the wasm module synchronously from a compiled module or its bytes (idempotent). */
export function initSync(module: WebAssembly.Module | BufferSource): void;
