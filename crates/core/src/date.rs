//! Dates and times on the wire, on one crate: [`time`].
//!
//! `time` was chosen over `chrono` and `jiff` because it is small, has no
//! system time-zone database lookups (the providers send fixed offsets or
//! none), parses and formats from compile-time-checked descriptions, and its
//! `OffsetDateTime` always carries an offset, so a time is never silently
//! read in the machine's zone. See `docs/architecture.md`.
//!
//! The providers use three forms, each with a serde helper module here:
//!
//! | form | module | example |
//! |---|---|---|
//! | ISO-8601 / RFC 3339 | [`iso8601`] | `2024-03-04T10:00:00+08:00` |
//! | `yyyy-MM-dd HH:mm:ss` in a stated offset | [`china`] (+08:00) or [`parse_local`] / [`format_local`] with any offset | `2024-03-04 10:00:00` |
//! | unix seconds | [`unix_seconds`] | `1763538936` |
//!
//! Where a page does not say which form a field takes, models use
//! [`WireTime`], which keeps the received text and a parsed time when one of
//! the forms fits.
//!
//! ```
//! use walletbridge_core::date::{self, DateTime};
//! #[derive(serde::Deserialize)]
//! struct Order {
//!     #[serde(with = "date::china")]
//!     create_at: DateTime,
//!     #[serde(with = "date::unix_seconds::option", default)]
//!     pay_at: Option<DateTime>,
//! }
//! let o: Order = serde_json::from_str(r#"{"create_at":"2025-11-19 15:55:28","pay_at":1763538936}"#).unwrap();
//! assert_eq!(o.create_at.unix_timestamp(), 1763538928);
//! assert_eq!(o.pay_at.unwrap().unix_timestamp(), 1763538936);
//! ```

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::macros::{format_description, offset};

pub use time::{Date, OffsetDateTime, UtcOffset};

/// A point in time with its offset.
pub type DateTime = OffsetDateTime;

/// The offset the Chinese providers' pages mean when they give none: +08:00.
pub const CHINA: UtcOffset = offset!(+8);

const LOCAL: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const COMPACT: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year][month][day][hour][minute][second]");
const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// Parses ISO-8601 (RFC 3339 first: `2024-03-04T10:00:00Z`,
/// `2024-03-04T10:00:00.123+08:00`).
pub fn parse_iso8601(text: &str) -> Result<DateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .map_err(|e| format!("`{text}` is not an ISO-8601 time with an offset: {e}"))
}

/// Formats as RFC 3339 (`2024-03-04T10:00:00+08:00`).
pub fn format_iso8601(at: DateTime) -> String {
    // RFC 3339 formatting fails only for years outside 0..=9999.
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Parses `yyyy-MM-dd HH:mm:ss` as a time in `offset`.
pub fn parse_local(text: &str, offset: UtcOffset) -> Result<DateTime, String> {
    time::PrimitiveDateTime::parse(text, LOCAL)
        .map(|t| t.assume_offset(offset))
        .map_err(|e| format!("`{text}` is not a `yyyy-MM-dd HH:mm:ss` time: {e}"))
}

/// Formats as `yyyy-MM-dd HH:mm:ss` in `offset`.
pub fn format_local(at: DateTime, offset: UtcOffset) -> String {
    let t = at.to_offset(offset);
    t.format(LOCAL).unwrap_or_else(|_| t.to_string())
}

/// Parses `yyyy-MM-dd`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, DAY).map_err(|e| format!("`{text}` is not a `yyyy-MM-dd` date: {e}"))
}

/// Formats as `yyyy-MM-dd`.
pub fn format_date(day: Date) -> String {
    day.format(DAY).unwrap_or_else(|_| day.to_string())
}

/// The time `secs` seconds after the Unix epoch, in UTC.
pub fn from_unix_seconds(secs: i64) -> Result<DateTime, String> {
    OffsetDateTime::from_unix_timestamp(secs).map_err(|e| format!("{secs} is out of range: {e}"))
}

/// Reads a string field through `parse`, naming what was expected on error.
struct TextVisitor<F>(F, &'static str);

impl<F: Fn(&str) -> Result<DateTime, String>> Visitor<'_> for TextVisitor<F> {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        (self.0)(v).map_err(E::custom)
    }
}

/// Generates the `option` submodule of a helper module from its
/// `serialize`/`deserialize` pair.
macro_rules! option_module {
    () => {
        /// The same form for an optional field; `null` and absent are `None`
        /// (pair with `#[serde(default)]`).
        pub mod option {
            use serde::{Deserialize, Deserializer, Serializer};

            use super::super::DateTime;

            /// Serializes `Some` in the parent's form, `None` as `null`.
            pub fn serialize<S: Serializer>(v: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(at) => super::serialize(at, s),
                    None => s.serialize_none(),
                }
            }

            /// Deserializes `null` as `None`, anything else in the parent's form.
            pub fn deserialize<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<DateTime>, D::Error> {
                #[derive(Deserialize)]
                struct Wrap(#[serde(with = "super")] DateTime);
                Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
            }
        }
    };
}

/// ISO-8601 / RFC 3339 text.
pub mod iso8601 {
    use super::*;

    /// Serializes as RFC 3339.
    pub fn serialize<S: Serializer>(at: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_iso8601(*at))
    }

    /// Deserializes ISO-8601 text with an offset.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_str(TextVisitor(parse_iso8601, "an ISO-8601 time"))
    }

    option_module!();
}

fn parse_china(text: &str) -> Result<DateTime, String> {
    parse_local(text, CHINA)
}

/// `yyyy-MM-dd HH:mm:ss` meaning +08:00, as the Chinese providers' pages do.
/// For another offset, use [`parse_local`] and [`format_local`].
pub mod china {
    use super::*;

    /// Serializes as `yyyy-MM-dd HH:mm:ss` at +08:00.
    pub fn serialize<S: Serializer>(at: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_local(*at, CHINA))
    }

    /// Deserializes `yyyy-MM-dd HH:mm:ss` as a +08:00 time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_str(TextVisitor(parse_china, "a `yyyy-MM-dd HH:mm:ss` time"))
    }

    option_module!();
}

/// Unix seconds, as a JSON integer (a string of digits is accepted too).
pub mod unix_seconds {
    use super::*;

    /// Serializes as an integer.
    pub fn serialize<S: Serializer>(at: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(at.unix_timestamp())
    }

    /// Deserializes an integer or a string of digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("unix seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                from_unix_seconds(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                let v = i64::try_from(v).map_err(|_| E::custom(format!("{v} is out of range")))?;
                self.visit_i64(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                let secs: i64 = v
                    .trim()
                    .parse()
                    .map_err(|_| E::custom(format!("`{v}` is not unix seconds")))?;
                self.visit_i64(secs)
            }
        }
        d.deserialize_any(V)
    }

    option_module!();
}

/// A time whose form the page does not pin down: the text as received, and
/// the time it means when it is ISO-8601, `yyyy-MM-dd HH:mm:ss` (read at
/// +08:00), `yyyyMMddHHmmss` (read at +08:00), or unix seconds or
/// milliseconds. Never fails to decode from a
/// string or a number, so a surprising form cannot fail a whole answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireTime {
    /// What the provider sent, as text.
    pub text: String,
    /// The time, when the text is in a known form.
    pub at: Option<DateTime>,
}

impl WireTime {
    /// Reads `text` in any of the known forms.
    pub fn parse(text: &str) -> Self {
        let trimmed = text.trim();
        let compact = || {
            // `yyyyMMddHHmmss` (Adapay's created_time): fourteen digits that
            // would otherwise read as milliseconds in the 26th century.
            (trimmed.len() == 14 && trimmed.bytes().all(|b| b.is_ascii_digit()))
                .then(|| time::PrimitiveDateTime::parse(trimmed, COMPACT).ok())
                .flatten()
                .map(|t| t.assume_offset(CHINA))
        };
        let at = parse_iso8601(trimmed)
            .or_else(|_| parse_local(trimmed, CHINA))
            .ok()
            .or_else(compact)
            .or_else(|| {
                let n: i64 = trimmed.parse().ok()?;
                // Up to ten digits is seconds (until 2286); eleven to thirteen
                // is milliseconds; more is no time form any provider uses.
                let digits = trimmed.trim_start_matches('-').len();
                let secs = match digits {
                    0..=10 => n,
                    11..=13 => n.div_euclid(1000),
                    _ => return None,
                };
                from_unix_seconds(secs).ok()
            });
        Self {
            text: text.to_owned(),
            at,
        }
    }
}

impl fmt::Display for WireTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WireTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for WireTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WireTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time as text or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireTime, E> {
                Ok(WireTime::parse(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireTime, E> {
                Ok(WireTime::parse(&v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireTime, E> {
                Ok(WireTime::parse(&v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireTime, E> {
                // Not a time form any provider documents: keep the text only.
                Ok(WireTime {
                    text: v.to_string(),
                    at: None,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct Times {
        #[serde(with = "iso8601")]
        iso: DateTime,
        #[serde(with = "china")]
        local: DateTime,
        #[serde(with = "unix_seconds")]
        unix: DateTime,
        #[serde(with = "china::option", default)]
        maybe: Option<DateTime>,
    }

    fn decode(json: &str) -> Result<Times, String> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| format!("{} | {}", e.path(), e.inner()))
    }

    #[test]
    fn each_form_decodes_to_the_same_instant() {
        let t = decode(
            r#"{"iso":"2024-03-04T10:00:00+08:00","local":"2024-03-04 10:00:00","unix":1709517600}"#,
        )
        .unwrap();
        assert_eq!(t.iso, t.local);
        assert_eq!(t.iso, t.unix);
        assert_eq!(t.iso.unix_timestamp(), 1_709_517_600);
        assert_eq!(t.maybe, None);
        let z = decode(r#"{"iso":"2024-03-04T02:00:00.250Z","local":"2024-03-04 10:00:00","unix":"1709517600","maybe":null}"#).unwrap();
        assert_eq!(z.iso.unix_timestamp(), 1_709_517_600);
        assert_eq!(z.iso.millisecond(), 250);
    }

    #[test]
    fn formats_round_trip() {
        let t = decode(r#"{"iso":"2024-03-04T10:00:00+08:00","local":"2024-03-04 10:00:00","unix":1709517600,"maybe":"2024-12-31 23:59:59"}"#).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"iso":"2024-03-04T10:00:00+08:00","local":"2024-03-04 10:00:00","unix":1709517600,"maybe":"2024-12-31 23:59:59"}"#
        );
        let utc = parse_iso8601("2024-03-04T02:00:00Z").unwrap();
        assert_eq!(format_local(utc, CHINA), "2024-03-04 10:00:00");
        assert_eq!(format_local(utc, UtcOffset::UTC), "2024-03-04 02:00:00");
        assert_eq!(format_date(parse_date("2025-11-19").unwrap()), "2025-11-19");
    }

    #[test]
    fn a_malformed_date_is_an_error_naming_the_field() {
        for (json, field) in [
            (
                r#"{"iso":"2024-03-04 10:00:00","local":"2024-03-04 10:00:00","unix":1}"#,
                "iso",
            ),
            (
                r#"{"iso":"2024-03-04T10:00:00Z","local":"2024-13-04 10:00:00","unix":1}"#,
                "local",
            ),
            (
                r#"{"iso":"2024-03-04T10:00:00Z","local":"2024-03-04 10:00:00","unix":"soon"}"#,
                "unix",
            ),
            (
                r#"{"iso":"2024-03-04T10:00:00Z","local":"2024-03-04 10:00:00","unix":1,"maybe":"今天"}"#,
                "maybe",
            ),
            (
                r#"{"iso":"2024-03-04T10:00:00Z","local":"2024-03-04 10:00:00","unix":99999999999999999}"#,
                "unix",
            ),
        ] {
            let err = decode(json).unwrap_err();
            assert!(err.starts_with(&format!("{field} |")), "{json}: {err}");
        }
    }

    #[test]
    fn wire_time_keeps_the_text_and_reads_what_it_can() {
        for (json, unix) in [
            (r#""2024-03-04T02:00:00Z""#, Some(1_709_517_600)),
            (r#""2024-03-04 10:00:00""#, Some(1_709_517_600)),
            ("1709517600", Some(1_709_517_600)),
            ("1709517600000", Some(1_709_517_600)),
            (r#""1709517600""#, Some(1_709_517_600)),
            (r#""20240304100000""#, Some(1_709_517_600)),
            (r#""20241304100000""#, None),
            (r#""next tuesday""#, None),
            ("1.5", None),
        ] {
            let w: WireTime = serde_json::from_str(json).unwrap();
            assert_eq!(w.at.map(|t| t.unix_timestamp()), unix, "{json}");
            assert!(!w.text.is_empty());
        }
        let w: WireTime = serde_json::from_str(r#""next tuesday""#).unwrap();
        assert_eq!(serde_json::to_string(&w).unwrap(), r#""next tuesday""#);
    }
}
