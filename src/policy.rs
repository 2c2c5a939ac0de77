//! What may be retried, and how: every operation's class (one table), the retry settings,
//! backoff with jitter and `Retry-After`.
//!
//! Neither vendor offers idempotency keys, so a retry of a call that creates something or
//! moves money can do it twice. proxykit therefore retries only calls that are safe to repeat
//! ([`Class::Read`] and [`Class::IdempotentWrite`], which set something *to a value*) and
//! only on failures that say nothing about the request's fate being final: network errors,
//! a timed-out attempt, 429 and 5xx. [`Class::Write`] and [`Class::Money`] calls are sent
//! once; their errors carry `mayHaveBeenApplied` so the caller can reconcile (list orders,
//! read the wallet) before trying again.

use crate::error::Error;
use crate::json;

/// How an operation may be repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Reads nothing but state (GET, and price quotes sent as POST): retried.
    Read,
    /// Sets something to a given value; repeating it leaves the same state: retried.
    IdempotentWrite,
    /// Creates or changes state in a way a repeat would change again: sent once.
    Write,
    /// Moves money (charges, purchases, renewals, top-ups, paid add-ons): sent once.
    Money,
}

impl Class {
    /// The name used in docs and errors: `read`, `idempotent-write`, `write`, `money`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Read => "read",
            Class::IdempotentWrite => "idempotent-write",
            Class::Write => "write",
            Class::Money => "money",
        }
    }

    /// Whether proxykit retries calls of this class.
    pub fn retried(self) -> bool {
        matches!(self, Class::Read | Class::IdempotentWrite)
    }
}

/// The class of an operation; an operation missing from the table counts as
/// [`Class::Money`] (never retried), so an omission can only make proxykit more careful.
pub fn class_of(operation: &str) -> Class {
    crate::spec::operations()
        .find(|op| op.id == operation)
        .map_or(Class::Money, |op| op.class)
}

/// Default number of retries after the first attempt.
pub const DEFAULT_RETRIES: u32 = 2;
/// Most retries a caller may ask for.
pub const MAX_RETRIES: u32 = 10;
/// Default first backoff delay (ms); it doubles on each retry.
pub const DEFAULT_RETRY_DELAY_MS: u32 = 300;
/// Default cap on one wait (ms), for backoff and `Retry-After` alike.
pub const DEFAULT_MAX_RETRY_DELAY_MS: u32 = 30_000;

/// Retry settings of a client (and, for `retries`, of one call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retrying off).
    pub retries: u32,
    /// First backoff delay in ms; doubled per retry, with jitter.
    pub delay_ms: u32,
    /// The longest single wait in ms. A `Retry-After` longer than this is not waited for:
    /// the call fails with the 429/503 instead.
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: DEFAULT_RETRIES,
            delay_ms: DEFAULT_RETRY_DELAY_MS,
            max_delay_ms: DEFAULT_MAX_RETRY_DELAY_MS,
        }
    }
}

/// Validates a retry count (a whole number 0..=10).
pub fn validate_retries(n: f64, field: &str) -> Result<u32, Error> {
    if n.fract() != 0.0 || !(0.0..=MAX_RETRIES as f64).contains(&n) {
        return Err(Error::invalid(
            field,
            format!("must be a whole number from 0 to {MAX_RETRIES}"),
        ));
    }
    Ok(n as u32)
}

/// Validates a delay in ms (a whole number 0..=600000).
pub fn validate_delay(n: f64, field: &str) -> Result<u32, Error> {
    if n.fract() != 0.0 || !(0.0..=600_000.0).contains(&n) {
        return Err(Error::invalid(
            field,
            "must be a whole number of milliseconds from 0 to 600000",
        ));
    }
    Ok(n as u32)
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Give up and report this attempt's outcome.
    Stop,
    /// Wait this many ms, then try again.
    RetryAfter(u32),
}

/// Decides whether to retry after attempt number `attempt` (1-based) of an operation of
/// `class`, given what happened: the reply's status and `Retry-After` header, or a
/// transport error. `random` is in `[0, 1)` (jitter); `now_ms` is the Unix time in ms (for
/// `Retry-After` dates).
pub fn next(
    policy: &RetryPolicy,
    class: Class,
    attempt: u32,
    outcome: Outcome<'_>,
    random: f64,
    now_ms: f64,
) -> Next {
    if !class.retried() || attempt > policy.retries {
        return Next::Stop;
    }
    let retry_after = match outcome {
        Outcome::Status(429, ra) | Outcome::Status(500..=599, ra) => ra,
        Outcome::Network | Outcome::Timeout => None,
        Outcome::Status(..) | Outcome::Final => return Next::Stop,
    };
    let exp = attempt.saturating_sub(1).min(20);
    let backoff = (u64::from(policy.delay_ms) << exp).min(u64::from(policy.max_delay_ms));
    // Equal jitter: half the delay fixed, half random, so retries from many clients spread
    // out but never collapse to zero.
    let jittered = backoff / 2 + (backoff as f64 / 2.0 * random.clamp(0.0, 1.0)) as u64;
    match retry_after.and_then(|v| parse_retry_after(v, now_ms)) {
        Some(ms) if ms > u64::from(policy.max_delay_ms) => Next::Stop,
        Some(ms) => Next::RetryAfter(ms.max(jittered) as u32),
        None => Next::RetryAfter(jittered as u32),
    }
}

/// What an attempt produced, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// A reply with this status and `Retry-After` header value.
    Status(u16, Option<&'a str>),
    /// The request failed in the network (refused, reset, dropped).
    Network,
    /// The attempt timed out.
    Timeout,
    /// Anything else (aborted by the caller, bad input): never retried.
    Final,
}

/// `Retry-After` in ms: delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00
/// GMT`), relative to `now_ms`. Dates in the past give 0; anything else unreadable, `None`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return json::parse_digits(v).map(|s| s.saturating_mul(1000));
    }
    let at = parse_http_date(v)?;
    Some((at * 1000.0 - now_ms).max(0.0) as u64)
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110) as Unix seconds.
fn parse_http_date(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    // Digits only (RFC 9110: `2DIGIT`, `4DIGIT`), so no sign is read.
    let number = |s: &str| json::parse_digits(s).and_then(|n| i64::try_from(n).ok());
    let day = number(day)?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as i64
        + 1;
    let year = number(year)?;
    let t: Vec<i64> = time.split(':').map(number).collect::<Option<_>>()?;
    let [h, m, sec] = t.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *sec > 60 || year < 1970 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some((days * 86_400 + h * 3600 + m * 60 + sec) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy = RetryPolicy {
        retries: 2,
        delay_ms: 300,
        max_delay_ms: 30_000,
    };

    #[test]
    fn every_documented_operation_has_a_class() {
        // The classes come from spec/overlay.yaml through `cargo xtask gen`; this checks the
        // generated tables against the OpenAPI files themselves, operation by operation.
        for spec in [
            include_str!("../spec/proxy-solutions.openapi.yaml"),
            include_str!("../spec/proxyshard.openapi.yaml"),
        ] {
            for line in spec.lines() {
                if let Some(op) = line.trim().strip_prefix("operationId:") {
                    let op = op.trim();
                    assert!(
                        crate::spec::operations().any(|o| o.id == op),
                        "{op} has no class"
                    );
                }
            }
        }
        // `listOrders` is a name in both providers, with one class.
        assert_eq!(class_of("listOrders"), Class::Read);
        assert_eq!(class_of("noSuchOperation"), Class::Money);
    }

    #[test]
    fn classes_never_retry_money_or_writes() {
        for class in [Class::Write, Class::Money] {
            for o in [
                Outcome::Network,
                Outcome::Timeout,
                Outcome::Status(503, None),
                Outcome::Status(429, Some("1")),
            ] {
                assert_eq!(next(&P, class, 1, o, 0.5, 0.0), Next::Stop);
            }
        }
        assert_eq!(class_of("purchaseOrder"), Class::Money);
        assert_eq!(class_of("not-an-operation"), Class::Money);
    }

    #[test]
    fn reads_back_off_with_jitter_and_stop_after_the_budget() {
        let r = |attempt, random| next(&P, Class::Read, attempt, Outcome::Network, random, 0.0);
        assert_eq!(r(1, 0.0), Next::RetryAfter(150));
        assert_eq!(r(1, 0.999_999), Next::RetryAfter(299));
        assert_eq!(r(2, 0.0), Next::RetryAfter(300));
        assert_eq!(r(3, 0.0), Next::Stop);
        assert_eq!(
            next(&P, Class::Read, 1, Outcome::Status(404, None), 0.0, 0.0),
            Next::Stop
        );
        assert_eq!(
            next(&P, Class::Read, 1, Outcome::Status(200, None), 0.0, 0.0),
            Next::Stop
        );
        assert_eq!(
            next(&P, Class::Read, 1, Outcome::Final, 0.0, 0.0),
            Next::Stop
        );
        let long = RetryPolicy { retries: 10, ..P };
        assert_eq!(
            next(&long, Class::Read, 10, Outcome::Timeout, 1.0, 0.0),
            Next::RetryAfter(30_000)
        );
    }

    #[test]
    fn retry_after_seconds_and_dates_are_honoured_up_to_the_cap() {
        let ra = |v| {
            next(
                &P,
                Class::IdempotentWrite,
                1,
                Outcome::Status(429, Some(v)),
                0.0,
                784_111_777_000.0,
            )
        };
        assert_eq!(ra("2"), Next::RetryAfter(2000));
        assert_eq!(ra("0"), Next::RetryAfter(150));
        assert_eq!(
            ra("Sun, 06 Nov 1994 08:49:47 GMT"),
            Next::RetryAfter(10_000)
        );
        assert_eq!(ra("Sun, 06 Nov 1994 08:49:00 GMT"), Next::RetryAfter(150));
        assert_eq!(
            ra("31"),
            Next::Stop,
            "over the 30 s cap: fail with the 429 instead"
        );
        assert_eq!(ra("soon"), Next::RetryAfter(150));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_retry_after("Sun, 32 Nov 1994 08:49:37 GMT", 0.0),
            None
        );
        assert_eq!(parse_retry_after("99999999999999999999999", 0.0), None);
    }
}
