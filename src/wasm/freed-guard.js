
// ---- appended by scripts/build-pkg.sh (src/wasm/freed-guard.js) ----
// A method called on a freed client (after free() or `using` disposal) would reach
// wasm-bindgen's untyped "null pointer passed to rust". This wraps each method of the
// exported classes once, at load: a freed instance gets a ProxykitError with code
// "client_freed" instead (a rejected promise from async methods, a throw from the three
// synchronous ones; the error is src/wasm/call.js's `freedError`, which scripts/build-pkg.sh
// hands out as `pkFreedError`). A live instance pays one property read per call.
//
// The async wrappers also give a rejected call's error the caller's stack: the error is made
// inside the wasm in a later microtask, so its own stack shows wasm frames only. Awaiting the
// call inside an async wrapper and making a new Error in its catch lets the engine's async
// stack traces (V8: Node, Chromium, Deno, workerd) list the awaiting callers ("at async
// checkout (shop.js:12:5)"). Nothing is captured on success: measured ~0.06 µs per call.
(function guardFreed(classes) {
  const BRAND = Symbol.for("proxykit.error");
  const withCallerStack = (e) => {
    if (e !== null && typeof e === "object" && e[BRAND] === true) {
      try {
        const lines = String(new Error().stack).split("\n");
        // Line 0 is "Error", line 1 this wrapper; keep the wasm stack when no caller is known.
        if (lines.length > 2) e.stack = `${e.name}: ${e.message}\n${lines.slice(2).join("\n")}`;
      } catch {
        // A frozen or exotic error keeps its own stack.
      }
    }
    return e;
  };
  const SYNC = new Set(["iterateOrders", "iterateSubUsers", "setServiceKind", "orders"]);
  for (const C of classes) {
    const proto = C.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (name === "constructor" || name.startsWith("__") || typeof d.value !== "function") continue;
      const method = d.value;
      if (name === "free") {
        // Freeing twice is a no-op, not a trap.
        d.value = function free() {
          if (this.__wbg_ptr !== 0) method.call(this);
        };
        Object.defineProperty(proto, name, d);
        if (Symbol.dispose && proto[Symbol.dispose] === method) proto[Symbol.dispose] = d.value;
        continue;
      }
      d.value = SYNC.has(name)
        ? {
            [name](...args) {
              if (this.__wbg_ptr === 0) throw pkFreedError(C.name, name, false, 0);
              return method.apply(this, args);
            },
          }[name]
        : {
            async [name](...args) {
              if (this.__wbg_ptr === 0) throw pkFreedError(C.name, name, false, 0);
              try {
                return await method.apply(this, args);
              } catch (e) {
                throw withCallerStack(e);
              }
            },
          }[name];
      Object.defineProperty(proto, name, d);
    }
  }
})(
  // Each module declares only its own classes: the root both clients, a provider entry one,
  // the market module (proxykit/market) the ProxyMarket classes as well. `typeof` on a name
  // that is not declared is "undefined", not a ReferenceError.
  [
    // @only proxy-solutions
    typeof ProxySolutionsClient === "undefined" ? null : ProxySolutionsClient,
    // @end
    // @only proxyshard
    typeof ProxyShardClient === "undefined" ? null : ProxyShardClient,
    typeof PageIterator === "undefined" ? null : PageIterator,
    // @end
    // @only market
    typeof ProxyMarket === "undefined" ? null : ProxyMarket,
    typeof MarketOrderIterator === "undefined" ? null : MarketOrderIterator,
    // @end
  ].filter(Boolean),
);
