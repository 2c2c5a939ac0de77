//! Client configuration: base URL, API key, auth header and default timeout, validated once
//! at construction so a bad option fails where it was written, not on the first call.

use std::fmt;

use crate::error::Error;
use crate::policy::{validate_delay, validate_retries, RetryPolicy};

/// Default per-request timeout, in milliseconds. A public ProxyShard client uses 20 s; 30 s
/// leaves room for the slower purchase calls while still ending a hung connection.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Largest accepted timeout: the maximum delay `setTimeout` supports (2^31 − 1 ms).
pub const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;

/// An API key. Its `Debug` output is redacted; read it only to build the auth header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Validates a key: 1–4096 printable ASCII characters without spaces (a key becomes an
    /// HTTP header value, where control characters would inject headers and non-Latin-1
    /// characters make `fetch` throw).
    pub fn new(key: impl Into<String>, field: &str) -> Result<Self, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::invalid(
                field,
                "must not be empty (leave it out for public calls)",
            ));
        }
        if key.len() > 4096 {
            return Err(Error::invalid(field, "must be at most 4096 characters"));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                field,
                "must be printable ASCII without spaces or control characters",
            ));
        }
        Ok(ApiKey(key))
    }

    /// The key itself. Never log this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// How the API key is sent: `<name>: <prefix> <key>` (or `<name>: <key>` with no prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthHeader {
    /// Header name, e.g. `Authorization` or `X-API-KEY`.
    pub name: String,
    /// Scheme put before the key with one space, e.g. `Bearer`; empty for none.
    pub prefix: String,
}

impl AuthHeader {
    /// Validates a header name (an RFC 9110 token) and prefix (printable ASCII, trimmed).
    pub fn new(
        name: &str,
        prefix: &str,
        name_field: &str,
        prefix_field: &str,
    ) -> Result<Self, Error> {
        let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || name.len() > 256 || !name.bytes().all(is_tchar) {
            return Err(Error::invalid(
                name_field,
                "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, 1–256 characters)",
            ));
        }
        let prefix = prefix.trim();
        if prefix.len() > 64 || !prefix.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            return Err(Error::invalid(
                prefix_field,
                "must be printable ASCII of at most 64 characters",
            ));
        }
        Ok(AuthHeader {
            name: name.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// The header value for a key.
    pub fn value(&self, key: &ApiKey) -> String {
        if self.prefix.is_empty() {
            key.expose().to_owned()
        } else {
            format!("{} {}", self.prefix, key.expose())
        }
    }
}

/// Options as the caller gave them, before validation. `None` means "use the default".
#[derive(Clone, Default, PartialEq)]
pub struct ConfigInput {
    /// `apiKey`
    pub api_key: Option<String>,
    /// `baseUrl`
    pub base_url: Option<String>,
    /// `authHeader` (Proxy-Solutions only)
    pub auth_header: Option<String>,
    /// `authPrefix` (Proxy-Solutions only)
    pub auth_prefix: Option<String>,
    /// `timeout`, in milliseconds
    pub timeout_ms: Option<f64>,
    /// `retries`
    pub retries: Option<f64>,
    /// `retryDelay`, in milliseconds
    pub retry_delay_ms: Option<f64>,
    /// `maxRetryDelay`, in milliseconds
    pub max_retry_delay_ms: Option<f64>,
    /// `maxResponseBytes`
    pub max_response_bytes: Option<f64>,
    /// `allowInsecureHttp`: allow `http://` to a host that is not loopback.
    pub allow_insecure_http: Option<bool>,
    /// `dangerouslyAllowBrowser`: allow an API key in a browser page or worker.
    pub dangerously_allow_browser: Option<bool>,
    /// `keyOnServer`: the server at `baseUrl` adds the key (proxykit/server), so calls that
    /// need one are sent without it instead of being refused locally.
    pub key_on_server: Option<bool>,
    /// Set by the wasm layer (not an option): the client is being built in a browser page
    /// or worker, where any secret is readable by whoever loads the page.
    pub in_browser: bool,
}

impl fmt::Debug for ConfigInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigInput")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("auth_header", &self.auth_header)
            .field("auth_prefix", &self.auth_prefix)
            .field("timeout_ms", &self.timeout_ms)
            .field("retries", &self.retries)
            .field("retry_delay_ms", &self.retry_delay_ms)
            .field("max_retry_delay_ms", &self.max_retry_delay_ms)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("dangerously_allow_browser", &self.dangerously_allow_browser)
            .field("key_on_server", &self.key_on_server)
            .field("in_browser", &self.in_browser)
            .finish()
    }
}

/// A provider's defaults.
#[derive(Clone, Copy, Debug)]
pub struct Defaults {
    /// Default base URL (no trailing slash).
    pub base_url: &'static str,
    /// Default auth header name.
    pub auth_header: &'static str,
    /// Default auth prefix.
    pub auth_prefix: &'static str,
    /// Whether callers may change the auth header (Proxy-Solutions: yes, ProxyShard: no).
    pub auth_configurable: bool,
}

/// The client options both providers take (`ClientOptionsBase` in the typings), in the
/// order an unknown-option error lists them. A misspelt option (`apikey`) is refused rather
/// than ignored: ignored, it would silently send no key.
pub const OPTION_NAMES: &[&str] = &[
    "apiKey",
    "baseUrl",
    "fetch",
    "timeout",
    "retries",
    "retryDelay",
    "maxRetryDelay",
    "maxResponseBytes",
    "allowInsecureHttp",
    "dangerouslyAllowBrowser",
    "keyOnServer",
    "onRequest",
    "onResponse",
    "onRetry",
];

/// The options of a provider whose auth header is configurable (Proxy-Solutions).
pub const AUTH_OPTION_NAMES: &[&str] = &["authHeader", "authPrefix"];

impl Defaults {
    /// Every client option this provider takes: [`OPTION_NAMES`], and
    /// [`AUTH_OPTION_NAMES`] when its auth header is configurable.
    pub fn option_names(&self) -> Vec<&'static str> {
        let auth: &[&str] = if self.auth_configurable {
            AUTH_OPTION_NAMES
        } else {
            &[]
        };
        OPTION_NAMES.iter().chain(auth).copied().collect()
    }
}

/// A validated client configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// API key, if one was given.
    pub api_key: Option<ApiKey>,
    /// How the key is sent.
    pub auth: AuthHeader,
    /// Default timeout of each attempt in milliseconds.
    pub timeout_ms: u32,
    /// Retries of calls that are safe to repeat (see [`crate::policy`]).
    pub retry: RetryPolicy,
    /// Largest reply body read, in bytes (see [`crate::http::HttpRequest::max_response_bytes`]).
    pub max_response_bytes: u32,
    /// The server at `base_url` adds the key (`keyOnServer`): calls that need a key are sent
    /// without one instead of being refused locally.
    pub key_on_server: bool,
}

/// The largest `maxResponseBytes` accepted: 1 GiB.
pub const MAX_RESPONSE_BYTES_LIMIT: u32 = 1 << 30;

impl ClientConfig {
    /// Validates caller options against a provider's defaults. Field names in errors are the
    /// JS option names under `options.` (e.g. `options.baseUrl`).
    pub fn from_input(input: ConfigInput, defaults: Defaults) -> Result<Self, Error> {
        let custom_base_url = input.base_url.is_some();
        let base_url = match input.base_url {
            Some(u) => validate_base_url(&u, "options.baseUrl")?,
            None => defaults.base_url.to_owned(),
        };
        if is_remote_http(&base_url) && input.allow_insecure_http != Some(true) {
            return Err(Error::invalid(
                "options.baseUrl",
                "uses plain http:// to a host that is not loopback, which would send the API key \
                 and your orders' proxy passwords unencrypted; use https://, a loopback host \
                 (127.0.0.1, ::1, localhost) for a local sandbox, or set allowInsecureHttp: true",
            ));
        }
        let api_key = input
            .api_key
            .map(|k| ApiKey::new(k, "options.apiKey"))
            .transpose()?;
        if input.in_browser && api_key.is_some() && input.dangerously_allow_browser != Some(true) {
            return Err(Error::invalid(
                "options.apiKey",
                "is a secret, and in a browser page or worker anyone who loads the page can read \
                 it and spend your balance; call the vendor from your server instead, or, for a \
                 tool only you use (your own reseller panel), set dangerouslyAllowBrowser: true. \
                 Public calls (catalogue, prices, merchants) need no key",
            ));
        }
        let key_on_server = input.key_on_server == Some(true);
        if key_on_server && api_key.is_some() {
            return Err(Error::invalid(
                "options.keyOnServer",
                "says the server at baseUrl adds the key, so the client must not have an apiKey \
                 too; drop one of them",
            ));
        }
        if key_on_server && !custom_base_url {
            return Err(Error::invalid(
                "options.keyOnServer",
                "needs a baseUrl: your server's proxykit/server handler (e.g. \
                 https://shop.example/proxykit/proxyshard), not the vendor",
            ));
        }
        if !defaults.auth_configurable {
            if input.auth_header.is_some() {
                return Err(Error::invalid(
                    "options.authHeader",
                    "is not configurable for this provider (it documents its auth header)",
                ));
            }
            if input.auth_prefix.is_some() {
                return Err(Error::invalid(
                    "options.authPrefix",
                    "is not configurable for this provider (it documents its auth header)",
                ));
            }
        }
        let auth = AuthHeader::new(
            input.auth_header.as_deref().unwrap_or(defaults.auth_header),
            input.auth_prefix.as_deref().unwrap_or(defaults.auth_prefix),
            "options.authHeader",
            "options.authPrefix",
        )?;
        let timeout_ms = match input.timeout_ms {
            Some(t) => validate_timeout(t, "options.timeout")?,
            None => DEFAULT_TIMEOUT_MS,
        };
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            retries: input
                .retries
                .map(|n| validate_retries(n, "options.retries"))
                .transpose()?
                .unwrap_or(defaults.retries),
            delay_ms: input
                .retry_delay_ms
                .map(|n| validate_delay(n, "options.retryDelay"))
                .transpose()?
                .unwrap_or(defaults.delay_ms),
            max_delay_ms: input
                .max_retry_delay_ms
                .map(|n| validate_delay(n, "options.maxRetryDelay"))
                .transpose()?
                .unwrap_or(defaults.max_delay_ms),
        };
        let max_response_bytes = match input.max_response_bytes {
            Some(n)
                if n.fract() == 0.0 && (1.0..=f64::from(MAX_RESPONSE_BYTES_LIMIT)).contains(&n) =>
            {
                n as u32
            }
            Some(_) => {
                return Err(Error::invalid(
                    "options.maxResponseBytes",
                    format!("must be a whole number of bytes from 1 to {MAX_RESPONSE_BYTES_LIMIT}"),
                ))
            }
            None => crate::http::DEFAULT_MAX_RESPONSE_BYTES,
        };
        Ok(ClientConfig {
            base_url,
            api_key,
            auth,
            timeout_ms,
            retry,
            max_response_bytes,
            key_on_server,
        })
    }
}

/// A timeout in ms: an integer from 1 to [`MAX_TIMEOUT_MS`].
pub fn validate_timeout(t: f64, field: &str) -> Result<u32, Error> {
    if t.fract() != 0.0 || !(1.0..=MAX_TIMEOUT_MS as f64).contains(&t) {
        return Err(Error::invalid(
            field,
            format!("must be a whole number of milliseconds from 1 to {MAX_TIMEOUT_MS}"),
        ));
    }
    Ok(t as u32)
}

/// Whether a validated base URL is `http://` to a host that is not loopback.
pub fn is_remote_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    let loopback =
        host == "localhost" || host.ends_with(".localhost") || crate::ip::is_loopback(host);
    !loopback
}

/// Checks that `url` is an absolute `http(s)` URL with a host, no credentials, query or
/// fragment, and returns it without trailing slashes. Hand-written rather than with the
/// `url` crate, which would add its IDNA tables (hundreds of kB) to the wasm.
pub fn validate_base_url(url: &str, field: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid(field, format!("must be an absolute http(s) URL: {why}"));
    if url.len() > 2048 {
        return Err(bad("longer than 2048 characters"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("contains whitespace or control characters"));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        crate::json::cut_from(url, 8)
    } else if lower.starts_with("http://") {
        crate::json::cut_from(url, 7)
    } else {
        return Err(bad("the scheme must be http:// or https://"));
    };
    if url.contains('?') || url.contains('#') {
        return Err(bad("no query (?) or fragment (#) allowed"));
    }
    let (authority, _path) = match rest.find('/') {
        Some(i) => (crate::json::cut(rest, 0, i), crate::json::cut_from(rest, i)),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad("credentials in the URL are not allowed; use apiKey"));
    }
    let (host, port) = if let Some(end) = authority.strip_prefix('[').and_then(|a| a.find(']')) {
        // [IPv6]:port
        let host = crate::json::cut(authority, 1, end + 1);
        let after = crate::json::cut_from(authority, end + 2);
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(bad("malformed IPv6 host")),
        };
        if crate::ip::ipv6(host).is_none() {
            return Err(bad("malformed IPv6 host"));
        }
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(bad("the host is missing"));
    }
    if !authority.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        return Err(bad("the host has characters a host name cannot have"));
    }
    if let Some(p) = port {
        match crate::json::parse_digits(p) {
            Some(n) if (1..=65535).contains(&n) => {}
            _ => return Err(bad("the port must be a number from 1 to 65535")),
        }
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Defaults = Defaults {
        base_url: "https://example.test/api",
        auth_header: "X-API-KEY",
        auth_prefix: "",
        auth_configurable: true,
    };

    #[test]
    fn key_on_server_needs_a_base_url_and_no_key() {
        let with = |api_key: Option<&str>, base_url: Option<&str>| {
            ClientConfig::from_input(
                ConfigInput {
                    api_key: api_key.map(Into::into),
                    base_url: base_url.map(Into::into),
                    key_on_server: Some(true),
                    ..Default::default()
                },
                D,
            )
        };
        let c = with(None, Some("https://shop.example/proxykit/proxyshard")).unwrap();
        assert!(c.key_on_server);
        let e = with(Some("k"), Some("https://shop.example/proxykit")).unwrap_err();
        assert_eq!(e.field(), Some("options.keyOnServer"));
        let e = with(None, None).unwrap_err();
        assert!(e.to_string().contains("needs a baseUrl"), "{e}");
    }

    #[test]
    #[cfg(all(feature = "proxy-solutions", feature = "proxyshard"))]
    fn option_names_per_provider() {
        let ps = crate::proxy_solutions::DEFAULTS.option_names();
        assert_eq!(ps.len(), 16);
        assert_eq!(ps[0], "apiKey");
        assert_eq!(&ps[14..], ["authHeader", "authPrefix"]);
        let shard = crate::proxyshard::DEFAULTS.option_names();
        assert_eq!(shard, OPTION_NAMES);
        assert!(!shard.contains(&"authHeader"));
    }

    #[test]
    fn base_urls_accepted() {
        for (u, want) in [
            (
                "https://v3.proxy-solutions.net/api",
                "https://v3.proxy-solutions.net/api",
            ),
            ("http://127.0.0.1:8787/api/", "http://127.0.0.1:8787/api"),
            ("HTTPS://Host.Example", "HTTPS://Host.Example"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("http://localhost", "http://localhost"),
        ] {
            assert_eq!(validate_base_url(u, "f").as_deref(), Ok(want), "{u}");
        }
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for (u, remote) in [
            ("http://127.0.0.1:8787/api", false),
            ("http://127.8.9.10", false),
            ("http://[::1]:9000", false),
            ("http://LOCALHOST:1", false),
            ("http://app.localhost", false),
            ("https://v3.proxy-solutions.net/api", false),
            ("http://v3.proxy-solutions.net/api", true),
            ("http://10.0.0.5:8787", true),
            ("http://[::2]", true),
            ("http://localhost.evil.example", true),
        ] {
            assert_eq!(is_remote_http(u), remote, "{u}");
        }
        let input = |allow| ConfigInput {
            base_url: Some("http://proxies.example".into()),
            allow_insecure_http: allow,
            ..Default::default()
        };
        let e = ClientConfig::from_input(input(None), D).unwrap_err();
        assert_eq!(e.field(), Some("options.baseUrl"));
        assert!(ClientConfig::from_input(input(Some(true)), D).is_ok());
    }

    #[test]
    fn a_key_in_a_browser_needs_the_opt_in() {
        let input = |key: Option<&str>, allow| ConfigInput {
            api_key: key.map(String::from),
            dangerously_allow_browser: allow,
            in_browser: true,
            ..Default::default()
        };
        let e = ClientConfig::from_input(input(Some("k"), None), D).unwrap_err();
        assert_eq!(e.field(), Some("options.apiKey"));
        assert!(e.to_string().contains("dangerouslyAllowBrowser"));
        assert!(
            !e.to_string().contains(": k"),
            "the key itself is never echoed"
        );
        assert!(ClientConfig::from_input(input(Some("k"), Some(true)), D).is_ok());
        assert!(
            ClientConfig::from_input(input(None, None), D).is_ok(),
            "public calls need no key"
        );
    }

    #[test]
    fn base_urls_rejected() {
        for u in [
            "",
            "ftp://x",
            "v3.proxy-solutions.net/api",
            "https://",
            "https:///api",
            "https://a b/api",
            "https://host/api?x=1",
            "https://host/#frag",
            "https://user:pw@host/api",
            "https://host:0/",
            "https://host:70000/",
            "https://host:+80/",
            "https://host:abc/",
            "https://[::zz]/",
            "https://ho\u{0}st/",
            "https://hö st/",
            "javascript:alert(1)",
        ] {
            let e = validate_base_url(u, "options.baseUrl").unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{u}");
            assert_eq!(e.field(), Some("options.baseUrl"));
        }
    }

    #[test]
    fn keys_validated_and_redacted() {
        assert!(ApiKey::new("", "k").is_err());
        assert!(ApiKey::new("abc\r\nX-Evil: 1", "k").is_err());
        assert!(ApiKey::new("ключ", "k").is_err());
        assert!(ApiKey::new("a b", "k").is_err());
        let k = ApiKey::new("sk_test_123", "k").unwrap();
        assert_eq!(format!("{k:?}"), "ApiKey(<redacted>)");
        let input = ConfigInput {
            api_key: Some("sk_test_123".into()),
            ..Default::default()
        };
        assert!(!format!("{input:?}").contains("sk_test_123"));
        let cfg = ClientConfig::from_input(input, D).unwrap();
        assert!(!format!("{cfg:?}").contains("sk_test_123"));
    }

    #[test]
    fn defaults_apply() {
        let cfg = ClientConfig::from_input(ConfigInput::default(), D).unwrap();
        assert_eq!(cfg.base_url, "https://example.test/api");
        assert_eq!(cfg.auth.name, "X-API-KEY");
        assert_eq!(cfg.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert!(cfg.api_key.is_none());
    }

    #[test]
    fn auth_header_forms() {
        let k = ApiKey::new("K", "k").unwrap();
        assert_eq!(
            AuthHeader::new("X-API-KEY", "", "a", "b")
                .unwrap()
                .value(&k),
            "K"
        );
        assert_eq!(
            AuthHeader::new("Authorization", " Bearer ", "a", "b")
                .unwrap()
                .value(&k),
            "Bearer K"
        );
        assert_eq!(
            AuthHeader::new("Bad Header", "", "a", "b")
                .unwrap_err()
                .field(),
            Some("a")
        );
        assert_eq!(
            AuthHeader::new("", "", "a", "b").unwrap_err().field(),
            Some("a")
        );
        assert_eq!(
            AuthHeader::new("X", "Be\narer", "a", "b")
                .unwrap_err()
                .field(),
            Some("b")
        );
    }

    #[test]
    fn auth_not_configurable_when_documented() {
        let d = Defaults {
            auth_configurable: false,
            ..D
        };
        let e = ClientConfig::from_input(
            ConfigInput {
                auth_header: Some("X".into()),
                ..Default::default()
            },
            d,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("options.authHeader"));
    }

    #[test]
    fn timeouts() {
        assert_eq!(validate_timeout(1500.0, "t"), Ok(1500));
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 3e9] {
            assert!(validate_timeout(bad, "t").is_err(), "{bad}");
        }
    }
}
