//! Lenient decoding of answer fields.
//!
//! The page shows every field of an answer as `""`, and absent fields are
//! omitted. So every answer field is optional, and:
//!
//! - integers (amounts in fen, wallet ids, enumerations, counts) are a JSON
//!   number or a string of digits; `""` and `null` are `None`; anything
//!   else is a decode error naming the field;
//! - text (ids, order numbers, payment strings) is a string, or a number,
//!   boolean, object or array kept as its JSON text: it never fails;
//! - flags are `true`/`false`, `1`/`0` or their strings; anything else is
//!   `None`: it never fails;
//! - times are `yyyy-MM-dd HH:mm:ss` (optionally with a fraction of a
//!   second, which is dropped) at the client's offset, ISO-8601 with an
//!   offset, or unix seconds or milliseconds; anything else is a decode
//!   error naming the field.
//!
//! Under the `server` feature it also holds the provider's side: answer
//! times written as `yyyy-MM-dd HH:mm:ss` at the offset in force, and the
//! readers of request form fields (every form value is text: integers are
//! digits, structured parameters are JSON text).

use std::cell::Cell;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde_json::Value;
use walletbridge_core::date::{self, CHINA, DateTime, UtcOffset};
use walletbridge_core::money::Fen;

thread_local! {
    /// The offset `yyyy-MM-dd HH:mm:ss` times are read at, set by the client
    /// around the (synchronous) decoding of one answer.
    static OFFSET: Cell<UtcOffset> = const { Cell::new(CHINA) };
}

/// Runs `f` with answer times read at `offset`, restoring the previous offset
/// afterwards (also when `f` panics).
pub(crate) fn with_offset<T>(offset: UtcOffset, f: impl FnOnce() -> T) -> T {
    struct Restore(UtcOffset);
    impl Drop for Restore {
        fn drop(&mut self) {
            OFFSET.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OFFSET.with(|o| o.replace(offset)));
    f()
}

fn offset() -> UtcOffset {
    OFFSET.with(Cell::get)
}

const EXPECTED_INT: &str = "expected an integer (a number or a string of digits)";

/// An integer: a number or a string of digits; `""`/`null` are `None`.
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| D::Error::custom(EXPECTED_INT)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(D::Error::custom(EXPECTED_INT));
            }
            t.parse()
                .map(Some)
                .map_err(|_| D::Error::custom("integer out of range"))
        }
        _ => Err(D::Error::custom(EXPECTED_INT)),
    }
}

/// An amount in fen.
pub(crate) fn fen<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Fen>, D::Error> {
    Ok(int(d)?.map(Fen))
}

/// An integer enumeration.
pub(crate) fn code<'de, D, E>(d: D) -> Result<Option<E>, D::Error>
where
    D: Deserializer<'de>,
    E: From<i64>,
{
    Ok(int(d)?.map(E::from))
}

/// Text: a string as sent (`""` and `null` are `None`); any other JSON value
/// as its JSON text.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// A flag: `true`/`false`, `1`/`0`, or those as strings (also `Y`/`N`);
/// anything else is `None`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "y" | "yes" => Some(true),
            "false" | "0" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A time: `yyyy-MM-dd HH:mm:ss[.fff]` at the client's offset, ISO-8601, or
/// unix seconds or milliseconds.
pub(crate) fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_time(s.trim()).map(Some).map_err(D::Error::custom),
        Value::Number(n) => match n.as_i64() {
            Some(v) => unix(v).map(Some).map_err(D::Error::custom),
            None => Err(D::Error::custom("expected unix seconds or milliseconds")),
        },
        _ => Err(D::Error::custom(
            "expected a `yyyy-MM-dd HH:mm:ss` time as a string",
        )),
    }
}

pub(crate) fn parse_time(t: &str) -> Result<DateTime, String> {
    if let Ok(at) = date::parse_local(t, offset()) {
        return Ok(at);
    }
    // `2024-01-01 10:00:00.0` (a Java timestamp's text): the fraction is dropped.
    if let Some((whole, frac)) = t.split_once('.')
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && let Ok(at) = date::parse_local(whole, offset())
    {
        return Ok(at);
    }
    if let Ok(at) = date::parse_iso8601(t) {
        return Ok(at);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let v: i64 = t.parse().map_err(|_| format!("`{t}` is out of range"))?;
        return unix(v);
    }
    Err(format!("`{t}` is not a `yyyy-MM-dd HH:mm:ss` time"))
}

/// Ten digits or fewer are seconds (until the year 2286); more are milliseconds.
fn unix(v: i64) -> Result<DateTime, String> {
    let secs = if v.unsigned_abs() >= 100_000_000_000 {
        v.div_euclid(1000)
    } else {
        v
    };
    date::from_unix_seconds(secs).map(|at| at.to_offset(offset()))
}

/// Writes a time as `yyyy-MM-dd HH:mm:ss` at the offset in force (the
/// answer's wire form).
#[cfg(feature = "server")]
pub(crate) fn ser_time<S: serde::Serializer>(
    v: &Option<DateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(at) => s.serialize_str(&date::format_local(*at, offset())),
        None => s.serialize_none(),
    }
}

/// A required integer form field: digits (or a JSON number).
#[cfg(feature = "server")]
pub(crate) fn form_int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int(d)?.ok_or_else(|| D::Error::custom(EXPECTED_INT))
}

/// A required amount in fen, as a form field.
#[cfg(feature = "server")]
pub(crate) fn form_fen<'de, D: Deserializer<'de>>(d: D) -> Result<Fen, D::Error> {
    form_int(d).map(Fen)
}

/// An optional text form field (present means `Some`, even when empty).
#[cfg(feature = "server")]
pub(crate) fn form_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// A form field holding JSON text (`collect_req`, `agent_pay_req`,
/// `refund_list`), decoded into `T`; an error names the place inside the
/// JSON (`recievers[0].amount: ...`).
#[cfg(feature = "server")]
pub(crate) fn form_json<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let named = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            D::Error::custom(inner)
        } else {
            D::Error::custom(format!("{path}: {inner}"))
        }
    };
    match Value::deserialize(d)? {
        Value::String(text) => {
            let mut de = serde_json::Deserializer::from_str(&text);
            let value = serde_path_to_error::deserialize(&mut de).map_err(named)?;
            de.end().map_err(D::Error::custom)?;
            Ok(value)
        }
        other => serde_path_to_error::deserialize(other).map_err(named),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde::Deserialize;
    use walletbridge_core::date::UtcOffset;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "int")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "text")]
        s: Option<String>,
        #[serde(default, deserialize_with = "flag")]
        f: Option<bool>,
        #[serde(default, deserialize_with = "time")]
        t: Option<DateTime>,
    }

    fn t(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn integers_are_numbers_or_digits() {
        assert_eq!(t(r#"{"i":12}"#).unwrap().i, Some(12));
        assert_eq!(t(r#"{"i":"-12"}"#).unwrap().i, Some(-12));
        assert_eq!(t(r#"{"i":""}"#).unwrap().i, None);
        assert_eq!(t(r#"{"i":null}"#).unwrap().i, None);
        assert_eq!(t("{}").unwrap().i, None);
        for bad in [
            r#"{"i":"1e3"}"#,
            r#"{"i":1.5}"#,
            r#"{"i":"-"}"#,
            r#"{"i":"99999999999999999999"}"#,
            r#"{"i":[]}"#,
        ] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_never_fails() {
        assert_eq!(t(r#"{"s":"a"}"#).unwrap().s.as_deref(), Some("a"));
        assert_eq!(t(r#"{"s":7}"#).unwrap().s.as_deref(), Some("7"));
        assert_eq!(
            t(r#"{"s":{"appid":"wx1"}}"#).unwrap().s.as_deref(),
            Some(r#"{"appid":"wx1"}"#)
        );
        assert_eq!(t(r#"{"s":""}"#).unwrap().s, None);
        assert_eq!(t(r#"{"f":"1"}"#).unwrap().f, Some(true));
        assert_eq!(t(r#"{"f":false}"#).unwrap().f, Some(false));
        assert_eq!(t(r#"{"f":"maybe"}"#).unwrap().f, None);
    }

    #[test]
    fn times_read_at_the_offset_in_force() {
        let at = t(r#"{"t":"2024-01-01 10:00:00"}"#).unwrap().t.unwrap();
        assert_eq!(at.unix_timestamp(), 1_704_074_400);
        let utc = with_offset(UtcOffset::UTC, || {
            t(r#"{"t":"2024-01-01 10:00:00.0"}"#).unwrap().t.unwrap()
        });
        assert_eq!(utc.unix_timestamp(), 1_704_103_200);
        // the default is back
        let again = t(r#"{"t":"2024-01-01 10:00:00"}"#).unwrap().t.unwrap();
        assert_eq!(again, at);
        assert_eq!(
            t(r#"{"t":1704074400000}"#)
                .unwrap()
                .t
                .unwrap()
                .unix_timestamp(),
            1_704_074_400
        );
        assert_eq!(
            t(r#"{"t":"1704074400"}"#)
                .unwrap()
                .t
                .unwrap()
                .unix_timestamp(),
            1_704_074_400
        );
        assert!(
            t(r#"{"t":"2024-01-01T10:00:00+08:00"}"#)
                .unwrap()
                .t
                .is_some()
        );
        assert_eq!(t(r#"{"t":""}"#).unwrap().t, None);
        let err = t(r#"{"t":"yesterday"}"#).unwrap_err().to_string();
        assert!(err.contains("yyyy-MM-dd HH:mm:ss"), "{err}");
        assert!(t(r#"{"t":"2024-01-01 10:00:00.x"}"#).is_err());
        assert!(t(r#"{"t":true}"#).is_err());
    }
}
