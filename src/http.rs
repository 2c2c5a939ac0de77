//! Plain HTTP values: what an endpoint builds and what a transport returns.
//!
//! No I/O and no JS types live here, so request building and reply parsing are tested
//! natively as data. Secrets travel in [`HttpRequest::headers`] only, and
//! [`HttpRequest`]'s `Debug` prints only the values of plainly public headers.

use std::fmt;

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send: absolute URL (query included), headers and an optional JSON body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL including the encoded query string.
    pub url: String,
    /// Header name/value pairs, in sending order. May hold the API key.
    pub headers: Vec<(String, String)>,
    /// JSON body text, if any.
    pub body: Option<String>,
    /// Per-request timeout in milliseconds (`None`: no timeout).
    pub timeout_ms: Option<u32>,
    /// Largest reply body read, in bytes (decoded, i.e. after `Content-Encoding`); a larger
    /// one is an [`crate::error::Error::ResponseTooLarge`].
    pub max_response_bytes: u32,
}

/// The default of [`HttpRequest::max_response_bytes`]: 16 MiB. The largest documented reply
/// (a 100-order page, a full catalogue) is under 100 KB, so no real reply comes near it,
/// while a runaway or hostile one (a compressed bomb) stops there.
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 16 * 1024 * 1024;

impl HttpRequest {
    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body parsed as JSON, for tests and logs; `None` when there is no body.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        self.body
            .as_deref()
            .and_then(|b| crate::json::parse(b).ok())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(String, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (k, v) in self.0 {
                    // Any header that is not plainly public is redacted: a custom auth header
                    // name (Proxy-Solutions) is not known here, so only known-safe ones print.
                    if matches!(
                        k.to_ascii_lowercase().as_str(),
                        "accept" | "content-type" | "content-length"
                    ) {
                        m.entry(k, v);
                    } else {
                        m.entry(k, &"<redacted>");
                    }
                }
                m.finish()
            }
        }
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Headers(&self.headers))
            .field("body", &self.body)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// A reply as the transport received it: status, the headers proxykit reads, and body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (lower-case names). Transports may keep only the ones proxykit reads.
    pub headers: Vec<(String, String)>,
    /// The body as text (replies of both APIs are JSON).
    pub body: String,
}

impl HttpResponse {
    /// A reply with a status and body and no headers (handy in tests and mocks).
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The value of the first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Builds `base + path + ?query`, percent-encoding each path segment and query pair.
///
/// `base` is a validated base URL without a trailing slash (see [`crate::config`]); `path`
/// segments are passed unencoded and encoded here, so an id can never inject `/` or `?`.
/// A segment that a URL parser would treat as "this folder" or "the parent folder" (see
/// [`is_dot_segment`]) is refused: percent-encoding cannot protect it, since parsers read
/// `%2e` as a dot. Params with a string path field check it first, naming the field.
pub(crate) fn build_url(
    base: &str,
    segments: &[&str],
    query: &[(&str, String)],
) -> Result<String, crate::error::Error> {
    let mut url = String::with_capacity(base.len() + 64);
    url.push_str(base);
    for seg in segments {
        if is_dot_segment(seg) {
            return Err(crate::error::Error::invalid(
                "params",
                format!("would put `{seg}` in the URL path, which changes the endpoint"),
            ));
        }
        url.push('/');
        encode_into(&mut url, seg);
    }
    let mut first = true;
    for (k, v) in query {
        url.push(if first { '?' } else { '&' });
        first = false;
        encode_into(&mut url, k);
        url.push('=');
        encode_into(&mut url, v);
    }
    Ok(url)
}

/// Whether a path segment is empty or, once percent-decoded, `.` or `..` (any case of
/// `%2e`): a URL parser removes or climbs over such a segment, so sending it would reach a
/// different endpoint (`DELETE …/sub-user/..` is `DELETE …/proxies/`).
pub fn is_dot_segment(seg: &str) -> bool {
    let mut dots = 0;
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'.' {
            i += 1;
        } else if b[i] == b'%'
            && b.get(i + 1) == Some(&b'2')
            && matches!(b.get(i + 2), Some(b'e' | b'E'))
        {
            i += 3;
        } else {
            return false;
        }
        dots += 1;
    }
    dots <= 2
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xF) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_refused() {
        for bad in ["", ".", "..", "%2e", "%2E", "%2e%2E", ".%2e", "%2e."] {
            assert!(is_dot_segment(bad), "{bad:?}");
            assert_eq!(
                build_url("http://h", &["a", bad], &[]).unwrap_err().code(),
                "invalid_input"
            );
        }
        for ok in ["...", "a.", ".a", "%2e%2e%2e", "%2f", "a/b", "%2", "%2ex"] {
            assert!(!is_dot_segment(ok), "{ok:?}");
        }
        // Everything else is encoded, so a `/` or `?` stays inside its segment.
        assert_eq!(
            build_url("http://h", &["sub-user", "a/b?c#d"], &[]).unwrap(),
            "http://h/sub-user/a%2Fb%3Fc%23d"
        );
    }

    #[test]
    fn url_encodes_segments_and_query() {
        let u = build_url(
            "https://h.test/api",
            &["user", "orders", "1/2?x"],
            &[("lang", "EN".into()), ("q", "a b&c=d".into())],
        )
        .unwrap();
        assert_eq!(
            u,
            "https://h.test/api/user/orders/1%2F2%3Fx?lang=EN&q=a%20b%26c%3Dd"
        );
    }

    #[test]
    fn url_encodes_utf8() {
        assert_eq!(
            build_url("http://h", &["é"], &[]).unwrap(),
            "http://h/%C3%A9"
        );
    }

    #[test]
    fn debug_redacts_all_but_plain_headers() {
        let r = HttpRequest {
            method: Method::Get,
            url: "https://h/me".into(),
            headers: vec![
                ("Authorization".into(), "Bearer sk_live_secret".into()),
                ("X-Custom-Key".into(), "topsecret".into()),
                ("Accept".into(), "application/json".into()),
            ],
            body: None,
            timeout_ms: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        };
        let d = format!("{r:?}");
        assert!(!d.contains("sk_live_secret"), "{d}");
        assert!(!d.contains("topsecret"), "{d}");
        assert!(d.contains("application/json"));
    }

    #[test]
    fn header_lookup_is_case_insensitive() {
        let mut r = HttpResponse::new(200, "{}");
        r.headers.push(("retry-after".into(), "3".into()));
        assert_eq!(r.header("Retry-After"), Some("3"));
        assert!(r.is_success());
        assert!(!HttpResponse::new(199, "").is_success());
    }
}
