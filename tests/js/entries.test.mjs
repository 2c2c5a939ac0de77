// The per-provider entry points (`proxykit/proxy-solutions`, `proxykit/proxyshard` and their
// `proxykit/web/...` counterparts), imported by name from the installed tarball: each exports
// its own client only, loads only its own wasm module, makes real calls against the sandbox
// (Node CJS and ESM, web entry in Node, and a Chromium page with the default `init()` URL),
// and the package ships each `.wasm` once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createSandbox, startSandboxServer } from "proxykit-sandbox";
import { launchChromium, startPageSite } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const PS_KEY = "sandbox-ps-key";
const SHARD_KEY = "sandbox-shard-key";
const pkgDir = dirname(require.resolve("proxykit/package.json"));

const EXPECTED = {
  proxykit: ["PageIterator", "ProxyShardClient", "ProxyShardRules", "ProxySolutionsClient", "ProxySolutionsRules", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
  "proxykit/proxy-solutions": ["ProxySolutionsClient", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
  "proxykit/proxyshard": ["PageIterator", "ProxyShardClient", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
  "proxykit/proxy-solutions/rules": ["ProxySolutionsClient", "ProxySolutionsRules", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
  "proxykit/proxyshard/rules": ["PageIterator", "ProxyShardClient", "ProxyShardRules", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
  "proxykit/market": ["MarketOrderIterator", "PageIterator", "ProxyMarket", "ProxyShardClient", "ProxyShardRules", "ProxySolutionsClient", "ProxySolutionsRules", "ProxykitError", "isProxykitError", "wasmMemoryBytes"],
};

test("each entry exports exactly its provider's names, the same from require and import", async () => {
  for (const [name, keys] of Object.entries(EXPECTED)) {
    const cjs = require(name);
    assert.deepEqual(Object.keys(cjs).sort(), keys, `require("${name}")`);
    const esm = await import(name);
    assert.deepEqual(Object.keys(esm).filter((k) => k !== "default").sort(), keys, `import("${name}")`);
    for (const k of keys) assert.equal(esm[k], cjs[k], `${name}: ${k} is one binding for import and require`);
  }
});

test("a provider entry loads only its own glue and wasm (fresh process)", () => {
  const probe = `
    const fs = require("fs");
    const read = fs.readFileSync;
    const wasms = [];
    fs.readFileSync = function (p, ...rest) { if (String(p).endsWith(".wasm")) wasms.push(require("path").basename(String(p))); return read.call(this, p, ...rest); };
    require(process.argv[1]);
    const glue = Object.keys(require.cache).filter((f) => f.includes("proxykit") && /[\\\\/]node[\\\\/]proxykit[^\\\\/]*\\.js$/.test(f)).map((f) => require("path").basename(f));
    process.stdout.write(JSON.stringify({ wasms, glue }));
  `;
  const run = (entry) => {
    const r = spawnSync(process.execPath, ["-e", probe, entry], { cwd: dirname(fileURLToPath(import.meta.url)), encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual(run("proxykit/proxy-solutions"), { wasms: ["proxykit_proxy_solutions_bg.wasm"], glue: ["proxykit_proxy_solutions.js"] });
  assert.deepEqual(run("proxykit/proxyshard"), { wasms: ["proxykit_proxyshard_bg.wasm"], glue: ["proxykit_proxyshard.js"] });
  assert.deepEqual(run("proxykit/proxy-solutions/rules"), { wasms: ["proxykit_proxy_solutions_rules_bg.wasm"], glue: ["proxykit_proxy_solutions_rules.js"] });
  assert.deepEqual(run("proxykit/proxyshard/rules"), { wasms: ["proxykit_proxyshard_rules_bg.wasm"], glue: ["proxykit_proxyshard_rules.js"] });
  assert.deepEqual(run("proxykit"), { wasms: ["proxykit_bg.wasm"], glue: ["proxykit.js"] });
  assert.deepEqual(run("proxykit/market"), { wasms: ["proxykit_market_bg.wasm"], glue: ["proxykit_market.js"] });
});

test("the package ships each .wasm once, the provider modules smaller than their rules modules and the root's, the market's larger", () => {
  const found = [];
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith(".wasm")) found.push(p);
    }
  };
  walk(pkgDir);
  assert.deepEqual(found.map((p) => relative(pkgDir, p)).sort(), [
    "bundler/proxykit_bg.wasm",
    "bundler/proxykit_market_bg.wasm",
    "bundler/proxykit_proxy_solutions_bg.wasm",
    "bundler/proxykit_proxy_solutions_rules_bg.wasm",
    "bundler/proxykit_proxyshard_bg.wasm",
    "bundler/proxykit_proxyshard_rules_bg.wasm",
  ]);
  const hashes = found.map((p) => createHash("sha256").update(readFileSync(p)).digest("hex"));
  assert.equal(new Set(hashes).size, 6, "six different modules");
  const size = (n) => statSync(join(pkgDir, "bundler", n)).size;
  assert.ok(size("proxykit_proxy_solutions_bg.wasm") < size("proxykit_proxy_solutions_rules_bg.wasm"));
  assert.ok(size("proxykit_proxyshard_bg.wasm") < size("proxykit_proxyshard_rules_bg.wasm"));
  assert.ok(size("proxykit_proxy_solutions_rules_bg.wasm") < size("proxykit_bg.wasm"));
  assert.ok(size("proxykit_proxyshard_rules_bg.wasm") < size("proxykit_bg.wasm"));
  assert.ok(size("proxykit_market_bg.wasm") > size("proxykit_bg.wasm"));
});

test("the shipped modules hold no panic location paths (scripts/blank-panic-paths.mjs ran)", () => {
  for (const f of readdirSync(join(pkgDir, "bundler")).filter((f) => f.endsWith(".wasm"))) {
    const text = readFileSync(join(pkgDir, "bundler", f)).toString("latin1");
    for (const pattern of [/\/rustc\/[0-9a-f]{40}\/library\//, /\.cargo\/registry\/src\//, /(?<![A-Za-z0-9_./-])src\/[A-Za-z0-9_/]+\.rs/]) {
      assert.equal(text.match(pattern)?.[0], undefined, `${f}: ${pattern}`);
    }
  }
});

test("proxykit/market: a market over its own clients works; a client of another entry point gets a typed error", async () => {
  const market = await import("proxykit/market");
  const sb = createSandbox({ seed: 5 });
  const shard = new market.ProxyShardClient({ apiKey: SHARD_KEY, fetch: sb.fetch });
  const ps = new market.ProxySolutionsClient({ apiKey: PS_KEY, fetch: sb.fetch });
  const m = new market.ProxyMarket({ proxyshard: shard, proxySolutions: ps });
  const offers = await m.offers();
  assert.ok(offers.some((o) => o.provider === "proxyshard") && offers.some((o) => o.provider === "proxy_solutions"));
  const { ProxyShardClient: RootShard } = await import("proxykit");
  const stranger = new RootShard({ apiKey: SHARD_KEY, fetch: sb.fetch });
  const e = (() => {
    try {
      new market.ProxyMarket({ proxyshard: stranger });
    } catch (x) {
      return x;
    }
  })();
  assert.equal(e?.code, "invalid_input");
  assert.equal(e.field, "options.proxyshard");
  assert.match(e.message, /proxykit\/market/);
});

test("proxykit/proxy-solutions and proxykit/proxyshard make real calls (in-process sandbox), typed errors included", async () => {
  const { ProxySolutionsClient, isProxykitError } = await import("proxykit/proxy-solutions");
  const { ProxyShardClient } = require("proxykit/proxyshard");
  const sb = createSandbox({ seed: 3 });
  const ps = new ProxySolutionsClient({ apiKey: PS_KEY, fetch: sb.fetch });
  const { orders } = await ps.createOrder({ service_id: 1, location_id: 2, quantity: 2 });
  assert.equal(orders.length, 1);
  const listed = await ps.listOrders();
  assert.ok(listed.orders.some((o) => o.id === orders[0].id));
  const bad = await ps.createOrder({ service_id: 1, location_id: 2, period: 45 }).catch((e) => e);
  assert.equal(bad.code, "invalid_input");
  assert.equal(bad.field, "period");
  assert.ok(isProxykitError(bad) && bad instanceof Error);

  const shard = new ProxyShardClient({ apiKey: SHARD_KEY, fetch: sb.fetch });
  const { order_id } = await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 2 });
  const ids = [];
  for await (const o of shard.iterateOrders({ status: "all", limit: 1 })) ids.push(o.order_id);
  assert.ok(ids.includes(order_id));
  const denied = await new ProxyShardClient({ apiKey: "wrong", fetch: sb.fetch }).getMe().catch((e) => e);
  assert.equal(denied.code, "unauthorized");
  // An error from one module is recognised by another module's guard (one brand).
  assert.ok(isProxykitError(denied));
  const freed = new ProxyShardClient({ fetch: sb.fetch });
  freed.free();
  assert.equal((await freed.getMe().catch((e) => e)).code, "client_freed");
});

test("proxykit/<provider>/rules: the client and its Rules class from one module (CJS, ESM and web)", async () => {
  const ps = await import("proxykit/proxy-solutions/rules");
  const shard = require("proxykit/proxyshard/rules");
  assert.deepEqual(ps.ProxySolutionsRules.allowedPeriods("mobile"), [1, 7, 30, 90, 365]);
  const problems = ps.ProxySolutionsRules.validateCreateOrder({ service_id: 4, quantity: 60 }, { serviceKind: "city" });
  assert.deepEqual(problems.map((p) => p.field).sort(), ["location_id", "quantity"]);
  assert.deepEqual(shard.ProxyShardRules.validatePurchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", quantity: 2 }), []);
  const sb = createSandbox({ seed: 6 });
  const merchants = await new ps.ProxySolutionsClient({ fetch: sb.fetch }).listMerchants();
  assert.ok(merchants.merchants.length > 0);
  const me = await new shard.ProxyShardClient({ apiKey: SHARD_KEY, fetch: sb.fetch }).getMe();
  assert.equal(typeof me.wallet_balance, "number");
  // The plain provider entries have no Rules class (a storefront's client does not load it).
  assert.equal((await import("proxykit/proxy-solutions")).ProxySolutionsRules, undefined);
  assert.equal(require("proxykit/proxyshard").ProxyShardRules, undefined);
  const web = await import("proxykit/web/proxy-solutions/rules");
  await web.init(readFileSync(require.resolve("proxykit/proxykit_proxy_solutions_rules_bg.wasm")));
  assert.deepEqual(web.ProxySolutionsRules.quantityCap("city"), 50);
  assert.equal((await import("proxykit/web/proxy-solutions")).ProxySolutionsRules, undefined);
});

test("instanceof ProxykitError holds for errors of every entry point, CJS and ESM, and only for them", async () => {
  const root = await import("proxykit");
  const shardEntry = require("proxykit/proxyshard");
  const psEntry = await import("proxykit/proxy-solutions");
  const market = await import("proxykit/market");
  const sb = createSandbox({ seed: 8 });
  const errors = [
    await new shardEntry.ProxyShardClient({ apiKey: "wrong", fetch: sb.fetch }).getMe().catch((e) => e),
    await new psEntry.ProxySolutionsClient({ fetch: sb.fetch }).createOrder({ service_id: 1, location_id: 2, period: 45 }).catch((e) => e),
    (() => {
      try {
        new market.ProxyMarket({});
      } catch (e) {
        return e;
      }
    })(),
  ];
  for (const e of errors) {
    for (const Cls of [root.ProxykitError, shardEntry.ProxykitError, psEntry.ProxykitError, market.ProxykitError]) {
      assert.ok(e instanceof Cls, `${e.code} instanceof a ProxykitError of another entry`);
    }
    assert.ok(e instanceof Error);
  }
  for (const v of [new Error("x"), null, undefined, "x", { code: "api", name: "ProxykitError" }]) {
    assert.equal(v instanceof root.ProxykitError, false);
  }
  assert.throws(() => new root.ProxykitError("x"), TypeError);
  // The web entries export the same check, usable before init.
  const web = await import("proxykit/web/proxyshard");
  assert.ok(errors[0] instanceof web.ProxykitError);
});

test("web entries in Node: init(bytes) / initSync per provider, before-init error, one call each", async () => {
  const ps = await import("proxykit/web/proxy-solutions");
  const sh = await import("proxykit/web/proxyshard");
  assert.equal(ps.ProxyShardClient, undefined);
  assert.equal(sh.ProxySolutionsClient, undefined);
  const early = (() => {
    try {
      new ps.ProxySolutionsClient();
    } catch (e) {
      return e;
    }
  })();
  assert.equal(early.code, "not_initialized");
  assert.match(early.message, /proxykit\/web\/proxy-solutions/);
  assert.ok(ps.isProxykitError(early));
  assert.equal(ps.wasmMemoryBytes(), 0);
  await ps.init(readFileSync(require.resolve("proxykit/proxykit_proxy_solutions_bg.wasm")));
  sh.initSync(readFileSync(require.resolve("proxykit/proxykit_proxyshard_bg.wasm")));
  const sb = createSandbox({ seed: 4 });
  const merchants = await new ps.ProxySolutionsClient({ fetch: sb.fetch }).listMerchants();
  assert.ok(Array.isArray(merchants.merchants) && merchants.merchants.length > 0);
  const me = await new sh.ProxyShardClient({ apiKey: SHARD_KEY, fetch: sb.fetch }).getMe();
  assert.equal(typeof me.wallet_balance, "number");
  assert.ok(ps.wasmMemoryBytes() > 0);
});

const PAGE = `<!doctype html>
<script type="importmap">{"imports": {
  "proxykit/web/proxy-solutions": "/proxykit/web/proxy-solutions.js",
  "proxykit/web/proxyshard": "/proxykit/web/proxyshard.js"}}</script>
<script type="module">
  const api = new URLSearchParams(location.search).get("api");
  const out = { wasm: [] };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name.endsWith(".wasm")) out.wasm.push(new URL(e.name).pathname); }).observe({ type: "resource", buffered: true });
  try {
    const ps = await import("proxykit/web/proxy-solutions");
    await ps.init();
    out.merchants = (await new ps.ProxySolutionsClient({ baseUrl: api + "/api" }).listMerchants()).merchants.length;
    const sh = await import("proxykit/web/proxyshard");
    await sh.init();
    out.wallet = (await new sh.ProxyShardClient({ baseUrl: api, apiKey: "sandbox-shard-key", dangerouslyAllowBrowser: true }).getMe()).wallet_balance;
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  await new Promise((r) => setTimeout(r, 50));
  window.__result = out;
</script>`;

let browser;
let site;
let sandbox;
before(async () => {
  site = await startPageSite(PAGE);
  sandbox = await startSandboxServer({ port: 0, maxRequests: 50, ttlSeconds: 60 });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
  await new Promise((r) => (site ? site.close(r) : r()));
});

test("in a Chromium page: each web entry's init() finds its own .wasm in the package and calls the sandbox", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(sandbox.url)}`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
  const out = await page.evaluate(() => window.__result);
  assert.deepEqual(errors, []);
  assert.equal(out.error, undefined);
  assert.ok(out.merchants > 0);
  assert.equal(typeof out.wallet, "number");
  assert.deepEqual(out.wasm.sort(), ["/proxykit/bundler/proxykit_proxy_solutions_bg.wasm", "/proxykit/bundler/proxykit_proxyshard_bg.wasm"]);
  await page.close();
});
