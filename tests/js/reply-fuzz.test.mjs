// Reply fuzz: what a server (or a proxy, or a broken CDN) sends back must never trap the wasm
// instance. Every method of both clients is called with valid params through a custom fetch
// that answers with seeded hostile replies: any status (0–599, 3xx included), garbage or
// missing headers (Location, Retry-After, Content-Length, Content-Encoding), bodies of random
// bytes, invalid UTF-8, truncated or mutated documented replies, JSON nested 100 000 deep,
// huge numbers, `__proto__` keys, empty bodies, streams that error half-way. Each call must
// settle as a value or a typed ProxykitError with a known code, and afterwards the same
// instance must still answer a valid call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "./rng.mjs";
import { ProxyShardClient, ProxySolutionsClient, isProxykitError, wasmMemoryBytes } from "proxykit";

const CALLS = Number(process.env.PROXYKIT_REPLY_FUZZ_CALLS ?? 20_000);
const SEED = Number(process.env.PROXYKIT_REPLY_FUZZ_SEED ?? 20261130);
const CODES = new Set([
  "unauthorized", "forbidden", "not_found", "validation_failed", "rate_limited", "server_error", "api", "decode", "network", "timeout",
  "redirect", "response_too_large",
]);

const rnd = mulberry32(SEED);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const int = (n) => Math.floor(rnd() * n);

// Valid params for one call of each kind (the replies are what is fuzzed here).
const SHARD_CALLS = [
  ["getMe", {}], ["listProducts", {}], ["getAvailableCounts", {}], ["listOrders", { status: "all", limit: 5 }],
  ["getOrder", { id: 7 }], ["purchaseOrder", { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 }],
  ["setOrderTag", { id: 7, tag: "x" }], ["listActiveProxies", { order_id: 7 }], ["health", {}], ["healthLive", {}],
  ["listSubUsers", { proxy_type: "premium" }], ["getSubUser", { user_id: "u1", proxy_type: "premium" }],
  ["listCountries", { proxy_type: "premium" }],
];
const PS_CALLS = [
  ["listMerchants", {}], ["listServices", {}], ["listServiceLocations", { service_id: 4 }],
  ["calculatePrice", { service_id: 4, quantity: 1 }], ["listOrders", {}],
];

const DOCUMENTED = [
  '{"email":"e@x","active_orders":1,"wallet_balance":5}',
  '{"success":true,"orders":[{"order_id":1,"product_id":1,"product_name":"Datacenter Proxy","cycle_id":1,"cycle_name":"monthly","expires_at":"2026-01-01T00:00:00Z","auto_renewal":false,"tag":null}],"count":1,"prev":null,"next":null}',
  '{"merchants":[{"code":"interkassa","name":"Interkassa","currencies":["USD"]}]}',
  '{"success":false,"message":"bad"}',
  '{"message":"The given data was invalid.","errors":{"period":["bad"],"__proto__":["x"]}}',
];

function body() {
  switch (int(12)) {
    case 0: return "";
    case 1: return new Uint8Array(Array.from({ length: int(300) }, () => int(256)));
    case 2: return new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe":1}
    case 3: { const d = pick(DOCUMENTED); return d.slice(0, int(d.length)); }
    case 4: { const d = pick(DOCUMENTED).split(""); for (let i = 0; i < 3; i++) d[int(d.length)] = pick(['"', "{", "]", ",", "9", "\\", "\u0000", "é"]); return d.join(""); }
    case 5: return "[".repeat(100_000) + "]".repeat(100_000);
    case 6: return '{"a":' .repeat(50_000) + "1" + "}".repeat(50_000);
    case 7: return `{"email":"e","active_orders":1e400,"wallet_balance":-99999999999999999999999,"x":${"9".repeat(2000)}}`;
    case 8: return '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"success":true}';
    case 9: return "<html><body>502 Bad Gateway " + "x".repeat(int(5000)) + "</body></html>";
    case 10: return '"\\ud800\\udfff\\u0000\\uffff"';
    default: return pick(DOCUMENTED);
  }
}

function headers() {
  const h = new Headers();
  if (rnd() < 0.3) h.set("content-type", pick(["application/json", "text/html", "application/json; charset=latin1", "x/y"]));
  if (rnd() < 0.2) h.set("location", pick(["", "/", "//evil.example/x", "https://evil.example:99999/", "javascript:alert(1)", "http://[::1", "\u00e9", "https://a@b@c/"]));
  if (rnd() < 0.2) h.set("retry-after", pick(["", "-1", "1e9", "NaN", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", "0"]));
  if (rnd() < 0.1) h.set("content-encoding", pick(["gzip", "br", "identity", "x"]));
  if (rnd() < 0.1) h.set("content-length", pick(["0", "-5", "999999999999", "abc", "12"]));
  return h;
}

function reply() {
  const kind = int(20);
  if (kind === 0) {
    // A stream that errors half-way.
    return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{"email":')); c.error(new Error("reset")); } }), { status: 200 });
  }
  if (kind === 1) return { status: 200, headers: headers(), text: async () => { throw pick([null, 42, new Error("x")]); } };
  if (kind === 2) return { status: 200, headers: headers(), body: { getReader: () => ({ read: async () => ({ done: false, value: "not bytes" }), cancel: async () => {} }) } };
  const status = pick([200, 200, 200, 201, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 422, 429, 500, 502, 503, 599, 100]);
  const b = body();
  try {
    return new Response(status === 204 || status < 200 ? null : b, { status, headers: headers() });
  } catch {
    return new Response(null, { status: 204 });
  }
}

test(`reply fuzz: ${CALLS} calls with seeded hostile replies never trap the instance (seed ${SEED})`, { timeout: 600_000 }, async () => {
  const fetch = async () => reply();
  const shard = new ProxyShardClient({ apiKey: "k", fetch, retries: 0, timeout: 5_000 });
  const ps = new ProxySolutionsClient({ apiKey: "k", fetch, retries: 0, timeout: 5_000 });
  const seen = {};
  const memBefore = wasmMemoryBytes();
  for (let i = 0; i < CALLS; i++) {
    const [client, [method, params]] = rnd() < 0.6 ? [shard, pick(SHARD_CALLS)] : [ps, pick(PS_CALLS)];
    let outcome;
    try {
      await client[method]({ ...params });
      outcome = "ok";
    } catch (e) {
      assert.ok(isProxykitError(e), `${method}: not a ProxykitError: ${e?.stack ?? e}`);
      assert.ok(CODES.has(e.code), `${method}: unexpected code ${e.code}: ${e.message}`);
      assert.equal(typeof e.mayHaveBeenApplied, "boolean");
      outcome = e.code;
    }
    seen[outcome] = (seen[outcome] ?? 0) + 1;
  }
  // The same instance still answers a valid call.
  const ok = new ProxyShardClient({
    apiKey: "k",
    fetch: async () => new Response('{"email":"e@x","active_orders":1,"wallet_balance":5}', { status: 200 }),
  });
  assert.equal((await ok.getMe()).wallet_balance, 5);
  assert.equal(({}).polluted, undefined, "no prototype pollution");
  console.log(`reply fuzz outcomes: ${JSON.stringify(seen)}; wasm memory ${memBefore} → ${wasmMemoryBytes()} bytes`);
  for (const code of ["ok", "decode", "redirect", "network", "api", "rate_limited", "server_error"]) assert.ok(seen[code] > 0, `no ${code} outcome: the fuzz is not reaching it`);
  assert.ok(wasmMemoryBytes() <= 64 * 1024 * 1024, "wasm memory stays bounded");
});
