// Price and buy from Node: a quote with a promo code, then the purchase, on ProxyShard and
// Proxy-Solutions. Against an in-process sandbox by default; set PROXYSHARD_KEY /
// PROXY_SOLUTIONS_KEY (and *_BASE_URL) to use the real APIs — it then really buys.
//   node examples-web/node/buy.mjs
import { ProxyShardClient, ProxySolutionsClient } from "proxykit";
import { createSandbox } from "proxykit-sandbox";

const live = Boolean(process.env.PROXYSHARD_KEY || process.env.PROXY_SOLUTIONS_KEY);
const sandbox = live ? null : createSandbox();
const via = sandbox ? { fetch: sandbox.fetch } : {};
const shard = new ProxyShardClient({ apiKey: process.env.PROXYSHARD_KEY ?? "sandbox-shard-key", baseUrl: process.env.PROXYSHARD_BASE_URL, ...via });
const ps = new ProxySolutionsClient({ apiKey: process.env.PROXY_SOLUTIONS_KEY ?? "sandbox-ps-key", baseUrl: process.env.PROXY_SOLUTIONS_BASE_URL, ...via });
console.log(live ? "LIVE: real purchases" : "sandbox (in-process): nothing is really bought");

const order = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 5, promo_code: "SAVE10" };
const quote = await shard.quoteOrder(order);
console.log(`ProxyShard quote: ${order.quantity} × ${order.product} → $${(quote.total_with_addons / 100).toFixed(2)} (${quote.discount_percent}% off)`);
try {
  const { order_id } = await shard.purchaseOrder(order);
  console.log(`ProxyShard: bought order ${order_id}`);
} catch (e) {
  // Never retried by proxykit; if it may have gone through, look before buying again.
  console.error(`ProxyShard purchase failed: ${e.code}${e.mayHaveBeenApplied ? " — it may have gone through; check listOrders first" : ""}`);
}

const price = await ps.calculatePrice({ service_id: 4, location_id: 24, quantity: 2, period: 30, promocode: "PSPromo" });
console.log(`Proxy-Solutions price: $${price.amount} → $${price.payer_amount} after ${price.discount}%`);
const { orders: [created] } = await ps.createOrder({ service_id: 4, location_id: 24, quantity: 2, period: 30 });
const { payment } = await ps.chargeOrder({ order_id: created.id, merchant: "balance", currency: "USD", promocode: "PSPromo" });
console.log(`Proxy-Solutions: order ${created.id} paid ${payment.payer_amount} ${payment.payer_currency} from the API balance`);
