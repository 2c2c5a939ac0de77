//! Conversions between JS values and the core's types. No business rules here: a value is
//! checked only for its JS type; what it means is checked by the core.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::client::Failure;
use crate::config::{validate_timeout, ConfigInput};
use crate::error::{ApiBody, Error};
#[cfg(feature = "proxyshard")]
use crate::json::FromJson;
use crate::json::ToJson;
use crate::policy::validate_retries;
use crate::transport::fetch::Hooks;
#[cfg(feature = "rules")]
use crate::validate::{Problem, Problems};

/// `Symbol.for("proxykit.error")`: brands proxykit errors so the type guard also recognises
/// errors thrown by another copy of the package (e.g. the CJS and the bundler build).
fn brand() -> JsValue {
    js_sys::Symbol::for_("proxykit.error").into()
}

/// A failed call as a JS `Error`: [`error_to_js`] plus `attempts` (requests sent). A call
/// that sent nothing (refused input, a signal that had already fired) cannot have taken
/// effect, whatever its error.
pub(crate) fn failure_to_js(f: Failure) -> JsValue {
    let sent = f.attempts > 0;
    let err = error_to_js(f.error);
    let _ = Reflect::set(&err, &JsValue::from_str("attempts"), &f.attempts.into());
    if !sent {
        let _ = Reflect::set(
            &err,
            &JsValue::from_str("mayHaveBeenApplied"),
            &JsValue::FALSE,
        );
    }
    err
}

/// JSON as JS through the engine's `JSON.parse`, which defines every key as an own property:
/// a `__proto__` key in a server's body stays a plain key instead of replacing the object's
/// prototype, as assigning key by key would.
fn json_data_to_js(v: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&crate::json::to_text(v)).unwrap_or(JsValue::NULL)
}

/// An [`Error`] as a real JS `Error` with `name`, `code` and the fields that apply.
pub(crate) fn error_to_js(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("ProxykitError");
    let o: &Object = err.as_ref();
    let put = |k: &str, v: JsValue| {
        let _ = Reflect::set(o, &JsValue::from_str(k), &v);
    };
    let _ = Reflect::set(o, &brand(), &JsValue::TRUE);
    put("code", e.code().into());
    put("mayHaveBeenApplied", e.may_have_been_applied().into());
    if let Some(id) = e.request_id() {
        put("requestId", id.into());
    }
    if let Some(secs) = e.retry_after_seconds(js_sys::Date::now()) {
        put("retryAfter", (secs as f64).into());
    }
    let field_errors = e.field_errors();
    if !field_errors.is_empty() {
        // Inserted one by one: collecting into the map would link a stable sort for this
        // alone (the fields come from an object, so they are unique and already in order).
        let mut map = serde_json::Map::new();
        for (field, messages) in field_errors {
            map.insert(field, messages.into());
        }
        put(
            "fieldErrors",
            json_data_to_js(&serde_json::Value::Object(map)),
        );
    }
    match e {
        Error::InvalidInput { field, rule } => {
            put("field", field.into());
            put("rule", rule.into());
        }
        Error::Api {
            operation,
            status,
            message,
            body,
            headers,
        } => {
            put("operation", operation.into());
            put("status", status.into());
            // The kept reply headers (never cookies or auth: see error::KEPT_HEADERS).
            let h = Object::new();
            for (k, v) in headers {
                let _ = Reflect::set(&h, &JsValue::from_str(&k), &JsValue::from_str(&v));
            }
            put("headers", h.into());
            put(
                "vendorMessage",
                message.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
            );
            let body = match body {
                ApiBody::Empty => JsValue::NULL,
                ApiBody::Text(t) => t.into(),
                ApiBody::Json(v) => json_data_to_js(&v),
            };
            put("body", body);
        }
        Error::Decode {
            operation,
            status,
            path,
            snippet,
            ..
        } => {
            put("operation", operation.into());
            put("status", status.into());
            put("path", path.into());
            put("snippet", snippet.into());
        }
        Error::Redirect {
            operation,
            status,
            location,
            ..
        } => {
            put("operation", operation.into());
            put("status", status.into());
            put(
                "location",
                location.map(JsValue::from).unwrap_or(JsValue::NULL),
            );
        }
        Error::ResponseTooLarge {
            operation,
            status,
            limit,
        } => {
            put("operation", operation.into());
            put("status", status.into());
            put("limit", limit.into());
        }
        Error::Network {
            cause: Some(cause), ..
        } => put("cause", cause.0),
        Error::Timeout { after_ms } => put("timeoutMs", after_ms.into()),
        _ => {}
    }
    err.into()
}

/// Whether `value` is an error made by [`error_to_js`] (by any copy of proxykit).
pub(crate) fn is_proxykit_error(value: &JsValue) -> bool {
    value.is_object()
        && Reflect::get(value, &brand())
            .map(|v| v.is_truthy())
            .unwrap_or(false)
}

/// A reply as a JS value: its JSON text parsed by the engine's own `JSON.parse` (one call;
/// building it key by key through serde-wasm-bindgen made a 100-order page 15× slower than
/// `JSON.parse` in the benchmark). Non-JSON bodies (health probes) fall back to [`json_to_js`].
pub(crate) fn reply_to_js(value: &serde_json::Value, text: &str) -> Result<JsValue, Error> {
    if value.is_object() || value.is_array() {
        if let Ok(v) = js_sys::JSON::parse(text.trim_start_matches('\u{feff}')) {
            return Ok(v);
        }
    }
    json_to_js(value)
}

/// Data as a plain JS value (objects, not `Map`s; numbers, not `BigInt`s): its JSON text
/// ([`crate::json::to_text`]) parsed by the engine's `JSON.parse`. Not serde-wasm-bindgen's
/// serializer, which interned field names in a `HashMap` (hashbrown and SipHash in every
/// module) and set each field through `Reflect`; nor serde_json's, whose machinery was
/// ~3 KB of gzip per module.
pub(crate) fn json_to_js<T: ToJson + ?Sized>(v: &T) -> Result<JsValue, Error> {
    let text = v.to_json_text();
    js_sys::JSON::parse(&text).map_err(|_| {
        Error::network("could not hand the reply to JavaScript: JSON.parse refused it")
    })
}

/// [`json_to_js`] for serde types (the experimental market module only, which links serde's
/// serializers anyway for its models).
#[cfg(feature = "market")]
pub(crate) fn serde_to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(v)
        .map_err(|e| Error::network(format!("could not hand the reply to JavaScript: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| {
        Error::network("could not hand the reply to JavaScript: JSON.parse refused it")
    })
}

/// Reads a params object into an endpoint value. `undefined`/`null` mean "no params".
///
/// The object is first copied into a `serde_json::Value` by [`params_json`] and then read
/// by the type's [`FromJson`], which rejects unknown fields. serde-wasm-bindgen was not
/// used: its deserializer looks up only a struct's known keys, so a typo such as `quantiy`
/// could never be rejected, and it has no depth limit.
#[cfg(feature = "proxyshard")]
pub(crate) fn params_from_js<T: FromJson>(params: Option<Object>) -> Result<T, Error> {
    // One call of `T::from_json`, after the non-generic part: each call site is a copy of
    // the type's reader.
    T::from_json(&params_json(params)?)
}

/// Copies a params object into JSON by [`js_to_json`] (bounded depth, every key seen);
/// `undefined`/`null` become `null` ("no params").
pub(crate) fn params_json(params: Option<Object>) -> Result<serde_json::Value, Error> {
    let value: JsValue = match params {
        Some(p) if !p.is_null() && !p.is_undefined() => p.into(),
        // No params: nothing to walk.
        _ => return Ok(serde_json::Value::Null),
    };
    if !value.is_object() || value.is_function() || is_array(&value) != Some(false) {
        return Err(Error::invalid("params", "must be an object"));
    }
    js_to_json(&value, "", 0)
}

/// Reads params and hands their JSON to a core form check (`validate…`, `hints`; see
/// [`crate::validate::check_params`]), returning its `Problem[]`. Params that cannot be
/// copied at all are one problem, as params the check cannot read are.
#[cfg(feature = "rules")]
pub(crate) fn problems_to_js(
    params: Option<Object>,
    check: impl FnOnce(&serde_json::Value) -> Result<Problems, Error>,
) -> Result<JsValue, JsValue> {
    let problems: Vec<Problem> = match params_json(params) {
        Err(Error::InvalidInput { field, rule }) => vec![Problem { field, rule }],
        Err(e) => return Err(error_to_js(e)),
        Ok(v) => check(&v).map_err(error_to_js)?.0,
    };
    json_to_js(&problems).map_err(error_to_js)
}

/// An empty `Problem[]` (an operation without hints).
#[cfg(feature = "rules")]
pub(crate) fn no_problems() -> Result<JsValue, JsValue> {
    json_to_js(&Vec::<Problem>::new()).map_err(error_to_js)
}

/// Copies a JS value into JSON: the glue's `pkToJson` (`src/wasm/to-json.js`, appended to
/// every glue by `scripts/build-pkg.sh`) writes it as JSON text, which the core's reader
/// ([`crate::json::parse`]) reads. Object properties that are `undefined` are left out (as
/// `JSON.stringify` does), so `{quantity: undefined}` means "not given". Numbers that are
/// safe integers become integers; `NaN`, `±Infinity`, `BigInt`, functions and symbols are
/// rejected naming the field (`path`, or "params" when it is empty); at most 32 levels below
/// `depth`, 100,000 items per list and 1,000,000 values in all.
///
/// The walk was Rust over js-sys until the JS version replaced it: a `Reflect.get` and type
/// tests per value cost ~3 KB of each wasm module (bench/notes.md), the same rules in JS ~0.5 KB
/// of glue.
pub(crate) fn js_to_json(
    v: &JsValue,
    path: &str,
    depth: usize,
) -> Result<serde_json::Value, Error> {
    let out = pk_to_json(v, path, depth as u32);
    let Some(text) = out.as_string() else {
        // `[field, rule]`: the first value refused.
        // `Reflect.get` with a number key: the same import as every other property read.
        let part = |i: u32| {
            Reflect::get(&out, &JsValue::from(i))
                .ok()
                .and_then(|p| p.as_string())
        };
        return Err(Error::invalid(
            part(0).unwrap_or_default(),
            part(1).unwrap_or_default(),
        ));
    };
    crate::json::parse(&text).map_err(|e| {
        // The text is the glue's own, so this is not reached unless the glue is not the
        // package's (an edited copy); refused as input all the same, never a panic.
        Error::invalid(
            if path.is_empty() { "params" } else { path },
            format!("could not be read as JSON ({e})"),
        )
    })
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `src/wasm/to-json.js`: the JSON text of `v`, or `[field, rule]` for the value refused.
    /// Not a snippet module: a function of the glue's own scope (the build appends it), so
    /// the package has no extra file to load per target.
    #[wasm_bindgen(js_name = pkToJson)]
    fn pk_to_json(v: &JsValue, path: &str, depth: u32) -> JsValue;
}

// ------------------------------------------------------------ JS calls that may throw
// A Proxy's traps, a getter or a revoked Proxy can throw from `Object.keys`,
// `Array.isArray` or a property read. js-sys binds those without `catch`, so a throw would
// unwind through the wasm frames as an untyped exception; these are bound here with `catch`
// (and property reads go through `Reflect::get`, which catches), and a throw becomes an
// `invalid_input`. Direct imports rather than looking the functions up on the global object
// and calling them through `Function::call1`: no lookup per call, no thread-local cache.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
}

/// `Array.isArray(v)`, `None` if it threw (a revoked Proxy).
pub(crate) fn is_array(v: &JsValue) -> Option<bool> {
    array_is_array(v).ok()
}

/// `Object.keys(v)` as strings, `None` if it threw.
fn own_keys(v: &JsValue) -> Option<Vec<String>> {
    let keys = object_keys(v).ok()?;
    Some(keys.iter().filter_map(|k| k.as_string()).collect())
}

/// Call options: `{ timeout?: number, signal?: AbortSignal }`.
pub(crate) struct CallOpts {
    pub timeout_ms: Option<u32>,
    pub signal: Option<AbortSignal>,
    pub retries: Option<u32>,
}

/// Reads call options. `extra` names provider-specific keys the caller may add; their values
/// are returned as JSON (an object with just those keys) for the provider to decode.
pub(crate) fn call_options_from_js(
    options: Option<Object>,
    extra: &[&str],
) -> Result<(CallOpts, serde_json::Value), Error> {
    let mut out = CallOpts {
        timeout_ms: None,
        signal: None,
        retries: None,
    };
    let mut rest = serde_json::Map::new();
    let Some(o) = object_arg(options, "callOptions")? else {
        return Ok((out, serde_json::Value::Object(rest)));
    };
    let mut allowed = vec!["timeout", "signal", "retries"];
    allowed.extend_from_slice(extra);
    check_keys(&o, "callOptions", &allowed)?;
    if let Some(t) = get(&o, "timeout", "callOptions")? {
        let n = t
            .as_f64()
            .ok_or_else(|| Error::invalid("callOptions.timeout", "must be a number"))?;
        out.timeout_ms = Some(validate_timeout(n, "callOptions.timeout")?);
    }
    if let Some(n) = get(&o, "retries", "callOptions")? {
        let n = n
            .as_f64()
            .ok_or_else(|| Error::invalid("callOptions.retries", "must be a number"))?;
        out.retries = Some(validate_retries(n, "callOptions.retries")?);
    }
    if let Some(s) = get(&o, "signal", "callOptions")? {
        out.signal = Some(
            s.dyn_into::<AbortSignal>()
                .map_err(|_| Error::invalid("callOptions.signal", "must be an AbortSignal"))?,
        );
    }
    for key in extra {
        if let Some(v) = get(&o, key, "callOptions")? {
            let path = format!("callOptions.{key}");
            rest.insert((*key).to_owned(), js_to_json(&v, &path, 1)?);
        }
    }
    Ok((out, serde_json::Value::Object(rest)))
}

/// Client options: the core's [`ConfigInput`] plus the optional `fetch` function.
pub(crate) fn client_options_from_js(
    options: Option<Object>,
    allowed: &[&str],
) -> Result<(ConfigInput, Option<Function>, Hooks), Error> {
    let mut input = ConfigInput {
        in_browser: in_browser(),
        ..ConfigInput::default()
    };
    let Some(o) = object_arg(options, "options")? else {
        return Ok((input, None, Hooks::default()));
    };
    check_keys(&o, "options", allowed)?;
    let string = |key: &str| -> Result<Option<String>, Error> {
        match get(&o, key, "options")? {
            None => Ok(None),
            Some(v) => v
                .as_string()
                .map(Some)
                .ok_or_else(|| Error::invalid(format!("options.{key}"), "must be a string")),
        }
    };
    input.api_key = string("apiKey")?;
    input.base_url = string("baseUrl")?;
    if allowed.contains(&"authHeader") {
        input.auth_header = string("authHeader")?;
        input.auth_prefix = string("authPrefix")?;
    }
    let number = |key: &str| -> Result<Option<f64>, Error> {
        match get(&o, key, "options")? {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Error::invalid(format!("options.{key}"), "must be a number")),
        }
    };
    input.timeout_ms = number("timeout")?;
    input.retries = number("retries")?;
    input.retry_delay_ms = number("retryDelay")?;
    input.max_retry_delay_ms = number("maxRetryDelay")?;
    input.max_response_bytes = number("maxResponseBytes")?;
    let flag = |key: &str| -> Result<Option<bool>, Error> {
        match get(&o, key, "options")? {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| Error::invalid(format!("options.{key}"), "must be true or false")),
        }
    };
    input.allow_insecure_http = flag("allowInsecureHttp")?;
    input.dangerously_allow_browser = flag("dangerouslyAllowBrowser")?;
    input.key_on_server = flag("keyOnServer")?;
    let function = |key: &str| -> Result<Option<Function>, Error> {
        match get(&o, key, "options")? {
            None => Ok(None),
            Some(f) => f
                .dyn_into::<Function>()
                .map(Some)
                .map_err(|_| Error::invalid(format!("options.{key}"), "must be a function")),
        }
    };
    let fetch = function("fetch")?;
    let hooks = Hooks {
        on_request: function("onRequest")?,
        on_response: function("onResponse")?,
        on_retry: function("onRetry")?,
    };
    Ok((input, fetch, hooks))
}

/// Whether this runs in a browser page (`document`) or a web worker (`importScripts`);
/// Node, Deno and Bun have neither.
fn in_browser() -> bool {
    let g = GLOBAL_THIS.with(JsValue::clone);
    ["document", "importScripts"]
        .iter()
        .any(|k| Reflect::get(&g, &JsValue::from_str(k)).is_ok_and(|v| !v.is_undefined()))
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `globalThis`, in every runtime proxykit supports (Node >= 18, browsers, workers, edge).
    /// Not `js_sys::global()`: its fallbacks to `self`, `window` and `global` for older
    /// engines were four imports and their glue.
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// `undefined`/`null` → `None`; a non-array, non-function object → `Some`; else an error.
fn object_arg(arg: Option<Object>, name: &str) -> Result<Option<Object>, Error> {
    match arg {
        None => Ok(None),
        Some(o) if o.is_undefined() || o.is_null() => Ok(None),
        Some(o) if o.is_object() && !o.is_function() && is_array(&o) == Some(false) => Ok(Some(o)),
        Some(_) => Err(Error::invalid(name, "must be an object")),
    }
}

/// A property, `None` when it is `undefined`. A throwing getter is an `invalid_input`.
fn get(o: &Object, key: &str, prefix: &str) -> Result<Option<JsValue>, Error> {
    let v = Reflect::get(o, &JsValue::from_str(key))
        .map_err(|_| Error::invalid(format!("{prefix}.{key}"), "could not be read"))?;
    Ok(if v.is_undefined() { None } else { Some(v) })
}

/// Rejects own enumerable keys that are not options: a misspelt `apikey` would otherwise
/// silently send no key.
fn check_keys(o: &Object, prefix: &str, allowed: &[&str]) -> Result<(), Error> {
    let keys = own_keys(o)
        .ok_or_else(|| Error::invalid(prefix, "could not be read (a getter or Proxy threw)"))?;
    for key in keys {
        if !allowed.contains(&key.as_str()) {
            return Err(Error::invalid(
                format!("{prefix}.{key}"),
                format!(
                    "is not a known option (known: {})",
                    crate::json::comma_list(allowed)
                ),
            ));
        }
    }
    Ok(())
}

/// Runs async work one piece at a time, in call order: each piece starts when the previous
/// one has settled, whatever its outcome (that belongs to its own caller). A promise chain
/// in JS terms; used by the page iterators' `next()` (concurrent calls must not skip or
/// repeat items) and by the market's money lanes (one buy at a time per provider).
// Used by the market (the ProxyShard page iterators' `next()` is JS now, src/wasm/call.js).
#[cfg_attr(not(feature = "market"), allow(dead_code))]
pub(crate) struct Serial(std::cell::RefCell<js_sys::Promise>);

#[cfg_attr(not(feature = "market"), allow(dead_code))]
impl Serial {
    /// An empty queue.
    pub(crate) fn new() -> Self {
        Serial(std::cell::RefCell::new(js_sys::Promise::resolve(
            &JsValue::UNDEFINED,
        )))
    }

    /// Queues `work` behind everything queued before; returns its promise.
    pub(crate) fn then(
        &self,
        work: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
    ) -> js_sys::Promise {
        let previous = self.0.borrow().clone();
        let promise = wasm_bindgen_futures::future_to_promise(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(previous).await;
            work.await
        });
        *self.0.borrow_mut() = promise.clone();
        promise
    }
}

/// Makes an iterator instance async-iterable: `[Symbol.asyncIterator]` must return the
/// iterator itself, and the built-in `Object.prototype.valueOf` does exactly that for
/// objects, so it is installed once on the class's prototype. (A JS snippet would be a file
/// per target, `new Function` is blocked by strict CSPs, and a Rust closure capturing the
/// instance would leak it.)
#[cfg_attr(not(feature = "market"), allow(dead_code))]
pub(crate) fn async_iterable(instance: JsValue) -> JsValue {
    let key: JsValue = js_sys::Symbol::async_iterator().into();
    if let Ok(proto) = Reflect::get_prototype_of(&instance) {
        if !Reflect::has(&proto, &key).unwrap_or(true) {
            if let Ok(value_of) = Reflect::get(&Object::new(), &"valueOf".into()) {
                let _ = Reflect::set(&proto, &key, &value_of);
            }
        }
    }
    instance
}
