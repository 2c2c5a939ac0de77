// `proxykit/web` in a real page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): the page imports the installed package through an import map, checks
// the before-init error, calls init(), then calls both clients across origins (CORS) against
// the sandbox's HTTP server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, startPageSite } from "./chromium.mjs";
import { startTestSandbox, PS_KEY, SHARD_KEY } from "./sandbox-server.mjs";
import { canonicalCalls } from "./harness.mjs";

// Every operation's canonical call (spec/overlay.yaml `call`, via calls.json), by provider.
const CALLS = { "proxy-solutions": canonicalCalls("proxy-solutions"), proxyshard: canonicalCalls("proxyshard") };


const PAGE = `<!doctype html>
<script type="importmap">{"imports": {"proxykit/web": "/proxykit/web/index.js"}}</script>
<script type="module">
  import { init, ProxyShardClient, ProxySolutionsClient, isProxykitError } from "proxykit/web";
  const api = new URLSearchParams(location.search).get("api");
  const out = {};
  try { new ProxyShardClient({}); } catch (e) { out.beforeInit = { code: e.code, message: e.message }; }
  await Promise.all([init(), init()]);
  // A secret key in a page needs the explicit opt-in; public calls need no key at all.
  try { new ProxyShardClient({ apiKey: "${SHARD_KEY}" }); } catch (e) { out.keyInPage = { code: e.code, field: e.field, opt: e.message.includes("dangerouslyAllowBrowser") }; }
  const shard = new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, baseUrl: api });
  out.me = await shard.getMe();
  out.merchants = await new ProxySolutionsClient({ baseUrl: api + "/api" }).listMerchants();
  const e = await new ProxyShardClient({ apiKey: "wrong", dangerouslyAllowBrowser: true, baseUrl: api }).getMe().catch((x) => x);
  out.apiError = { guard: isProxykitError(e), isError: e instanceof Error, code: e.code, status: e.status, body: e.body };
  // Every call through this base URL gets the sandbox's "slow" fault (3 s).
  const t = await new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, baseUrl: api + "/__fault/slow" }).getMe({}, { timeout: 100 }).catch((x) => x);
  out.timeout = t.code;
  // Every Proxy-Solutions operation, from the installed package, in the browser.
  const ps = new ProxySolutionsClient({ apiKey: "${PS_KEY}", dangerouslyAllowBrowser: true, baseUrl: api + "/api" });
  const ran = [];
  const run = async (name, params) => { const r = await ps[name](params); ran.push(name); return r; };
  await run("listServices", {});
  await run("listServiceLocations", { service_id: 7 });
  await run("calculatePrice", { service_id: 7, quantity: 2, period: 7 });
  const created = await run("createOrder", { service_id: 7, location_id: 30, quantity: 2, period: 7 });
  const id = created.orders[0].id;
  await run("chargeOrder", { order_id: id, merchant: "balance", currency: "USD" });
  await run("changeOrder", { order_id: id, gen_password: true });
  const performed = await run("performOrderOperation", { order_id: id, operation: "channels-reset" });
  await run("listOrders", {});
  await run("chargeUserBalance", { merchant: "interkassa", currency: "EUR", amount: 5 });
  await run("listMerchants", {});
  const bad = await ps.createOrder({ service_id: 7, location_id: 30, period: 60 }).catch((x) => x);
  out.ps = { ran, status: performed.operation_status, badField: bad.field, badCode: bad.code };
  // ProxyShard in the page: a purchase flow and a paged walk with the async iterator.
  const sh = new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, baseUrl: api });
  const bought = await sh.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2 });
  await sh.setOrderTag({ id: bought.order_id, tag: "from-browser" });
  const detail = await sh.getOrder({ id: bought.order_id });
  const walked = [];
  for await (const o of sh.iterateOrders({ status: "all", limit: 20 })) walked.push(o.order_id);
  const shardBad = await sh.purchaseOrder({ product: "ISP Proxy", cycle: "monthly" }).catch((x) => x);
  out.shard = { tag: detail.order.tag, walked: walked.length, unique: new Set(walked).size, badField: shardBad.field };
  // Every operation of both providers, in the page: its canonical call, each on a fresh
  // sandbox that holds the objects the calls name (a second server, \`examples: true\`).
  const ex = new URLSearchParams(location.search).get("ex");
  const canon = {
    "proxy-solutions": new ProxySolutionsClient({ apiKey: "${PS_KEY}", dangerouslyAllowBrowser: true, baseUrl: ex + "/api" }),
    proxyshard: new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, baseUrl: ex }),
  };
  out.canonical = [];
  for (const [provider, calls] of Object.entries(${JSON.stringify(CALLS)})) {
    for (const [op, params] of calls) {
      await fetch(ex + "/__sandbox/reset", { method: "POST" });
      const r = await canon[provider][op](params).then(() => "ok", (e) => e.code + " " + e.message);
      out.canonical.push([provider, op, r]);
    }
  }
  window.__result = out;
</script>`;

let api;
let examples;
let site;
let browser;
before(async () => {
  // 47 cancelled orders and the active one: with the page's purchase, 49 to walk.
  api = await startTestSandbox({ maxRequests: 300, proxyShard: { accounts: [{ apiKey: SHARD_KEY, history: 47 }] } });
  examples = await startTestSandbox({ maxRequests: 300, examples: true });
  site = await startPageSite(PAGE);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await api?.close();
  await examples?.close();
  await new Promise((r) => (site ? site.close(r) : r()));
});

test("a browser page loads proxykit/web, inits once, and calls both APIs (every operation)", async () => {
  const page = await browser.newPage();
  const errors = [];
  const diag = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => diag.push(`console.${m.type()}: ${m.text()}`));
  page.on("requestfailed", (r) => diag.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(`http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(api.url)}&ex=${encodeURIComponent(examples.url)}`);
  const result = await page
    .waitForFunction(() => window.__result, null, { timeout: 20_000 })
    .then((h) => h.jsonValue())
    .catch((e) => {
      throw new Error(`page did not finish: ${e.message}\n${[...errors, ...diag].join("\n")}`);
    });
  assert.deepEqual(errors, []);
  assert.equal(result.beforeInit.code, "not_initialized");
  assert.deepEqual(result.keyInPage, { code: "invalid_input", field: "options.apiKey", opt: true });
  assert.match(result.beforeInit.message, /await init\(\)/);
  assert.deepEqual(result.me, { email: "reseller1@sandbox.invalid", active_orders: 1, wallet_balance: 10000 });
  assert.equal(result.merchants.merchants[0].code, "interkassa");
  assert.deepEqual(result.apiError, {
    guard: true,
    isError: true,
    code: "unauthorized",
    status: 401,
    body: { success: false, message: "Unauthorized" },
  });
  assert.equal(result.timeout, "timeout");
  assert.ok(result.ps.ran.length >= 10, result.ps.ran.join());
  // Every operation of both providers ran in the page and resolved.
  const expected = Object.entries(CALLS).flatMap(([provider, calls]) => calls.map(([op]) => [provider, op, "ok"]));
  assert.equal(expected.length, 44);
  assert.deepEqual(result.canonical, expected);
  assert.equal(result.ps.status, "complete");
  assert.deepEqual([result.ps.badCode, result.ps.badField], ["invalid_input", "period"], "mobile kind learned in the page");
  assert.deepEqual(result.shard, { tag: "from-browser", walked: 49, unique: 49, badField: "location" });
  await page.close();
});
