// proxykit-sandbox for browsers, workers and bundlers: `await init()` once, then
// createSandbox() gives an in-process sandbox whose `fetch` a proxykit client can use, so
// a page works from a static file server with no backend.
import wasmInit, { SandboxCore } from "./web/proxykit_sandbox.js";
import { checkSandboxOptions, wrap } from "./core.mjs";

let ready = null;

export function init(input) {
  ready ??= wasmInit(input === undefined ? undefined : { module_or_path: input }).then(() => undefined);
  return ready;
}

export function createSandbox(options = {}) {
  if (ready === null) {
    throw new Error("proxykit-sandbox: call `await init()` before createSandbox()");
  }
  checkSandboxOptions(options);
  return wrap(new SandboxCore(JSON.stringify(options)));
}
