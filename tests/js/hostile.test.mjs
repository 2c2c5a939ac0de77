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

// The params walk (src/wasm/to-json.js, `pkToJson`): each rule names the field it refuses,
// in the words the Rust walk it replaced used, and what it lets through reaches the core's
// readers as the same JSON. No request is sent for any of these (a fetch that fails the test).
test("the params walk refuses each kind of value by name, as before, and passes the rest", async () => {
  const shard = new ProxyShardClient({
    apiKey: SHARD_KEY,
    fetch: () => assert.fail("nothing may be sent"),
  });
  const refused = async (call, field, rule) => {
    await assert.rejects(call, (e) => {
      assert.equal(e.code, "invalid_input", e.message);
      assert.equal(e.field, field, e.message);
      if (rule !== undefined) assert.equal(e.rule, rule, e.message);
      return true;
    });
  };
  const notJson = "must be a JSON value (string, number, boolean, null, array or plain object)";
  await refused(shard.getOrder({ id: NaN }), "id", "must be a finite number");
  await refused(shard.getOrder({ id: -Infinity }), "id", "must be a finite number");
  await refused(shard.getOrder({ id: 1n }), "id", notJson);
  await refused(shard.getOrder({ id: Symbol("s") }), "id", notJson);
  await refused(shard.getOrder({ id: () => 1 }), "id", notJson);
  await refused(shard.getOrder({ get id() { throw new Error("boom"); } }), "id", "could not be read (a getter or Proxy threw)");
  await refused(shard.getOrder(new Proxy({}, { ownKeys() { throw new Error("no keys"); } })), "params", "could not be read (a getter or Proxy threw)");
  await refused(shard.getOrder([1]), "params", "must be an object");
  await refused(shard.setP0fSignatures({ order_id: 1, items: new Array(100_001) }), "items", "has more than 100000 items");
  // Nesting: params is level 0, `items` 1, `items[0]` 2; the value at level 33 is refused.
  let deep = {};
  const top = deep;
  for (let i = 0; i < 40; i++) deep = deep.x = {};
  await refused(shard.setP0fSignatures({ order_id: 1, items: [top] }), `items[0]${".x".repeat(31)}`, "is nested deeper than 32 levels");
  // 1,000,000 values at most, counted in walk order: params, order_id, items, then 11 per item.
  const wide = Array.from({ length: 95_000 }, () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await refused(shard.setP0fSignatures({ order_id: 1, items: wide }), "items[90908][8]", "holds more than 1000000 values");
  // Call options with JSON values are walked from `callOptions.<key>`.
  await refused(
    shard.scheduleAddonDowngrade({ order_id: 1, addon_key: "p0f_slots", next_qty: 1 }, { order: { x: NaN } }),
    "callOptions.order.x",
    "must be a finite number",
  );
  // What passes: a lone surrogate becomes U+FFFD (then the IP rule refuses it); a property
  // that is undefined is left out; 2^53 is a number beyond the safe integers, not 2^53 - 1
  // or a string; a Date is an object without own keys.
  await refused(shard.setP0fSignatures({ order_id: 1, items: [{ ip: "\udc00", signature: "ios" }] }), "items[0].ip", "must be an IP address");
  await refused(shard.getOrder({ id: 2 ** 53, bogus: undefined }), "id");
  await refused(shard.getOrder({ id: new Date(0) }), "id");
  const text = (v) => {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  };
  for (const [value, rule] of [[2 ** 53, /2\^53/], [-5, /positive|negative|whole/], [0.5, /whole|fraction/]]) {
    await assert.rejects(shard.getOrder({ id: value }), (e) => e.field === "id" && rule.test(e.rule), text(value));
  }
});
