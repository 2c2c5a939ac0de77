// proxykit-sandbox, installed from its tarball and imported by name: the one-command server
// (its bin), the in-process fetch in Node and in a Chromium page, CORS, and fault injection
// as proxykit's typed errors see it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { createSandbox, startSandboxServer } from "proxykit-sandbox";

const require = createRequire(import.meta.url);
const BIN = fileURLToPath(new URL("./node_modules/.bin/proxykit-sandbox", import.meta.url));
const PS_KEY = "sandbox-ps-key";
const SHARD_KEY = "sandbox-shard-key";

function run(args, { until, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const done = (v) => {
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out: ${out}`));
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      out += d;
      const m = until && out.match(until);
      if (m) done({ child, out, match: m });
    });
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => done({ code, out }));
  });
}

test("the sandbox starts with one command, answers both APIs with CORS, and stops on SIGTERM", async () => {
  const { child, out } = await run(["--port", "0", "--quiet", "--ttl-seconds", "30"], { until: /control: /m });
  try {
    const url = out.match(/listening on (http:\S+)/)[1];
    assert.match(out, /Proxy-Solutions: baseUrl http:\S+\/api {2}apiKey sandbox-ps-key/);
    const live = await fetch(`${url}/health/live`);
    assert.equal(await live.text(), "OK");
    assert.equal(live.headers.get("access-control-allow-origin"), "*");
    const pre = await fetch(`${url}/user/api/me`, { method: "OPTIONS", headers: { "access-control-request-headers": "authorization" } });
    assert.equal(pre.status, 204);
    const me = await new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: url }).getMe();
    assert.equal(me.wallet_balance, 10_000);
    const { merchants } = await new ProxySolutionsClient({ baseUrl: `${url}/api` }).listMerchants();
    assert.ok(merchants.some((m) => m.code === "interkassa"));
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  }
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /--fault-rate/);
  const bad = await run(["--bogus"]);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /unknown option --bogus/);
});

test("in-process: a proxykit client runs on the sandbox's fetch with no server", async () => {
  const sb = createSandbox({ seed: 11 });
  const shard = new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: "https://user-api.proxyshard.com", fetch: sb.fetch });
  const { order_id } = await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 2 });
  const { data } = await shard.listActiveProxies({ order_id });
  assert.equal(data.length, 2);
  assert.match(data[0].ip, /^198\.1[89]\./);
  const ps = new ProxySolutionsClient({ apiKey: PS_KEY, fetch: sb.fetch });
  const { orders } = await ps.createOrder({ service_id: 1, location_id: 2, quantity: 5 });
  const pay = await ps.chargeOrder({ order_id: orders[0].id, merchant: "cryptomus", currency: "EUR" });
  assert.deepEqual(sb.pay(pay.payment.url), { paid: true, order_id: orders[0].id });
  const after = (await ps.listOrders()).orders.find((o) => o.id === orders[0].id);
  assert.equal(after.status, "active");
  assert.equal(after.proxies.length, 5);
  // Same seed, same world.
  const again = createSandbox({ seed: 11 });
  const shard2 = new ProxyShardClient({ apiKey: SHARD_KEY, fetch: again.fetch });
  const b = await shard2.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 2 });
  assert.deepEqual((await shard2.listActiveProxies({ order_id: b.order_id })).data, data);
  const log = sb.log();
  assert.deepEqual(log.counts.proxyShard.purchaseOrder, { received: 1, reached: 1 });
  assert.equal(log.entries[0].operation, "purchaseOrder");
  sb.free();
  again.free();
});

test("fault injection over HTTP: each fault reaches proxykit as its typed error, and the log tells what reached the server", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 200, ttlSeconds: 60 });
  try {
    const shard = new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url });
    const sb = server.sandbox;
    // One attempt each (retries: 0): this test is about how each fault surfaces.
    const expect = async (kind, check, options = {}) => {
      sb.setFaults({ rate: 1, kinds: [kind], operations: ["getMe"], slowMs: 1500 });
      const e = await shard.getMe({}, { retries: 0, ...options }).then((v) => ({ resolved: v }), (x) => x);
      if (!e.resolved) assert.equal(e.attempts, 1, kind);
      check(e);
      return e;
    };
    await expect("503", (e) => assert.deepEqual([e.code, e.status], ["api", 503]));
    await expect("429", (e) => assert.deepEqual([e.code, e.status], ["api", 429]));
    await expect("html", (e) => assert.deepEqual([e.code, e.status], ["api", 502]));
    await expect("drop", (e) => assert.equal(e.code, "network"));
    await expect("drop-after", (e) => assert.equal(e.code, "network"));
    await expect("truncate", (e) => assert.deepEqual([e.code, e.status], ["decode", 200]));
    await expect("not-json", (e) => assert.deepEqual([e.code, e.status], ["decode", 200]));
    await expect("slow", (e) => assert.equal(e.code, "timeout"), { timeout: 300 });
    const slow = await expect("slow", (e) => assert.equal(e.resolved?.wallet_balance, 10_000));
    assert.ok(slow);
    const r = await fetch(`${server.url}/user/api/proxies/products`, { headers: { authorization: `Bearer ${SHARD_KEY}`, "x-sandbox-fault": "429" } });
    assert.equal(r.headers.get("retry-after"), "1");
    sb.setFaults({});
    const log = await (await fetch(`${server.url}/__sandbox/log`)).json();
    const faults = log.entries.filter((x) => x.operation === "getMe").map((x) => [x.fault, x.reached]);
    assert.deepEqual(faults, [
      ["503", false], ["429", false], ["html", false], ["drop", false], ["drop-after", true],
      ["truncate", true], ["not-json", true], ["slow", true], ["slow", true],
    ]);
  } finally {
    await server.close();
  }
});

const PAGE = `<!doctype html>
<script type="importmap">{"imports": {"proxykit/web": "/proxykit/web/index.js", "proxykit-sandbox/web": "/sandbox/web.mjs"}}</script>
<script type="module">
  import { init, ProxyShardClient, ProxySolutionsClient } from "proxykit/web";
  import { init as initSandbox, createSandbox } from "proxykit-sandbox/web";
  const out = {};
  try { createSandbox(); } catch (e) { out.beforeInit = e.message; }
  await Promise.all([init(), initSandbox()]);
  const sb = createSandbox({ seed: 5 });
  const shard = new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, fetch: sb.fetch });
  const bought = await shard.purchaseOrder({ product: "Datacenter Proxy", location: "US", cycle: "monthly", quantity: 2 });
  await shard.setOrderTag({ id: bought.order_id, tag: "in-page" });
  out.detail = (await shard.getOrder({ id: bought.order_id })).order;
  const ps = new ProxySolutionsClient({ fetch: sb.fetch });
  out.price = await ps.calculatePrice({ service_id: 4, quantity: 2, period: 30 });
  sb.setFaults({ rate: 1, kinds: ["slow"], slowMs: 5000 });
  out.timeout = (await shard.getMe({}, { timeout: 100 }).catch((e) => e)).code;
  const ctl = new AbortController();
  const pending = shard.getMe({}, { signal: ctl.signal }).catch((e) => e);
  ctl.abort();
  out.aborted = (await pending).code;
  // Retries and their waits in the page: a read retried twice, a purchase sent once.
  sb.setFaults({ rate: 1, kinds: ["503"], operations: ["getMe", "purchaseOrder"] });
  const r = await shard.getMe({}, { retries: 2 }).catch((e) => e);
  const m = await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly" }).catch((e) => e);
  out.retry = { code: r.code, status: r.status, attempts: r.attempts, applied: r.mayHaveBeenApplied, moneyAttempts: m.attempts };
  const ctl2 = new AbortController();
  const waiting = new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, fetch: sb.fetch, retryDelay: 5000 }).getMe({}, { signal: ctl2.signal }).catch((e) => e);
  setTimeout(() => ctl2.abort(), 100);
  const t0 = performance.now();
  out.abortDuringWait = { code: (await waiting).code, fast: performance.now() - t0 < 2000 };
  sb.setFaults({});
  out.counts = sb.log().counts;
  // The HTTP sandbox from another origin (CORS).
  const api = new URLSearchParams(location.search).get("api");
  out.remote = await new ProxyShardClient({ apiKey: "${SHARD_KEY}", dangerouslyAllowBrowser: true, baseUrl: api }).getMe();
  window.__result = out;
</script>`;

let site;
let browser;
let remote;
before(async () => {
  const pkgDir = dirname(require.resolve("proxykit/package.json"));
  const sandboxDir = dirname(fileURLToPath(import.meta.resolve("proxykit-sandbox/web")));
  const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const serve = async (res, root, rel) => {
    rel = normalize(rel);
    if (rel.startsWith("..")) return false;
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { "content-type": TYPES[rel.slice(rel.lastIndexOf("."))] || "application/octet-stream" });
      res.end(body);
      return true;
    } catch {
      return false;
    }
  };
  site = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(PAGE);
    }
    if (path.startsWith("/proxykit/") && (await serve(res, pkgDir, path.slice(10)))) return;
    if (path.startsWith("/sandbox/") && (await serve(res, sandboxDir, path.slice(9)))) return;
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  remote = await startSandboxServer({ port: 0, maxRequests: 50, ttlSeconds: 60 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await remote?.close();
  await new Promise((r) => (site ? site.close(r) : r()));
});

test("in a Chromium page: the in-process sandbox serves proxykit/web with no backend; the HTTP sandbox answers cross-origin", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => errors.push(`console.${m.type()}: ${m.text()}`));
  await page.goto(`http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(remote.url)}`);
  const result = await page
    .waitForFunction(() => window.__result, null, { timeout: 20_000 })
    .then((h) => h.jsonValue())
    .catch((e) => {
      throw new Error(`page did not finish: ${e.message}\n${errors.join("\n")}`);
    });
  assert.match(result.beforeInit, /await init\(\)/);
  assert.equal(result.detail.tag, "in-page");
  assert.equal(result.detail.quantity, 2);
  assert.equal(result.price.amount, 3.62);
  assert.equal(result.timeout, "timeout");
  assert.equal(result.aborted, "aborted");
  assert.deepEqual(result.retry, { code: "api", status: 503, attempts: 3, applied: true, moneyAttempts: 1 });
  assert.deepEqual(result.abortDuringWait, { code: "aborted", fast: true });
  assert.deepEqual(result.counts.proxyShard.purchaseOrder, { received: 2, reached: 1 }, "the faulted purchase was sent once and never reached the server");
  assert.equal(result.remote.wallet_balance, 10_000);
  await page.close();
});
