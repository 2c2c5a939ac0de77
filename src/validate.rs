//! Shared validation vocabulary: a [`Problem`] names a field and the rule it broke; rules
//! collect every problem (for forms) and calls reject on the first (before sending).

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::error::Error;
use crate::json::FromJson;

/// Largest integer JavaScript represents exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// One broken rule: which field, and what the rule is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Problem {
    /// Path of the field, e.g. `quantity` or `remove_proxies[1]`.
    pub field: String,
    /// The rule, in plain words.
    pub rule: String,
}

/// Every rule of an operation, all problems at once (nothing is sent). Implemented by each
/// params type of both vendors.
pub trait Validate {
    /// The broken rules; empty when the params are valid.
    fn problems(&self) -> Problems;
}

/// Advice that never refuses a call, for forms: rules that come from our reference or from
/// how a vendor behaves rather than from the vendor's own text (the vendor docs type such a
/// field as a plain integer or list, but 0 or an empty list is almost certainly a mistake).
/// `ProxySolutionsRules.hints` / `ProxyShardRules.hints` return them, each rule starting with
/// `hint:`; calls are sent regardless. Implemented by the params types of both vendors.
pub trait Hints {
    /// The hints; empty when there is nothing to say.
    fn hints(&self) -> Problems {
        Problems::default()
    }
}

/// Collects problems.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem.
    pub fn add(&mut self, field: impl Into<String>, rule: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            rule: rule.into(),
        });
    }

    /// A positive id that JavaScript can represent exactly.
    pub fn id(&mut self, field: &str, v: u64) {
        if v == 0 || v > MAX_SAFE_INTEGER {
            self.add(field, "must be a positive whole number (at most 2^53 − 1)");
        }
    }

    /// Like [`Problems::id`] for an optional field.
    pub fn opt_id(&mut self, field: &str, v: Option<u64>) {
        if let Some(v) = v {
            self.id(field, v);
        }
    }

    /// A string that must not be empty (after trimming).
    pub fn non_empty(&mut self, field: &str, v: &str) {
        if v.trim().is_empty() {
            self.add(field, "must not be empty");
        }
    }

    /// A string that becomes one URL path segment: not empty, and not `.` or `..` in any
    /// spelling (see [`crate::http::is_dot_segment`]), which would change the endpoint.
    pub fn path_segment(&mut self, field: &str, v: &str) {
        if v.trim().is_empty() {
            self.add(field, "must not be empty");
        } else if crate::http::is_dot_segment(v) {
            self.add(
                field,
                "must not be `.` or `..` (also percent-encoded): in a URL path it would reach \
                 a different endpoint",
            );
        }
    }

    /// The first problem as an `invalid_input` error, if any.
    pub fn into_result(self) -> Result<(), Error> {
        match self.0.into_iter().next() {
            Some(p) => Err(Error::invalid(p.field, p.rule)),
            None => Ok(()),
        }
    }
}

/// What a form check (`validate…`, `hints`) says of params given as JSON: what `check` finds
/// in them read as `E`, or, when they cannot be read as `E` (a missing field, a wrong
/// type, an unknown key), that one problem, so a form shows it like any other instead of
/// catching an error. Errors from `check` itself (a bad rule context) are returned.
pub fn check_params<E: FromJson>(
    params: &serde_json::Value,
    check: impl FnOnce(E) -> Result<Problems, Error>,
) -> Result<Problems, Error> {
    match E::from_json(params) {
        Ok(e) => check(e),
        Err(Error::InvalidInput { field, rule }) => Ok(Problems(vec![Problem { field, rule }])),
        Err(e) => Err(e),
    }
}

/// Every broken rule of params given as JSON, for a `validate…` form check (see
/// [`check_params`]). Nothing is sent.
pub fn problems_of<E: Validate + FromJson>(params: &serde_json::Value) -> Result<Problems, Error> {
    check_params::<E>(params, |e| Ok(e.problems()))
}

/// Whether `s` is a dotted-quad IPv4 address (`192.0.2.1`; no leading zeros, no IPv6).
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4() {
        assert!(is_ipv4("192.0.2.1"));
        for bad in [
            "",
            "1.2.3",
            "256.1.1.1",
            "::1",
            "01.2.3.4",
            " 1.2.3.4",
            "1.2.3.4/24",
        ] {
            assert!(!is_ipv4(bad), "{bad}");
        }
    }

    struct Qty(u64);
    impl FromJson for Qty {
        fn from_json(v: &serde_json::Value) -> Result<Self, Error> {
            let mut f = crate::json::Fields::new(v)?;
            let q = f.uint("quantity")?;
            f.finish()?;
            Ok(Qty(q))
        }
    }
    impl Validate for Qty {
        fn problems(&self) -> Problems {
            let mut p = Problems::default();
            if self.0 == 0 {
                p.add("quantity", "must be at least 1");
            }
            p
        }
    }

    #[test]
    fn form_checks_report_unreadable_params_as_one_problem() {
        use serde_json::json;
        let fields = |r: Result<Problems, Error>| -> Vec<String> {
            r.unwrap().0.into_iter().map(|p| p.field).collect()
        };
        assert!(fields(problems_of::<Qty>(&json!({"quantity": 2}))).is_empty());
        assert_eq!(
            fields(problems_of::<Qty>(&json!({"quantity": 0}))),
            ["quantity"]
        );
        assert_eq!(fields(problems_of::<Qty>(&json!({}))), ["quantity"]);
        assert_eq!(
            fields(problems_of::<Qty>(&json!({"quantiy": 1}))),
            ["quantity"]
        );
        assert_eq!(fields(problems_of::<Qty>(&json!([1]))), ["params"]);
        // `check` is not run on unreadable params, and its own errors are returned.
        let r = check_params::<Qty>(&json!({"quantity": 1}), |_| {
            Err(Error::invalid("context.serviceKind", "must be one of …"))
        });
        assert_eq!(r.unwrap_err().field(), Some("context.serviceKind"));
        let r = check_params::<Qty>(&json!({}), |_| unreachable!());
        assert_eq!(fields(r), ["quantity"]);
    }

    #[test]
    fn ids() {
        let mut p = Problems::default();
        p.id("a", 1);
        p.id("b", MAX_SAFE_INTEGER);
        assert!(p.0.is_empty());
        p.id("c", 0);
        p.id("d", MAX_SAFE_INTEGER + 1);
        assert_eq!(p.0.len(), 2);
        assert_eq!(p.into_result().unwrap_err().field(), Some("c"));
    }
}
