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

/// Sends requests. Implemented by [`fetch::FetchTransport`] on wasm and [`mock::MockTransport`].
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

    /// The current Unix time in ms (for `Retry-After` dates).
    fn now_ms(&self) -> f64;

    /// A number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
}
