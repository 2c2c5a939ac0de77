// The package required by name from CommonJS.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { ProxyShardClient, ProxySolutionsClient, isProxykitError } = require("proxykit");

test("require('proxykit') loads the wasm synchronously and works", async () => {
  const { startServer, TEST_KEY } = await import("../server/server.mjs");
  const server = await startServer({ maxRequests: 50, ttlSeconds: 60 });
  try {
    const me = await new ProxyShardClient({ apiKey: TEST_KEY, baseUrl: `${server.url}/ok` }).getMe();
    assert.equal(me.email, "dev@example.com");
    const m = await new ProxySolutionsClient({ baseUrl: `${server.url}/ok/api` }).listMerchants();
    assert.equal(m.merchants[0].code, "interkassa");
    await assert.rejects(new ProxyShardClient({ baseUrl: `${server.url}/ok` }).getMe(), (e) => isProxykitError(e) && e.code === "invalid_input");
  } finally {
    await server.close();
  }
});
