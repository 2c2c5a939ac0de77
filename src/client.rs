//! The client: build → send → parse, over any [`Transport`].

use crate::config::ClientConfig;
use crate::endpoint::{check_reply, reply_value, Endpoint};
use crate::error::{truncate_chars, Error, SNIPPET_CHARS};
use crate::http::{HttpRequest, HttpResponse};
use crate::json::Ty;
use crate::transport::Transport;

/// Per-call options that are not API fields.
#[derive(Debug)]
pub struct CallOptions<'a, S> {
    /// Overrides the client's default timeout for this call (milliseconds).
    pub timeout_ms: Option<u32>,
    /// Cancels the call when triggered.
    pub signal: Option<&'a S>,
}

impl<S> Default for CallOptions<'_, S> {
    fn default() -> Self {
        CallOptions {
            timeout_ms: None,
            signal: None,
        }
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
        let response = self.send(request, options.signal).await?;
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
        self.send_checked(request, options.signal, reply_check::<E>())
            .await
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
        check: ReplyCheck,
    ) -> Result<serde_json::Value, Error> {
        self.send_checked_text(request, signal, check)
            .await
            .map(|(value, _)| value)
    }

    /// [`Client::send_checked`], also returning the reply's body text (the JS layer hands
    /// it to `JSON.parse`, which builds JS objects faster than converting the value).
    pub async fn send_checked_text(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        check: ReplyCheck,
    ) -> Result<(serde_json::Value, String), Error> {
        let response = self.send(request, signal).await?;
        let value =
            reply_value(check.operation, check.any_body, &response).map_err(|e| self.scrub(e))?;
        check_reply(check.operation, response.status, check.schema, &value)
            .map_err(|e| self.scrub(e))?;
        Ok((value, response.body))
    }

    /// Sends a prepared request and checks its JSON reply while parsing it, without building
    /// a value; returns the body text (the JS layer gives it to `JSON.parse`). For replies
    /// that must be JSON (not [`Endpoint::ANY_BODY`] calls).
    pub async fn send_checked_fast(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
        check: ReplyCheck,
    ) -> Result<String, Error> {
        let response = self.send(request, signal).await?;
        if !response.is_success() || response.body.trim().is_empty() {
            // Errors and empty bodies: the full path builds the typed error.
            return reply_value(check.operation, false, &response)
                .map(|_| String::new())
                .map_err(|e| self.scrub(e));
        }
        let text = response.body.trim_start_matches('\u{feff}');
        crate::json::check_text(check.schema, text).map_err(|(path, message)| {
            let message = if path == "." && !message.starts_with("expected") {
                format!("not JSON: {message}")
            } else {
                message
            };
            self.scrub(Error::Decode {
                operation: check.operation,
                status: response.status,
                path,
                message,
                snippet: truncate_chars(text, SNIPPET_CHARS),
            })
        })?;
        Ok(text.to_owned())
    }

    async fn send(
        &self,
        request: HttpRequest,
        signal: Option<&T::Signal>,
    ) -> Result<HttpResponse, Error> {
        self.transport
            .send(request, signal)
            .await
            .map_err(|e| self.scrub(e))
    }

    fn scrub(&self, e: Error) -> Error {
        match &self.config.api_key {
            Some(k) => e.scrub(k.expose()),
            None => e,
        }
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
