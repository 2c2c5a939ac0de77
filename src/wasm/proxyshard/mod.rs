//! `ProxyShardClient` (here), its page iterators (`pages.rs`), `ProxyShardRules`
//! (`rules.rs`) and the typings written by hand (`typings.rs`).

mod ops;
mod pages;
#[cfg(feature = "rules")]
mod rules;
mod typings;

use js_sys::Object;
use wasm_bindgen::prelude::*;

use super::clients::{build_client, call_steps, finish_for, prepare, How, Inner, Op};
use super::convert::{error_to_js, params_from_js};
use crate::client::reply_check;
use crate::endpoint::Endpoint;
use crate::json::FromJson;
use crate::proxyshard;
use crate::proxyshard::endpoints::*;
use crate::proxyshard::walk::ListWalk;
use pages::PageIterator;

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
}

/// An operation of this client as data (`ops.rs` holds the table).
type ClientOp = Op<()>;

/// Operation `E` as data: params read and checked, request built; the reply is checked
/// while parsed.
fn op<E: Endpoint + FromJson + 'static>() -> ClientOp {
    Op {
        prepare: How::Code(prepare::<E>),
        extra: &[],
        check: reply_check::<E>(),
        finish: finish_for(false, E::ANY_BODY),
    }
}

/// An operation that is data ([`crate::wire`]): read, checked and built by the interpreter;
/// the reply is checked while parsed.
#[inline(never)]
fn wire_op(w: &'static crate::wire::Wire) -> ClientOp {
    Op {
        prepare: How::Wire(w),
        extra: &[],
        check: crate::client::ReplyCheck {
            operation: w.op,
            schema: w.reply,
            any_body: w.any_body,
        },
        finish: finish_for(false, w.any_body),
    }
}

/// `scheduleAddonDowngrade` as data: it also reads the `{ order }` call option.
fn schedule_addon_downgrade_op() -> ClientOp {
    Op {
        prepare: How::Code(prepare_downgrade),
        extra: &[ScheduleAddonDowngradeParams::ORDER_OPTION],
        check: reply_check::<ScheduleAddonDowngradeParams>(),
        finish: finish_for(false, ScheduleAddonDowngradeParams::ANY_BODY),
    }
}

/// [`Op::prepare`] of `scheduleAddonDowngrade`: the params, then the `{ order }` call
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

call_steps!(ProxyShardClient, |this| context: &(), after: |_| None);

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

    /// Starts a page walk for the JS iterator methods (`src/wasm/call.js`):
    /// `kind` 0 walks `listOrders` pages (`iterateOrders`), 1 `listSubUsers` pages
    /// (`iterateSubUsers`). Throws the typed error of bad params or options.
    #[wasm_bindgen(js_name = __walk, skip_typescript)]
    pub fn walk(
        &self,
        kind: u32,
        params: Option<Object>,
        options: Option<Object>,
    ) -> Result<PageIterator, JsValue> {
        let walk = if kind == 0 {
            params_from_js::<ListOrdersParams>(params).and_then(ListWalk::orders)
        } else {
            params_from_js::<ListSubUsersParams>(params).and_then(ListWalk::sub_users)
        };
        PageIterator::start(&self.inner, walk.map_err(error_to_js)?, options)
    }
}
