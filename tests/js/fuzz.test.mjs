// Hostile-input fuzz (issue 6): every method of both clients, the Rules statics and the
// constructors, called with seeded random values — undefined, null, NaN, ±Infinity, -0,
// huge numbers, numeric strings, lone surrogates, objects where strings belong, functions,
// symbols, BigInts, throwing getters and proxies, 100k-item arrays, deeply nested objects —
// mixed with plausible values so that many calls pass validation and reach the (in-process)
// sandbox. Every call must settle within 5 s as a value or a typed ProxykitError (a
// synchronous throw only where the API documents one), and afterwards the same wasm instance
// must still answer a valid call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "./rng.mjs";
import {
  ProxyShardClient, ProxySolutionsClient, ProxyShardRules, ProxySolutionsRules, isProxykitError, wasmMemoryBytes,
} from "proxykit";
import { createSandbox } from "proxykit-sandbox";

const CALLS = Number(process.env.PROXYKIT_FUZZ_CALLS ?? 50_000);
const SEED = Number(process.env.PROXYKIT_FUZZ_SEED ?? 20261123);
const CODES = new Set(["invalid_input", "unauthorized", "forbidden", "not_found", "validation_failed", "rate_limited", "server_error", "api", "decode", "network", "timeout", "aborted"]);


const hugeArray = Array.from({ length: 100_000 }, (_, i) => i);
let deep = {};
for (let i = 0; i < 2_000; i++) deep = { a: deep };
const throwingGetter = Object.defineProperty({}, "id", { enumerable: true, get() { throw new Error("boom"); } });
const throwingProxy = new Proxy({}, { get() { throw new Error("proxy boom"); }, ownKeys() { throw new Error("keys boom"); } });

const WEIRD = [
  undefined, null, NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308,
  "", "1", "-1", "1e3", "0x10", "abc", "\uD800", "\uDFFF\uD800", "x".repeat(5_000), "null", "true",
  true, false, [], [1, 2], ["1.2.3.4"], [null], {}, { a: 1 }, () => 1, Symbol("s"), 10n, new Date(0), /re/,
  Object.create(null), throwingGetter, throwingProxy, deep, new Map(), new Uint8Array(4), Promise.resolve(1),
];
const RARE = [hugeArray, Array.from({ length: 100_001 }, () => "x")];
const PLAUSIBLE = [
  1, 2, 7, 24, 30, 1024, 10_000, "Datacenter Proxy", "ISP Proxy", "Premium Residential Proxy", "DE", "US", "monthly",
  "weekly", "premium", "standart", "all", "active", "USD", "EUR", "balance", "interkassa", "PSPromo", "SAVE10", "p0f_slots",
  "downgrade", "win10", "channels-reset", "de", "be", "berlin", "client-a", ["203.0.113.5"], [{ addon_key: "p0f_slots", qty: 1 }],
  [{ ip: "198.18.0.1", value: true }], [{ ip: "198.18.0.1", signature: "linux" }],
];
const KEYS = [
  "id", "order_id", "user_id", "proxy_type", "status", "offset", "limit", "product", "location", "cycle", "quantity",
  "promo_code", "auto_renewal", "addons", "tag", "items", "addon_key", "add_qty", "next_qty", "action", "amount", "name",
  "data", "country_code", "region_code", "city_code", "service_id", "location_id", "period", "multiport", "merchant",
  "currency", "promocode", "lang", "port", "login", "password", "gen_password", "ip_auth", "remove_proxies",
  "operation", "channels", "operator_id", "interval", "payer_amount", "zzz", "__proto__", "constructor",
];
const SYNC = new Set(["setServiceKind", "iterateOrders", "iterateSubUsers"]);
const OPTION_KEYS = ["timeout", "signal", "retries", "serviceKind", "packets", "allowMissingLocation", "order", "maxPages", "bogus"];

// Own, enumerable properties even for `__proto__` (a plain assignment would set the prototype).
const own = (o, k, v) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

test(`fuzz: ${CALLS} seeded calls with hostile values never trap, hang or throw untyped`, { timeout: 180_000 }, async () => {
  const rnd = mulberry32(SEED);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const value = (depth = 0) => {
    const r = rnd();
    if (r < 0.002) return pick(RARE);
    if (r < 0.45) return pick(WEIRD);
    if (r < 0.9 || depth > 2) return pick(PLAUSIBLE);
    return depth % 2 ? [value(depth + 1), value(depth + 1)] : own({}, pick(KEYS), value(depth + 1));
  };
  const params = () => {
    const r = rnd();
    if (r < 0.1) return value();
    const o = {};
    const n = Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) own(o, pick(KEYS), value());
    return o;
  };
  const callOptions = () => {
    const r = rnd();
    if (r < 0.6) return undefined;
    if (r < 0.7) return value();
    const o = {};
    for (let i = 0; i < 1 + Math.floor(rnd() * 2); i++) own(o, pick(OPTION_KEYS), value());
    return o;
  };

  const CLIENT_KEYS = ["apiKey", "baseUrl", "timeout", "retries", "retryDelay", "maxRetryDelay", "authHeader", "authPrefix", "allowInsecureHttp", "dangerouslyAllowBrowser", "fetch", "bogus"];
  const clientOptions = () => {
    const o = own({}, "apiKey", pick(["k", value()]));
    for (let i = 0; i < Math.floor(rnd() * 3); i++) own(o, pick(CLIENT_KEYS), value());
    return own(o, "fetch", rnd() < 0.9 ? sb.fetch : value());
  };
  const sb = createSandbox({ seed: SEED % 1000 });
  const shard = new ProxyShardClient({ apiKey: "sandbox-shard-key", fetch: sb.fetch, retries: 0, timeout: 2_000 });
  const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", fetch: sb.fetch, retries: 0, timeout: 2_000 });
  const methods = (o) => Object.getOwnPropertyNames(Object.getPrototypeOf(o)).filter((m) => m !== "constructor" && typeof o[m] === "function" && m !== "free" && !m.startsWith("__"));
  const statics = (C) => Object.getOwnPropertyNames(C).filter((m) => typeof C[m] === "function" && !["length", "name", "prototype", "__wrap"].includes(m));
  const targets = [
    // Synchronous by design (documented): setServiceKind, and the iterators, which check
    // their params when created.
    ...methods(shard).map((m) => ({ name: `ProxyShardClient.${m}`, call: (a, b) => shard[m](a, b), sync: SYNC.has(m) })),
    ...methods(ps).map((m) => ({ name: `ProxySolutionsClient.${m}`, call: (a, b) => ps[m](a, b), sync: SYNC.has(m) })),
    ...statics(ProxyShardRules).map((m) => ({ name: `ProxyShardRules.${m}`, call: (a, b) => ProxyShardRules[m](a, b), sync: true })),
    ...statics(ProxySolutionsRules).map((m) => ({ name: `ProxySolutionsRules.${m}`, call: (a, b) => ProxySolutionsRules[m](a, b), sync: true })),
    { name: "isProxykitError", call: (a) => assert.equal(typeof isProxykitError(a), "boolean"), sync: true },
    { name: "wasmMemoryBytes", call: (a) => assert.ok(wasmMemoryBytes(a) > 0), sync: true },
    { name: "new ProxyShardClient", call: (a) => new ProxyShardClient(a), sync: true, ctor: true },
    { name: "new ProxySolutionsClient", call: (a) => new ProxySolutionsClient(a), sync: true, ctor: true },
  ];
  assert.ok(targets.length > 50, `${targets.length} targets`);

  const outcomes = { resolved: 0, rejected: 0, thrown: 0 };
  const byCode = {};
  const untyped = [];
  const t0 = performance.now();
  const settle = (p) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error("HANG")), 5_000).unref())]);
  const typed = (e, where) => {
    if (isProxykitError(e) && CODES.has(e.code) && e instanceof Error) {
      byCode[e.code] = (byCode[e.code] ?? 0) + 1;
      return;
    }
    if (untyped.length < 5) untyped.push(`${where}: ${String(e?.message ?? e)}`);
  };
  for (let i = 0; i < CALLS; i++) {
    const t = pick(targets);
    const a = t.ctor ? (rnd() < 0.5 ? value() : clientOptions()) : params();
    let result;
    try {
      result = t.call(a, callOptions());
    } catch (e) {
      outcomes.thrown++;
      // Constructors and the pure Rules functions may throw synchronously (documented);
      // methods never do.
      if (!t.sync) untyped.push(`${t.name} threw synchronously: ${e?.message}`);
      typed(e, t.name);
      continue;
    }
    if (result && typeof result.next === "function" && !(result instanceof Promise)) result = result.next();
    if (result instanceof Promise) {
      try {
        await settle(result);
        outcomes.resolved++;
      } catch (e) {
        if (e?.message === "HANG") assert.fail(`${t.name} did not settle within 5 s (call ${i})`);
        outcomes.rejected++;
        typed(e, t.name);
      }
    } else {
      outcomes.resolved++;
      if (t.ctor) result.free?.();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  assert.deepEqual(untyped, [], "every failure is a typed ProxykitError");
  // The same instance still answers valid calls.
  assert.equal((await shard.getMe()).email, "reseller1@sandbox.invalid");
  assert.ok((await ps.listMerchants()).merchants.length > 0);
  const reached = Object.values(sb.log().counts).flatMap((o) => Object.values(o)).reduce((n, c) => n + c.received, 0);
  console.log(`fuzz: ${JSON.stringify({ calls: CALLS, seed: SEED, targets: targets.length, seconds: Number(seconds.toFixed(1)), ...outcomes, reachedSandbox: reached, byCode, wasmMemoryMB: Number((wasmMemoryBytes() / 2 ** 20).toFixed(1)) })}`);
});
