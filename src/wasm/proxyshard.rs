//! `ProxyShardClient`.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::clients::{build_client, reject, spawn, Inner};
use super::convert::{call_options_from_js, params_from_js};
use crate::proxyshard;
use crate::proxyshard::endpoints::GetMeParams;

const OPTIONS: &[&str] = &["apiKey", "baseUrl", "fetch", "timeout"];

/// Client of the ProxyShard User API v1.1.0 (<https://docs.proxyshard.com/user-api/general>).
///
/// Every method takes one params object with the vendor's wire field names and an optional
/// `CallOptions`, and resolves to the reply with wire field names. Failures reject with a
/// `ProxykitError` (see `isProxykitError`).
#[wasm_bindgen]
pub struct ProxyShardClient {
    inner: Inner,
}

impl ProxyShardClient {
    fn run<E>(&self, params: Option<Object>, options: Option<Object>) -> Promise
    where
        E: crate::endpoint::Endpoint + crate::json::FromJson + 'static,
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
            inner: build_client(options, OPTIONS, proxyshard::DEFAULTS)?,
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
        self.run::<GetMeParams>(params, options)
    }
}
