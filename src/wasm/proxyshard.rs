//! `ProxyShardClient`, its page iterators, and `ProxyShardRules`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortSignal;

use super::clients::{build_client, reject, spawn, Inner};
use super::convert::{
    call_options_from_js, error_to_js, json_to_js, params_from_js, problems_to_js, reply_to_js,
};
use crate::client::reply_check;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::json::{as_uint, FromJson};
use crate::proxyshard;
use crate::proxyshard::endpoints::*;
use crate::proxyshard::rules::{self, PageWalker, Stop, Variant};

const OPTIONS: &[&str] = &[];
/// Pages an iterator reads at most unless `maxPages` says otherwise (100 000 orders at the
/// largest page size): a bound, so a misbehaving server cannot make it loop forever.
const DEFAULT_MAX_PAGES: u64 = 1000;

/// Client of the ProxyShard User API v1.1.0 (<https://docs.proxyshard.com/user-api/general>).
///
/// Every method takes one params object with the vendor's wire field names and optional
/// `CallOptions`, and resolves to the reply with wire field names. Input is checked against
/// the vendor's rules first (nothing is sent while a rule is broken). Money is integer US
/// **cents**; traffic is **GB** in requests and **bytes** in the owner profile. Failures
/// reject with a `ProxykitError` (see `isProxykitError`).
#[wasm_bindgen]
pub struct ProxyShardClient {
    inner: Inner,
}

impl ProxyShardClient {
    fn run<E>(&self, params: Option<Object>, options: Option<Object>) -> Promise
    where
        E: Endpoint + FromJson + 'static,
    {
        let prepared = params_from_js::<E>(params)
            .and_then(|ep| call_options_from_js(options, &[]).map(|(o, _)| (ep, o)));
        match prepared {
            Ok((endpoint, opts)) => spawn(&self.inner, &endpoint, opts, None),
            Err(e) => reject(e),
        }
    }
}

/// One method per operation: `$js` is the operationId, `$params`/`$pty` the params type in
/// Rust/TS, `$ret` the TS reply type.
macro_rules! operation {
    ($(#[$doc:meta])* $rust:ident, $js:tt, $params:ty, $pty:tt, $ret:tt) => {
        #[wasm_bindgen]
        impl ProxyShardClient {
            $(#[$doc])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
            pub fn $rust(
                &self,
                #[wasm_bindgen(unchecked_optional_param_type = $pty)] params: Option<Object>,
                #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
            ) -> Promise {
                self.run::<$params>(params, options)
            }
        }
    };
}

#[wasm_bindgen]
impl ProxyShardClient {
    /// Creates a client. Throws an `invalid_input` `ProxykitError` for a malformed option
    /// (a bad URL, a non-string key, an unknown option name). The key is sent as
    /// `Authorization: Bearer <key>`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ProxyShardOptions")] options: Option<
            Object,
        >,
    ) -> Result<ProxyShardClient, JsValue> {
        Ok(ProxyShardClient {
            inner: build_client(options, OPTIONS, proxyshard::DEFAULTS)?,
        })
    }

    /// Lowers an add-on's units at the next renewal (`POST …/addons/schedule`).
    /// **Datacenter / ISP only.** `action` is `downgrade` (the default). Pass the order from
    /// `getOrder` as `{ order }` in the call options to have `next_qty` checked against the
    /// add-on's current units before sending. Rules: see `ScheduleAddonDowngradeParams`.
    #[wasm_bindgen(js_name = scheduleAddonDowngrade, unchecked_return_type = "Promise<AddonsResponse>")]
    pub fn schedule_addon_downgrade(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ScheduleAddonDowngradeParams")]
        params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "ScheduleCallOptions")] options: Option<
            Object,
        >,
    ) -> Promise {
        let prepared = params_from_js::<ScheduleAddonDowngradeParams>(params).and_then(|ep| {
            let (opts, extra) = call_options_from_js(options, &["order"])?;
            let ep = match extra.get("order") {
                Some(order) => ep.with_order(order),
                None => ep,
            };
            Ok((ep, opts))
        });
        match prepared {
            Ok((endpoint, opts)) => spawn(&self.inner, &endpoint, opts, None),
            Err(e) => reject(e),
        }
    }

    /// Walks every order with `status` (`active`, `on-hold`, `cancelled`, `all`), page by
    /// page (`limit` per page, 1–100, default 100), yielding one `OrderSummary` at a time:
    ///
    /// ```js
    /// for await (const order of shard.iterateOrders({ status: "all" })) console.log(order.order_id);
    /// ```
    ///
    /// Bounded: it stops on the last page (`next` is null or the page is short), on an
    /// empty page, on a page identical to the previous one, and after `maxPages` pages
    /// (call option, default 1000). Call `next()` one at a time (as `for await` does).
    #[wasm_bindgen(js_name = iterateOrders, unchecked_return_type = "AsyncIterableIterator<OrderSummary>")]
    pub fn iterate_orders(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProxyShardListOrdersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "IterateOptions")] options: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let p = params_from_js::<ListOrdersParams>(params).map_err(error_to_js)?;
        if let Err(e) = p.spec() {
            return Err(error_to_js(e));
        }
        let limit = p.limit.unwrap_or(rules::MAX_ORDERS_LIMIT);
        let kind = Pages::Orders { status: p.status };
        PageIterator::start(&self.inner, kind, p.offset.unwrap_or(0), limit, options).map(iterable)
    }

    /// Walks every residential sub-user of `proxy_type`, page by page (`limit` per page,
    /// default 20), yielding one `SubUser` at a time. Stops when `count` sub-users were seen,
    /// on an empty or repeated page, or after `maxPages` pages (default 1000).
    #[wasm_bindgen(js_name = iterateSubUsers, unchecked_return_type = "AsyncIterableIterator<SubUser>")]
    pub fn iterate_sub_users(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListSubUsersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "IterateOptions")] options: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let p = params_from_js::<ListSubUsersParams>(params).map_err(error_to_js)?;
        if let Err(e) = p.spec() {
            return Err(error_to_js(e));
        }
        let limit = p.limit.unwrap_or(20);
        let kind = Pages::SubUsers {
            proxy_type: p.proxy_type,
        };
        PageIterator::start(&self.inner, kind, p.offset.unwrap_or(0), limit, options).map(iterable)
    }
}

operation!(
    /// The live proxies of a **Datacenter / ISP** order, with credentials and ports
    /// (`GET /user/api/proxies/active`; 403 for other orders). Passwords are returned to you
    /// and never logged by proxykit.
    list_active_proxies, "listActiveProxies", ListActiveProxiesParams, "ListActiveProxiesParams",
    "Promise<ActiveProxiesResponse>"
);
operation!(
    /// Marks (`value: true`) or unmarks IPs of a **Datacenter / ISP** order for removal
    /// (`POST …/del-np/set`); quantity and price are recomputed; one IP must remain.
    set_per_ip_deletion, "setPerIpDeletion", SetPerIpDeletionParams, "SetPerIpDeletionParams",
    "Promise<ApiMessage>"
);
operation!(
    /// Sets p0f OS signatures of IPs of a **Datacenter / ISP** order (`POST …/signature/set`).
    /// Needs free `p0f_slots`: the first signature on an IP uses a slot for good.
    set_p0f_signatures, "setP0fSignatures", SetP0fSignaturesParams, "SetP0fSignaturesParams",
    "Promise<SignatureSetResponse>"
);
operation!(
    /// Prices extra add-on units for an active **Datacenter / ISP** order
    /// (`GET …/addons/calculate`); prices in cents. Nothing is charged.
    quote_addon, "quoteAddon", QuoteAddonParams, "QuoteAddonParams", "Promise<AddonCalculateResponse>"
);
operation!(
    /// Buys extra add-on units (`POST …/addons/purchase`). **Moves money** (wallet, at once);
    /// the order must be active and **Datacenter / ISP**.
    purchase_addon, "purchaseAddon", PurchaseAddonParams, "PurchaseAddonParams",
    "Promise<AddonPurchaseResponse>"
);
operation!(
    /// Drops a scheduled add-on downgrade (`POST …/addons/schedule/cancel`).
    /// **Datacenter / ISP only.**
    cancel_addon_downgrade, "cancelAddonDowngrade", CancelAddonDowngradeParams,
    "CancelAddonDowngradeParams", "Promise<AddonsResponse>"
);
operation!(
    /// Creates **and pays** for an order from the wallet (`POST /user/api/orders/purchase`).
    /// **Moves money.** Fields depend on `product`: see `PurchaseOrderParams`.
    purchase_order, "purchaseOrder", PurchaseOrderParams, "PurchaseOrderParams",
    "Promise<PurchaseResponse>"
);
operation!(
    /// Prices a purchase (`GET /user/api/orders/calculate`) with the same per-product rules
    /// as `purchaseOrder`; `addons` is sent as `addons_json`. Nothing is charged.
    quote_order, "quoteOrder", QuoteOrderParams, "QuoteOrderParams", "Promise<OrderCalculateResponse>"
);
operation!(
    /// Switches the billing cycle of a **Datacenter / ISP** order
    /// (`POST …/change-billing-cycle/{order_id}`); 403 when the cycle is not offered to you.
    change_billing_cycle, "changeBillingCycle", ChangeBillingCycleParams, "ChangeBillingCycleParams",
    "Promise<ChangeBillingCycleResponse>"
);
operation!(
    /// Turns auto-renewal of a **Datacenter / ISP** order on or off
    /// (`POST …/edit-auto-renewal/{order_id}?auto_renewal=`).
    set_auto_renewal, "setAutoRenewal", SetAutoRenewalParams, "SetAutoRenewalParams",
    "Promise<ApiMessage>"
);
operation!(
    /// The catalogue (`GET /user/api/proxies/products`): the only source of product names,
    /// location codes and cycle names.
    list_products, "listProducts", ListProductsParams, "ListProductsParams", "Promise<ProductsResponse>"
);
operation!(
    /// Stock per country and product (`GET /user/api/proxies/available-count`).
    get_available_counts, "getAvailableCounts", GetAvailableCountsParams, "GetAvailableCountsParams",
    "Promise<AvailableCount[]>"
);
operation!(
    /// The account summary: e-mail, number of active orders and wallet balance in US
    /// **cents** (`GET /user/api/me`). Handy as a key check.
    ///
    /// Needs `apiKey` (rejected as `invalid_input` before sending when none is configured).
    /// Takes no params.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    get_me, "getMe", GetMeParams, "GetMeParams", "Promise<MeResponse>"
);
operation!(
    /// One page of orders by `status` (`GET /user/api/orders`); `limit` 1–100. For every
    /// page use `iterateOrders`.
    list_orders, "listOrders", ListOrdersParams, "ProxyShardListOrdersParams",
    "Promise<OrderListResponse>"
);
operation!(
    /// An order's details (`GET /user/api/orders/{id}`): money in cents, add-ons, p0f slots.
    get_order, "getOrder", GetOrderParams, "GetOrderParams", "Promise<OrderDetailResponse>"
);
operation!(
    /// Pays an order's next period from the wallet (`POST /user/api/orders/{id}/renew`).
    /// **Moves money.** Only for orders in status **on-hold**.
    renew_order, "renewOrder", RenewOrderParams, "RenewOrderParams", "Promise<ApiMessage>"
);
operation!(
    /// Labels an order (`POST /user/api/orders/{id}/tag`).
    set_order_tag, "setOrderTag", SetOrderTagParams, "SetOrderTagParams", "Promise<ApiMessage>"
);
operation!(
    /// Buys more traffic (whole **GB**) for a **residential** order
    /// (`POST /user/api/orders/{id}/add-bandwidth`). **Moves money.**
    add_bandwidth, "addBandwidth", AddBandwidthParams, "AddBandwidthParams", "Promise<ApiMessage>"
);
operation!(
    /// The owner's residential traffic in **bytes** and gateway password
    /// (`GET /user/api/proxies/profile`).
    get_residential_profile, "getResidentialProfile", GetResidentialProfileParams,
    "GetResidentialProfileParams", "Promise<ResidentialProfileResponse>"
);
operation!(
    /// One page of residential sub-users (`GET /user/api/proxies/sub-users`; `count` is the
    /// total). For every page use `iterateSubUsers`.
    list_sub_users, "listSubUsers", ListSubUsersParams, "ListSubUsersParams", "Promise<SubUsersResponse>"
);
operation!(
    /// Creates a residential sub-user with traffic (whole **GB** ≥ 1) from the owner's
    /// balance (`POST /user/api/proxies/sub-user`).
    create_sub_user, "createSubUser", CreateSubUserParams, "CreateSubUserParams",
    "Promise<SubUsersResponse>"
);
operation!(
    /// One sub-user (`GET /user/api/proxies/sub-user/{user_id}`).
    get_sub_user, "getSubUser", GetSubUserParams, "GetSubUserParams", "Promise<SubUsersResponse>"
);
operation!(
    /// Renames a sub-user (`PATCH /user/api/proxies/sub-user/{user_id}`).
    rename_sub_user, "renameSubUser", RenameSubUserParams, "RenameSubUserParams", "Promise<ApiMessage>"
);
operation!(
    /// Deletes a sub-user (`DELETE /user/api/proxies/sub-user/{user_id}`).
    delete_sub_user, "deleteSubUser", DeleteSubUserParams, "DeleteSubUserParams", "Promise<ApiMessage>"
);
operation!(
    /// Gives a sub-user more traffic (whole **GB** ≥ 1) from the owner's balance
    /// (`POST …/sub-user/{user_id}/data/add`).
    add_sub_user_traffic, "addSubUserTraffic", AddSubUserTraffic, "SubUserTrafficParams",
    "Promise<ApiMessage>"
);
operation!(
    /// Takes traffic (whole **GB** ≥ 1) back from a sub-user
    /// (`POST …/sub-user/{user_id}/data/subtract`).
    subtract_sub_user_traffic, "subtractSubUserTraffic", SubtractSubUserTraffic,
    "SubUserTrafficParams", "Promise<ApiMessage>"
);
operation!(
    /// Gives a sub-user a new gateway password (`POST …/sub-user/{user_id}/password`); read it
    /// with `getSubUser`.
    regenerate_sub_user_password, "regenerateSubUserPassword", RegenerateSubUserPassword,
    "GetSubUserParams", "Promise<ApiMessage>"
);
operation!(
    /// Countries for residential targeting (`GET /user/api/proxies/countries`).
    list_countries, "listCountries", ListCountries, "ListCountriesParams", "Promise<GeoList>"
);
operation!(
    /// Regions of a country (`GET /user/api/proxies/regions`).
    list_regions, "listRegions", ListRegions, "ListRegionsParams", "Promise<GeoList>"
);
operation!(
    /// Cities of a region (`GET /user/api/proxies/cities`).
    list_cities, "listCities", ListCities, "ListCitiesParams", "Promise<GeoList>"
);
operation!(
    /// ISPs of a city (`GET /user/api/proxies/isps`): **premium only**, needs the country →
    /// region → city codes; an empty list is normal outside big cities.
    list_isps, "listIsps", ListIsps, "ListIspsParams", "Promise<GeoList>"
);
operation!(
    /// Deep health check (`GET /health`). Public: the key is never sent. The body is not
    /// documented: JSON is returned as such, other text as a string.
    health, "health", HealthParams, "HealthParams", "Promise<HealthReply>"
);
operation!(
    /// Liveness probe (`GET /health/live`). Public: the key is never sent.
    health_live, "healthLive", HealthLiveParams, "HealthParams", "Promise<HealthReply>"
);

// ------------------------------------------------------------------------------ iterators

enum Pages {
    Orders { status: String },
    SubUsers { proxy_type: String },
}

struct IterState {
    client: Inner,
    pages: Pages,
    walker: PageWalker,
    /// Items still to yield, already JS values (made by one `JSON.parse` of the page).
    buffer: VecDeque<JsValue>,
    timeout_ms: Option<u32>,
    signal: Option<AbortSignal>,
}

/// An async iterator over every item of a paged list (`iterateOrders`, `iterateSubUsers`).
/// Use it with `for await`, or call `next()` directly: calls made while one is pending are
/// queued and answered in order, so none skips or repeats an item.
#[wasm_bindgen]
pub struct PageIterator {
    state: Rc<RefCell<IterState>>,
    /// The promise of the latest `next()`: the following one waits for it to settle.
    tail: RefCell<Promise>,
}

impl PageIterator {
    fn start(
        client: &Inner,
        pages: Pages,
        offset: u64,
        limit: u64,
        options: Option<Object>,
    ) -> Result<PageIterator, JsValue> {
        let (opts, extra) = call_options_from_js(options, &["maxPages"]).map_err(error_to_js)?;
        let max_pages = match extra.get("maxPages") {
            None => DEFAULT_MAX_PAGES,
            Some(v) => match as_uint(v, "callOptions.maxPages") {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(error_to_js(Error::invalid(
                        "callOptions.maxPages",
                        "must be a whole number ≥ 1",
                    )))
                }
            },
        };
        Ok(PageIterator {
            tail: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)),
            state: Rc::new(RefCell::new(IterState {
                client: Rc::clone(client),
                pages,
                walker: PageWalker::new(offset, limit, max_pages),
                buffer: VecDeque::new(),
                timeout_ms: opts.timeout_ms,
                signal: opts.signal,
            })),
        })
    }
}

/// `{ value, done }`.
fn step(value: JsValue, done: bool) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"value".into(), &value);
    let _ = Reflect::set(&o, &"done".into(), &JsValue::from(done));
    o.into()
}

async fn next_item(state: Rc<RefCell<IterState>>) -> Result<JsValue, Error> {
    loop {
        let (client, request, signal, check, subusers, offset) = {
            let mut s = state.borrow_mut();
            if let Some(item) = s.buffer.pop_front() {
                return Ok(step(item, false));
            }
            if !s.walker.wants_more() {
                return Ok(step(JsValue::UNDEFINED, true));
            }
            let (offset, limit) = (s.walker.offset, s.walker.limit);
            let (request, check, subusers) = match &s.pages {
                Pages::Orders { status } => {
                    let p = ListOrdersParams {
                        status: status.clone(),
                        offset: Some(offset),
                        limit: Some(limit),
                    };
                    (
                        s.client.prepare(&p, s.timeout_ms)?,
                        reply_check::<ListOrdersParams>(),
                        false,
                    )
                }
                Pages::SubUsers { proxy_type } => {
                    let p = ListSubUsersParams {
                        proxy_type: proxy_type.clone(),
                        offset: Some(offset),
                        limit: Some(limit),
                    };
                    (
                        s.client.prepare(&p, s.timeout_ms)?,
                        reply_check::<ListSubUsersParams>(),
                        true,
                    )
                }
            };
            (
                Rc::clone(&s.client),
                request,
                s.signal.clone(),
                check,
                subusers,
                offset,
            )
        };
        let (reply, text) = client
            .send_checked_text(request, signal.as_ref(), None, check)
            .await
            .map_err(|f| f.error)?;
        let items_key = if subusers { "data" } else { "orders" };
        let items: Vec<Value> = reply
            .get(items_key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let last = if subusers {
            reply
                .get("count")
                .and_then(Value::as_u64)
                .is_some_and(|total| offset + items.len() as u64 >= total)
        } else {
            matches!(reply.get("next"), Some(Value::Null))
        };
        let mut s = state.borrow_mut();
        match s.walker.record(&items, last) {
            Stop::Empty | Stop::Repeated => {}
            _ => {
                // The page as JS in one native parse; the items are taken from it.
                let page = reply_to_js(&reply, &text)?;
                let list = Reflect::get(&page, &JsValue::from_str(items_key))
                    .ok()
                    .and_then(|l| l.dyn_into::<js_sys::Array>().ok());
                match list {
                    Some(list) => s.buffer.extend(list.iter()),
                    None => {
                        for item in &items {
                            s.buffer.push_back(json_to_js(item)?);
                        }
                    }
                }
            }
        }
    }
}

#[wasm_bindgen]
impl PageIterator {
    /// The next item: resolves to `{ value, done }`. Calls made while one is pending wait
    /// their turn (a page fetched for one is not fetched again for the next).
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown>>")]
    pub fn next(&self) -> Promise {
        let state = Rc::clone(&self.state);
        let previous = self.tail.borrow().clone();
        let promise = future_to_promise(async move {
            // Its outcome belongs to its own caller; this one only waits for it to settle.
            let _ = JsFuture::from(previous).await;
            next_item(state).await.map_err(error_to_js)
        });
        *self.tail.borrow_mut() = promise.clone();
        promise
    }
}

/// Makes `PageIterator` instances async-iterable: `[Symbol.asyncIterator]` must return the
/// iterator itself, and the built-in `Object.prototype.valueOf` does exactly that for
/// objects. (A JS snippet would be a separate file per target, `new Function` is blocked by
/// strict CSPs, and a Rust closure capturing the instance would leak it.)
fn iterable(it: PageIterator) -> JsValue {
    let instance = JsValue::from(it);
    let proto = Reflect::get_prototype_of(&instance);
    let key: JsValue = js_sys::Symbol::async_iterator().into();
    if let Ok(proto) = proto {
        if !Reflect::has(&proto, &key).unwrap_or(true) {
            if let Ok(value_of) = Reflect::get(&Object::new(), &"valueOf".into()) {
                let _ = Reflect::set(&proto, &key, &value_of);
            }
        }
    }
    instance
}

// --------------------------------------------------------------------------------- rules

/// The ProxyShard rules as data and pure checks, for forms: nothing is sent.
#[wasm_bindgen]
pub struct ProxyShardRules;

fn problems_js<E: Validate + FromJson>(params: Option<Object>) -> Result<JsValue, JsValue> {
    problems_to_js::<E>(params, |_| Ok(()))
}

#[wasm_bindgen]
impl ProxyShardRules {
    /// Every broken rule of `purchaseOrder` params (empty when valid). Nothing is sent.
    #[wasm_bindgen(js_name = validatePurchaseOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_purchase_order(
        #[wasm_bindgen(unchecked_param_type = "PurchaseOrderParams")] params: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        problems_js::<PurchaseOrderParams>(params)
    }

    /// Every broken rule of `quoteOrder` params (empty when valid). Nothing is sent.
    #[wasm_bindgen(js_name = validateQuoteOrder, unchecked_return_type = "Problem[]")]
    pub fn validate_quote_order(
        #[wasm_bindgen(unchecked_param_type = "QuoteOrderParams")] params: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        problems_js::<QuoteOrderParams>(params)
    }

    /// Which fields a product's purchase takes: `{ variant, requires, accepts }` (`variant`
    /// is `dc_isp`, `residential`, `unmetered` or `other`).
    #[wasm_bindgen(
        js_name = purchaseFields,
        unchecked_return_type = "{ variant: \"dc_isp\" | \"residential\" | \"unmetered\" | \"other\"; requires: string[]; accepts: string[] }"
    )]
    pub fn purchase_fields(
        #[wasm_bindgen(unchecked_param_type = "ProductName")] product: JsValue,
    ) -> Result<JsValue, JsValue> {
        let product = product
            .as_string()
            .ok_or_else(|| error_to_js(Error::invalid("product", "must be a string")))?;
        let (variant, requires, accepts): (&str, &[&str], &[&str]) = match Variant::of(&product) {
            Variant::DcIsp => (
                "dc_isp",
                &["product", "location", "cycle"],
                &["quantity", "promo_code", "auto_renewal", "addons"],
            ),
            Variant::Residential => (
                "residential",
                &["product"],
                &["quantity", "promo_code", "addons"],
            ),
            Variant::Unmetered => (
                "unmetered",
                &["product", "cycle"],
                &["promo_code", "auto_renewal", "addons"],
            ),
            Variant::Other => (
                "other",
                &["product", "cycle"],
                &[
                    "location",
                    "quantity",
                    "promo_code",
                    "auto_renewal",
                    "addons",
                ],
            ),
        };
        json_to_js(
            &serde_json::json!({"variant": variant, "requires": requires, "accepts": accepts}),
        )
        .map_err(error_to_js)
    }

    /// The `status` values of `listOrders`.
    #[wasm_bindgen(js_name = orderStatuses, unchecked_return_type = "OrderStatusFilter[]")]
    pub fn order_statuses() -> Result<JsValue, JsValue> {
        json_to_js(&rules::ORDER_STATUSES).map_err(error_to_js)
    }

    /// The p0f signatures.
    #[wasm_bindgen(js_name = p0fSignatures, unchecked_return_type = "P0fSignature[]")]
    pub fn p0f_signatures() -> Result<JsValue, JsValue> {
        json_to_js(&rules::P0F_SIGNATURES).map_err(error_to_js)
    }

    /// The residential `proxy_type` values.
    #[wasm_bindgen(js_name = proxyTypes, unchecked_return_type = "ProxyType[]")]
    pub fn proxy_types() -> Result<JsValue, JsValue> {
        json_to_js(&rules::PROXY_TYPES).map_err(error_to_js)
    }
}

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
/** Add-on keys; `p0f_slots` is the only one documented. */
export type AddonKey = "p0f_slots" | (string & {});
/** p0f OS signatures. */
export type P0fSignature = "ios" | "macos" | "android" | "linux" | "win10" | "win11";
/** Residential package (`standart` is the vendor's spelling). */
export type ProxyType = "standart" | "premium" | "unlimited";
/** `status` filter of `listOrders`. */
export type OrderStatusFilter = "active" | "on-hold" | "cancelled" | "all";
/** Status of an order. */
export type OrderStatusName = "active" | "on-hold" | "cancelled" | (string & {});
/** Params of `listCountries`. */
export interface ListCountriesParams { proxy_type: ProxyType }
/** Params of `listRegions`. */
export interface ListRegionsParams { proxy_type: ProxyType; country_code: string }
/** Params of `listCities`. */
export interface ListCitiesParams { proxy_type: ProxyType; country_code: string; region_code: string }
/** Params of `listIsps` (premium only). */
export interface ListIspsParams { proxy_type: "premium"; country_code: string; region_code: string; city_code: string }
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
