export * from "../proxykit_proxy_solutions_rules.js";
export type { InitOutput, WasmSource } from "../init.js";
export { init, initSync } from "../init.js";
export { default } from "../init.js";
