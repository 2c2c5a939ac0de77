// Typings suite: the shipped .d.ts must be as exact as the vendors' contracts. Every
// `@ts-expect-error` marks a call the vendor's docs make wrong; tsc fails the suite if one of
// them compiles (the directive is then unused). The calls above them must compile. Checked
// under `strict` with `moduleResolution: nodenext` (tsconfig.json) and `bundler`
// (tsconfig.bundler.json, run from proxyshard.test.mjs). Nothing here runs: `main` is only
// type-checked.
import {
  ProxyShardClient,
  ProxySolutionsClient,
  ProxySolutionsRules,
  ProxyShardRules,
  type CatalogueService,
  type LocationCatalogue,
  type OrderStatus,
  type OrderStatusName,
  type P0fSignature,
  type PaymentEnvelope,
  type Period,
  type ProxyType,
  type PurchaseOrderParams,
  type ServiceCatalogue,
} from "proxykit";

declare const ps: ProxySolutionsClient;
declare const shard: ProxyShardClient;
declare const someProduct: string;

export async function right(): Promise<void> {
  // Proxy-Solutions.
  const { services } = await ps.listServices();
  const svc: CatalogueService | undefined = services?.[0];
  const id: number | undefined = svc?.id;
  const packets: number[] | undefined = svc?.packets;
  const catalogue: ServiceCatalogue = await ps.listServices({ lang: "EN", currency: "USD" });
  const { locations }: LocationCatalogue = await ps.listServiceLocations({ service_id: 4 });
  const locationId: number | undefined = locations?.[0]?.id;
  await ps.createOrder({ service_id: 4, location_id: 24, quantity: 2, period: 60 });
  await ps.createOrder({ service_id: 7, location_id: 24, period: 1 }, { serviceKind: "mobile" });
  const period: Period = 365;
  await ps.calculatePrice({ service_id: 4, period, promocode: "PSPromo" });
  // chargeOrder takes any whole number of days (the payment docs list none).
  const paid: PaymentEnvelope = await ps.chargeOrder({ order_id: 1, merchant: "balance", currency: "USD", period: 14 });
  const url: string | null | undefined = paid.payment?.url;
  await ps.changeOrder({ order_id: 1, ip_auth: ["2001:db8::5", "203.0.113.5"] });
  await ps.changeOrder({ order_id: 1, password: "p", gen_password: true });
  await ps.changeOrder({ order_id: 1, remove_proxies: ["192.0.2.1"], quantity: 6 });
  await ps.changeOrder({ order_id: 1, ip_auth: "clear" });
  await ps.performOrderOperation({ order_id: 1, operation: "channels-relocate", location_id: 8 });
  await ps.listOrders();
  await ps.listMerchants();
  const status: OrderStatus = "active.suspended";
  const hints = ProxySolutionsRules.hints("changeOrder", { order_id: 1, port: 70000 });
  const hintField: string | undefined = hints[0]?.field;

  // ProxyShard: the purchase union, discriminated by `product`.
  await shard.purchaseOrder({ product: "Datacenter Proxy", location: "DE", cycle: "monthly", quantity: 10, auto_renewal: true });
  await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", addons: [{ addon_key: "p0f_slots", qty: 5 }] });
  await shard.purchaseOrder({ product: "Standart Residential Proxy", quantity: 1 });
  await shard.purchaseOrder({ product: "Premium Residential Proxy", quantity: 1, cycle: "lifetime", auto_renewal: false });
  await shard.purchaseOrder({ product: "Unmetered Residential proxy", cycle: "monthly", auto_renewal: true });
  await shard.purchaseOrder({ product: "Mobile Proxy Plan Name", cycle: "day", quantity: 1 });
  await shard.purchaseOrder({ product: someProduct, cycle: "day" });
  const stored: PurchaseOrderParams = { product: "ISP Proxy", location: "US", cycle: "monthly" };
  await shard.purchaseOrder(stored);
  await shard.quoteOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", addons: [{ addon_key: "p0f_slots", qty: 5 }] });
  await shard.quoteOrder({ product: "Standart Residential Proxy" });
  await shard.getMe();
  await shard.listProducts();
  await shard.health();
  await shard.getOrder({ id: 1 });
  await shard.listOrders({ status: "all", limit: 100 });
  await shard.setP0fSignatures({ order_id: 1, items: [{ ip: "2001:db8::1", signature: "macos" }] });
  await shard.quoteAddon({ order_id: 1, addon_key: "p0f_slots", add_qty: 5 });
  const sig: P0fSignature = "android";
  const type: ProxyType = "unlimited";
  const orderStatus: OrderStatusName = "on-hold";
  const problems = ProxyShardRules.validatePurchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly" });
  const shardHints = ProxyShardRules.hints("createSubUser", { proxy_type: "premium", name: "a", data: 0 });
  void [id, packets, catalogue, locationId, url, status, hintField, sig, type, orderStatus, problems, shardHints];
}

// Calls of one operation that proxykit also refuses at run time (closed vocabularies, the
// purchase union by product, wrong field names and types) are the overlay's `wrong` rows
// (spec/overlay.yaml): `cargo xtask gen` writes those marked `ts` into types/calls.ts under
// `@ts-expect-error`, and the native and packed-package tests check each is refused. What
// stays here is what a row cannot say: calls without params, vocabularies the types close
// but the SDK lets through, call options, replies and the Rules classes.
export async function wrong(): Promise<void> {
  // ---- required params are required
  // @ts-expect-error 1: getOrder needs { id }.
  await shard.getOrder();
  // @ts-expect-error 2: purchaseOrder needs params.
  await shard.purchaseOrder();
  // @ts-expect-error 3: quoteOrder needs params.
  await shard.quoteOrder();
  // @ts-expect-error 4: createOrder needs params.
  await ps.createOrder();
  // @ts-expect-error 5: changeOrder needs params.
  await ps.changeOrder();
  // @ts-expect-error 6: chargeOrder needs params.
  await ps.chargeOrder();
  // @ts-expect-error 7: listServiceLocations needs service_id.
  await ps.listServiceLocations();
  // @ts-expect-error 8: listOrders (ProxyShard) needs a status.
  await shard.listOrders();
  // @ts-expect-error 9: setAutoRenewal needs params.
  await shard.setAutoRenewal();
  // @ts-expect-error 10: createSubUser needs params.
  await shard.createSubUser();
  // @ts-expect-error 11: listActiveProxies needs order_id.
  await shard.listActiveProxies();
  // @ts-expect-error 12: performOrderOperation needs params.
  await ps.performOrderOperation();
  // @ts-expect-error 13: calculatePrice needs service_id.
  await ps.calculatePrice();
  // @ts-expect-error 14: chargeOrder needs merchant and currency.
  await ps.chargeOrder({ order_id: 1 });

  // ---- closed vocabularies
  // @ts-expect-error 15: addon keys: p0f_slots is the only one.
  await shard.quoteAddon({ order_id: 1, addon_key: "p0f_slot", add_qty: 5 });
  // @ts-expect-error 16: addon keys in a purchase.
  await shard.purchaseOrder({ product: "ISP Proxy", location: "US", cycle: "monthly", addons: [{ addon_key: "p0f", qty: 1 }] });
  // @ts-expect-error 17: Proxy-Solutions order statuses.
  const s1: OrderStatus = "paid";
  // @ts-expect-error 18: ProxyShard order statuses.
  const s2: OrderStatusName = "expired";
  // @ts-expect-error 19: service kinds.
  await ps.createOrder({ service_id: 4, location_id: 24 }, { serviceKind: "residential" });

  // ---- replies are typed
  const { services } = await ps.listServices();
  // @ts-expect-error 20: services may be absent.
  services.length;
  const paid = await ps.chargeOrder({ order_id: 1, merchant: "balance", currency: "USD" });
  // @ts-expect-error 21: payment may be absent (the docs publish no reply schema).
  paid.payment.url;
  const me = await shard.getMe();
  // @ts-expect-error 22: wallet_balance is a number of cents.
  const cents: string = me.wallet_balance;
  // @ts-expect-error 23: hints take an operationId.
  ProxySolutionsRules.hints("change_order", {});
  // @ts-expect-error 24: ProxyShard hints take an operationId too.
  ProxyShardRules.hints("create_sub_user", {});
  void [s1, s2, cents];
}
