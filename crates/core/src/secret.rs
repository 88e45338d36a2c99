//! A redacting, zeroizing wrapper for keys, tokens, passwords, card numbers, CVV and PINs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroize;

/// The text printed wherever a secret would have been.
pub const REDACTED: &str = "[REDACTED]";

/// Holds a sensitive value.
///
/// `Debug` and `Display` print [`REDACTED`]; the memory is zeroized on drop.
/// The value is reachable only through [`Secret::expose`], so every place that
/// reads it is easy to find. It serializes to its real value, because it has to
/// reach the wire; never serialize a request struct into a log.
///
/// ```
/// use walletbridge_core::Secret;
/// let cvv = Secret::new("123".to_string());
/// assert_eq!(format!("{cvv:?} {cvv}"), "[REDACTED] [REDACTED]");
/// assert_eq!(cvv.expose(), "123");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T: Zeroize = String>(T);

/// A secret string, the common case.
pub type SecretString = Secret<String>;

impl<T: Zeroize> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Reads the value. Call it only where the value must leave the process.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Secret<String> {
    /// Whether the secret string is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Zeroize> Drop for Secret<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Zeroize> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Zeroize + Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, Deserialize)]
    struct Card {
        last4: String,
        pan: SecretString,
        cvv: SecretString,
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let card = Card {
            last4: "4242".into(),
            pan: "4111111111114242".into(),
            cvv: "987".into(),
        };
        let debug = format!("{card:?} {card:#?}");
        assert!(!debug.contains("4111111111114242"), "{debug}");
        assert!(!debug.contains("987"), "{debug}");
        assert!(debug.contains("4242"));
        assert_eq!(card.pan.to_string(), REDACTED);
    }

    #[test]
    fn serde_round_trips_the_real_value() {
        let card: Card =
            serde_json::from_str(r#"{"last4":"4242","pan":"4111111111114242","cvv":"987"}"#)
                .unwrap();
        assert_eq!(card.pan.expose(), "4111111111114242");
        let json = serde_json::to_string(&card).unwrap();
        assert!(json.contains("\"cvv\":\"987\""));
    }

    #[test]
    fn byte_secrets_redact_too() {
        let key = Secret::new(vec![1u8, 2, 3]);
        assert_eq!(format!("{key:?}"), REDACTED);
        assert_eq!(key.expose(), &vec![1, 2, 3]);
    }
}
