//! What both JS client classes share: building the core client from the options object and
//! running one call (params read synchronously, then a promise).

use std::rc::Rc;

use js_sys::{Object, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{client_options_from_js, error_to_js, json_to_js, CallOpts};
use crate::client::{CallOptions, Client};
use crate::config::{ClientConfig, Defaults};
use crate::endpoint::Endpoint;
use crate::transport::fetch::FetchTransport;

pub(crate) type Inner = Rc<Client<FetchTransport>>;

pub(crate) fn build_client(
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

/// Sends a prepared endpoint and resolves to the reply's JSON; `after` sees a successful
/// reply first (the Proxy-Solutions client learns service kinds from it).
pub(crate) fn spawn<E>(
    client: &Inner,
    endpoint: E,
    opts: CallOpts,
    after: impl FnOnce(&Value) + 'static,
) -> Promise
where
    E: Endpoint + 'static,
{
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
        after(&reply);
        json_to_js(&reply).map_err(error_to_js)
    })
}

/// A rejected promise carrying the error (bad params never throw synchronously).
pub(crate) fn reject(e: crate::error::Error) -> Promise {
    Promise::reject(&error_to_js(e))
}
