//! Operations as data: a [`Wire`] says how an operation's params are read, which rule each
//! field obeys, and where each field is sent (path, query, body). `cargo xtask gen` writes
//! one per operation whose overlay entry says `checks: data` (the generated `wire.rs` of
//! each vendor); the typed params of those operations read, check and build through it
//! ([`read`], [`problems`], [`spec`]), and the wasm clients run it directly ([`build`]), so
//! the module carries one interpreter and a table instead of a reader, a rule function and
//! a request builder per operation (bench/notes.md, "the eighth stop", has the bytes).
//!
//! The rules a field may name are the hand-written ones of [`crate::validate::Problems`]
//! and the vendor's lists (`Rule::OneOf`), each cited where the list is defined.

use serde_json::Value;

use crate::config::ClientConfig;
use crate::endpoint::{build_request, Auth, RequestSpec};
use crate::error::Error;
use crate::http::{HttpRequest, Method};
use crate::json::{Fields, Ty};
use crate::validate::Problems;

/// What JSON type a field is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number ≥ 0 ([`Fields::uint`]).
    Uint,
    /// A string ([`Fields::str`]).
    Str,
    /// `true` or `false` ([`Fields::bool`]).
    Bool,
}

/// The rule a field obeys (checked after every field was read; the first broken one refuses
/// the call, [`problems`] lists them all in field order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// None beyond its type.
    Any,
    /// A positive id ([`Problems::id`]).
    Id,
    /// A string that is not empty ([`Problems::non_empty`]).
    NonEmpty,
    /// A string that becomes one URL path segment ([`Problems::path_segment`]).
    Segment,
    /// A whole number of at least 1.
    AtLeastOne,
    /// One of the vendor's values.
    OneOf(&'static [&'static str]),
}

/// Where a field is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// In the URL path, in place of the next `{}` of [`Wire::path`].
    Path,
    /// In the query string.
    Query,
    /// In the JSON body.
    Body,
}

/// One params field.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The wire name (snake_case, as the vendor spells it).
    pub name: &'static str,
    /// Its JSON type.
    pub kind: Kind,
    /// Whether it must be given.
    pub required: bool,
    /// Its rule (a number's type error also names the values [`Rule::AtLeastOne`] allows).
    pub rule: Rule,
    /// Where it is sent.
    pub at: At,
}

/// One operation as data.
#[derive(Debug)]
pub struct Wire {
    /// The `operationId`.
    pub op: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// Whether the key is sent.
    pub auth: Auth,
    /// The path after the base URL, `/`-separated, `{}` for each path field in field order
    /// (`user/api/orders/{}/renew`).
    pub path: &'static str,
    /// The params fields, in reading order.
    pub fields: &'static [Field],
    /// The reply's documented shape.
    pub reply: &'static Ty,
    /// Whether a 2xx body that is not JSON is accepted (see `Endpoint::ANY_BODY`).
    pub any_body: bool,
}

/// A field's value once read: `None` for an optional field that was not given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// Not given.
    None,
    /// A whole number.
    Uint(u64),
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
}

impl Val {
    /// The value as sent in a path or a query.
    fn text(&self) -> Option<String> {
        match self {
            Val::None => None,
            Val::Uint(n) => Some(n.to_string()),
            Val::Str(s) => Some(s.clone()),
            Val::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        }
    }

    /// The value as sent in a JSON body.
    fn json(&self) -> Option<Value> {
        match self {
            Val::None => None,
            Val::Uint(n) => Some((*n).into()),
            Val::Str(s) => Some(s.as_str().into()),
            Val::Bool(b) => Some((*b).into()),
        }
    }
}

impl From<u64> for Val {
    fn from(n: u64) -> Self {
        Val::Uint(n)
    }
}

impl From<&String> for Val {
    fn from(s: &String) -> Self {
        Val::Str(s.clone())
    }
}

impl From<bool> for Val {
    fn from(b: bool) -> Self {
        Val::Bool(b)
    }
}

impl<T> From<&Option<T>> for Val
where
    T: Clone + Into<Val>,
{
    fn from(v: &Option<T>) -> Self {
        v.clone().map_or(Val::None, Into::into)
    }
}

impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Str(s)
    }
}

/// Reads the params object (`null`: no fields): each field by its kind, in order, then
/// every key that is not a field is refused, as the typed readers do (the first bad field's
/// error; unknown keys with the known ones or the name that was meant).
pub fn read(w: &Wire, v: &Value) -> Result<Vec<Val>, Error> {
    let mut f = Fields::new(v)?;
    let vals = w.fields.iter().map(|d| read_field(&mut f, d)).collect();
    f.finish()?;
    Ok(vals)
}

fn read_field(f: &mut Fields, d: &Field) -> Val {
    let n = d.name;
    // The spec's bounds, in words, for a number's type error (`take_uint_in`).
    let allowed = (d.rule == Rule::AtLeastOne).then_some("1 or more");
    match (d.kind, d.required, allowed) {
        (Kind::Uint, true, Some(a)) => Val::Uint(f.take_uint_in(n, a)),
        (Kind::Uint, true, None) => Val::Uint(f.take_uint(n)),
        (Kind::Uint, false, Some(a)) => f.take_opt_uint_in(n, a).map_or(Val::None, Val::Uint),
        (Kind::Uint, false, None) => f.take_opt_uint(n).map_or(Val::None, Val::Uint),
        (Kind::Str, true, _) => Val::Str(f.take_str(n)),
        (Kind::Str, false, _) => f.take_opt_str(n).map_or(Val::None, Val::Str),
        (Kind::Bool, true, _) => Val::Bool(f.take_bool(n)),
        (Kind::Bool, false, _) => f.take_opt_bool(n).map_or(Val::None, Val::Bool),
    }
}

/// Every broken rule, in field order (a field that was not given breaks none).
pub fn problems(w: &Wire, vals: &[Val]) -> Problems {
    let mut p = Problems::default();
    for (d, v) in w.fields.iter().zip(vals) {
        match (d.rule, v) {
            (Rule::Id, Val::Uint(n)) => p.id(d.name, *n),
            (Rule::AtLeastOne, Val::Uint(0)) => p.add(d.name, "must be at least 1"),
            (Rule::NonEmpty, Val::Str(s)) => p.non_empty(d.name, s),
            (Rule::Segment, Val::Str(s)) => p.path_segment(d.name, s),
            (Rule::OneOf(allowed), Val::Str(s)) => p.one_of(d.name, s, allowed),
            _ => {}
        }
    }
    p
}

/// Checks the rules ([`problems`]; the first broken one is the error) and describes the
/// request: the path with its fields, the query fields that were given (in field order),
/// and for POST / PATCH a JSON object of the body fields that were given (`{}` when none:
/// the servers refuse such a request without a body).
pub fn spec(w: &Wire, vals: &[Val]) -> Result<RequestSpec, Error> {
    problems(w, vals).into_result()?;
    let mut path_vals = w
        .fields
        .iter()
        .zip(vals)
        .filter(|(d, _)| d.at == At::Path)
        .map(|(_, v)| v.text().unwrap_or_default());
    let segments = w
        .path
        .split('/')
        .map(|s| {
            if s == "{}" {
                path_vals.next().unwrap_or_default()
            } else {
                s.to_owned()
            }
        })
        .collect();
    let placed = |at: At| w.fields.iter().zip(vals).filter(move |(d, _)| d.at == at);
    let query = placed(At::Query)
        .filter_map(|(d, v)| Some((d.name, v.text()?)))
        .collect();
    let body = matches!(w.method, Method::Post | Method::Patch).then(|| {
        let mut m = serde_json::Map::new();
        for (d, v) in placed(At::Body) {
            if let Some(v) = v.json() {
                m.insert(d.name.to_owned(), v);
            }
        }
        Value::Object(m)
    });
    Ok(RequestSpec {
        method: w.method,
        segments,
        query,
        body,
    })
}

/// The whole request of operation `w` from its params: read, checked, built (what the wasm
/// clients run for each such operation).
pub fn build(w: &Wire, params: &Value, config: &ClientConfig) -> Result<HttpRequest, Error> {
    let vals = read(w, params)?;
    build_request(spec(w, &vals)?, w.auth, w.op, config)
}

/// The next value of a [`read`] result as a number (the typed readers' field by field).
pub fn take_uint(vals: &mut std::vec::IntoIter<Val>) -> u64 {
    match vals.next() {
        Some(Val::Uint(n)) => n,
        _ => 0,
    }
}

/// [`take_uint`] for an optional field.
pub fn take_opt_uint(vals: &mut std::vec::IntoIter<Val>) -> Option<u64> {
    match vals.next() {
        Some(Val::Uint(n)) => Some(n),
        _ => None,
    }
}

/// [`take_uint`] for a string.
pub fn take_str(vals: &mut std::vec::IntoIter<Val>) -> String {
    match vals.next() {
        Some(Val::Str(s)) => s,
        _ => String::new(),
    }
}

/// [`take_uint`] for an optional string.
pub fn take_opt_str(vals: &mut std::vec::IntoIter<Val>) -> Option<String> {
    match vals.next() {
        Some(Val::Str(s)) => Some(s),
        _ => None,
    }
}

/// [`take_uint`] for a boolean.
pub fn take_bool(vals: &mut std::vec::IntoIter<Val>) -> bool {
    matches!(vals.next(), Some(Val::Bool(true)))
}

/// [`take_uint`] for an optional boolean.
pub fn take_opt_bool(vals: &mut std::vec::IntoIter<Val>) -> Option<bool> {
    match vals.next() {
        Some(Val::Bool(b)) => Some(b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static LIST: &[&str] = &["a", "b"];
    static POST: Wire = Wire {
        op: "testPost",
        method: Method::Post,
        auth: Auth::Required,
        path: "x/{}/y/{}",
        fields: &[
            Field {
                name: "order_id",
                kind: Kind::Uint,
                required: true,
                rule: Rule::Id,
                at: At::Path,
            },
            Field {
                name: "user_id",
                kind: Kind::Str,
                required: true,
                rule: Rule::Segment,
                at: At::Path,
            },
            Field {
                name: "qty",
                kind: Kind::Uint,
                required: false,
                rule: Rule::AtLeastOne,
                at: At::Query,
            },
            Field {
                name: "kind",
                kind: Kind::Str,
                required: false,
                rule: Rule::OneOf(LIST),
                at: At::Query,
            },
            Field {
                name: "on",
                kind: Kind::Bool,
                required: false,
                rule: Rule::Any,
                at: At::Body,
            },
            Field {
                name: "name",
                kind: Kind::Str,
                required: true,
                rule: Rule::NonEmpty,
                at: At::Body,
            },
        ],
        reply: &Ty::Any,
        any_body: false,
    };
    static EMPTY: Wire = Wire {
        op: "testEmpty",
        method: Method::Post,
        auth: Auth::Never,
        path: "z",
        fields: &[],
        reply: &Ty::Any,
        any_body: false,
    };

    fn spec_of(w: &Wire, v: serde_json::Value) -> Result<RequestSpec, Error> {
        spec(w, &read(w, &v)?)
    }

    #[test]
    fn builds_the_path_query_and_body_from_the_fields_given() {
        let s = spec_of(
            &POST,
            json!({"order_id": 7, "user_id": "u 1", "qty": 2, "name": "n"}),
        )
        .unwrap();
        assert_eq!(s.segments, ["x", "7", "y", "u 1"]);
        assert_eq!(s.query, [("qty", "2".to_owned())]);
        assert_eq!(s.body, Some(json!({"name": "n"})));
        let s = spec_of(
            &POST,
            json!({"order_id": 7, "user_id": "u", "kind": "b", "on": false, "name": "n"}),
        )
        .unwrap();
        assert_eq!(s.query, [("kind", "b".to_owned())]);
        assert_eq!(s.body, Some(json!({"name": "n", "on": false})));
        // A POST without body fields still sends an object; `null` params are no fields.
        assert_eq!(spec_of(&EMPTY, json!(null)).unwrap().body, Some(json!({})));
    }

    #[test]
    fn refuses_as_the_typed_readers_do() {
        let err = |v| spec_of(&POST, v).unwrap_err().to_string();
        // Reading: the first bad field in order, then unknown keys.
        assert_eq!(err(json!({})), "invalid input: `order_id` is required");
        assert_eq!(
            err(json!({"orderId": 7})),
            "invalid input: `order_id` is required (`orderId` was given: fields use the vendor's snake_case names)"
        );
        assert_eq!(
            err(json!({"order_id": 7, "user_id": "u", "name": "n", "qty": "2"})),
            "invalid input: `qty` must be a number, not a string: convert it first (Number(input.value)); allowed: 1 or more"
        );
        assert_eq!(
            err(json!({"order_id": 7, "user_id": "u", "name": "n", "nmae": 1})),
            "invalid input: `nmae` is not a parameter of this call (known: order_id, user_id, qty, kind, on, name)"
        );
        assert_eq!(
            spec_of(&EMPTY, json!({"a": 1})).unwrap_err().to_string(),
            "invalid input: `a` is not a parameter of this call (it takes none)"
        );
        // Rules: every broken one listed in field order, the first refuses.
        let bad = json!({"order_id": 0, "user_id": "..", "qty": 0, "kind": "c", "name": " "});
        let fields: Vec<_> = problems(&POST, &read(&POST, &bad).unwrap())
            .0
            .into_iter()
            .map(|p| format!("{} {}", p.field, p.rule))
            .collect();
        assert_eq!(
            fields,
            [
                "order_id must be a positive whole number (at most 2^53 − 1)",
                "user_id must not be `.` or `..` (also percent-encoded): in a URL path it would reach a different endpoint",
                "qty must be at least 1",
                "kind must be one of a, b",
                "name must not be empty",
            ]
        );
        assert_eq!(
            err(bad),
            "invalid input: `order_id` must be a positive whole number (at most 2^53 − 1)"
        );
    }

    #[test]
    fn the_typed_readers_take_the_values_in_order() {
        let mut v = read(
            &POST,
            &json!({"order_id": 7, "user_id": "u", "on": true, "name": "n"}),
        )
        .unwrap()
        .into_iter();
        assert_eq!(take_uint(&mut v), 7);
        assert_eq!(take_str(&mut v), "u");
        assert_eq!(take_opt_uint(&mut v), None);
        assert_eq!(take_opt_str(&mut v), None);
        assert_eq!(take_opt_bool(&mut v), Some(true));
        assert_eq!(take_str(&mut v), "n");
        // Past the end (never reached by generated readers): defaults, no panic.
        assert_eq!((take_uint(&mut v), take_bool(&mut v)), (0, false));
    }
}
