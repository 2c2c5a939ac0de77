// Hostile JS values never trap the wasm instance: each is a typed invalid_input (or a
// normal call), and the same instance answers a valid call afterwards. (The seeded
// 50 000-call fuzz belongs to the reliability issue; this is the table of known traps.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ProxySolutionsClient, ProxyShardClient, isProxykitError } from "proxykit";
import { startTestSandbox, PS_KEY, SHARD_KEY } from "./sandbox-server.mjs";

let server;
before(async () => {
  server = await startTestSandbox({ maxRequests: 500 });
});
after(() => server.close());

let deep = {};
const root = deep;
for (let i = 0; i < 10_000; i++) deep = deep.x = {};
const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
const throwing = { get order_id() { throw new Error("boom"); } };
const proxy = new Proxy({}, { ownKeys() { throw new Error("no keys"); } });

const HOSTILE = [
  undefined, null, NaN, Infinity, -Infinity, -0, 2 ** 60, "3", "\ud800", 1n, Symbol("s"), () => 1,
  [], new Array(2 ** 32 - 1), root, wide, throwing, proxy, new Date(), new Map(), /re/, new Uint8Array(4),
  { order_id: new Array(2 ** 32 - 1) }, { items: new Array(200_000).fill({ ip: "1.2.3.4", value: true }) },
  { order_id: 1, items: [{ ip: "\udc00", signature: "ios" }] }, { status: "all", limit: 2 ** 53 },
];

const label = (v) => {
  try {
    return `${typeof v}:${v?.constructor?.name ?? ""}:${Array.isArray(v) ? v.length : ""}`;
  } catch {
    return typeof v;
  }
};

test("hostile params and options reject as invalid_input and the instance survives", async () => {
  const shard = new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url });
  const ps = new ProxySolutionsClient({ apiKey: PS_KEY, baseUrl: `${server.url}/api` });
  let calls = 0;
  for (const v of HOSTILE) {
    for (const [client, method] of [[shard, "setPerIpDeletion"], [shard, "setP0fSignatures"], [shard, "listOrders"], [ps, "changeOrder"], [ps, "createOrder"]]) {
      for (const args of [[v], [{}, v], [v, v]]) {
        calls++;
        let r;
        try {
          r = await client[method](...args);
        } catch (e) {
          assert.ok(isProxykitError(e), `${method}(${label(v)}): ${e}`);
          assert.ok(["invalid_input", "api", "server_error", "rate_limited", "not_found", "unauthorized", "validation_failed"].includes(e.code), `${method}: ${e.code} ${e.message}`);
          continue;
        }
        assert.ok(r !== undefined);
      }
    }
    for (const ctor of [ProxyShardClient, ProxySolutionsClient]) {
      calls++;
      try {
        new ctor(v);
      } catch (e) {
        assert.ok(isProxykitError(e) && e.code === "invalid_input", `${ctor.name}(${label(v)}): ${e}`);
      }
    }
  }
  assert.ok(calls > 300);
  // Still alive.
  assert.equal((await shard.getMe()).email, "reseller1@sandbox.invalid");
  assert.equal((await ps.listMerchants()).merchants.length, 4);
});
