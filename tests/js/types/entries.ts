// The per-provider entry points type-check on their own, under nodenext (tsconfig.json) and
// bundler resolution (tsconfig.bundler.json), and expose only their provider's client.
import { ProxySolutionsClient, isProxykitError } from "proxykit/proxy-solutions";
import { ProxyShardClient, PageIterator } from "proxykit/proxyshard";
import { ProxySolutionsRules } from "proxykit/proxy-solutions/rules";
import { ProxyShardRules } from "proxykit/proxyshard/rules";
import * as psWeb from "proxykit/web/proxy-solutions";
import shardInit, { ProxyShardClient as WebShard, initSync } from "proxykit/web/proxyshard";
import * as psOnly from "proxykit/proxy-solutions";
import * as shardOnly from "proxykit/proxyshard";

export async function entries(): Promise<void> {
  const ps = new ProxySolutionsClient({ apiKey: "k" });
  const { orders } = await ps.createOrder({ service_id: 1, location_id: 2, quantity: 2 });
  const id: number = orders[0].id;
  // @ts-expect-error Proxy-Solutions periods are a closed set
  await ps.calculatePrice({ service_id: 1, quantity: 1, period: 45 });
  const shard = new ProxyShardClient({ apiKey: "k" });
  const me = await shard.getMe();
  const balance: number = me.wallet_balance;
  // @ts-expect-error a Datacenter purchase needs a location
  await shard.purchaseOrder({ product: "Datacenter Proxy", cycle: "monthly" });
  const it: AsyncIterableIterator<unknown> = shard.iterateOrders({ status: "all" });
  const iteratorClass: typeof PageIterator = PageIterator;
  await psWeb.init();
  await shardInit(new Uint8Array(0));
  initSync(new Uint8Array(0));
  new psWeb.ProxySolutionsClient();
  new WebShard();
  // @ts-expect-error the Proxy-Solutions entry has no ProxyShard client
  new psOnly.ProxyShardClient();
  // @ts-expect-error the ProxyShard entry has no Proxy-Solutions client
  new shardOnly.ProxySolutionsClient();
  // @ts-expect-error nor does its web entry
  new psWeb.ProxyShardClient();
  // @ts-expect-error the provider entries leave the Rules classes to proxykit/<provider>/rules
  void psOnly.ProxySolutionsRules;
  // @ts-expect-error the same for ProxyShard
  void shardOnly.ProxyShardRules;
  // @ts-expect-error and for the web entry
  void psWeb.ProxySolutionsRules;
  void [id, balance, it, iteratorClass, ProxySolutionsRules, ProxyShardRules, isProxykitError];
}

// `instanceof ProxykitError` narrows to the error union, from any entry point.
import { ProxykitError } from "proxykit";
import { ProxykitError as ShardError } from "proxykit/proxyshard";
export function narrow(e: unknown): string {
  if (e instanceof ProxykitError && e.code === "rate_limited") {
    const wait: number | undefined = e.retryAfter;
    const id: string | undefined = e.requestId;
    const h: Record<string, string> = e.headers;
    return `${wait} ${id} ${h["x-request-id"]}`;
  }
  if (e instanceof ShardError) return e.code;
  // @ts-expect-error "too_many" is not an error code
  if (e instanceof ProxykitError && e.code === "too_many") return "";
  return "";
}
