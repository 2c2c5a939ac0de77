//! The wasm transport: the runtime's `fetch` (looked up at each call, so a patched global is
//! used) or a `fetch` function the caller supplied, through one path.
//!
//! The request goes to `fetch(url, init)` with a plain `init` (`method`, `headers`, `body`,
//! `signal`, `redirect: "manual"`), never through `web_sys::window()` (absent outside a page)
//! and no longer through gloo-net: gloo-net built a `Request`, a `URL`, `URLSearchParams` and
//! `Headers` per call (40–145 µs measured, plus 4 KB gzip of wasm), and its error conversion
//! traps (`unreachable!`) on a fetch that rejects with a non-`Error`, which took Node down.
//!
//! The racing and reading live in `fetch.js` beside this file (one call, one promise): the
//! timeout and the caller's `AbortSignal` end the call whether or not the fetch honours the
//! signal; a redirect is never followed (the key would go to the target, and a money call
//! could be sent again); the body is read as bytes and counted as it arrives (after any
//! `Content-Encoding` is decoded), so a reply over `max_response_bytes` stops at the cap and
//! never enters wasm memory. Whatever the fetch does becomes a typed error, never a trap.

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::{CallEvent, Transport};
use crate::error::{Cause, Error};
use crate::http::{HttpRequest, HttpResponse};

#[wasm_bindgen(module = "/src/transport/fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = pkSend)]
    #[allow(clippy::too_many_arguments)]
    fn pk_send(
        fetch: Option<&Function>,
        url: &str,
        method: &str,
        header_lines: &str,
        body: Option<&str>,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
        max_bytes: u32,
    ) -> Promise;

    #[wasm_bindgen(js_name = pkSleep)]
    fn pk_sleep(ms: u32, signal: Option<&AbortSignal>) -> Promise;
}

// `fetch.js`'s two result classes, read by their fields (no import of the module: the JS call
// loop of the clients, `src/wasm/call.js`, hands them over too).
#[wasm_bindgen]
extern "C" {
    /// What `fetch.js` settles with: a [`Reply`] or a [`Failure`], both with a `status`
    /// (one getter import for the two).
    pub(crate) type Settled;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Settled) -> u16;

    /// A reply read whole (see `fetch.js`).
    #[wasm_bindgen(extends = Settled)]
    pub(crate) type Reply;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Reply) -> Uint8Array;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Reply) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn location(this: &Reply) -> Option<String>;
    /// The kept headers of a non-2xx reply as `name\nvalue\n…` (see `fetch.js`).
    #[wasm_bindgen(method, getter)]
    fn kept(this: &Reply) -> Option<String>;

    /// Why a request failed (see `fetch.js`).
    #[wasm_bindgen(extends = Settled)]
    pub(crate) type Failure;
    #[wasm_bindgen(method, getter)]
    fn kind(this: &Failure) -> u8;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Failure) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn cause(this: &Failure) -> JsValue;
}

/// `fetch`, global or caller-supplied.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    custom: Option<Function>,
    hooks: Hooks,
}

/// The caller's `onRequest` / `onResponse` / `onRetry` functions (client options).
#[derive(Clone, Debug, Default)]
pub struct Hooks {
    /// Called before each request is sent.
    pub on_request: Option<Function>,
    /// Called when a request ends (a reply of any status, or a failure).
    pub on_response: Option<Function>,
    /// Called before the wait of a retry.
    pub on_retry: Option<Function>,
}

impl FetchTransport {
    /// Uses the global `fetch`, looked up at each call.
    pub fn global() -> Self {
        FetchTransport {
            custom: None,
            hooks: Hooks::default(),
        }
    }

    /// Uses `fetch`, called as `fetch(url, init)`.
    pub fn with_fetch(fetch: Function) -> Self {
        FetchTransport {
            custom: Some(fetch),
            hooks: Hooks::default(),
        }
    }

    /// The caller's `fetch`, when one was given.
    pub fn custom(&self) -> Option<&Function> {
        self.custom.as_ref()
    }

    /// The caller's hooks.
    pub fn hooks(&self) -> &Hooks {
        &self.hooks
    }

    /// Reports call events to `hooks`.
    pub fn with_hooks(mut self, hooks: Hooks) -> Self {
        self.hooks = hooks;
        self
    }
}

/// The request's headers as `name\nvalue\n…` (one string, one crossing; `pkSend` splits it).
pub(crate) fn header_lines(request: &HttpRequest) -> String {
    let mut lines = String::with_capacity(96);
    for (i, (k, v)) in request.headers.iter().enumerate() {
        if i > 0 {
            lines.push('\n');
        }
        lines.push_str(k);
        lines.push('\n');
        lines.push_str(v);
    }
    lines
}

/// Calls a hook with one plain object; whatever it throws is dropped (a logging hook must
/// not fail the call), and so is what it returns.
fn call_hook(hook: &Function, fields: &[(&str, JsValue)]) {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    let _ = hook.call1(&JsValue::UNDEFINED, &o);
}

impl Transport for FetchTransport {
    type Signal = AbortSignal;

    fn observes(&self) -> bool {
        self.hooks.on_request.is_some()
            || self.hooks.on_response.is_some()
            || self.hooks.on_retry.is_some()
    }

    fn observe(&self, event: &CallEvent<'_>) {
        let opt = |v: Option<JsValue>| v.unwrap_or(JsValue::UNDEFINED);
        match event {
            CallEvent::Request {
                operation,
                method,
                path,
                attempt,
            } => {
                if let Some(h) = &self.hooks.on_request {
                    call_hook(
                        h,
                        &[
                            ("operation", (*operation).into()),
                            ("method", (*method).into()),
                            ("path", (*path).into()),
                            ("attempt", (*attempt).into()),
                        ],
                    );
                }
            }
            CallEvent::Response {
                operation,
                method,
                path,
                attempt,
                status,
                code,
                elapsed_ms,
            } => {
                if let Some(h) = &self.hooks.on_response {
                    call_hook(
                        h,
                        &[
                            ("operation", (*operation).into()),
                            ("method", (*method).into()),
                            ("path", (*path).into()),
                            ("attempt", (*attempt).into()),
                            ("status", opt(status.map(JsValue::from))),
                            ("code", opt(code.map(JsValue::from))),
                            ("elapsedMs", (*elapsed_ms).into()),
                        ],
                    );
                }
            }
            CallEvent::Retry {
                operation,
                method,
                path,
                attempt,
                delay_ms,
            } => {
                if let Some(h) = &self.hooks.on_retry {
                    call_hook(
                        h,
                        &[
                            ("operation", (*operation).into()),
                            ("method", (*method).into()),
                            ("path", (*path).into()),
                            ("attempt", (*attempt).into()),
                            ("delayMs", (*delay_ms as f64).into()),
                        ],
                    );
                }
            }
        }
    }

    async fn send(
        &self,
        request: &HttpRequest,
        signal: Option<&AbortSignal>,
    ) -> Result<HttpResponse, Error> {
        let lines = header_lines(request);
        let timeout_ms = request.timeout_ms.unwrap_or(0);
        let promise = pk_send(
            self.custom.as_ref(),
            &request.url,
            request.method.as_str(),
            &lines,
            request.body.as_deref(),
            timeout_ms,
            signal,
            request.max_response_bytes,
        );
        let settled = JsFuture::from(promise).await;
        attempt_result(
            settled,
            request.timeout_ms.unwrap_or(0),
            request.max_response_bytes,
        )
    }

    async fn sleep(&self, ms: u32, signal: Option<&AbortSignal>) -> Result<(), Error> {
        JsFuture::from(pk_sleep(ms, signal))
            .await
            .map(|_| ())
            .map_err(|_| Error::Aborted)
    }

    fn is_aborted(&self, signal: Option<&AbortSignal>) -> bool {
        signal.is_some_and(|s| s.aborted())
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// How `pkSend` settled (resolved with a `Reply`, rejected with a `Failure`) as one
/// attempt's result, for a request with this timeout (`0`: none) and body cap.
pub(crate) fn attempt_result(
    settled: Result<JsValue, JsValue>,
    timeout_ms: u32,
    max_bytes: u32,
) -> Result<HttpResponse, Error> {
    let reply: Reply = match settled {
        Ok(v) if v.is_object() => v.unchecked_into(),
        // fetch.js rejects only with its own Failure objects; anything else (it cannot
        // happen, but a getter on it must not throw inside wasm) is a plain network error.
        Err(v) if v.is_object() => return Err(failure(v.unchecked_into(), timeout_ms, max_bytes)),
        _ => return Err(Error::network("the fetch failed")),
    };
    let body = utf8_or_marked(reply.body().to_vec());
    let mut headers = Vec::new();
    if let Some(v) = reply.retry_after() {
        headers.push(("retry-after".to_owned(), v));
    }
    if let Some(v) = reply.location() {
        headers.push(("location".to_owned(), v));
    }
    if let Some(kept) = reply.kept() {
        let mut parts = kept.split('\n');
        while let (Some(k), Some(v)) = (parts.next(), parts.next()) {
            if k != "retry-after" && !k.is_empty() {
                headers.push((k.to_owned(), v.to_owned()));
            }
        }
    }
    Ok(HttpResponse {
        status: reply.status(),
        headers,
        body,
    })
}

/// The body as text. A body that is not UTF-8 (no JSON reply is) is kept readable for the
/// error it will become, each invalid byte shown as `?`: one byte for one, so the size cap
/// (already checked on the bytes) still holds, which U+FFFD (three bytes) would break.
fn utf8_or_marked(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let (good, bad) = rest.split_at(e.valid_up_to());
                        out.push_str(std::str::from_utf8(good).unwrap_or_default());
                        let skip = e.error_len().unwrap_or(bad.len()).max(1);
                        out.extend(std::iter::repeat_n('?', skip));
                        rest = &bad[skip.min(bad.len())..];
                    }
                }
            }
            out
        }
    }
}

/// A rejection of `pkSend` as an [`Error`]. The operation of a
/// [`Error::ResponseTooLarge`] is filled in by the client.
fn failure(f: Failure, timeout_ms: u32, max_bytes: u32) -> Error {
    match f.kind() {
        2 => Error::Timeout {
            after_ms: timeout_ms,
        },
        3 => Error::Aborted,
        4 => Error::ResponseTooLarge {
            operation: "",
            status: f.status(),
            limit: max_bytes,
        },
        _ => {
            let cause = f.cause();
            Error::Network {
                message: f
                    .message()
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "the fetch failed".to_owned()),
                cause: Some(Cause(cause)),
            }
        }
    }
}
