// Contract test: the installed package sends every documented example request to a Prism
// mock of the vendor's OpenAPI file started with --errors, which answers 4xx (422 for a
// bad request, 401 for missing auth) to any request that breaks the contract. A call that
// resolves therefore sent a valid request, and decoded Prism's reply, which Prism builds
// from the documented examples. A control request that breaks the contract must be refused,
// so the check is shown to be able to fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ProxySolutionsClient, ProxyShardClient } from "proxykit";
import { startPrism } from "./prism.mjs";
import { canonicalCalls } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SPEC = here("../../spec/proxy-solutions.openapi.yaml");
const SHARED = here("../../../shared/api/proxy-solutions.openapi.yaml");
const SHARD_SPEC = here("../../spec/proxyshard.openapi.yaml");
const SHARD_SHARED = here("../../../shared/api/proxyshard.openapi.yaml");

let prism;
let shardPrism;
before(async () => {
  for (const [shared, copy] of [[SHARED, SPEC], [SHARD_SHARED, SHARD_SPEC]]) {
    if (existsSync(shared) && readFileSync(shared, "utf8") !== readFileSync(copy, "utf8")) {
      console.warn(`note: ${copy} differs from shared/api; every difference must be a fix listed in spec/CHANGES.md`);
    }
  }
  [prism, shardPrism] = await Promise.all([startPrism(SPEC), startPrism(SHARD_SPEC)]);
});
after(() => {
  prism?.child.kill();
  shardPrism?.child.kill();
});

// Every operation's canonical call (spec/overlay.yaml `call`, via tests/fixtures/calls.json)
// runs first, so a new operation is covered without an edit here; the tables add the other
// documented examples.
const EXAMPLES = [
  ["listOrders", {}],
  ["listOrders", { lang: "EN", currency: "USD" }],
  ["createOrder", { service_id: 1, location_id: 1, quantity: 1, period: 30, multiport: true }],
  ["createOrder", { service_id: 4, location_id: 24, lang: "UA", currency: "UAH" }],
  ["changeOrder", { order_id: 10000, port: 8000, login: "ps10000", gen_password: true }],
  ["changeOrder", { order_id: 10000, remove_proxies: ["192.0.2.10", "192.0.2.11"], quantity: 6 }],
  ["changeOrder", { order_id: 10000, password: "bfQQKiIOM0jT2dOJvBQh", ip_auth: ["203.0.113.5"] }],
  ["changeOrder", { order_id: 10000, ip_auth: "clear" }],
  ["chargeOrder", { order_id: 10000, merchant: "freekassa", period: 60, currency: "RUB", promocode: "PSPromo" }],
  ["chargeOrder", { order_id: 10000, merchant: "balance", currency: "USD" }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-reset", channels: [1401, 1402] }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-set-autoreset", interval: 600 }],
  ["performOrderOperation", { order_id: 10000, operation: "channels-relocate", location_id: 8, operator_id: 8 }],
  ["chargeUserBalance", { merchant: "freekassa", currency: "RUB", amount: 100 }],
  ["listMerchants", {}],
  [
    "calculatePrice",
    { service_id: 4, location_id: 8, quantity: 1, period: 30, multiport: true, promocode: "vk-top10", merchant: "freekassa", currency: "RUB", lang: "EN" },
  ],
  ["calculatePrice", { service_id: 4 }],
  ["listServices", { lang: "RU", currency: "EUR" }],
  ["listServiceLocations", { service_id: 4, lang: "EN" }],
];

test("every documented Proxy-Solutions example validates against the contract and its reply decodes", async () => {
  const c = new ProxySolutionsClient({ apiKey: "contract-test-key", baseUrl: prism.url });
  const covered = new Set();
  for (const [method, params] of [...canonicalCalls("proxy-solutions"), ...EXAMPLES]) {
    try {
      await c[method](params);
    } catch (e) {
      assert.fail(`${method}(${JSON.stringify(params)}) → ${e.code} ${e.status ?? ""}: ${JSON.stringify(e.body ?? e.message)}`);
    }
    covered.add(method);
  }
  const ops = [...readFileSync(SPEC, "utf8").matchAll(/operationId: (\w+)/g)].map((m) => m[1]);
  assert.deepEqual([...covered].sort(), [...ops].sort(), "every operation of the contract is exercised");
});

test("the contract check can fail: Prism refuses requests that break it", async () => {
  const post = (path, body, headers = {}) =>
    fetch(prism.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k", ...headers },
      body: JSON.stringify(body),
    });
  assert.equal((await post("/user/orders", { service_id: "one", location_id: 1 })).status, 422);
  assert.equal((await post("/user/orders/10000", { surprise: true })).status, 422);
  assert.equal((await fetch(prism.url + "/user/orders")).status, 401, "missing key");
  // Without a key the SDK refuses before sending; with a wrong header name, Prism refuses.
  const wrongHeader = new ProxySolutionsClient({ apiKey: "k", baseUrl: prism.url, authHeader: "X-Other" });
  const e = await wrongHeader.listOrders().catch((x) => x);
  assert.equal(e.code, "unauthorized");
});

const SHARD_EXAMPLES = [
  ["listActiveProxies", { order_id: 123456 }],
  ["setPerIpDeletion", { order_id: 123456, items: [{ ip: "203.0.113.10", value: true }, { ip: "203.0.113.11", value: false }] }],
  ["setP0fSignatures", { order_id: 123456, items: [{ ip: "203.0.113.10", signature: "win11" }] }],
  ["quoteAddon", { order_id: 123456, addon_key: "p0f_slots", add_qty: 5 }],
  ["purchaseAddon", { order_id: 123456, addon_key: "p0f_slots", add_qty: 5 }],
  ["scheduleAddonDowngrade", { order_id: 123456, addon_key: "p0f_slots", action: "downgrade", next_qty: 2 }],
  ["cancelAddonDowngrade", { order_id: 123456, addon_key: "p0f_slots" }],
  ["purchaseOrder", { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 10, auto_renewal: true, addons: [{ addon_key: "p0f_slots", qty: 5 }] }],
  ["purchaseOrder", { product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 5 }],
  ["purchaseOrder", { product: "Standart Residential Proxy", quantity: 1 }],
  ["purchaseOrder", { product: "Premium Residential Proxy", quantity: 1, promo_code: "SAVE10" }],
  ["purchaseOrder", { product: "Unmetered Residential proxy", cycle: "monthly", auto_renewal: true }],
  ["purchaseOrder", { product: "Mobile Proxy Plan Name", cycle: "day", quantity: 1 }],
  ["quoteOrder", { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 10, promo_code: "SAVE10", addons: [{ addon_key: "p0f_slots", qty: 5 }] }],
  ["quoteOrder", { product: "Standart Residential Proxy" }],
  ["changeBillingCycle", { order_id: 123456, cycle: "monthly" }],
  ["setAutoRenewal", { order_id: 123456, auto_renewal: true }],
  ["listProducts", {}],
  ["getAvailableCounts", {}],
  ["getMe", {}],
  ["listOrders", { status: "active" }],
  ["listOrders", { status: "all", offset: 20, limit: 100 }],
  ["getOrder", { id: 123456 }],
  ["renewOrder", { id: 123456 }],
  ["setOrderTag", { id: 123456, tag: "none" }],
  ["addBandwidth", { id: 123456, amount: 10, promo_code: "SAVE10" }],
  ["getResidentialProfile", { proxy_type: "standart" }],
  ["listSubUsers", { proxy_type: "premium", offset: 0, limit: 50 }],
  ["createSubUser", { proxy_type: "standart", name: "team-a", data: 5 }],
  ["getSubUser", { user_id: "u_7f3a", proxy_type: "standart" }],
  ["renameSubUser", { user_id: "u_7f3a", proxy_type: "standart", name: "team-b" }],
  ["deleteSubUser", { user_id: "u_7f3a" }],
  ["addSubUserTraffic", { user_id: "u_7f3a", proxy_type: "standart", data: 2 }],
  ["subtractSubUserTraffic", { user_id: "u_7f3a", proxy_type: "standart", data: 1 }],
  ["regenerateSubUserPassword", { user_id: "u_7f3a", proxy_type: "standart" }],
  ["listCountries", { proxy_type: "standart" }],
  ["listRegions", { proxy_type: "standart", country_code: "us" }],
  ["listCities", { proxy_type: "standart", country_code: "us", region_code: "ca" }],
  ["listIsps", { proxy_type: "premium", country_code: "us", region_code: "ca", city_code: "los-angeles" }],
  ["health", {}],
  ["healthLive", {}],
];

test("every documented ProxyShard example validates against the contract and its reply decodes", async () => {
  const c = new ProxyShardClient({ apiKey: "contract-test-key", baseUrl: shardPrism.url });
  const covered = new Set();
  for (const [method, params] of [...canonicalCalls("proxyshard"), ...SHARD_EXAMPLES]) {
    try {
      await c[method](params);
    } catch (e) {
      assert.fail(`${method}(${JSON.stringify(params)}) → ${e.code} ${e.status ?? ""}: ${JSON.stringify(e.body ?? e.message)}`);
    }
    covered.add(method);
  }
  const ops = [...readFileSync(SHARD_SPEC, "utf8").matchAll(/operationId: (\w+)/g)].map((m) => m[1]);
  assert.ok(ops.length > 0, "operationIds read from the contract");
  assert.deepEqual([...covered].sort(), [...ops].sort(), "every operation of the contract is exercised");
  // The page iterator's requests validate too.
  let n = 0;
  for await (const o of c.iterateOrders({ status: "all", limit: 100 }, { maxPages: 3 })) n += o ? 1 : 0;
  assert.ok(n >= 1);
});

test("the ProxyShard contract check can fail too", async () => {
  const post = (path, body, auth = true) =>
    fetch(shardPrism.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: "Bearer k" } : {}) },
      body: JSON.stringify(body),
    });
  // Prism answers a violation with the operation's documented 4xx example and lists what
  // was wrong in the sl-violations header.
  const violations = async (res) => {
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    return res.headers.get("sl-violations") ?? "";
  };
  assert.match(await violations(await post("/user/api/orders/purchase", { product: "Datacenter Proxy", cycle: "monthly" })), /required property 'location'/);
  assert.match(await violations(await post("/user/api/orders/123/signature/set", { items: [{ ip: "1.2.3.4", signature: "winxp" }] })), /allowed values/);
  const valid = await post("/user/api/orders/purchase", { product: "Datacenter Proxy", location: "DE", cycle: "monthly" });
  assert.equal(valid.status, 200);
  assert.equal(valid.headers.get("sl-violations"), null);
  assert.equal((await post("/user/api/orders/123/tag", { tag: "x" }, false)).status, 401);
});
