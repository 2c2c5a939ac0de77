//! Shared validation vocabulary: a [`Problem`] names a field and the rule it broke; rules
//! collect every problem (for forms) and calls reject on the first (before sending).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::error::Error;

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

    /// The first problem as an `invalid_input` error, if any.
    pub fn into_result(self) -> Result<(), Error> {
        match self.0.into_iter().next() {
            Some(p) => Err(Error::invalid(p.field, p.rule)),
            None => Ok(()),
        }
    }
}

/// Whether `s` is a dotted-quad IPv4 address (`192.0.2.1`; no leading zeros, no IPv6).
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Deserializes a whole number ≥ 0 with a message a JS caller understands (`1.5`, `"3"`,
/// `-1` and `true` are rejected as "a whole number").
pub fn uint<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(UintVisitor)
}

/// [`uint`] for an optional field (`null` or absent → `None`).
pub fn opt_uint<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number ≥ 0")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            uint(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

/// [`uint`] for a list.
pub fn uint_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u64>>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "uint")] u64);
    let v: Option<Vec<W>> = Option::deserialize(d)?;
    Ok(v.map(|v| v.into_iter().map(|W(x)| x).collect()))
}

struct UintVisitor;

impl Visitor<'_> for UintVisitor {
    type Value = u64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a whole number ≥ 0")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        Err(E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(deserialize_with = "uint")]
        a: u64,
        #[serde(default, deserialize_with = "opt_uint")]
        b: Option<u64>,
        #[serde(default, deserialize_with = "uint_list")]
        c: Option<Vec<u64>>,
    }

    fn parse(j: &str) -> Result<T, String> {
        serde_json::from_str(j).map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_only() {
        let t = parse(r#"{"a":3,"b":null,"c":[1,2]}"#).unwrap();
        assert_eq!((t.a, t.b, t.c), (3, None, Some(vec![1, 2])));
        assert_eq!(parse(r#"{"a":0,"b":7}"#).unwrap().b, Some(7));
        for bad in [
            r#"{"a":1.5}"#,
            r#"{"a":"3"}"#,
            r#"{"a":-1}"#,
            r#"{"a":true}"#,
            r#"{"a":1,"b":2.5}"#,
            r#"{"a":1,"c":[1,"2"]}"#,
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("a whole number"), "{bad}: {e}");
        }
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
