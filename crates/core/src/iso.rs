//! ISO codes every provider takes: [`Currency`] (ISO-4217) and [`Region`]
//! (ISO-3166 alpha-2), and the ISO-4217 minor-unit table ([`minor_units`]).
//!
//! Both are validated when built from text ([`FromStr`], `TryFrom<&str>`):
//! three (currency) or two (region) uppercase ASCII letters. Decoding from
//! an answer never fails on a code the SDK does not know: the provider's
//! value is kept as sent ([`Currency::is_well_formed`] tells whether it has
//! the ISO shape). Validation is for requests.
//!
//! ```
//! use walletbridge_core::iso::{Currency, Region, minor_units};
//! let usd: Currency = "USD".parse().unwrap();
//! assert_eq!(usd.to_string(), "USD");
//! assert!("usd".parse::<Currency>().is_err());
//! assert!(Region::try_from("HK").is_ok());
//! assert_eq!(minor_units(&"JPY".parse().unwrap()), 0);
//! // An answer may carry anything: it decodes.
//! let odd: Currency = serde_json::from_str(r#""USDT""#).unwrap();
//! assert!(!odd.is_well_formed());
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

fn letters(text: &str, n: usize) -> bool {
    text.len() == n && text.bytes().all(|b| b.is_ascii_uppercase())
}

macro_rules! iso_code {
    ($(#[$meta:meta])* $name:ident, $len:expr, $what:expr, $field:expr) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the code has the ISO shape (always true for a value
            /// built from text; an answer may carry anything).
            pub fn is_well_formed(&self) -> bool {
                letters(&self.0, $len)
            }

            /// Checks the code as a request field named `field`.
            pub fn check(&self, field: &str) -> Result<()> {
                if self.is_well_formed() {
                    Ok(())
                } else {
                    Err(Error::validation(
                        field,
                        format!(concat!("must be ", $what, ", got `{}`"), self.0),
                    ))
                }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(text: &str) -> Result<Self> {
                let code = Self(text.to_owned());
                code.check($field)?;
                Ok(code)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(text: &str) -> Result<Self> {
                text.parse()
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(text: String) -> Result<Self> {
                text.parse()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        /// Any string decodes: a code the SDK does not know is kept as sent.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                String::deserialize(d).map(Self)
            }
        }
    };
}

iso_code!(
    /// An ISO-4217 currency code (`USD`). Built from text it must be three
    /// uppercase letters; decoded from an answer it is kept as sent.
    Currency,
    3,
    "a three-letter uppercase ISO-4217 code",
    "currency"
);

iso_code!(
    /// An ISO-3166 alpha-2 region (country) code (`HK`). Built from text it
    /// must be two uppercase letters; decoded from an answer it is kept as sent.
    Region,
    2,
    "a two-letter uppercase ISO-3166 code",
    "region"
);

/// Currencies whose minor unit is not 2: `(code, decimals)`, from ISO 4217
/// (list one, current funds). Providers that differ say so in their own
/// crate (GSalary: IDR takes no decimals).
pub const MINOR_UNITS: &[(&str, u32)] = &[
    // no decimals
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    // three decimals
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    // four decimals
    ("CLF", 4),
    ("UYW", 4),
];

/// The number of decimals an amount in `currency` may have under ISO 4217:
/// from [`MINOR_UNITS`], 2 for any other code.
pub fn minor_units(currency: &Currency) -> u32 {
    minor_units_of(currency.as_str())
}

/// [`minor_units`] for a code given as text.
pub fn minor_units_of(currency: &str) -> u32 {
    MINOR_UNITS
        .iter()
        .find(|(c, _)| *c == currency)
        .map_or(2, |(_, n)| *n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_are_checked_when_built_and_kept_when_decoded() {
        assert!("USD".parse::<Currency>().is_ok());
        for bad in ["US", "usd", "USDT", "", "U$D"] {
            assert!(bad.parse::<Currency>().is_err(), "{bad}");
        }
        assert!("HK".parse::<Region>().is_ok());
        assert!("HKG".parse::<Region>().is_err());
        let r: Region = serde_json::from_str(r#""XKX""#).unwrap();
        assert_eq!(r.as_str(), "XKX");
        assert_eq!(serde_json::to_string(&r).unwrap(), r#""XKX""#);
        assert_eq!(minor_units_of("KWD"), 3);
        assert_eq!(minor_units_of("USD"), 2);
    }
}
