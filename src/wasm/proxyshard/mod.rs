//! `ProxyShardClient` (here), its page iterators (`pages.rs`), `ProxyShardRules`
//! (`rules.rs`) and the typings written by hand (`typings.rs`).

mod pages;
mod rules;
mod typings;

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::clients::{build_client, reject, spawn, Inner};
use super::convert::{call_options_from_js, error_to_js, params_from_js};
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
        let prepared = params_from_js::<ScheduleAddonDowngradeParams>(params).and_then(|ep| {
            let (opts, extra) =
                call_options_from_js(options, &[ScheduleAddonDowngradeParams::ORDER_OPTION])?;
            Ok((ep.with_call_options(&extra), opts))
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

/// One method per operation, named by the vendor's `operationId`. Written out rather than
/// generated by a `macro_rules!`: doc comments passed through a macro reach wasm-bindgen as
/// raw-string tokens, and every JSDoc line then began with `r"`.
#[wasm_bindgen]
impl ProxyShardClient {
    /// The live proxies of a **Datacenter / ISP** order, with credentials and ports
    /// (`GET /user/api/proxies/active`; 403 for other orders). Passwords are returned to you
    /// and never logged by proxykit.
    ///
    /// Rules (checked before sending): `order_id` a positive id.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = listActiveProxies, unchecked_return_type = "Promise<ActiveProxiesResponse>")]
    pub fn list_active_proxies(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListActiveProxiesParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListActiveProxiesParams>(params, options)
    }

    /// Marks (`value: true`) or unmarks IPs of a **Datacenter / ISP** order for removal
    /// (`POST …/orders/{order_id}/del-np/set`); quantity and price are recomputed; one IP must remain.
    ///
    /// Rules (checked before sending): `order_id` a positive id; each item an IP address (IPv4 or
    /// IPv6) with a boolean `value`.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = setPerIpDeletion, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn set_per_ip_deletion(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetPerIpDeletionParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<SetPerIpDeletionParams>(params, options)
    }

    /// Sets p0f OS signatures of IPs of a **Datacenter / ISP** order
    /// (`POST …/orders/{order_id}/signature/set`). Needs free `p0f_slots`: the first signature on
    /// an IP uses a slot for good.
    ///
    /// Rules (checked before sending): `order_id` a positive id; one or more items, each an IP
    /// address and a signature in ios / macos / android / linux / win10 / win11.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = setP0fSignatures, unchecked_return_type = "Promise<SignatureSetResponse>")]
    pub fn set_p0f_signatures(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetP0fSignaturesParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<SetP0fSignaturesParams>(params, options)
    }

    /// Prices extra add-on units for an active **Datacenter / ISP** order
    /// (`GET …/orders/{order_id}/addons/calculate`); prices in cents. Nothing is charged.
    ///
    /// Rules (checked before sending): `order_id` a positive id; `addon_key` non-empty
    /// (`p0f_slots` is the only documented key); `add_qty` ≥ 1.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = quoteAddon, unchecked_return_type = "Promise<AddonCalculateResponse>")]
    pub fn quote_addon(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QuoteAddonParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<QuoteAddonParams>(params, options)
    }

    /// Buys extra add-on units (`POST …/orders/{order_id}/addons/purchase`). **Moves money**
    /// (wallet, at once); the order must be active and **Datacenter / ISP**.
    ///
    /// Rules (checked before sending): `order_id` a positive id; `addon_key` non-empty; `add_qty`
    /// ≥ 1.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = purchaseAddon, unchecked_return_type = "Promise<AddonPurchaseResponse>")]
    pub fn purchase_addon(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PurchaseAddonParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<PurchaseAddonParams>(params, options)
    }

    /// Drops a scheduled add-on downgrade (`POST …/orders/{order_id}/addons/schedule/cancel`).
    /// **Datacenter / ISP only.**
    ///
    /// Rules (checked before sending): `order_id` a positive id; `addon_key` non-empty.
    ///
    /// Docs: <https://docs.proxyshard.com/eng/custom-api/datacenter-and-isp-proxies>
    #[wasm_bindgen(js_name = cancelAddonDowngrade, unchecked_return_type = "Promise<AddonsResponse>")]
    pub fn cancel_addon_downgrade(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CancelAddonDowngradeParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<CancelAddonDowngradeParams>(params, options)
    }

    /// Switches the billing cycle of a **Datacenter / ISP** order
    /// (`POST /user/api/orders/change-billing-cycle/{order_id}`); 403 when the cycle is not offered
    /// to you; a promo code not valid for the new cycle is dropped by the vendor.
    ///
    /// Rules (checked before sending): `order_id` a positive id; `cycle` non-empty (names come
    /// from `listProducts`).
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = changeBillingCycle, unchecked_return_type = "Promise<ChangeBillingCycleResponse>")]
    pub fn change_billing_cycle(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChangeBillingCycleParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ChangeBillingCycleParams>(params, options)
    }

    /// Turns auto-renewal of a **Datacenter / ISP** order on or off
    /// (`POST /user/api/orders/edit-auto-renewal/{order_id}?auto_renewal=`).
    ///
    /// Rules (checked before sending): `order_id` a positive id; `auto_renewal` a boolean.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = setAutoRenewal, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn set_auto_renewal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetAutoRenewalParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<SetAutoRenewalParams>(params, options)
    }

    /// The catalogue (`GET /user/api/proxies/products`): the only source of product names,
    /// location codes and cycle names.
    ///
    /// Rules (checked before sending): takes no params.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = listProducts, unchecked_return_type = "Promise<ProductsResponse>")]
    pub fn list_products(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListProductsParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListProductsParams>(params, options)
    }

    /// Stock per country and product (`GET /user/api/proxies/available-count`; a bare list).
    ///
    /// Rules (checked before sending): takes no params.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = getAvailableCounts, unchecked_return_type = "Promise<AvailableCount[]>")]
    pub fn get_available_counts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetAvailableCountsParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<GetAvailableCountsParams>(params, options)
    }

    /// The account summary: e-mail, number of active orders and wallet balance in US **cents**
    /// (`GET /user/api/me`). Handy as a key check.
    ///
    /// Rules (checked before sending): takes no params; needs `apiKey` (`invalid_input` before
    /// sending when none is configured).
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = getMe, unchecked_return_type = "Promise<MeResponse>")]
    pub fn get_me(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetMeParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<GetMeParams>(params, options)
    }

    /// One page of orders by `status` (`GET /user/api/orders`). For every page use `iterateOrders`.
    ///
    /// Rules (checked before sending): `status` one of active / on-hold / cancelled / all;
    /// `offset` ≥ 0 (default 0); `limit` 1–100 (default 20).
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = listOrders, unchecked_return_type = "Promise<OrderListResponse>")]
    pub fn list_orders(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProxyShardListOrdersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListOrdersParams>(params, options)
    }

    /// An order's details (`GET /user/api/orders/{id}`): money in cents, add-ons, p0f slots.
    ///
    /// Rules (checked before sending): `id` a positive id.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = getOrder, unchecked_return_type = "Promise<OrderDetailResponse>")]
    pub fn get_order(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetOrderParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<GetOrderParams>(params, options)
    }

    /// Pays an order's next period from the wallet (`POST /user/api/orders/{id}/renew`).
    /// **Moves money.** Only for orders in status **on-hold** (the server checks it).
    ///
    /// Rules (checked before sending): `id` a positive id.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = renewOrder, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn renew_order(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RenewOrderParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<RenewOrderParams>(params, options)
    }

    /// Labels an order (`POST /user/api/orders/{id}/tag`).
    ///
    /// Rules (checked before sending): `id` a positive id; `tag` a string (required).
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = setOrderTag, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn set_order_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetOrderTagParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<SetOrderTagParams>(params, options)
    }

    /// Buys more traffic (whole **GB**) for a **residential** order
    /// (`POST /user/api/orders/{id}/add-bandwidth`). **Moves money.**
    ///
    /// Rules (checked before sending): `id` a positive id; `amount` a whole number of GB (no
    /// minimum is documented).
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = addBandwidth, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn add_bandwidth(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AddBandwidthParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<AddBandwidthParams>(params, options)
    }

    /// The owner's residential traffic in **bytes** and gateway password
    /// (`GET /user/api/proxies/profile`).
    ///
    /// Rules (checked before sending): `proxy_type` one of standart / premium / unlimited.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = getResidentialProfile, unchecked_return_type = "Promise<ResidentialProfileResponse>")]
    pub fn get_residential_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetResidentialProfileParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<GetResidentialProfileParams>(params, options)
    }

    /// One page of residential sub-users (`GET /user/api/proxies/sub-users`; `count` is the
    /// total). For every page use `iterateSubUsers`.
    ///
    /// Rules (checked before sending): `proxy_type` from the list; `offset` ≥ 0; `limit` ≥ 1
    /// (default 20).
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = listSubUsers, unchecked_return_type = "Promise<SubUsersResponse>")]
    pub fn list_sub_users(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListSubUsersParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListSubUsersParams>(params, options)
    }

    /// Creates a residential sub-user with traffic from the owner's balance
    /// (`POST /user/api/proxies/sub-user`).
    ///
    /// Rules (checked before sending): `proxy_type` from the list; `name` non-empty; `data` whole
    /// GB ≥ 1.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = createSubUser, unchecked_return_type = "Promise<SubUsersResponse>")]
    pub fn create_sub_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateSubUserParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<CreateSubUserParams>(params, options)
    }

    /// One sub-user (`GET /user/api/proxies/sub-user/{user_id}`).
    ///
    /// Rules (checked before sending): `user_id` non-empty; `proxy_type` from the list.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = getSubUser, unchecked_return_type = "Promise<SubUsersResponse>")]
    pub fn get_sub_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetSubUserParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<GetSubUserParams>(params, options)
    }

    /// Renames a sub-user (`PATCH /user/api/proxies/sub-user/{user_id}`).
    ///
    /// Rules (checked before sending): `user_id` non-empty; `proxy_type` from the list; `name`
    /// non-empty.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = renameSubUser, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn rename_sub_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RenameSubUserParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<RenameSubUserParams>(params, options)
    }

    /// Deletes a sub-user (`DELETE /user/api/proxies/sub-user/{user_id}`).
    ///
    /// Rules (checked before sending): `user_id` non-empty.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = deleteSubUser, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn delete_sub_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeleteSubUserParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<DeleteSubUserParams>(params, options)
    }

    /// Gives a sub-user more traffic from the owner's balance
    /// (`POST …/sub-user/{user_id}/data/add`).
    ///
    /// Rules (checked before sending): `user_id` non-empty; `proxy_type` from the list; `data`
    /// whole GB ≥ 1.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = addSubUserTraffic, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn add_sub_user_traffic(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SubUserTrafficParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<AddSubUserTraffic>(params, options)
    }

    /// Takes traffic back from a sub-user (`POST …/sub-user/{user_id}/data/subtract`).
    ///
    /// Rules (checked before sending): `user_id` non-empty; `proxy_type` from the list; `data`
    /// whole GB ≥ 1.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = subtractSubUserTraffic, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn subtract_sub_user_traffic(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SubUserTrafficParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<SubtractSubUserTraffic>(params, options)
    }

    /// Gives a sub-user a new gateway password (`POST …/sub-user/{user_id}/password`); read it
    /// with `getSubUser`.
    ///
    /// Rules (checked before sending): `user_id` non-empty; `proxy_type` from the list.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = regenerateSubUserPassword, unchecked_return_type = "Promise<ApiMessage>")]
    pub fn regenerate_sub_user_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetSubUserParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<RegenerateSubUserPassword>(params, options)
    }

    /// Countries for residential targeting (`GET /user/api/proxies/countries`).
    ///
    /// Rules (checked before sending): `proxy_type` from the list.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = listCountries, unchecked_return_type = "Promise<GeoList>")]
    pub fn list_countries(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListCountriesParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListCountries>(params, options)
    }

    /// Regions of a country (`GET /user/api/proxies/regions`).
    ///
    /// Rules (checked before sending): `proxy_type` from the list; `country_code` non-empty.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = listRegions, unchecked_return_type = "Promise<GeoList>")]
    pub fn list_regions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListRegionsParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListRegions>(params, options)
    }

    /// Cities of a region (`GET /user/api/proxies/cities`).
    ///
    /// Rules (checked before sending): `proxy_type` from the list; `country_code`, `region_code`
    /// non-empty.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = listCities, unchecked_return_type = "Promise<GeoList>")]
    pub fn list_cities(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListCitiesParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListCities>(params, options)
    }

    /// ISPs of a city (`GET /user/api/proxies/isps`): **premium only**; an empty list is normal
    /// outside big cities.
    ///
    /// Rules (checked before sending): `proxy_type` is `premium`; `country_code`, `region_code`,
    /// `city_code` non-empty.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Residential Proxies)
    #[wasm_bindgen(js_name = listIsps, unchecked_return_type = "Promise<GeoList>")]
    pub fn list_isps(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListIspsParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<ListIsps>(params, options)
    }

    /// Deep health check (`GET /health`). Public: the key is never sent. The body is not
    /// documented: JSON is returned as such, other text as a string.
    ///
    /// Rules (checked before sending): takes no params.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Service)
    #[wasm_bindgen(js_name = health, unchecked_return_type = "Promise<HealthReply>")]
    pub fn health(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "HealthParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<HealthParams>(params, options)
    }

    /// Liveness probe (`GET /health/live`). Public: the key is never sent.
    ///
    /// Rules (checked before sending): takes no params.
    ///
    /// Docs: https://docs.proxyshard.com/ (User API → Service)
    #[wasm_bindgen(js_name = healthLive, unchecked_return_type = "Promise<HealthReply>")]
    pub fn health_live(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "HealthParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        self.run::<HealthLiveParams>(params, options)
    }

    /// Creates **and pays** for an order from the wallet (`POST /user/api/orders/purchase`).
    /// **Moves money.** Typed in the .d.ts by a custom section (a union discriminated by
    /// `product`), hence `skip_typescript` here.
    #[wasm_bindgen(js_name = purchaseOrder, skip_typescript)]
    pub fn purchase_order(&self, params: Option<Object>, options: Option<Object>) -> Promise {
        self.run::<PurchaseOrderParams>(params, options)
    }

    /// Prices a purchase (`GET /user/api/orders/calculate`); typed like `purchaseOrder`.
    #[wasm_bindgen(js_name = quoteOrder, skip_typescript)]
    pub fn quote_order(&self, params: Option<Object>, options: Option<Object>) -> Promise {
        self.run::<QuoteOrderParams>(params, options)
    }
}
