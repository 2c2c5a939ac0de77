
// ---- appended by scripts/build-pkg.sh (src/wasm/methods.js, written by `cargo xtask gen`; do not edit) ----
// Each operation's method, named by its operationId: it runs the call loop
// (src/wasm/call.js, appended before this) with the operation's number (the table in
// src/wasm/*/ops.rs). A module declares only its own classes; `typeof` on a name that
// is not declared is "undefined", not a ReferenceError; scripts/build-pkg.sh also
// drops the `// @only <feature>` blocks of the providers a module was built without.
(function addMethods(clients) {
  for (const [C, METHODS] of clients) {
    if (!C) continue;
    METHODS.forEach((name, op) => {
      // An object literal names the function (stack traces, the freed guard's messages);
      // defined like a class method: not enumerable.
      const value = { [name](params, options) { return pkCall(this, op, name, params, options); } }[name];
      Object.defineProperty(C.prototype, name, { value, writable: true, configurable: true });
    });
  }
})([
  // @only proxy-solutions
  [typeof ProxySolutionsClient === "undefined" ? null : ProxySolutionsClient, [
    "listOrders",
    "createOrder",
    "changeOrder",
    "chargeOrder",
    "performOrderOperation",
    "chargeUserBalance",
    "listMerchants",
    "calculatePrice",
    "listServices",
    "listServiceLocations",
  ]],
  // @end
  // @only proxyshard
  [typeof ProxyShardClient === "undefined" ? null : ProxyShardClient, [
    "listActiveProxies",
    "setPerIpDeletion",
    "setP0fSignatures",
    "quoteAddon",
    "purchaseAddon",
    "scheduleAddonDowngrade",
    "cancelAddonDowngrade",
    "purchaseOrder",
    "quoteOrder",
    "changeBillingCycle",
    "setAutoRenewal",
    "listProducts",
    "getAvailableCounts",
    "getMe",
    "listOrders",
    "getOrder",
    "renewOrder",
    "setOrderTag",
    "addBandwidth",
    "getResidentialProfile",
    "listSubUsers",
    "createSubUser",
    "getSubUser",
    "renameSubUser",
    "deleteSubUser",
    "addSubUserTraffic",
    "subtractSubUserTraffic",
    "regenerateSubUserPassword",
    "listCountries",
    "listRegions",
    "listCities",
    "listIsps",
    "health",
    "healthLive",
  ]],
  // @end
]);
