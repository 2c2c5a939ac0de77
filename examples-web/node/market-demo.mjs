// ProxyMarket in the main job (`make demo`): both sellers' offers in one table, a quote in
// minor units, a purchase, and a purchase that the sandbox applies and then drops the
// connection of, reconciled as applied from the account's own state. In-process sandbox; the
// market is experimental and has its own entry point, proxykit/market (README).
import { ProxyMarket, ProxyShardClient, ProxySolutionsClient } from "proxykit/market";
import { createSandbox } from "proxykit-sandbox";

const sandbox = createSandbox({ seed: 7 });
const ORIGIN = "http://127.0.0.1:8787";
const ps = new ProxySolutionsClient({ apiKey: "sandbox-ps-key", baseUrl: `${ORIGIN}/api`, fetch: sandbox.fetch });
const shard = new ProxyShardClient({ apiKey: "sandbox-shard-key", baseUrl: ORIGIN, fetch: sandbox.fetch });
const market = new ProxyMarket({ proxySolutions: ps, proxyshard: shard });
const line = (label, value) => console.log(`  ${label.padEnd(46)} ${typeof value === "string" ? value : JSON.stringify(value)}`);
const money = (a) => `${(a.minor / 100).toFixed(2)} ${a.currency} (${a.minor} minor units${a.exact ? "" : ", rounded"})`;

console.log("ProxyMarket (experimental): one storefront over both sellers, purchases exactly once");
const offers = await market.offers();
const shown = [...offers.filter((o) => o.provider === "proxy_solutions").slice(0, 4), ...offers.filter((o) => o.provider === "proxyshard").slice(0, 4)];
console.log(`  ${offers.length} offers; the first of each seller:`);
console.log(`    ${"provider".padEnd(16)} ${"offer id".padEnd(34)} ${"kind".padEnd(12)} name`);
for (const o of shown) console.log(`    ${o.provider.padEnd(16)} ${o.id.padEnd(34)} ${o.kind.padEnd(12)} ${o.name}`);

const psOffer = offers.find((o) => o.provider === "proxy_solutions" && o.kind === "datacenter") ?? offers.find((o) => o.provider === "proxy_solutions");
const psQuote = await market.quote(psOffer.id, { quantity: 1, period: 30 });
line(`quote ${psOffer.id}, 1 × 30 days`, money(psQuote.total));
const dcQuote = await market.quote("shard:Datacenter Proxy:DE", { cycle: "monthly", quantity: 2 });
line("quote shard:Datacenter Proxy:DE, 2 × monthly", money(dcQuote.total));

const bought = await market.buy("shard:Datacenter Proxy:DE", { cycle: "monthly", quantity: 2 });
line("buy it", `order ${bought.order_id}, ${bought.status}`);

// The sandbox applies the next purchase and then drops the connection: the caller sees a
// network error although the wallet was charged. The market reads the account back.
sandbox.setFaults({ rate: 1, kinds: ["drop-after"], operations: ["purchaseOrder"] });
const before = sandbox.log().counts.proxyShard?.purchaseOrder?.reached ?? 0;
const reconciled = await market.buy("shard:Datacenter Proxy:DE", { cycle: "monthly", quantity: 1 }, undefined, {
  retryIfNotApplied: true,
  settleDelayMs: 50, // the sandbox answers at once; against the vendors keep the 20 s default
});
sandbox.setFaults({ rate: 0 });
const reached = (sandbox.log().counts.proxyShard?.purchaseOrder?.reached ?? 0) - before;
line("buy, connection dropped after applying", `reconciled as applied: order ${reconciled.order_id}, ${reconciled.status}; purchases that reached the sandbox: ${reached}`);
