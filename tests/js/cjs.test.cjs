// The package required by name from CommonJS.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { ProxyShardClient, ProxySolutionsClient, isProxykitError } = require("proxykit");

test("require('proxykit') loads the wasm synchronously and works", async () => {
  const { startTestSandbox, SHARD_KEY } = await import("./sandbox-server.mjs");
  const server = await startTestSandbox({ maxRequests: 50, ttlSeconds: 60 });
  try {
    const me = await new ProxyShardClient({ apiKey: SHARD_KEY, baseUrl: server.url }).getMe();
    assert.equal(me.email, "reseller1@sandbox.invalid");
    const m = await new ProxySolutionsClient({ baseUrl: `${server.url}/api` }).listMerchants();
    assert.equal(m.merchants[0].code, "interkassa");
    await assert.rejects(new ProxyShardClient({ baseUrl: server.url }).getMe(), (e) => isProxykitError(e) && e.code === "invalid_input");
  } finally {
    await server.close();
  }
});
