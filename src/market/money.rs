//! Exact money: vendor amounts as integer **minor units** plus a currency.
//!
//! The two vendors write money differently (`shared/api/proxy-solutions.md` §3.2,
//! `shared/api/proxyshard.md` §3):
//! - Proxy-Solutions sends decimal numbers (`"amount": 1.81`) in USD, EUR, RUB, UAH or KZT;
//!   the SDK also accepts them as decimal strings (`"1.81"`), which some gateways send.
//! - ProxyShard sends integer US cents (`"wallet_balance": 1250`).
//!
//! Both become a [`Money`]: an `i64` count of minor units and a [`Currency`]. The decimal
//! is read from its **text**, never by multiplying a float by 100 (`1.005 * 100` is
//! `100.49999999999999`): a JSON number is taken in the shortest form that reads back as
//! the same `f64` (what serde_json and JavaScript print), which for any amount written with
//! up to 15 significant digits is exactly the text the vendor sent. That decimal is then
//! scaled by the currency's exponent with integer arithmetic.
//!
//! **Rounding rule.** A value with more decimals than the currency's minor unit (`1.005`
//! USD, or `0.30000000000000004` after a vendor added floats) is rounded **half to even**
//! (banker's rounding: `1.005 → 1.00`, `1.015 → 1.02`), the rule IEEE 754 and most ledgers
//! use because it does not drift up over many sums, and the result says `exact: false` and
//! keeps the vendor's raw value beside it. [`Rounding::Refuse`] turns the same case into an
//! error for callers that must not round at all. Rejected alternatives: half-up (biased
//! upward over many conversions), truncation (loses up to a whole minor unit every time),
//! refusing by default (one odd exchange-rate conversion from the vendor would make a whole
//! catalogue unpriceable).
//!
//! **Range.** Results are limited to ±(2^53 − 1) minor units, JavaScript's
//! `Number.MAX_SAFE_INTEGER`, so a [`Money`] crosses to JS as an exact number.
//!
//! Nothing here panics: every malformed input (NaN, infinities, strings that are not
//! decimals, exponents out of range, too many digits) is a typed [`AmountError`].

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{truncate_chars, Error, SNIPPET_CHARS};
use crate::validate::MAX_SAFE_INTEGER;

/// The currencies the vendors use. Proxy-Solutions: `?currency=` and `payer_currency`
/// (`proxy-solutions.md` §3.1: USD, EUR, RUB, UAH, KZT); ProxyShard: USD only (§3, "integer
/// US cents").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    /// US dollar (ISO 4217 exponent 2).
    Usd,
    /// Euro (exponent 2).
    Eur,
    /// Russian rouble (exponent 2: kopecks).
    Rub,
    /// Ukrainian hryvnia (exponent 2: kopiykas).
    Uah,
    /// Kazakhstani tenge (exponent 2: tiyn).
    Kzt,
}

impl Currency {
    /// Every currency.
    pub const ALL: [Currency; 5] = [
        Currency::Usd,
        Currency::Eur,
        Currency::Rub,
        Currency::Uah,
        Currency::Kzt,
    ];

    /// The ISO 4217 code (`USD`, …).
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Rub => "RUB",
            Currency::Uah => "UAH",
            Currency::Kzt => "KZT",
        }
    }

    /// A currency from its ISO 4217 code, exactly as the vendors write it (upper case).
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Decimal digits of the minor unit (ISO 4217 "minor unit"): 2 for all five. Kept per
    /// currency so a currency with 0 (JPY) or 3 (KWD) digits needs only a new arm.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Usd | Currency::Eur | Currency::Rub | Currency::Uah | Currency::Kzt => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount in integer minor units (cents, kopecks, tiyn) of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units; |minor| ≤ 2^53 − 1.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// ProxyShard money: integer US cents, checked against the safe-integer range.
    pub fn usd_cents(cents: i64) -> Result<Money, AmountError> {
        if cents.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(AmountError::OutOfRange);
        }
        Ok(Money {
            minor: cents,
            currency: Currency::Usd,
        })
    }

    /// The amount as a decimal string in major units, e.g. `12.50` (for display and logs;
    /// never parsed back by proxykit).
    pub fn to_decimal_string(&self) -> String {
        let exp = self.currency.exponent();
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let div = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = exp as usize
        )
    }
}

/// What to do with digits below the currency's minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round half to even, and report `exact: false` (the market's default).
    #[default]
    HalfEven,
    /// Fail with [`AmountError::TooPrecise`].
    Refuse,
}

/// A vendor amount converted to minor units, with the vendor's value kept beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    /// Minor units.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
    /// `false` when the vendor's value had digits below the minor unit and was rounded
    /// half to even.
    pub exact: bool,
    /// The vendor's value as received (a JSON number or string).
    pub raw: Value,
}

impl Amount {
    /// The [`Money`] part.
    pub fn money(&self) -> Money {
        Money {
            minor: self.minor,
            currency: self.currency,
        }
    }
}

/// Why a value is not an amount. Converted to the crate's [`Error`] with
/// [`AmountError::decode`] (a vendor reply) or [`AmountError::invalid`] (caller input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a JSON number or a decimal string (`null`, `true`, an object, …).
    NotANumber,
    /// A string that is not a plain decimal (`"NaN"`, `"1,5"`, `" 1"`, `"0x10"`, `""`).
    Malformed,
    /// NaN or an infinity (only reachable from an `f64`, never from JSON text).
    NotFinite,
    /// More digits below the minor unit than allowed, under [`Rounding::Refuse`].
    TooPrecise,
    /// Beyond ±(2^53 − 1) minor units, or more than 38 significant digits.
    OutOfRange,
    /// Negative where only ≥ 0 makes sense (a price).
    Negative,
}

impl AmountError {
    /// The rule broken, in plain words.
    pub fn rule(self) -> &'static str {
        match self {
            AmountError::NotANumber => "must be a number or a decimal string",
            AmountError::Malformed => "must be a plain decimal such as 12.5",
            AmountError::NotFinite => "must be a finite number",
            AmountError::TooPrecise => "has more decimals than the currency's minor unit",
            AmountError::OutOfRange => {
                "is out of range (more than 2^53 - 1 minor units or 38 significant digits)"
            }
            AmountError::Negative => "must not be negative",
        }
    }

    /// As a `decode` error of a vendor reply: `operation` is the `operationId`, `path` the
    /// JSON path of the value, `raw` the value (its start is kept as the snippet).
    pub fn decode(self, operation: &'static str, path: &str, raw: &Value) -> Error {
        Error::Decode {
            operation,
            status: 200,
            path: path.to_owned(),
            message: format!("amount {}", self.rule()),
            snippet: truncate_chars(&raw.to_string(), SNIPPET_CHARS),
        }
    }

    /// As an `invalid_input` error naming the caller's field.
    pub fn invalid(self, field: &str) -> Error {
        Error::invalid(field, self.rule())
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rule())
    }
}

impl std::error::Error for AmountError {}

/// An exact decimal: `(-1)^negative × coefficient × 10^exponent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// Sign (`true` for values below zero; `-0` is read as 0).
    pub negative: bool,
    /// The digits, at most 38 of them.
    pub coefficient: u128,
    /// Power of ten.
    pub exponent: i32,
}

/// Most significant digits kept exactly (10^38 < 2^128).
const MAX_DIGITS: usize = 38;
/// Exponents past this are refused before any arithmetic (no amount is 10^400 anything).
const MAX_EXPONENT: i64 = 400;

impl Decimal {
    /// Parses a plain decimal in JSON-number grammar: `-?digits(.digits)?([eE][+-]?digits)?`.
    /// No whitespace, `+` sign, leading `.`, trailing `.`, thousands separators, comma
    /// decimals, hex, `NaN` or `Infinity`. Leading zeros are tolerated (`"007.50"`) since a
    /// string amount is not JSON.
    pub fn parse(text: &str) -> Result<Decimal, AmountError> {
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_digits = crate::json::cut(text, int_start, i);
        if int_digits.is_empty() {
            return Err(AmountError::Malformed);
        }
        let mut frac_digits = "";
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            frac_digits = crate::json::cut(text, start, i);
            if frac_digits.is_empty() {
                return Err(AmountError::Malformed);
            }
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = crate::json::cut(text, start, i);
            if digits.is_empty() {
                return Err(AmountError::Malformed);
            }
            // More than 6 digits of exponent is out of range whatever they say.
            let trimmed = digits.trim_start_matches('0');
            if trimmed.len() > 6 {
                return Err(AmountError::OutOfRange);
            }
            let mut e: i64 = 0;
            for d in trimmed.bytes() {
                e = e * 10 + i64::from(d - b'0');
            }
            exp = if exp_negative { -e } else { e };
        }
        if i != b.len() {
            return Err(AmountError::Malformed);
        }
        // Significant digits: integer part then fraction, leading zeros dropped, trailing
        // zeros folded into the exponent.
        let all = int_digits.bytes().chain(frac_digits.bytes());
        let mut digits: Vec<u8> = all.skip_while(|d| *d == b'0').collect();
        let mut exponent = exp - frac_digits.len() as i64;
        while digits.last() == Some(&b'0') {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Ok(Decimal {
                negative: false,
                coefficient: 0,
                exponent: 0,
            });
        }
        if digits.len() > MAX_DIGITS {
            return Err(AmountError::OutOfRange);
        }
        if !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&exponent) {
            return Err(AmountError::OutOfRange);
        }
        let mut coefficient: u128 = 0;
        for d in digits {
            coefficient = coefficient * 10 + u128::from(d - b'0');
        }
        Ok(Decimal {
            negative,
            coefficient,
            // In range by the check above.
            exponent: exponent as i32,
        })
    }

    /// The decimal an `f64` stands for in its shortest round-trip form (`0.1` → `1e-1`,
    /// `0.1 + 0.2` → `3.0000000000000004e-1`): the text a vendor's JSON serializer wrote.
    pub fn from_f64(x: f64) -> Result<Decimal, AmountError> {
        if !x.is_finite() {
            return Err(AmountError::NotFinite);
        }
        // `{:e}` prints the shortest digits that read back as `x` (Rust's float printing is
        // shortest-round-trip, like ryu in serde_json and JavaScript's Number#toString).
        Decimal::parse(&format!("{x:e}"))
    }

    /// The decimal of a JSON value: an integer or float number, or a decimal string.
    pub fn from_json(v: &Value) -> Result<Decimal, AmountError> {
        match v {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Ok(Decimal {
                        negative: false,
                        coefficient: u128::from(u),
                        exponent: 0,
                    })
                } else if let Some(i) = n.as_i64() {
                    Ok(Decimal {
                        negative: i < 0,
                        coefficient: u128::from(i.unsigned_abs()),
                        exponent: 0,
                    })
                } else {
                    // serde_json without `arbitrary_precision` keeps an f64; its text form is
                    // the shortest round trip, which is what `from_f64` reads.
                    Decimal::from_f64(n.as_f64().ok_or(AmountError::NotANumber)?)
                }
            }
            Value::String(s) => Decimal::parse(s),
            _ => Err(AmountError::NotANumber),
        }
    }

    /// Minor units for a minor unit of `10^-scale`, rounded by `rounding`; the `bool` is
    /// whether no digit was dropped.
    pub fn to_minor(self, scale: u32, rounding: Rounding) -> Result<(i64, bool), AmountError> {
        let shift = i64::from(self.exponent) + i64::from(scale);
        let (magnitude, exact) = if self.coefficient == 0 {
            (0u128, true)
        } else if shift >= 0 {
            let factor = pow10(shift).ok_or(AmountError::OutOfRange)?;
            let m = self
                .coefficient
                .checked_mul(factor)
                .ok_or(AmountError::OutOfRange)?;
            (m, true)
        } else {
            let drop = -shift;
            match pow10(drop) {
                // The coefficient has at most 38 digits, so dividing by 10^39 or more
                // leaves 0 with a remainder below half a unit.
                None => (0, false),
                Some(div) => {
                    let q = self.coefficient / div;
                    let r = self.coefficient % div;
                    if r == 0 {
                        (q, true)
                    } else {
                        if rounding == Rounding::Refuse {
                            return Err(AmountError::TooPrecise);
                        }
                        // Half to even: compare 2r with div without overflow (r < div ≤
                        // 10^38, so 2r < 2^128).
                        let twice = r * 2;
                        let up = twice > div || (twice == div && q % 2 == 1);
                        (if up { q + 1 } else { q }, false)
                    }
                }
            }
        };
        if rounding == Rounding::Refuse && !exact {
            return Err(AmountError::TooPrecise);
        }
        if magnitude > u128::from(MAX_SAFE_INTEGER) {
            return Err(AmountError::OutOfRange);
        }
        // ≤ 2^53 − 1, so it fits an i64 either way round.
        let m = magnitude as i64;
        Ok((if self.negative { -m } else { m }, exact))
    }
}

/// 10^n as a u128, when it fits.
fn pow10(n: i64) -> Option<u128> {
    u32::try_from(n).ok().and_then(|n| 10u128.checked_pow(n))
}

/// A vendor amount (JSON number or decimal string) in `currency`, as minor units.
/// Negative values are allowed (use [`price`] for amounts that must be ≥ 0).
pub fn amount(v: &Value, currency: Currency, rounding: Rounding) -> Result<Amount, AmountError> {
    let d = Decimal::from_json(v)?;
    let (minor, exact) = d.to_minor(currency.exponent(), rounding)?;
    Ok(Amount {
        minor,
        currency,
        exact,
        raw: v.clone(),
    })
}

/// Like [`amount`], but a negative value is [`AmountError::Negative`] (prices, payments).
pub fn price(v: &Value, currency: Currency, rounding: Rounding) -> Result<Amount, AmountError> {
    let a = amount(v, currency, rounding)?;
    if a.minor < 0 || (a.minor == 0 && Decimal::from_json(v).is_ok_and(|d| d.negative)) {
        return Err(AmountError::Negative);
    }
    Ok(a)
}

/// An `f64` from a typed model (`Order::amount`) in `currency`: the same conversion as
/// [`amount`] on the number the vendor sent.
pub fn amount_f64(x: f64, currency: Currency, rounding: Rounding) -> Result<Amount, AmountError> {
    let d = Decimal::from_f64(x)?;
    let (minor, exact) = d.to_minor(currency.exponent(), rounding)?;
    let raw = serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null);
    Ok(Amount {
        minor,
        currency,
        exact,
        raw,
    })
}

/// ProxyShard money: an integer count of US cents (`proxyshard.md` §3). A fraction, a
/// string or a value beyond ±(2^53 − 1) is refused: the vendor documents integers.
pub fn shard_cents(v: &Value) -> Result<Amount, AmountError> {
    let cents = match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i,
            (None, Some(_)) => return Err(AmountError::OutOfRange),
            (None, None) => {
                // A float: only a whole one (`1250.0`) is accepted.
                let d = Decimal::from_json(v)?;
                d.to_minor(0, Rounding::Refuse)
                    .map_err(|e| match e {
                        AmountError::TooPrecise => AmountError::Malformed,
                        other => other,
                    })?
                    .0
            }
        },
        Value::String(_) => return Err(AmountError::NotANumber),
        _ => return Err(AmountError::NotANumber),
    };
    let m = Money::usd_cents(cents)?;
    Ok(Amount {
        minor: m.minor,
        currency: Currency::Usd,
        exact: true,
        raw: v.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minor(text: &str) -> Result<(i64, bool), AmountError> {
        Decimal::parse(text)?.to_minor(2, Rounding::HalfEven)
    }

    #[test]
    fn parses_plain_decimals() {
        assert_eq!(minor("3.62"), Ok((362, true)));
        assert_eq!(minor("0"), Ok((0, true)));
        assert_eq!(minor("-0.00"), Ok((0, true)));
        assert_eq!(minor("007.50"), Ok((750, true)));
        assert_eq!(minor("1e2"), Ok((10000, true)));
        assert_eq!(minor("1.5E+1"), Ok((1500, true)));
        assert_eq!(minor("100.000000"), Ok((10000, true)));
        for bad in [
            "", "-", ".5", "5.", "+1", " 1", "1 ", "1,5", "0x10", "NaN", "Infinity", "1e", "1e+",
            "--1", "1.2.3", "١",
        ] {
            assert_eq!(Decimal::parse(bad), Err(AmountError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn half_even_at_the_boundary() {
        assert_eq!(minor("1.005"), Ok((100, false)));
        assert_eq!(minor("1.015"), Ok((102, false)));
        assert_eq!(minor("1.0050000001"), Ok((101, false)));
        assert_eq!(minor("-1.005"), Ok((-100, false)));
        assert_eq!(minor("-1.015"), Ok((-102, false)));
        assert_eq!(minor("0.004"), Ok((0, false)));
        assert_eq!(minor("1e-7"), Ok((0, false)));
        assert_eq!(minor("5e-3"), Ok((0, false)));
        assert_eq!(minor("1.5e-2"), Ok((2, false)));
        // Far below a unit: no overflow in the divisor.
        assert_eq!(minor("9e-300"), Ok((0, false)));
        assert_eq!(
            Decimal::parse("1.005")
                .and_then(|d| d.to_minor(2, Rounding::Refuse))
                .unwrap_err(),
            AmountError::TooPrecise
        );
    }

    #[test]
    fn range_limits() {
        assert_eq!(
            minor("90071992547409.91"),
            Ok((9_007_199_254_740_991, true))
        );
        assert_eq!(minor("90071992547409.92"), Err(AmountError::OutOfRange));
        assert_eq!(minor("1e400"), Err(AmountError::OutOfRange));
        assert_eq!(minor("1e401"), Err(AmountError::OutOfRange));
        assert_eq!(minor("1e9999999999"), Err(AmountError::OutOfRange));
        assert_eq!(
            minor("123456789012345678901234567890123456789"),
            Err(AmountError::OutOfRange)
        );
        // Many digits, but trailing zeros fold into the exponent.
        assert_eq!(
            minor(&format!("1{}", "0".repeat(10))),
            Ok((1_000_000_000_000, true))
        );
        assert_eq!(minor(&format!("0.{}1", "0".repeat(60))), Ok((0, false)));
    }

    #[test]
    fn floats_use_their_shortest_text() {
        assert_eq!(Decimal::from_f64(f64::NAN), Err(AmountError::NotFinite));
        assert_eq!(
            Decimal::from_f64(f64::INFINITY),
            Err(AmountError::NotFinite)
        );
        let a = amount_f64(1.81, Currency::Usd, Rounding::HalfEven).unwrap();
        assert_eq!((a.minor, a.exact), (181, true));
        assert_eq!(a.raw, json!(1.81));
    }

    #[test]
    fn decimal_string_of_money() {
        let m = |minor| Money {
            minor,
            currency: Currency::Eur,
        };
        assert_eq!(m(1250).to_decimal_string(), "12.50");
        assert_eq!(m(-5).to_decimal_string(), "-0.05");
        assert_eq!(m(0).to_decimal_string(), "0.00");
    }
}
