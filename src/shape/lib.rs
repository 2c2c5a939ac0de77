//! The documented shape of a reply as data ([`Ty`]), and the checks of a reply against it:
//! [`check_text`] in one pass over the JSON text (the call path), [`check`] over a parsed
//! `serde_json::Value`; and [`text::Reader`], the JSON reader of the wasm modules.
//!
//! A crate of its own for one reason: the release profile compiles proxykit at
//! `opt-level = "z"` for size, and the JSON readers here are on every call's path. Here they
//! are compiled at `opt-level = 3` (see the workspace `Cargo.toml`), which the per-call
//! benchmark needs: at "z" checking a 17 KB page cost more than fetching it. Nothing in it
//! knows about the vendors.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// A str slice at a non-boundary panics, and its message builder is ~4 KB of wasm (see
// proxykit::json::cut): none in library code.
#![cfg_attr(not(test), deny(clippy::string_slice))]

use serde_json::Value;

pub mod text;
pub use text::check_text;

// ------------------------------------------------------------------------------ replies

/// The documented shape of a reply, as data.
#[derive(Debug)]
pub enum Ty {
    /// Any JSON value (undocumented shapes).
    Any,
    /// A string.
    Str,
    /// An integer (any sign).
    Int,
    /// An integer ≥ 0.
    Uint,
    /// Any number.
    Num,
    /// `true` / `false`.
    Bool,
    /// A list of one item type.
    List(&'static Ty),
    /// Another (named, static) shape.
    Ref(&'static Ty),
    /// An object with these fields; other fields are allowed (and kept).
    Obj(&'static [Field]),
}

/// One field of a [`Ty::Obj`].
#[derive(Debug)]
pub struct Field {
    /// Wire name.
    pub name: &'static str,
    /// Whether it must be present and not `null`.
    pub required: bool,
    /// Its type (`null` is accepted for optional fields).
    pub ty: Ty,
}

/// A required field.
pub const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        required: true,
        ty,
    }
}

/// An optional field (absent or `null` accepted).
pub const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        required: false,
        ty,
    }
}

/// Checks `value` against `ty`; the error is `(JSON path, what is wrong)`, the path in the
/// form `orders[0].service.id` (`.` for the root).
pub fn check(ty: &Ty, value: &Value) -> Result<(), (String, String)> {
    let mut path = String::new();
    check_at(ty, value, &mut path).map_err(|msg| {
        let p = if path.is_empty() {
            ".".to_owned()
        } else {
            path
        };
        (p, msg)
    })
}

fn check_at(ty: &Ty, v: &Value, path: &mut String) -> Result<(), String> {
    let want = |ty: &Ty| Err(expected(ty, kind(v)));
    match ty {
        Ty::Any => Ok(()),
        Ty::Str if v.is_string() => Ok(()),
        Ty::Int if v.is_i64() || v.is_u64() => Ok(()),
        Ty::Uint if v.is_u64() => Ok(()),
        Ty::Num if v.is_number() => Ok(()),
        Ty::Bool if v.is_boolean() => Ok(()),
        Ty::Str | Ty::Int | Ty::Uint | Ty::Num | Ty::Bool => want(ty),
        Ty::Ref(inner) => check_at(inner, v, path),
        Ty::List(item) => {
            let Some(list) = v.as_array() else {
                return want(ty);
            };
            let len = path.len();
            for (i, x) in list.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                check_at(item, x, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Ty::Obj(fields) => {
            let Some(obj) = v.as_object() else {
                return want(ty);
            };
            let len = path.len();
            for f in fields.iter() {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(f.name);
                match obj.get(f.name) {
                    None | Some(Value::Null) if f.required => {
                        return Err("is missing (required)".into());
                    }
                    None | Some(Value::Null) => {}
                    Some(x) => check_at(&f.ty, x, path)?,
                }
                path.truncate(len);
            }
            Ok(())
        }
    }
}

/// `expected <what the type wants>, found <found>`: the one wording of both checkers.
fn expected(ty: &Ty, found: &str) -> String {
    let what = match ty {
        Ty::Str => "a string",
        Ty::Int => "an integer",
        Ty::Uint => "an integer, 0 or more",
        Ty::Num => "a number",
        Ty::Bool => "true or false",
        Ty::List(_) => "a list",
        Ty::Obj(_) => "an object",
        Ty::Any | Ty::Ref(_) => "a value",
    };
    format!("expected {what}, found {found}")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
