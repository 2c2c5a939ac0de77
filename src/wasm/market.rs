//! `ProxyMarket`: the JS class over `crate::market::flow::Market`. It converts, and it
//! queues each provider's buys in a money lane (a promise chain, as `PageIterator.next`
//! does); every decision is the core's.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::clients::{reject, Inner};
use super::convert::{async_iterable, error_to_js, js_to_json, serde_to_js, Serial};
use super::proxy_solutions::ProxySolutionsClient;
use super::proxyshard::ProxyShardClient;
use crate::error::Error;
use crate::market::calls::{OrderRequest, PaymentChoice};
use crate::market::flow::{BuyError, BuyOptions, Market, OfferFilter, OrderCursor, OrderFilter};
use crate::market::reconcile::{Intent, Settle, Snapshot};
use crate::market::Provider;
use crate::transport::fetch::FetchTransport;

thread_local! {
    /// Hands a client's core over from its hidden `__marketAttach` method to the market's
    /// constructor. Why not take the instance itself: wasm-bindgen turns a JS instance
    /// found inside an object into a Rust value only by taking it away from JS (the
    /// caller's client would then be unusable), and a constructor taking `&ProxyShardClient`
    /// cannot read it from an options object.
    static ATTACH: RefCell<Option<Inner>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
impl ProxyShardClient {
    /// Internal: lends this client's core to a `ProxyMarket` being built.
    #[wasm_bindgen(js_name = __marketAttach, skip_typescript)]
    pub fn market_attach(&self) {
        ATTACH.with(|a| *a.borrow_mut() = Some(self.inner()));
    }
}

#[wasm_bindgen]
impl ProxySolutionsClient {
    /// Internal: lends this client's core to a `ProxyMarket` being built.
    #[wasm_bindgen(js_name = __marketAttach, skip_typescript)]
    pub fn market_attach(&self) {
        ATTACH.with(|a| *a.borrow_mut() = Some(self.inner()));
    }
}

/// The core of the client given as `options[key]`: an existing client instance (shared, not
/// copied: its configuration and `fetch` are used) or that client's options object (a new
/// client is built from it).
fn client_from(options: &Object, key: &str, provider: Provider) -> Result<Option<Inner>, JsValue> {
    let v = Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let bad = || {
        error_to_js(Error::invalid(
            format!("options.{key}"),
            "must be a client instance or its options object",
        ))
    };
    if !v.is_object() {
        return Err(bad());
    }
    // A client made by another entry point (`proxykit`, `proxykit/proxyshard`, …) lives in
    // another wasm instance: its core cannot be shared with this one.
    let other_module = || {
        error_to_js(Error::invalid(
            format!("options.{key}"),
            "is a client from another proxykit entry point; import the clients from \"proxykit/market\" (or pass the client's options object)",
        ))
    };
    let attach = Reflect::get(&v, &JsValue::from_str("__marketAttach")).unwrap_or_default();
    if attach.is_undefined() && Reflect::has(&v, &JsValue::from_str("__wbg_ptr")).unwrap_or(false) {
        return Err(other_module());
    }
    if let Some(f) = attach.dyn_ref::<Function>() {
        ATTACH.with(|a| a.borrow_mut().take());
        f.call0(&v).map_err(|_| {
            error_to_js(Error::invalid(
                format!("options.{key}"),
                "is a freed client (free() or `using` disposal)",
            ))
        })?;
        return ATTACH
            .with(|a| a.borrow_mut().take())
            .map(Some)
            .ok_or_else(other_module);
    }
    let o: Object = v.unchecked_into();
    Ok(Some(match provider {
        Provider::ProxySolutions => ProxySolutionsClient::new(Some(o))?.inner(),
        Provider::Proxyshard => ProxyShardClient::new(Some(o))?.inner(),
    }))
}

/// Reads a JS argument into a core type with serde; `undefined`/`null` give the default.
fn arg<T: DeserializeOwned + Default>(v: &JsValue, name: &str) -> Result<T, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    required(v, name)
}

fn required<T: DeserializeOwned>(v: &JsValue, name: &str) -> Result<T, Error> {
    let json = js_to_json(v, name, 0)?;
    serde_json::from_value(json).map_err(|e| Error::invalid(name, e.to_string()))
}

fn string_arg(v: &JsValue, name: &str) -> Result<String, Error> {
    v.as_string()
        .ok_or_else(|| Error::invalid(name, "must be a string"))
}

/// `reconcile()` options.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ReconcileOptions {
    /// When the failed call ended (ms since the epoch); default: now.
    #[serde(default)]
    call_ended_at: Option<u64>,
    /// Default 20 000.
    #[serde(default)]
    settle_delay_ms: Option<u64>,
}

/// A failed buy as a JS error: the call's `ProxykitError`, plus `reconcile` (the outcome,
/// when the failure was uncertain) and `unpaidOrderId` (a created, unpaid Proxy-Solutions
/// order).
fn buy_error_to_js(e: BuyError) -> JsValue {
    let err = error_to_js(e.error);
    if let Some(outcome) = e.reconcile {
        if let Ok(v) = serde_to_js(&outcome) {
            let _ = Reflect::set(&err, &JsValue::from_str("reconcile"), &v);
        }
    }
    if let Some(id) = e.unpaid_order_id {
        let _ = Reflect::set(
            &err,
            &JsValue::from_str("unpaidOrderId"),
            &JsValue::from_f64(id as f64),
        );
    }
    err
}

fn to_js<T: Serialize>(v: Result<T, Error>) -> Result<JsValue, JsValue> {
    v.and_then(|v| serde_to_js(&v)).map_err(error_to_js)
}

/// One storefront over both sellers: normalised offers, quotes in integer minor units,
/// one order-status vocabulary, and purchases that happen exactly once.
///
/// ```js
/// const market = new ProxyMarket({ proxySolutions: ps, proxyshard: shard });
/// const offers = await market.offers({ kind: "datacenter" });
/// const order = await market.buy(offers[0].id, { quantity: 2, cycle: "monthly" }, undefined, { retryIfNotApplied: true });
/// ```
///
/// Buys of one provider run one at a time (a money lane per client); reads are not queued.
/// See docs/market.md for the mapping tables and the exactly-once protocol.
#[wasm_bindgen]
pub struct ProxyMarket {
    market: Rc<Market<FetchTransport>>,
    /// The money lane of each provider (Proxy-Solutions, ProxyShard): buys one at a time.
    lanes: [Serial; 2],
}

#[wasm_bindgen]
impl ProxyMarket {
    /// Creates a market from `{ proxySolutions?, proxyshard? }`: client instances (shared:
    /// their key, base URL and `fetch` are used) or their options objects. At least one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ProxyMarketOptions")] options: JsValue,
    ) -> Result<ProxyMarket, JsValue> {
        let Some(o) = options.dyn_ref::<Object>().filter(|_| options.is_object()) else {
            return Err(error_to_js(Error::invalid("options", "must be an object")));
        };
        for key in Object::keys(o).iter() {
            let k = key.as_string().unwrap_or_default();
            if k != "proxySolutions" && k != "proxyshard" {
                return Err(error_to_js(Error::invalid(
                    format!("options.{k}"),
                    "is not an option (proxySolutions, proxyshard)",
                )));
            }
        }
        let ps = client_from(o, "proxySolutions", Provider::ProxySolutions)?;
        let shard = client_from(o, "proxyshard", Provider::Proxyshard)?;
        let market = Market::new(ps, shard).map_err(error_to_js)?;
        Ok(ProxyMarket {
            market: Rc::new(market),
            lanes: [Serial::new(), Serial::new()],
        })
    }

    /// Every offer of both sellers, normalised (`filter`: `{ provider?, kind? }`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Offer[]>")]
    pub fn offers(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "OfferFilter")] filter: JsValue,
    ) -> Promise {
        let filter: OfferFilter = match arg(&filter, "filter") {
            Ok(f) => f,
            Err(e) => return reject(e),
        };
        let m = Rc::clone(&self.market);
        future_to_promise(async move { to_js(m.offers(&filter).await) })
    }

    /// The price of an order of an offer, in integer minor units (`Quote.total.minor`).
    /// `order.payment`-like fields for Proxy-Solutions (`merchant`, `currency`) go in
    /// `payment`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Quote>")]
    pub fn quote(
        &self,
        #[wasm_bindgen(js_name = offerId, unchecked_param_type = "string")] offer_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MarketOrderRequest")] order: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MarketPayment")] payment: JsValue,
    ) -> Promise {
        let read = || -> Result<(String, OrderRequest, PaymentChoice), Error> {
            Ok((
                string_arg(&offer_id, "offerId")?,
                arg(&order, "order")?,
                arg(&payment, "payment")?,
            ))
        };
        let (id, order, payment) = match read() {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let m = Rc::clone(&self.market);
        future_to_promise(async move { to_js(m.quote(&id, &order, &payment).await) })
    }

    /// Buys an order of an offer **exactly once**: a snapshot of the account, the money
    /// call, and after a failure that may have been applied (network, timeout, 5xx, redirect,
    /// unreadable reply) a wait of `settleDelayMs` (default 20 000), a second snapshot and
    /// `reconcile`. Applied → the order. Not applied → rejects with the call's error and
    /// `reconcile` attached, or with `retryIfNotApplied: true` sends the call once more.
    /// Unknown → rejects with the evidence in `err.reconcile`; it never guesses. Buys of one
    /// provider are queued: one at a time.
    #[wasm_bindgen(unchecked_return_type = "Promise<BoughtOrder>")]
    pub fn buy(
        &self,
        #[wasm_bindgen(js_name = offerId, unchecked_param_type = "string")] offer_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MarketOrderRequest")] order: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MarketPayment")] payment: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "BuyOptions")] opts: JsValue,
    ) -> Promise {
        let read = || -> Result<(String, OrderRequest, PaymentChoice, BuyOptions, usize), Error> {
            let id = string_arg(&offer_id, "offerId")?;
            let lane = match crate::market::OfferId::parse(&id)? {
                crate::market::OfferId::ProxySolutions { .. } => 0,
                crate::market::OfferId::Proxyshard { .. } => 1,
            };
            Ok((
                id,
                arg(&order, "order")?,
                arg(&payment, "payment")?,
                arg(&opts, "opts")?,
                lane,
            ))
        };
        let (id, order, payment, opts, lane) = match read() {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let m = Rc::clone(&self.market);
        self.lanes[lane].then(async move {
            match m.buy(&id, &order, &payment, opts).await {
                Ok(b) => serde_to_js(&b).map_err(error_to_js),
                Err(e) => Err(buy_error_to_js(e)),
            }
        })
    }

    /// Every order of both sellers with one status vocabulary (`filter`: `{ provider?,
    /// status? }`), one at a time, each vendor paged its own way:
    ///
    /// ```js
    /// for await (const order of market.orders({ status: "active" })) console.log(order.provider, order.order_id);
    /// ```
    ///
    /// Proxy-Solutions' one `listOrders`, then ProxyShard's `listOrders` per status (its list
    /// items carry no status; the filter gives it), 100 per page. Bounded: a list stops on
    /// its last page, an empty or repeated page, or after 1000 pages. Throws `invalid_input`
    /// for a bad filter.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<MarketOrder>")]
    pub fn orders(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "OrderFilter")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        let filter: OrderFilter = arg(&filter, "filter").map_err(error_to_js)?;
        let it = MarketOrderIterator {
            state: Rc::new(RefCell::new(WalkState {
                market: Rc::clone(&self.market),
                filter,
                cursor: Some(OrderCursor::default()),
                buffer: VecDeque::new(),
            })),
            queue: Serial::new(),
        };
        Ok(iterable(it))
    }

    /// The state to take **before** a raw money call made through a provider client, for
    /// `reconcile` after an uncertain failure. Make no other money call on that client in
    /// between.
    #[wasm_bindgen(unchecked_return_type = "Promise<MarketSnapshot>")]
    pub fn snapshot(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MarketProvider")] provider: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MarketIntent")] intent: JsValue,
    ) -> Promise {
        let read = || -> Result<Intent, Error> {
            let p: Provider = required(&provider, "provider")?;
            let intent: Intent = required(&intent, "intent")?;
            self.market.check_intent(p, &intent)?;
            Ok(intent)
        };
        let intent = match read() {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let m = Rc::clone(&self.market);
        future_to_promise(async move { to_js(m.snapshot(&intent).await) })
    }

    /// After a raw money call failed with `mayHaveBeenApplied: true`: waits until
    /// `settleDelayMs` (default 20 000) after `callEndedAt` (default: now), snapshots again
    /// and says whether the call took effect: `{ applied: true, order_id, evidence }`,
    /// `{ applied: false, evidence }` or `{ applied: "unknown", evidence }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Outcome>")]
    pub fn reconcile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MarketSnapshot")] before: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MarketIntent")] intent: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ReconcileOptions")] opts: JsValue,
    ) -> Promise {
        let read = || -> Result<(Snapshot, Intent, ReconcileOptions), Error> {
            Ok((
                required(&before, "before")?,
                required(&intent, "intent")?,
                arg(&opts, "opts")?,
            ))
        };
        let (before, intent, opts) = match read() {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let settle = Settle::given(
            opts.call_ended_at,
            opts.settle_delay_ms,
            js_sys::Date::now() as u64,
        );
        let m = Rc::clone(&self.market);
        future_to_promise(async move {
            let outcome = m.reconcile(&before, &intent, settle).await;
            serde_to_js(&outcome).map_err(error_to_js)
        })
    }
}

struct WalkState {
    market: Rc<Market<FetchTransport>>,
    filter: OrderFilter,
    /// Where the next page starts; `None` once every list is read.
    cursor: Option<OrderCursor>,
    /// Orders of the last page still to yield.
    buffer: VecDeque<JsValue>,
}

/// The async iterator of `ProxyMarket.orders()`. Calls of `next()` made while one is
/// pending wait their turn, so none skips or repeats an order.
#[wasm_bindgen]
pub struct MarketOrderIterator {
    state: Rc<RefCell<WalkState>>,
    /// The promise of the latest `next()`.
    queue: Serial,
}

fn step(value: JsValue, done: bool) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"value".into(), &value);
    let _ = Reflect::set(&o, &"done".into(), &JsValue::from(done));
    o.into()
}

async fn next_order(state: Rc<RefCell<WalkState>>) -> Result<JsValue, Error> {
    loop {
        let (market, filter, cursor) = {
            let mut s = state.borrow_mut();
            if let Some(order) = s.buffer.pop_front() {
                return Ok(step(order, false));
            }
            let Some(cursor) = s.cursor else {
                return Ok(step(JsValue::UNDEFINED, true));
            };
            (Rc::clone(&s.market), s.filter.clone(), cursor)
        };
        let (orders, next) = market.orders_page(&filter, cursor).await?;
        let mut s = state.borrow_mut();
        s.cursor = next;
        for o in &orders {
            s.buffer.push_back(serde_to_js(o)?);
        }
    }
}

#[wasm_bindgen]
impl MarketOrderIterator {
    /// The next order: resolves to `{ value, done }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<MarketOrder>>")]
    pub fn next(&self) -> Promise {
        let state = Rc::clone(&self.state);
        self.queue
            .then(async move { next_order(state).await.map_err(error_to_js) })
    }
}

/// `MarketOrderIterator` as an async-iterable JS value (as for `PageIterator`).
fn iterable(it: MarketOrderIterator) -> JsValue {
    async_iterable(JsValue::from(it))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_MARKET: &'static str = r#"
/** What `new ProxyMarket(…)` takes: client instances (shared) or their options. At least one. */
export interface ProxyMarketOptions {
  proxySolutions?: ProxySolutionsClient | ProxySolutionsOptions;
  proxyshard?: ProxyShardClient | ProxyShardOptions;
}

/** The seller behind an offer or order. */
export type MarketProvider = "proxy_solutions" | "proxyshard";
/** Normalised kind; the vendor's label is in `vendor_kind` (docs/market.md, "Kind mapping"). */
export type OfferKind = "datacenter" | "isp" | "residential" | "mobile" | "other";
/** One status vocabulary; the vendor's value is in `raw_status` (docs/market.md, "Status mapping"). */
export type MarketOrderStatus = "awaiting_payment" | "activating" | "active" | "suspended" | "closed" | "unknown";
/** What `quantity` counts: IPs, mobile channels, GB of traffic, a whole plan (no quantity sent), or not said. */
export type QuantityUnit = "ip" | "channel" | "gb" | "plan" | "unknown";

/** Money as an integer of minor units (cents) plus its currency; `raw` is the vendor's value. */
export interface Amount {
  /** Minor units, a safe integer. */
  minor: number;
  currency: Currency;
  /** `false` when the vendor's value had digits below the minor unit (rounded half to even). */
  exact: boolean;
  /** The vendor's value as received (number or decimal string). */
  raw: unknown;
}

export interface OfferLocation {
  /** Proxy-Solutions `location_id` as text, ProxyShard location code. */
  code: string;
  name: string | null;
  country: string | null;
  raw: unknown;
}

/** Terms as each vendor has them: Proxy-Solutions periods in days, ProxyShard cycle names. */
export type OfferTerms = { unit: "days"; values: number[] } | { unit: "cycles"; values: string[] };

export interface QuantityRule {
  unit: QuantityUnit;
  min: number;
  max: number | null;
  /** The only allowed sizes (Proxy-Solutions batch `packets`). */
  steps: number[] | null;
}

/** One thing a storefront can sell. */
export interface Offer {
  provider: MarketProvider;
  /** Stable id: `ps:<service_id>[:<location_id>]` or `shard:<product>[:<location>]`. */
  id: string;
  kind: OfferKind;
  vendor_kind: string | null;
  name: string;
  location: OfferLocation | null;
  terms: OfferTerms;
  quantity: QuantityRule;
  /** The vendor's catalogue record. */
  raw: unknown;
}

/** A normalised price. */
export interface Quote {
  provider: MarketProvider;
  offer_id: string | null;
  /** What the buyer pays, discounts applied. */
  total: Amount;
  /** Before the discount. */
  list: Amount | null;
  /** Proxy-Solutions `amount` (USD). */
  usd: Amount | null;
  discount_percent: number | null;
  /** The vendor's reply. */
  raw: unknown;
}

/** A normalised order. */
export interface MarketOrder {
  provider: MarketProvider;
  order_id: number;
  offer_id: string | null;
  status: MarketOrderStatus;
  raw_status: string | null;
  kind: OfferKind | null;
  name: string | null;
  quantity: number | null;
  expires_at: string | null;
  /** The vendor's order record. */
  raw: unknown;
}

/** What `buy` resolves to: the order, and for a Proxy-Solutions merchant other than `balance` the payment link reply. */
export interface BoughtOrder extends MarketOrder {
  payment?: Payment;
}

export interface OfferFilter {
  provider?: MarketProvider;
  kind?: OfferKind;
}

export interface OrderFilter {
  provider?: MarketProvider;
  status?: MarketOrderStatus;
}

/** What to buy. `period` (days) is Proxy-Solutions', `cycle` ProxyShard's; a field the offer's vendor lacks is refused. */
export interface MarketOrderRequest {
  quantity?: number;
  period?: number;
  cycle?: string;
  promocode?: string;
  auto_renewal?: boolean;
  multiport?: boolean;
  addons?: { addon_key: string; qty: number }[];
}

/** How to pay (Proxy-Solutions only; default `balance` / `USD`). */
export interface MarketPayment {
  merchant?: string;
  currency?: string;
}

export interface BuyOptions {
  /** Send the money call once more when reconcile proves it was not applied (never on `unknown`). */
  retryIfNotApplied?: boolean;
  /** Wait after an uncertain failure before reading the account again. Default 20000. */
  settleDelayMs?: number;
}

export interface ReconcileOptions {
  /** When the failed call ended, ms since the epoch. Default: now. */
  callEndedAt?: number;
  /** Default 20000. */
  settleDelayMs?: number;
}

/** One fact behind a reconcile outcome; `code` is stable. */
export interface Evidence {
  code:
    | "new_orders" | "matching_order" | "mismatch" | "detail_missing" | "wallet" | "expected_charge"
    | "order_state" | "order_missing" | "location_unchecked" | "no_witness" | "payment_link"
    | "too_early" | "snapshot_order" | "provider_mismatch" | "snapshot_failed";
  detail: string;
}

/** Whether an uncertain money call took effect. `"unknown"` never guesses: read the evidence. */
export type Outcome =
  | { applied: true; order_id: number | null; evidence: Evidence[] }
  | { applied: false; evidence: Evidence[] }
  | { applied: "unknown"; evidence: Evidence[] };

/** A money call described for `snapshot` / `reconcile` (wire field names of the call). */
export type MarketIntent =
  | { provider: "proxyshard"; operation: "purchaseOrder"; product: string; location?: string | null; cycle?: string | null; quantity?: number | null; expected_cents?: number | null }
  | { provider: "proxyshard"; operation: "renewOrder"; order_id: number; expected_cents?: number | null }
  | { provider: "proxyshard"; operation: "addBandwidth"; order_id: number; gb: number; expected_cents?: number | null }
  | { provider: "proxyshard"; operation: "purchaseAddon"; order_id: number; addon_key: string; add_qty: number; expected_cents?: number | null }
  | { provider: "proxy_solutions"; operation: "createOrder"; service_id: number; location_id?: number | null; quantity?: number | null; period?: number | null }
  | { provider: "proxy_solutions"; operation: "chargeOrder"; order_id: number; merchant: string; period?: number | null }
  | { provider: "proxy_solutions"; operation: "chargeUserBalance"; merchant: string; currency: string };

/** The account state `snapshot` took; pass it back to `reconcile` unchanged. */
export type MarketSnapshot =
  | { provider: "proxyshard"; taken_at_ms: number; wallet_cents: number; order_ids: number[]; orders: unknown[] }
  | { provider: "proxy_solutions"; taken_at_ms: number; orders: unknown[] };

/** A rejected `buy`: the call's error, plus the reconcile outcome when the failure was uncertain. */
export type MarketBuyError = ProxykitError & {
  reconcile?: Outcome;
  /** A Proxy-Solutions order that was created but not paid. */
  unpaidOrderId?: number;
};
"#;
