//! What both JS client classes share: building the core client from the options object and
//! running one call (params read synchronously, then a promise).

use std::rc::Rc;

use js_sys::{Array, Object};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{client_options_from_js, error_to_js, failure_to_js, reply_to_js};
use crate::client::{delivered, is_redirect, url_path, Client, ReplyCheck};
use crate::config::{ClientConfig, Defaults};
#[cfg(feature = "proxyshard")]
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::policy::{self, Next, Outcome};
use crate::transport::fetch::{attempt_result, header_lines, FetchTransport};
use crate::transport::Transport;
#[cfg(feature = "proxyshard")]
use crate::wire::Wire;

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
/// A body that may not be JSON without `after` (ProxyShard's health probes) is checked as
/// text, as the common path checks, so the ProxyShard module links one reply checker;
/// Proxy-Solutions, whose replies all have an `after`, links only the check of the value.
#[inline(always)]
pub(crate) fn finish_for(has_after: bool, any_body: bool) -> Finish {
    if has_after {
        finish_value
    } else if any_body {
        finish_any
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

/// The path for bodies that may not be JSON, without `after` (see [`finish_for`]): as
/// [`finish_value`], with the text check and no `after`. Not one function with a const
/// parameter: that linked the `after` call into the ProxyShard module, which has none
/// (+36 B gzip, measured, against a storefront margin of ~120 B).
fn finish_any(
    client: &Client<FetchTransport>,
    response: HttpResponse,
    attempts: u32,
    check: ReplyCheck,
    _: Option<AfterReply>,
) -> Result<JsValue, JsValue> {
    let (reply, text) = client
        .finish_text_checked_as_text(response, attempts, check)
        .map_err(failure_to_js)?;
    reply_to_js(&reply, &text).map_err(error_to_js)
}

/// Reads an operation's params (JSON) and builds its request: the one step of a call that
/// depends on the operation (see [`prepare_call`]). Its arguments: the params, the call options
/// named in [`Op::extra`] (as JSON), the client, and what the provider's rules need besides
/// (`()` for ProxyShard, the catalogue for Proxy-Solutions). A plain function pointer, not a
/// closure: no closure type or vtable per operation.
pub(crate) type Prepare<C> =
    fn(&Value, &Value, &Client<FetchTransport>, &C) -> Result<HttpRequest, Error>;

/// How an operation's request is prepared: by its own [`Prepare`] function, or, for an
/// operation that is data, by the one interpreter over its [`Wire`] (no code per operation).
pub(crate) enum How<C> {
    /// The operation's reader and builder.
    Code(Prepare<C>),
    /// [`crate::wire::build`] over this operation's table entry (ProxyShard's operations
    /// that are data; only in modules with ProxyShard, so the others link no interpreter).
    #[cfg(feature = "proxyshard")]
    Wire(&'static Wire),
}

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

/// An operation as data, for [`prepare_call`] and [`finish_call`]: how its request is prepared, which call
/// options it takes besides the common ones, how its reply is checked and finished.
pub(crate) struct Op<C> {
    pub prepare: How<C>,
    pub extra: &'static [&'static str],
    pub check: ReplyCheck,
    pub finish: Finish,
}

/// The error for an operation number a client's table does not have. The generated methods
/// only pass numbers from the table, so this is reached only by calling `__prepare` directly.
pub(crate) fn unknown_operation(op: u32) -> JsValue {
    error_to_js(Error::invalid(
        "operation",
        format!("{op} is not an operation of this client"),
    ))
}

/// The first half of a call, run by the JS call loop (`src/wasm/call.js`): the call options
/// are read before the params' fields (an error in both reports the option first), then the
/// operation's request is prepared ([`Op::prepare`]). What the loop needs to send it, as one
/// array: `[url, method, headerLines, body, timeoutMs, maxBytes, signal, retries, path]`
/// (`timeoutMs` 0: none; `body`, `signal`, `retries` may be `undefined`; `path`, the URL's
/// path for the hooks, only when the client has hooks). Throws the typed error of bad input;
/// nothing is sent then.
///
/// Why the loop is JS: an `async` export costs a future, `future_to_promise`, a closure per
/// awaited promise and their wasm-bindgen shims (bench/notes.md has the bytes and the µs);
/// here the wasm side is three synchronous calls (this, [`next_delay`], [`finish_call`]),
/// and what they decide (the request, the retry policy, the reply's check and error) is
/// the core's, as for the native client.
#[inline(never)]
pub(crate) fn prepare_call<C>(
    client: &Inner,
    context: &C,
    params: Option<Object>,
    options: Option<Object>,
    op: &Op<C>,
) -> Result<Array, JsValue> {
    let prepared = super::convert::params_json(params).and_then(|json| {
        let (opts, extra) = super::convert::call_options_from_js(options, op.extra)?;
        let mut request = match op.prepare {
            How::Code(prepare) => prepare(&json, &extra, client, context)?,
            #[cfg(feature = "proxyshard")]
            How::Wire(w) => crate::wire::build(w, &json, client.config())?,
        };
        if let Some(t) = opts.timeout_ms {
            request.timeout_ms = Some(t);
        }
        Ok((request, opts))
    });
    let (request, opts) = prepared.map_err(error_to_js)?;
    Ok(request_array(client, &request, opts.signal, opts.retries))
}

/// A prepared request as the JS call loop takes it (see [`prepare_call`]).
pub(crate) fn request_array(
    client: &Inner,
    request: &HttpRequest,
    signal: Option<web_sys::AbortSignal>,
    retries: Option<u32>,
) -> Array {
    let out = Array::new();
    out.push(&JsValue::from_str(&request.url));
    out.push(&JsValue::from_str(request.method.as_str()));
    out.push(&JsValue::from_str(&header_lines(request)));
    out.push(
        &request
            .body
            .as_deref()
            .map_or(JsValue::UNDEFINED, JsValue::from_str),
    );
    out.push(&request.timeout_ms.unwrap_or(0).into());
    out.push(&request.max_response_bytes.into());
    out.push(&signal.map_or(JsValue::UNDEFINED, JsValue::from));
    out.push(&retries.map_or(JsValue::UNDEFINED, JsValue::from));
    if client.transport().observes() {
        out.push(&JsValue::from_str(url_path(&request.url)));
    }
    out
}

/// The caller's I/O functions, for the JS call loop: `[fetch, onRequest, onResponse, onRetry]`,
/// each `undefined` when not given.
pub(crate) fn io(client: &Inner) -> Array {
    let t = client.transport();
    let h = t.hooks();
    let f = |v: Option<&js_sys::Function>| v.map_or(JsValue::UNDEFINED, |f| f.clone().into());
    Array::of4(
        &f(t.custom()),
        &f(h.on_request.as_ref()),
        &f(h.on_response.as_ref()),
        &f(h.on_retry.as_ref()),
    )
}

/// Whether the JS call loop tries again after attempt number `attempts` of `operation`, and
/// after how long: the wait in ms, or -1 to stop ([`policy::next`]). The attempt is given
/// as `fetch.js` reported it: `kind` 0 for a reply (its `status` and `Retry-After`), else
/// the failure's kind (1 network, 2 timeout, 3 aborted, 4 too large).
pub(crate) fn next_delay(
    client: &Inner,
    operation: &'static str,
    attempts: u32,
    retries: Option<u32>,
    kind: u8,
    status: u16,
    retry_after: Option<String>,
) -> i32 {
    let outcome = match kind {
        // A redirect is never followed ([`crate::client::delivered`]), so never retried.
        0 if is_redirect(status) => Outcome::Final,
        0 => Outcome::Status(status, retry_after.as_deref()),
        1 => Outcome::Network,
        2 => Outcome::Timeout,
        _ => Outcome::Final,
    };
    match policy::next(
        &client.retry_policy(retries),
        policy::class_of(operation),
        attempts,
        outcome,
        js_sys::Math::random(),
        js_sys::Date::now(),
    ) {
        Next::RetryAfter(ms) => ms.min(i32::MAX as u32) as i32,
        Next::Stop => -1,
    }
}

/// How the last attempt of a call settled, as the JS call loop hands it to `__finish`:
/// `pkSend` resolved with `value`, a `Reply` (`ok`), or rejected with it, a `Failure`, after
/// `attempts` requests; `url`, `timeout_ms` and `max_bytes` are the prepared request's.
pub(crate) struct Settled<'a> {
    pub attempts: u32,
    pub ok: bool,
    pub value: JsValue,
    pub url: &'a str,
    pub timeout_ms: u32,
    pub max_bytes: u32,
}

impl Settled<'_> {
    /// The reply the call delivered ([`crate::client::delivered`]), or its typed error.
    pub(crate) fn delivered(
        self,
        client: &Inner,
        operation: &'static str,
    ) -> Result<HttpResponse, JsValue> {
        let value = if self.ok {
            Ok(self.value)
        } else {
            Err(self.value)
        };
        delivered(
            operation,
            policy::class_of(operation),
            self.url,
            self.max_bytes,
            attempt_result(value, self.timeout_ms, self.max_bytes),
        )
        .map_err(|e| failure_to_js(client.failure(self.attempts)(e)))
    }
}

/// The end of a call, run by the JS call loop: its last attempt as the JS result or the
/// typed error ([`Settled::delivered`], then the operation's [`Finish`]).
#[inline(never)]
pub(crate) fn finish_call<C>(
    client: &Inner,
    op: &Op<C>,
    settled: Settled<'_>,
    after: Option<AfterReply>,
) -> Result<JsValue, JsValue> {
    let attempts = settled.attempts;
    let response = settled.delivered(client, op.check.operation)?;
    (op.finish)(client, response, attempts, op.check, after)
}

/// A rejected promise carrying the error (bad params never throw synchronously).
#[cfg(feature = "market")]
pub(crate) fn reject(e: Error) -> js_sys::Promise {
    js_sys::Promise::reject(&error_to_js(e))
}

/// A client class's exports for the JS call loop (`src/wasm/call.js`): `__prepare`,
/// `__next`, `__finish` (the steps above, for operation number `op` of the class's table,
/// `Self::op`) and `__io`. `$this` names `&self` in the two expressions: the rule context
/// [`prepare_call`] passes to [`Op::prepare`], and what runs on a successful reply.
/// Not for callers: the methods named by the operationIds are the API.
macro_rules! call_steps {
    ($client:ident, |$this:ident| context: $context:expr, after: $after:expr) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $client {
            #[wasm_bindgen(js_name = __prepare, skip_typescript)]
            pub fn prepare_op(
                &self,
                op: u32,
                params: Option<js_sys::Object>,
                options: Option<js_sys::Object>,
            ) -> Result<js_sys::Array, wasm_bindgen::JsValue> {
                #[allow(unused_variables)]
                let $this = self;
                let o = Self::op(op).ok_or_else(|| $crate::wasm::clients::unknown_operation(op))?;
                $crate::wasm::clients::prepare_call(&$this.inner, $context, params, options, &o)
            }

            #[wasm_bindgen(js_name = __next, skip_typescript)]
            pub fn next_op(
                &self,
                op: u32,
                attempts: u32,
                retries: Option<u32>,
                kind: u8,
                status: u16,
                retry_after: Option<String>,
            ) -> i32 {
                Self::op(op).map_or(-1, |o| {
                    let (name, inner) = (o.check.operation, &self.inner);
                    $crate::wasm::clients::next_delay(
                        inner,
                        name,
                        attempts,
                        retries,
                        kind,
                        status,
                        retry_after,
                    )
                })
            }

            #[allow(clippy::too_many_arguments)]
            #[wasm_bindgen(js_name = __finish, skip_typescript)]
            pub fn finish_op(
                &self,
                op: u32,
                attempts: u32,
                ok: bool,
                settled: wasm_bindgen::JsValue,
                url: &str,
                timeout_ms: u32,
                max_bytes: u32,
            ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
                #[allow(unused_variables)]
                let $this = self;
                let o = Self::op(op).ok_or_else(|| $crate::wasm::clients::unknown_operation(op))?;
                let after = ($after)(o.check.operation);
                let settled = $crate::wasm::clients::Settled {
                    attempts,
                    ok,
                    value: settled,
                    url,
                    timeout_ms,
                    max_bytes,
                };
                $crate::wasm::clients::finish_call(&$this.inner, &o, settled, after)
            }

            #[wasm_bindgen(js_name = __io, skip_typescript)]
            pub fn io_fns(&self) -> js_sys::Array {
                $crate::wasm::clients::io(&self.inner)
            }
        }
    };
}
pub(crate) use call_steps;
