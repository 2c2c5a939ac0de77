// End-to-end demo of proxykit against a local server (no real vendor is contacted):
// both clients, a public call and an authenticated one, and the typed errors a caller
// branches on. Run with `make demo` (it builds the package first).
//
// The local server is the small test peer in tests/server/; the sandbox issue replaces it
// with a stateful emulator of both APIs.
import { ProxySolutionsClient, ProxySolutionsRules, ProxyShardClient, isProxykitError } from "proxykit";
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

  console.log("\nProxy-Solutions: price, order, pay from the API balance, change access");
  const shop = new ProxySolutionsClient({ apiKey: TEST_KEY, baseUrl: `${server.url}/ok/api` });
  await shop.listServices(); // the client learns each service's kind (city, mobile, …)
  show("  allowed periods for city proxies", ProxySolutionsRules.allowedPeriods("city"));
  const price = await shop.calculatePrice({ service_id: 4, quantity: 2, period: 60, promocode: "PSPromo" });
  show("  calculatePrice (2 city IPs, 60 days)", { amount: price.amount, discount: price.discount, pay: price.payer_amount });
  const { orders } = await shop.createOrder({ service_id: 4, location_id: 24, quantity: 2, period: 60 });
  show("  createOrder", { id: orders[0].id, status: orders[0].status });
  const paid = await shop.chargeOrder({ order_id: orders[0].id, merchant: "balance", currency: "USD" });
  show("  chargeOrder from balance", paid.payment);
  const changed = await shop.changeOrder({ order_id: orders[0].id, gen_password: true, ip_auth: ["203.0.113.5"] });
  show("  changeOrder → access (password hidden)", { ...changed.order.access, password: "•••" });
  const tooMany = await shop.createOrder({ service_id: 4, location_id: 24, quantity: 80 }).catch((e) => e);
  show("  80 city IPs (cap 50) → refused locally", { code: tooMany.code, field: tooMany.field, rule: tooMany.rule });

  console.log("\nProxyShard: buy, tag, read back, walk every order page");
  const bought = await shard.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2 });
  await shard.setOrderTag({ id: bought.order_id, tag: "demo" });
  const { order } = await shard.getOrder({ id: bought.order_id });
  show("  purchaseOrder → getOrder", { id: order.order_id, status: order.status, tag: order.tag, price_cents: order.price_paid });
  show("  wallet after purchase", `$${((await shard.getMe()).wallet_balance / 100).toFixed(2)}`);
  let walked = 0;
  for await (const o of shard.iterateOrders({ status: "all", limit: 20 })) walked += o ? 1 : 0;
  show("  iterateOrders({status:'all'}) over 3 pages", `${walked} orders`);
  const isp = await shard.purchaseOrder({ product: "ISP Proxy", cycle: "monthly" }).catch((e) => e);
  show("  ISP Proxy without location → refused", { code: isp.code, field: isp.field });

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
