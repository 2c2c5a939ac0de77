//! The wasm transport: the runtime's `fetch`, through gloo-net, or a `fetch` function the
//! caller supplied (workers with a patched global, edge runtimes, tests).
//!
//! gloo-net binds the *global* `fetch` rather than `window.fetch`, so the same code runs in
//! Node ≥ 18, browser pages and web workers (never `web_sys::window()`, which is `None`
//! outside a page). A user-supplied function is called as `fetch(url, init)` with a plain
//! `init` object and may return any Response-like object (`status`, `headers.get`,
//! `text()`), so test doubles and `undici`/`node-fetch` work unchanged.
//!
//! Cancellation: every request gets its own `AbortController`. The timeout and the caller's
//! `AbortSignal` both abort *that* controller (without a reason), so `fetch` always rejects
//! with a DOMException `AbortError`. Passing the caller's signal straight to `fetch` was
//! rejected: a signal aborted with a non-`Error` reason makes `fetch` reject with that
//! value, which gloo-net's error conversion does not expect (`unreachable!`, a wasm trap).

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::Transport;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method};

/// Response headers proxykit reads; others are not copied out of JS.
const KEPT_HEADERS: &[&str] = &["content-type", "retry-after"];

/// `fetch` over gloo-net, or a caller-supplied `fetch` function.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    custom: Option<Function>,
}

impl FetchTransport {
    /// Uses the global `fetch` (gloo-net).
    pub fn global() -> Self {
        FetchTransport { custom: None }
    }

    /// Uses `fetch`, called as `fetch(url, init)`.
    pub fn with_fetch(fetch: Function) -> Self {
        FetchTransport {
            custom: Some(fetch),
        }
    }
}

impl Transport for FetchTransport {
    type Signal = AbortSignal;

    async fn send(
        &self,
        request: &HttpRequest,
        signal: Option<&AbortSignal>,
    ) -> Result<HttpResponse, Error> {
        if signal.is_some_and(|s| s.aborted()) {
            return Err(Error::Aborted);
        }
        let controller = AbortController::new().map_err(js_error)?;
        let timer = match request.timeout_ms {
            Some(ms) => Some(Timer::start(ms, &controller)?),
            None => None,
        };
        let link = match signal {
            Some(s) => Some(SignalLink::new(s, &controller)?),
            None => None,
        };
        let inner = controller.signal();
        let result = match &self.custom {
            None => send_global(request, &inner).await,
            Some(f) => send_custom(f, request, &inner).await,
        };
        drop(link);
        let after_ms = timer.as_ref().map(|t| t.ms).unwrap_or(0);
        // Only the timer and the caller's signal abort this controller, so an aborted
        // controller with a live caller signal means the timeout fired.
        let by_caller = signal.is_some_and(|s| s.aborted());
        match result {
            Ok(r) => Ok(r),
            Err(_) if by_caller => Err(Error::Aborted),
            Err(_) if inner.aborted() && timer.is_some() => Err(Error::Timeout { after_ms }),
            Err(e) => Err(e),
        }
    }

    async fn sleep(&self, ms: u32, signal: Option<&AbortSignal>) -> Result<(), Error> {
        if signal.is_some_and(|s| s.aborted()) {
            return Err(Error::Aborted);
        }
        let mut armed: Result<(JsValue, Function), Error> = Err(Error::Network {
            message: "setTimeout is not available".into(),
        });
        let promise = Promise::new(&mut |resolve, reject| {
            armed = with_globals(|g| {
                g.set_timeout
                    .call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(ms))
                    .map_err(js_error)
            })
            .map(|id| (id, reject));
        });
        let (id, reject) = armed?;
        // The caller's signal rejects the wait (with the abort Event, which only this code
        // sees: it never reaches gloo-net).
        if let Some(s) = signal {
            s.add_event_listener_with_callback("abort", &reject)
                .map_err(js_error)?;
        }
        let result = JsFuture::from(promise).await;
        if let Some(s) = signal {
            let _ = s.remove_event_listener_with_callback("abort", &reject);
        }
        let _ = with_globals(|g| {
            let _ = g.clear_timeout.call1(&JsValue::UNDEFINED, &id);
            Ok(())
        });
        result.map(|_| ()).map_err(|_| Error::Aborted)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

async fn send_global(request: &HttpRequest, signal: &AbortSignal) -> Result<HttpResponse, Error> {
    use gloo_net::http::{Method as M, RequestBuilder};
    let method = match request.method {
        Method::Get => M::GET,
        Method::Post => M::POST,
        Method::Patch => M::PATCH,
        Method::Delete => M::DELETE,
    };
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .abort_signal(Some(signal));
    for (k, v) in &request.headers {
        builder = builder.header(k, v);
    }
    let req = match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(gloo_error)?;
    let resp = req.send().await.map_err(gloo_error)?;
    let status = resp.status();
    let headers = resp.headers();
    let kept = KEPT_HEADERS
        .iter()
        .filter_map(|name| headers.get(name).map(|v| ((*name).to_owned(), v)))
        .collect();
    let body = resp.text().await.map_err(gloo_error)?;
    Ok(HttpResponse {
        status,
        headers: kept,
        body,
    })
}

async fn send_custom(
    fetch: &Function,
    request: &HttpRequest,
    signal: &AbortSignal,
) -> Result<HttpResponse, Error> {
    let init = Object::new();
    let headers = Object::new();
    for (k, v) in &request.headers {
        set(&headers, k, &JsValue::from_str(v))?;
    }
    set(&init, "method", &JsValue::from_str(request.method.as_str()))?;
    set(&init, "headers", &headers)?;
    if let Some(body) = &request.body {
        set(&init, "body", &JsValue::from_str(body))?;
    }
    set(&init, "signal", signal)?;

    let returned = fetch
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init)
        .map_err(js_error)?;
    let response = JsFuture::from(Promise::resolve(&returned))
        .await
        .map_err(js_error)?;
    let not_response = |what: &str| Error::Network {
        message: format!("the custom fetch resolved to something that is not a Response ({what})"),
    };
    if !response.is_object() {
        return Err(not_response("not an object"));
    }
    let status = Reflect::get(&response, &"status".into())
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| not_response("no numeric status"))? as u16;

    let mut kept = Vec::new();
    if let Ok(h) = Reflect::get(&response, &"headers".into()) {
        if let Some(get) = Reflect::get(&h, &"get".into())
            .ok()
            .and_then(|g| g.dyn_into::<Function>().ok())
        {
            for name in KEPT_HEADERS {
                if let Some(v) = get
                    .call1(&h, &JsValue::from_str(name))
                    .ok()
                    .and_then(|v| v.as_string())
                {
                    kept.push(((*name).to_owned(), v));
                }
            }
        }
    }
    let text_fn = Reflect::get(&response, &"text".into())
        .ok()
        .and_then(|t| t.dyn_into::<Function>().ok())
        .ok_or_else(|| not_response("no text() method"))?;
    let text = text_fn.call0(&response).map_err(js_error)?;
    let body = JsFuture::from(Promise::resolve(&text))
        .await
        .map_err(js_error)?
        .as_string()
        .ok_or_else(|| not_response("text() did not resolve to a string"))?;
    Ok(HttpResponse {
        status,
        headers: kept,
        body,
    })
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), Error> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(js_error)
}

/// JS functions looked up once per instance rather than on every request: each lookup is a
/// catching call through wasm-bindgen, and those were the largest share of a small call's
/// cost in a profile.
struct Globals {
    set_timeout: Function,
    clear_timeout: Function,
    /// `AbortController.prototype.abort`, bound to each request's controller *and* to an
    /// `undefined` first argument: the timer and the caller's signal call it directly (no
    /// Rust closure per request), and an `abort` event listener is called with the Event,
    /// which would otherwise become the abort reason, make `fetch` reject with a non-Error,
    /// and hit gloo-net's `unreachable!` (a wasm trap; the hostile-input test caught it).
    abort: Function,
}

thread_local! {
    static GLOBALS: Option<Globals> = {
        let global = js_sys::global();
        let f = |o: &JsValue, name: &str| -> Option<Function> {
            Reflect::get(o, &JsValue::from_str(name)).ok()?.dyn_into().ok()
        };
        let controller = AbortController::new().ok();
        match (f(&global, "setTimeout"), f(&global, "clearTimeout"), controller.and_then(|c| f(&c, "abort"))) {
            (Some(set_timeout), Some(clear_timeout), Some(abort)) => Some(Globals { set_timeout, clear_timeout, abort }),
            _ => None,
        }
    };
}

fn with_globals<T>(f: impl FnOnce(&Globals) -> Result<T, Error>) -> Result<T, Error> {
    GLOBALS.with(|g| match g {
        Some(g) => f(g),
        None => Err(Error::Network {
            message: "setTimeout or AbortController is not available in this runtime".into(),
        }),
    })
}

/// A `setTimeout` that aborts the controller; cleared when dropped.
struct Timer {
    id: JsValue,
    ms: u32,
}

impl Timer {
    fn start(ms: u32, controller: &AbortController) -> Result<Self, Error> {
        with_globals(|g| {
            let abort = g.abort.bind1(controller, &JsValue::UNDEFINED);
            let id = g
                .set_timeout
                .call2(&JsValue::UNDEFINED, &abort, &JsValue::from(ms))
                .map_err(js_error)?;
            Ok(Timer { id, ms })
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = with_globals(|g| {
            let _ = g.clear_timeout.call1(&JsValue::UNDEFINED, &self.id);
            Ok(())
        });
    }
}

/// Forwards the caller's signal to the per-request controller; unhooked when dropped.
struct SignalLink {
    signal: AbortSignal,
    listener: Function,
}

impl SignalLink {
    fn new(signal: &AbortSignal, controller: &AbortController) -> Result<Self, Error> {
        let listener: Function = with_globals(|g| {
            Ok(g.abort
                .bind1(controller, &JsValue::UNDEFINED)
                .unchecked_into())
        })?;
        signal
            .add_event_listener_with_callback("abort", &listener)
            .map_err(js_error)?;
        Ok(SignalLink {
            signal: signal.clone(),
            listener,
        })
    }
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", &self.listener);
    }
}

fn gloo_error(e: gloo_net::Error) -> Error {
    Error::Network {
        message: e.to_string(),
    }
}

/// A thrown JS value as a `network` error: its message, plus `cause.message` when present
/// (Node's `fetch failed` hides the real reason, e.g. `ECONNREFUSED`, in `cause`).
fn js_error(v: JsValue) -> Error {
    let message_of = |v: &JsValue| -> Option<String> {
        if let Some(s) = v.as_string() {
            return Some(s);
        }
        Reflect::get(v, &"message".into()).ok()?.as_string()
    };
    let mut message = message_of(&v).unwrap_or_else(|| "unknown JavaScript error".into());
    if v.is_object() {
        if let Some(cause) = Reflect::get(&v, &"cause".into())
            .ok()
            .filter(|c| !c.is_undefined() && !c.is_null())
            .and_then(|c| message_of(&c))
        {
            message = format!("{message} ({cause})");
        }
    }
    Error::Network { message }
}
