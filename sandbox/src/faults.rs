//! Fault injection: chosen per request by a seeded rate, or forced by a request header or a
//! path prefix.
//!
//! | kind | reaches the server's logic? | what the client sees |
//! |---|---|---|
//! | `500`, `502`, `503`, `504` | no | that status with a JSON error body |
//! | `429` | no | 429 with `Retry-After: <retryAfter>` (seconds) |
//! | `html` | no | 502 with an HTML page (a proxy in front of the vendor failing) |
//! | `drop` | no | the connection closes without a reply |
//! | `drop-after` | **yes** | the request is applied, then the connection closes |
//! | `truncate` | **yes** | the real reply with its body cut in half |
//! | `not-json` | **yes** | 200 with an HTML body |
//! | `empty` | **yes** | the real status with an empty body |
//! | `missing-fields` | **yes** | the real status with every JSON object cut to its first field |
//! | `slow` | **yes** | the real reply after `slowMs` |
//! | `redirect` | no | 307 with `Location: <redirectTo>` (another origin) |
//! | `redirect-308` | no | 308 with `Location: <redirectTo>` |
//! | `redirect-after` | **yes** | the request is applied, then 303 with `Location: <redirectTo>` |
//!
//! The redirect kinds test that a client does not follow a vendor's redirect to another
//! origin (carrying its API key there, or re-sending a purchase). `missing-fields` stands for
//! a vendor that stops sending fields its docs call required: a client should fail with a
//! decode error naming one, not with a crash or a half-filled value. None of these are among
//! the default `kinds`, so the seeded sequence of a default configuration is unchanged.
//!
//! Forcing one: the header `x-sandbox-fault: <kind>` forces a fault on that request whatever
//! the rate, and so does the path prefix `/__fault/<kind>` (`/__fault/slow/user/api/me` is
//! `/user/api/me` answered slowly), for clients that cannot add a header: a base URL of
//! `<origin>/__fault/slow` makes every call through it slow, in a browser page or a wasm test
//! using the global `fetch` as much as in Node. The prefix wins over the header. The header
//! `x-sandbox-delay: <ms>` delays that reply.

use serde_json::{json, Value};

use crate::{rng::Rng, Reply, Request};

/// Every fault kind.
pub const KINDS: &[&str] = &[
    "500",
    "502",
    "503",
    "504",
    "429",
    "html",
    "drop",
    "drop-after",
    "truncate",
    "not-json",
    "empty",
    "missing-fields",
    "slow",
    "redirect",
    "redirect-308",
    "redirect-after",
];

/// The prefix that forces a fault on the API path after it: `/__fault/<kind>/<api path>`.
pub const PATH_PREFIX: &str = "/__fault/";

/// Splits a path that starts with [`PATH_PREFIX`] and a known kind into the kind and the API
/// path after it (`/__fault/slow/user/api/me` → `slow`, `/user/api/me`). Any other path,
/// an unknown kind included, is `None` and is routed as it is (so it is a 404).
pub fn split_path(path: &str) -> Option<(&'static str, String)> {
    let rest = path.strip_prefix(PATH_PREFIX)?;
    let (kind, api) = rest.split_once('/').unwrap_or((rest, ""));
    let kind = KINDS.iter().find(|k| **k == kind)?;
    Some((kind, format!("/{api}")))
}

/// Where the redirect kinds point unless `redirectTo` says otherwise: another origin (the
/// discard port of the loopback address, where nothing answers).
pub const DEFAULT_REDIRECT_TO: &str = "http://127.0.0.1:9/elsewhere";

/// The fault settings (JSON keys in camelCase).
#[derive(Clone, Debug, PartialEq)]
pub struct FaultConfig {
    /// Share of API requests that get a fault, 0..=1 (default 0).
    pub rate: f64,
    /// Kinds to draw from (default `500`, `503`, `429`, `drop`, `slow`).
    pub kinds: Vec<String>,
    /// Only these operationIds get faults (default: all).
    pub operations: Option<Vec<String>>,
    /// `Retry-After` seconds on 429 replies (default 1).
    pub retry_after: u64,
    /// Delay of `slow` faults in ms (default 3000).
    pub slow_ms: u64,
    /// Extra latency on every API reply, drawn uniformly from `[min, max]` ms (default 0).
    pub latency_ms: (u64, u64),
    /// The `Location` of the redirect kinds (default [`DEFAULT_REDIRECT_TO`]).
    pub redirect_to: String,
}

impl Default for FaultConfig {
    fn default() -> FaultConfig {
        FaultConfig {
            rate: 0.0,
            kinds: ["500", "503", "429", "drop", "slow"]
                .map(String::from)
                .to_vec(),
            operations: None,
            retry_after: 1,
            slow_ms: 3000,
            latency_ms: (0, 0),
            redirect_to: DEFAULT_REDIRECT_TO.to_string(),
        }
    }
}

impl FaultConfig {
    /// Settings from JSON: `{rate, kinds, operations, retryAfter, slowMs, latencyMs: [min,
    /// max] | n, redirectTo}`; missing keys keep their defaults, unknown keys are refused.
    pub fn from_json(v: &Value) -> Result<FaultConfig, String> {
        let obj = v.as_object().ok_or("faults: expected an object")?;
        let mut c = FaultConfig::default();
        let strings = |v: &Value, what: &str| -> Result<Vec<String>, String> {
            v.as_array()
                .ok_or(format!("faults.{what}: expected a list of strings"))?
                .iter()
                .map(|s| {
                    s.as_str()
                        .map(String::from)
                        .ok_or(format!("faults.{what}: expected a list of strings"))
                })
                .collect()
        };
        for (k, v) in obj {
            match k.as_str() {
                "rate" => {
                    c.rate = v
                        .as_f64()
                        .filter(|r| (0.0..=1.0).contains(r))
                        .ok_or("faults.rate: expected a number in 0..=1")?
                }
                "kinds" => {
                    let kinds = strings(v, "kinds")?;
                    if let Some(bad) = kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
                        return Err(format!(
                            "faults.kinds: unknown kind `{bad}` (known: {})",
                            KINDS.join(", ")
                        ));
                    }
                    if kinds.is_empty() {
                        return Err("faults.kinds: expected at least one kind".into());
                    }
                    c.kinds = kinds;
                }
                "operations" => {
                    c.operations = if v.is_null() {
                        None
                    } else {
                        Some(strings(v, "operations")?)
                    }
                }
                "retryAfter" => {
                    c.retry_after = v
                        .as_u64()
                        .filter(|n| *n <= 3600)
                        .ok_or("faults.retryAfter: expected 0..=3600 seconds")?
                }
                "slowMs" => {
                    c.slow_ms = v
                        .as_u64()
                        .filter(|n| *n <= 600_000)
                        .ok_or("faults.slowMs: expected 0..=600000")?
                }
                "latencyMs" => {
                    c.latency_ms = match v {
                        Value::Array(a) if a.len() == 2 => match (a[0].as_u64(), a[1].as_u64()) {
                            (Some(lo), Some(hi)) if lo <= hi && hi <= 600_000 => (lo, hi),
                            _ => return Err("faults.latencyMs: expected [min, max] ms".into()),
                        },
                        _ => match v.as_u64().filter(|n| *n <= 600_000) {
                            Some(n) => (n, n),
                            None => {
                                return Err("faults.latencyMs: expected ms or [min, max]".into())
                            }
                        },
                    }
                }
                "redirectTo" => {
                    c.redirect_to = v
                        .as_str()
                        .filter(|s| {
                            !s.is_empty()
                                && s.len() <= 2048
                                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                        })
                        .ok_or(
                            "faults.redirectTo: expected a URL (1 to 2048 characters, no spaces or control characters)",
                        )?
                        .to_string()
                }
                other => return Err(format!("faults: unknown key `{other}`")),
            }
        }
        Ok(c)
    }

    /// The settings as JSON (the same shape `from_json` reads).
    pub fn to_json(&self) -> Value {
        json!({
            "rate": self.rate,
            "kinds": self.kinds,
            "operations": self.operations,
            "retryAfter": self.retry_after,
            "slowMs": self.slow_ms,
            "latencyMs": [self.latency_ms.0, self.latency_ms.1],
            "redirectTo": self.redirect_to,
        })
    }
}

/// One chosen fault.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault(String);

impl Fault {
    /// Its kind.
    pub fn name(&self) -> String {
        self.0.clone()
    }

    /// Whether the request still reaches the emulated server's logic.
    pub fn reaches_server(&self) -> bool {
        matches!(
            self.0.as_str(),
            "drop-after"
                | "truncate"
                | "not-json"
                | "empty"
                | "missing-fields"
                | "slow"
                | "redirect-after"
        )
    }

    /// The reply of a fault that stops the request before the server: `(reply, drop)`.
    pub(crate) fn reply_before(&self, config: &FaultConfig) -> (Reply, bool) {
        let retry_after = config.retry_after;
        match self.0.as_str() {
            "redirect" => (redirect(307, &config.redirect_to), false),
            "redirect-308" => (redirect(308, &config.redirect_to), false),
            "429" => {
                let mut r = Reply::json(
                    429,
                    &json!({"success": false, "message": "Too Many Requests (sandbox fault)"}),
                );
                r.headers
                    .push(("retry-after".into(), retry_after.to_string()));
                (r, false)
            }
            "html" => (
                Reply::text(
                    502,
                    "text/html",
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>sandbox fault</p></body></html>",
                ),
                false,
            ),
            "drop" => (Reply::empty(0), true),
            code => {
                let status = code.parse().unwrap_or(500);
                (
                    Reply::json(
                        status,
                        &json!({"success": false, "message": "Server Error (sandbox fault)"}),
                    ),
                    false,
                )
            }
        }
    }

    /// Spoils a reply the server produced.
    pub(crate) fn after(
        &self,
        reply: &mut Reply,
        drop: &mut bool,
        delay: &mut u64,
        config: &FaultConfig,
    ) {
        match self.0.as_str() {
            "drop-after" => *drop = true,
            "truncate" => {
                let mut cut = reply.body.len() / 2;
                while !reply.body.is_char_boundary(cut) {
                    cut -= 1;
                }
                reply.body.truncate(cut);
            }
            "not-json" => {
                *reply = Reply::text(
                    200,
                    "text/html",
                    "<!doctype html><html><body>Maintenance (sandbox fault)</body></html>",
                )
            }
            "empty" => reply.body.clear(),
            "missing-fields" => {
                // A body that is not JSON (a 401 without one, `healthLive`'s text) stays.
                if let Ok(mut v) = serde_json::from_str::<Value>(&reply.body) {
                    keep_first_fields(&mut v);
                    reply.body = v.to_string();
                }
            }
            "slow" => *delay += config.slow_ms,
            "redirect-after" => *reply = redirect(303, &config.redirect_to),
            _ => {}
        }
    }
}

/// Cuts every object in `v`, at any depth, to its first field (in the reply's order, which
/// is alphabetical: the sandbox writes its replies from sorted maps).
fn keep_first_fields(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let first = m.keys().next().cloned();
            m.retain(|k, _| Some(k) == first.as_ref());
            m.values_mut().for_each(keep_first_fields);
        }
        Value::Array(a) => a.iter_mut().for_each(keep_first_fields),
        _ => {}
    }
}

/// A redirect to `to`, with a small JSON body saying it is a sandbox fault.
fn redirect(status: u16, to: &str) -> Reply {
    let mut r = Reply::json(
        status,
        &json!({"success": false, "message": format!("Moved to {to} (sandbox fault)")}),
    );
    r.headers.push(("location".into(), to.to_string()));
    r
}

/// Draws faults and latencies from the settings and a seeded generator.
pub(crate) struct Injector {
    config: FaultConfig,
    rng: Rng,
    forced_delay: u64,
}

impl Injector {
    pub fn new(config: FaultConfig, seed: u64) -> Injector {
        Injector {
            config,
            rng: Rng::new(seed ^ 0xFA17_FA17),
            forced_delay: 0,
        }
    }

    pub fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// The fault for this request, if any: `forced` (the kind of a `/__fault/<kind>` path
    /// prefix), else the `x-sandbox-fault` header, else drawn by the rate.
    pub fn pick(&mut self, req: &Request, operation: &str, forced: Option<&str>) -> Option<Fault> {
        self.forced_delay = req
            .header_value("x-sandbox-delay")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(0, |d| d.min(600_000));
        if let Some(kind) = forced.or_else(|| req.header_value("x-sandbox-fault")) {
            let kind = kind.trim();
            return KINDS
                .iter()
                .find(|k| **k == kind)
                .map(|k| Fault(k.to_string()));
        }
        if self.config.rate <= 0.0 {
            return None;
        }
        if let Some(ops) = &self.config.operations {
            if !ops.iter().any(|o| o == operation) {
                return None;
            }
        }
        if !self.rng.chance(self.config.rate) {
            return None;
        }
        let i = self.rng.below(self.config.kinds.len() as u64) as usize;
        self.config.kinds.get(i).map(|k| Fault(k.clone()))
    }

    /// Latency for this reply: the configured range plus any `x-sandbox-delay`.
    pub fn latency(&mut self) -> u64 {
        let (lo, hi) = self.config.latency_ms;
        self.rng.between(lo, hi) + self.forced_delay
    }
}
