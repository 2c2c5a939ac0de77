//! What both JS client classes share: building the core client from the options object and
//! running one call (params read synchronously, then a promise).

use std::rc::Rc;

use js_sys::{Object, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::convert::{client_options_from_js, error_to_js, failure_to_js, reply_to_js, CallOpts};
use crate::client::{reply_check, Client, ReplyCheck};
use crate::config::{ClientConfig, Defaults};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::http::HttpRequest;
use crate::transport::fetch::FetchTransport;

pub(crate) type Inner = Rc<Client<FetchTransport>>;

/// Runs on a successful reply before it is handed to JS.
pub(crate) type AfterReply = Box<dyn FnOnce(&Value)>;

/// The core client from a provider's options object; the options it takes are the core's
/// ([`Defaults::option_names`]).
pub(crate) fn build_client(options: Option<Object>, defaults: Defaults) -> Result<Inner, JsValue> {
    let allowed = defaults.option_names();
    let (input, fetch) = client_options_from_js(options, &allowed).map_err(error_to_js)?;
    let config = ClientConfig::from_input(input, defaults).map_err(error_to_js)?;
    let transport = match fetch {
        Some(f) => FetchTransport::with_fetch(f),
        None => FetchTransport::global(),
    };
    Ok(Rc::new(Client::new(config, transport)))
}

/// Builds the endpoint's request now (so bad input rejects before anything is sent) and
/// returns a promise of the checked reply's JSON; `after` sees a successful reply first (the
/// Proxy-Solutions client learns service kinds from it).
///
/// Only building is generic over the endpoint; the async part takes the request and a
/// [`ReplyCheck`] value, so its state machine and `future_to_promise` are compiled once
/// instead of once per operation (about 5 kB each).
pub(crate) fn spawn<E>(
    client: &Inner,
    endpoint: &E,
    opts: CallOpts,
    after: Option<AfterReply>,
) -> Promise
where
    E: Endpoint,
{
    match client.prepare(endpoint, opts.timeout_ms) {
        Ok(request) => send(
            Rc::clone(client),
            request,
            opts.signal,
            opts.retries,
            reply_check::<E>(),
            after,
        ),
        Err(e) => reject(e),
    }
}

fn send(
    client: Inner,
    request: HttpRequest,
    signal: Option<AbortSignal>,
    retries: Option<u32>,
    check: ReplyCheck,
    after: Option<AfterReply>,
) -> Promise {
    future_to_promise(async move {
        if after.is_none() && !check.any_body {
            // The common path: check while parsing, no value built; JSON.parse makes the JS.
            let text = client
                .send_checked_fast(request, signal.as_ref(), retries, check)
                .await
                .map_err(failure_to_js)?;
            return js_sys::JSON::parse(&text).map_err(|_| {
                error_to_js(crate::error::Error::network(
                    "the runtime's JSON.parse refused a reply proxykit had checked",
                ))
            });
        }
        let (reply, text) = client
            .send_checked_text(request, signal.as_ref(), retries, check)
            .await
            .map_err(failure_to_js)?;
        if let Some(after) = after {
            after(&reply);
        }
        reply_to_js(&reply, &text).map_err(error_to_js)
    })
}

/// A rejected promise carrying the error (bad params never throw synchronously).
pub(crate) fn reject(e: Error) -> Promise {
    Promise::reject(&error_to_js(e))
}
