// ProxyShardClient from the installed package: every operation against the sandbox (its
// HTTP server, over the global fetch), the page iterators, a table of bad inputs (typed
// rejection naming the field, nothing sent), and the exported ProxyShardRules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ProxyShardClient, ProxyShardRules, isProxykitError } from "proxykit";
import { startTestSandbox, SHARD_KEY } from "./sandbox-server.mjs";
import { wrongCalls } from "./harness.mjs";

// Each test gets a sandbox of its own (options: sandbox options), stopped when it ends.
async function sandbox(t, options = {}) {
  const server = await startTestSandbox(options);
  t.after(() => server.close());
  return server;
}
const client = (server) => new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url });

test("every operation works end to end with wire field names", async (t) => {
  const server = await sandbox(t);
  const c = client(server);
  const ran = new Set();
  const call = async (name, params) => {
    const r = await c[name](params);
    ran.add(name);
    return r;
  };
  const me = await call("getMe");
  assert.equal(me.wallet_balance, 10000);
  const { products } = await call("listProducts");
  assert.equal(products[0].name, "Datacenter Proxy");
  assert.deepEqual(await call("getAvailableCounts"), [
    { country: "DE", product: "dc", amount: 500 },
    { country: "US", product: "dc", amount: 300 },
    { country: "US", product: "isp", amount: 100 },
    { country: "GB", product: "isp", amount: 40 },
    { country: "US", product: "mobile", amount: 20 },
  ]);
  const quote = await call("quoteOrder", {
    product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2, addons: [{ addon_key: "p0f_slots", qty: 1 }],
  });
  assert.equal(quote.total_with_addons, 330);
  assert.match(server.last().path, /addons_json=%5B%7B%22addon_key%22%3A%22p0f_slots%22%2C%22qty%22%3A1%7D%5D/);

  const { order_id } = await call("purchaseOrder", {
    product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2, auto_renewal: true,
    addons: [{ addon_key: "p0f_slots", qty: 1 }],
  });
  assert.equal((await call("getMe")).wallet_balance, 10000 - 330);
  const { order } = await call("getOrder", { id: order_id });
  assert.equal(order.p0f_slots_available, 1);

  const { data: proxies } = await call("listActiveProxies", { order_id });
  assert.equal(proxies.length, 2);
  assert.equal(typeof proxies[0].password, "string");
  await call("setP0fSignatures", { order_id, items: [{ ip: proxies[0].ip, signature: "win11" }] });
  const slotsGone = await c.setP0fSignatures({ order_id, items: [{ ip: proxies[1].ip, signature: "macos" }] }).catch((e) => e);
  assert.equal(slotsGone.code, "api");
  assert.equal(slotsGone.vendorMessage, "Not enough free p0f slots: 0 free, 1 needed");
  await call("setPerIpDeletion", { order_id, items: [{ ip: proxies[1].ip, value: true }] });
  assert.equal((await call("quoteAddon", { order_id, addon_key: "p0f_slots", add_qty: 2 })).add_total, 60);
  const bought = await call("purchaseAddon", { order_id, addon_key: "p0f_slots", add_qty: 2 });
  assert.equal(bought.addons[0].qty, 3);
  const detail = await c.getOrder({ id: order_id });
  const scheduled = await call("scheduleAddonDowngrade", { order_id, addon_key: "p0f_slots", next_qty: 1 }, { order: detail });
  assert.deepEqual(scheduled.addons[0].pending, { action: "downgrade", next_qty: 1 });
  assert.deepEqual(server.last().body, { addon_key: "p0f_slots", action: "downgrade", next_qty: 1 }, "action defaults to downgrade");
  await call("cancelAddonDowngrade", { order_id, addon_key: "p0f_slots" });
  await call("changeBillingCycle", { order_id, cycle: "weekly" });
  // The sandbox lists `yearly` for ISP orders but refuses it: the vendor's 403.
  const isp = await c.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly" });
  const denied = await c.changeBillingCycle({ order_id: isp.order_id, cycle: "yearly" }).catch((e) => e);
  assert.equal(denied.code, "forbidden");
  await call("setAutoRenewal", { order_id, auto_renewal: false });
  assert.equal(server.last().path, `/user/api/orders/edit-auto-renewal/${order_id}?auto_renewal=false`);
  assert.deepEqual(server.last().body, {}, "empty POSTs send {}");
  await call("setOrderTag", { id: order_id, tag: "vip" });
  const notHeld = await c.renewOrder({ id: order_id }).catch((e) => e);
  assert.equal(notHeld.status, 400);
  // Past the end of the period without auto-renewal: the order is on hold.
  server.sandbox.advance({ days: 31 });
  assert.equal((await c.getOrder({ id: order_id })).order.status, "on-hold");
  await call("renewOrder", { id: order_id });
  const page = await call("listOrders", { status: "active", limit: 100 });
  assert.ok(page.orders.some((o) => o.order_id === order_id && o.tag === "vip"));

  const resi = await c.purchaseOrder({ product: "Standart Residential Proxy", quantity: 1 });
  await call("addBandwidth", { id: resi.order_id, amount: 5 });
  const profile = await call("getResidentialProfile", { proxy_type: "standart" });
  assert.equal(profile.data_remain, 6 * 2 ** 30, "bytes: 1 GB bought, 5 added");
  const created = await call("createSubUser", { proxy_type: "standart", name: "team-a", data: 2 });
  const user_id = created.data[0].user_id;
  await call("addSubUserTraffic", { user_id, proxy_type: "standart", data: 3 });
  await call("subtractSubUserTraffic", { user_id, proxy_type: "standart", data: 1 });
  await call("renameSubUser", { user_id, proxy_type: "standart", name: "team-b" });
  await call("regenerateSubUserPassword", { user_id, proxy_type: "standart" });
  const got = await call("getSubUser", { user_id, proxy_type: "standart" });
  assert.equal(got.data[0].first_name, "team-b");
  assert.equal(got.data[0].data, 4 * 2 ** 30);
  assert.equal((await call("listSubUsers", { proxy_type: "standart" })).count, 1);
  await call("deleteSubUser", { user_id });
  assert.equal((await call("listCountries", { proxy_type: "premium" })).results[0].code, "de");
  await call("listRegions", { proxy_type: "premium", country_code: "de" });
  await call("listCities", { proxy_type: "premium", country_code: "de", region_code: "be" });
  await call("purchaseOrder", { product: "Premium Residential Proxy", quantity: 1 }); // ISP lists need one
  const isps = await call("listIsps", { proxy_type: "premium", country_code: "de", region_code: "be", city_code: "berlin" });
  assert.equal(isps.results[0].region.code, "be");
  assert.deepEqual(await call("health"), { status: "ok", checks: { database: "ok", stock: "ok" } });
  assert.equal(await call("healthLive"), "OK", "a text body comes back as a string");
  assert.deepEqual(server.last().credentials, [], "the key is never sent to health probes");
  // Every operation's canonical call runs in sandbox-faithful.test.mjs; this flow need not hold
  // them all, so `ran` only names what it did.
  assert.ok(ran.size > 30, `${ran.size} operations in the flow`);
});

test("iterateOrders and iterateSubUsers walk every page, bounded", async (t) => {
  // 47 cancelled orders and the active one: 48, three pages of 20.
  const server = await sandbox(t, { proxyShard: { accounts: [{ apiKey: SHARD_KEY, history: 47 }] } });
  const c = client(server);
  const ids = [];
  for await (const o of c.iterateOrders({ status: "all", limit: 20 })) ids.push(o.order_id);
  assert.equal(ids.length, 48);
  assert.equal(new Set(ids).size, 48);
  const pages = server.entries().filter((e) => e.path.startsWith("/user/api/orders?")).length;
  assert.equal(pages, 3, "stops on next == null without an extra request");

  const few = [];
  for await (const o of c.iterateOrders({ status: "all", limit: 10 }, { maxPages: 2 })) few.push(o);
  assert.equal(few.length, 20, "maxPages bounds the walk");

  await c.purchaseOrder({ product: "Premium Residential Proxy", quantity: 5 }); // 5 GB to share
  for (let i = 0; i < 5; i++) await c.createSubUser({ proxy_type: "premium", name: `u${i}`, data: 1 });
  const users = [];
  for await (const u of c.iterateSubUsers({ proxy_type: "premium", limit: 2 })) users.push(u.user_id);
  assert.equal(users.length, 5);

  // A server that ignores offset (returns the same page forever) does not hang the walk.
  const stuck = new ProxyShardClient({
    apiKey: "k",
    fetch: async () =>
      new Response(JSON.stringify({ success: true, orders: [{ order_id: 1, product_id: 1, product_name: "x", cycle_id: 1, cycle_name: "m" }], next: "/again" })),
  });
  const seen = [];
  for await (const o of stuck.iterateOrders({ status: "all", limit: 1 })) seen.push(o);
  assert.equal(seen.length, 1, "a repeated page ends the walk");

  assert.throws(() => c.iterateOrders({ status: "nope" }), (e) => e.code === "invalid_input" && e.field === "status");
  assert.throws(() => c.iterateOrders({ status: "all" }, { maxPages: 0 }), (e) => e.field === "callOptions.maxPages");
  const it = c.iterateOrders({ status: "all" });
  assert.equal(it[Symbol.asyncIterator](), it);
});

test("bad input rejects with invalid_input naming the field, and nothing is sent", async (t) => {
  const server = await sandbox(t);
  const c = client(server);
  // The overlay's `wrong` rows (spec/overlay.yaml, via calls.json): one or more per operation.
  const cases = wrongCalls("proxyshard");
  assert.ok(cases.length >= 34, `${cases.length} rows`);
  const before = server.total();
  for (const [method, params, field] of cases) {
    const e = await c[method](params).then(() => assert.fail(`${method}(${JSON.stringify(params)}) resolved`), (x) => x);
    assert.ok(isProxykitError(e), `${method}: ${e}`);
    assert.equal(e.code, "invalid_input", `${method}(${JSON.stringify(params)}): ${e.message}`);
    assert.equal(e.field, field, `${method}(${JSON.stringify(params)}): ${e.message}`);
  }
  // With the order from getOrder, next_qty is checked against the add-on's current units.
  const order = { order: { addons: [{ addon_key: "p0f_slots", qty: 3 }] } };
  const e = await c.scheduleAddonDowngrade({ order_id: 5, addon_key: "p0f_slots", next_qty: 3 }, { order }).catch((x) => x);
  assert.equal(e.field, "next_qty");
  assert.match(e.rule, /below the current quantity \(3\)/);
  assert.equal(server.total(), before, "no request reached the server");
});

test("ProxyShardRules: validators and vocabularies", () => {
  assert.deepEqual(ProxyShardRules.validatePurchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly" }), []);
  assert.deepEqual(
    ProxyShardRules.validatePurchaseOrder({ product: "Datacenter Proxy", quantity: 0 }).map((p) => p.field),
    ["location", "cycle", "quantity"],
  );
  assert.equal(ProxyShardRules.validateQuoteOrder({ product: "Unmetered Residential proxy" })[0].field, "cycle");
  assert.deepEqual(ProxyShardRules.purchaseFields("Premium Residential Proxy"), {
    variant: "residential",
    requires: ["product"],
    accepts: ["quantity", "promo_code", "addons"],
  });
  assert.equal(ProxyShardRules.purchaseFields("Something New").variant, "other");
  assert.deepEqual(ProxyShardRules.orderStatuses(), ["active", "on-hold", "cancelled", "all"]);
  assert.equal(ProxyShardRules.p0fSignatures().length, 6);
  assert.deepEqual(ProxyShardRules.proxyTypes(), ["standart", "premium", "unlimited"]);
  assert.throws(() => ProxyShardRules.purchaseFields(5), (e) => e.code === "invalid_input");
  // Minimums the vendor does not state are hints, not refusals.
  assert.deepEqual(ProxyShardRules.hints("createSubUser", { proxy_type: "premium", name: "a", data: 0 }).map((h) => h.field), ["data"]);
  assert.deepEqual(ProxyShardRules.hints("listSubUsers", { proxy_type: "premium", limit: 0 }).map((h) => h.field), ["limit"]);
  assert.deepEqual(ProxyShardRules.hints("setP0fSignatures", { order_id: 1, items: [] }).map((h) => h.field), ["items"]);
  assert.deepEqual(ProxyShardRules.hints("getMe", {}), []);
  assert.throws(() => ProxyShardRules.hints("get_me", {}), (e) => e.code === "invalid_input" && e.field === "operation");
});

test("Standard/Premium residential: the catalogue's cycle \"lifetime\" and auto_renewal false pass, sent as the vendor's variant", async (t) => {
  const server = await sandbox(t);
  const c = client(server);
  for (const product of ["Standart Residential Proxy", "Premium Residential Proxy"]) {
    assert.deepEqual(ProxyShardRules.validatePurchaseOrder({ product, quantity: 1, cycle: "lifetime", auto_renewal: false }), []);
    const e = await c.purchaseOrder({ product, quantity: 1, cycle: "lifetime", auto_renewal: false }).then(() => null, (x) => x);
    assert.notEqual(e?.code, "invalid_input", String(e));
    // PurchaseRequestResidentialStandard/Premium: no `cycle`, no `auto_renewal`.
    assert.deepEqual(server.last().body, { product, quantity: 1 });
  }
  // Another cycle, or auto-renewal, contradicts the fixed lifetime: refused before sending.
  for (const [params, field] of [
    [{ product: "Premium Residential Proxy", cycle: "monthly" }, "cycle"],
    [{ product: "Standart Residential Proxy", auto_renewal: true }, "auto_renewal"],
  ]) {
    const e = await c.purchaseOrder(params).catch((x) => x);
    assert.equal(e.code, "invalid_input");
    assert.equal(e.field, field);
  }
});

// The typings suite (types/typings.ts) under bundler resolution; `tsc -p tsconfig.json` in
// scripts/test-js.sh checks it under nodenext.
test("typings suite compiles under strict + moduleResolution bundler", () => {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.bundler.json"], {
    cwd: dir,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

// Residential purchases with the catalogue's values, against the contract (a Prism mock of
// spec/proxyshard.openapi.yaml started with --errors).
test("residential purchase with cycle \"lifetime\" is a valid request under the OpenAPI contract", async () => {
  const { startPrism } = await import("./prism.mjs");
  const prism = await startPrism(fileURLToPath(new URL("../../spec/proxyshard.openapi.yaml", import.meta.url)));
  try {
    const c = new ProxyShardClient({ apiKey: "contract-test-key", baseUrl: prism.url });
    for (const product of ["Standart Residential Proxy", "Premium Residential Proxy"]) {
      await c.purchaseOrder({ product, quantity: 1, cycle: "lifetime", auto_renewal: false });
      await c.quoteOrder({ product, cycle: "lifetime" });
    }
    await c.createSubUser({ proxy_type: "standart", name: "zero", data: 0 });
  } finally {
    prism.child.kill();
  }
});

test("invalid_input names the field as written and its allowed values, type errors included", async () => {
  // Nothing is sent: the base URL is never reached.
  const shard = new ProxyShardClient({ apiKey: "k", baseUrl: "http://127.0.0.1:1" });
  const refuse = (p) => p.then(() => assert.fail("not refused"), (e) => e);
  // A form's <input>.value: the type is wrong, and the range is said at once.
  let e = await refuse(shard.listOrders({ status: "all", limit: "10" }));
  assert.equal(e.code, "invalid_input");
  assert.equal(e.field, "limit");
  assert.match(e.message, /not a string.*allowed: from 1 to 100/);
  e = await refuse(shard.listOrders({ status: "all", limit: -1 }));
  assert.match(e.message, /not negative; allowed: from 1 to 100/);
  e = await refuse(shard.listOrders({ status: "all", limit: 500 }));
  assert.match(e.message, /`limit` must be from 1 to 100/);
  // A name the call does not use, for a field it requires: both names are in the message.
  e = await refuse(shard.getOrder({ orderId: 5 }));
  assert.equal(e.field, "id");
  assert.match(e.message, /`orderId` was given: this call names it `id`/);
  e = await refuse(shard.purchaseAddon({ order_id: 1, addon_key: "p0f_slots", add_qty: "2" }));
  assert.equal(e.field, "add_qty");
  assert.match(e.message, /allowed: 1 or more/);
});
