//! `ProxySolutionsClient` and `ProxyShardClient`: one async method per operation, named by
//! its `operationId`, taking one params object with wire (snake_case) field names and an
//! optional call-options object, resolving to the reply with wire field names.

use std::rc::Rc;

use js_sys::{Object, Promise};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{
    call_options_from_js, client_options_from_js, error_to_js, json_to_js, params_from_js,
};
use crate::client::{CallOptions, Client};
use crate::config::{ClientConfig, Defaults};
use crate::endpoint::Endpoint;
use crate::transport::fetch::FetchTransport;
use crate::{proxy_solutions, proxyshard};

type Inner = Rc<Client<FetchTransport>>;

fn build_client(
    options: Option<Object>,
    allowed: &[&str],
    defaults: Defaults,
) -> Result<Inner, JsValue> {
    let (input, fetch) = client_options_from_js(options, allowed).map_err(error_to_js)?;
    let config = ClientConfig::from_input(input, defaults).map_err(error_to_js)?;
    let transport = match fetch {
        Some(f) => FetchTransport::with_fetch(f),
        None => FetchTransport::global(),
    };
    Ok(Rc::new(Client::new(config, transport)))
}

/// Runs one operation. The params and call options are read synchronously, before the call
/// returns, so a caller mutating its object afterwards cannot change what is sent; a bad
/// value yields a rejected promise (never a synchronous throw, never a trap).
fn run<E>(client: &Inner, params: Option<Object>, options: Option<Object>) -> Promise
where
    E: Endpoint + DeserializeOwned + 'static,
{
    let prepared =
        params_from_js::<E>(params).and_then(|ep| call_options_from_js(options).map(|o| (ep, o)));
    let (endpoint, opts) = match prepared {
        Ok(p) => p,
        Err(e) => return Promise::reject(&error_to_js(e)),
    };
    let client = Rc::clone(client);
    future_to_promise(async move {
        let call = CallOptions {
            timeout_ms: opts.timeout_ms,
            signal: opts.signal.as_ref(),
        };
        let reply = client
            .call_json(&endpoint, call)
            .await
            .map_err(error_to_js)?;
        json_to_js(&reply).map_err(error_to_js)
    })
}

const PROXY_SOLUTIONS_OPTIONS: &[&str] = &[
    "apiKey",
    "baseUrl",
    "authHeader",
    "authPrefix",
    "fetch",
    "timeout",
];
const PROXYSHARD_OPTIONS: &[&str] = &["apiKey", "baseUrl", "fetch", "timeout"];

/// Client of the Proxy-Solutions v3 API (<https://proxy-solutions.gitbook.io/api-en/>).
///
/// Every method takes one params object with the vendor's wire field names and an optional
/// `CallOptions`, and resolves to the reply with wire field names. Failures reject with a
/// `ProxykitError` (see `isProxykitError`).
#[wasm_bindgen]
pub struct ProxySolutionsClient {
    inner: Inner,
}

#[wasm_bindgen]
impl ProxySolutionsClient {
    /// Creates a client. Throws an `invalid_input` `ProxykitError` for a malformed option
    /// (a bad URL, a non-string key, an unknown option name).
    ///
    /// The vendor does not publish how the API key is sent: the default is the header
    /// `X-API-KEY: <key>`; change it with `authHeader` / `authPrefix`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ProxySolutionsOptions")] options: Option<
            Object,
        >,
    ) -> Result<ProxySolutionsClient, JsValue> {
        Ok(ProxySolutionsClient {
            inner: build_client(options, PROXY_SOLUTIONS_OPTIONS, proxy_solutions::DEFAULTS)?,
        })
    }

    /// Lists the payment methods usable right now, each with the currencies it accepts
    /// (`GET /merchants`). Pass a merchant's `code` as `merchant` when paying.
    ///
    /// Public call: no key is needed (a configured key is sent anyway). Takes no params; an
    /// unknown param is rejected as `invalid_input`.
    ///
    /// Docs: <https://proxy-solutions.gitbook.io/api-en/documention/orders/payment>
    #[wasm_bindgen(js_name = listMerchants, unchecked_return_type = "Promise<MerchantList>")]
    pub fn list_merchants(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListMerchantsParams")] params: Option<
            Object,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        run::<proxy_solutions::endpoints::ListMerchantsParams>(&self.inner, params, options)
    }
}

/// Client of the ProxyShard User API v1.1.0 (<https://docs.proxyshard.com/user-api/general>).
///
/// Every method takes one params object with the vendor's wire field names and an optional
/// `CallOptions`, and resolves to the reply with wire field names. Failures reject with a
/// `ProxykitError` (see `isProxykitError`).
#[wasm_bindgen]
pub struct ProxyShardClient {
    inner: Inner,
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
            inner: build_client(options, PROXYSHARD_OPTIONS, proxyshard::DEFAULTS)?,
        })
    }

    /// The account summary: e-mail, number of active orders and wallet balance in US
    /// **cents** (`GET /user/api/me`). Handy as a key check.
    ///
    /// Needs `apiKey` (rejected as `invalid_input` before sending when none is configured).
    /// Takes no params.
    ///
    /// Docs: <https://docs.proxyshard.com/user-api/general>
    #[wasm_bindgen(js_name = getMe, unchecked_return_type = "Promise<MeResponse>")]
    pub fn get_me(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetMeParams")] params: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<Object>,
    ) -> Promise {
        run::<proxyshard::endpoints::GetMeParams>(&self.inner, params, options)
    }
}
