//! The one error type of proxykit, with a stable machine-readable [`Error::code`].
//!
//! Callers (and the JS layer) branch on `code`, never on message text. Messages never
//! contain an API key or a proxy password: bodies kept from a failed reply are scrubbed of
//! the configured key by the client before they land here (see [`Error::scrub`]).

use std::fmt;

/// Longest part of a reply body kept in a [`Error::Decode`] snippet, in characters.
pub const SNIPPET_CHARS: usize = 200;
/// Longest non-JSON error body kept in an [`ApiBody::Text`], in characters.
pub const TEXT_BODY_CHARS: usize = 4096;

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
        /// What the runtime reported.
        message: String,
    },
    /// No complete reply within the timeout.
    Timeout {
        /// The timeout that expired, in milliseconds.
        after_ms: u32,
    },
    /// The caller's `AbortSignal` cancelled the call.
    Aborted,
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
        }
    }

    /// Stable machine-readable code: `invalid_input`; for a non-2xx reply `unauthorized`
    /// (401), `forbidden` (403), `not_found` (404), `validation_failed` (422) or `api` (any
    /// other status); `decode`, `network`, `timeout`, `aborted`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::Api { status, .. } => match status {
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                422 => "validation_failed",
                _ => "api",
            },
            Error::Decode { .. } => "decode",
            Error::Network { .. } => "network",
            Error::Timeout { .. } => "timeout",
            Error::Aborted => "aborted",
        }
    }

    /// HTTP status, for `api` and `decode` errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
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
    /// tokens, keys) become `<redacted>`, and so does every occurrence of `secret` (the API
    /// key; a server may echo it back). One pass over each kept string and one walk of a
    /// JSON body. A successful call still returns passwords to the caller untouched.
    pub fn scrub(mut self, secret: Option<&str>) -> Self {
        let secret = secret.filter(|s| !s.is_empty());
        let hide_secret = |s: &mut String| {
            if let Some(k) = secret.filter(|k| s.contains(k)) {
                *s = s.replace(k, "<redacted>");
            }
        };
        let clean = |s: &mut String| {
            *s = redact_text(s);
            hide_secret(s);
        };
        match &mut self {
            Error::Api { message, body, .. } => {
                if let Some(m) = message {
                    clean(m);
                }
                match body {
                    ApiBody::Text(t) => clean(t),
                    ApiBody::Json(v) => scrub_json(v, secret),
                    ApiBody::Empty => {}
                }
            }
            Error::Decode {
                message, snippet, ..
            } => {
                clean(message);
                clean(snippet);
            }
            Error::Network { message } => hide_secret(message),
            _ => {}
        }
        self
    }
}

/// Whether a JSON key names a credential whose value must not appear in an error: proxy
/// passwords (`password`, `proxy_password`), tokens, secrets and keys.
pub fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password", "passwd", "secret", "token", "api_key", "apikey", "api-key",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Redacts `"<credential key>": "<value>"` pairs in JSON-ish text, also when the text is cut
/// off in the middle of the value (a snippet).
pub fn redact_text(s: &str) -> String {
    let b = s.as_bytes();
    // The end (exclusive) of a JSON string starting at the quote `i`, or the text's end.
    let string_end = |i: usize| -> usize {
        let mut j = i + 1;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 2,
                b'"' => return j + 1,
                _ => j += 1,
            }
        }
        b.len()
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let key_end = string_end(i);
        let key = &s[i + 1..key_end.saturating_sub(1).max(i + 1)];
        let mut j = key_end;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b':' && is_credential_key(key) {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let value_end = string_end(j);
                out.push_str(&s[copied..=j]);
                out.push_str("<redacted>");
                if value_end <= b.len() && value_end > j + 1 && b[value_end - 1] == b'"' {
                    out.push('"');
                }
                copied = value_end;
                i = value_end;
                continue;
            }
        }
        i = key_end;
    }
    out.push_str(&s[copied..]);
    out
}

/// [`Error::scrub`] on a JSON body: credential fields redacted, `secret` hidden in strings.
fn scrub_json(v: &mut serde_json::Value, secret: Option<&str>) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let Some(k) = secret.filter(|k| s.contains(k)) {
                *s = s.replace(k, "<redacted>");
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| scrub_json(x, secret)),
        Value::Object(o) => {
            for (key, x) in o.iter_mut() {
                if is_credential_key(key) && !x.is_null() {
                    *x = Value::String("<redacted>".into());
                } else {
                    scrub_json(x, secret);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod redaction_tests {
    use super::*;

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
        Some((i, _)) => format!("{}…", &s[..i]),
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
            Error::Network { message } => write!(f, "network error: {message}"),
            Error::Timeout { after_ms } => write!(f, "no reply within {after_ms} ms"),
            Error::Aborted => write!(f, "the call was aborted by its AbortSignal"),
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
        assert_eq!(
            Error::Network {
                message: "x".into()
            }
            .code(),
            "network"
        );
    }

    #[test]
    fn api_codes_follow_the_status() {
        let api = |status, body: &str| Error::Api {
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
        assert_eq!(api(500, "{}").code(), "api");
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
