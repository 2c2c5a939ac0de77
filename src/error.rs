//! The one error type of proxykit, with a stable machine-readable [`Error::code`].
//!
//! Callers (and the JS layer) branch on `code`, never on message text. Messages never
//! contain an API key or a proxy password: bodies kept from a failed reply are scrubbed of
//! the configured key by the client before they land here (see [`Error::scrub`]).

use crate::json;
use std::fmt;

/// Longest part of a reply body kept in a [`Error::Decode`] snippet, in characters.
pub const SNIPPET_CHARS: usize = 200;
/// Longest non-JSON error body kept in an [`ApiBody::Text`], in characters.
pub const TEXT_BODY_CHARS: usize = 4096;

/// Reply headers an [`Error::Api`] keeps (lower-case): request ids, rate-limit and retry
/// hints, content type and date. Nothing else, so cookies and auth headers never reach an
/// error. The transports read them only for a non-2xx reply.
pub const KEPT_HEADERS: &[&str] = &[
    "retry-after",
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "cf-ray",
    "content-type",
    "date",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
];

/// Headers that carry a vendor's request id, in the order they are looked for.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/// Everything that can go wrong in a call. `#[non_exhaustive]`: match with a `_` arm.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The caller's input broke a rule; nothing was sent.
    InvalidInput {
        /// Path of the offending field, e.g. `quantity`, `remove_proxies[2]`, `options.baseUrl`.
        field: String,
        /// The rule that was broken, in plain words.
        rule: String,
    },
    /// The server answered with a non-2xx status.
    Api {
        /// The `operationId` of the call.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The vendor's `message` field, when the body had one.
        message: Option<String>,
        /// The whole error body, parsed when it was JSON (never dropped).
        body: ApiBody,
        /// The reply headers an error may show ([`KEPT_HEADERS`]: request ids, rate-limit
        /// and retry hints, content type and date; never cookies or auth), lower-case names.
        headers: Vec<(String, String)>,
    },
    /// A 2xx reply did not match the documented shape.
    Decode {
        /// The `operationId` of the call.
        operation: &'static str,
        /// HTTP status of the reply.
        status: u16,
        /// JSON path of the failure (`.` for the root), e.g. `merchants[0].code`.
        path: String,
        /// What was wrong.
        message: String,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// The request could not be sent or the reply could not be read.
    Network {
        /// What the runtime reported (with the underlying cause's code, e.g. `ECONNREFUSED`).
        message: String,
        /// What the `fetch` threw, rejected with or resolved to, kept for the caller
        /// (`err.cause` in JS). Opaque, and never printed.
        cause: Option<Cause>,
    },
    /// The server answered with a redirect (3xx), which proxykit never follows: following it
    /// would hand the API key to whatever origin the reply names and could send a money call
    /// twice.
    Redirect {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The 3xx status; `0` where the runtime hides it (a browser's opaque redirect).
        status: u16,
        /// The origin (`scheme://host[:port]`) of the `Location` target, when known.
        location: Option<String>,
        /// Whether the request could have taken effect: `false` for reads, `true` otherwise
        /// (a server may apply a write and then redirect, e.g. `303 See Other`).
        applied: bool,
    },
    /// The reply body was larger than the client's `maxResponseBytes`; reading stopped there.
    ResponseTooLarge {
        /// The `operationId` of the call.
        operation: &'static str,
        /// HTTP status of the reply.
        status: u16,
        /// The cap, in bytes.
        limit: u32,
    },
    /// The client was freed (`free()` or `using` disposal) and can make no more calls.
    ClientFreed,
    /// No complete reply within the timeout.
    Timeout {
        /// The timeout that expired, in milliseconds.
        after_ms: u32,
    },
    /// The caller's `AbortSignal` cancelled the call.
    Aborted,
}

/// The original JS value behind a `network` error. Opaque: it is handed to JS as
/// `err.cause` and never printed (it may be a server's or a runtime's object), and two
/// causes always compare equal so errors stay comparable in tests.
#[derive(Clone)]
pub struct Cause(
    #[cfg(target_arch = "wasm32")] pub(crate) wasm_bindgen::JsValue,
    #[cfg(not(target_arch = "wasm32"))] pub(crate) (),
);

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cause(..)")
    }
}

impl PartialEq for Cause {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// An error reply's body, kept whole.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiBody {
    /// No body.
    Empty,
    /// The body parsed as JSON (e.g. ProxyShard `{success:false, message}`, a 422 body).
    Json(serde_json::Value),
    /// A body that is not JSON (an HTML error page, plain text), cut to [`TEXT_BODY_CHARS`].
    Text(String),
}

impl Error {
    /// A `network` error without a JS cause.
    pub fn network(message: impl Into<String>) -> Self {
        Error::Network {
            message: message.into(),
            cause: None,
        }
    }

    /// Names the operation in errors a transport made without knowing it
    /// ([`Error::ResponseTooLarge`]). Other errors are returned unchanged.
    pub fn for_operation(self, name: &'static str) -> Self {
        match self {
            Error::ResponseTooLarge { status, limit, .. } => Error::ResponseTooLarge {
                operation: name,
                status,
                limit,
            },
            other => other,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// An `invalid_input` error with its field put under `prefix` (`serviceKind` →
    /// `callOptions.serviceKind`; a whole-object error, field `params`, becomes `prefix`).
    /// Other errors are returned unchanged.
    pub fn under(self, prefix: &str) -> Self {
        match self {
            Error::InvalidInput { field, rule } if field == "params" => {
                Error::invalid(prefix, rule)
            }
            Error::InvalidInput { field, rule } => {
                Error::invalid(format!("{prefix}.{field}"), rule)
            }
            other => other,
        }
    }

    /// Whether the request could have taken effect at the vendor: `false` only when it
    /// certainly did not (refused locally, or a 4xx reply). After `true` on a `write` or
    /// `money` call, check the account (list orders, read the wallet) before trying again.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::InvalidInput { .. } => false,
            // A 4xx is the vendor refusing the request; a 5xx says nothing of what happened.
            Error::Api { status, .. } => *status >= 500,
            // A 2xx came back: the call succeeded, only its reply was unreadable.
            Error::Decode { .. } => true,
            Error::Network { .. } | Error::Timeout { .. } | Error::Aborted => true,
            Error::Redirect { applied, .. } => *applied,
            // The server got the request; only a 4xx says it refused it.
            Error::ResponseTooLarge { status, .. } => !(400..500).contains(status),
            Error::ClientFreed => false,
        }
    }

    /// Stable machine-readable code: `invalid_input`; for a non-2xx reply `unauthorized`
    /// (401), `forbidden` (403), `not_found` (404), `validation_failed` (422), `rate_limited`
    /// (429), `server_error` (5xx) or `api` (any other status); `decode`, `network`,
    /// `timeout`, `aborted`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::Api { status, .. } => match status {
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                422 => "validation_failed",
                400 if self.is_validation_reply() => "validation_failed",
                429 => "rate_limited",
                500..=599 => "server_error",
                _ => "api",
            },
            Error::Decode { .. } => "decode",
            Error::Network { .. } => "network",
            Error::Timeout { .. } => "timeout",
            Error::Aborted => "aborted",
            Error::Redirect { .. } => "redirect",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::ClientFreed => "client_freed",
        }
    }

    /// Whether a 400 says the input was invalid rather than something else. ProxyShard
    /// answers 400 for "validation error" and for business refusals alike (insufficient
    /// balance, no stock, not enough slots: shared/api/proxyshard.md §2, vendor page "Validation
    /// error or not enough slots"); only its message tells them apart. So: a `message` that
    /// mentions validation, or a Laravel-style `errors` object, and nothing else.
    fn is_validation_reply(&self) -> bool {
        let Error::Api { message, body, .. } = self else {
            return false;
        };
        message
            .as_deref()
            .is_some_and(|m| json::has_text(&m.to_ascii_lowercase(), "validation"))
            || matches!(body, ApiBody::Json(v) if v.get("errors").is_some_and(|e| e.is_object()))
    }

    /// A reply header kept on an API error ([`KEPT_HEADERS`]), by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        match self {
            Error::Api { headers, .. } => headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// The vendor's request id of an API error, when the reply carried one (the first of
    /// `x-request-id`, `request-id`, `x-amzn-requestid`, `cf-ray`).
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS.iter().find_map(|h| self.header(h))
    }

    /// `Retry-After` of an API error in whole seconds (delta-seconds, or an HTTP date
    /// relative to `now_ms`), when the reply had a readable one.
    pub fn retry_after_seconds(&self, now_ms: f64) -> Option<u64> {
        self.header("retry-after")
            .and_then(|v| crate::policy::parse_retry_after(v, now_ms))
            .map(|ms| ms.div_ceil(1000))
    }

    /// HTTP status, for `api`, `decode`, `redirect` and `response_too_large` errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::Redirect { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The vendor's per-field messages of a validation error: the `errors` object of a
    /// Laravel-style 422 body (`{"errors": {"period": ["…"]}}`), read tolerantly (a single
    /// string becomes a one-item list; other shapes are ignored). Empty when there are none.
    pub fn field_errors(&self) -> Vec<(String, Vec<String>)> {
        let Error::Api {
            body: ApiBody::Json(v),
            ..
        } = self
        else {
            return Vec::new();
        };
        let Some(errors) = v.get("errors").and_then(|e| e.as_object()) else {
            return Vec::new();
        };
        errors
            .iter()
            .filter_map(|(field, msgs)| {
                let list: Vec<String> = match msgs {
                    serde_json::Value::String(s) => vec![s.clone()],
                    serde_json::Value::Array(a) => a
                        .iter()
                        .filter_map(|m| m.as_str().map(str::to_owned))
                        .collect(),
                    _ => return None,
                };
                Some((field.clone(), list))
            })
            .collect()
    }

    /// The offending field, for `invalid_input` errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Takes secrets out of the kept body, message and snippet before an error leaves the
    /// client: the values of credential fields ([`is_credential_key`]: proxy passwords,
    /// tokens, keys) become `<redacted>`, also where the body quotes them JSON-escaped,
    /// HTML-escaped or URL-encoded, and so does every occurrence of `secret` (the API key; a
    /// server may echo it back) in any of those forms. A successful call still returns
    /// passwords to the caller untouched.
    pub fn scrub(mut self, secret: Option<&str>) -> Self {
        let secret = secret.filter(|s| !s.is_empty());
        let clean = |s: &mut String| {
            let redacted = redact_text(s);
            *s = match secret {
                Some(k) => hide_cut_prefix(hide_encoded(&redacted, k), k),
                None => redacted,
            };
        };
        match &mut self {
            Error::Api { message, body, .. } => {
                if let Some(m) = message {
                    clean(m);
                }
                match body {
                    ApiBody::Text(t) => clean(t),
                    ApiBody::Json(v) => scrub_json(v, &clean),
                    ApiBody::Empty => {}
                }
            }
            Error::Decode {
                message, snippet, ..
            } => {
                clean(message);
                clean(snippet);
            }
            Error::Network { message, .. } => clean(message),
            Error::Redirect {
                location: Some(l), ..
            } => clean(l),
            _ => {}
        }
        self
    }
}

/// Whether a JSON key names a credential whose value must not appear in an error: proxy
/// passwords (`password`, `proxy_password`), tokens, secrets and keys.
pub fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    CREDENTIAL_WORDS.iter().any(|w| json::has_text(&k, w))
}

const CREDENTIAL_WORDS: &[&str] = &[
    "password", "passwd", "secret", "token", "api_key", "apikey", "api-key",
];

/// The ways a reply may quote a string: plain JSON, JSON inside a JSON string, and
/// HTML-escaped or URL-encoded JSON (an error page that prints the request).
const QUOTES: &[&str] = &[
    "\\\"", "\\u0022", "\"", "&quot;", "&#34;", "&#x22;", "&#X22;", "%22", "'", "&#39;", "&#x27;",
    "&apos;",
];

/// Key/value separators: `:` in JSON (also escaped), `=` in a form or query string.
const SEPARATORS: &[&str] = &[":", "=", "%3A", "%3a", "%3D", "%3d", "&#58;", "&#61;"];

/// Redacts the values of credential fields in JSON-ish or form-ish text: `"password":"…"`
/// and the same quoted JSON-escaped (`\"password\":\"…\"`), HTML-escaped
/// (`&quot;password&quot;:&quot;…&quot;`) or URL-encoded, and `password=…` in a form or
/// query string. Also works when the text is cut off in the middle of the value (a snippet).
/// An unquoted JSON value (`"password": null`) is left alone.
pub fn redact_text(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let Some(word) = CREDENTIAL_WORDS
            .iter()
            .find(|w| lower.as_bytes()[i..].starts_with(w.as_bytes()))
        else {
            i += 1;
            continue;
        };
        // The rest of the key name, then an optional closing quote, then a separator.
        let mut j = i + word.len();
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
            j += 1;
        }
        // Whatever follows, no later word inside this run of key characters can do better:
        // they all share its end. Skipping the run keeps the scan linear (a body of
        // "passwordpassword…" was quadratic, minutes for a megabyte).
        let run_end = j;
        let key_quote = QUOTES.iter().find(|q| b[j..].starts_with(q.as_bytes()));
        if let Some(q) = key_quote {
            j += q.len();
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let Some(sep) = SEPARATORS.iter().find(|x| b[j..].starts_with(x.as_bytes())) else {
            i = run_end;
            continue;
        };
        j += sep.len();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let value_start;
        let value_end;
        let closing;
        if let Some(q) = QUOTES.iter().find(|q| b[j..].starts_with(q.as_bytes())) {
            value_start = j + q.len();
            (value_end, closing) = quoted_end(s, value_start, q);
        } else if sep.contains('=') || json::has_text(sep, "%3") || json::has_text(sep, "61") {
            // A form or query value runs to the next delimiter.
            value_start = j;
            let mut k = j;
            while k < b.len()
                && !matches!(b[k], b'&' | b';' | b',' | b'"' | b'\'' | b'<' | b'>')
                && !b[k].is_ascii_whitespace()
            {
                k += 1;
            }
            (value_end, closing) = (k, k);
        } else {
            i = j;
            continue;
        }
        if value_end > value_start || closing == b.len() {
            out.push_str(json::cut(s, copied, value_start));
            out.push_str("<redacted>");
            copied = value_end;
        }
        i = closing.max(i + 1);
    }
    out.push_str(json::cut_from(s, copied));
    out
}

/// Where a value opened with the quote `q` ends: (end of the value, end of its closing
/// quote), or the text's end when it is cut off. A plain `"` skips backslash escapes.
fn quoted_end(s: &str, from: usize, q: &str) -> (usize, usize) {
    let b = s.as_bytes();
    if q == "\"" || q == "'" {
        let quote = q.as_bytes()[0];
        let mut k = from;
        while k < b.len() {
            match b[k] {
                b'\\' => k += 2,
                c if c == quote => return (k, k + 1),
                _ => k += 1,
            }
        }
        return (b.len(), b.len());
    }
    match json::find_text(json::cut_from(s, from), q) {
        Some(at) => (from + at, from + at + q.len()),
        None => (b.len(), b.len()),
    }
}

/// Replaces every occurrence of `secret` in `text` with `<redacted>`, also where it is
/// written JSON-escaped (`\u0026`, `\/`, `\"`), HTML-escaped (`&amp;`, `&#x2F;`, `&#39;`),
/// or URL-encoded (`%2F`, `%2f`, `+` for a space), in any mix.
pub fn hide_encoded(text: &str, secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let Some(&first) = chars.first() else {
        return text.to_owned();
    };
    // Bytes a match can start with: the first character's own first byte, or the start of
    // one of its escapes. Every other position is skipped at once.
    let mut utf8 = [0u8; 4];
    let lead = first.encode_utf8(&mut utf8).as_bytes()[0];
    let can_start =
        |b: u8| b == lead || matches!(b, b'%' | b'\\' | b'&') || (b == b'+' && first == ' ');
    let t = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    let mut failed = PairSet::default();
    while i < t.len() {
        if !can_start(t[i]) {
            i += 1;
            continue;
        }
        failed.clear();
        match match_from(t, i, &chars, 0, &mut failed) {
            Some(end) if end > i => {
                out.push_str(json::cut(text, copied, i));
                out.push_str("<redacted>");
                copied = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    if copied == 0 {
        return text.to_owned();
    }
    out.push_str(json::cut_from(text, copied));
    out
}

/// A text cut short (ending in `…`, a snippet or a long body) may end in the first part of
/// `secret`, which [`hide_encoded`] cannot recognise: the last 4 or more characters before
/// the cut that begin `secret` are replaced too.
fn hide_cut_prefix(text: String, secret: &str) -> String {
    let Some(body) = text.strip_suffix('…') else {
        return text;
    };
    let longest = (4..secret.len())
        .rev()
        .filter(|&n| secret.is_char_boundary(n))
        .find(|&n| body.ends_with(json::cut(secret, 0, n)));
    match longest {
        Some(n) => format!("{}<redacted>…", json::cut(body, 0, body.len() - n)),
        None => text,
    }
}

/// Matches `chars[k..]` at `t[j..]`, trying each way a character may be written (a raw `&`
/// and the start of `&amp;` both fit at first, so a dead end backs up and tries the other).
/// `failed` remembers the (position, character) pairs already known not to match, so a key
/// whose characters can each be read two ways (`\\` raw or escaped) stays linear instead of
/// exponential.
fn match_from(t: &[u8], j: usize, chars: &[char], k: usize, failed: &mut PairSet) -> Option<usize> {
    let Some(&c) = chars.get(k) else {
        return Some(j);
    };
    if failed.contains(j, k) {
        return None;
    }
    let [a, b] = char_ends(t, j, c);
    // The encoded form first: it is the longer, specific one.
    for end in [b, a].into_iter().flatten() {
        if let Some(done) = match_from(t, end, chars, k + 1, failed) {
            return Some(done);
        }
    }
    failed.insert(j, k);
    None
}

/// A set of `(position, character index)` pairs, for [`match_from`]'s dead ends: open
/// addressing with linear probing, constant time per step like `std`'s `HashSet`. Written out
/// because it is the only hash set in the ProxyShard wasm, where `std`'s (hashbrown with a
/// randomly seeded SipHash) cost 3.8 kB raw / 1.5 kB gzip; these keys need no DoS-resistant
/// hash (at most one text and one key, both already bounded, per scrub).
#[derive(Default)]
struct PairSet {
    /// `(position, character index + 1)`; `(0, 0)` is an empty slot. Empty or a power of two long.
    slots: Vec<(usize, usize)>,
    len: usize,
}

impl PairSet {
    fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill((0, 0));
            self.len = 0;
        }
    }

    /// Where probing for `(j, k)` starts (a multiplicative hash's high bits).
    fn home(&self, j: usize, k: usize) -> usize {
        let h = (j as u64 ^ (k as u64).rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & self.slots.len().wrapping_sub(1)
    }

    fn contains(&self, j: usize, k: usize) -> bool {
        let mut at = self.home(j, k);
        while let Some(&slot) = self.slots.get(at) {
            if slot == (j, k + 1) {
                return true;
            }
            if slot.1 == 0 {
                return false;
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
        false
    }

    fn insert(&mut self, j: usize, k: usize) {
        // At most half full, so a probe always reaches an empty slot.
        if (self.len + 1) * 2 > self.slots.len() {
            let grown = vec![(0, 0); (self.slots.len() * 2).max(16)];
            let old = std::mem::replace(&mut self.slots, grown);
            self.len = 0;
            for (j, k1) in old.into_iter().filter(|s| s.1 != 0) {
                self.insert(j, k1 - 1);
            }
        }
        let mut at = self.home(j, k);
        while let Some(slot) = self.slots.get_mut(at) {
            if *slot == (j, k + 1) {
                return;
            }
            if slot.1 == 0 {
                *slot = (j, k + 1);
                self.len += 1;
                return;
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }
}

/// Where one character `c` written at `t[j..]` ends: `[raw, encoded]`, either absent.
fn char_ends(t: &[u8], j: usize, c: char) -> [Option<usize>; 2] {
    let mut utf8 = [0u8; 4];
    let raw = c.encode_utf8(&mut utf8).as_bytes();
    let Some(rest) = t.get(j..) else {
        return [None, None];
    };
    let plain = rest.starts_with(raw).then_some(j + raw.len());
    [plain, encoded_end(t, j, c, raw)]
}

/// Where `c` written encoded at `t[j..]` ends (URL, JSON or HTML escape), if it is.
fn encoded_end(t: &[u8], j: usize, c: char, raw: &[u8]) -> Option<usize> {
    let rest = t.get(j..)?;
    if c == ' ' && rest.first() == Some(&b'+') {
        return Some(j + 1);
    }
    let hex = |s: &[u8]| -> Option<u32> {
        let s = std::str::from_utf8(s).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    match rest.first()? {
        // %XX per UTF-8 byte, either case.
        b'%' => {
            let mut k = j;
            for &byte in raw {
                let h = t.get(k..k + 3)?;
                if h[0] != b'%' || hex(&h[1..3])? != u32::from(byte) {
                    return None;
                }
                k += 3;
            }
            Some(k)
        }
        // JSON: \uXXXX, \/, \", \\.
        b'\\' => {
            if rest.get(1) == Some(&b'u') {
                return (hex(rest.get(2..6)?)? == u32::from(c)).then_some(j + 6);
            }
            (rest.get(1).map(|&x| x as char) == Some(c) && matches!(c, '/' | '"' | '\\'))
                .then_some(j + 2)
        }
        // HTML: &#NN; &#xHH; or a named reference.
        b'&' => {
            let semi = rest.iter().take(10).position(|&x| x == b';')?;
            let name = &rest[1..semi];
            let code = if let Some(n) = name.strip_prefix(b"#x").or(name.strip_prefix(b"#X")) {
                hex(n)?
            } else if let Some(n) = name.strip_prefix(b"#") {
                u32::try_from(json::parse_digits(std::str::from_utf8(n).ok()?)?).ok()?
            } else {
                match name {
                    b"amp" => '&' as u32,
                    b"lt" => '<' as u32,
                    b"gt" => '>' as u32,
                    b"quot" => '"' as u32,
                    b"apos" => '\'' as u32,
                    _ => return None,
                }
            };
            (code == u32::from(c)).then_some(j + semi + 1)
        }
        _ => None,
    }
}

/// [`Error::scrub`] on a JSON body: credential fields redacted, every string cleaned.
fn scrub_json(v: &mut serde_json::Value, clean: &impl Fn(&mut String)) {
    use serde_json::Value;
    match v {
        Value::String(s) => clean(s),
        Value::Array(a) => a.iter_mut().for_each(|x| scrub_json(x, clean)),
        Value::Object(o) => {
            // Keys are cleaned too: a server may echo the key as one (`{"errors": {"<key>": …}}`).
            let entries = std::mem::take(o);
            for (mut key, mut x) in entries {
                if is_credential_key(&key) && !x.is_null() {
                    x = Value::String("<redacted>".into());
                } else {
                    scrub_json(&mut x, clean);
                }
                clean(&mut key);
                o.insert(key, x);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod redaction_tests {
    use super::*;

    #[test]
    fn hostile_bodies_are_scrubbed_in_linear_time() {
        // Each of these took minutes or more before (quadratic rescans, exponential
        // backtracking); bounded work now, so the test finishes at once.
        let words = "password".repeat(250_000);
        assert_eq!(redact_text(&words), words);
        let slashes = "\\".repeat(100);
        let key = format!("{}Z", "\\".repeat(24));
        assert_eq!(hide_encoded(&slashes, &key), slashes);
        let xs = "x".repeat(1 << 20);
        assert_eq!(hide_encoded(&xs, "k3y-abcdef"), xs);
    }

    #[test]
    fn pair_set_holds_what_was_inserted_and_nothing_else() {
        let mut set = PairSet::default();
        assert!(!set.contains(0, 0));
        for j in 0..500 {
            for k in 0..7 {
                if (j + k) % 3 == 0 {
                    set.insert(j, k);
                }
            }
        }
        set.insert(3, 0);
        for j in 0..520 {
            for k in 0..9 {
                assert_eq!(set.contains(j, k), j < 500 && k < 7 && (j + k) % 3 == 0);
            }
        }
        set.clear();
        assert!(!set.contains(3, 0));
        set.insert(usize::MAX, 4);
        assert!(set.contains(usize::MAX, 4) && !set.contains(usize::MAX, 3));
    }

    #[test]
    fn keys_echoed_as_json_keys_or_cut_in_a_snippet_are_redacted() {
        let key = "sk_live_0123456789abcdef";
        let e = Error::Api {
            headers: Vec::new(),
            operation: "x",
            status: 400,
            message: None,
            body: ApiBody::Json(serde_json::json!({"errors": {key: ["bad"]}})),
        }
        .scrub(Some(key));
        assert!(!format!("{e:?}").contains("sk_live_01"), "{e:?}");
        let e = Error::Decode {
            operation: "x",
            status: 200,
            path: ".".into(),
            message: "m".into(),
            snippet: format!("{{\"a\": \"{}…", &key[..10]),
        }
        .scrub(Some(key));
        assert!(
            matches!(&e, Error::Decode { snippet, .. } if snippet.ends_with("<redacted>…") && !snippet.contains("sk_live")),
            "{e:?}"
        );
    }

    #[test]
    fn escaped_and_encoded_forms_are_redacted() {
        let key = "k3y/with+sp ce=&<chars>\"q'";
        let forms = [
            key.to_owned(),
            serde_json::to_string(key)
                .unwrap()
                .trim_matches('"')
                .to_owned(),
            r#"k3y\/with+sp ce=\u0026\u003cchars\u003e\"q\u0027"#.to_owned(),
            "k3y%2Fwith%2Bsp%20ce%3D%26%3Cchars%3E%22q'".to_owned(),
            "k3y%2fwith%2bsp+ce%3d%26%3cchars%3e%22q%27".to_owned(),
            "k3y&#x2F;with+sp ce=&amp;&lt;chars&gt;&quot;q&#39;".to_owned(),
            "k3y/with+sp ce=&amp;&lt;chars&gt;&#34;q&apos;".to_owned(),
        ];
        for form in &forms {
            let text = format!("<p>bad key: {form}</p> end");
            let out = hide_encoded(&text, key);
            assert_eq!(out, "<p>bad key: <redacted></p> end", "{form}");
        }
        for (text, want) in [
            (
                r#"{\"password\":\"p@ss\",\"ip\":1}"#,
                r#"{\"password\":\"<redacted>\",\"ip\":1}"#,
            ),
            (
                "&quot;proxy_password&quot;:&quot;p@ss&quot;,",
                "&quot;proxy_password&quot;:&quot;<redacted>&quot;,",
            ),
            (
                "%22password%22%3A%22p%40ss%22",
                "%22password%22%3A%22<redacted>%22",
            ),
            (
                "?user=u&password=p%40ss&x=1",
                "?user=u&password=<redacted>&x=1",
            ),
            ("token: 'abc' ok", "token: '<redacted>' ok"),
        ] {
            assert_eq!(redact_text(text), want, "{text}");
        }
    }

    #[test]
    fn credentials_are_redacted_in_text_and_json() {
        assert_eq!(
            redact_text(r#"{"ip":"1.2.3.4","password":"hunter2","x":1}"#),
            r#"{"ip":"1.2.3.4","password":"<redacted>","x":1}"#
        );
        assert_eq!(
            redact_text(r#"[{"proxy_password" : "ab\"c", "Token":"t"}]"#),
            r#"[{"proxy_password" : "<redacted>", "Token":"<redacted>"}]"#
        );
        // A snippet cut inside the value.
        assert_eq!(
            redact_text(r#"{"password":"hunt"#),
            r#"{"password":"<redacted>"#
        );
        // Not a key, or not a string value: left alone.
        assert_eq!(
            redact_text(r#"{"note":"password","password":null}"#),
            r#"{"note":"password","password":null}"#
        );
        assert_eq!(redact_text("plain text, no JSON"), "plain text, no JSON");
        assert_eq!(redact_text(r#""password"#), r#""password"#);
        let e = Error::Api {
            headers: Vec::new(),
            operation: "x",
            status: 500,
            message: None,
            body: ApiBody::Json(serde_json::json!({"data": [{"username": "u", "password": "p"}]})),
        }
        .scrub(None);
        assert!(
            matches!(e, Error::Api { body: ApiBody::Json(v), .. } if v["data"][0]["password"] == "<redacted>" && v["data"][0]["username"] == "u")
        );
    }
}

/// The first `max` characters of `s` (never splits a character), with `…` when cut.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((i, _)) => format!("{}…", json::cut(s, 0, i)),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { field, rule } => write!(f, "invalid input: `{field}` {rule}"),
            Error::Api {
                operation,
                status,
                message,
                ..
            } => match message {
                Some(m) => write!(f, "{operation}: the API answered {status}: {m}"),
                None => write!(f, "{operation}: the API answered {status}"),
            },
            Error::Decode {
                operation,
                status,
                path,
                message,
                ..
            } => write!(
                f,
                "{operation}: could not decode the {status} reply at `{path}`: {message}"
            ),
            Error::Network { message, .. } => write!(f, "network error: {message}"),
            Error::Timeout { after_ms } => write!(f, "no reply within {after_ms} ms"),
            Error::Aborted => write!(f, "the call was aborted by its AbortSignal"),
            Error::Redirect {
                operation,
                status,
                location,
                ..
            } => {
                let status = match status {
                    0 => "a redirect".to_owned(),
                    s => format!("{s} (a redirect)"),
                };
                match location {
                    Some(l) => write!(f, "{operation}: the API answered {status} to {l}"),
                    None => write!(f, "{operation}: the API answered {status}"),
                }?;
                f.write_str(
                    "; proxykit never follows redirects (it would send the API key to the \
                     target and could repeat the request): check baseUrl",
                )
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the {status} reply is larger than maxResponseBytes ({limit} bytes); \
                 reading stopped there"
            ),
            Error::ClientFreed => f.write_str(
                "this client was freed (free() or `using` disposal); create a new client",
            ),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(Error::invalid("a", "b").code(), "invalid_input");
        assert_eq!(Error::Aborted.code(), "aborted");
        assert_eq!(Error::Timeout { after_ms: 5 }.code(), "timeout");
        assert_eq!(Error::network("x").code(), "network");
    }

    #[test]
    fn the_js_transport_reads_exactly_the_kept_headers() {
        // fetch.js reads these headers of a non-2xx reply (to spare a successful call any
        // header reads); this list filters what any transport hands over. One list in effect:
        // the two must name the same headers.
        let js = include_str!("transport/fetch.js");
        let start = js
            .find("const KEPT = [")
            .map(|i| i + "const KEPT = [".len());
        let list = start.and_then(|a| js[a..].find("];").map(|b| &js[a..a + b]));
        let names: Vec<&str> = list
            .unwrap_or_default()
            .split(',')
            .map(|n| n.trim().trim_matches('"'))
            .filter(|n| !n.is_empty())
            .collect();
        assert_eq!(names, KEPT_HEADERS);
    }

    #[test]
    fn kept_headers_give_request_id_and_retry_after() {
        let e = Error::Api {
            headers: vec![
                ("retry-after".into(), "7".into()),
                ("cf-ray".into(), "ray-1".into()),
                ("x-request-id".into(), "req-9".into()),
            ],
            operation: "op",
            status: 429,
            message: None,
            body: ApiBody::Empty,
        };
        assert_eq!(e.request_id(), Some("req-9"), "x-request-id before cf-ray");
        assert_eq!(e.retry_after_seconds(0.0), Some(7));
        assert_eq!(e.header("set-cookie"), None);
        let dated = Error::Api {
            headers: vec![("retry-after".into(), "Sun, 06 Nov 1994 08:49:37 GMT".into())],
            operation: "op",
            status: 503,
            message: None,
            body: ApiBody::Empty,
        };
        // 1.5 s before the date: rounded up to 2 s.
        assert_eq!(dated.retry_after_seconds(784_111_775_500.0), Some(2));
        assert_eq!(dated.request_id(), None);
        assert_eq!(Error::Aborted.retry_after_seconds(0.0), None);
    }

    #[test]
    fn api_codes_follow_the_status() {
        let api = |status, body: &str| Error::Api {
            headers: Vec::new(),
            operation: "op",
            status,
            message: None,
            body: ApiBody::Json(serde_json::from_str(body).unwrap()),
        };
        assert_eq!(api(401, "{}").code(), "unauthorized");
        assert_eq!(api(403, "{}").code(), "forbidden");
        assert_eq!(api(404, "{}").code(), "not_found");
        assert_eq!(api(422, "{}").code(), "validation_failed");
        assert_eq!(api(400, "{}").code(), "api");
        let with_message = |status, m: &str| Error::Api {
            headers: Vec::new(),
            operation: "op",
            status,
            message: Some(m.into()),
            body: ApiBody::Json(serde_json::json!({"success": false, "message": m})),
        };
        assert_eq!(
            with_message(400, "Validation error").code(),
            "validation_failed"
        );
        assert_eq!(
            with_message(400, "Insufficient wallet balance").code(),
            "api"
        );
        assert_eq!(
            api(400, r#"{"errors":{"quantity":["too big"]}}"#).code(),
            "validation_failed"
        );
        assert_eq!(api(429, "{}").code(), "rate_limited");
        assert_eq!(api(500, "{}").code(), "server_error");
        assert_eq!(api(503, "{}").code(), "server_error");
        assert_eq!(api(599, "{}").code(), "server_error");
        assert_eq!(api(409, "{}").code(), "api");
        assert_eq!(api(600, "{}").code(), "api");
        let e = api(
            422,
            r#"{"message":"bad","errors":{"period":["The selected period is invalid."],"quantity":"too big","x":5}}"#,
        );
        assert_eq!(
            e.field_errors(),
            vec![
                (
                    "period".to_owned(),
                    vec!["The selected period is invalid.".to_owned()]
                ),
                ("quantity".to_owned(), vec!["too big".to_owned()]),
            ]
        );
        assert!(api(422, r#"{"errors":[1,2]}"#).field_errors().is_empty());
        assert!(api(422, "[]").field_errors().is_empty());
    }

    #[test]
    fn display_names_field_and_rule() {
        let e = Error::invalid("options.baseUrl", "must be an http(s) URL");
        assert_eq!(
            e.to_string(),
            "invalid input: `options.baseUrl` must be an http(s) URL"
        );
        assert_eq!(e.field(), Some("options.baseUrl"));
        assert_eq!(e.status(), None);
    }

    #[test]
    fn scrub_removes_echoed_key_everywhere() {
        let e = Error::Api {
            headers: Vec::new(),
            operation: "getMe",
            status: 401,
            message: Some("bad key k3y-abc".into()),
            body: ApiBody::Json(
                serde_json::json!({"message": "bad key k3y-abc", "n": [ "k3y-abc" ]}),
            ),
        }
        .scrub(Some("k3y-abc"));
        let dbg = format!("{e:?} {e}");
        assert!(!dbg.contains("k3y-abc"), "{dbg}");
        assert!(dbg.contains("<redacted>"));
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate_chars("héllo", 2), "hé…");
        assert_eq!(truncate_chars("hi", 5), "hi");
    }
}
