//! The documented shape of a reply as data ([`Ty`]), and the checks of a reply against it:
//! [`check_text`] in one pass over the JSON text (the call path), [`check`] over a parsed
//! `serde_json::Value`.
//!
//! A crate of its own for one reason: the release profile compiles proxykit at
//! `opt-level = "z"` for size, and the generic serde_json parser is compiled (monomorphised)
//! in the crate that uses it. Here it is compiled at `opt-level = 3` (see the workspace
//! `Cargo.toml`), which the per-call benchmark needs: at "z" checking a 17 KB page cost more
//! than fetching it. Nothing in it knows about the vendors.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use serde::Deserialize;
use serde_json::Value;

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

// ------------------------------------------------------------- checking while parsing

/// Checks a reply's JSON text against `ty` in one pass, without building a
/// `serde_json::Value`: for a 100-order page, building the value (a map per object) cost
/// more than everything else in the call. Same verdicts and paths as [`check`] (the schema
/// tests compare the two on every mutated fixture).
pub fn check_text(ty: &Ty, text: &str) -> Result<(), (String, String)> {
    use serde::de::DeserializeSeed;
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed {
        ty,
        path: &mut path,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    result.map_err(|e| {
        let p = if path.is_empty() {
            ".".to_owned()
        } else {
            let mut s = String::new();
            for seg in &path {
                match seg {
                    Seg::Field(name) if s.is_empty() => s.push_str(name),
                    Seg::Field(name) => {
                        s.push('.');
                        s.push_str(name);
                    }
                    Seg::Index(i) => s.push_str(&format!("[{i}]")),
                }
            }
            s
        };
        // serde_json appends " at line L column C" to custom errors; the path says where.
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        (p, msg)
    })
}

/// One step of a JSON path, kept without formatting (it is only formatted on error).
enum Seg {
    Field(&'static str),
    Index(usize),
}

struct Seed<'a> {
    ty: &'a Ty,
    /// Path so far; on error it still holds the failing place.
    path: &'a mut Vec<Seg>,
}

/// Whether `null` is acceptable where a field of this requiredness sits.
struct FieldSeed<'a> {
    field: &'a Field,
    path: &'a mut Vec<Seg>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let mut ty = self.ty;
        while let Ty::Ref(inner) = ty {
            ty = inner;
        }
        if let Ty::Any = ty {
            return serde::de::IgnoredAny::deserialize(d).map(|_| ());
        }
        d.deserialize_any(Visit {
            ty,
            path: self.path,
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = bool;
    /// Returns whether the value was present (not `null`).
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        struct Opt<'a>(Seed<'a>, bool);
        impl<'de> serde::de::Visitor<'de> for Opt<'_> {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
                if self.1 {
                    Err(E::custom("is missing (required)"))
                } else {
                    Ok(false)
                }
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
                use serde::de::DeserializeSeed;
                self.0.deserialize(d).map(|()| true)
            }
        }
        let required = self.field.required;
        d.deserialize_option(Opt(
            Seed {
                ty: &self.field.ty,
                path: self.path,
            },
            required,
        ))
    }
}

/// Matches an object key against the schema's field names without allocating it; yields
/// the field's index (`None` for fields the schema does not list).
struct KeySeed(&'static [Field]);

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = Option<usize>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| f.name == key))
    }
}

struct Visit<'a> {
    ty: &'a Ty,
    path: &'a mut Vec<Seg>,
}

impl Visit<'_> {
    fn want<E: serde::de::Error>(&self, found: &str) -> Result<(), E> {
        Err(E::custom(expected(self.ty, found)))
    }
}

impl<'de> serde::de::Visitor<'de> for Visit<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the documented shape")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        match self.ty {
            Ty::Bool => Ok(()),
            _ => self.want("a boolean"),
        }
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        match self.ty {
            Ty::Int | Ty::Num => Ok(()),
            Ty::Uint if v >= 0 => Ok(()),
            _ => self.want("an integer"),
        }
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        match self.ty {
            Ty::Int | Ty::Num | Ty::Uint => Ok(()),
            _ => self.want("an integer"),
        }
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        match self.ty {
            Ty::Num => Ok(()),
            _ => self.want("a fractional number"),
        }
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        match self.ty {
            Ty::Str => Ok(()),
            _ => self.want("a string"),
        }
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.want("null")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.want("null")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Ty::List(item) = self.ty else {
            return self.want("a list");
        };
        let mut i = 0usize;
        loop {
            self.path.push(Seg::Index(i));
            let next = seq.next_element_seed(Seed {
                ty: item,
                path: self.path,
            })?;
            self.path.pop();
            if next.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Ty::Obj(fields) = self.ty else {
            return self.want("an object");
        };
        // Seen fields as bits (no schema object has more than 64 fields).
        let mut present: u64 = 0;
        while let Some(found) = map.next_key_seed(KeySeed(fields))? {
            match found {
                Some(i) => {
                    self.path.push(Seg::Field(fields[i].name));
                    let here = map.next_value_seed(FieldSeed {
                        field: &fields[i],
                        path: self.path,
                    })?;
                    self.path.pop();
                    if here {
                        present |= 1 << i;
                    }
                }
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        for (i, f) in fields.iter().enumerate() {
            if f.required && present & (1 << i) == 0 {
                self.path.push(Seg::Field(f.name));
                return Err(serde::de::Error::custom("is missing (required)"));
            }
        }
        Ok(())
    }
}
