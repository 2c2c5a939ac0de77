//! Endpoints as values: a pure `build` to an [`HttpRequest`] and a pure `parse` of an
//! [`HttpResponse`]. No I/O here, so every endpoint is tested natively as data.

use serde::de::DeserializeOwned;

use crate::config::ClientConfig;
use crate::error::{truncate_chars, ApiBody, Error, SNIPPET_CHARS, TEXT_BODY_CHARS};
use crate::http::{build_url, HttpRequest, HttpResponse, Method};
use crate::json::Ty;

/// Whether an operation needs the API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// The key must be configured; without one the call is rejected before sending.
    Required,
    /// The key is sent when configured (e.g. public catalogue calls that may personalise).
    Optional,
    /// The key is never sent (health probes): no reason to hand a secret to a public URL.
    Never,
}

/// What an endpoint sends, before the client adds the base URL and auth header.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSpec {
    /// HTTP method.
    pub method: Method,
    /// Path segments after the base URL, unencoded (`["user", "orders", "42"]`).
    pub segments: Vec<String>,
    /// Query pairs, unencoded.
    pub query: Vec<(&'static str, String)>,
    /// JSON body, if any.
    pub body: Option<serde_json::Value>,
}

impl RequestSpec {
    /// A request with no query and no body.
    pub fn new(method: Method, segments: &[&str]) -> Self {
        RequestSpec {
            method,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            body: None,
        }
    }
}

/// A JSON object of the fields that are present (`None` fields are left out), for request
/// bodies that send only what the caller gave.
pub fn object_of(fields: Vec<(&str, Option<serde_json::Value>)>) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, v) in fields {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    }
    serde_json::Value::Object(m)
}

/// One API operation.
pub trait Endpoint {
    /// The `operationId` in the provider's OpenAPI file (also the JS method name).
    const OPERATION: &'static str;
    /// Whether the operation needs the API key.
    const AUTH: Auth;
    /// The decoded reply (the typed view for Rust callers).
    type Output: DeserializeOwned;
    /// The documented shape of the reply, checked before it is handed to JS (see
    /// [`crate::json`]); kept in agreement with [`Self::Output`] by the schema tests.
    const REPLY: &'static Ty;
    /// Whether a 2xx body that is not JSON is accepted (as a JSON string; empty as `null`):
    /// for calls whose reply the vendor does not document, such as health probes.
    const ANY_BODY: bool = false;

    /// Checks the caller's input against the vendor's rules and describes the request.
    fn spec(&self) -> Result<RequestSpec, Error>;

    /// Whether this call needs the key; [`Self::AUTH`] unless it depends on the input
    /// (Proxy-Solutions: paying from the API balance needs it, invoices do not).
    fn auth(&self) -> Auth {
        Self::AUTH
    }

    /// Builds the full request: base URL, path, query, JSON headers, auth and timeout.
    fn build(&self, config: &ClientConfig) -> Result<HttpRequest, Error> {
        // Only `spec` and `auth` depend on the endpoint; the rest is one non-generic function
        // rather than a copy per operation (about 900 bytes of wasm each).
        build_request(self.spec()?, self.auth(), Self::OPERATION, config)
    }

    /// Maps a reply: non-2xx to [`Error::Api`], a 2xx body to [`Self::Output`].
    fn parse(&self, response: &HttpResponse) -> Result<Self::Output, Error> {
        let value = reply_value(Self::OPERATION, Self::ANY_BODY, response)?;
        decode_value(Self::OPERATION, response.status, &value)
    }
}

/// [`Endpoint::build`] once the endpoint has described its request: base URL, path, query,
/// JSON headers, auth (refused when `auth` is [`Auth::Required`] and no key is configured)
/// and the configured timeout and reply cap.
pub fn build_request(
    spec: RequestSpec,
    auth: Auth,
    operation: &'static str,
    config: &ClientConfig,
) -> Result<HttpRequest, Error> {
    let segments: Vec<&str> = spec.segments.iter().map(String::as_str).collect();
    let url = build_url(&config.base_url, &segments, &spec.query)?;
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    let body = match spec.body {
        Some(v) => {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            Some(crate::json::to_text(&v))
        }
        None => None,
    };
    match (auth, &config.api_key) {
        (Auth::Required, None) if !config.key_on_server => {
            return Err(Error::invalid(
                "options.apiKey",
                format!("is required for {operation}"),
            ))
        }
        (Auth::Required | Auth::Optional, Some(key)) => {
            headers.push((config.auth.name.clone(), config.auth.value(key)));
        }
        _ => {}
    }
    Ok(HttpRequest {
        method: spec.method,
        url,
        headers,
        body,
        timeout_ms: Some(config.timeout_ms),
        max_response_bytes: config.max_response_bytes,
    })
}

/// [`reply_json`], or for `any_body` calls the text itself when the body is not JSON.
pub fn reply_value(
    operation: &'static str,
    any_body: bool,
    response: &HttpResponse,
) -> Result<serde_json::Value, Error> {
    match reply_json(operation, response) {
        Err(Error::Decode { .. }) if any_body => {
            let text = response.body.trim();
            Ok(if text.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::Value::String(truncate_chars(text, TEXT_BODY_CHARS))
            })
        }
        other => other,
    }
}

/// Checks the status and parses the body as JSON; non-2xx becomes [`Error::Api`] keeping
/// the whole body and the vendor's `message` (ProxyShard `{success:false, message}`, a
/// Laravel-style 422 from Proxy-Solutions, or anything else).
pub fn reply_json(
    operation: &'static str,
    response: &HttpResponse,
) -> Result<serde_json::Value, Error> {
    if !response.is_success() {
        return Err(api_error(operation, response));
    }
    let text = response.body.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(Error::Decode {
            operation,
            status: response.status,
            path: ".".into(),
            message: "the body is empty, JSON was expected".into(),
            snippet: String::new(),
        });
    }
    crate::json::parse(text).map_err(|e| Error::Decode {
        operation,
        status: response.status,
        path: ".".into(),
        message: format!("not JSON: {e}"),
        snippet: truncate_chars(text, SNIPPET_CHARS),
    })
}

/// Checks a reply against its documented shape ([`Endpoint::REPLY`]).
pub fn check_reply(
    operation: &'static str,
    status: u16,
    schema: &Ty,
    value: &serde_json::Value,
) -> Result<(), Error> {
    crate::json::check(schema, value)
        .map_err(|broken| decode_error(operation, status, value, broken))
}

/// [`check_reply`] by the checker of the reply's text (`json::check_text`, the one the
/// clients' fast path uses): the same verdict (tests/json_text.rs keeps the two equal on
/// generated documents) and the same error, for a reply that was also read as `value`.
pub fn check_reply_text(
    operation: &'static str,
    status: u16,
    schema: &Ty,
    text: &str,
    value: &serde_json::Value,
) -> Result<(), Error> {
    crate::json::check_text(schema, text)
        .map_err(|broken| decode_error(operation, status, value, broken))
}

/// The `decode` error of a reply that broke its shape at `path`, with the value's text as
/// the snippet.
fn decode_error(
    operation: &'static str,
    status: u16,
    value: &serde_json::Value,
    (path, message): (String, String),
) -> Error {
    Error::Decode {
        operation,
        status,
        path,
        message,
        snippet: truncate_chars(&crate::json::to_text(value), SNIPPET_CHARS),
    }
}

/// Decodes a JSON value into `T`, naming the JSON path that failed.
pub fn decode_value<T: DeserializeOwned>(
    operation: &'static str,
    status: u16,
    value: &serde_json::Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        Error::Decode {
            operation,
            status,
            path,
            message: e.into_inner().to_string(),
            snippet: truncate_chars(&value.to_string(), SNIPPET_CHARS),
        }
    })
}

fn api_error(operation: &'static str, response: &HttpResponse) -> Error {
    let text = response.body.trim_start_matches('\u{feff}');
    let body = if text.trim().is_empty() {
        ApiBody::Empty
    } else {
        match crate::json::parse(text) {
            Ok(v) => ApiBody::Json(v),
            Err(_) => ApiBody::Text(truncate_chars(text, TEXT_BODY_CHARS)),
        }
    };
    let message = match &body {
        ApiBody::Json(v) => v
            .get("message")
            .and_then(|m| m.as_str())
            .map(|m| truncate_chars(m, 500)),
        _ => None,
    };
    Error::Api {
        operation,
        status: response.status,
        message,
        body,
        headers: response
            .headers
            .iter()
            .filter(|(k, _)| crate::error::KEPT_HEADERS.contains(&k.as_str()))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Out {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize, Debug)]
    struct Item {
        #[allow(dead_code)]
        id: u64,
    }

    #[test]
    fn decode_names_the_path() {
        let r = HttpResponse::new(200, r#"{"items":[{"id":1},{"id":"x"}]}"#);
        let v = reply_json("op", &r).unwrap();
        let e = decode_value::<Out>("op", 200, &v).unwrap_err();
        match e {
            Error::Decode { path, status, .. } => {
                assert_eq!(path, "items[1].id");
                assert_eq!(status, 200);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_json_and_empty_are_decode_errors() {
        for body in ["<html>502</html>", "", "   ", "{\"a\":", "\u{feff}"] {
            let e = reply_json("op", &HttpResponse::new(200, body)).unwrap_err();
            assert_eq!(e.code(), "decode", "{body:?}");
        }
        // A BOM before valid JSON is tolerated.
        assert!(reply_json("op", &HttpResponse::new(200, "\u{feff}{}")).is_ok());
    }

    #[test]
    fn api_errors_keep_the_body() {
        let e = reply_json(
            "getMe",
            &HttpResponse::new(401, r#"{"success":false,"message":"Invalid API key"}"#),
        )
        .unwrap_err();
        match &e {
            Error::Api {
                status,
                message,
                body: ApiBody::Json(v),
                ..
            } => {
                assert_eq!(*status, 401);
                assert_eq!(message.as_deref(), Some("Invalid API key"));
                assert_eq!(v["success"], false);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e.to_string(),
            "getMe: the API answered 401: Invalid API key"
        );

        let e = reply_json("x", &HttpResponse::new(502, "<html>Bad gateway</html>")).unwrap_err();
        assert!(
            matches!(e, Error::Api { body: ApiBody::Text(ref t), message: None, .. } if t.contains("Bad gateway"))
        );
        let e = reply_json("x", &HttpResponse::new(404, "")).unwrap_err();
        assert!(matches!(
            e,
            Error::Api {
                body: ApiBody::Empty,
                status: 404,
                ..
            }
        ));
    }
}
