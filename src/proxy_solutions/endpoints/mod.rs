//! Proxy-Solutions v3 operations, one params value per operation (it is also the endpoint).
//!
//! Each params type lists the vendor's wire fields; `problems()` checks them against the
//! vendor's rules ([`super::rules`]) and `spec()` refuses to build a request while any
//! problem remains. Defaults the vendor applies (period 30, quantity 1, multiport true) are
//! not sent: leaving a field out means the vendor default.
//!
//! One file per page group of the vendor's gitbook (`api-en/documention/...`): orders
//! (`orders.rs`: order list, placing an order; `order_changes.rs`; `order_operations.rs`;
//! `payment.rs`: payment, merchants, price calculation), user (`user.rs`: balance top-up) and
//! the catalogue calls the pages reference (`services.rs`). The files are private and every
//! type is re-exported here, so the public paths (`proxy_solutions::endpoints::CreateOrderParams`)
//! do not depend on the file layout.

use serde_json::Value;

use super::rules::{
    allowed_periods, periods_text, quantity_cap, RuleContext, Subject, CURRENCIES, LANGS,
    QUANTITY_TEXT,
};
use crate::error::Error;
use crate::json::{with_allowed, Fields};
use crate::validate::Problems;

/// Operations whose rules depend on the service: they say which service or order they
/// concern and accept the [`RuleContext`] the client resolved for it.
pub trait Contextual {
    /// The call options that carry a rule context for this operation: [`RuleContext::KEYS`]
    /// where the rules depend on the service, none elsewhere.
    const CONTEXT_OPTIONS: &'static [&'static str] = &[];
    /// The service or order the operation concerns.
    fn subject(&self) -> Subject {
        Subject::None
    }
    /// Sets the context the rules use.
    fn set_context(&mut self, _context: RuleContext) {}
}

pub use crate::validate::Validate;

/// Proxy-Solutions' hints come from our reference (`shared/api/proxy-solutions.md`, the
/// OpenAPI file) or from how the vendor behaves (see [`Hints`]).
pub use crate::validate::Hints;

/// Whether `s` is an IPv4 or IPv6 address (the docs type `remove_proxies` and `ip_auth` as
/// `string · ip[]`, without a version), read as `std::net` reads them ([`crate::ip`]).
pub fn is_ip(s: &str) -> bool {
    crate::ip::is_ip(s)
}

/// Hint when a quantity is 0: the docs give the default (1) but no minimum (the catalogue
/// marks "minimum 1 assumed" as inferred), so the server decides.
fn hint_quantity(p: &mut Problems, quantity: Option<u64>) {
    if quantity == Some(0) {
        p.add(
            "quantity",
            "hint: 0 is probably refused by the server (the docs give no minimum; 1 is the default)",
        );
    }
}

fn hint_non_empty(p: &mut Problems, field: &str, v: &Option<String>) {
    if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
        p.add(field, "hint: empty; leave the field out instead");
    }
}

fn lang_currency(p: &mut Problems, lang: &Option<String>, currency: &Option<String>) {
    if let Some(l) = lang {
        if !LANGS.contains(&l.as_str()) {
            p.add(
                "lang",
                format!("must be one of {}", crate::json::comma_list(LANGS)),
            );
        }
    }
    if let Some(c) = currency {
        if !CURRENCIES.contains(&c.as_str()) {
            p.add(
                "currency",
                format!("must be one of {}", crate::json::comma_list(CURRENCIES)),
            );
        }
    }
}

fn query(lang: &Option<String>, currency: &Option<String>) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(l) = lang {
        q.push(("lang", l.clone()));
    }
    if let Some(c) = currency {
        q.push(("currency", c.clone()));
    }
    q
}

fn check_period(p: &mut Problems, period: Option<u64>, ctx: &RuleContext) {
    if let Some(period) = period {
        let allowed = allowed_periods(ctx.kind);
        if !allowed.contains(&period) {
            let whose = match ctx.kind {
                Some(k) => format!(" for {} proxies", k.as_str().replace('_', " ")),
                None => String::new(),
            };
            p.add(
                "period",
                format!(
                    "must be one of {} days{whose}",
                    crate::json::comma_numbers(allowed)
                ),
            );
        }
    }
}

fn check_quantity(p: &mut Problems, quantity: Option<u64>, ctx: &RuleContext) {
    // 0 is a hint only (see `hint_quantity`): the docs state no minimum.
    let Some(q) = quantity.filter(|q| *q > 0) else {
        return;
    };
    if let Some(packets) = &ctx.packets {
        if !packets.contains(&q) {
            p.add(
                "quantity",
                format!(
                    "must be one of this service's batch sizes: {}",
                    crate::json::comma_numbers(packets)
                ),
            );
        }
        return;
    }
    if let Some(cap) = ctx.kind.and_then(quantity_cap) {
        if q > cap {
            let kind = ctx.kind.map(|k| k.as_str()).unwrap_or_default();
            p.add(
                "quantity",
                format!("must be at most {cap} for {kind} proxies"),
            );
        }
    }
}

fn some<T: Into<Value>>(v: Option<T>) -> Option<Value> {
    v.map(Into::into)
}

fn lang_currency_fields(f: &mut Fields) -> Result<(Option<String>, Option<String>), Error> {
    Ok((f.opt_str("lang")?, f.opt_str("currency")?))
}

/// `quantity`: a type error names the caps ([`QUANTITY_TEXT`]).
fn quantity_field(f: &mut Fields) -> Result<Option<u64>, Error> {
    f.opt_uint_in("quantity", QUANTITY_TEXT)
}

/// `period`: a type error names the allowed periods (built from the period tables).
fn period_field(f: &mut Fields) -> Result<Option<u64>, Error> {
    f.opt_uint("period")
        .map_err(|e| with_allowed(e, &periods_text()))
}

/// `interval`: a type error names the allowed values (0 turns auto-reboot off).
fn interval_field(f: &mut Fields) -> Result<Option<u64>, Error> {
    f.opt_uint_in("interval", "0 (off) or 60 seconds or more")
}

mod order_changes;
mod order_operations;
mod orders;
mod payment;
mod services;
mod user;

pub use order_changes::*;
pub use params::*;
// The readers and `Endpoint` impls `cargo xtask gen` derives from the spec.
mod params;
mod wire;
