//! The hand-written part of the ProxyShard typings: the purchase union discriminated by
//! `product` (typed here rather than from one Rust struct) and the vocabularies.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXYSHARD: &'static str = r#"
/** Exact product names the vendor documents; take real names from `listProducts`. */
export type ProductName =
  | "Datacenter Proxy"
  | "ISP Proxy"
  | "Standart Residential Proxy"
  | "Premium Residential Proxy"
  | "Unmetered Residential proxy"
  | (string & {});
/** Add-on keys: `p0f_slots` is the only one the vendor documents ("Add-ons: only `p0f_slots`"). */
export type AddonKey = "p0f_slots";
/** Product names with their own purchase variant in the vendor's docs. */
export type DcIspProduct = "Datacenter Proxy" | "ISP Proxy";
/** Standard / Premium residential: fixed lifetime, no location. */
export type ResidentialProduct = "Standart Residential Proxy" | "Premium Residential Proxy";
/** Fields every purchase variant shares. */
interface PurchaseCommon {
  /** Promo code. */
  promo_code?: string | null;
  /** Add-ons to buy with the order (`p0f_slots` is documented for Datacenter / ISP). */
  addons?: AddonRequest[] | null;
}
/** `purchaseOrder` / `quoteOrder` for `Datacenter Proxy` / `ISP Proxy`: `location` and `cycle` required. */
export interface DcIspPurchase extends PurchaseCommon {
  product: DcIspProduct;
  /** Location code from `listProducts`, e.g. `DE`. */
  location: string;
  /** Cycle name from `listProducts`, e.g. `monthly`. */
  cycle: string;
  /** Number of IPs, ≥ 1. Default **1**. */
  quantity?: number;
  /** Renew from the wallet. Default **false**. */
  auto_renewal?: boolean;
}
/**
 * `purchaseOrder` / `quoteOrder` for Standard / Premium residential: no location, fixed
 * lifetime. `cycle: "lifetime"` and `auto_renewal: false` (what the catalogue and orders
 * show) are accepted and not sent.
 */
export interface ResidentialPurchase extends PurchaseCommon {
  product: ResidentialProduct;
  location?: never;
  cycle?: "lifetime";
  /** Quantity of the package, ≥ 1. Default **1**. */
  quantity?: number;
  auto_renewal?: false;
}
/** `purchaseOrder` / `quoteOrder` for `Unmetered Residential proxy`: `cycle` required, no `quantity`. */
export interface UnmeteredPurchase extends PurchaseCommon {
  product: "Unmetered Residential proxy";
  /** Cycle name from `listProducts`. */
  cycle: string;
  location?: never;
  quantity?: never;
  /** Renew from the wallet. Default **false**. */
  auto_renewal?: boolean;
}
/** `purchaseOrder` / `quoteOrder` for any other product (mobile plans, newer residential): `cycle` required. */
export interface OtherPurchase<P extends string = string> extends PurchaseCommon {
  /** Exact name from `listProducts`. */
  product: P;
  /** Cycle name from `listProducts`. */
  cycle: string;
  location?: string | null;
  /** Quantity, ≥ 1. Default **1**. */
  quantity?: number;
  auto_renewal?: boolean;
}
/** The purchase variant the vendor picks for product `P` (exact, case-sensitive names). */
export type PurchaseOrderFor<P extends string> = P extends DcIspProduct
  ? DcIspPurchase
  : P extends ResidentialProduct
    ? ResidentialPurchase
    : P extends "Unmetered Residential proxy"
      ? UnmeteredPurchase
      : OtherPurchase<P>;
/** `quoteOrder` takes the purchase fields except `auto_renewal` (`addons` is sent as `addons_json`). */
export type QuoteOrderFor<P extends string> = P extends string
  ? Omit<PurchaseOrderFor<P>, "auto_renewal"> & { auto_renewal?: never }
  : never;
/** The params of `healthLive`, which takes {@link HealthParams} (kept as a name of its own). */
export type HealthLiveParams = HealthParams;
/** The iterator of `iterateOrders` and `iterateSubUsers` (its `next()` is JS, merged here). */
export interface PageIterator {
  /**
   * The next item: resolves to `{ value, done }`. Calls made while one is pending wait
   * their turn (a page fetched for one is not fetched again for the next).
   */
  next(): Promise<IteratorResult<unknown>>;
  [Symbol.asyncIterator](): PageIterator;
}
export interface ProxyShardClient {
  /**
   * Walks every order with `status` (`active`, `on-hold`, `cancelled`, `all`), page by
   * page (`limit` per page, 1–100, default 100), yielding one `OrderSummary` at a time:
   *
   * ```js
   * for await (const order of shard.iterateOrders({ status: "all" })) console.log(order.order_id);
   * ```
   *
   * Bounded: it stops on the last page (`next` is null or the page is short), on an
   * empty page, on a page identical to the previous one, and after `maxPages` pages
   * (call option, default 1000). `next()` calls made while one is pending wait their turn.
   * Rules: as `listOrders` (bad params throw at once).
   *
   * Docs: <https://docs.proxyshard.com/user-api/general>
   */
  iterateOrders(params: ProxyShardListOrdersParams, options?: IterateOptions): AsyncIterableIterator<OrderSummary>;
  /**
   * Walks every residential sub-user of `proxy_type`, page by page (`limit` per page,
   * default 20), yielding one `SubUser` at a time. Stops when `count` sub-users were seen,
   * on an empty or repeated page, or after `maxPages` pages (default 1000). Rules: as
   * `listSubUsers` (bad params throw at once).
   *
   * Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)
   */
  iterateSubUsers(params: ListSubUsersParams, options?: IterateOptions): AsyncIterableIterator<SubUser>;
  /**
   * Creates **and pays** for an order from the wallet (`POST /user/api/orders/purchase`).
   * **Moves money.** The fields depend on `product` (exact names from `listProducts`).
   *
   * Rules (checked before sending): `Datacenter Proxy` / `ISP Proxy` need `location` and
   * `cycle`; `Standart` / `Premium Residential Proxy` take no `location`, and `cycle` only as
   * `"lifetime"` and `auto_renewal` only as `false` (neither is sent); `Unmetered Residential
   * proxy` needs `cycle` and takes no `quantity` or `location`; any other product needs
   * `cycle`; `quantity` ≥ 1; `addons` items `{ addon_key, qty ≥ 1 }`.
   *
   * Docs: <https://docs.proxyshard.com/user-api/general>
   */
  purchaseOrder<P extends ProductName>(
    params: PurchaseOrderFor<P> & { product: P },
    options?: CallOptions,
  ): Promise<PurchaseResponse>;
  /**
   * Prices a purchase (`GET /user/api/orders/calculate`) with the same per-product rules as
   * `purchaseOrder`; `addons` is sent as `addons_json`. Nothing is charged.
   *
   * Rules (checked before sending): as `purchaseOrder`, without `auto_renewal`.
   *
   * Docs: <https://docs.proxyshard.com/user-api/general>
   */
  quoteOrder<P extends ProductName>(
    params: QuoteOrderFor<P> & { product: P },
    options?: CallOptions,
  ): Promise<OrderCalculateResponse>;
}
/** p0f OS signatures. */
export type P0fSignature = "ios" | "macos" | "android" | "linux" | "win10" | "win11";
/** Residential package (`standart` is the vendor's spelling). */
export type ProxyType = "standart" | "premium" | "unlimited";
/** `status` filter of `listOrders`. */
export type OrderStatusFilter = "active" | "on-hold" | "cancelled" | "all";
/** Status of an order (the vendor lists these three). */
export type OrderStatusName = "active" | "on-hold" | "cancelled";
/**
 * The geo lists' former shared params type, kept so code that names it still compiles.
 * @deprecated Each geo list has its own: `ListCountriesParams`, `ListRegionsParams`,
 * `ListCitiesParams`, `ListIspsParams`.
 */
export interface GeoParams {
  proxy_type: ProxyType;
  country_code?: string;
  region_code?: string;
  city_code?: string;
}
/** Reply of `health` / `healthLive`: not documented; JSON as such, other text as a string. */
export type HealthReply = Record<string, unknown> | string | null;
/** Call options of `scheduleAddonDowngrade`: `order` (from `getOrder`) lets `next_qty` be checked. */
export interface ScheduleCallOptions extends CallOptions {
  order?: OrderDetail | OrderDetailResponse;
}
/** Options of `iterateOrders` / `iterateSubUsers`. */
export interface IterateOptions extends CallOptions {
  /** Most pages to read (default 1000). */
  maxPages?: number;
}
"#;
