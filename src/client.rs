//! The client: build → send → parse, over any [`Transport`].

use crate::config::ClientConfig;
use crate::endpoint::{decode_value, reply_json, Endpoint};
use crate::error::Error;
use crate::http::HttpResponse;
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
        let response = self.exchange(endpoint, options).await?;
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
        let response = self.exchange(endpoint, options).await?;
        let value = reply_json(E::OPERATION, &response).map_err(|e| self.scrub(e))?;
        decode_value::<E::Output>(E::OPERATION, response.status, &value)
            .map_err(|e| self.scrub(e))?;
        Ok(value)
    }

    async fn exchange<E: Endpoint>(
        &self,
        endpoint: &E,
        options: CallOptions<'_, T::Signal>,
    ) -> Result<HttpResponse, Error> {
        let mut request = endpoint.build(&self.config)?;
        if let Some(t) = options.timeout_ms {
            request.timeout_ms = Some(t);
        }
        self.transport
            .send(request, options.signal)
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
