//! A recording mock transport for native tests: replays queued replies in order and keeps
//! every request it was given, so tests assert what would have gone on the wire.

use std::cell::RefCell;
use std::collections::VecDeque;

use super::{CallEvent, Transport};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};

/// Replays queued replies and records requests. An empty queue answers with a `network`
/// error, so a test that sends more than it expected fails loudly.
#[derive(Debug, Default)]
pub struct MockTransport {
    replies: RefCell<VecDeque<Result<HttpResponse, Error>>>,
    requests: RefCell<Vec<HttpRequest>>,
    sleeps: RefCell<Vec<u32>>,
    events: RefCell<Vec<String>>,
    /// `(ms elapsed, ms early)` once [`MockTransport::clock_runs_on_sleep`] is called.
    clock: std::cell::Cell<Option<(f64, u32)>>,
}

impl MockTransport {
    /// An empty mock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a reply with this status and body text.
    pub fn reply(&self, status: u16, body: impl Into<String>) -> &Self {
        self.replies
            .borrow_mut()
            .push_back(Ok(HttpResponse::new(status, body)));
        self
    }

    /// Queues a full reply (with headers).
    pub fn reply_with(&self, response: HttpResponse) -> &Self {
        self.replies.borrow_mut().push_back(Ok(response));
        self
    }

    /// Queues a transport failure.
    pub fn fail(&self, error: Error) -> &Self {
        self.replies.borrow_mut().push_back(Err(error));
        self
    }

    /// Every request sent so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    /// Number of requests sent so far.
    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }

    /// Every wait between retries so far, in ms (the mock does not really wait).
    pub fn sleeps(&self) -> Vec<u32> {
        self.sleeps.borrow().clone()
    }

    /// Makes the clock move on each sleep, by the time slept less `early_ms` (at least 1 ms):
    /// a timer that fires early, as real ones may by a millisecond. The clock stands still
    /// otherwise.
    pub fn clock_runs_on_sleep(&self, early_ms: u32) -> &Self {
        self.clock.set(Some((0.0, early_ms)));
        self
    }

    /// The hook events the client reported, one line each (`request GET /a #1`,
    /// `response #1 503 -`, `retry #1 300 ms`).
    pub fn events(&self) -> Vec<String> {
        self.events.borrow().clone()
    }
}

/// The mock's clock: 1994-11-06T08:49:37Z, the example date of RFC 9110.
pub const MOCK_NOW_MS: f64 = 784_111_777_000.0;

impl Transport for MockTransport {
    type Signal = ();

    async fn send(
        &self,
        request: &HttpRequest,
        _signal: Option<&()>,
    ) -> Result<HttpResponse, Error> {
        self.requests.borrow_mut().push(request.clone());
        self.replies
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(Error::network("mock transport: no reply queued")))
    }

    async fn sleep(&self, ms: u32, _signal: Option<&()>) -> Result<(), Error> {
        self.sleeps.borrow_mut().push(ms);
        if let Some((elapsed, early)) = self.clock.get() {
            let moved = ms.saturating_sub(early).max(1);
            self.clock.set(Some((elapsed + f64::from(moved), early)));
        }
        Ok(())
    }

    fn observes(&self) -> bool {
        true
    }

    fn observe(&self, event: &CallEvent<'_>) {
        let line = match event {
            CallEvent::Request {
                operation,
                method,
                path,
                attempt,
            } => format!("request {operation} {method} {path} #{attempt}"),
            CallEvent::Response {
                attempt,
                status,
                code,
                ..
            } => format!(
                "response #{attempt} {} {}",
                status.map_or("-".to_owned(), |s| s.to_string()),
                code.unwrap_or("-")
            ),
            CallEvent::Retry {
                attempt, delay_ms, ..
            } => format!("retry #{attempt} {delay_ms} ms"),
        };
        self.events.borrow_mut().push(line);
    }

    fn now_ms(&self) -> f64 {
        MOCK_NOW_MS + self.clock.get().map_or(0.0, |(elapsed, _)| elapsed)
    }

    /// Always 0.5: jitter in the middle of its range, so tests know the delays.
    fn random(&self) -> f64 {
        0.5
    }
}

/// Runs a future that never waits on real I/O to completion on the current thread (the mock
/// transport is always ready). Returns `None` if the future is still pending after many polls,
/// which means it waited on something a mock cannot provide.
pub fn block_on<F: std::future::Future>(fut: F) -> Option<F::Output> {
    use std::task::{Context, Poll, Waker};
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    None
}
