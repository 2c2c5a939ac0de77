// Redirects in a real page (headless Debian Chromium through playwright-core): with
// `redirect: "manual"` a browser hands back an opaque-redirect Response (status 0, type
// "opaqueredirect", no Location), so proxykit/web rejects with code "redirect", status 0,
// location null — and the other origin the 3xx pointed at never sees a request, so the API
// key (ProxyShard's Bearer, Proxy-Solutions' X-API-KEY or a custom authHeader) never reaches it.
// Three local servers on three ports: the page's site, the API (CORS, answers 3xx) and the
// other origin (CORS, records everything, preflights included).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, startPageSite } from "./chromium.mjs";
import { startRecorder, redirectingServer, credentialHeaders } from "./callpath-servers.mjs";

const KEY = "test-key-not-secret/+=&<\"'";
const STATUSES = [301, 302, 303, 307, 308];
const CUSTOM_AUTH = { authHeader: "X-Custom-Auth", authPrefix: "Token" };

// Each call has its own path, so the API server's log shows how often each one was sent.
const PAGE = `<!doctype html>
<script type="importmap">{"imports": {"proxykit/web": "/proxykit/web/index.js"}}</script>
<script type="module">
  import { init, ProxyShardClient, ProxySolutionsClient, isProxykitError } from "proxykit/web";
  const q = new URLSearchParams(window.location.search);
  const api = q.get("api");
  const KEY = ${JSON.stringify(KEY)};
  const out = { results: [], modes: [] };
  try {
    await init();
    const shape = (e) => ({
      isError: e instanceof Error, guard: isProxykitError(e), name: e?.name, code: e?.code, status: e?.status,
      location: e === null || typeof e !== "object" ? "n/a" : ("location" in e ? e.location : "missing"),
      attempts: e?.attempts, applied: e?.mayHaveBeenApplied, operation: e?.operation, message: String(e?.message ?? e).slice(0, 200),
    });
    const forwarding = (url, init) => {
      out.modes.push(init?.redirect);
      return fetch(url, init);
    };
    for (const status of ${JSON.stringify(STATUSES)}) {
      const base = api + "/r-" + status + "-abs";
      const shard = new ProxyShardClient({ apiKey: KEY, dangerouslyAllowBrowser: true, baseUrl: base });
      const ps = new ProxySolutionsClient({ apiKey: KEY, dangerouslyAllowBrowser: true, baseUrl: base + "/api" });
      const psCustom = new ProxySolutionsClient({ apiKey: KEY, dangerouslyAllowBrowser: true, baseUrl: base + "/api", ...${JSON.stringify(CUSTOM_AUTH)} });
      const viaCustom = new ProxyShardClient({ apiKey: KEY, dangerouslyAllowBrowser: true, baseUrl: base, fetch: forwarding });
      const calls = [
        ["getMe", "getMe", () => shard.getMe()],
        ["purchaseOrder", "purchaseOrder", () => shard.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 })],
        ["ps listOrders", "listOrders", () => ps.listOrders()],
        ["ps chargeOrder (custom authHeader)", "chargeOrder", () => psCustom.chargeOrder({ order_id: 10000, merchant: "balance", currency: "USD" })],
        ["getOrder via a custom fetch", "getOrder", () => viaCustom.getOrder({ id: 4242 })],
      ];
      for (const [label, operation, call] of calls) {
        const r = await call().then((v) => ({ resolved: v }), (e) => shape(e));
        out.results.push({ ...r, sentStatus: status, label, expectedOperation: operation });
      }
    }
  } catch (e) {
    out.pageError = String(e && e.stack || e);
  }
  window.__result = out;
</script>`;

let site;
let browser;
before(async () => {
  site = await startPageSite(PAGE);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r()));
});

test("in a Chromium page a 3xx is an opaque redirect: code redirect, status 0, location null, sent once, and the other origin sees no request", { timeout: 60_000 }, async () => {
  const other = await startRecorder(null, { maxRequests: 200, ttlSeconds: 60 });
  const api = await redirectingServer(other, { maxRequests: 200 });
  const page = await browser.newPage();
  const diag = [];
  page.on("pageerror", (e) => diag.push(`pageerror: ${e}`));
  page.on("console", (m) => diag.push(`console.${m.type()}: ${m.text()}`));
  try {
    await page.goto(`http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(api.url)}`);
    const result = await page
      .waitForFunction(() => window.__result, null, { timeout: 40_000 })
      .then((h) => h.jsonValue())
      .catch((e) => {
        throw new Error(`page did not finish: ${e.message}\n${diag.join("\n")}`);
      });
    assert.equal(result.pageError, undefined, `the page failed: ${result.pageError}\n${diag.join("\n")}`);
    assert.equal(result.results.length, STATUSES.length * 5, "every call ran");
    for (const r of result.results) {
      const what = `${r.sentStatus} ${r.label}`;
      assert.equal(r.resolved, undefined, `${what}: resolved instead of rejecting: ${JSON.stringify(r.resolved)}`);
      assert.ok(r.isError && r.guard && r.name === "ProxykitError", `${what}: a ProxykitError: ${JSON.stringify(r)}`);
      assert.equal(r.code, "redirect", `${what}: code ${r.code}: ${r.message}`);
      assert.equal(r.status, 0, `${what}: status of an opaque redirect`);
      assert.equal(r.location, null, `${what}: location (a browser hides the Location of an opaque redirect)`);
      assert.equal(r.attempts, 1, `${what}: attempts`);
      assert.equal(r.operation, r.expectedOperation, `${what}: operation`);
      const read = ["getMe", "listOrders", "getOrder"].includes(r.expectedOperation);
      assert.equal(r.applied, !read, `${what}: mayHaveBeenApplied`);
    }
    assert.deepEqual([...new Set(result.modes)], ["manual"], "the custom fetch was asked for redirect: \"manual\"");
    // Each call reached the API once (plus its CORS preflight).
    const sent = {};
    for (const c of api.calls()) sent[`${c.method} ${c.path}`] = (sent[`${c.method} ${c.path}`] ?? 0) + 1;
    const expected = {};
    for (const s of STATUSES) {
      const b = `/r-${s}-abs`;
      Object.assign(expected, {
        [`GET ${b}/user/api/me`]: 1,
        [`POST ${b}/user/api/orders/purchase`]: 1,
        [`GET ${b}/api/user/orders`]: 1,
        [`POST ${b}/api/user/orders/10000/charge`]: 1,
        [`GET ${b}/user/api/orders/4242`]: 1,
      });
    }
    assert.deepEqual(sent, expected, "requests that reached the API server");
    const carried = new Set(api.calls().flatMap((c) => credentialHeaders(c, [CUSTOM_AUTH.authHeader])));
    assert.deepEqual([...carried].sort(), ["authorization", "x-api-key", "x-custom-auth"], "the API server got each kind of key");
    assert.deepEqual(
      other.requests.map((r) => `${r.method} ${r.path} [${credentialHeaders(r, [CUSTOM_AUTH.authHeader]).join(",")}]`),
      [],
      "the other origin saw no request at all (no preflight either), so no key",
    );
  } finally {
    await page.close();
    await api.close();
    await other.close();
  }
});
