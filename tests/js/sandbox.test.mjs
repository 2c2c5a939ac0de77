// proxykit-sandbox, installed from its tarball and imported by name: the one-command server
// (its bin), the in-process fetch in Node and in a Chromium page, CORS, fault injection as
// proxykit's typed errors see it, and the server's defences (loopback Host names only, CORS
// for loopback origins only, checked options, bounded clock, the last reply delivered).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
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

/** One request over a fresh connection to 127.0.0.1, with any headers (Host included). */
function raw(url, { method = "GET", path = "/", headers = {}, body } = {}) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent: false, timeout: 5_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

const LOOPBACK_PAGE = "http://127.0.0.1:5173";

test("the sandbox starts with one command, answers both APIs with CORS, and stops on SIGTERM", async () => {
  const { child, out } = await run(["--port", "0", "--quiet", "--ttl-seconds", "30"], { until: /control: /m });
  try {
    const url = out.match(/listening on (http:\S+)/)[1];
    assert.match(out, /Proxy-Solutions: baseUrl http:\S+\/api {2}apiKey sandbox-ps-key/);
    const live = await fetch(`${url}/health/live`, { headers: { origin: LOOPBACK_PAGE } });
    assert.equal(await live.text(), "OK");
    assert.equal(live.headers.get("access-control-allow-origin"), LOOPBACK_PAGE);
    const pre = await fetch(`${url}/user/api/me`, {
      method: "OPTIONS",
      headers: { origin: LOOPBACK_PAGE, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), LOOPBACK_PAGE);
    assert.equal(pre.headers.get("access-control-allow-headers"), "authorization");
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
    await expect("503", (e) => assert.deepEqual([e.code, e.status], ["server_error", 503]));
    await expect("429", (e) => assert.deepEqual([e.code, e.status], ["rate_limited", 429]));
    await expect("html", (e) => assert.deepEqual([e.code, e.status], ["server_error", 502]));
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

test("a /__fault/<kind> base URL gives every call that fault; the log keeps bodies and names credential headers", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 100, ttlSeconds: 60 });
  try {
    // Clients on the global fetch cannot add x-sandbox-fault; their base URL can carry it.
    const faulty = (kind) => new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: `${server.url}/__fault/${kind}` });
    const e503 = await faulty("503").getMe({}, { retries: 0 }).catch((x) => x);
    assert.deepEqual([e503.code, e503.status], ["server_error", 503]);
    const missing = await faulty("missing-fields").getMe().catch((x) => x);
    assert.equal(missing.code, "decode");
    assert.match(missing.message, /email/);
    const ps = new ProxySolutionsClient({ apiKey: PS_KEY, baseUrl: `${server.url}/__fault/missing-fields/api` });
    const merchants = await ps.listMerchants().catch((x) => x);
    assert.equal(merchants.code, "decode");
    assert.match(merchants.message, /name/);
    const shard = new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url });
    const buy = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2 };
    await shard.purchaseOrder(buy);
    await shard.health();
    const entries = server.sandbox.log().entries;
    assert.deepEqual(entries.map((e) => [e.path, e.operation, e.fault, e.credentials]), [
      ["/__fault/503/user/api/me", "getMe", "503", ["authorization"]],
      ["/__fault/missing-fields/user/api/me", "getMe", "missing-fields", ["authorization"]],
      ["/__fault/missing-fields/api/merchants", "listMerchants", "missing-fields", ["x-api-key"]],
      ["/user/api/orders/purchase", "purchaseOrder", null, ["authorization"]],
      ["/health", "health", null, []],
    ]);
    assert.deepEqual(entries[3].body, buy, "the body the client sent");
    assert.equal(entries[4].body, null);
    assert.ok(!JSON.stringify(entries).includes(SHARD_KEY) && !JSON.stringify(entries).includes(PS_KEY), "names, never keys");
  } finally {
    await server.close();
  }
  // The in-process fetch reads the same prefix.
  const sb = createSandbox();
  const c = new ProxyShardClient({ apiKey: SHARD_KEY, fetch: sb.fetch, baseUrl: "https://sandbox.invalid/__fault/not-json" });
  const e = await c.getMe().catch((x) => x);
  assert.deepEqual([e.code, e.status], ["decode", 200]);
  assert.equal(sb.log().entries[0].fault, "not-json");
  sb.free();
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
  assert.deepEqual(result.retry, { code: "server_error", status: 503, attempts: 3, applied: true, moneyAttempts: 1 });
  assert.deepEqual(result.abortDuringWait, { code: "aborted", fast: true });
  assert.deepEqual(result.counts.proxyShard.purchaseOrder, { received: 2, reached: 1 }, "the faulted purchase was sent once and never reached the server");
  assert.equal(result.remote.wallet_balance, 10_000);
  await page.close();
});

// ------------------------------------------------------------------ the server's defences

const SHARD_AUTH = { authorization: `Bearer ${SHARD_KEY}` };

test("the server answers only loopback Host names: others get a 403 and never reach the emulator (DNS rebinding)", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 80, ttlSeconds: 30 });
  try {
    const { url, port, sandbox } = server;
    // A state change first, so that a reset that got through would show.
    const step = await raw(url, { method: "POST", path: "/__sandbox/advance", headers: { host: `127.0.0.1:${port}`, "content-type": "application/json" }, body: '{"days":1}' });
    assert.equal(step.status, 200, step.body);
    const before = { now: sandbox.now(), total: sandbox.log().total };
    assert.equal(before.now, "2026-01-02T00:00:00Z");
    for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1.evil.example", `localhost.evil.example:${port}`, "10.0.0.1", "127.1", "[::2]", "localhost.", "sandbox.invalid"]) {
      for (const [method, path, body] of [
        ["POST", "/__sandbox/reset", ""],
        ["POST", "/__sandbox/advance", '{"days":5}'],
        ["POST", "/user/api/orders/purchase", '{"product":"Datacenter Proxy","location":"DE","cycle":"monthly","quantity":1}'],
      ]) {
        const r = await raw(url, { method, path, body, headers: { host, ...SHARD_AUTH, "content-type": "application/json" } });
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.match(r.headers["content-type"], /application\/json/);
        const why = JSON.parse(r.body);
        assert.equal(why.success, false);
        assert.match(why.message, /not a loopback name.*--allow-host/, host);
      }
    }
    // No Host at all (HTTP/1.0; Node itself answers 400 to an HTTP/1.1 request without one).
    const noHost = await new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => s.end("POST /__sandbox/reset HTTP/1.0\r\ncontent-length: 0\r\n\r\n"));
      let text = "";
      s.setTimeout(5_000, () => s.destroy(new Error("timed out")));
      s.on("data", (d) => (text += d));
      s.on("end", () => resolve(text));
      s.on("error", reject);
    });
    assert.match(noHost, /^HTTP\/1\.[01] 403 /);
    assert.match(noHost, /no Host header/);
    assert.deepEqual({ now: sandbox.now(), total: sandbox.log().total }, before, "nothing reached the emulator");
    assert.equal((await raw(url, { path: "/user/api/me", headers: { host: `127.0.0.1:${port}`, ...SHARD_AUTH } })).body.includes('"wallet_balance":10000'), true);

    // Loopback names, with or without a port, in any case.
    for (const host of [`127.0.0.1:${port}`, "127.0.0.1", "127.8.9.10", `localhost:${port}`, "LOCALHOST", `app.localhost:${port}`, "a.b.localhost", `[::1]:${port}`, "[::1]"]) {
      const r = await raw(url, { path: "/__sandbox/clock", headers: { host } });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
      assert.equal(JSON.parse(r.body).now, "2026-01-02T00:00:00Z");
    }
  } finally {
    await server.close();
  }
  // allowedHosts widens it, by name or name:port; the bound name is accepted too.
  const wide = await startSandboxServer({ port: 0, maxRequests: 10, ttlSeconds: 30, allowedHosts: ["Sandbox.Test", "other.test:1234"] });
  try {
    const clock = (host) => raw(wide.url, { path: "/__sandbox/clock", headers: { host } }).then((r) => r.status);
    assert.deepEqual(
      await Promise.all(["sandbox.test", "sandbox.test:8787", "other.test:1234", "other.test", "other.test:1235", "evil.example"].map(clock)),
      [200, 200, 200, 403, 403, 403],
    );
  } finally {
    await wide.close();
  }
  const { child, out } = await run(["--port", "0", "--quiet", "--ttl-seconds", "20", "--allow-host", "sandbox.test", "--allow-host", "other.test"], { until: /control: /m });
  try {
    const url = out.match(/listening on (http:\S+)/)[1];
    const statuses = [];
    for (const host of ["sandbox.test", "other.test:9", "evil.example", "localhost"]) statuses.push((await raw(url, { path: "/__sandbox/clock", headers: { host } })).status);
    assert.deepEqual(statuses, [200, 200, 403, 200]);
  } finally {
    child.kill("SIGTERM");
  }
});

test("CORS: reflected for loopback origins only by default; other origins are refused; corsOrigins and --cors-origin widen it", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 60, ttlSeconds: 30 });
  try {
    const { url, sandbox } = server;
    const me = (origin, method = "GET") =>
      fetch(`${url}/user/api/me`, {
        method,
        headers: method === "OPTIONS"
          ? { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" }
          : { origin, ...SHARD_AUTH },
      });
    for (const origin of [LOOPBACK_PAGE, "http://localhost:3000", "https://localhost", "http://app.localhost:8080", "http://[::1]:4000", "http://127.2.3.4"]) {
      const r = await me(origin);
      assert.equal(r.status, 200, origin);
      assert.equal(r.headers.get("access-control-allow-origin"), origin);
      assert.match(r.headers.get("vary"), /origin/i);
      const pre = await me(origin, "OPTIONS");
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get("access-control-allow-origin"), origin);
      assert.match(pre.headers.get("access-control-allow-methods"), /POST/);
      assert.equal(pre.headers.get("access-control-allow-headers"), "authorization");
    }
    const reached = sandbox.log().total;
    for (const origin of ["http://evil.example", "http://127.0.0.1.evil.example", "http://localhost.evil.example:3000", "null", "http://10.0.0.1"]) {
      for (const method of ["GET", "OPTIONS"]) {
        const r = await me(origin, method);
        assert.equal(r.status, 403, `${origin} ${method}`);
        assert.equal(r.headers.get("access-control-allow-origin"), null, origin);
        assert.equal(r.headers.get("access-control-allow-methods"), null);
        assert.equal(r.headers.get("access-control-allow-headers"), null);
        assert.match((await r.json()).message, /--cors-origin/);
      }
    }
    const reset = await fetch(`${url}/__sandbox/reset`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "text/plain" } });
    assert.equal(reset.status, 403, "a page elsewhere cannot drive the control routes");
    assert.equal(sandbox.log().total, reached, "refused requests never reached the emulator");
    // No Origin (a server-side client): answered, no CORS headers.
    const plain = await fetch(`${url}/health/live`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("access-control-allow-origin"), null);
    // The 413 reply follows the same rule (it used to say `*`).
    const big = "x".repeat(10 * 1024 * 1024 + 1);
    const tooBig = await raw(url, { method: "POST", path: "/user/api/orders/purchase", headers: { host: "127.0.0.1", origin: LOOPBACK_PAGE }, body: big }).catch((e) => e);
    if (!(tooBig instanceof Error)) {
      assert.equal(tooBig.status, 413);
      assert.equal(tooBig.headers["access-control-allow-origin"], LOOPBACK_PAGE);
    }
    const tooBigElsewhere = await raw(url, { method: "POST", path: "/user/api/orders/purchase", headers: { host: "127.0.0.1" }, body: big }).catch((e) => e);
    if (!(tooBigElsewhere instanceof Error)) {
      assert.equal(tooBigElsewhere.status, 413);
      assert.equal(tooBigElsewhere.headers["access-control-allow-origin"], undefined);
    }
    assert.ok(!(tooBig instanceof Error) || !(tooBigElsewhere instanceof Error), "at least one 413 reply arrived");
  } finally {
    await server.close();
  }
  // The option widens it to exact origins.
  const wide = await startSandboxServer({ port: 0, maxRequests: 10, ttlSeconds: 30, corsOrigins: ["https://app.example"] });
  try {
    const acao = async (origin) => (await fetch(`${wide.url}/health/live`, { headers: { origin } })).headers.get("access-control-allow-origin");
    assert.equal(await acao("https://app.example"), "https://app.example");
    assert.equal(await acao(LOOPBACK_PAGE), LOOPBACK_PAGE);
    assert.equal(await acao("https://app.example.evil"), null);
  } finally {
    await wide.close();
  }
  // And the CLI flag, repeatable; `*` opens it to every origin.
  for (const [flags, origin, expected] of [
    [["--cors-origin", "https://app.example", "--cors-origin", "http://other.example:8080"], "http://other.example:8080", "http://other.example:8080"],
    [["--cors-origin", "*"], "http://evil.example", "*"],
  ]) {
    const { child, out } = await run(["--port", "0", "--quiet", "--ttl-seconds", "20", ...flags], { until: /control: /m });
    try {
      const url = out.match(/listening on (http:\S+)/)[1];
      const r = await fetch(`${url}/health/live`, { headers: { origin } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("access-control-allow-origin"), expected);
      const other = await fetch(`${url}/health/live`, { headers: { origin: "http://third.example" } });
      assert.equal(other.headers.get("access-control-allow-origin"), expected === "*" ? "*" : null);
    } finally {
      child.kill("SIGTERM");
    }
  }
});

test("options are checked: the CLI exits 2 with the reason, startSandboxServer throws; a small TTL still stops the server", async () => {
  for (const [args, reason] of [
    [["--ttl-seconds", "2147484"], /--ttl-seconds: expected seconds above 0 and at most 2147483/],
    [["--ttl-seconds", "0"], /--ttl-seconds: expected/],
    [["--ttl-seconds", "1e3"], /--ttl-seconds: expected/],
    [["--port", "70000"], /--port: expected an integer from 0 to 65535/],
    [["--port", "80.5"], /--port: expected/],
    [["--port", ""], /--port: expected/],
    [["--seed", "-1"], /--seed: expected a whole number/],
    [["--seed", "9007199254740992"], /--seed: expected a whole number from 0 to 9007199254740991/],
    [["--max-requests", "0"], /--max-requests: expected a positive whole number/],
    [["--max-requests", "2.5"], /--max-requests: expected/],
    [["--fault-rate", "1.5"], /--fault-rate: expected a number from 0 to 1/],
    [["--cors-origin", "http://app.example/"], /corsOrigins: "http:\/\/app\.example\/" is not an origin/],
    [["--port"], /--port needs a value/],
  ]) {
    const r = await run(args, { timeoutMs: 5_000 });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.out}`);
    assert.match(r.out, reason, args.join(" "));
  }
  for (const [options, reason] of [
    [{ port: 70000 }, /port: expected an integer from 0 to 65535/],
    [{ port: "8787" }, /port: expected/],
    [{ ttlSeconds: 2147484 }, /ttlSeconds: expected seconds above 0 and at most 2147483/],
    [{ ttlSeconds: -1 }, /ttlSeconds/],
    [{ maxRequests: 0 }, /maxRequests: expected a positive integer/],
    [{ maxRequests: 1.5 }, /maxRequests/],
    [{ seed: -1 }, /seed: expected a non-negative safe integer/],
    [{ seed: 2 ** 53 }, /seed: expected a non-negative safe integer/],
    [{ allowedHosts: "evil.example" }, /allowedHosts: expected a list/],
    [{ corsOrigins: "https://app.example" }, /corsOrigins: expected "\*" or a list/],
    [{ corsOrigins: ["app.example"] }, /corsOrigins: "app\.example" is not an origin/],
  ]) {
    await assert.rejects(startSandboxServer({ maxRequests: 1, ttlSeconds: 5, ...options, port: options.port ?? 0 }), reason, JSON.stringify(options));
  }
  assert.throws(() => createSandbox({ seed: 1.5 }), /seed/);
  // A valid short TTL stops the process on its own.
  const t0 = performance.now();
  const stopped = await run(["--port", "0", "--quiet", "--ttl-seconds", "0.5"], { timeoutMs: 5_000 });
  assert.equal(stopped.code, 0, stopped.out);
  assert.ok(performance.now() - t0 < 4_000);
  assert.match(stopped.out, /listening on/);
});

test("--max-requests: the last reply is delivered in full even when delayed, then the server stops", async () => {
  // From code: two requests in flight, the first delayed; both replies arrive, then no more.
  const server = await startSandboxServer({ port: 0, maxRequests: 2, ttlSeconds: 20 });
  const t0 = performance.now();
  const [slow, fast] = await Promise.all([
    raw(server.url, { path: "/user/api/me", headers: { ...SHARD_AUTH, "x-sandbox-delay": "300" } }),
    new Promise((r) => setTimeout(r, 50)).then(() => raw(server.url, { path: "/health/live" })),
  ]);
  assert.ok(performance.now() - t0 >= 290);
  assert.equal(slow.status, 200);
  assert.equal(JSON.parse(slow.body).wallet_balance, 10_000);
  assert.equal(fast.body, "OK");
  await server.closed;
  await assert.rejects(raw(server.url, { path: "/health/live" }), /ECONNREFUSED/);

  // The CLI with --max-requests 1 and a delayed reply (it used to close before answering).
  const { child, out } = await run(["--port", "0", "--quiet", "--ttl-seconds", "20", "--max-requests", "1"], { until: /control: /m });
  const exited = new Promise((r) => child.once("exit", r));
  const url = out.match(/listening on (http:\S+)/)[1];
  const t1 = performance.now();
  const r = await fetch(`${url}/user/api/me`, { headers: { ...SHARD_AUTH, "x-sandbox-delay": "300" } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).wallet_balance, 10_000);
  assert.ok(performance.now() - t1 >= 290);
  assert.equal(await exited, 0);
});

test("advance refuses huge, negative and fractional steps with a 400 and leaves the clock", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 20, ttlSeconds: 30 });
  try {
    const advance = (body) => fetch(`${server.url}/__sandbox/advance`, { method: "POST", headers: { "content-type": "application/json" }, body });
    for (const [body, reason] of [
      ['{"days": 1000000}', /at most 3650 days/],
      ['{"days": 213503982334602}', /too large/],
      ['{"seconds": 9223372036854775807}', /at most 3650 days/],
      ['{"seconds": 1e300}', /too large/],
      ['{"days": -1}', /only moves forward/],
      ['{"seconds": -86400}', /only moves forward/],
      ['{"days": 1.5}', /whole number/],
      ['{"days": "2"}', /whole number/],
      ['{"days": 1, "seconds": 1}', /expected/],
    ]) {
      const r = await advance(body);
      assert.equal(r.status, 400, body);
      assert.match((await r.json()).error, reason, body);
    }
    assert.equal(server.sandbox.now(), "2026-01-01T00:00:00Z");
    assert.deepEqual(await (await advance('{"days": 2}')).json(), { now: "2026-01-03T00:00:00Z" });
    assert.throws(() => server.sandbox.advance({ days: -1 }), /only moves forward/);
    assert.throws(() => server.sandbox.advance({ days: 99999 }), /at most 3650 days/);
    const late = createSandbox({ start: "9999-12-01T00:00:00Z" });
    assert.throws(() => late.advance({ days: 31 }), /past 9999-12-31T23:59:59Z/);
    assert.deepEqual(late.advance({ days: 30 }), { now: "9999-12-31T00:00:00Z" });
    late.free();
  } finally {
    await server.close();
  }
});

test("redirect faults: 307/308 stop before the emulated logic, 303 after it; Location, log and counts say so", async () => {
  const server = await startSandboxServer({ port: 0, maxRequests: 30, ttlSeconds: 30 });
  try {
    const { url, sandbox } = server;
    const buy = (fault) =>
      fetch(`${url}/user/api/orders/purchase`, {
        method: "POST",
        redirect: "manual",
        headers: { ...SHARD_AUTH, "content-type": "application/json", "x-sandbox-fault": fault },
        body: JSON.stringify({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 }),
      });
    const wallet = async () => (await (await fetch(`${url}/user/api/me`, { headers: SHARD_AUTH })).json()).wallet_balance;
    const start = await wallet();
    for (const [fault, status] of [["redirect", 307], ["redirect-308", 308]]) {
      const r = await buy(fault);
      assert.equal(r.status, status, fault);
      assert.equal(r.headers.get("location"), "http://127.0.0.1:9/elsewhere");
    }
    assert.equal(await wallet(), start, "the redirected purchases never happened");
    const after = await buy("redirect-after");
    assert.equal(after.status, 303);
    assert.equal(after.headers.get("location"), "http://127.0.0.1:9/elsewhere");
    assert.equal(await wallet(), start - 150, "the purchase happened before the redirect");
    // Following the default redirect goes to another origin, where nothing answers.
    await assert.rejects(fetch(`${url}/user/api/me`, { headers: { ...SHARD_AUTH, "x-sandbox-fault": "redirect" } }), TypeError);

    // Drawn from the fault settings, with a configurable target.
    sandbox.setFaults({ rate: 1, kinds: ["redirect"], operations: ["getMe"], redirectTo: "http://127.0.0.1:9/other" });
    const drawn = await fetch(`${url}/user/api/me`, { headers: SHARD_AUTH, redirect: "manual" });
    assert.deepEqual([drawn.status, drawn.headers.get("location")], [307, "http://127.0.0.1:9/other"]);
    assert.equal(sandbox.faults().redirectTo, "http://127.0.0.1:9/other");
    sandbox.setFaults({});
    assert.equal(sandbox.faults().redirectTo, "http://127.0.0.1:9/elsewhere");

    const log = await (await fetch(`${url}/__sandbox/log`)).json();
    const rows = log.entries.filter((e) => e.fault !== null).map((e) => [e.operation, e.fault, e.status, e.reached]);
    assert.deepEqual(rows, [
      ["purchaseOrder", "redirect", 307, false],
      ["purchaseOrder", "redirect-308", 308, false],
      ["purchaseOrder", "redirect-after", 303, true],
      ["getMe", "redirect", 307, false],
      ["getMe", "redirect", 307, false],
    ]);
    assert.deepEqual(log.counts.proxyShard.purchaseOrder, { received: 3, reached: 1 });
    assert.deepEqual(log.counts.proxyShard.getMe, { received: 5, reached: 3 });
  } finally {
    await server.close();
  }

  // In-process, the fetch honours `redirect` like fetch does: "manual" returns the 3xx,
  // "error" throws, "follow" throws for another origin and follows within the sandbox.
  const sb = createSandbox();
  const me = (init) => sb.fetch("http://127.0.0.1:8787/user/api/me", { ...init, headers: { ...SHARD_AUTH, "x-sandbox-fault": "redirect" } });
  const manual = await me({ redirect: "manual" });
  assert.deepEqual([manual.status, manual.headers.get("location")], [307, "http://127.0.0.1:9/elsewhere"]);
  await assert.rejects(me({}), (e) => e instanceof TypeError && /another origin/.test(e.message));
  await assert.rejects(me({ redirect: "error" }), TypeError);
  sb.setFaults({ rate: 1, kinds: ["redirect-after"], operations: ["purchaseOrder"], redirectTo: "/user/api/me" });
  const followed = await sb.fetch("http://127.0.0.1:8787/user/api/orders/purchase", {
    method: "POST",
    headers: { ...SHARD_AUTH, "content-type": "application/json" },
    body: JSON.stringify({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 1 }),
  });
  assert.equal(followed.status, 200);
  assert.equal((await followed.json()).wallet_balance, 10_000 - 150, "303 → GET /user/api/me after the purchase");
  assert.deepEqual(sb.log().entries.map((e) => [e.method, e.operation, e.status, e.fault, e.reached]).slice(-2), [
    ["POST", "purchaseOrder", 303, "redirect-after", true],
    ["GET", "getMe", 200, null, true],
  ]);
  sb.free();
});
