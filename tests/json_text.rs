//! The hand-written JSON reader of the wasm modules (`src/shape/text.rs`) against serde_json,
//! which it replaced there: on edge cases and on generated text (valid documents and their
//! byte-level mutations), `parse` must accept exactly what `serde_json::from_str` accepts and
//! give the same value, and `check_text` must agree with `check` over serde_json's value.

use proxykit::json::{check, check_text, opt, req, Field, Ty};
use serde_json::Value;

fn same_as_serde(text: &str) {
    let ours = proxykit::json::parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn edge_cases_read_as_serde_json_reads_them() {
    let deep_ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
    let deep_bad = format!("{}{}", "[".repeat(129), "]".repeat(129));
    let cases = [
        "",
        " ",
        "n",
        "nul",
        "null",
        "nulll",
        "tru",
        "true",
        "false",
        "true false",
        "-",
        "-0",
        "-0.0",
        "0",
        "00",
        "01",
        "1.",
        "1.5",
        ".5",
        "1e",
        "1e+",
        "1e-5",
        "1E5",
        "1.5e3",
        "-1",
        "1e400",
        "-1e400",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "\"\"",
        "\"a\"",
        "\"é€😀\"",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u0041\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800x\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\u0041\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\x\"",
        "\"a\u{1}b\"",
        "\"a\u{7f}\"",
        "\"unterminated",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[]",
        " [ ] ",
        "{",
        "{}",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1}",
        "{\"a\":1,\"a\":2}",
        "{\"\\u0061\":1}",
        "{\"a\\nb\":[true,null,{\"c\":-2.5e-3}]}",
        "1 2",
        "[1]x",
        "\u{feff}1",
        "\t\n\r 1 \t\n\r",
        "+1",
        "NaN",
        "Infinity",
        "'a'",
        &deep_ok,
        &deep_bad,
    ];
    for c in cases {
        same_as_serde(c);
    }
    // Strings are scanned eight bytes at a time: a quote, an escape, a control character or
    // a multi-byte character at every offset of runs of every length, as values and keys.
    for len in 0..26 {
        for at in 0..=len {
            for special in [
                "\"", "\\n", "\\u00e9", "\u{1}", "\u{1f}", "é", "😀", "\u{7f}",
            ] {
                let mut s: String = "a".repeat(len);
                s.insert_str(at, special);
                same_as_serde(&format!("\"{s}\""));
                same_as_serde(&format!("{{\"{s}\":1}}"));
                same_as_serde(&format!("[\"{s}\",\"{s}\"]"));
            }
        }
    }
}

/// A small deterministic generator (xorshift), so a failure names a reproducible case.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A JSON document (objects use each key once).
    fn doc(&mut self, depth: u32, out: &mut String) {
        let leaf = depth > 4 || self.below(3) == 0;
        match if leaf {
            self.below(4)
        } else {
            4 + self.below(2)
        } {
            0 => out.push_str(self.pick(&["null", "true", "false"])),
            1 => out.push_str(self.pick(&[
                "0",
                "-0",
                "7",
                "-3",
                "1.5",
                "-2.5e-3",
                "1e2",
                "18446744073709551616",
                "9007199254740993",
                "-9223372036854775808",
                "0.1",
                "123456789.125",
            ])),
            2 | 3 => out.push_str(self.pick(&[
                "\"\"",
                "\"id\"",
                "\"x y\"",
                "\"\\u00e9\"",
                "\"\\ud83d\\ude00\"",
                "\"é\"",
                "\"\\\"q\\\"\"",
                "\"tab\\t\"",
            ])),
            4 => {
                out.push('[');
                for i in 0..self.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    self.doc(depth + 1, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                let keys = ["id", "name", "items", "a\\u0062", "status", "x"];
                let n = self.below(4) as usize;
                for (i, k) in keys.iter().take(n).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(k);
                    out.push_str("\":");
                    self.doc(depth + 1, out);
                }
                out.push('}');
            }
        }
    }
}

#[test]
fn generated_documents_and_their_mutations_read_as_serde_json_reads_them() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let bytes: &[u8] = b"{}[]\",:\\ u0123456789.eE+-ntfa\x01";
    let mut valid = 0;
    for _ in 0..40_000 {
        let mut doc = String::new();
        g.doc(0, &mut doc);
        if serde_json::from_str::<Value>(&doc).is_ok() {
            valid += 1;
        }
        same_as_serde(&doc);
        // Byte-level mutations: drop, duplicate or replace one byte (kept UTF-8).
        for _ in 0..3 {
            let mut b = doc.clone().into_bytes();
            if b.is_empty() {
                break;
            }
            let at = g.below(b.len() as u64) as usize;
            match g.below(3) {
                0 => {
                    b.remove(at);
                }
                1 => {
                    let c = b[at];
                    b.insert(at, c);
                }
                _ => b[at] = bytes[g.below(bytes.len() as u64) as usize],
            }
            if let Ok(s) = String::from_utf8(b) {
                same_as_serde(&s);
            }
        }
    }
    assert!(valid > 39_000, "{valid} valid documents");
}

const ITEM: Ty = Ty::Obj(&[req("id", Ty::Uint), opt("name", Ty::Str)]);
static ITEM_FIELDS: &[Field] = &[
    req("id", Ty::Int),
    opt("name", Ty::Str),
    opt("items", Ty::List(&ITEM)),
    opt("status", Ty::Num),
    opt("x", Ty::Any),
    opt("ab", Ty::Bool),
];

#[test]
fn check_text_agrees_with_check_on_generated_documents() {
    let shapes: [&Ty; 5] = [
        &Ty::Obj(ITEM_FIELDS),
        &Ty::List(&ITEM),
        &Ty::Any,
        &Ty::Num,
        &Ty::Obj(&[]),
    ];
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    let mut compared = 0;
    for _ in 0..40_000 {
        let mut doc = String::new();
        g.doc(0, &mut doc);
        let Ok(v) = serde_json::from_str::<Value>(&doc) else {
            continue;
        };
        for ty in shapes {
            assert_eq!(check_text(ty, &doc), check(ty, &v), "{doc}");
            compared += 1;
        }
    }
    assert!(compared > 190_000, "{compared}");
    // Invalid text is refused, whatever the shape.
    for bad in [
        "",
        "{",
        "{\"id\":1,}",
        "[1 2]",
        "{\"id\":1} x",
        "{\"id\":\"\\x\"}",
    ] {
        assert!(check_text(&Ty::Any, bad).is_err(), "{bad:?}");
    }
}

#[test]
fn to_text_writes_what_serde_json_writes() {
    let mut g = Gen(0x1234_5678_9abc_def1);
    let mut n = 0;
    for _ in 0..20_000 {
        let mut doc = String::new();
        g.doc(0, &mut doc);
        let Ok(v) = serde_json::from_str::<Value>(&doc) else {
            continue;
        };
        assert_eq!(
            proxykit::json::to_text(&v),
            serde_json::to_string(&v).unwrap(),
            "{doc}"
        );
        n += 1;
    }
    assert!(n > 19_000);
    let every_byte: String = (0u8..=0x7f).map(char::from).chain("é€😀".chars()).collect();
    let v = Value::String(every_byte);
    assert_eq!(
        proxykit::json::to_text(&v),
        serde_json::to_string(&v).unwrap()
    );
}

/// The data the wasm classes hand to JS is built by hand (`ToJson`); it must be what the
/// types' `Serialize` (the source of their TypeScript declarations) gives.
#[test]
fn hand_built_data_equals_its_serialize() {
    use proxykit::json::ToJson;
    use proxykit::proxy_solutions::rules as ps;
    use proxykit::proxyshard::rules as shard;
    fn same<T: ToJson + serde::Serialize + ?Sized>(x: &T) {
        assert_eq!(x.to_json(), serde_json::to_value(x).unwrap());
    }
    same(&ps::ORDER_DEFAULTS);
    same(&ps::ServiceKind::ALL);
    same(&ps::OPERATIONS);
    same(&ps::allowed_periods(None));
    same(&ps::allowed_periods(Some(ps::ServiceKind::Mobile)));
    for product in [
        "Datacenter Proxy",
        "ISP Proxy",
        "Standart Residential Proxy",
        "Premium Residential Proxy",
        "Unmetered Residential proxy",
        "Mobile Plan",
    ] {
        same(&shard::purchase_fields(product));
    }
    same(&vec![proxykit::validate::Problem {
        field: "quantity".into(),
        rule: "must be \"1\" or more".into(),
    }]);
}

/// serde_json's object map is a sorted `Vec` here (vendor/README.md), not the `BTreeMap` it
/// was: held to what a `BTreeMap` gives, keys unique and in sorted order, the last of a
/// repeated key winning, whichever path built the object (proxykit's reader, serde_json's
/// deserializer, `collect`, `insert`, `extend`, `entry`, `remove`).
#[test]
fn object_maps_keep_btree_order_and_the_last_repeated_key() {
    use std::collections::BTreeMap;
    // Keys in a scrambled order, some repeated with a different value each time.
    let n = 2_000u64;
    let keys: Vec<String> = (0..n).map(|i| format!("k{}", (i * 7919) % 1_500)).collect();
    let mut text = String::from("{");
    let mut expected = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("\"{k}\":{i}"));
        expected.insert(k.clone(), i as u64);
    }
    text.push('}');
    let expected: Vec<(String, u64)> = expected.into_iter().collect();
    let entries = |v: &Value| -> Vec<(String, u64)> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect()
    };
    let ours = proxykit::json::parse(&text).unwrap();
    let theirs: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(entries(&ours), expected);
    assert_eq!(entries(&theirs), expected);

    let mut by_insert = serde_json::Map::new();
    for (i, k) in keys.iter().enumerate() {
        by_insert.insert(k.clone(), Value::from(i as u64));
    }
    let collected: serde_json::Map<String, Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), Value::from(i as u64)))
        .collect();
    assert_eq!(entries(&Value::Object(by_insert.clone())), expected);
    assert_eq!(by_insert, collected);
    assert_eq!(by_insert.len(), expected.len());

    // extend: later entries win over earlier ones, as with insert.
    let mut extended = serde_json::Map::new();
    extended.insert("b".into(), Value::from(1));
    extended.insert("z".into(), Value::from(1));
    extended.extend([
        ("a".to_owned(), Value::from(2)),
        ("z".to_owned(), Value::from(2)),
        ("a".to_owned(), Value::from(3)),
    ]);
    assert_eq!(
        serde_json::to_string(&extended).unwrap(),
        r#"{"a":3,"b":1,"z":2}"#
    );
    *extended.entry("c").or_insert(Value::from(0)) = Value::from(4);
    assert_eq!(extended.remove("b"), Some(Value::from(1)));
    assert_eq!(extended.get("z"), Some(&Value::from(2)));
    assert_eq!(
        proxykit::json::to_text(&Value::Object(extended)),
        r#"{"a":3,"c":4,"z":2}"#
    );
}

/// A large object whose keys arrive in reverse order: built by sorting once, not by moving
/// the entries on each insert (that would be ~10^11 bytes moved here: this test would not
/// end). Correctness is asserted; the time is not (no timed tests).
#[test]
fn a_large_reversed_object_reads_in_order() {
    let n = 100_000u32;
    let mut text = String::from("{");
    for i in (0..n).rev() {
        text.push_str(&format!("\"{i:06}\":{i}"));
        text.push(if i == 0 { '}' } else { ',' });
    }
    for v in [
        proxykit::json::parse(&text).unwrap(),
        serde_json::from_str::<Value>(&text).unwrap(),
    ] {
        let map = v.as_object().unwrap();
        assert_eq!(map.len(), n as usize);
        assert!(map
            .iter()
            .enumerate()
            .all(|(i, (k, v))| { *k == format!("{i:06}") && v.as_u64() == Some(i as u64) }));
    }
}
