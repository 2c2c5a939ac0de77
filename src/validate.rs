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

impl crate::json::ToJson for Problem {
    fn to_json(&self) -> serde_json::Value {
        crate::json::object([
            ("field", self.field.as_str().to_json()),
            ("rule", self.rule.as_str().to_json()),
        ])
    }
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

    /// `value` must be one of `allowed` (a vendor's list of values).
    pub fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.add(
                field,
                format!("must be one of {}", crate::json::comma_list(allowed)),
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

/// What a form check (`validate…`, `hints`) says of params given as JSON: every field that
/// cannot be read as `E` (a missing field, a wrong type, an unknown key) and every rule
/// `check` finds broken in the fields that can, so a form shows them all at once instead of
/// one per submit. Errors from `check` itself (a bad rule context) are returned when every
/// field could be read.
///
/// How the unreadable fields are all found: each read error names a field; an unknown one is
/// dropped, any other gets a stand-in value of another JSON type until the params read past
/// it, and reading starts again (bounded). The rules then run on the params with stand-ins,
/// and what they say of a stood-in field is left out (it would be about the stand-in).
pub fn check_params<E: FromJson>(
    params: &serde_json::Value,
    check: impl FnOnce(E) -> Result<Problems, Error>,
) -> Result<Problems, Error> {
    let first = match E::from_json(params) {
        Ok(e) => return check(e),
        Err(Error::InvalidInput { field, rule }) => Problem { field, rule },
        Err(e) => return Err(e),
    };
    // Only reading is generic: the search below is compiled once, not once per params type.
    let settled = settle(first, params, &|v| E::from_json(v).map(drop))?;
    let mut problems = settled.problems;
    if let Some(current) = settled.readable {
        // The read problems win over an error of `check` itself (a bad rule context): the
        // form has fields to fix first.
        if let Ok(mut found) = E::from_json(&current).and_then(check) {
            found
                .0
                .retain(|p| !settled.stood_in.iter().any(|s| s == top_field(&p.field)));
            problems.extend(found.0);
        }
    }
    Ok(Problems(problems))
}

/// What [`settle`] found: every read problem, and the params with stand-ins when they read.
struct Settled {
    problems: Vec<Problem>,
    /// The params with each unreadable field stood in (unknown ones removed), when they now
    /// read; `None` when the search gave up.
    readable: Option<serde_json::Value>,
    /// The fields given stand-ins, whose rule problems are left out.
    stood_in: Vec<String>,
}

/// [`check_params`]'s search for every unreadable field, from the first read problem.
fn settle(
    first: Problem,
    params: &serde_json::Value,
    read: &dyn Fn(&serde_json::Value) -> Result<(), Error>,
) -> Result<Settled, Error> {
    let mut problems = vec![first];
    let mut current = params.clone();
    let mut stood_in: Vec<String> = Vec::new();
    // Each round settles one field; no params type has more than a few dozen.
    for _ in 0..64 {
        let Some(last) = problems.last() else { break };
        let top = top_field(&last.field).to_owned();
        let unknown = last.rule.starts_with("is not a parameter");
        let Some(obj) = current.as_object_mut() else {
            break;
        };
        if unknown {
            obj.remove(&top);
        } else {
            let mut settled = false;
            for stand_in in STAND_INS {
                if let Some(o) = current.as_object_mut() {
                    o.insert(top.clone(), stand_in());
                }
                match read(&current) {
                    Err(Error::InvalidInput { ref field, .. }) if top_field(field) == top => {}
                    _ => {
                        settled = true;
                        break;
                    }
                }
            }
            if !settled {
                break;
            }
            stood_in.push(top);
        }
        match read(&current) {
            Ok(()) => {
                return Ok(Settled {
                    problems,
                    readable: Some(current),
                    stood_in,
                })
            }
            Err(Error::InvalidInput { field, rule }) => problems.push(Problem { field, rule }),
            Err(e) => return Err(e),
        }
    }
    Ok(Settled {
        problems,
        readable: None,
        stood_in,
    })
}

/// Values of each JSON type, tried in turn for a field that cannot be read.
const STAND_INS: [fn() -> serde_json::Value; 7] = [
    || serde_json::Value::from(1),
    || serde_json::Value::from("x"),
    || serde_json::Value::from(true),
    || serde_json::Value::Array(Vec::new()),
    || serde_json::Value::Object(serde_json::Map::new()),
    || serde_json::Value::from(1.5),
    || serde_json::Value::from("192.0.2.1"),
];

/// `items[2].ip` → `items`: the params key a problem's field is under.
fn top_field(field: &str) -> &str {
    field.split(['.', '[']).next().unwrap_or(field)
}

/// Every broken rule of params given as JSON, for a `validate…` form check (see
/// [`check_params`]). Nothing is sent.
pub fn problems_of<E: Validate + FromJson>(params: &serde_json::Value) -> Result<Problems, Error> {
    check_params::<E>(params, |e| Ok(e.problems()))
}

/// Whether `s` is a dotted-quad IPv4 address (`192.0.2.1`; no leading zeros, no IPv6).
pub fn is_ipv4(s: &str) -> bool {
    crate::ip::ipv4(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Fields;
    use serde_json::json;

    struct Form {
        id: u64,
        name: Option<String>,
        flag: Option<bool>,
    }

    impl FromJson for Form {
        fn from_json(v: &serde_json::Value) -> Result<Self, Error> {
            let mut f = Fields::new(v)?;
            let form = Form {
                id: f.take_uint("id"),
                name: f.take_opt_str("name"),
                flag: f.take_opt_bool("flag"),
            };
            f.finish()?;
            Ok(form)
        }
    }

    fn form_problems(params: serde_json::Value) -> Vec<(String, String)> {
        check_params::<Form>(&params, |f| {
            let mut p = Problems::default();
            if f.name.as_deref() == Some("bad") {
                p.add("name", "must not be bad");
            }
            if f.id == 1 {
                p.add("id", "must not be 1");
            }
            let _ = f.flag;
            Ok(p)
        })
        .unwrap()
        .0
        .into_iter()
        .map(|p| (p.field, p.rule))
        .collect()
    }

    #[test]
    fn form_checks_report_every_unreadable_field_and_the_rules_of_the_rest() {
        // What a form posting `<input>.value` strings sends: every problem at once.
        let found = form_problems(json!({"id": "7", "flag": "yes", "colour": 1, "name": "bad"}));
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["id", "flag", "colour", "name"], "{found:?}");
        assert!(found[0].1.contains("not a string"), "{found:?}");
        assert!(found[2].1.starts_with("is not a parameter"));
        // The stand-in put in for `id` (1) does not produce a rule problem about `id`.
        assert!(!found.iter().any(|(_, r)| r == "must not be 1"));
        // A missing required field and a camelCase spelling: both said.
        let found = form_problems(json!({"Id": 7}));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "id");
        // Readable params: only the rules.
        assert_eq!(
            form_problems(json!({"id": 1})),
            [("id".to_owned(), "must not be 1".to_owned())]
        );
        assert!(form_problems(json!({"id": 2})).is_empty());
        // Not an object: one problem, no loop.
        assert_eq!(form_problems(json!([1, 2])).len(), 1);
    }

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
    fn form_checks_report_unreadable_params_as_problems() {
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
        // The typo: `quantity` is missing and `quantiy` unknown, both said.
        assert_eq!(
            fields(problems_of::<Qty>(&json!({"quantiy": 1}))),
            ["quantity", "quantiy"]
        );
        assert_eq!(fields(problems_of::<Qty>(&json!([1]))), ["params"]);
        // `check`'s own errors are returned.
        let r = check_params::<Qty>(&json!({"quantity": 1}), |_| {
            Err(Error::invalid("context.serviceKind", "must be one of …"))
        });
        assert_eq!(r.unwrap_err().field(), Some("context.serviceKind"));
        // On unreadable params `check` runs on stand-ins; what it says of them is dropped.
        let r = check_params::<Qty>(&json!({}), |_| {
            let mut p = Problems::default();
            p.add("quantity", "about the stand-in");
            Ok(p)
        });
        let problems = r.unwrap().0;
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].rule, "is required");
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
