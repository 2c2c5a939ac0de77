export * from "./proxykit_market.js";
export type { InitOutput, WasmSource } from "./init.js";
export { init, initSync } from "./init.js";
export { default } from "./init.js";
