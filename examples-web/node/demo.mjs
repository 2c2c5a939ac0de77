// End-to-end demo of proxykit against a local server (no real vendor is contacted):
// both clients, a public call and an authenticated one, and the typed errors a caller
// branches on. Run with `make demo` (it builds the package first).
//
// The local server is the small test peer in tests/server/; the sandbox issue replaces it
// with a stateful emulator of both APIs.
import { ProxySolutionsClient, ProxyShardClient, isProxykitError } from "proxykit";
import { startServer, TEST_KEY } from "../../tests/server/server.mjs";

const server = await startServer({ maxRequests: 100, ttlSeconds: 60 });
const show = (label, value) => console.log(`${label.padEnd(42)} ${JSON.stringify(value)}`);
const describe = (e) =>
  isProxykitError(e)
    ? { code: e.code, status: e.status, field: e.field, message: e.message }
    : { unexpected: String(e) };

try {
  console.log(`proxykit demo — local server at ${server.url}\n`);

  // Proxy-Solutions: listing payment methods is public, no key needed.
  const ps = new ProxySolutionsClient({ baseUrl: `${server.url}/ok/api` });
  const { merchants } = await ps.listMerchants();
  show("Proxy-Solutions listMerchants()", merchants.map((m) => `${m.code} (${m.currencies.join("/")})`));

  // ProxyShard: the account summary needs the key (sent as Authorization: Bearer <key>).
  const shard = new ProxyShardClient({ apiKey: TEST_KEY, baseUrl: `${server.url}/ok` });
  const me = await shard.getMe();
  show("ProxyShard getMe()", me);
  show("  wallet in dollars", `$${(me.wallet_balance / 100).toFixed(2)}`);

  console.log("\nTyped errors (branch on e.code, never on the message):");
  const noKey = new ProxyShardClient({ baseUrl: `${server.url}/ok` });
  show("getMe() without apiKey → nothing sent", describe(await noKey.getMe().catch((e) => e)));

  const wrongKey = new ProxyShardClient({ apiKey: "not-the-key", baseUrl: `${server.url}/ok` });
  show("getMe() with a wrong key", describe(await wrongKey.getMe().catch((e) => e)));

  const slow = new ProxyShardClient({ apiKey: TEST_KEY, baseUrl: `${server.url}/slow` });
  show("getMe() on a hung server, timeout 200 ms", describe(await slow.getMe({}, { timeout: 200 }).catch((e) => e)));

  show("getMe({ tpyo: 1 }) → unknown field", describe(await shard.getMe({ tpyo: 1 }).catch((e) => e)));

  try {
    new ProxySolutionsClient({ baseUrl: "v3.proxy-solutions.net/api" });
  } catch (e) {
    show("constructor with a URL without scheme", describe(e));
  }
  console.log(`\n${server.log.length} requests reached the local server.`);
} finally {
  await server.close();
}
