// Faithfulness of the sandbox: proxykit talks to the sandbox *through* Prism validating
// proxies (`prism proxy <vendor OpenAPI> <sandbox> --errors`), which answer 422 to a request
// that breaks the contract and 500 (with `sl-violations`) to a reply that does. Every one of
// the documented operations is exercised (its canonical call, on a sandbox seeded with the
// objects those calls name, and in the hand-written flows), and the vendors' documented
// error statuses (PS 401/404/422, ProxyShard 400/401/403) come back as themselves, also
// validated.
// A control run against a deliberately wrong upstream shows the check can fail.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ProxySolutionsClient, ProxyShardClient } from "proxykit";
import { startSandboxServer } from "proxykit-sandbox";
import { startPrism } from "./prism.mjs";
import { canonicalCalls } from "./harness.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const PS_SPEC = here("../../spec/proxy-solutions.openapi.yaml");
const SHARD_SPEC = here("../../spec/proxyshard.openapi.yaml");
const opsOf = (spec) => [...readFileSync(spec, "utf8").matchAll(/operationId:\s*(\w+)/g)].map((m) => m[1]).sort();

let sandbox;
let psProxy;
let shardProxy;
before(async () => {
  // `examples`: also the objects the canonical calls name (the last test runs them).
  sandbox = await startSandboxServer({ port: 0, maxRequests: 2_000, ttlSeconds: 240, examples: true });
  [psProxy, shardProxy] = await Promise.all([
    startPrism(PS_SPEC, `${sandbox.url}/api`),
    startPrism(SHARD_SPEC, sandbox.url),
  ]);
});
after(async () => {
  psProxy?.child.kill();
  shardProxy?.child.kill();
  await sandbox?.close();
});

/** Runs a call; a Prism violation (500 + validation list) fails with the violations. */
async function valid(label, promise, expectStatus) {
  const r = await promise.then((v) => ({ ok: v }), (e) => ({ e }));
  if (r.e) {
    const v = r.e.body?.validation ?? r.e.body;
    if (r.e.status === 500 || r.e.status === 422 && r.e.body?.type?.includes("prism")) {
      assert.fail(`${label}: Prism found the exchange invalid: ${JSON.stringify(v)}`);
    }
    if (expectStatus === undefined) assert.fail(`${label}: ${r.e.code} ${r.e.status} ${r.e.message}`);
    assert.equal(r.e.status, expectStatus, `${label}: ${r.e.message}`);
    return r.e;
  }
  assert.equal(expectStatus, undefined, `${label}: expected ${expectStatus}, got a reply`);
  return r.ok;
}

test("Proxy-Solutions: every operation and the documented errors validate against the OpenAPI file", async () => {
  const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: psProxy.url });
  await valid("listServices", ps.listServices());
  await valid("listServiceLocations", ps.listServiceLocations({ service_id: 9 }));
  await valid("listMerchants", ps.listMerchants());
  await valid("calculatePrice", ps.calculatePrice({ service_id: 4, location_id: 24, quantity: 2, period: 60, promocode: "PSPromo", merchant: "freekassa", currency: "RUB" }));
  const { orders } = await valid("createOrder", ps.createOrder({ service_id: 9, location_id: 30, quantity: 2, period: 7 }));
  const id = orders[0].id;
  await valid("chargeOrder balance", ps.chargeOrder({ order_id: id, merchant: "balance", currency: "USD" }));
  await valid("chargeOrder link", ps.chargeOrder({ order_id: id, merchant: "freekassa", currency: "RUB", period: 30, promocode: "PSPromo" }));
  await valid("changeOrder", ps.changeOrder({ order_id: id, port: 8001, login: "reseller1", gen_password: true, ip_auth: ["203.0.113.7"] }));
  await valid("performOrderOperation", ps.performOrderOperation({ order_id: id, operation: "channels-relocate", location_id: 31, operator_id: 38 }));
  await valid("performOrderOperation autoreset", ps.performOrderOperation({ order_id: id, operation: "channels-set-autoreset", interval: 600 }));
  await valid("listOrders", ps.listOrders({ lang: "UA", currency: "UAH" }));
  await valid("chargeUserBalance", ps.chargeUserBalance({ merchant: "interkassa", currency: "EUR", amount: 20 }));
  // Documented errors.
  await valid("401", new ProxySolutionsClient({ apiKey: "wrong", baseUrl: psProxy.url }).listOrders(), 401);
  await valid("404 order", ps.changeOrder({ order_id: 999_999, gen_password: true }), 404);
  await valid("404 service", ps.calculatePrice({ service_id: 77 }), 404);
  const e422 = await valid("422", ps.createOrder({ service_id: 4, location_id: 1 }), 422);
  assert.equal(e422.code, "validation_failed");
  assert.deepEqual(e422.fieldErrors, { location_id: ["The selected location id is invalid."] });
  await valid("422 promocode", ps.calculatePrice({ service_id: 4, promocode: "NOPE" }), 422);
});

test("ProxyShard: every operation and the documented errors validate against the OpenAPI file", async () => {
  const sh = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: shardProxy.url });
  await valid("health", sh.health());
  await valid("healthLive", sh.healthLive());
  await valid("getMe", sh.getMe());
  await valid("listProducts", sh.listProducts());
  await valid("getAvailableCounts", sh.getAvailableCounts());
  const dc = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 3, promo_code: "SAVE10", auto_renewal: false, addons: [{ addon_key: "p0f_slots", qty: 1 }] };
  const { auto_renewal, ...quote } = dc;
  assert.equal(auto_renewal, false);
  await valid("quoteOrder", sh.quoteOrder(quote));
  const { order_id } = await valid("purchaseOrder DC", sh.purchaseOrder(dc));
  await valid("purchaseOrder ISP", sh.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 1 }));
  await valid("purchaseOrder unmetered", sh.purchaseOrder({ product: "Unmetered Residential proxy", cycle: "day" }));
  const resi = await valid("purchaseOrder premium", sh.purchaseOrder({ product: "Premium Residential Proxy", quantity: 10 }));
  await valid("listOrders", sh.listOrders({ status: "all", offset: 10, limit: 10 }));
  await valid("getOrder", sh.getOrder({ id: order_id }));
  await valid("setOrderTag", sh.setOrderTag({ id: order_id, tag: "faithful" }));
  await valid("setAutoRenewal", sh.setAutoRenewal({ order_id, auto_renewal: true }));
  await valid("changeBillingCycle", sh.changeBillingCycle({ order_id, cycle: "monthly" }));
  const { data } = await valid("listActiveProxies", sh.listActiveProxies({ order_id }));
  await valid("setPerIpDeletion", sh.setPerIpDeletion({ order_id, items: [{ ip: data[2].ip, value: true }] }));
  await valid("setP0fSignatures", sh.setP0fSignatures({ order_id, items: [{ ip: data[0].ip, signature: "win10" }] }));
  await valid("quoteAddon", sh.quoteAddon({ order_id, addon_key: "p0f_slots", add_qty: 2 }));
  await valid("purchaseAddon", sh.purchaseAddon({ order_id, addon_key: "p0f_slots", add_qty: 2 }));
  await valid("scheduleAddonDowngrade", sh.scheduleAddonDowngrade({ order_id, addon_key: "p0f_slots", next_qty: 1 }));
  await valid("cancelAddonDowngrade", sh.cancelAddonDowngrade({ order_id, addon_key: "p0f_slots" }));
  await valid("addBandwidth", sh.addBandwidth({ id: resi.order_id, amount: 2, promo_code: "SAVE10" }));
  await valid("getResidentialProfile", sh.getResidentialProfile({ proxy_type: "premium" }));
  const created = await valid("createSubUser", sh.createSubUser({ proxy_type: "premium", name: "faithful", data: 2 }));
  const user_id = created.data[0].user_id;
  await valid("listSubUsers", sh.listSubUsers({ proxy_type: "premium", offset: 0, limit: 5 }));
  await valid("getSubUser", sh.getSubUser({ proxy_type: "premium", user_id }));
  await valid("renameSubUser", sh.renameSubUser({ proxy_type: "premium", user_id, name: "renamed" }));
  await valid("addSubUserTraffic", sh.addSubUserTraffic({ proxy_type: "premium", user_id, data: 1 }));
  await valid("subtractSubUserTraffic", sh.subtractSubUserTraffic({ proxy_type: "premium", user_id, data: 1 }));
  await valid("regenerateSubUserPassword", sh.regenerateSubUserPassword({ proxy_type: "premium", user_id }));
  await valid("deleteSubUser", sh.deleteSubUser({ user_id }));
  await valid("listCountries", sh.listCountries({ proxy_type: "premium" }));
  await valid("listRegions", sh.listRegions({ proxy_type: "premium", country_code: "us" }));
  await valid("listCities", sh.listCities({ proxy_type: "premium", country_code: "us", region_code: "ny" }));
  await valid("listIsps", sh.listIsps({ proxy_type: "premium", country_code: "us", region_code: "ny", city_code: "new-york" }));
  // On hold after the period, then renewed.
  await sh.setAutoRenewal({ order_id, auto_renewal: false });
  sandbox.sandbox.advance({ days: 31 });
  await valid("renewOrder", sh.renewOrder({ id: order_id }));
  // Documented errors.
  await valid("401", new ProxyShardClient({ apiKey: "wrong", baseUrl: shardProxy.url }).getMe(), 401);
  await valid("400 renew active", sh.renewOrder({ id: order_id }), 400);
  await valid("403 residential proxies", sh.listActiveProxies({ order_id: resi.order_id }), 403);
  await valid("400 insufficient", sh.purchaseOrder({ product: "Unmetered Residential proxy", cycle: "monthly" }).then(() => sh.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 90 })), 400);
});

// Every operation, from its generated row (the overlay's `call`, via calls.json), each on a
// fresh sandbox: a new operation is exercised here with no line to add.
test("every operation's canonical call and its reply validate against the OpenAPI file", async () => {
  const clients = {
    "proxy-solutions": new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: psProxy.url }),
    proxyshard: new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: shardProxy.url }),
  };
  for (const [provider, spec, counted] of [["proxy-solutions", PS_SPEC, "proxySolutions"], ["proxyshard", SHARD_SPEC, "proxyShard"]]) {
    const calls = canonicalCalls(provider);
    assert.deepEqual(calls.map(([op]) => op).sort(), opsOf(spec));
    for (const [op, params] of calls) {
      sandbox.sandbox.reset();
      await valid(op, clients[provider][op](params));
      const counts = sandbox.sandbox.log().counts[counted];
      assert.deepEqual(Object.keys(counts), [op], `${op} reached the sandbox as itself`);
    }
  }
});

test("control: a reply that breaks the contract is caught by the same proxy (the check can fail)", async () => {
  const bad = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ email: "dev@example.com", active_orders: "three" }));
  });
  await new Promise((r) => bad.listen(0, "127.0.0.1", r));
  const proxy = await startPrism(SHARD_SPEC, `http://127.0.0.1:${bad.address().port}`);
  try {
    const r = await fetch(`${proxy.url}/user/api/me`, { headers: { authorization: "Bearer x" } });
    assert.equal(r.status, 500);
    assert.match(r.headers.get("sl-violations") ?? "", /wallet_balance/);
  } finally {
    proxy.child.kill();
    await new Promise((r) => bad.close(r));
  }
});
