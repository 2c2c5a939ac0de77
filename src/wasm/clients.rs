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
use crate::http::{HttpRequest, HttpResponse};
use crate::transport::fetch::FetchTransport;

pub(crate) type Inner = Rc<Client<FetchTransport>>;

/// Runs on a successful reply before it is handed to JS.
pub(crate) type AfterReply = Box<dyn FnOnce(&Value)>;

/// The core client from a provider's options object; the options it takes are the core's
/// ([`Defaults::option_names`]).
pub(crate) fn build_client(options: Option<Object>, defaults: Defaults) -> Result<Inner, JsValue> {
    let allowed = defaults.option_names();
    let (input, fetch, hooks) = client_options_from_js(options, &allowed).map_err(error_to_js)?;
    let config = ClientConfig::from_input(input, defaults).map_err(error_to_js)?;
    let transport = match fetch {
        Some(f) => FetchTransport::with_fetch(f),
        None => FetchTransport::global(),
    }
    .with_hooks(hooks);
    Ok(Rc::new(Client::new(config, transport)))
}

/// Builds the endpoint's request now (so bad input rejects before anything is sent) and
/// returns a promise of the checked reply's JSON; `after` sees a successful reply first (the
/// Proxy-Solutions client learns service kinds from it).
///
/// Only building is generic over the endpoint; the async part takes the request and a
/// [`ReplyCheck`] value, so its state machine and `future_to_promise` are compiled once
/// instead of once per operation (about 5 kB each).
///
/// How a call's reply is finished is chosen here, inlined into the caller, where `after` is
/// a known `Some` or `None` and `E::ANY_BODY` a constant, and handed to the one async part as
/// a function: a build whose calls all pass `after` (Proxy-Solutions only) then links no
/// check-while-parsing code (16 kB of wasm), while the async part stays one copy.
#[inline(always)]
pub(crate) fn spawn<E>(
    client: &Inner,
    endpoint: &E,
    opts: CallOpts,
    after: Option<AfterReply>,
) -> Promise
where
    E: Endpoint,
{
    let request = match client.prepare(endpoint, opts.timeout_ms) {
        Ok(request) => request,
        Err(e) => return reject(e),
    };
    let check = reply_check::<E>();
    let finish: Finish = match after {
        None if !check.any_body => finish_fast,
        _ => finish_value,
    };
    send(
        Rc::clone(client),
        request,
        opts.signal,
        opts.retries,
        check,
        after,
        finish,
    )
}

/// Turns a call's reply (and how many requests it took) into the JS result.
type Finish = fn(
    &Client<FetchTransport>,
    HttpResponse,
    u32,
    ReplyCheck,
    Option<AfterReply>,
) -> Result<JsValue, JsValue>;

fn send(
    client: Inner,
    request: HttpRequest,
    signal: Option<AbortSignal>,
    retries: Option<u32>,
    check: ReplyCheck,
    after: Option<AfterReply>,
    finish: Finish,
) -> Promise {
    future_to_promise(async move {
        let (response, attempts) = client
            .send_counted(request, signal.as_ref(), check.operation, retries)
            .await
            .map_err(failure_to_js)?;
        finish(&client, response, attempts, check, after)
    })
}

/// The common path: the reply is checked while it is parsed (no value is built) and the
/// engine's `JSON.parse` makes the JS.
fn finish_fast(
    client: &Client<FetchTransport>,
    response: HttpResponse,
    attempts: u32,
    check: ReplyCheck,
    _: Option<AfterReply>,
) -> Result<JsValue, JsValue> {
    let text = client
        .finish_fast(response, attempts, check)
        .map_err(failure_to_js)?;
    js_sys::JSON::parse(&text).map_err(|_| {
        error_to_js(Error::network(
            "the runtime's JSON.parse refused a reply proxykit had checked",
        ))
    })
}

/// The path that builds the reply's value: for `after`, and for [`Endpoint::ANY_BODY`]
/// calls, whose body may not be JSON.
fn finish_value(
    client: &Client<FetchTransport>,
    response: HttpResponse,
    attempts: u32,
    check: ReplyCheck,
    after: Option<AfterReply>,
) -> Result<JsValue, JsValue> {
    let (reply, text) = client
        .finish_text(response, attempts, check)
        .map_err(failure_to_js)?;
    if let Some(after) = after {
        after(&reply);
    }
    reply_to_js(&reply, &text).map_err(error_to_js)
}

/// A rejected promise carrying the error (bad params never throw synchronously).
pub(crate) fn reject(e: Error) -> Promise {
    Promise::reject(&error_to_js(e))
}
