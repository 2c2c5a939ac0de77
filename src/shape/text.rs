//! JSON text read by hand: a [`Reader`] for building values (`proxykit::json::parse`) and
//! [`check_text`] against a [`Ty`] in one pass without building anything. Not serde_json's parser: its generic
//! deserializer and the serde machinery behind it were ~10 KB of gzip in each wasm module
//! (bench/notes.md), and a module needs only these two readers.
//!
//! It reads what serde_json reads, the same way (the tests hold both to serde_json on
//! generated inputs): RFC 8259 JSON with nothing else, at most 127 levels of nesting, strings
//! whose `\u` escapes pair their surrogates (a string that is only skipped needs valid
//! escapes, as in serde_json); a whole number is a `u64` when it fits, a negative one an
//! `i64` when it fits and is not `-0`, anything else a float. Error messages are serde_json's
//! wording without its " at line L column C" (a checked reply's error gives the JSON path).

use crate::{expected, Ty};

/// One more than the deepest nesting of lists and objects read (127), as in serde_json:
/// deeper input is refused, so a hostile reply cannot exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// A number as the text writes it.
pub enum Num {
    /// A whole number ≥ 0 that fits a `u64`.
    U(u64),
    /// A negative whole number that fits an `i64` (not `-0`).
    I(i64),
    /// Anything else: a fraction, an exponent, `-0`, a whole number too big for 64 bits.
    F,
}

/// A cursor over JSON text, for a reader that builds values (`proxykit::json::parse`,
/// compiled at the size-first level with the code that uses the values); [`check_text`]
/// is the other reader.
pub struct Reader<'a> {
    b: &'a [u8],
    i: usize,
    depth: u32,
}

/// A reader's result: the error is serde_json's wording, without position.
pub type Res<T> = Result<T, String>;

fn err<T>(msg: &str) -> Res<T> {
    Err(msg.to_owned())
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            b: text.as_bytes(),
            i: 0,
            depth: MAX_DEPTH,
        }
    }

    /// The next byte after whitespace, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                return Some(c);
            }
        }
        None
    }

    /// `true`, `false` or `null`, its first byte already seen.
    pub fn word(&mut self, word: &[u8]) -> Res<()> {
        for &w in word {
            match self.b.get(self.i) {
                None => return err("EOF while parsing a value"),
                Some(&c) if c == w => self.i += 1,
                Some(_) => return err("expected ident"),
            }
        }
        Ok(())
    }

    fn enter(&mut self) -> Res<()> {
        self.depth -= 1;
        if self.depth == 0 {
            return err("recursion limit exceeded");
        }
        Ok(())
    }

    /// Closes a list or object opened by [`Self::open_list`] / [`Self::open_object`] that
    /// had items (one without any is closed by the opening call).
    pub fn leave(&mut self) {
        self.depth += 1;
    }

    /// A number; returns what kind and where its text starts.
    #[inline(never)]
    pub fn number(&mut self) -> Res<(Num, usize)> {
        let start = self.i;
        let negative = self.b.get(self.i) == Some(&b'-');
        if negative {
            self.i += 1;
        }
        let digits = |r: &mut Reader<'_>| {
            let from = r.i;
            while r.b.get(r.i).is_some_and(u8::is_ascii_digit) {
                r.i += 1;
            }
            r.i - from
        };
        let int_start = self.i;
        match self.b.get(self.i) {
            None => return err("EOF while parsing a value"),
            Some(b'0') => {
                self.i += 1;
                if self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    return err("invalid number");
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            Some(_) => return err("invalid number"),
        }
        let int_end = self.i;
        let mut whole = true;
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            whole = false;
            if digits(self) == 0 {
                return match self.b.get(self.i) {
                    None => err("EOF while parsing a value"),
                    Some(_) => err("invalid number"),
                };
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            whole = false;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return match self.b.get(self.i) {
                    None => err("EOF while parsing a value"),
                    Some(_) => err("invalid number"),
                };
            }
        }
        if !whole {
            return Ok((Num::F, start));
        }
        // Whole: u64 when it fits; negative: i64 when it fits and is not -0.
        let mut n: u64 = 0;
        for &d in &self.b[int_start..int_end] {
            match n
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(d - b'0')))
            {
                Some(x) => n = x,
                None => return Ok((Num::F, start)),
            }
        }
        if !negative {
            return Ok((Num::U(n), start));
        }
        match n {
            0 => Ok((Num::F, start)),
            n if n <= 1 << 63 => Ok((Num::I((n as i64).wrapping_neg()), start)),
            _ => Ok((Num::F, start)),
        }
    }

    fn hex4(&mut self) -> Res<u16> {
        let mut n: u16 = 0;
        for _ in 0..4 {
            let c = match self.b.get(self.i) {
                None => return err("EOF while parsing a string"),
                Some(&c) => c,
            };
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return err("invalid escape"),
            };
            self.i += 1;
            n = (n << 4) | u16::from(v);
        }
        Ok(n)
    }

    /// A string (the opening quote not yet consumed), decoded into `out` when given; its
    /// `\u` escapes must pair surrogates when `validate` (always when decoding).
    #[inline(never)]
    pub fn string(&mut self, mut out: Option<&mut String>, validate: bool) -> Res<()> {
        self.i += 1; // the opening quote
        let mut run = self.i;
        loop {
            self.i = plain_run(self.b, self.i);
            let Some(&c) = self.b.get(self.i) else {
                return err("EOF while parsing a string");
            };
            match c {
                b'"' => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.slice(run, self.i));
                    }
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(self.slice(run, self.i));
                    }
                    self.i += 1;
                    self.escape(out.as_deref_mut(), validate)?;
                    run = self.i;
                }
                0..=0x1f => {
                    return err("control character (\\u0000-\\u001F) found while parsing a string")
                }
                _ => self.i += 1,
            }
        }
    }

    /// Where the reader is (a byte offset), e.g. the end of the number just read.
    pub fn offset(&self) -> usize {
        self.i
    }

    /// The text between two byte offsets that sit on character boundaries (quotes and
    /// backslashes are ASCII, so every offset [`Self::string`] cuts at is one).
    pub fn slice(&self, from: usize, to: usize) -> &'a str {
        // The input came in as a `str`; `from_utf8` cannot fail on a boundary-cut slice, and
        // the fallback only keeps this free of panics.
        std::str::from_utf8(&self.b[from..to]).unwrap_or_default()
    }

    /// The escape after a backslash.
    #[inline(never)]
    fn escape(&mut self, out: Option<&mut String>, validate: bool) -> Res<()> {
        let Some(&c) = self.b.get(self.i) else {
            return err("EOF while parsing a string");
        };
        self.i += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let n = self.hex4()?;
                if !validate {
                    return Ok(());
                }
                if (0xDC00..=0xDFFF).contains(&n) {
                    return err("lone leading surrogate in hex escape");
                }
                if !(0xD800..=0xDBFF).contains(&n) {
                    char::from_u32(u32::from(n)).unwrap_or('\u{fffd}')
                } else {
                    // A leading surrogate: a `\uXXXX` trailing one must follow.
                    if self.b.get(self.i) != Some(&b'\\') {
                        return match self.b.get(self.i) {
                            None => err("EOF while parsing a string"),
                            Some(_) => err("unexpected end of hex escape"),
                        };
                    }
                    self.i += 1;
                    if self.b.get(self.i) != Some(&b'u') {
                        return match self.b.get(self.i) {
                            None => err("EOF while parsing a string"),
                            Some(_) => err("unexpected end of hex escape"),
                        };
                    }
                    self.i += 1;
                    let n2 = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&n2) {
                        return err("lone leading surrogate in hex escape");
                    }
                    let code =
                        (((u32::from(n) - 0xD800) << 10) | (u32::from(n2) - 0xDC00)) + 0x1_0000;
                    char::from_u32(code).unwrap_or('\u{fffd}')
                }
            }
            _ => return err("invalid escape"),
        };
        if let Some(o) = out {
            o.push(ch);
        }
        Ok(())
    }

    /// A key (validated and decoded), or its text when it has no escape.
    #[inline(never)]
    pub fn key(&mut self, scratch: &mut String) -> Res<KeyText<'a>> {
        if self.peek() != Some(b'"') {
            return match self.peek() {
                None => err("EOF while parsing an object"),
                Some(_) => err("key must be a string"),
            };
        }
        let start = self.i + 1;
        // Fast path: no backslash before the closing quote.
        let j = plain_run(self.b, start);
        if self.b.get(j) == Some(&b'"') {
            self.i = j + 1;
            return Ok(KeyText::Plain(&self.b[start..j]));
        }
        scratch.clear();
        self.string(Some(scratch), true)?;
        Ok(KeyText::Decoded)
    }

    /// The `:` after an object key.
    pub fn colon(&mut self) -> Res<()> {
        match self.peek() {
            Some(b':') => {
                self.i += 1;
                Ok(())
            }
            None => err("EOF while parsing an object"),
            Some(_) => err("expected `:`"),
        }
    }

    /// After an object member: `true` when another follows, `false` at the closing brace.
    pub fn next_member(&mut self) -> Res<bool> {
        self.next_in(b'}', "EOF while parsing an object", "expected `,` or `}`")
    }

    /// After a list item: `true` when another follows, `false` at the closing bracket.
    pub fn next_item(&mut self) -> Res<bool> {
        self.next_in(b']', "EOF while parsing a list", "expected `,` or `]`")
    }

    fn next_in(&mut self, close: u8, eof: &str, expected: &str) -> Res<bool> {
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(false)
            }
            None => err(eof),
            Some(_) => err(expected),
        }
    }

    /// Opens an object: `true` when it has a first member (the reader is at its key).
    pub fn open_object(&mut self) -> Res<bool> {
        self.open_in(b'}', "EOF while parsing an object")
    }

    /// Opens a list: `true` when it has a first item.
    pub fn open_list(&mut self) -> Res<bool> {
        self.open_in(b']', "EOF while parsing a list")
    }

    fn open_in(&mut self, close: u8, eof: &str) -> Res<bool> {
        self.enter()?;
        self.i += 1;
        match self.peek() {
            Some(c) if c == close => {
                self.i += 1;
                self.leave();
                Ok(false)
            }
            None => err(eof),
            Some(_) => Ok(true),
        }
    }

    /// Reads past one value, checking its syntax (strings need valid escapes only).
    #[inline(never)]
    fn skip(&mut self) -> Res<()> {
        match self.peek() {
            None => err("EOF while parsing a value"),
            Some(b'n') => self.word(b"null"),
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'"') => self.string(None, false),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b'[') => {
                if self.open_list()? {
                    loop {
                        self.skip()?;
                        if !self.next_item()? {
                            break;
                        }
                    }
                    self.leave();
                }
                Ok(())
            }
            Some(b'{') => {
                if self.open_object()? {
                    let mut scratch = String::new();
                    loop {
                        self.key(&mut scratch)?;
                        self.colon()?;
                        self.skip()?;
                        if !self.next_member()? {
                            break;
                        }
                    }
                    self.leave();
                }
                Ok(())
            }
            Some(_) => err("expected value"),
        }
    }

    /// The end of the text: only whitespace may follow the value.
    pub fn end(&mut self) -> Res<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => err("trailing characters"),
        }
    }
}

/// The offset of the first byte at or after `i` that ends a plain run of string text: a
/// quote, a backslash or a control character (or the end). Eight bytes at a time, as
/// serde_json scans (the page check spends most of its time inside strings).
fn plain_run(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let quote = zero_in(w ^ (ONES * u64::from(b'"')));
        let backslash = zero_in(w ^ (ONES * u64::from(b'\\')));
        // Bytes below 0x20 (a byte ≥ 0x80 never matches: its high bit is set in `w`).
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
        let found = quote | backslash | control;
        if found != 0 {
            // The lowest flag is the first such byte (a false flag only ever sits above a
            // true one, in a later byte).
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if matches!(c, b'"' | b'\\' | 0..=0x1f) {
            break;
        }
        i += 1;
    }
    i
}

/// A key as read: borrowed from the text, or decoded into the caller's scratch string.
pub enum KeyText<'a> {
    /// The key's bytes in the text (it had no escape; UTF-8, as the text is).
    Plain(&'a [u8]),
    /// The key is in the scratch string.
    Decoded,
}

// ---------------------------------------------------------------------------- check

/// One step of a JSON path, kept without formatting (it is only formatted on error).
enum Seg {
    Field(&'static str),
    Index(usize),
}

/// Checks a reply's JSON text against `ty` in one pass, without building a
/// `serde_json::Value`: for a 100-order page, building the value (a map per object) cost
/// more than everything else in the call. Same verdicts and paths as [`crate::check`] (the
/// schema tests compare the two on every mutated fixture); the error is `(JSON path, what is
/// wrong)`.
pub fn check_text(ty: &Ty, text: &str) -> Result<(), (String, String)> {
    let mut r = Reader::new(text);
    let mut path = Vec::new();
    let result = check(&mut r, ty, &mut path).and_then(|()| r.end());
    result.map_err(|msg| {
        let mut p = String::new();
        for seg in &path {
            match seg {
                Seg::Field(name) if p.is_empty() => p.push_str(name),
                Seg::Field(name) => {
                    p.push('.');
                    p.push_str(name);
                }
                Seg::Index(i) => {
                    p.push('[');
                    p.push_str(&i.to_string());
                    p.push(']');
                }
            }
        }
        if p.is_empty() {
            p.push('.');
        }
        (p, msg)
    })
}

#[inline(never)]
fn check(r: &mut Reader<'_>, ty: &Ty, path: &mut Vec<Seg>) -> Res<()> {
    let mut ty = ty;
    while let Ty::Ref(inner) = ty {
        ty = inner;
    }
    let want = |found: &str| Err(expected(ty, found));
    match r.peek() {
        None => err("EOF while parsing a value"),
        _ if matches!(ty, Ty::Any) => r.skip(),
        Some(b'n') => {
            r.word(b"null")?;
            want("null")
        }
        Some(b't' | b'f') => {
            r.skip()?;
            match ty {
                Ty::Bool => Ok(()),
                _ => want("a boolean"),
            }
        }
        Some(b'"') => {
            r.string(None, true)?;
            match ty {
                Ty::Str => Ok(()),
                _ => want("a string"),
            }
        }
        Some(b'-' | b'0'..=b'9') => match (r.number()?.0, ty) {
            (Num::U(_), Ty::Int | Ty::Num | Ty::Uint) | (Num::I(_), Ty::Int | Ty::Num) => Ok(()),
            (Num::F, Ty::Num) => Ok(()),
            (Num::U(_) | Num::I(_), _) => want("an integer"),
            (Num::F, _) => want("a fractional number"),
        },
        Some(b'[') => {
            let Ty::List(item) = ty else {
                return want("a list");
            };
            if r.open_list()? {
                let mut i = 0usize;
                loop {
                    path.push(Seg::Index(i));
                    check(r, item, path)?;
                    path.pop();
                    i += 1;
                    if !r.next_item()? {
                        break;
                    }
                }
                r.leave();
            }
            Ok(())
        }
        Some(b'{') => {
            let Ty::Obj(fields) = ty else {
                return want("an object");
            };
            // Seen fields as bits (no schema object has more than 64 fields).
            let mut present: u64 = 0;
            // Replies list their fields in the schema's order, mostly: the field after the
            // last one found is tried first.
            let mut next = 0;
            if r.open_object()? {
                let mut scratch = String::new();
                loop {
                    let key: &[u8] = match r.key(&mut scratch)? {
                        KeyText::Plain(k) => k,
                        KeyText::Decoded => scratch.as_bytes(),
                    };
                    let found = match fields.get(next) {
                        Some(f) if f.name.as_bytes() == key => Some(next),
                        _ => fields.iter().position(|f| f.name.as_bytes() == key),
                    };
                    if let Some(i) = found {
                        next = i + 1;
                    }
                    r.colon()?;
                    match found {
                        Some(i) => {
                            let f = &fields[i];
                            path.push(Seg::Field(f.name));
                            if r.peek() == Some(b'n') {
                                r.word(b"null")?;
                                if f.required {
                                    return err("is missing (required)");
                                }
                            } else {
                                check(r, &f.ty, path)?;
                                present |= 1 << i;
                            }
                            path.pop();
                        }
                        None => r.skip()?,
                    }
                    if !r.next_member()? {
                        break;
                    }
                }
                r.leave();
            }
            for (i, f) in fields.iter().enumerate() {
                if f.required && present & (1 << i) == 0 {
                    path.push(Seg::Field(f.name));
                    return err("is missing (required)");
                }
            }
            Ok(())
        }
        Some(_) => err("expected value"),
    }
}
