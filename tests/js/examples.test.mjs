// The example pages (examples-web/) in headless Chromium: the storefront prices live,
// shows proxykit's validation messages, and checks out on both providers; the reseller panel
// connects with the browser opt-in, pages orders, edits a tag, toggles auto-renewal, renews
// an order after the sandbox clock moves, reveals a proxy password, changes access data and
// adds a sub-user; a refused key shows its typed code in a toast. Screenshots go to
// examples-web/screenshots/ (git-ignored).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { ProxyShardClient } from "proxykit";
import { startSandboxServer } from "proxykit-sandbox";
import { startExamplesServer } from "../../examples-web/serve.mjs";

const require = createRequire(import.meta.url);
const SHOTS = fileURLToPath(new URL("../../examples-web/screenshots/", import.meta.url));
let site;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  site = await startExamplesServer({
    vendor: {
      proxykit: dirname(require.resolve("proxykit/package.json")),
      "proxykit-sandbox": dirname(fileURLToPath(import.meta.resolve("proxykit-sandbox/web"))),
    },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(path) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${site.url}${path}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  return { page, errors };
}

test("storefront: both sellers' offers through ProxyMarket, live price, proxykit's validation messages, checkout on both providers", { timeout: 60_000 }, async () => {
  const { page, errors } = await open("/storefront/");
  assert.match(await page.textContent(".badge"), /SANDBOX/);
  // Both sellers' offers in one list, through ProxyMarket (proxykit/web/market).
  const sellers = await page.$$eval("#offer-table tbody tr", (rows) => rows.map((r) => r.dataset.provider));
  assert.ok(sellers.includes("proxy_solutions") && sellers.includes("proxyshard"), `offers from both sellers: ${[...new Set(sellers)]}`);
  assert.match(await page.textContent("#offer-count"), /^\d+ offers$/);
  await page.selectOption("#merchant", "balance");
  await page.selectOption("#service", "4");
  await page.waitForFunction(() => document.querySelector("#location").options.length > 0);
  await page.fill("#quantity", "3");
  await page.selectOption("#period", "60");
  await page.fill("#promocode", "PSPromo");
  await page.waitForFunction(() => /USD/.test(document.querySelector("#price").textContent) && /−10%/.test(document.querySelector("#price").textContent));
  assert.match(await page.textContent("#price"), /9\.77 USD \(−10%, was 10\.86\)/);
  // The allowed periods are proxykit's, and a bad quantity shows proxykit's rule.
  assert.deepEqual(await page.$$eval("#period option", (o) => o.map((x) => x.value)), ["30", "60", "90", "180", "365"]);
  await page.fill("#quantity", "80");
  await page.waitForFunction(() => document.querySelector('.problem[data-field="quantity"]').textContent.length > 0);
  assert.match(await page.textContent('.problem[data-field="quantity"]'), /50/);
  assert.equal(await page.isDisabled("#checkout"), true);
  await page.fill("#quantity", "3");
  await page.waitForFunction(() => !document.querySelector("#checkout").disabled);
  await page.screenshot({ path: `${SHOTS}storefront.png`, fullPage: true });
  await page.click("#checkout");
  await page.waitForSelector("#result.result");
  assert.match(await page.textContent("#result"), /paid from the API balance/);
  // A payment link, completed in the sandbox.
  await page.selectOption("#merchant", "interkassa");
  await page.waitForFunction(() => !document.querySelector("#checkout").disabled);
  await page.click("#checkout");
  await page.waitForSelector("#sandbox-pay");
  await page.click("#sandbox-pay");
  await page.waitForFunction(() => /paid\.$/.test(document.querySelector("#result").textContent));
  // ProxyShard: product variants from proxykit's purchaseFields.
  await page.selectOption("#provider", "shard");
  await page.waitForFunction(() => document.querySelector("#product").options.length > 0);
  await page.selectOption("#product", "Standart Residential Proxy");
  assert.equal(await page.isDisabled("#cycle"), true, "residential: no cycle");
  await page.selectOption("#product", "Datacenter Proxy");
  await page.selectOption("#shard-location", "US");
  await page.fill("#shard-quantity", "4");
  await page.fill("#p0f", "2");
  await page.waitForFunction(() => /\$6\.60/.test(document.querySelector("#price").textContent));
  await page.click("#checkout");
  await page.waitForFunction(() => /Order \d+ paid/.test(document.querySelector("#result").textContent));
  assert.match(await page.textContent("#result"), /\$93\.40 left/);
  await page.screenshot({ path: `${SHOTS}storefront-proxyshard.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("panel (HTTP sandbox): opt-in, balance, paged orders, tag, auto-renew, renew on hold, proxies, access, sub-users, error toasts", { timeout: 60_000 }, async () => {
  // The panel against the sandbox server (its HTTP mode); the account first gets a
  // residential package with one sub-user, bought from Node.
  const api = await startSandboxServer({ port: 0, maxRequests: 2_000, ttlSeconds: 120 });
  const seed = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: api.url });
  await seed.purchaseOrder({ product: "Standart Residential Proxy", quantity: 10 });
  await seed.createSubUser({ proxy_type: "standart", name: "client-seed", data: 4 });
  const { page, errors } = await open(`/panel/?api=${encodeURIComponent(api.url)}`);
  assert.match(await page.textContent(".badge"), /SANDBOX · 127\.0\.0\.1/);
  // Without the opt-in, proxykit refuses the key: a toast with the typed code.
  await page.click("#connect");
  await page.waitForSelector('.toast[data-code="invalid_input"]');
  assert.match(await page.textContent('.toast[data-code="invalid_input"]'), /dangerouslyAllowBrowser/);
  await page.check("#optin");
  await page.click("#connect");
  await page.waitForSelector("#account:not([hidden])");
  assert.equal(await page.textContent("#balance"), "$65.00");
  await page.waitForFunction(() => document.querySelectorAll("#orders tbody tr").length === 10);
  await page.click("#next");
  await page.waitForFunction(() => document.querySelector("#page").textContent.startsWith("11"));
  await page.click("#prev");
  await page.selectOption("#status", "active");
  await page.waitForFunction(() => document.querySelectorAll("#orders tbody tr").length === 2);
  const row = 'tr[data-order-id="1024"]';
  await page.fill(`${row} input.tag`, "vip");
  await page.click(`${row} .save-tag`);
  await page.waitForSelector('.toast.ok:has-text("Tag of 1024 saved")');
  await page.click(`${row} input.auto`);
  await page.waitForSelector('.toast.ok:has-text("Auto-renewal on")');
  await page.click(`${row} input.auto`);
  await page.waitForSelector('.toast.ok:has-text("Auto-renewal off")');
  // Proxies with hidden passwords.
  await page.click(`${row} .open`);
  await page.waitForFunction(() => document.querySelectorAll("#proxies tbody tr").length === 3);
  assert.equal(await page.textContent("#proxies .password"), "••••••••");
  await page.click("#proxies .reveal");
  assert.notEqual(await page.textContent("#proxies .password"), "••••••••");
  await page.click("#proxies .reveal");
  // Sub-users with their traffic; one more; then one the package cannot cover: the vendor's
  // refusal is a toast with its typed code.
  await page.waitForFunction(() => document.querySelectorAll("#subusers tbody tr").length === 1);
  assert.match(await page.textContent("#subusers tbody"), /client-seed.*4\.00 GB/);
  await page.fill("#new-sub", "client-a");
  await page.fill("#new-sub-gb", "2");
  await page.click("#add-sub");
  await page.waitForFunction(() => document.querySelectorAll("#subusers tbody tr").length === 2);
  await page.fill("#new-sub-gb", "100");
  await page.click("#add-sub");
  await page.waitForSelector('.toast[data-code="api"]:has-text("Not enough traffic")');
  await page.screenshot({ path: `${SHOTS}panel.png`, fullPage: true });
  // Three weeks later the order (it had 20 days left) is on hold and can be renewed.
  await page.selectOption("#status", "all");
  await page.click("#advance");
  await page.waitForSelector('.toast.ok:has-text("21 days")');
  await page.selectOption("#status", "on-hold");
  await page.waitForSelector(`${row} .renew:not([disabled])`);
  await page.click(`${row} .renew`);
  await page.waitForSelector('.toast.ok:has-text("renewed")');
  assert.equal(await page.textContent("#balance"), "$59.90");
  // Proxy-Solutions: access data change.
  await page.selectOption("#provider", "ps");
  await page.click("#connect");
  await page.waitForFunction(() => document.querySelector("#balance").textContent.includes("not readable"));
  await page.selectOption("#status", "all");
  await page.waitForSelector('tr[data-order-id="10000"]');
  await page.click('tr[data-order-id="10000"] .open');
  await page.waitForSelector("#access:not([hidden])");
  await page.fill("#access-port", "8100");
  await page.click("#access-save");
  await page.waitForSelector('.toast.ok:has-text("Access of 10000 saved")');
  assert.equal(await page.inputValue("#access-port"), "8100");
  assert.deepEqual(errors, []);
  await page.close();
  await api.close();
});

test("keyless storefront: proxykit/server on the page's origin; no request carries a key or leaves the origin", { timeout: 90_000 }, async () => {
  // serve.mjs with a backend: the handler at /proxykit, in front of a sandbox server.
  const api = await startSandboxServer({ port: 0, maxRequests: 2_000, ttlSeconds: 120 });
  const keyless = await startExamplesServer({
    vendor: {
      proxykit: dirname(require.resolve("proxykit/package.json")),
      "proxykit-sandbox": dirname(fileURLToPath(import.meta.resolve("proxykit-sandbox/web"))),
    },
    backend: {
      proxySolutions: { apiKey: "sandbox-ps-key", baseUrl: `${api.url}/api` },
      proxyShard: { apiKey: "sandbox-shard-key", baseUrl: api.url },
    },
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push({ url: r.url(), headers: r.headers() }));
  try {
    await page.goto(`${keyless.url}/storefront/?server=1`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
    assert.match(await page.textContent(".badge"), /KEYLESS/);
    // Both sellers' offers, ProxyShard's included: it has no public call, the handler adds the key.
    const sellers = await page.$$eval("#offer-table tbody tr", (rows) => rows.map((r) => r.dataset.provider));
    assert.ok(sellers.includes("proxy_solutions") && sellers.includes("proxyshard"), `offers from both sellers: ${[...new Set(sellers)]}`);
    // A live price and a checkout on each provider, through the handler (checkout needs the
    // page's session cookie: the handler's authorize hook).
    await page.selectOption("#merchant", "balance");
    await page.selectOption("#service", "4");
    await page.waitForFunction(() => document.querySelector("#location").options.length > 0);
    await page.fill("#quantity", "3");
    await page.selectOption("#period", "60");
    await page.waitForFunction(() => /USD/.test(document.querySelector("#price").textContent) && !document.querySelector("#checkout").disabled);
    await page.click("#checkout");
    await page.waitForSelector("#result.result");
    assert.match(await page.textContent("#result"), /paid from the API balance/);
    await page.selectOption("#provider", "shard");
    await page.waitForFunction(() => document.querySelector("#product").options.length > 0);
    await page.selectOption("#product", "Datacenter Proxy");
    await page.selectOption("#shard-location", "US");
    await page.waitForFunction(() => /\$/.test(document.querySelector("#price").textContent) && !document.querySelector("#checkout").disabled);
    await page.click("#checkout");
    await page.waitForFunction(() => /Order \d+ paid from the wallet\.$/.test(document.querySelector("#result").textContent));
    await page.screenshot({ path: `${SHOTS}storefront-keyless.png`, fullPage: true });
    // A non-exposed operation, asked from the page: refused by the handler.
    const refused = await page.evaluate(async () => {
      const { ProxyShardClient } = await import("proxykit/web/market");
      const e = await new ProxyShardClient({ baseUrl: `${location.origin}/proxykit/proxyshard`, keyOnServer: true }).getMe().catch((x) => x);
      return { code: e.code, status: e.status, body: JSON.stringify(e.body) };
    });
    assert.equal(refused.code, "not_found");
    assert.match(refused.body, /not_exposed/);
    // What the page sent: everything to its own origin, nothing with a key.
    const apiOrigin = new URL(api.url).origin;
    assert.ok(requests.length > 10, `${requests.length} requests`);
    for (const r of requests) {
      assert.equal(new URL(r.url).origin, keyless.url, `left the origin: ${r.url}`);
      assert.notEqual(new URL(r.url).origin, apiOrigin);
      const sent = JSON.stringify(r.headers).toLowerCase();
      for (const secret of ["sandbox-ps-key", "sandbox-shard-key", "x-api-key", "authorization"]) assert.ok(!sent.includes(secret), `${secret} in ${r.url}`);
    }
    const toHandler = requests.filter((r) => new URL(r.url).pathname.startsWith("/proxykit/"));
    assert.ok(toHandler.length >= 6, `${toHandler.length} calls through the handler`);
    // The sandbox saw every call with the server's key.
    assert.ok(api.sandbox.log().entries.every((e) => e.credentials.length === 1), "each vendor request carried exactly one credential header");
    assert.deepEqual(errors, []);
    console.log(`[examples] keyless storefront: ${requests.length} page requests, ${toHandler.length} through proxykit/server, none with a key or to the vendor; getMe refused (not_exposed)`);
  } finally {
    await page.close();
    await keyless.close();
    await api.close();
  }
});
