// `proxykit/web` (the browser entry) exercised in Node: use before init fails with a message
// that says to call init(); init takes bytes or a compiled module and is idempotent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as web from "proxykit/web";
import { startTestSandbox, SHARD_KEY } from "./sandbox-server.mjs";

const require = createRequire(import.meta.url);

test("before init: constructors throw not_initialized; the guard still works", () => {
  assert.throws(
    () => new web.ProxyShardClient({ apiKey: "k" }),
    (e) => e instanceof Error && e.code === "not_initialized" && /await init\(\)/.test(e.message),
  );
  assert.throws(() => new web.ProxySolutionsClient(), /init\(\)/);
  assert.throws(() => web.ProxySolutionsRules.allowedPeriods(), (e) => e.code === "not_initialized");
  // The browser entry exports what the Node entry does, plus init/initSync.
  const nodeNames = Object.keys(require("proxykit")).filter((k) => !k.startsWith("__"));
  for (const name of nodeNames) assert.ok(name in web, `proxykit/web lacks ${name}`);
  assert.equal(web.isProxykitError(new Error("x")), false);
});

test("init(bytes) is idempotent and the clients work after it", async () => {
  const bytes = await readFile(require.resolve("proxykit/proxykit_bg.wasm"));
  const p1 = web.init(bytes);
  const p2 = web.init(bytes);
  assert.equal(p1, p2, "concurrent init calls share one load");
  await p1;
  await web.init(); // already loaded: resolves without fetching
  web.initSync(bytes); // no-op once loaded
  const server = await startTestSandbox({ maxRequests: 20, ttlSeconds: 60 });
  try {
    const c = new web.ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url });
    assert.deepEqual(await c.getMe(), { email: "reseller1@sandbox.invalid", active_orders: 1, wallet_balance: 10000 });
    assert.deepEqual(web.ProxySolutionsRules.allowedPeriods("mobile"), [1, 7, 30, 90, 365]);
    const e = await c.getMe({ bad: 1 }).catch((x) => x);
    assert.ok(web.isProxykitError(e));
    assert.equal(e.code, "invalid_input");
  } finally {
    await server.close();
  }
});
