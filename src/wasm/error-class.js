
// ---- appended by scripts/build-pkg.sh (src/wasm/error-class.js) ----
// `ProxykitError` as a value, for `e instanceof ProxykitError`. proxykit's errors are plain
// `Error`s made inside the wasm module and branded with Symbol.for("proxykit.error"); the
// check reads that brand instead of the prototype chain, so it holds for errors from every
// entry point (each has its own wasm instance) and from the CJS and ESM builds alike.
class ProxykitError extends Error {
  constructor() {
    throw new TypeError("ProxykitError is made by proxykit only: test errors with `instanceof ProxykitError` or isProxykitError()");
  }
  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === "object" && value[Symbol.for("proxykit.error")] === true;
  }
}
