// Type-checked with `tsc --noEmit` against the installed package's typings: every public
// model and option is a named interface, methods are typed, and misuse is a type error
// (each @ts-expect-error fails the check if the error it expects disappears).
import {
  ProxyShardClient,
  ProxySolutionsClient,
  isProxykitError,
  type MeResponse,
  type MerchantList,
  type Merchant,
  type ProxyShardOptions,
  type ProxySolutionsOptions,
  type CallOptions,
  type ProxykitError,
  type GetMeParams,
  type ListMerchantsParams,
} from "proxykit";
import {
  ProxySolutionsRules,
  type OrdersEnvelope,
  type Order,
  type PaymentEnvelope,
  type OrderEnvelope,
  type PriceResponse,
  type Problem,
  type ServiceKind,
  type CreateOrderParams,
  type ChangeOrderParams,
  type ProxySolutionsCallOptions,
  type ServiceCatalogue,
  type OrderStatus,
  ProxyShardRules,
  type PurchaseOrderParams,
  type PurchaseResponse,
  type OrderDetailResponse,
  type OrderListResponse,
  type OrderSummary,
  type SubUser,
  type GeoList,
  type HealthReply,
  type AvailableCount,
} from "proxykit";
import { init, initSync, ProxyShardClient as WebShard } from "proxykit/web";

const shardOptions: ProxyShardOptions = { apiKey: "k", baseUrl: "http://127.0.0.1:8787", timeout: 5000 };
const psOptions: ProxySolutionsOptions = { authHeader: "Authorization", authPrefix: "Bearer", fetch };
const shard = new ProxyShardClient(shardOptions);
const ps = new ProxySolutionsClient(psOptions);
new ProxyShardClient();

const call: CallOptions = { timeout: 1000, signal: new AbortController().signal };
const params: GetMeParams = {};
const lm: ListMerchantsParams = {};

async function main(): Promise<void> {
  const me: MeResponse = await shard.getMe(params, call);
  const cents: number = me.wallet_balance;
  const email: string = me.email;
  const list: MerchantList = await ps.listMerchants(lm);
  const first: Merchant | undefined = list.merchants[0];
  const currencies: string[] = first ? first.currencies : [];
  await ps.listMerchants();
  void [cents, email, currencies];

  try {
    await shard.getMe();
  } catch (e: unknown) {
    if (isProxykitError(e)) {
      const err: ProxykitError = e;
      switch (err.code) {
        case "invalid_input": {
          const f: string = err.field;
          const r: string = err.rule;
          void [f, r];
          break;
        }
        case "api":
        case "unauthorized":
        case "forbidden":
        case "not_found":
        case "validation_failed": {
          const s: number = err.status;
          const b: unknown = err.body;
          void [s, b];
          break;
        }
        case "decode": {
          const p: string = err.path;
          void p;
          break;
        }
        case "timeout": {
          const ms: number = err.timeoutMs;
          void ms;
          break;
        }
        case "network":
        case "aborted":
          break;
      }
      const m: string = err.message;
      void m;
    }
  }

  // Proxy-Solutions, every operation.
  const create: CreateOrderParams = { service_id: 4, location_id: 24, quantity: 2, period: 60 };
  const hint: ProxySolutionsCallOptions = { serviceKind: "city", timeout: 5000 };
  const created: OrdersEnvelope = await ps.createOrder(create, hint);
  const order: Order | undefined = created.orders[0];
  const status: OrderStatus | undefined = order?.status;
  const pay: PaymentEnvelope = await ps.chargeOrder({ order_id: 1, merchant: "balance", currency: "USD" });
  const url: string | null | undefined = pay.payment?.url;
  const change: ChangeOrderParams = { order_id: 1, remove_proxies: ["192.0.2.1"], quantity: 6, ip_auth: "clear" };
  const changed: OrderEnvelope = await ps.changeOrder(change);
  const password: string | null | undefined = changed.order.access?.password;
  await ps.performOrderOperation({ order_id: 1, operation: "channels-set-autoreset", interval: 600 });
  await ps.chargeUserBalance({ merchant: "freekassa", currency: "RUB", amount: 100 });
  const price: PriceResponse = await ps.calculatePrice({ service_id: 4, promocode: "PSPromo" });
  const services: ServiceCatalogue = await ps.listServices({ lang: "EN" });
  await ps.listServiceLocations({ service_id: 4 });
  await ps.listOrders({ lang: "UA", currency: "UAH" });
  ps.setServiceKind(4, "city");
  const kind: ServiceKind = "mobile_plus";
  const periods: number[] = ProxySolutionsRules.allowedPeriods(kind);
  const cap: number | undefined = ProxySolutionsRules.quantityCap("city");
  const problems: Problem[] = ProxySolutionsRules.validateCreateOrder(create, { serviceKind: "city" });
  const firstField: string | undefined = problems[0]?.field;
  void [status, url, password, price, services, periods, cap, firstField];
  // @ts-expect-error service_id is required.
  await ps.createOrder({ location_id: 1 });
  // @ts-expect-error lang is EN | RU | UA.
  await ps.listOrders({ lang: "uk" });
  // @ts-expect-error unknown service kind.
  await ps.calculatePrice({ service_id: 4 }, { serviceKind: "residential" });
  // @ts-expect-error operation codes are a closed list.
  await ps.performOrderOperation({ order_id: 1, operation: "reboot" });
  // @ts-expect-error ip_auth is a list or "clear".
  await ps.changeOrder({ order_id: 1, ip_auth: "all" });

  // ProxyShard.
  const shardAll = new ProxyShardClient({ apiKey: "k" });
  const purchase: PurchaseOrderParams = { product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 2, addons: [{ addon_key: "p0f_slots", qty: 1 }] };
  const bought: PurchaseResponse = await shardAll.purchaseOrder(purchase);
  const detail: OrderDetailResponse = await shardAll.getOrder({ id: bought.order_id });
  const slots: number | null | undefined = detail.order.p0f_slots_available;
  const page: OrderListResponse = await shardAll.listOrders({ status: "on-hold", limit: 100 });
  for await (const o of shardAll.iterateOrders({ status: "all" }, { maxPages: 10 })) {
    const summary: OrderSummary = o;
    void summary;
  }
  for await (const u of shardAll.iterateSubUsers({ proxy_type: "premium" })) {
    const user: SubUser = u;
    void user;
  }
  await shardAll.scheduleAddonDowngrade({ order_id: 1, addon_key: "p0f_slots", next_qty: 1 }, { order: detail });
  await shardAll.setP0fSignatures({ order_id: 1, items: [{ ip: "192.0.2.1", signature: "win11" }] });
  const geo: GeoList = await shardAll.listIsps({ proxy_type: "premium", country_code: "de", region_code: "be", city_code: "berlin" });
  const health: HealthReply = await shardAll.healthLive();
  const counts: AvailableCount[] = await shardAll.getAvailableCounts();
  const variant: string = ProxyShardRules.purchaseFields("ISP Proxy").variant;
  const shardProblems: Problem[] = ProxyShardRules.validatePurchaseOrder(purchase);
  void [slots, page, geo, health, counts, variant, shardProblems];
  // @ts-expect-error listOrders needs a status from the list.
  await shardAll.listOrders({ status: "paid" });
  // @ts-expect-error getOrder's path field is `id`.
  await shardAll.getOrder({ order_id: 1 });
  // @ts-expect-error listIsps is premium only.
  await shardAll.listIsps({ proxy_type: "standart", country_code: "de", region_code: "be", city_code: "b" });
  // @ts-expect-error p0f signatures are a closed list.
  await shardAll.setP0fSignatures({ order_id: 1, items: [{ ip: "192.0.2.1", signature: "winxp" }] });

  await init();
  await init(new URL("https://cdn.example/proxykit_bg.wasm"));
  initSync(new Uint8Array([0]));
  new WebShard({ apiKey: "k" });

  // @ts-expect-error ProxyShard documents its auth header: not configurable.
  new ProxyShardClient({ authHeader: "X" });
  // @ts-expect-error apiKey is a string.
  new ProxyShardClient({ apiKey: 5 });
  // @ts-expect-error wallet_balance is a number (cents).
  me.wallet_balance.toUpperCase();
  // @ts-expect-error unknown call option.
  await shard.getMe({}, { retry: 3 });
  // @ts-expect-error getMe takes no params.
  await shard.getMe({ typo: 1 });
  // @ts-expect-error params are an object.
  await ps.listMerchants(5);
  // @ts-expect-error methods are named by operationId.
  await shard.get_me();
}
void main;
