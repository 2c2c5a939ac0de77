//! `ProxyShardClient` (here), its page iterators (`pages.rs`), `ProxyShardRules`
//! (`rules.rs`) and the typings written by hand (`typings.rs`).

mod ops;
mod pages;
mod rules;
mod typings;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::clients::{build_client, finish_for, prepare, run_erased, Inner, Op};
use super::convert::{error_to_js, params_from_js};
use crate::client::reply_check;
use crate::endpoint::Endpoint;
use crate::json::FromJson;
use crate::proxyshard;
use crate::proxyshard::endpoints::*;
use crate::proxyshard::walk::ListWalk;
use pages::{iterable, PageIterator};

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
    /// The core client, shared with a `ProxyMarket` built on this client.
    #[cfg(feature = "market")]
    pub(crate) fn inner(&self) -> Inner {
        std::rc::Rc::clone(&self.inner)
    }

    // Not inlined into the generated `__call` table: one small function per operation,
    // rather than one large match (0.4 KB gzip more in the Proxy-Solutions module).
    #[inline(never)]
    fn run<E>(&self, params: Option<Object>, options: Option<Object>) -> Promise
    where
        E: Endpoint + FromJson + 'static,
    {
        let op = Op {
            prepare: prepare::<E>,
            extra: &[],
            check: reply_check::<E>(),
            finish: finish_for(false, E::ANY_BODY),
        };
        run_erased(&self.inner, &(), params, options, op, None)
    }
}

/// [`run_erased`]'s step for `scheduleAddonDowngrade`: the params, then the `{ order }` call
/// option (so `next_qty` is checked against the add-on's current units), then the request.
fn prepare_downgrade(
    params: &serde_json::Value,
    extra: &serde_json::Value,
    client: &crate::client::Client<crate::transport::fetch::FetchTransport>,
    _: &(),
) -> Result<crate::http::HttpRequest, crate::error::Error> {
    ScheduleAddonDowngradeParams::from_json(params)?
        .with_call_options(extra)
        .build(client.config())
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
            inner: build_client(options, proxyshard::DEFAULTS)?,
        })
    }

    /// Lowers an add-on's units at the next renewal (`POST …/orders/{order_id}/addons/schedule`).
    /// **Datacenter / ISP only.** Pass the order from `getOrder` as `{ order }` in the call
    /// options to have `next_qty` checked against the add-on's current units before sending.
    ///
    /// Rules (checked before sending): `order_id` a positive id; `addon_key` non-empty;
    /// `action` is `downgrade` (the only value; the default); `next_qty` ≥ 1 and, with
    /// `{ order }`, below the add-on's current units.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = scheduleAddonDowngrade, unchecked_return_type = "Promise<AddonsResponse>")]
    pub fn schedule_addon_downgrade(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScheduleAddonDowngradeParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "ScheduleCallOptions")] options: Option<
            Object,
        >,
    ) -> Promise {
        let op = Op {
            prepare: prepare_downgrade,
            extra: &[ScheduleAddonDowngradeParams::ORDER_OPTION],
            check: reply_check::<ScheduleAddonDowngradeParams>(),
            finish: finish_for(false, ScheduleAddonDowngradeParams::ANY_BODY),
        };
        run_erased(&self.inner, &(), params, options, op, None)
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
    /// Rules: as `listOrders`.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = iterateOrders, unchecked_return_type = "AsyncIterableIterator<OrderSummary>")]
    pub fn iterate_orders(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProxyShardListOrdersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "IterateOptions")] options: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let walk = params_from_js::<ListOrdersParams>(params)
            .and_then(ListWalk::orders)
            .map_err(error_to_js)?;
        PageIterator::start(&self.inner, walk, options).map(iterable)
    }

    /// Walks every residential sub-user of `proxy_type`, page by page (`limit` per page,
    /// default 20), yielding one `SubUser` at a time. Stops when `count` sub-users were seen,
    /// on an empty or repeated page, or after `maxPages` pages (default 1000). Rules: as
    /// `listSubUsers`.
    ///
    /// Docs: <https://docs.proxyshard.com/> (User API → Residential Proxies)
    #[wasm_bindgen(js_name = iterateSubUsers, unchecked_return_type = "AsyncIterableIterator<SubUser>")]
    pub fn iterate_sub_users(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListSubUsersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "IterateOptions")] options: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let walk = params_from_js::<ListSubUsersParams>(params)
            .and_then(ListWalk::sub_users)
            .map_err(error_to_js)?;
        PageIterator::start(&self.inner, walk, options).map(iterable)
    }
}
