//! The one seam between proxykit and the network.
//!
//! A transport takes an [`HttpRequest`] value and returns an [`HttpResponse`] value or a
//! transport-level [`Error`] (`network`, `timeout`, `aborted`). HTTP error statuses are *not*
//! errors here: the client maps them, so every transport behaves the same.
//!
//! No `Send` bound on purpose: futures on wasm hold JS values and are not `Send`, and the
//! native mock never crosses threads.

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};

#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod mock;

/// Sends requests. Implemented by `fetch::FetchTransport` on wasm and [`mock::MockTransport`].
pub trait Transport {
    /// Per-call cancellation handle understood by this transport (an `AbortSignal` on wasm,
    /// `()` for the mock).
    type Signal;

    /// Sends one request (borrowed: a retried call sends the same value again, uncopied)
    /// and reads the whole reply body as text. Honours
    /// `request.timeout_ms` and `signal`.
    // The future is deliberately not `Send` (see the module docs), which is what this lint
    // warns about for public traits.
    #[allow(async_fn_in_trait)]
    async fn send(
        &self,
        request: &HttpRequest,
        signal: Option<&Self::Signal>,
    ) -> Result<HttpResponse, Error>;

    /// Waits `ms` milliseconds between retries; ends early with [`Error::Aborted`] when
    /// `signal` fires.
    #[allow(async_fn_in_trait)]
    async fn sleep(&self, ms: u32, signal: Option<&Self::Signal>) -> Result<(), Error>;

    /// Whether `signal` has already fired: the client then sends nothing more (and a call
    /// whose signal fired before it started reports that nothing was sent).
    /// Transports without a signal (the mock) never are.
    fn is_aborted(&self, signal: Option<&Self::Signal>) -> bool {
        let _ = signal;
        false
    }

    /// Whether [`Transport::observe`] wants events: the client builds none otherwise, so a
    /// client without hooks pays nothing for them.
    fn observes(&self) -> bool {
        false
    }

    /// One event of a call, for the caller's hooks (logging, metrics). Never fails the call.
    fn observe(&self, event: &CallEvent<'_>) {
        let _ = event;
    }

    /// The current Unix time in ms (for `Retry-After` dates).
    fn now_ms(&self) -> f64;

    /// A number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
}

/// What the client reports to hooks, per request of a call. Only the operation, the method,
/// the URL's path (no query, no host, no headers) and numbers: nothing secret can be in it.
#[derive(Clone, Debug, PartialEq)]
pub enum CallEvent<'a> {
    /// A request is about to be sent.
    Request {
        /// The operationId.
        operation: &'static str,
        /// HTTP method.
        method: &'static str,
        /// The URL's path.
        path: &'a str,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// A request ended: a reply of any status (`status`), or no usable reply (`code`:
    /// `network`, `timeout`, `aborted`, `redirect`, `response_too_large`).
    Response {
        /// The operationId.
        operation: &'static str,
        /// HTTP method.
        method: &'static str,
        /// The URL's path.
        path: &'a str,
        /// 1 for the first attempt.
        attempt: u32,
        /// The reply's status, when there was a reply.
        status: Option<u16>,
        /// The error code when the attempt got no usable reply.
        code: Option<&'static str>,
        /// Time since this attempt was sent, in ms.
        elapsed_ms: f64,
    },
    /// The call will be retried after `delay_ms`.
    Retry {
        /// The operationId.
        operation: &'static str,
        /// HTTP method.
        method: &'static str,
        /// The URL's path.
        path: &'a str,
        /// The attempt that failed.
        attempt: u32,
        /// The wait before the next attempt, in ms.
        delay_ms: u64,
    },
}
