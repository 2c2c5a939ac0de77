//! The client: build → send → parse, over any [`Transport`].

use crate::config::ClientConfig;
use crate::endpoint::{check_reply, check_reply_text, reply_value, Endpoint};
use crate::error::{truncate_chars, Error, SNIPPET_CHARS};
use crate::http::{HttpRequest, HttpResponse};
use crate::json::{self, Ty};
use crate::policy::{self, Next, Outcome};
use crate::transport::{CallEvent, Transport};

/// Per-call options that are not API fields.
#[derive(Debug)]
pub struct CallOptions<'a, S> {
    /// Overrides the client's default timeout for this call (milliseconds).
    pub timeout_ms: Option<u32>,
    /// Cancels the call when triggered.
    pub signal: Option<&'a S>,
    /// Overrides the client's retry count for this call (only calls that are safe to
    /// repeat are ever retried; see [`crate::policy`]).
    pub retries: Option<u32>,
}

impl<S> Default for CallOptions<'_, S> {
    fn default() -> Self {
        CallOptions {
            timeout_ms: None,
            signal: None,
            retries: None,
        }
    }
}

/// An error with how many requests the call sent (1 + retries made).
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// What went wrong on the last attempt.
    pub error: Error,
    /// Requests sent (0 when the input was refused before sending).
    pub attempts: u32,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, attempts: 0 }
    }
}

/// A configured client for one provider over one transport.
#[derive(Debug)]
pub struct Client<T: Transport> {
    config: ClientConfig,
    transport: T,
}

impl<T: Transport> Client<T> {
    /// A client from a validated configuration and a transport.
    pub fn new(config: ClientConfig, transport: T) -> Self {
        Client { config, transport }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport (tests read the mock's recorded requests through this).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Performs one operation and decodes its reply into the endpoint's typed output.
    pub async fn call<E: Endpoint>(
        &self,
        endpoint: &E,
        options: CallOptions<'_, T::Signal>,
    ) -> Result<E::Output, Error> {
        let request = self.prepare(endpoint, options.timeout_ms)?;
        let response = self
            .send(request, options.signal, E::OPERATION, options.retries)
            .await
            .map_err(|f| f.error)?;
        endpoint.parse(&response).map_err(|e| self.scrub(e))
    }

    /// Performs one operation, checks the reply against the endpoint's typed output, and
    /// returns the reply's JSON as received: wire field names, and fields the vendor added
    /// after this SDK was written are kept rather than silently dropped.
    pub async fn call_json<E: Endpoint>(
        &self,
        endpoint: &E,
        options: CallOptions<'_, T::Signal>,
    ) -> Result<serde_json::Value, Error> {
        let request = self.prepare(endpoint, options.timeout_ms)?;
        self.send_checked(request, options.signal, options.retries, reply_check::<E>())
            .await
            .map_err(|f| f.error)
    }

    /// Builds an endpoint's request with this client's configuration (base URL, auth,
    /// timeout; `timeout_ms` overrides the default). Nothing is sent.
    pub fn prepare<E: Endpoint>(
        &self,
        endpoint: &E,
        timeout_ms: Option<u32>,
    ) -> Result<HttpRequest, Error> {
        let mut request = endpoint.build(&self.config)?;
        if let Some(t) = timeout_ms {
            request.timeout_ms = Some(t);
        }
        Ok(request)
    }

    /// Sends a prepared request and checks its reply with `check` (see [`reply_check`]),
    /// returning the reply's JSON. Deliberately not generic over the endpoint: the async
    /// state machine is compiled once instead of once per operation, which keeps the wasm
    /// tens of kB smaller.
    pub async fn send_checked(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        retries: Option<u32>,
        check: ReplyCheck,
    ) -> Result<serde_json::Value, Failure> {
        self.send_checked_text(request, signal, retries, check)
            .await
            .map(|(value, _)| value)
    }

    /// [`Client::send_checked`], also returning the reply's body text (the JS layer hands
    /// it to `JSON.parse`, which builds JS objects faster than converting the value).
    pub async fn send_checked_text(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        retries: Option<u32>,
        check: ReplyCheck,
    ) -> Result<(serde_json::Value, String), Failure> {
        let (response, attempts) = self
            .send_counted(request, signal, check.operation, retries)
            .await?;
        self.finish_text(response, attempts, check)
    }

    /// The synchronous end of [`Client::send_checked_text`]: the reply of a call that sent
    /// `attempts` requests, parsed and checked (over the value).
    pub fn finish_text(
        &self,
        response: HttpResponse,
        attempts: u32,
        check: ReplyCheck,
    ) -> Result<(serde_json::Value, String), Failure> {
        self.finish_built::<false>(response, attempts, check)
    }

    /// [`Client::finish_text`] with the reply's shape checked over its text, by the checker
    /// of [`Client::finish_fast`] (tests/json_text.rs keeps its verdicts equal to the check
    /// over the value; the error's snippet is the value's text either way). For the wasm
    /// modules whose other calls link only that checker (ProxyShard's page iterators and
    /// health probes), so a module links one checker: ~1 KB of gzip.
    pub fn finish_text_checked_as_text(
        &self,
        response: HttpResponse,
        attempts: u32,
        check: ReplyCheck,
    ) -> Result<(serde_json::Value, String), Failure> {
        self.finish_built::<true>(response, attempts, check)
    }

    /// [`Client::finish_text`] (`AS_TEXT` false) or [`Client::finish_text_checked_as_text`].
    /// A const parameter, so each module links only the checker it uses.
    fn finish_built<const AS_TEXT: bool>(
        &self,
        response: HttpResponse,
        attempts: u32,
        check: ReplyCheck,
    ) -> Result<(serde_json::Value, String), Failure> {
        let fail = self.failure(attempts);
        let value = reply_value(check.operation, check.any_body, &response).map_err(fail)?;
        if !AS_TEXT {
            check_reply(check.operation, response.status, check.schema, &value).map_err(fail)?;
        } else if !matches!(check.schema, Ty::Any) {
            // `Ty::Any` takes every value, and it is the shape of every `any_body` call,
            // whose body may not be JSON (the generator refuses any other).
            let text = response.body.trim_start_matches('\u{feff}');
            check_reply_text(check.operation, response.status, check.schema, text, &value)
                .map_err(fail)?;
        }
        Ok((value, response.body))
    }

    /// Sends a prepared request and checks its JSON reply while parsing it, without building
    /// a value; returns the body text (the JS layer gives it to `JSON.parse`). For replies
    /// that must be JSON (not [`Endpoint::ANY_BODY`] calls).
    pub async fn send_checked_fast(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        retries: Option<u32>,
        check: ReplyCheck,
    ) -> Result<String, Failure> {
        let (response, attempts) = self
            .send_counted(request, signal, check.operation, retries)
            .await?;
        self.finish_fast(response, attempts, check)
    }

    /// The synchronous end of [`Client::send_checked_fast`]: the reply of a call that sent
    /// `attempts` requests, checked while parsed.
    pub fn finish_fast(
        &self,
        response: HttpResponse,
        attempts: u32,
        check: ReplyCheck,
    ) -> Result<String, Failure> {
        let fail = self.failure(attempts);
        if !response.is_success() || response.body.trim().is_empty() {
            // Errors and empty bodies: the full path builds the typed error.
            return reply_value(check.operation, false, &response)
                .map(|_| String::new())
                .map_err(fail);
        }
        let text = response.body.trim_start_matches('\u{feff}');
        crate::json::check_text(check.schema, text).map_err(|(path, message)| {
            let message = if path == "." && !message.starts_with("expected") {
                format!("not JSON: {message}")
            } else {
                message
            };
            fail(Error::Decode {
                operation: check.operation,
                status: response.status,
                path,
                message,
                snippet: truncate_chars(text, SNIPPET_CHARS),
            })
        })?;
        Ok(text.to_owned())
    }

    /// Sends a request, retrying it while [`policy::next`] says so (only for calls that
    /// are safe to repeat). An HTTP error status is not an error here: the last reply is
    /// returned whatever its status, for the caller to map.
    pub async fn send(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        operation: &'static str,
        retries: Option<u32>,
    ) -> Result<HttpResponse, Failure> {
        self.send_counted(request, signal, operation, retries)
            .await
            .map(|(r, _)| r)
    }

    /// [`Client::send`], also returning how many requests were sent (1 + retries made).
    pub async fn send_counted(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        operation: &'static str,
        retries: Option<u32>,
    ) -> Result<(HttpResponse, u32), Failure> {
        let class = policy::class_of(operation);
        let retry = self.retry_policy(retries);
        let mut attempts = 0;
        // Hooks get the URL's path only (no query, host or headers): built once per call,
        // and only when the transport reports events.
        let observing = self.transport.observes();
        let path = if observing {
            url_path(&request.url)
        } else {
            ""
        };
        let method = request.method.as_str();
        loop {
            if self.transport.is_aborted(signal) {
                // Nothing more is sent; `attempts` says whether anything was.
                return Err(Failure {
                    error: Error::Aborted,
                    attempts,
                });
            }
            attempts += 1;
            let started = if observing {
                self.transport.observe(&CallEvent::Request {
                    operation,
                    method,
                    path,
                    attempt: attempts,
                });
                self.transport.now_ms()
            } else {
                0.0
            };
            let result = delivered(
                operation,
                class,
                &request.url,
                request.max_response_bytes,
                self.transport.send(&request, signal).await,
            );
            if observing {
                let (status, code) = match &result {
                    Ok(r) => (Some(r.status), None),
                    Err(e) => (e.status(), Some(e.code())),
                };
                self.transport.observe(&CallEvent::Response {
                    operation,
                    method,
                    path,
                    attempt: attempts,
                    status,
                    code,
                    elapsed_ms: (self.transport.now_ms() - started).max(0.0),
                });
            }
            let decision = policy::next(
                &retry,
                class,
                attempts,
                outcome_of(&result),
                self.transport.random(),
                self.transport.now_ms(),
            );
            match (decision, result) {
                (Next::RetryAfter(ms), _) => {
                    if observing {
                        self.transport.observe(&CallEvent::Retry {
                            operation,
                            method,
                            path,
                            attempt: attempts,
                            delay_ms: u64::from(ms),
                        });
                    }
                    if let Err(e) = self.transport.sleep(ms, signal).await {
                        return Err(Failure {
                            error: self.scrub(e),
                            attempts,
                        });
                    }
                }
                (Next::Stop, Ok(r)) => return Ok((r, attempts)),
                (Next::Stop, Err(e)) => {
                    return Err(Failure {
                        error: self.scrub(e),
                        attempts,
                    })
                }
            }
        }
    }

    /// The client's retry policy, with a call's `retries` option over its count.
    pub fn retry_policy(&self, retries: Option<u32>) -> policy::RetryPolicy {
        let mut retry = self.config.retry;
        if let Some(n) = retries {
            retry.retries = n;
        }
        retry
    }

    /// Turns an error into a [`Failure`] of a call that sent `attempts` requests.
    pub fn failure(&self, attempts: u32) -> impl Fn(Error) -> Failure + Copy + '_ {
        move |e| Failure {
            error: self.scrub(e),
            attempts,
        }
    }

    /// Takes the API key and every credential field out of an error before it leaves.
    fn scrub(&self, e: Error) -> Error {
        e.scrub(self.config.api_key.as_ref().map(|k| k.expose()))
    }
}

/// The path of an absolute URL (`https://host/a/b?x=1` → `/a/b`), for hooks (the wasm's JS
/// call loop gets it from `wasm::clients::request_array`).
pub(crate) fn url_path(url: &str) -> &str {
    let after_scheme = json::find_text(url, "://").map_or(url, |i| json::cut_from(url, i + 3));
    let path = after_scheme
        .find('/')
        .map_or("/", |i| json::cut_from(after_scheme, i));
    path.split(['?', '#']).next().unwrap_or("/")
}

/// What one attempt's result goes through before it counts, in every call loop (the async
/// one above and the JS one of the wasm build): a redirect (3xx, or the status 0 of a
/// browser's opaque redirect) is never followed and becomes [`Error::Redirect`]; a body
/// over the request's cap (`max_bytes`) becomes [`Error::ResponseTooLarge`] (the wasm
/// transport stops reading at the cap; this also covers any other transport); a transport
/// error is given the operation's name.
pub fn delivered(
    operation: &'static str,
    class: policy::Class,
    url: &str,
    max_bytes: u32,
    result: Result<HttpResponse, Error>,
) -> Result<HttpResponse, Error> {
    let response = result.map_err(|e| e.for_operation(operation))?;
    if is_redirect(response.status) {
        return Err(Error::Redirect {
            operation,
            status: response.status,
            location: response
                .header("location")
                .and_then(|l| target_origin(url, l)),
            applied: class != policy::Class::Read,
        });
    }
    if response.body.len() > max_bytes as usize {
        return Err(Error::ResponseTooLarge {
            operation,
            status: response.status,
            limit: max_bytes,
        });
    }
    Ok(response)
}

/// Whether a reply's status is a redirect, which is never followed: a 3xx, or the status 0 of
/// a browser's opaque redirect (`redirect: "manual"`).
pub fn is_redirect(status: u16) -> bool {
    status == 0 || (300..400).contains(&status)
}

/// What an attempt's result means to the retry policy.
pub fn outcome_of(result: &Result<HttpResponse, Error>) -> Outcome<'_> {
    match result {
        Ok(r) => Outcome::Status(r.status, r.header("retry-after")),
        Err(Error::Network { .. }) => Outcome::Network,
        Err(Error::Timeout { .. }) => Outcome::Timeout,
        Err(_) => Outcome::Final,
    }
}

/// The origin (`scheme://host[:port]`, lower-case) a `Location` value points at, resolved
/// against the request's URL: absolute, scheme-relative (`//host/…`) or a path on the same
/// origin. Read as a browser's URL parser would (tab, CR and LF removed, `\` as `/`); `None`
/// where this small reader and a real parser might disagree (a scheme without `//`, a
/// non-ASCII host, an empty host), since a wrong origin would be worse than none.
pub(crate) fn target_origin(request_url: &str, location: &str) -> Option<String> {
    let origin_of = |url: &str| -> Option<String> {
        let at = json::find_text(url, "://")?;
        let (scheme, rest) = (json::cut(url, 0, at), json::cut_from(url, at + 3));
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return None;
        }
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty()
            || !host.is_ascii()
            || host.bytes().any(|b| b.is_ascii_control() || b == b' ')
        {
            return None;
        }
        Some(format!("{scheme}://{host}").to_ascii_lowercase())
    };
    let cleaned: String = location
        .trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let location = cleaned.as_str();
    let has_scheme = location.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    if has_scheme {
        // `http:evil.example` has a scheme but no `//`: parsers differ on it; say nothing.
        return if json::has_text(location, "://") {
            origin_of(location)
        } else {
            None
        };
    }
    let base = origin_of(request_url)?;
    match location.strip_prefix("//") {
        Some(rest) => {
            let scheme = json::cut(&base, 0, json::find_text(&base, "://")?);
            origin_of(&format!("{scheme}://{rest}"))
        }
        None => Some(base),
    }
}

/// How a reply is checked: the operation's name and its documented shape, as a value
/// rather than a type parameter (see [`Client::send_checked`]).
#[derive(Clone, Copy, Debug)]
pub struct ReplyCheck {
    /// The `operationId`, for errors.
    pub operation: &'static str,
    /// The documented shape of the reply.
    pub schema: &'static Ty,
    /// Whether a non-JSON body is accepted (see [`Endpoint::ANY_BODY`]).
    pub any_body: bool,
}

/// The [`ReplyCheck`] of an endpoint.
pub fn reply_check<E: Endpoint>() -> ReplyCheck {
    ReplyCheck {
        operation: E::OPERATION,
        schema: E::REPLY,
        any_body: E::ANY_BODY,
    }
}

#[cfg(test)]
mod tests {
    use super::target_origin;

    #[cfg(feature = "proxyshard")]
    #[test]
    fn a_built_reply_checked_as_text_or_as_value_gives_the_same_result() {
        use super::{Client, ReplyCheck};
        use crate::http::HttpResponse;
        use crate::json::{opt, req, Ty};
        static ITEM: Ty = Ty::Obj(&[req("id", Ty::Uint), opt("tag", Ty::Str)]);
        static PAGE: Ty = Ty::Obj(&[req("orders", Ty::List(&ITEM)), opt("next", Ty::Uint)]);
        let config = crate::config::ClientConfig::from_input(
            crate::config::ConfigInput {
                base_url: Some("https://api.example".into()),
                ..Default::default()
            },
            crate::proxyshard::DEFAULTS,
        )
        .unwrap();
        let client = Client::new(config, crate::transport::mock::MockTransport::new());
        let show = |r: Result<(serde_json::Value, String), super::Failure>| match r {
            Ok((v, text)) => format!("ok {v} {text}"),
            Err(f) => format!("{} {:?} {}", f.attempts, f.error, f.error),
        };
        for (schema, any_body) in [(&PAGE, false), (&Ty::Any, false), (&Ty::Any, true)] {
            let check = ReplyCheck {
                operation: "listOrders",
                schema,
                any_body,
            };
            for body in [
                r#"{"orders":[{"id":1},{"id":2,"tag":"x"}],"next":null}"#,
                "\u{feff} {\"orders\": [], \"extra\": [1, {\"a\": 2}]}",
                r#"{"orders":[{"id":1},{"id":-2}]}"#,
                r#"{"orders":[{"id":1,"tag":5}]}"#,
                "{ \"orders\" : [ { \"id\" : -2 } ] }",
                r#"{"next":3}"#,
                r#"[1,2]"#,
                "not json",
                "",
            ] {
                for status in [200, 500] {
                    let a = client.finish_text(HttpResponse::new(status, body), 2, check);
                    let b = client.finish_text_checked_as_text(
                        HttpResponse::new(status, body),
                        2,
                        check,
                    );
                    assert_eq!(show(a), show(b), "{body:?} {status} {any_body}");
                }
            }
        }
    }

    #[test]
    fn location_origins_are_read_as_a_url_parser_would_or_not_at_all() {
        let base = "https://api.example/user/api/me";
        for (location, want) in [
            (
                "https://Other.example:8443/x?y",
                Some("https://other.example:8443"),
            ),
            ("/elsewhere", Some("https://api.example")),
            ("relative/path", Some("https://api.example")),
            ("//cdn.example/x", Some("https://cdn.example")),
            (
                "https://evil.example\\@good.example/x",
                Some("https://evil.example"),
            ),
            ("/\\evil.example/x", Some("https://evil.example")),
            ("\\\\evil.example", Some("https://evil.example")),
            ("https://ev\til.example/", Some("https://evil.example")),
            ("http:evil.example", None),
            ("javascript:alert(1)", None),
            ("https://\u{c9}.com/", None),
            ("///x", None),
            ("https://a@b@c/", Some("https://c")),
        ] {
            assert_eq!(
                target_origin(base, location).as_deref(),
                want,
                "{location:?}"
            );
        }
    }
}
