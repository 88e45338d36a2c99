//! Money: `Decimal` amounts, integer fen, and serde helpers for the wire formats
//! the providers use. Nothing here ever goes through a float on the public side,
//! and nothing is rounded: a value finer than the field allows is an error.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::error::{Error, Result};

/// An amount in fen (1/100 yuan), as the senior wallet sends it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// Converts yuan to fen; more than two decimals is an error, never rounded.
    pub fn from_yuan(field: &str, yuan: Decimal) -> Result<Self> {
        check_scale(field, yuan, 2)?;
        yuan.checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|fen| i64::try_from(fen).ok())
            .map(Fen)
            .ok_or_else(|| Error::validation(field, "amount out of range"))
    }

    /// The amount in yuan, with two decimals.
    pub fn to_yuan(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// The value in fen.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fen", self.0)
    }
}

/// Checks that `value` has at most `max_scale` decimals (trailing zeros do not count).
///
/// ```
/// use rust_decimal::Decimal;
/// use walletbridge_core::money::check_scale;
/// assert!(check_scale("cash_amt", Decimal::new(1050, 2), 2).is_ok());
/// assert!(check_scale("cash_amt", Decimal::new(1005, 3), 2).is_err());
/// ```
pub fn check_scale(field: &str, value: Decimal, max_scale: u32) -> Result<()> {
    if value.normalize().scale() > max_scale {
        return Err(Error::validation(
            field,
            format!("at most {max_scale} decimal places allowed, got {value}"),
        ));
    }
    Ok(())
}

/// Checks that `value` is strictly positive.
pub fn check_positive(field: &str, value: Decimal) -> Result<()> {
    if value <= Decimal::ZERO {
        return Err(Error::validation(
            field,
            format!("must be greater than 0, got {value}"),
        ));
    }
    Ok(())
}

/// Checks that `value` is zero or more.
pub fn check_non_negative(field: &str, value: Decimal) -> Result<()> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::validation(
            field,
            format!("must not be negative, got {value}"),
        ));
    }
    Ok(())
}

/// Formats `value` with exactly `scale` decimals, refusing values finer than that.
pub fn to_fixed(value: Decimal, scale: u32) -> Result<String, String> {
    if value.normalize().scale() > scale {
        return Err(format!("{value} has more than {scale} decimal places"));
    }
    let mut v = value;
    v.rescale(scale);
    // `rescale` keeps a smaller scale when the digits would not fit.
    if v.scale() != scale {
        return Err(format!(
            "{value} cannot be written with {scale} decimal places"
        ));
    }
    Ok(v.to_string())
}

/// Parses a decimal string exactly, refusing more than `max_scale` decimals.
///
/// Accepts an optional sign, digits and an optional fraction (`-12.50`,
/// `.5`); the value keeps the scale it was written with. A value that a
/// `Decimal` cannot hold exactly (more than 28 decimals, or out of range) is
/// an error, never rounded.
pub fn parse_decimal(text: &str, max_scale: Option<u32>) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty amount".into());
    }
    let v = exact_decimal(t, false)?;
    check_max_scale(t, v, max_scale)
}

fn check_max_scale(t: &str, v: Decimal, max_scale: Option<u32>) -> Result<Decimal, String> {
    if let Some(max) = max_scale
        && v.normalize().scale() > max
    {
        return Err(format!("`{t}` has more than {max} decimal places"));
    }
    Ok(v)
}

/// The largest scale a `Decimal` holds.
const MAX_SCALE: u32 = 28;

/// Reads `[+-]digits[.digits]` (and, for JSON number text, an exponent)
/// into a `Decimal` without any rounding.
fn exact_decimal(t: &str, allow_exponent: bool) -> Result<Decimal, String> {
    let not_a_number = || format!("`{t}` is not a decimal number");
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(i) if allow_exponent => {
            let exp = &rest[i + 1..];
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(not_a_number());
            }
            // Exponents beyond what a Decimal can hold are out of range anyway.
            let exp: i64 = exp
                .parse()
                .map_err(|_| format!("`{t}` is out of range for an amount"))?;
            (&rest[..i], exp)
        }
        _ => (rest, 0),
    };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(not_a_number());
    }
    let out_of_range = || format!("`{t}` is out of range for an amount");
    // value = digits * 10^-scale
    let mut digits: String = format!("{int}{frac}").trim_start_matches('0').to_owned();
    let frac_len = i64::try_from(frac.len()).map_err(|_| out_of_range())?;
    let mut scale = frac_len.checked_sub(exponent).ok_or_else(out_of_range)?;
    if digits.is_empty() {
        // Zero, at the scale written (capped).
        let s = u32::try_from(scale.clamp(0, i64::from(MAX_SCALE))).unwrap_or(0);
        return Ok(Decimal::new(0, s));
    }
    // Trailing zeros past what a Decimal holds are not precision: drop them.
    while scale > 0 && digits.ends_with('0') && (scale > i64::from(MAX_SCALE) || digits.len() > 29)
    {
        digits.pop();
        scale -= 1;
    }
    if scale > i64::from(MAX_SCALE) {
        return Err(format!(
            "`{t}` has more than {MAX_SCALE} decimal places and cannot be held exactly"
        ));
    }
    if scale < 0 {
        let zeros = usize::try_from(-scale).map_err(|_| out_of_range())?;
        if digits.len().saturating_add(zeros) > 29 {
            return Err(out_of_range());
        }
        digits.extend(std::iter::repeat_n('0', zeros));
        scale = 0;
    }
    if digits.len() > 29 {
        return Err(out_of_range());
    }
    let mantissa: i128 = digits.parse().map_err(|_| out_of_range())?;
    let mantissa = if negative { -mantissa } else { mantissa };
    let scale = u32::try_from(scale).map_err(|_| out_of_range())?;
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| out_of_range())
}

// Without the exact text, serde_json hands numbers with a fraction over as
// f64 (numbers buffered by `#[serde(flatten)]`, or read from a
// `serde_json::Value`). Rust prints an f64 as the shortest text that reads back
// to the same f64, which is the text the provider wrote for any amount of up
// to 15 significant digits; parsing that text gives the exact decimal, not the
// float's binary approximation. Longer amounts may have lost digits already:
// they are refused.
fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err("amount is not a finite number".into());
    }
    let text = format!("{v}");
    let significant = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|b| *b == b'0')
        .collect::<Vec<u8>>();
    let significant =
        significant.len() - significant.iter().rev().take_while(|b| **b == b'0').count();
    if significant > 15 {
        return Err(format!(
            "the amount {v} was read as a binary float and may have lost digits; \
             decode the answer from its text"
        ));
    }
    exact_decimal(&text, false).map_err(|e| format!("amount {v}: {e}"))
}

// serde_json's private names for a value's exact text: with the `raw_value`
// feature, asking for a newtype struct of this name hands over the raw JSON
// text of the value; with `arbitrary_precision`, numbers arrive as a one-entry
// map under the number name. Other deserializers ignore the name.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

#[derive(Clone, Copy)]
struct DecimalVisitor {
    max_scale: Option<u32>,
    accept_number: bool,
    accept_string: bool,
    /// `""` (or blanks) reads as `None` instead of an error.
    empty_is_none: bool,
}

impl DecimalVisitor {
    fn scale_ok<E: de::Error>(&self, v: Decimal) -> Result<Decimal, E> {
        match self.max_scale {
            Some(max) if v.normalize().scale() > max => {
                Err(E::custom(format!("{v} has more than {max} decimal places")))
            }
            _ => Ok(v),
        }
    }
}

impl DecimalVisitor {
    /// A value given as its exact JSON text.
    fn read_json_text<E: de::Error>(self, raw: &str) -> Result<Option<Decimal>, E> {
        let raw = raw.trim();
        match raw.as_bytes().first() {
            Some(b'"') => {
                let s: String = serde_json::from_str(raw).map_err(E::custom)?;
                de::Visitor::visit_str(self, &s)
            }
            Some(b'-' | b'0'..=b'9') => self.read_number_text(raw),
            Some(b't') => Err(E::invalid_type(de::Unexpected::Bool(true), &self)),
            Some(b'f') => Err(E::invalid_type(de::Unexpected::Bool(false), &self)),
            Some(b'n') => Err(E::invalid_type(de::Unexpected::Unit, &self)),
            Some(b'[') => Err(E::invalid_type(de::Unexpected::Seq, &self)),
            _ => Err(E::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    /// A JSON number given as its exact text.
    fn read_number_text<E: de::Error>(self, text: &str) -> Result<Option<Decimal>, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Other("number"), &self));
        }
        let d = exact_decimal(text, true).map_err(E::custom)?;
        self.scale_ok(d).map(Some)
    }
}

impl<'de> de::Visitor<'de> for DecimalVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.accept_string, self.accept_number) {
            (true, false) => f.write_str("a decimal amount as a string"),
            (false, true) => f.write_str("a decimal amount as a number"),
            _ => f.write_str("a decimal amount as a string or number"),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Decimal>, E> {
        if !self.accept_string {
            return Err(E::invalid_type(de::Unexpected::Str(v), &self));
        }
        if self.empty_is_none && v.trim().is_empty() {
            return Ok(None);
        }
        parse_decimal(v, self.max_scale)
            .map(Some)
            .map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Decimal>, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Signed(v), &self));
        }
        Ok(Some(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Decimal>, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Unsigned(v), &self));
        }
        Ok(Some(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Decimal>, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Float(v), &self));
        }
        let d = decimal_from_f64(v).map_err(E::custom)?;
        self.scale_ok(d).map(Some)
    }

    // Deserializers that do not know serde_json's raw-value name.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_any(self)
    }

    // serde_json's exact text of the value (raw value or arbitrary-precision number).
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Option<Decimal>, A::Error> {
        let key: Option<std::borrow::Cow<'de, str>> = map.next_key()?;
        match key.as_deref() {
            Some(RAW_VALUE_TOKEN) => {
                let raw: std::borrow::Cow<'de, str> = map.next_value()?;
                self.read_json_text(&raw)
            }
            Some(NUMBER_TOKEN) => {
                let raw: std::borrow::Cow<'de, str> = map.next_value()?;
                self.read_number_text(&raw)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

fn deserialize_decimal<'de, D: Deserializer<'de>>(
    d: D,
    max_scale: Option<u32>,
    accept_string: bool,
    accept_number: bool,
) -> Result<Decimal, D::Error> {
    let visitor = DecimalVisitor {
        max_scale,
        accept_number,
        accept_string,
        empty_is_none: false,
    };
    d.deserialize_newtype_struct(RAW_VALUE_TOKEN, visitor)?
        .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Str(""), &visitor))
}

fn serialize_number<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    // The decimal's own digits as the JSON number's text, never through f64:
    // any precision is written exactly. (serde_json writes a raw value as is;
    // the wire formats here are all JSON.)
    serde_json::value::RawValue::from_string(value.to_string())
        .map_err(S::Error::custom)?
        .serialize(s)
}

macro_rules! fixed_scale_module {
    ($name:ident, $scale:expr, $doc:expr) => {
        #[doc = $doc]
        pub mod $name {
            use super::*;

            /// Serializes with exactly this many decimals; a finer value is an error.
            pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error as _;
                s.serialize_str(&to_fixed(*value, $scale).map_err(S::Error::custom)?)
            }

            /// Reads a decimal string with at most this many decimals.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
                deserialize_decimal(d, Some($scale), true, false)
            }

            /// The same for `Option<Decimal>`, with `null` or absence as `None`.
            pub mod option {
                use super::*;

                /// Serializes `Some` as a fixed-scale string and `None` as null.
                pub fn serialize<S: Serializer>(
                    value: &Option<Decimal>,
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(v) => super::serialize(v, s),
                        None => s.serialize_none(),
                    }
                }

                /// Reads an optional fixed-scale decimal string; `""` counts as absent.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<Decimal>, D::Error> {
                    match Option::<String>::deserialize(d)? {
                        None => Ok(None),
                        Some(s) if s.trim().is_empty() => Ok(None),
                        Some(s) => parse_decimal(&s, Some($scale))
                            .map(Some)
                            .map_err(de::Error::custom),
                    }
                }
            }
        }
    };
}

fixed_scale_module!(
    string2,
    2,
    "Amounts as JSON strings with exactly two decimals (`\"0.10\"`), as Adapay sends yuan."
);

/// Amounts as JSON numbers (`100.5`), as GSalary sends them. Reading accepts a
/// number or a numeric string; writing puts the decimal's own digits in the
/// JSON text (`0.10` stays `0.10`, 28 digits stay 28 digits), never a float.
pub mod number {
    use super::*;

    /// Serializes as a JSON number.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serialize_number(value, s)
    }

    /// Reads a number or numeric string exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        deserialize_decimal(d, None, true, true)
    }

    /// The same for `Option<Decimal>`.
    pub mod option {
        use super::*;

        /// Serializes `Some` as a number and `None` as null.
        pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => serialize_number(v, s),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional number or numeric string; null and `""` are `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            let v = Option::<Lenient>::deserialize(d)?;
            Ok(v.and_then(|l| l.0))
        }
    }
}

/// Amounts that arrive as strings (`"315.000"`) or numbers (`315`), written back
/// as strings. For answers whose providers are inconsistent about the type.
pub mod lenient {
    use super::*;

    /// Serializes as a decimal string.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    /// Reads a string or a number exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        deserialize_decimal(d, None, true, true)
    }

    /// The same for `Option<Decimal>`.
    pub mod option {
        use super::*;

        /// Serializes `Some` as a string and `None` as null.
        pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => s.serialize_str(&v.to_string()),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional string or number; null and `""` are `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            let v = Option::<Lenient>::deserialize(d)?;
            Ok(v.and_then(|l| l.0))
        }
    }
}

/// A decimal read from a string or number, with `""` as absent.
struct Lenient(Option<Decimal>);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let visitor = DecimalVisitor {
            max_scale: None,
            accept_number: true,
            accept_string: true,
            empty_is_none: true,
        };
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, visitor)
            .map(Lenient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::str::FromStr;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Cash {
        #[serde(with = "string2")]
        cash_amt: Decimal,
        #[serde(
            with = "string2::option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        fee_amt: Option<Decimal>,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Balance {
        #[serde(with = "number")]
        amount: Decimal,
        #[serde(with = "number::option", default)]
        available: Option<Decimal>,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Loose {
        #[serde(with = "lenient")]
        money: Decimal,
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn string2_writes_exactly_two_decimals() {
        let c = Cash {
            cash_amt: d("0.1"),
            fee_amt: Some(d("3")),
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"cash_amt":"0.10","fee_amt":"3.00"}"#
        );
        let back: Cash = serde_json::from_str(r#"{"cash_amt":"0.10","fee_amt":"3.00"}"#).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn string2_rejects_finer_values_both_ways() {
        let c = Cash {
            cash_amt: d("0.105"),
            fee_amt: None,
        };
        let err = serde_json::to_string(&c).unwrap_err().to_string();
        assert!(err.contains("more than 2 decimal places"), "{err}");
        let err = serde_json::from_str::<Cash>(r#"{"cash_amt":"0.105"}"#).unwrap_err();
        assert!(err.to_string().contains("more than 2"), "{err}");
        // trailing zeros beyond the scale are not extra precision
        let ok: Cash = serde_json::from_str(r#"{"cash_amt":"0.100"}"#).unwrap();
        assert_eq!(ok.cash_amt, d("0.1"));
    }

    #[test]
    fn string2_rejects_non_numbers_and_numbers() {
        assert!(serde_json::from_str::<Cash>(r#"{"cash_amt":"abc"}"#).is_err());
        assert!(serde_json::from_str::<Cash>(r#"{"cash_amt":""}"#).is_err());
        assert!(serde_json::from_str::<Cash>(r#"{"cash_amt":0.1}"#).is_err());
        let c: Cash = serde_json::from_str(r#"{"cash_amt":"1.00","fee_amt":""}"#).unwrap();
        assert_eq!(c.fee_amt, None);
    }

    #[test]
    fn numbers_read_exactly_not_as_binary_floats() {
        let b: Balance =
            serde_json::from_value(json!({"amount": 0.1, "available": 800.00})).unwrap();
        assert_eq!(b.amount, d("0.1"));
        assert_eq!(b.available, Some(d("800")));
        let b: Balance = serde_json::from_str(r#"{"amount": 1234567.89}"#).unwrap();
        assert_eq!(b.amount.to_string(), "1234567.89");
        let b: Balance = serde_json::from_str(r#"{"amount": "12.345"}"#).unwrap();
        assert_eq!(b.amount, d("12.345"));
        assert!(serde_json::from_str::<Balance>(r#"{"amount": true}"#).is_err());
    }

    #[test]
    fn numbers_are_written_with_their_own_digits() {
        let b = Balance {
            amount: d("100.50"),
            available: None,
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"amount":100.50,"available":null}"#
        );
        let b = Balance {
            amount: d("7"),
            available: Some(d("0.01")),
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"amount":7,"available":0.01}"#
        );
        // Beyond what an f64 carries, and read back to the same decimal.
        let b = Balance {
            amount: d("1234567890123456789.0123456789"),
            available: Some(d("-0.12345678901234567891")),
        };
        let text = serde_json::to_string(&b).unwrap();
        assert_eq!(
            text,
            r#"{"amount":1234567890123456789.0123456789,"available":-0.12345678901234567891}"#
        );
        let back: Balance = serde_json::from_str(&text).unwrap();
        assert_eq!(back.amount, b.amount);
        assert_eq!(back.available, b.available);
    }

    #[test]
    fn lenient_accepts_strings_and_numbers() {
        let a: Loose = serde_json::from_str(r#"{"money":"315.000"}"#).unwrap();
        let b: Loose = serde_json::from_str(r#"{"money":315}"#).unwrap();
        assert_eq!(a.money, b.money);
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"money":"315.000"}"#);
        assert!(serde_json::from_str::<Loose>(r#"{"money":"1,5"}"#).is_err());
    }

    #[test]
    fn fen_conversions_refuse_sub_fen() {
        assert_eq!(Fen::from_yuan("amount", d("12.34")).unwrap(), Fen(1234));
        assert_eq!(Fen(1234).to_yuan(), d("12.34"));
        let err = Fen::from_yuan("amount", d("0.001")).unwrap_err();
        assert!(err.to_string().contains("`amount`"), "{err}");
        assert_eq!(serde_json::to_string(&Fen(5)).unwrap(), "5");
    }

    #[test]
    fn long_numbers_keep_every_digit() {
        let text =
            r#"{"amount": 12345678901234567.89, "available": -0.000000000000000000000000001}"#;
        let from_str: Balance = serde_json::from_str(text).unwrap();
        let from_slice: Balance = serde_json::from_slice(text.as_bytes()).unwrap();
        let from_reader: Balance = serde_json::from_reader(text.as_bytes()).unwrap();
        let de = &mut serde_json::Deserializer::from_str(text);
        let tracked: Balance = serde_path_to_error::deserialize(de).unwrap();
        for b in [&from_str, &from_slice, &from_reader, &tracked] {
            assert_eq!(b.amount.to_string(), "12345678901234567.89");
            assert_eq!(b.available, Some(d("-0.000000000000000000000000001")));
        }
        let loose: Loose = serde_json::from_str(r#"{"money": 98765432109876543.21}"#).unwrap();
        assert_eq!(loose.money.to_string(), "98765432109876543.21");
        #[derive(Deserialize)]
        struct Opt {
            #[serde(with = "lenient::option", default)]
            a: Option<Decimal>,
            #[serde(with = "lenient::option", default)]
            b: Option<Decimal>,
            #[serde(with = "lenient::option", default)]
            c: Option<Decimal>,
        }
        let o: Opt =
            serde_json::from_str(r#"{"a": 1234567890123456789.01, "b": "", "c": null}"#).unwrap();
        assert_eq!(o.a, Some(d("1234567890123456789.01")));
        assert_eq!((o.b, o.c), (None, None));
        // Exponents in JSON numbers are read exactly too.
        let b: Balance = serde_json::from_str(r#"{"amount": 1.25E+3}"#).unwrap();
        assert_eq!(b.amount, d("1250"));
        let b: Balance = serde_json::from_str(r#"{"amount": 125e-2}"#).unwrap();
        assert_eq!(b.amount, d("1.25"));
    }

    #[test]
    fn decode_errors_point_at_the_field() {
        let text = r#"{"amount": 1.5, "available": true}"#;
        let de = &mut serde_json::Deserializer::from_str(text);
        let err = serde_path_to_error::deserialize::<_, Balance>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "available");
        let de = &mut serde_json::Deserializer::from_str(r#"{"cash_amt": 0.1}"#);
        let err = serde_path_to_error::deserialize::<_, Cash>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "cash_amt");
        assert!(
            err.to_string()
                .contains("expected a decimal amount as a string"),
            "{err}"
        );
        assert!(serde_json::from_str::<Balance>(r#"{"amount": {"x": 1}}"#).is_err());
        assert!(serde_json::from_str::<Balance>(r#"{"amount": [1]}"#).is_err());
        assert!(serde_json::from_str::<Balance>(r#"{"amount": null}"#).is_err());
    }

    // Numbers that reach the decoder as f64 (buffered by `flatten`, or read
    // from a `Value`) are exact up to 15 digits; longer ones are refused
    // rather than read wrong.
    #[test]
    fn buffered_numbers_are_exact_or_refused() {
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Balance,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        let o: Outer = serde_json::from_str(r#"{"amount": 1234567.89, "x": 1}"#).unwrap();
        assert_eq!(o.inner.amount.to_string(), "1234567.89");
        assert!(o.rest.contains_key("x"));
        let err = serde_json::from_str::<Outer>(r#"{"amount": 12345678901234567.89}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("may have lost digits"), "{err}");
        let v: Balance = serde_json::from_value(json!({"amount": 0.1})).unwrap();
        assert_eq!(v.amount, d("0.1"));
    }

    #[test]
    fn exact_parsing_never_rounds() {
        assert_eq!(
            parse_decimal("315.000", None).unwrap().to_string(),
            "315.000"
        );
        assert_eq!(parse_decimal("-.5", None).unwrap(), d("-0.5"));
        assert_eq!(parse_decimal("+7.", None).unwrap(), d("7"));
        // 29 decimals cannot be held: refused, not rounded.
        assert!(parse_decimal("0.12345678901234567890123456789", None).is_err());
        // ... unless the extra ones are trailing zeros.
        assert_eq!(
            parse_decimal("1.00000000000000000000000000000000", None).unwrap(),
            Decimal::ONE
        );
        assert!(parse_decimal("79228162514264337593543950336", None).is_err());
        assert_eq!(
            parse_decimal("79228162514264337593543950335", None).unwrap(),
            Decimal::MAX
        );
        for bad in ["1_000", "1e5", "0x10", "1.2.3", ".", "-", "++1", "１２"] {
            assert!(parse_decimal(bad, None).is_err(), "{bad}");
        }
        assert!(exact_decimal("1e99999999999999999999", true).is_err());
        assert!(exact_decimal("1e-99999999999999999999", true).is_err());
        assert_eq!(exact_decimal("0e-99999", true).unwrap(), Decimal::ZERO);
    }

    #[test]
    fn huge_values_are_errors_not_panics() {
        let err = Fen::from_yuan("amount", Decimal::MAX).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        assert!(Fen::from_yuan("amount", Decimal::MIN).is_err());
        assert!(Fen::from_yuan("amount", d("92233720368547758.08")).is_err());
        assert_eq!(
            Fen::from_yuan("amount", d("92233720368547758.07")).unwrap(),
            Fen(i64::MAX)
        );
        assert!(to_fixed(Decimal::MAX, 2).is_err());
        assert_eq!(to_fixed(d("1.5"), 2).unwrap(), "1.50");
    }

    #[test]
    fn positivity_checks_name_the_field() {
        assert!(check_positive("cash_amt", d("0.01")).is_ok());
        let e = check_positive("cash_amt", Decimal::ZERO).unwrap_err();
        assert!(e.to_string().contains("cash_amt"));
        assert!(check_non_negative("fee", d("-0.01")).is_err());
        assert!(check_non_negative("fee", Decimal::ZERO).is_ok());
    }
}
