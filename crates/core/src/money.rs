//! Money: `Decimal` amounts, integer fen, and serde helpers for the wire formats
//! the providers use. Nothing here ever goes through a float on the public side,
//! and nothing is rounded: a value finer than the field allows is an error.

use std::fmt;
use std::str::FromStr;

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
        let fen = yuan * Decimal::ONE_HUNDRED;
        i64::try_from(fen)
            .map(Fen)
            .map_err(|_| Error::validation(field, "amount out of range"))
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
    Ok(v.to_string())
}

/// Parses a decimal string exactly, refusing more than `max_scale` decimals.
pub fn parse_decimal(text: &str, max_scale: Option<u32>) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty amount".into());
    }
    let v = Decimal::from_str(t).map_err(|e| format!("`{t}` is not a decimal number: {e}"))?;
    if let Some(max) = max_scale
        && v.normalize().scale() > max
    {
        return Err(format!("`{t}` has more than {max} decimal places"));
    }
    Ok(v)
}

// serde_json hands numbers with a fraction over as f64. Rust prints an f64 as
// the shortest text that reads back to the same f64, which is the text the
// provider wrote for any amount of up to 15 significant digits; parsing that
// text gives the exact decimal, not the float's binary approximation.
fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err("amount is not a finite number".into());
    }
    Decimal::from_str(&format!("{v}")).map_err(|e| format!("amount {v} out of range: {e}"))
}

struct DecimalVisitor {
    max_scale: Option<u32>,
    accept_number: bool,
    accept_string: bool,
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

impl de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.accept_string, self.accept_number) {
            (true, false) => f.write_str("a decimal amount as a string"),
            (false, true) => f.write_str("a decimal amount as a number"),
            _ => f.write_str("a decimal amount as a string or number"),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        if !self.accept_string {
            return Err(E::invalid_type(de::Unexpected::Str(v), &self));
        }
        parse_decimal(v, self.max_scale).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Signed(v), &self));
        }
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Unsigned(v), &self));
        }
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !self.accept_number {
            return Err(E::invalid_type(de::Unexpected::Float(v), &self));
        }
        let d = decimal_from_f64(v).map_err(E::custom)?;
        self.scale_ok(d)
    }
}

fn deserialize_decimal<'de, D: Deserializer<'de>>(
    d: D,
    max_scale: Option<u32>,
    accept_string: bool,
    accept_number: bool,
) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor {
        max_scale,
        accept_number,
        accept_string,
    })
}

fn serialize_number<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    if value.fract().is_zero()
        && let Ok(i) = i64::try_from(value.trunc())
    {
        return s.serialize_i64(i);
    }
    // A JSON number with a fraction can only be written through f64 here; write
    // it only when the f64 prints back as exactly this decimal.
    let f: f64 = value
        .to_string()
        .parse()
        .map_err(|_| S::Error::custom("amount is not a number"))?;
    match decimal_from_f64(f) {
        Ok(back) if back == *value => s.serialize_f64(f),
        _ => Err(S::Error::custom(format!(
            "{value} cannot be written exactly as a JSON number"
        ))),
    }
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
/// number or a numeric string; writing refuses a value that a JSON number
/// cannot carry exactly.
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
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount as a string or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient, E> {
                if v.trim().is_empty() {
                    return Ok(Lenient(None));
                }
                parse_decimal(v, None)
                    .map(|d| Lenient(Some(d)))
                    .map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(Some(Decimal::from(v))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(Some(Decimal::from(v))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Lenient, E> {
                decimal_from_f64(v)
                    .map(|d| Lenient(Some(d)))
                    .map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn numbers_write_exactly_or_refuse() {
        let b = Balance {
            amount: d("100.50"),
            available: None,
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"amount":100.5,"available":null}"#
        );
        let b = Balance {
            amount: d("7"),
            available: Some(d("0.01")),
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"amount":7,"available":0.01}"#
        );
        let b = Balance {
            amount: d("0.12345678901234567891"),
            available: None,
        };
        assert!(serde_json::to_string(&b).is_err());
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
    fn positivity_checks_name_the_field() {
        assert!(check_positive("cash_amt", d("0.01")).is_ok());
        let e = check_positive("cash_amt", Decimal::ZERO).unwrap_err();
        assert!(e.to_string().contains("cash_amt"));
        assert!(check_non_negative("fee", d("-0.01")).is_err());
        assert!(check_non_negative("fee", Decimal::ZERO).is_ok());
    }
}
