export * from "../proxykit_proxyshard_rules.js";
export type { InitOutput, WasmSource } from "../init.js";
export { init, initSync } from "../init.js";
export { default } from "../init.js";
