// Type check of ProxyMarket's typings (tsc --noEmit via tsconfig.json): options, offers,
// quotes, orders, buy errors and reconcile outcomes are exact types, not `any`.
import {
  ProxyMarket,
  ProxyShardClient,
  ProxySolutionsClient,
  isProxykitError,
  type Amount,
  type BoughtOrder,
  type MarketBuyError,
  type MarketIntent,
  type MarketOrder,
  type MarketOrderStatus,
  type MarketSnapshot,
  type Offer,
  type OfferKind,
  type Outcome,
  type ProxyMarketOptions,
  type Quote,
} from "proxykit/market";

const shard = new ProxyShardClient({ apiKey: "k" });
const opts: ProxyMarketOptions = { proxyshard: shard, proxySolutions: { apiKey: "p" } };
const market = new ProxyMarket(opts);
// @ts-expect-error: not an option
new ProxyMarket({ proxyshrd: shard });
new ProxyMarket({ proxySolutions: new ProxySolutionsClient() });

export async function storefront(): Promise<number> {
  const offers: Offer[] = await market.offers({ provider: "proxyshard", kind: "datacenter" });
  // @ts-expect-error: not a kind
  await market.offers({ kind: "dc" });
  const kind: OfferKind = offers[0].kind;
  const cycles: string[] = offers[0].terms.unit === "cycles" ? offers[0].terms.values : [];
  const days: number[] = offers[0].terms.unit === "days" ? offers[0].terms.values : [];
  const q: Quote = await market.quote(offers[0].id, { cycle: "monthly", quantity: 2 });
  const total: Amount = q.total;
  const cents: number = total.minor;
  // @ts-expect-error: amounts are numbers of minor units, not strings
  const wrong: string = q.total.minor;
  void [kind, cycles, days, wrong];
  try {
    const o: BoughtOrder = await market.buy(offers[0].id, { cycle: "monthly" }, undefined, {
      retryIfNotApplied: true,
      settleDelayMs: 20_000,
    });
    const status: MarketOrderStatus = o.status;
    const url: string | undefined = o.payment?.url ?? undefined;
    void [status, url];
  } catch (e) {
    if (isProxykitError(e)) {
      const err = e as MarketBuyError;
      const outcome: Outcome | undefined = err.reconcile;
      if (outcome && outcome.applied === "unknown") {
        for (const ev of outcome.evidence) console.log(ev.code, ev.detail);
      }
      if (outcome && outcome.applied === true) console.log(outcome.order_id);
    }
  }
  const orders: MarketOrder[] = [];
  for await (const o of market.orders({ status: "awaiting_payment" })) orders.push(o);
  const intent: MarketIntent = { provider: "proxyshard", operation: "purchaseOrder", product: "ISP Proxy", cycle: "monthly" };
  const before: MarketSnapshot = await market.snapshot("proxyshard", intent);
  const outcome: Outcome = await market.reconcile(before, intent, { settleDelayMs: 20_000 });
  // @ts-expect-error: applied is true, false or "unknown"
  const bad: Outcome = { applied: "maybe", evidence: [] };
  void [orders, outcome, bad];
  return cents;
}
