//! Small, non-generic JSON readers: params in, replies checked.
//!
//! Why not serde-derived decoding everywhere: in the wasm build every derived decoder (and
//! its `serde_path_to_error` wrapper) is compiled per type, about 6 kB of gzip per operation
//! measured with twiggy, which would have put 44 operations far over the size budget. Here a
//! params type is read by a few calls to the non-generic [`Fields`] readers, and a reply is
//! checked against static [`Ty`] data by one interpreter, so an operation costs little more
//! than its own rules. The serde models remain the typed view for Rust callers and the
//! source of the TypeScript declarations; a native test keeps each schema in agreement with
//! its model by mutating the documented replies.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::validate::MAX_SAFE_INTEGER;

// ------------------------------------------------------------------------------- params

/// Reads a params object field by field. Each read names the field in its error; fields
/// that were never read are rejected by [`Fields::finish`] (a typo such as `quantiy` must
/// not be dropped silently). `null` counts as "not given".
#[derive(Debug)]
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    read: Vec<&'static str>,
}

/// Types that can be read from a params object.
pub trait FromJson: Sized {
    /// Reads `value` (the caller's params object).
    fn from_json(value: &Value) -> Result<Self, Error>;
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Fields<'a> {
    /// Starts reading; `null` is treated as an empty object.
    pub fn new(value: &'a Value) -> Result<Self, Error> {
        let obj = match value {
            Value::Object(o) => o,
            Value::Null => EMPTY.get_or_init(Map::new),
            _ => return Err(Error::invalid("params", "must be an object")),
        };
        Ok(Fields {
            obj,
            read: Vec::new(),
        })
    }

    fn get(&mut self, name: &'static str) -> Option<&'a Value> {
        self.read.push(name);
        self.obj.get(name).filter(|v| !v.is_null())
    }

    fn required(name: &str) -> Error {
        Error::invalid(name, "is required")
    }

    /// An optional whole number ≥ 0 (ids, quantities, periods: ranges are checked by rules).
    pub fn opt_uint(&mut self, name: &'static str) -> Result<Option<u64>, Error> {
        self.get(name).map(|v| as_uint(v, name)).transpose()
    }

    /// A required whole number ≥ 0.
    pub fn uint(&mut self, name: &'static str) -> Result<u64, Error> {
        self.opt_uint(name)?.ok_or_else(|| Self::required(name))
    }

    /// An optional finite number.
    pub fn opt_num(&mut self, name: &'static str) -> Result<Option<f64>, Error> {
        self.get(name)
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| Error::invalid(name, "must be a number"))
            })
            .transpose()
    }

    /// An optional string.
    pub fn opt_str(&mut self, name: &'static str) -> Result<Option<String>, Error> {
        self.get(name)
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Error::invalid(name, "must be a string"))
            })
            .transpose()
    }

    /// A required string.
    pub fn str(&mut self, name: &'static str) -> Result<String, Error> {
        self.opt_str(name)?.ok_or_else(|| Self::required(name))
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, name: &'static str) -> Result<Option<bool>, Error> {
        self.get(name)
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| Error::invalid(name, "must be true or false"))
            })
            .transpose()
    }

    /// A required boolean.
    pub fn bool(&mut self, name: &'static str) -> Result<bool, Error> {
        self.opt_bool(name)?.ok_or_else(|| Self::required(name))
    }

    /// An optional list of strings.
    pub fn opt_str_list(&mut self, name: &'static str) -> Result<Option<Vec<String>>, Error> {
        self.opt_list(name, |v, field| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::invalid(field, "must be a string"))
        })
    }

    /// An optional list of whole numbers ≥ 0.
    pub fn opt_uint_list(&mut self, name: &'static str) -> Result<Option<Vec<u64>>, Error> {
        self.opt_list(name, |v, field| as_uint(v, &field))
    }

    /// An optional list, each item read by `item(value, "name[i]")`.
    pub fn opt_list<T>(
        &mut self,
        name: &'static str,
        item: fn(&Value, String) -> Result<T, Error>,
    ) -> Result<Option<Vec<T>>, Error> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let list = v
            .as_array()
            .ok_or_else(|| Error::invalid(name, "must be a list"))?;
        list.iter()
            .enumerate()
            .map(|(i, x)| item(x, format!("{name}[{i}]")))
            .collect::<Result<Vec<T>, Error>>()
            .map(Some)
    }

    /// The raw value of an optional field, for shapes the readers above do not cover.
    pub fn opt_value(&mut self, name: &'static str) -> Option<&'a Value> {
        self.get(name)
    }

    /// Rejects every field that was not read.
    pub fn finish(self) -> Result<(), Error> {
        match self.obj.keys().find(|k| !self.read.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) if self.read.is_empty() => Err(Error::invalid(
                k.as_str(),
                "is not a parameter of this call (it takes none)",
            )),
            Some(k) => Err(Error::invalid(
                k.as_str(),
                format!(
                    "is not a parameter of this call (known: {})",
                    self.read.join(", ")
                ),
            )),
        }
    }
}

/// A whole number ≥ 0 that JavaScript represents exactly.
pub fn as_uint(v: &Value, field: &str) -> Result<u64, Error> {
    v.as_u64()
        .filter(|n| *n <= MAX_SAFE_INTEGER)
        .ok_or_else(|| {
            Error::invalid(
                field,
                "must be a whole number, 0 or more (at most 2^53 − 1)",
            )
        })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct P {
        id: u64,
        q: Option<u64>,
        name: Option<String>,
        ips: Option<Vec<String>>,
        flag: Option<bool>,
    }

    impl FromJson for P {
        fn from_json(v: &Value) -> Result<Self, Error> {
            let mut f = Fields::new(v)?;
            let p = P {
                id: f.uint("id")?,
                q: f.opt_uint("q")?,
                name: f.opt_str("name")?,
                ips: f.opt_str_list("ips")?,
                flag: f.opt_bool("flag")?,
            };
            f.finish()?;
            Ok(p)
        }
    }

    fn field(v: Value) -> String {
        P::from_json(&v).unwrap_err().field().unwrap().to_owned()
    }

    #[test]
    fn params_read_with_field_names() {
        let p = P::from_json(&json!({"id": 1, "q": null, "ips": ["a"], "flag": true})).unwrap();
        assert_eq!(
            p,
            P {
                id: 1,
                q: None,
                name: None,
                ips: Some(vec!["a".into()]),
                flag: Some(true)
            }
        );
        assert_eq!(field(json!({})), "id");
        assert_eq!(field(json!({"id": 1.5})), "id");
        assert_eq!(field(json!({"id": "1"})), "id");
        assert_eq!(field(json!({"id": -1})), "id");
        assert_eq!(field(json!({"id": 9007199254740992u64})), "id");
        assert_eq!(field(json!({"id": 1, "ips": ["a", 5]})), "ips[1]");
        assert_eq!(field(json!({"id": 1, "ips": "a"})), "ips");
        assert_eq!(field(json!({"id": 1, "flag": "yes"})), "flag");
        assert_eq!(field(json!({"id": 1, "tpyo": 1})), "tpyo");
        assert_eq!(field(json!([1])), "params");
        assert_eq!(field(Value::Null), "id");
    }

    static ORDER: Ty = Ty::Obj(&[
        req("id", Ty::Int),
        opt("tag", Ty::Str),
        req("items", Ty::List(&Ty::Obj(&[req("ip", Ty::Str)]))),
    ]);

    #[test]
    fn replies_checked_with_paths() {
        assert_eq!(
            check(&ORDER, &json!({"id": 1, "items": [], "extra": 1})),
            Ok(())
        );
        assert_eq!(
            check(
                &ORDER,
                &json!({"id": 1, "tag": null, "items": [{"ip": "x"}]})
            ),
            Ok(())
        );
        let err = |v: Value| check(&ORDER, &v).unwrap_err();
        assert_eq!(err(json!({"items": []})).0, "id");
        assert_eq!(err(json!({"id": 1.5, "items": []})).0, "id");
        assert_eq!(
            err(json!({"id": 1, "items": [{"ip": "x"}, {"ip": 5}]})).0,
            "items[1].ip"
        );
        assert_eq!(
            err(json!({"id": 1, "items": {}})).1,
            "expected a list, found an object"
        );
        assert_eq!(err(json!([])).0, ".");
    }
}
