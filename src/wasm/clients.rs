//! What both JS client classes share: building the core client from the options object and
//! running one call (params read synchronously, then a promise).

use std::rc::Rc;

use js_sys::{Object, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::convert::{client_options_from_js, error_to_js, failure_to_js, reply_to_js};
use crate::client::{Client, ReplyCheck};
use crate::config::{ClientConfig, Defaults};
#[cfg(feature = "proxyshard")]
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

/// How a reply is finished: checked while parsed and handed to `JSON.parse` (the common
/// path), or built as a value first (for `after`, and for bodies that may not be JSON).
/// `#[inline(always)]` so the choice is a constant where `after` and `E::ANY_BODY` are.
#[inline(always)]
pub(crate) fn finish_for(has_after: bool, any_body: bool) -> Finish {
    if has_after || any_body {
        finish_value
    } else {
        finish_fast
    }
}

/// Turns a call's reply (and how many requests it took) into the JS result.
pub(crate) type Finish = fn(
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

/// Reads an operation's params (JSON) and builds its request: the one step of a call that
/// depends on the operation (see [`run_erased`]). Its arguments: the params, the call options
/// named in [`Op::extra`] (as JSON), the client, and what the provider's rules need besides
/// (`()` for ProxyShard, the catalogue for Proxy-Solutions). A plain function pointer, not a
/// closure: no closure type or vtable per operation.
pub(crate) type Prepare<C> =
    fn(&Value, &Value, &Client<FetchTransport>, &C) -> Result<HttpRequest, Error>;

/// [`Prepare`] for operation `E` with no extra call options or context: params read and
/// checked, request built.
#[cfg(feature = "proxyshard")]
pub(crate) fn prepare<E: Endpoint + crate::json::FromJson>(
    params: &Value,
    _: &Value,
    client: &Client<FetchTransport>,
    _: &(),
) -> Result<HttpRequest, Error> {
    E::from_json(params)?.build(client.config())
}

/// An operation as data, for [`run_erased`]: how its request is prepared, which call
/// options it takes besides the common ones, how its reply is checked and finished.
pub(crate) struct Op<C> {
    pub prepare: Prepare<C>,
    pub extra: &'static [&'static str],
    pub check: ReplyCheck,
    pub finish: Finish,
}

/// What `__call` answers for an operation number its table does not have: a rejected
/// promise with a typed error. The generated methods only pass numbers from the table, so
/// this is reached only by calling `__call` directly.
pub(crate) fn unknown_operation(op: u32) -> Promise {
    Promise::reject(&error_to_js(Error::invalid(
        "operation",
        format!("{op} is not an operation of this client"),
    )))
}

/// A whole call with the operation given as data ([`Op`]) and what runs on a successful
/// reply. Compiled once, where a generic call path used to be inlined into every method: a generated method is
/// now a call with constants. The call options are read before the params' fields (an error
/// in both reports the option first). `finish` is chosen at the call site ([`finish_for`]),
/// so a build that never takes the fast path does not link it (Proxy-Solutions, whose calls
/// all learn from their reply: 16 kB of check-while-parsing code). The async part (`send`)
/// takes only the request and a [`ReplyCheck`] value, so its state machine and
/// `future_to_promise` are compiled once, not once per operation (about 5 kB each).
#[inline(never)]
pub(crate) fn run_erased<C>(
    client: &Inner,
    context: &C,
    params: Option<Object>,
    options: Option<Object>,
    op: Op<C>,
    after: Option<AfterReply>,
) -> Promise {
    let prepared = super::convert::params_json(params).and_then(|json| {
        let (opts, extra) = super::convert::call_options_from_js(options, op.extra)?;
        let mut request = (op.prepare)(&json, &extra, client, context)?;
        if let Some(t) = opts.timeout_ms {
            request.timeout_ms = Some(t);
        }
        Ok((request, opts))
    });
    let (request, opts) = match prepared {
        Ok(p) => p,
        Err(e) => return reject(e),
    };
    send(
        Rc::clone(client),
        request,
        opts.signal,
        opts.retries,
        op.check,
        after,
        op.finish,
    )
}

/// A rejected promise carrying the error (bad params never throw synchronously).
pub(crate) fn reject(e: Error) -> Promise {
    Promise::reject(&error_to_js(e))
}
