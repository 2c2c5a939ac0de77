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
 * argument it fetches the entry's `.wasm` from the package (through `import.meta.url`).
 * Must finish before a client is constructed; until then constructors throw an error with
 * `code: "not_initialized"`.
 */
export function init(source?: WasmSource): Promise<void>;
export default init;

/** Loads the wasm module synchronously from a compiled module or its bytes (idempotent). */
export function initSync(module: WebAssembly.Module | BufferSource): void;
