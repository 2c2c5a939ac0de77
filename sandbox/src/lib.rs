//! # proxykit-sandbox
//!
//! A stateful, deterministic emulator of the two proxy sellers' APIs that proxykit speaks:
//! Proxy-Solutions (v3 client API, under `/api`) and ProxyShard (User API v1.1.0, under
//! `/user/api` plus `/health`). Both live side by side in one [`Sandbox`], so one server or
//! one in-process `fetch` serves both clients:
//!
//! * Proxy-Solutions base URL: `<origin>/api`
//! * ProxyShard base URL: `<origin>`
//!
//! The core does no I/O: [`Sandbox::handle`] takes a [`Request`] value and returns an
//! [`Outcome`] (a reply plus delivery instructions: a delay, or a dropped connection). The
//! npm package `proxykit-sandbox` wraps it twice, as an HTTP server (`npx proxykit-sandbox`)
//! and as a `fetch`-compatible function, from the same wasm build.
//!
//! Deterministic: the seed fixes every id, IP and password; the clock starts at a fixed
//! instant and moves only when told (`POST /__sandbox/advance`), which is how orders expire.
//!
//! Control routes (never logged, never faulted), under `/__sandbox/`:
//!
//! | route | what |
//! |---|---|
//! | `GET /__sandbox/log` | `{entries, counts, total}`: every API request with its operation, status, fault, whether it reached the emulated server's logic, its body and which credential headers it carried (names, never values) |
//! | `POST /__sandbox/log/clear` | empty the log, the counts and `total` |
//! | `POST /__sandbox/reset` | back to the initial state (same options) |
//! | `POST /__sandbox/advance` | `{seconds}` or `{days}`, a whole number, 0 to 3650 days, not past year 9999: move the clock forward; renewals, holds and expiries run |
//! | `GET /__sandbox/clock` | `{now}` |
//! | `GET`/`POST /__sandbox/faults` | read / replace the fault settings ([`faults::FaultConfig`]) |
//! | `GET`/`POST /__sandbox/pay/{id}` | complete a Proxy-Solutions payment link |
//! | `GET /__sandbox/info` | base URLs, API keys and the catalogue ids to start from |
//!
//! A path under `/__fault/<kind>/` is the API path after it with that fault forced (see
//! [`faults`]), for clients that cannot set the `x-sandbox-fault` header.
//!
//! The core sets no CORS headers: the HTTP server in the npm package decides them (and which
//! `Host` names it answers), and an in-process `fetch` needs none.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod faults;
mod input;
mod proxy_solutions;
mod proxyshard;
pub mod rng;
mod routes;
pub mod time;
#[cfg(target_arch = "wasm32")]
mod wasm;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use faults::{Fault, FaultConfig};
use rng::Rng;

/// An HTTP request as the sandbox sees it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The absolute URL (`http://127.0.0.1:8787/api/merchants?lang=EN`); its origin is used
    /// for links in replies (payment URLs, `next`/`prev`).
    pub url: String,
    /// Header names and values; names are matched case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body as text (empty when none).
    pub body: String,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: &str, url: &str) -> Request {
        Request {
            method: method.to_string(),
            url: url.to_string(),
            ..Request::default()
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &Value) -> Request {
        self.body = body.to_string();
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self
    }

    /// The first value of a header.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers (the HTTP server adds its CORS headers to them).
    pub headers: Vec<(String, String)>,
    /// The body text.
    pub body: String,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    /// A reply with a body of another type.
    pub fn text(status: u16, content_type: &str, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_string(),
        }
    }

    /// A reply without a body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// What to send back and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The reply.
    pub reply: Reply,
    /// Wait this long before answering (latency and `slow` faults).
    pub delay_ms: u64,
    /// Close the connection without answering (`drop` faults); `reply` is then unused.
    pub drop: bool,
}

/// One logged API request.
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// 1, 2, … in arrival order.
    pub seq: u64,
    /// The sandbox clock when it arrived.
    pub at: i64,
    /// The HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// `proxySolutions`, `proxyShard`, or `unknown`.
    pub provider: &'static str,
    /// The `operationId`, or `unknown`.
    pub operation: &'static str,
    /// The status sent (0 when the connection was dropped without a reply).
    pub status: u16,
    /// The injected fault, if any.
    pub fault: Option<String>,
    /// Whether the request reached the emulated server's logic (so a write may have been
    /// applied even when the client saw a failure).
    pub reached: bool,
    /// The request body as sent (`None` when empty); one over [`MAX_LOGGED_BODY`] bytes is
    /// kept as its first [`MAX_LOGGED_BODY`] bytes.
    pub body: Option<String>,
    /// Which credential headers the request carried, of [`CREDENTIAL_HEADERS`]: their
    /// names only, never their values.
    pub credentials: Vec<&'static str>,
}

/// The headers that carry an API key: ProxyShard's `Authorization: Bearer <key>` and
/// Proxy-Solutions' `X-API-KEY`. The log names which a request carried, so a test can check
/// that a key went in the header it should (and that a health probe carried none).
pub const CREDENTIAL_HEADERS: &[&str] = &["authorization", "x-api-key"];

/// The longest request body the log keeps (64 KiB); a longer one is cut there.
pub const MAX_LOGGED_BODY: usize = 64 * 1024;

/// A request body as the log keeps it.
fn logged_body(body: &str) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let mut cut = body.len().min(MAX_LOGGED_BODY);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(body[..cut].to_string())
}

/// Sandbox settings, read from JSON (camelCase keys; unknown keys are refused).
#[derive(Clone, Debug)]
pub struct Options {
    /// Fixes every generated id, IP and password.
    pub seed: u64,
    /// Where the clock starts (Unix seconds, 0 to [`time::MAX`]).
    pub start: i64,
    /// Proxy-Solutions accounts.
    pub proxy_solutions: proxy_solutions::Settings,
    /// ProxyShard accounts.
    pub proxy_shard: proxyshard::Settings,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Log entries kept (older ones are dropped; the counts keep growing).
    pub log_limit: usize,
    /// Also create, in each provider's first account, the objects that the canonical calls
    /// of proxykit's spec/overlay.yaml name (ProxyShard orders 123456–123459 and the
    /// sub-user `u_7f3a`, Proxy-Solutions order 12345), so every operation's canonical call
    /// succeeds on a fresh sandbox. Off by default (the default state is what the flow tests
    /// and the demo count on).
    pub examples: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 1,
            start: time::DEFAULT_START,
            proxy_solutions: proxy_solutions::Settings::default(),
            proxy_shard: proxyshard::Settings::default(),
            faults: FaultConfig::default(),
            log_limit: 10_000,
            examples: false,
        }
    }
}

impl Options {
    /// Options from a JSON object such as
    /// `{"seed": 7, "start": "2026-01-01T00:00:00Z", "proxySolutions": {"accounts":
    /// [{"apiKey": "…", "balance": 100}]}, "proxyShard": {"accounts": [{"apiKey": "…",
    /// "wallet": 10000, "history": 24}]}, "faults": {"rate": 0.2}}`.
    pub fn from_json(text: &str) -> Result<Options, String> {
        let text = if text.trim().is_empty() { "{}" } else { text };
        let v: Value = serde_json::from_str(text).map_err(|e| format!("options: {e}"))?;
        let obj = v.as_object().ok_or("options: expected an object")?;
        let mut o = Options::default();
        for (k, v) in obj {
            match k.as_str() {
                "seed" => o.seed = v.as_u64().ok_or("seed: expected a non-negative integer")?,
                "start" => {
                    o.start = match v {
                        Value::String(s) => {
                            time::parse_iso(s).ok_or("start: expected an ISO-8601 UTC time")?
                        }
                        _ => v
                            .as_i64()
                            .ok_or("start: expected Unix seconds or ISO-8601")?,
                    };
                    if !(0..=time::MAX).contains(&o.start) {
                        return Err(
                            "start: expected a time from 1970-01-01 to 9999-12-31T23:59:59Z".into(),
                        );
                    }
                }
                "proxySolutions" => o.proxy_solutions = proxy_solutions::Settings::from_json(v)?,
                "proxyShard" => o.proxy_shard = proxyshard::Settings::from_json(v)?,
                "faults" => o.faults = FaultConfig::from_json(v)?,
                "logLimit" => {
                    o.log_limit = v
                        .as_u64()
                        .filter(|n| *n <= 1_000_000)
                        .ok_or("logLimit: expected 0..=1000000")?
                        as usize
                }
                "examples" => o.examples = v.as_bool().ok_or("examples: expected true or false")?,
                other => return Err(format!("options: unknown key `{other}`")),
            }
        }
        Ok(o)
    }
}

/// What a provider's handler needs from a request.
pub(crate) struct Cx<'a> {
    pub method: &'a str,
    pub query: Vec<(String, String)>,
    pub body: &'a str,
    pub origin: &'a str,
    pub request: &'a Request,
    pub now: i64,
}

/// Both emulated APIs, their clock, the fault injector and the request log.
pub struct Sandbox {
    options: Options,
    now: i64,
    ps: proxy_solutions::State,
    shard: proxyshard::State,
    faults: faults::Injector,
    log: Vec<LogEntry>,
    seq: u64,
    counts: BTreeMap<(&'static str, &'static str), (u64, u64)>,
}

impl Sandbox {
    /// A sandbox in its initial state.
    pub fn new(options: Options) -> Sandbox {
        let mut rng = Rng::new(options.seed);
        let now = options.start;
        let mut ps = proxy_solutions::State::new(&options.proxy_solutions, &mut rng, now);
        let mut shard = proxyshard::State::new(&options.proxy_shard, &mut rng, now);
        if options.examples {
            ps.seed_examples(now);
            shard.seed_examples(now);
        }
        let faults = faults::Injector::new(options.faults.clone(), options.seed);
        Sandbox {
            options,
            now,
            ps,
            shard,
            faults,
            log: Vec::new(),
            seq: 0,
            counts: BTreeMap::new(),
        }
    }

    /// The sandbox clock (Unix seconds).
    pub fn now(&self) -> i64 {
        self.now
    }

    /// Moves the clock forward; orders renew, go on hold, expire or get cancelled as they
    /// would have over that time. Lenient: a negative step counts as 0, and the clock stops
    /// at [`time::MAX`]; [`Sandbox::try_advance`] refuses such steps instead.
    pub fn advance(&mut self, seconds: i64) {
        let target = self
            .now
            .saturating_add(seconds.max(0))
            .min(time::MAX.max(self.now));
        self.ps.advance(target);
        self.shard.advance_with_spend(self.now, target);
        self.now = target;
    }

    /// Moves the clock forward by `seconds` (0 to [`MAX_ADVANCE`]) and returns the new time,
    /// or says why not: the clock never goes back, and never past [`time::MAX`]
    /// (9999-12-31T23:59:59Z). The `POST /__sandbox/advance` route.
    pub fn try_advance(&mut self, seconds: i64) -> Result<i64, String> {
        if seconds < 0 {
            return Err(format!(
                "advance: the sandbox clock only moves forward (got {seconds} seconds)"
            ));
        }
        if seconds > MAX_ADVANCE {
            return Err(format!(
                "advance: at most 3650 days ({MAX_ADVANCE} seconds) per call (got {seconds} seconds)"
            ));
        }
        match self.now.checked_add(seconds) {
            Some(t) if t <= time::MAX => {
                self.advance(seconds);
                Ok(self.now)
            }
            _ => Err(format!(
                "advance: {seconds} seconds from {} is past {}, the last time the clock can show",
                time::iso(self.now),
                time::iso(time::MAX)
            )),
        }
    }

    /// The logged API requests (the newest `logLimit`).
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// How many requests each operation received, and how many of them reached the
    /// emulated server's logic: `(provider, operation) → (received, reached)`.
    pub fn counts(&self) -> &BTreeMap<(&'static str, &'static str), (u64, u64)> {
        &self.counts
    }

    /// Replaces the fault settings (the fault sequence restarts from the seed).
    pub fn set_faults(&mut self, config: FaultConfig) {
        self.faults = faults::Injector::new(config, self.options.seed);
    }

    /// Answers one request (`OPTIONS` with an empty 204, neither logged nor faulted).
    pub fn handle(&mut self, req: &Request) -> Outcome {
        let (origin, path, query) = split_url(&req.url);
        let method = req.method.to_ascii_uppercase();
        let plain = |reply| Outcome {
            reply,
            delay_ms: 0,
            drop: false,
        };
        if method == "OPTIONS" {
            return plain(Reply::empty(204));
        }
        if let Some(rest) = path.strip_prefix("/__sandbox") {
            return plain(self.control(&method, rest, req, &origin));
        }
        let path_and_query = match req.url.find('?') {
            Some(i) => format!("{path}{}", &req.url[i..]),
            None => path.clone(),
        };
        // `/__fault/<kind>/<api path>`: that API path, with that fault forced. The log keeps
        // the path as it came; links in replies point at the plain origin.
        let (path, path_fault) = match faults::split_path(&path) {
            Some((kind, api)) => (api, Some(kind)),
            None => (path, None),
        };
        let route = if let Some(rest) = path.strip_prefix("/api") {
            proxy_solutions::route(&method, rest).map(|r| (PROVIDER_PS, r.operation, Route::Ps(r)))
        } else {
            proxyshard::route(&method, &path)
                .map(|r| (PROVIDER_SHARD, r.operation, Route::Shard(r)))
        };
        let Some((provider, operation, route)) = route else {
            let reply = if path.starts_with("/api/") {
                Reply::empty(404)
            } else {
                Reply::json(
                    404,
                    &json!({"success": false, "message": format!("No route for {method} {path}")}),
                )
            };
            self.record(
                req,
                &method,
                path_and_query,
                "unknown",
                "unknown",
                reply.status,
                None,
                false,
            );
            return plain(reply);
        };

        let fault = self.faults.pick(req, operation, path_fault);
        let mut delay_ms = self.faults.latency();
        let reached = fault.as_ref().is_none_or(Fault::reaches_server);
        let (reply, drop) = match &fault {
            Some(f) if !reached => f.reply_before(self.faults.config()),
            _ => {
                let mut cx = Cx {
                    method: &method,
                    query,
                    body: &req.body,
                    origin: &origin,
                    request: req,
                    now: self.now,
                };
                let mut reply = match route {
                    Route::Ps(r) => self.ps.handle(r, &mut cx),
                    Route::Shard(r) => self.shard.handle(r, &mut cx),
                };
                let mut drop = false;
                if let Some(f) = &fault {
                    f.after(&mut reply, &mut drop, &mut delay_ms, self.faults.config());
                }
                (reply, drop)
            }
        };
        let status = if drop { 0 } else { reply.status };
        let fault = fault.as_ref().map(Fault::name);
        self.record(
            req,
            &method,
            path_and_query,
            provider,
            operation,
            status,
            fault,
            reached,
        );
        Outcome {
            reply,
            delay_ms,
            drop,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        req: &Request,
        method: &str,
        path: String,
        provider: &'static str,
        operation: &'static str,
        status: u16,
        fault: Option<String>,
        reached: bool,
    ) {
        self.seq += 1;
        let c = self.counts.entry((provider, operation)).or_insert((0, 0));
        c.0 += 1;
        c.1 += u64::from(reached);
        if self.options.log_limit == 0 {
            return;
        }
        if self.log.len() >= self.options.log_limit {
            let excess = self.log.len() + 1 - self.options.log_limit;
            self.log.drain(..excess);
        }
        self.log.push(LogEntry {
            seq: self.seq,
            at: self.now,
            method: method.to_string(),
            path,
            provider,
            operation,
            status,
            fault,
            reached,
            body: logged_body(&req.body),
            credentials: CREDENTIAL_HEADERS
                .iter()
                .copied()
                .filter(|h| req.header_value(h).is_some())
                .collect(),
        });
    }

    fn control(&mut self, method: &str, rest: &str, req: &Request, origin: &str) -> Reply {
        let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
        let bad = |msg: &str| Reply::json(400, &json!({"error": msg}));
        match (method, rest) {
            ("GET", "/log") => Reply::json(200, &self.log_json()),
            ("POST", "/log/clear") => {
                self.log.clear();
                self.counts.clear();
                Reply::json(200, &json!({"ok": true}))
            }
            ("POST", "/reset") => {
                *self = Sandbox::new(self.options.clone());
                Reply::json(200, &json!({"ok": true, "now": time::iso(self.now)}))
            }
            ("GET", "/clock") => Reply::json(200, &json!({"now": time::iso(self.now)})),
            ("POST", "/advance") => {
                match advance_seconds(&body).and_then(|s| self.try_advance(s)) {
                    Ok(now) => Reply::json(200, &json!({"now": time::iso(now)})),
                    Err(e) => bad(&e),
                }
            }
            ("GET", "/faults") => Reply::json(200, &self.faults.config().to_json()),
            ("POST", "/faults") => match FaultConfig::from_json(&body) {
                Ok(c) => {
                    self.set_faults(c);
                    Reply::json(200, &self.faults.config().to_json())
                }
                Err(e) => bad(&e),
            },
            ("GET" | "POST", p) if p.starts_with("/pay/") => {
                match self.ps.complete_payment(&p["/pay/".len()..], self.now) {
                    Ok(v) => Reply::json(200, &v),
                    Err(e) => Reply::json(404, &json!({"error": e})),
                }
            }
            ("GET", "/info") => Reply::json(
                200,
                &json!({
                    "proxySolutions": {
                        "baseUrl": format!("{origin}/api"),
                        "apiKeys": self.ps.keys(),
                        "authHeader": "X-API-KEY",
                    },
                    "proxyShard": {
                        "baseUrl": origin,
                        "apiKeys": self.shard.keys(),
                        "authHeader": "Authorization: Bearer <key>",
                    },
                    "now": time::iso(self.now),
                    "seed": self.options.seed,
                }),
            ),
            _ => Reply::json(
                404,
                &json!({"error": format!("no sandbox route {method} {rest}")}),
            ),
        }
    }

    fn log_json(&self) -> Value {
        let entries: Vec<Value> = self
            .log
            .iter()
            .map(|e| {
                json!({
                    "seq": e.seq,
                    "at": time::iso(e.at),
                    "method": e.method,
                    "path": e.path,
                    "provider": e.provider,
                    "operation": e.operation,
                    "status": e.status,
                    "fault": e.fault,
                    "reached": e.reached,
                    // The body as JSON when it is JSON, else as text.
                    "body": e.body.as_deref().map(|b| {
                        serde_json::from_str::<Value>(b).unwrap_or_else(|_| json!(b))
                    }),
                    "credentials": e.credentials,
                })
            })
            .collect();
        let mut counts = Map::new();
        for ((provider, op), (received, reached)) in &self.counts {
            let per = counts
                .entry(provider.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = per {
                m.insert(
                    op.to_string(),
                    json!({"received": received, "reached": reached}),
                );
            }
        }
        // Requests since the start or the last clear (entries keep their `seq` numbering).
        let total: u64 = self.counts.values().map(|(received, _)| received).sum();
        json!({"entries": entries, "counts": counts, "total": total})
    }
}

impl Default for Sandbox {
    fn default() -> Sandbox {
        Sandbox::new(Options::default())
    }
}

/// Log name of Proxy-Solutions.
pub const PROVIDER_PS: &str = "proxySolutions";
/// Log name of ProxyShard.
pub const PROVIDER_SHARD: &str = "proxyShard";

/// The most one `advance` may move the clock: 3650 days, in seconds.
pub const MAX_ADVANCE: i64 = 3650 * time::DAY;

enum Route {
    Ps(proxy_solutions::Route),
    Shard(proxyshard::Route),
}

/// The seconds an advance body asks for: exactly one of `{"seconds": n}` or `{"days": n}`,
/// `n` a whole number; the range is checked by [`Sandbox::try_advance`].
fn advance_seconds(body: &Value) -> Result<i64, String> {
    const USAGE: &str = "advance: expected {\"seconds\": n} or {\"days\": n}";
    let obj = body.as_object().ok_or(USAGE)?;
    let (key, v, unit) = match (obj.get("seconds"), obj.get("days")) {
        (Some(v), None) if obj.len() == 1 => ("seconds", v, 1),
        (None, Some(v)) if obj.len() == 1 => ("days", v, time::DAY),
        _ => return Err(USAGE.into()),
    };
    let too_large = || {
        format!(
            "advance: {key} {v} is too large: at most 3650 days ({MAX_ADVANCE} seconds) per call"
        )
    };
    let n = match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i,
            (None, Some(_), _) => return Err(too_large()),
            (_, _, Some(f)) if f.fract() != 0.0 => {
                return Err(format!("advance: {key} must be a whole number (got {v})"))
            }
            // A whole float (`2.0`, `1e300`): as an integer when it fits.
            (_, _, Some(f)) if f.abs() < 9.0e15 => f as i64,
            (_, _, Some(f)) if f < 0.0 => i64::MIN,
            _ => return Err(too_large()),
        },
        _ => return Err(format!("advance: {key} must be a whole number (got {v})")),
    };
    if n < 0 {
        return Err(format!(
            "advance: the sandbox clock only moves forward (got {key} {v})"
        ));
    }
    n.checked_mul(unit)
        .filter(|s| *s <= MAX_ADVANCE)
        .ok_or_else(too_large)
}

/// `(origin, decoded path, query pairs)` of an absolute or path-only URL.
fn split_url(url: &str) -> (String, String, Vec<(String, String)>) {
    let (origin, rest) = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            (url[..i + 3 + end].to_string(), &after[end..])
        }
        None => ("http://sandbox.invalid".to_string(), url),
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    let path = if path.is_empty() { "/" } else { path };
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true), decode(v, true))
        })
        .collect();
    (origin, path.to_string(), pairs)
}

/// Percent-decoding (`+` as a space in queries); invalid escapes are kept as they are.
pub(crate) fn decode(s: &str, plus: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split() {
        let (o, p, q) = split_url("http://127.0.0.1:8787/api/x%20y?a=1&b=%7B%22k%22%7D&c=a+b#f");
        assert_eq!(o, "http://127.0.0.1:8787");
        assert_eq!(p, "/api/x%20y");
        assert_eq!(
            q,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "{\"k\"}".into()),
                ("c".into(), "a b".into())
            ]
        );
        let (o, p, q) = split_url("/health");
        assert_eq!(
            (o.as_str(), p.as_str(), q.len()),
            ("http://sandbox.invalid", "/health", 0)
        );
        assert_eq!(decode("%zz%4", false), "%zz%4");
    }
}
