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

use proxykit_shape::text::{KeyText, Num, Reader};
use serde_json::{Map, Number, Value};

use crate::error::Error;
use crate::validate::MAX_SAFE_INTEGER;

// ------------------------------------------------------------------------------- params

/// Reads a params object field by field. Each read names the field in its error; fields
/// that were never read are rejected by [`Fields::finish`] (a typo such as `quantiy` must
/// not be dropped silently). `null` counts as "not given".
#[derive(Debug)]
pub struct Fields<'a> {
    /// `None` for `null` params (no fields).
    obj: Option<&'a Map<String, Value>>,
    read: Vec<&'static str>,
    /// The first error of a deferred read (`take_*`), reported by [`Fields::finish`].
    failed: Option<Error>,
}

/// Types that can be read from a params object.
pub trait FromJson: Sized {
    /// Reads `value` (the caller's params object).
    fn from_json(value: &Value) -> Result<Self, Error>;
}

impl<'a> Fields<'a> {
    /// Starts reading; `null` is treated as an empty object.
    pub fn new(value: &'a Value) -> Result<Self, Error> {
        let obj = match value {
            // `None` rather than a shared empty map: a `static` one needs a `OnceLock` (its
            // `Map::new` is not `const`), which linked `std`'s `Once` into the wasm.
            Value::Object(o) => Some(o),
            Value::Null => None,
            _ => return Err(Error::invalid("params", "must be an object")),
        };
        Ok(Fields {
            obj,
            read: Vec::new(),
            failed: None,
        })
    }

    /// A deferred read: `read`'s value, or the type's default once any deferred read has
    /// failed, keeping the first error for [`Fields::finish`] (so the error is the first bad
    /// field in reading order, as with `?` after each read). What the `take_*` readers are
    /// for: a params type read field by field with `?` drops the fields read so far on each
    /// early return, cleanup code that grows with the square of the field count (1,010
    /// bytes of wasm for `listIsps`' four strings, 352 with `take_*`; 6.7 KB raw over the
    /// ProxyShard module); read with `take_*`, it is built whole and dropped once.
    fn take<T: Default>(&mut self, read: impl FnOnce(&mut Self) -> Result<T, Error>) -> T {
        if self.failed.is_some() {
            return T::default();
        }
        read(self).unwrap_or_else(|e| {
            self.failed = Some(e);
            T::default()
        })
    }

    /// Deferred [`Fields::str`].
    pub fn take_str(&mut self, name: &'static str) -> String {
        self.take(|f| f.str(name))
    }

    /// Deferred [`Fields::opt_str`].
    pub fn take_opt_str(&mut self, name: &'static str) -> Option<String> {
        self.take(|f| f.opt_str(name))
    }

    /// Deferred [`Fields::uint`].
    pub fn take_uint(&mut self, name: &'static str) -> u64 {
        self.take(|f| f.uint(name))
    }

    /// Deferred [`Fields::opt_uint`].
    pub fn take_opt_uint(&mut self, name: &'static str) -> Option<u64> {
        self.take(|f| f.opt_uint(name))
    }

    /// Deferred [`Fields::uint_in`].
    pub fn take_uint_in(&mut self, name: &'static str, allowed: &str) -> u64 {
        self.take(|f| f.uint_in(name, allowed))
    }

    /// Deferred [`Fields::opt_uint_in`].
    pub fn take_opt_uint_in(&mut self, name: &'static str, allowed: &str) -> Option<u64> {
        self.take(|f| f.opt_uint_in(name, allowed))
    }

    /// Deferred [`Fields::opt_num`].
    pub fn take_opt_num(&mut self, name: &'static str) -> Option<f64> {
        self.take(|f| f.opt_num(name))
    }

    /// Deferred [`Fields::bool`].
    pub fn take_bool(&mut self, name: &'static str) -> bool {
        self.take(|f| f.bool(name))
    }

    /// Deferred [`Fields::opt_bool`].
    pub fn take_opt_bool(&mut self, name: &'static str) -> Option<bool> {
        self.take(|f| f.opt_bool(name))
    }

    /// Deferred [`Fields::opt_str_list`].
    pub fn take_opt_str_list(&mut self, name: &'static str) -> Option<Vec<String>> {
        self.take(|f| f.opt_str_list(name))
    }

    /// Deferred [`Fields::opt_uint_list`].
    pub fn take_opt_uint_list(&mut self, name: &'static str) -> Option<Vec<u64>> {
        self.take(|f| f.opt_uint_list(name))
    }

    /// A deferred read by a helper of the provider's (a field with rules of its own).
    pub fn take_with<T: Default>(&mut self, read: fn(&mut Self) -> Result<T, Error>) -> T {
        self.take(read)
    }

    fn get(&mut self, name: &'static str) -> Option<&'a Value> {
        self.read.push(name);
        self.obj?.get(name).filter(|v| !v.is_null())
    }

    /// "is required", and when the caller wrote the field in camelCase (`orderId` for
    /// `order_id`), which name they wrote and that the vendor's snake_case one is meant.
    fn required(&self, name: &str) -> Error {
        let camel = camel_case(name);
        match self.obj.filter(|_| camel != name) {
            Some(o) if o.contains_key(&camel) => Error::invalid(
                name,
                format!(
                    "is required (`{camel}` was given: fields use the vendor's snake_case names)"
                ),
            ),
            _ => match self
                .obj
                .and_then(|o| o.keys().find(|k| names_the_same(k, name)))
            {
                // `{ orderId }` where the call's field is `id`: name what was given.
                Some(k) => Error::invalid(
                    name,
                    format!("is required (`{k}` was given: this call names it `{name}`)"),
                ),
                None => Error::invalid(name, "is required"),
            },
        }
    }

    /// An optional whole number ≥ 0 (ids, quantities, periods: ranges are checked by rules).
    pub fn opt_uint(&mut self, name: &'static str) -> Result<Option<u64>, Error> {
        self.get(name).map(|v| as_uint(v, name)).transpose()
    }

    /// A required whole number ≥ 0.
    pub fn uint(&mut self, name: &'static str) -> Result<u64, Error> {
        self.opt_uint(name)?.ok_or_else(|| self.required(name))
    }

    /// [`Fields::opt_uint`] for a field whose rule allows only some numbers: a value of the
    /// wrong type is refused with the allowed ones (`limit: "10"` → "must be a number, not a
    /// string …; allowed: from 1 to 100"), so a form's caller learns the range at once. The
    /// range itself is still checked by the field's rule, which states the same `allowed`.
    pub fn opt_uint_in(&mut self, name: &'static str, allowed: &str) -> Result<Option<u64>, Error> {
        self.opt_uint(name).map_err(|e| with_allowed(e, allowed))
    }

    /// [`Fields::uint`] with the allowed numbers in its type errors (see [`Fields::opt_uint_in`]).
    pub fn uint_in(&mut self, name: &'static str, allowed: &str) -> Result<u64, Error> {
        self.opt_uint_in(name, allowed)?
            .ok_or_else(|| self.required(name))
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
        self.opt_str(name)?.ok_or_else(|| self.required(name))
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
        self.opt_bool(name)?.ok_or_else(|| self.required(name))
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

    /// Starts reading one object of a list (`field` is its path, `items[2]`): a value that
    /// is not an object (nor `null`, read as no fields) is refused as "must be an object".
    /// With [`Fields::finish_item`]: the item's fields read by the deferred `take_*`
    /// readers, one non-generic start and end instead of a `map_err` per field in each
    /// list's reader (~600 bytes of wasm per reader).
    pub fn item(v: &'a Value, field: &str) -> Result<Self, Error> {
        Fields::new(v).map_err(|_| Error::invalid(field, "must be an object"))
    }

    /// [`Fields::finish`] of an item started by [`Fields::item`]: its error under `field`.
    pub fn finish_item(self, field: &str) -> Result<(), Error> {
        self.finish().map_err(|e| e.under(field))
    }

    /// The first failed deferred read's error, if any; else rejects every field that was
    /// not read.
    pub fn finish(self) -> Result<(), Error> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let unread = self
            .obj
            .and_then(|o| o.keys().find(|k| !self.read.contains(&k.as_str())));
        match unread {
            None => Ok(()),
            // `orderId` for `order_id`: say which name is meant.
            Some(k) if self.read.iter().any(|r| camel_case(r) == *k && r != k) => {
                let meant = self.read.iter().find(|r| camel_case(r) == *k).copied();
                Err(Error::invalid(
                    k.as_str(),
                    format!(
                        "is not a parameter of this call: did you mean `{}`? (fields use the vendor's snake_case names)",
                        meant.unwrap_or_default()
                    ),
                ))
            }
            Some(k) if self.read.is_empty() => Err(Error::invalid(
                k.as_str(),
                "is not a parameter of this call (it takes none)",
            )),
            Some(k) => Err(Error::invalid(
                k.as_str(),
                format!(
                    "is not a parameter of this call (known: {})",
                    comma_list(&self.read)
                ),
            )),
        }
    }
}

/// Appends the allowed values to an `invalid_input` rule (for readers whose allowed values
/// are built at run time; see [`Fields::opt_uint_in`]).
pub fn with_allowed(e: Error, allowed: &str) -> Error {
    match e {
        Error::InvalidInput { field, rule } => {
            Error::invalid(field, format!("{rule}; allowed: {allowed}"))
        }
        other => other,
    }
}

/// Whether a given key looks like another spelling of the field `name`: `orderId` or
/// `order_id` for `id`, `Quantity` for `quantity` (case and underscores aside, the key ends
/// with the name). Used only to word a "required" error, never to accept the key.
fn names_the_same(key: &str, name: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    key != name && squash(key).ends_with(&squash(name))
}

/// `order_id` → `orderId`: the spelling a JS caller is likely to write by mistake.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole number ≥ 0 that JavaScript represents exactly.
///
/// The message says what was wrong with the value, not a range: the field's own range (e.g.
/// `limit` 1–100) is its rule's, checked once the value is a number. A numeric string (what a
/// form's `<input>.value` gives) is named as such.
pub fn as_uint(v: &Value, field: &str) -> Result<u64, Error> {
    if let Some(n) = v.as_u64().filter(|n| *n <= MAX_SAFE_INTEGER) {
        return Ok(n);
    }
    let rule = match v {
        Value::String(s) if looks_numeric(s) => {
            "must be a number, not a string: convert it first (Number(input.value))".to_owned()
        }
        Value::Number(n) if n.as_i64().is_some_and(|i| i < 0) => {
            "must be a whole number, not negative".to_owned()
        }
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() != 0.0) => {
            "must be a whole number, not a fraction".to_owned()
        }
        Value::Number(_) => "must be at most 2^53 − 1 (9007199254740991)".to_owned(),
        _ => "must be a whole number".to_owned(),
    };
    Err(Error::invalid(field, rule))
}

/// Whether `s` reads as a decimal number (`"10"`, `" -1.5 "`, `"2e3"`): what a form's
/// `<input>.value` holds when the caller forgot `Number(…)`. A byte scan on purpose: core's
/// float parser (`str::parse::<f64>`) cost 14 KB of gzipped wasm for this one message.
fn looks_numeric(s: &str) -> bool {
    let b = s.trim().as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

// ------------------------------------------------------------------------------ replies

pub use proxykit_shape::{check, check_text, opt, req, Field, Ty};

// --------------------------------------------------------------------------- JSON text

/// Data the wasm classes hand to JS, as a JSON value built by hand: the serde serializers
/// are not linked into the modules (see [`to_text`]). Each impl equals its type's
/// `Serialize` (the source of its TypeScript declaration); the tests compare the two.
pub trait ToJson {
    /// The value, as `serde_json::to_value` would give it.
    fn to_json(&self) -> Value;

    /// Its JSON text ([`to_text`] of [`ToJson::to_json`]).
    fn to_json_text(&self) -> String {
        to_text(&self.to_json())
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }

    /// Written as it is: no copy of the value first (reply values and page items).
    fn to_json_text(&self) -> String {
        to_text(self)
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }

    fn to_json_text(&self) -> String {
        (**self).to_json_text()
    }
}

impl ToJson for u64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

/// An object from its entries (keys in the map's order). Inserted one by one: a few known
/// keys, where collecting would sort them first (`vendor/README.md`).
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (k, v) in entries {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

/// Parses JSON text into a value with the hand-written reader of `proxykit-shape` (it reads
/// what serde_json reads, the same way: `tests/json_text.rs`), not serde_json's parser, whose
/// machinery was ~10 KB of gzip in each wasm module. The error is serde_json's wording,
/// without position. Numbers: a whole number is a `u64` when it fits, a negative one an
/// `i64` when it fits and is not `-0`, anything else a float (correctly rounded).
pub fn parse(text: &str) -> Result<Value, String> {
    let mut r = Reader::new(text);
    let v = value(&mut r)?;
    r.end()?;
    Ok(v)
}

/// One value at the reader. Here, at the size-first level, not in `proxykit-shape` beside
/// the reader: at its `opt-level = 3` this function with the map inserts inlined took 6 KB.
fn value(r: &mut Reader<'_>) -> Result<Value, String> {
    fn fail<T>(msg: &str) -> Result<T, String> {
        Err(msg.to_owned())
    }
    Ok(match r.peek() {
        None => return fail("EOF while parsing a value"),
        Some(b'n') => {
            r.word(b"null")?;
            Value::Null
        }
        Some(b't') => {
            r.word(b"true")?;
            Value::Bool(true)
        }
        Some(b'f') => {
            r.word(b"false")?;
            Value::Bool(false)
        }
        Some(b'"') => {
            let mut s = String::new();
            r.string(Some(&mut s), true)?;
            Value::String(s)
        }
        Some(b'-' | b'0'..=b'9') => match r.number()? {
            (Num::U(u), _) => Value::from(u),
            (Num::I(i), _) => Value::from(i),
            (Num::F, start) => {
                match parse_float(r.slice(start, r.offset())).and_then(Number::from_f64) {
                    Some(n) => Value::Number(n),
                    None => return fail("number out of range"),
                }
            }
        },
        Some(b'[') => {
            let mut items = Vec::new();
            if r.open_list()? {
                loop {
                    items.push(value(r)?);
                    if !r.next_item()? {
                        break;
                    }
                }
                r.leave();
            }
            Value::Array(items)
        }
        Some(b'{') => {
            let mut map = Vec::new();
            if r.open_object()? {
                let mut scratch = String::new();
                loop {
                    let key = match r.key(&mut scratch)? {
                        // Between two quotes of a `&str` with no escape: whole UTF-8
                        // characters, so the check never fails (and, unlike
                        // `from_utf8_lossy`, links no replacement machinery: 1.1 KB).
                        KeyText::Plain(k) => std::str::from_utf8(k)
                            .map_err(|_| "invalid UTF-8 in a key".to_owned())?
                            .to_owned(),
                        KeyText::Decoded => scratch.clone(),
                    };
                    r.colon()?;
                    // A repeated key: the last one wins, as in serde_json.
                    let v = value(r)?;
                    map.push((key, v));
                    if !r.next_member()? {
                        break;
                    }
                }
                r.leave();
            }
            Value::Object(map.into_iter().collect())
        }
        Some(_) => return fail("expected value"),
    })
}

/// A JSON number's text as an `f64`: the engine's `parseFloat` on wasm (exact, and core's
/// float parser costs ~14 KB of gzip there), core's `str::parse` natively; `None` when it
/// is not finite.
fn parse_float(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    let f = js_sys::parse_float(text);
    #[cfg(not(target_arch = "wasm32"))]
    let f = text.parse::<f64>().unwrap_or(f64::NAN);
    f.is_finite().then_some(f)
}

/// A value as compact JSON text, as serde_json writes it (keys in the map's order, `"` `\\`
/// and control characters escaped, nothing else), without serde's serializer machinery.
/// Floats are written by the engine's `Number.prototype.toString` on wasm (`1e+21`,
/// `0.1`), by serde_json's `Number` natively: the same number either way.
pub fn to_text(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// [`to_text`] into `out`.
pub fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                write(x, out);
            }
            out.push('}');
        }
    }
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else {
        #[cfg(target_arch = "wasm32")]
        {
            let f = n.as_f64().unwrap_or(0.0);
            let text: String = js_sys::Number::from(f)
                .to_string_with_radix(10)
                .map(String::from)
                .unwrap_or_else(|_| "0".to_owned());
            out.push_str(&text);
        }
        #[cfg(not(target_arch = "wasm32"))]
        out.push_str(&n.to_string());
    }
}

/// A JSON string literal.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(cut(s, run, i));
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(cut_from(s, run));
    out.push('"');
}

/// `&s[from..to]` where both ends are known character boundaries (found by a byte scan for
/// ASCII, or by a search in the same text), without the slicing panic: its message builder
/// (`str::slice_error_fail_rt` and the `Debug` code it formats with) is ~4 KB of wasm. An
/// end that is not a boundary gives `""` instead of a panic, which would poison the module.
pub fn cut(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or_default()
}

/// `&s[from..]` (see [`cut`]).
pub fn cut_from(s: &str, from: usize) -> &str {
    s.get(from..).unwrap_or_default()
}

/// Where `needle` first occurs in `hay` (byte offset). Not `str::find(&str)`: std's
/// substring search (the Two-Way searcher) is ~2.4 KB of wasm, for needles that here are a
/// few bytes long; this scan compiles to a few hundred bytes.
pub fn find_text(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..].starts_with(n))
}

/// A whole number written with ASCII digits only (no sign, no space), `None` when empty,
/// not digits, or over `u64`. Not `str::parse`: core compiles its integer parser once per
/// type (u32, u64, i64: ~650 bytes of wasm each), and every caller here wants digits only.
pub fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// Whether `needle` occurs in `hay` (see [`find_text`]).
pub fn has_text(hay: &str, needle: &str) -> bool {
    find_text(hay, needle).is_some()
}

/// `a, b, c`: the items of a list in an error message. Not `[&str]::join`: std's `join` is
/// compiled once per item type (two copies, 2 KB of wasm), this once.
pub fn comma_list(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// `1, 7, 30`: whole numbers in an error message (see [`comma_list`]).
pub fn comma_numbers(items: &[u64]) -> String {
    let mut out = String::new();
    for (i, n) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&n.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Reads three fields with the deferred readers.
    fn deferred(v: &Value) -> Result<(u64, String, Option<bool>), Error> {
        let mut f = Fields::new(v)?;
        let out = (
            f.take_uint("id"),
            f.take_str("name"),
            f.take_opt_bool("flag"),
        );
        f.finish()?;
        Ok(out)
    }

    #[test]
    fn deferred_reads_report_the_first_bad_field_in_order() {
        let ok = deferred(&json!({ "id": 7, "name": "n", "flag": true })).unwrap();
        assert_eq!(ok, (7, "n".to_owned(), Some(true)));
        // Two bad fields and an unknown one: the first bad field, as `?` per read gave.
        let e = deferred(&json!({ "id": "7", "flag": 1, "zzz": 0 })).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput { field, .. } if field == "id"),
            "{e}"
        );
        let e = deferred(&json!({ "id": 7, "flag": 1 })).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput { field, rule } if field == "name" && rule.contains("required")),
            "{e}"
        );
        // No bad field: the unknown one is reported by `finish`.
        let e = deferred(&json!({ "id": 7, "name": "n", "zzz": 0 })).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput { field, .. } if field == "zzz"),
            "{e}"
        );
    }

    #[test]
    fn cut_slices_at_boundaries_and_never_panics() {
        let s = "ab€c"; // `€` is bytes 2..5
        assert_eq!(
            (cut(s, 0, 2), cut(s, 2, 5), cut_from(s, 5)),
            ("ab", "€", "c")
        );
        assert_eq!((cut(s, 0, 3), cut(s, 3, 6), cut(s, 4, 2)), ("", "", ""));
        assert_eq!(
            (cut_from(s, 3), cut_from(s, 6), cut_from(s, 99)),
            ("", "", "")
        );
    }

    #[test]
    fn parse_digits_reads_digits_only() {
        for s in ["0", "7", "080", "65535", "18446744073709551615"] {
            assert_eq!(parse_digits(s), s.parse::<u64>().ok(), "{s}");
        }
        for s in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "18446744073709551616",
            "١",
        ] {
            assert_eq!(parse_digits(s), None, "{s}");
        }
    }

    #[test]
    fn find_text_agrees_with_std() {
        let hays = [
            "",
            "a",
            "https://h/p",
            "x://y://z",
            "ééé://",
            "%3D%3",
            "aaab",
            "ab",
        ];
        let needles = ["", "://", "%3", "aab", "ab", "abc", "é", "b"];
        for h in hays {
            for n in needles {
                assert_eq!(find_text(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(has_text(h, n), h.contains(n), "{h:?} {n:?}");
            }
        }
    }

    struct Order {
        order_id: u64,
        auto_renewal: Option<bool>,
    }

    impl FromJson for Order {
        fn from_json(v: &Value) -> Result<Self, Error> {
            let mut f = Fields::new(v)?;
            let o = Order {
                order_id: f.uint("order_id")?,
                auto_renewal: f.opt_bool("auto_renewal")?,
            };
            f.finish()?;
            Ok(o)
        }
    }

    #[test]
    fn number_messages_say_what_is_wrong_with_the_value() {
        let rule = |v: Value| match as_uint(&v, "limit") {
            Err(Error::InvalidInput { rule, .. }) => Some(rule),
            _ => None,
        };
        assert_eq!(as_uint(&json!(10), "limit").ok(), Some(10));
        assert!(rule(json!("10")).unwrap().contains("not a string"));
        assert!(rule(json!(" 10 ")).unwrap().contains("not a string"));
        assert!(rule(json!(-1)).unwrap().contains("not negative"));
        assert!(rule(json!(1.5)).unwrap().contains("not a fraction"));
        assert!(rule(json!(9007199254740992u64))
            .unwrap()
            .contains("at most"));
        assert_eq!(rule(json!("ten")).unwrap(), "must be a whole number");
        for numeric in ["10", "-1", "+2", "1.5", ".5", "5.", "2e3", "1E-2", " 7 "] {
            assert!(looks_numeric(numeric), "{numeric}");
        }
        for other in [
            "", " ", "-", ".", "e3", "1e", "1e+", "1.2.3", "10px", "0x10", "NaN",
        ] {
            assert!(!looks_numeric(other), "{other}");
        }
        assert_eq!(rule(json!(true)).unwrap(), "must be a whole number");
        // No range of its own: that is the field's rule (e.g. `limit` 1–100).
        assert!(!rule(json!("10")).unwrap().contains("0 or more"));
    }

    #[test]
    fn a_ranged_field_says_its_range_in_type_errors_too() {
        let read = |v: Value| {
            let obj = json!({ "limit": v });
            let mut f = Fields::new(&obj).ok()?;
            match f.opt_uint_in("limit", "from 1 to 100") {
                Err(Error::InvalidInput { field, rule }) => Some((field, rule)),
                _ => None,
            }
        };
        let (field, rule) = read(json!("10")).unwrap();
        assert_eq!(field, "limit");
        assert!(rule.contains("not a string"), "{rule}");
        assert!(rule.ends_with("; allowed: from 1 to 100"), "{rule}");
        assert!(read(json!(-1))
            .unwrap()
            .1
            .contains("not negative; allowed: from 1 to 100"));
        // A number of the right type passes the reader; the range is the rule's.
        assert!(read(json!(500)).is_none());
    }

    #[test]
    fn a_missing_field_names_the_key_that_looks_like_it() {
        struct ById;
        impl FromJson for ById {
            fn from_json(v: &Value) -> Result<Self, Error> {
                let mut f = Fields::new(v)?;
                f.uint("id")?;
                f.finish()?;
                Ok(ById)
            }
        }
        let e = ById::from_json(&json!({"orderId": 7})).err().unwrap();
        assert_eq!(e.field(), Some("id"));
        assert!(
            e.to_string()
                .contains("`orderId` was given: this call names it `id`"),
            "{e}"
        );
        let e = ById::from_json(&json!({"colour": 7})).err().unwrap();
        assert!(e.to_string().ends_with("`id` is required"), "{e}");
    }

    #[test]
    fn camel_case_names_are_pointed_at_their_snake_case_field() {
        assert_eq!(camel_case("order_id"), "orderId");
        assert_eq!(camel_case("p0f_slots_next"), "p0fSlotsNext");
        assert_eq!(camel_case("id"), "id");
        // A required field given in camelCase: the error names both spellings.
        let e = Order::from_json(&json!({"orderId": 7})).err().unwrap();
        assert_eq!(e.field(), Some("order_id"));
        assert!(e.to_string().contains("`orderId` was given"), "{e}");
        // An optional one: the unknown name is refused with the one it meant.
        let e = Order::from_json(&json!({"order_id": 7, "autoRenewal": true}))
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("autoRenewal"));
        assert!(
            e.to_string().contains("did you mean `auto_renewal`?"),
            "{e}"
        );
        // Other unknown names keep the list of known ones.
        let e = Order::from_json(&json!({"order_id": 7, "colour": 1}))
            .err()
            .unwrap();
        assert!(
            e.to_string().contains("known: order_id, auto_renewal"),
            "{e}"
        );
        let o = Order::from_json(&json!({"order_id": 7})).unwrap();
        assert_eq!((o.order_id, o.auto_renewal), (7, None));
    }

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
