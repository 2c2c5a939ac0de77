// ProxySolutionsClient from the installed package: the documented flow against the sandbox
// (its HTTP server, over the global fetch), a table of bad inputs (typed rejection naming the field, nothing sent), the kind
// rules fed by the catalogue or a hint, and the exported ProxySolutionsRules.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ProxySolutionsClient, ProxySolutionsRules, isProxykitError } from "proxykit";
import { startTestSandbox, PS_KEY } from "./sandbox-server.mjs";
import { wrongCalls } from "./harness.mjs";

let server;
before(async () => {
  server = await startTestSandbox();
});
after(() => server.close());

const client = (extra = {}) =>
  new ProxySolutionsClient({ apiKey: PS_KEY, baseUrl: `${server.url}/api`, ...extra });

test("price → create → pay from balance → change → list, with wire field names", async () => {
  const c = client();
  const price = await c.calculatePrice({ service_id: 4, quantity: 2, period: 60, promocode: "PSPromo" });
  assert.equal(price.amount, 7.24);
  assert.equal(price.discount, 10);

  const { orders } = await c.createOrder({ service_id: 4, location_id: 24, quantity: 2 });
  const id = orders[0].id;
  assert.equal(orders[0].status, "waiting");
  assert.deepEqual(server.last().body, { service_id: 4, location_id: 24, quantity: 2 }, "defaults not sent");

  const { payment } = await c.chargeOrder({ order_id: id, merchant: "balance", currency: "USD" });
  assert.equal(payment.merchant, "balance");
  const invoice = await c.chargeOrder({ order_id: id, merchant: "interkassa", currency: "EUR" });
  assert.ok(invoice.payment.url.startsWith(`${server.url}/__sandbox/pay/`), invoice.payment.url);

  const paid = (await c.listOrders()).orders.find((o) => o.id === id);
  const changed = await c.changeOrder({ order_id: id, gen_password: true, ip_auth: "clear" });
  assert.deepEqual(server.last().body, { gen_password: true, ip_auth: [] }, "'clear' sent as []");
  // Passwords are returned to the caller: the new one, as the sandbox stored it.
  const password = changed.order.access.password;
  assert.match(password, /^[A-Za-z0-9]{12}$/);
  assert.notEqual(password, paid.access.password, "a new password was generated");
  assert.deepEqual(changed.order.access.ip_list, []);

  const list = await c.listOrders({ lang: "EN", currency: "USD" });
  assert.ok(list.orders.some((o) => o.id === id && o.status === "active" && o.access.password === password));
  assert.equal(server.last().path, "/api/user/orders?lang=EN&currency=USD");

  const top = await c.chargeUserBalance({ merchant: "freekassa", currency: "RUB", payer_amount: 7700 });
  assert.equal(top.payment.payer_amount, 7700);
  const merchants = await c.listMerchants();
  assert.equal(merchants.merchants[0].code, "interkassa");
  const services = await c.listServices();
  assert.deepEqual(services.services.map((x) => x.id), [1, 2, 4, 5, 7, 9]);
  const locations = await c.listServiceLocations({ service_id: 4 });
  assert.equal(locations.locations[0].id, 24);
});

test("vendor errors map to stable codes and keep the body", async () => {
  const c = client();
  let e = await c.calculatePrice({ service_id: 4, promocode: "EXPIRED" }).catch((x) => x);
  assert.equal(e.code, "validation_failed");
  assert.equal(e.status, 422);
  assert.deepEqual(e.fieldErrors, { promocode: ["The selected promocode is invalid."] });
  assert.equal(e.vendorMessage, "The selected promocode is invalid.");
  e = await c.changeOrder({ order_id: 424242, port: 8001 }).catch((x) => x);
  assert.equal(e.code, "not_found");
  assert.equal(e.body, null, "no body documented for 404");
  e = await client({ apiKey: "wrong-key" }).listOrders().catch((x) => x);
  assert.equal(e.code, "unauthorized");
  e = await client().performOrderOperation({ order_id: (await c.createOrder({ service_id: 4, location_id: 24 })).orders[0].id, operation: "channels-reset" }).catch((x) => x);
  assert.equal(e.code, "validation_failed");
});

test("bad input rejects with invalid_input naming the field, and nothing is sent", async () => {
  const c = client();
  // The overlay's `wrong` rows (spec/overlay.yaml, via calls.json), and values JSON cannot
  // hold, which only a JS caller can pass.
  const cases = [
    ...wrongCalls("proxy-solutions"),
    ["createOrder", { service_id: NaN, location_id: 1 }, "service_id"],
    ["createOrder", { service_id: 2 ** 53, location_id: 1 }, "service_id"],
    ["createOrder", { service_id: 4, location_id: 1, quantity: Infinity }, "quantity"],
  ];
  assert.ok(cases.length >= 30, `${cases.length} rows`);
  const before = server.total();
  for (const [method, params, field] of cases) {
    const e = await c[method](params).then(
      () => assert.fail(`${method}(${JSON.stringify(params)}) resolved`),
      (x) => x,
    );
    assert.ok(isProxykitError(e), `${method}: ${e}`);
    assert.equal(e.code, "invalid_input", `${method}(${JSON.stringify(params)}): ${e.message}`);
    assert.equal(e.field, field, `${method}(${JSON.stringify(params)}): ${e.message}`);
  }
  // Paying from the balance needs a key; an invoice does not.
  const anon = new ProxySolutionsClient({ baseUrl: `${server.url}/api` });
  const e = await anon.chargeOrder({ order_id: 1, merchant: "balance", currency: "USD" }).catch((x) => x);
  assert.equal(e.field, "options.apiKey");
  assert.equal(server.total(), before, "no request reached the server");
});

test("kind rules: learned from listServices and orders, or hinted in call options", async () => {
  const c = client();
  // Unknown kind: the union of periods, no cap. The call is sent; the sandbox's city tariff
  // then refuses both values itself.
  let e = await c.calculatePrice({ service_id: 4, quantity: 60, period: 7 }).catch((x) => x);
  assert.equal(e.code, "validation_failed", String(e));
  assert.deepEqual(Object.keys(e.fieldErrors).sort(), ["period", "quantity"]);
  assert.deepEqual(server.last().body, { quantity: 60, period: 7 });
  await c.listServices(); // 4 = City proxies (cap 50, periods 30/60/90/180/365)
  e = await c.calculatePrice({ service_id: 4, quantity: 60 }).catch((x) => x);
  assert.equal(e.field, "quantity");
  assert.match(e.rule, /at most 50 for city/);
  e = await c.calculatePrice({ service_id: 4, period: 7 }).catch((x) => x);
  assert.equal(e.field, "period");
  // Mobile service (7): period 7 is fine, 60 is not.
  await c.calculatePrice({ service_id: 7, period: 7 });
  e = await c.createOrder({ service_id: 7, location_id: 24, period: 60 }).catch((x) => x);
  assert.equal(e.field, "period");
  // Orders remember their service, but the payment docs list no periods: charging a city
  // order for 7 days is sent (the tariff's periods are only a hint).
  const id = (await c.createOrder({ service_id: 4, location_id: 24 })).orders[0].id;
  e = await c.chargeOrder({ order_id: id, merchant: "balance", currency: "USD", period: 7 }).catch((x) => x);
  assert.notEqual(e?.code, "invalid_input", String(e));
  assert.deepEqual(server.last().body, { merchant: "balance", currency: "USD", period: 7 });
  // A hint wins over what was learned (the call is sent; the sandbox's city tariff refuses
  // 7 days itself); setServiceKind records one.
  const sent = server.total();
  e = await c.calculatePrice({ service_id: 4, period: 7 }, { serviceKind: "mobile" }).catch((x) => x);
  assert.deepEqual([e?.code, Object.keys(e?.fieldErrors ?? {})], ["validation_failed", ["period"]], String(e));
  assert.equal(server.total(), sent + 1);
  const fresh = client();
  fresh.setServiceKind(9, "personal");
  e = await fresh.calculatePrice({ service_id: 9, quantity: 501 }).catch((x) => x);
  assert.equal(e.field, "quantity");
  // The escape hatch for tariffs without locations: sent without one (the sandbox's city
  // tariff has locations, so it asks for one itself).
  e = await fresh.createOrder({ service_id: 4 }, { allowMissingLocation: true }).catch((x) => x);
  assert.equal(e.code, "validation_failed", String(e));
  assert.deepEqual(e.fieldErrors, { location_id: ["The location id field is required."] });
  assert.deepEqual(server.last().body, { service_id: 4 });
  // Hints are checked too, and only accepted where rules depend on the kind.
  e = await fresh.calculatePrice({ service_id: 4 }, { serviceKind: "residential" }).catch((x) => x);
  assert.equal(e.field, "callOptions.serviceKind");
  e = await fresh.listOrders({}, { serviceKind: "city" }).catch((x) => x);
  assert.equal(e.field, "callOptions.serviceKind");
  assert.throws(() => fresh.setServiceKind(0, "city"), (x) => x.code === "invalid_input");
  assert.throws(() => fresh.setServiceKind(4, "cty"), (x) => x.code === "invalid_input");
});

test("ProxySolutionsRules exports the rules and pure validators", () => {
  assert.deepEqual(ProxySolutionsRules.allowedPeriods("mobile"), [1, 7, 30, 90, 365]);
  assert.deepEqual(ProxySolutionsRules.allowedPeriods("city"), [30, 60, 90, 180, 365]);
  assert.deepEqual(ProxySolutionsRules.allowedPeriods(), [1, 7, 30, 60, 90, 180, 365]);
  assert.equal(ProxySolutionsRules.quantityCap("prime"), 100);
  assert.equal(ProxySolutionsRules.quantityCap("mobile"), undefined);
  assert.deepEqual(ProxySolutionsRules.defaults(), { period: 30, quantity: 1, multiport: true });
  assert.equal(ProxySolutionsRules.serviceKinds().length, 6);
  assert.deepEqual(ProxySolutionsRules.langs(), ["EN", "RU", "UA"]);
  assert.equal(ProxySolutionsRules.currencies().length, 5);
  assert.equal(ProxySolutionsRules.operations().length, 4);
  assert.throws(() => ProxySolutionsRules.allowedPeriods("weekly"), (e) => e.code === "invalid_input");

  assert.deepEqual(ProxySolutionsRules.validateCreateOrder({ service_id: 4, location_id: 24 }), []);
  assert.deepEqual(
    ProxySolutionsRules.validateCreateOrder({ service_id: 4, quantity: 60, period: 7 }, { serviceKind: "city" }).map((p) => p.field),
    ["location_id", "quantity", "period"],
  );
  const typo = ProxySolutionsRules.validateChangeOrder({ order_id: 1, typo: 1 });
  assert.equal(typo.length, 1);
  assert.equal(typo[0].field, "typo");
  assert.match(typo[0].rule, /^is not a parameter of this call \(known: .*remove_proxies.*\)$/);
  assert.equal(ProxySolutionsRules.validateChargeOrder({ order_id: 1, merchant: "m", currency: "USD" }).length, 0);
  assert.equal(ProxySolutionsRules.validatePerformOrderOperation({ order_id: 1, operation: "x" })[0].field, "operation");
  assert.equal(ProxySolutionsRules.validateChargeUserBalance({ merchant: "m", currency: "USD", amount: 1 }).length, 0);
  assert.equal(ProxySolutionsRules.validateCalculatePrice({ service_id: 4, period: 60 }, { serviceKind: "mobile" })[0].field, "period");
  assert.equal(ProxySolutionsRules.validateCreateOrder(null)[0].field, "service_id");
});

test("calls the docs allow are sent as documented (only the vendor's rules refuse)", async () => {
  const c = client();
  const id = (await c.createOrder({ service_id: 7, location_id: 30 })).orders[0].id; // mobile
  const sent = async (method, params, body) => {
    const before = server.total();
    const e = await c[method](params).then(() => null, (x) => x);
    assert.notEqual(e?.code, "invalid_input", `${method}(${JSON.stringify(params)}): ${e?.message}`);
    assert.equal(server.total(), before + 1, `${method}: sent once`);
    assert.deepEqual(server.last().body, body, method);
  };
  // Order payment: "period in days; if not sent, the order's period is used" (no list).
  for (const period of [14, 120]) {
    await sent("chargeOrder", { order_id: id, merchant: "balance", currency: "USD", period }, { merchant: "balance", currency: "USD", period });
  }
  // Order changes: ip_auth and remove_proxies are `string · ip[]` (IPv6 too).
  await sent("changeOrder", { order_id: id, ip_auth: ["2001:db8::5", "203.0.113.5"] }, { ip_auth: ["2001:db8::5", "203.0.113.5"] });
  // remove_proxies on a mobile order is not forbidden by the docs.
  await sent("changeOrder", { order_id: id, remove_proxies: ["2001:db8::10"], quantity: 2 }, { quantity: 2, remove_proxies: ["2001:db8::10"] });
  // "If true, a new password is generated; the password field is then ignored."
  await sent("changeOrder", { order_id: id, password: "p4ss", gen_password: true }, { password: "p4ss", gen_password: true });
  // Rules that are ours, not the vendor's, are hints from ProxySolutionsRules.hints.
  const hints = ProxySolutionsRules.hints("changeOrder", { order_id: id, password: "p", gen_password: true, port: 70000, remove_proxies: ["192.0.2.1", "192.0.2.1"], quantity: 1 }, { serviceKind: "mobile" });
  assert.deepEqual(hints.map((h) => h.field).sort(), ["password", "port", "remove_proxies", "remove_proxies[1]"]);
  assert.ok(hints.every((h) => h.rule.startsWith("hint: ")));
  assert.deepEqual(ProxySolutionsRules.hints("chargeOrder", { order_id: 1, merchant: "m", currency: "USD", period: 14 }).map((h) => h.field), ["period"]);
  assert.deepEqual(ProxySolutionsRules.validateChargeOrder({ order_id: 1, merchant: "m", currency: "USD", period: 14 }, { serviceKind: "city" }), []);
  assert.deepEqual(ProxySolutionsRules.hints("listMerchants", {}), []);
  assert.throws(() => ProxySolutionsRules.hints("nope", {}), (e) => e.code === "invalid_input" && e.field === "operation");
});

// The now-allowed calls against the contract (spec/, a Prism mock started with
// --errors: a request that breaks the OpenAPI file is answered 4xx). The project's copy types
// ip_auth/remove_proxies items as IPv4 or IPv6, as the vendor's order-changes page does
// (`string · ip[]`); shared/api's file says ipv4 (spec/CHANGES.md).
test("the now-allowed calls are valid requests under the OpenAPI contract", async () => {
  const { startPrism } = await import("./prism.mjs");
  const spec = fileURLToPath(new URL("../../spec/proxy-solutions.openapi.yaml", import.meta.url));
  const prism = await startPrism(spec);
  try {
    const c = new ProxySolutionsClient({ apiKey: "contract-test-key", baseUrl: prism.url });
    for (const period of [14, 120]) {
      await c.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD", period });
    }
    await c.changeOrder({ order_id: 10000, password: "p4ss", gen_password: true });
    await c.changeOrder({ order_id: 10000, remove_proxies: ["192.0.2.10"], quantity: 2 }, { serviceKind: "mobile" });
    await c.changeOrder({ order_id: 10000, port: 8000 }, { serviceKind: "mobile" });
    await c.changeOrder({ order_id: 10000, ip_auth: ["2001:db8::5", "203.0.113.5"] });
    await c.changeOrder({ order_id: 10000, remove_proxies: ["2001:db8::10"], quantity: 2 });
    // The contract still refuses what is neither: the check can fail.
    const bad = await fetch(`${prism.url}/user/orders/10000`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({ ip_auth: ["not-an-ip"] }),
    });
    assert.equal(bad.status, 422);
  } finally {
    prism.child.kill();
  }
});
