//! Enumerations that keep values they do not know.
//!
//! Providers add enum values without notice. Every documented enumeration is
//! declared with [`open_enum!`](crate::open_enum), which adds an `Other(String)`
//! arm: a new value decodes, round-trips unchanged, and can be matched on.

/// Declares a string enumeration with an `Other(String)` arm for unknown values.
///
/// ```
/// walletbridge_core::open_enum! {
///     /// A card's status.
///     pub enum CardStatus {
///         /// Usable.
///         Active = "ACTIVE",
///         /// Frozen by the holder.
///         Frozen = "FROZEN",
///     }
/// }
/// let s: CardStatus = serde_json::from_str("\"CANCELLED\"").unwrap();
/// assert_eq!(s, CardStatus::Other("CANCELLED".into()));
/// assert_eq!(serde_json::to_string(&s).unwrap(), "\"CANCELLED\"");
/// assert_eq!(CardStatus::from("ACTIVE"), CardStatus::Active);
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the SDK does not know, kept as sent.
            Other(::std::string::String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s.as_str(),
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_other(&self) -> bool {
                matches!(self, Self::Other(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                // A number where text was documented is an unknown value, not a failure.
                let s = $crate::enums::text_or_number(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

/// Reads a JSON string, or a number as its text: what an enumeration
/// documented as text (or as a number) decodes from. Used by the macros.
#[doc(hidden)]
pub fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// Declares an integer enumeration with an `Other(i64)` arm for unknown
/// values: the Chinese wallets' status and type codes (`2` in progress,
/// `3` success...). It decodes from a JSON number or a string of digits (the
/// pages print every field as `""`), and serializes as a number.
///
/// ```
/// walletbridge_core::open_int_enum! {
///     /// An order's status.
///     pub enum OrderStatus {
///         /// In progress.
///         InProgress = 2,
///         /// Succeeded.
///         Success = 3,
///     }
/// }
/// let s: Vec<OrderStatus> = serde_json::from_str(r#"[2, "3", 9]"#).unwrap();
/// assert_eq!(s, [OrderStatus::InProgress, OrderStatus::Success, OrderStatus::Other(9)]);
/// assert_eq!(serde_json::to_string(&s).unwrap(), "[2,3,9]");
/// assert_eq!(OrderStatus::from(3), OrderStatus::Success);
/// ```
#[macro_export]
macro_rules! open_int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the SDK does not know, kept as sent.
            Other(i64),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn code(&self) -> i64 {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(v) => *v,
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_other(&self) -> bool {
                matches!(self, Self::Other(_))
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                match v {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.code())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let text = $crate::enums::text_or_number(d)?;
                text.trim().parse::<i64>().map(Self::from).map_err(|_| {
                    <D::Error as $crate::serde::de::Error>::custom(::std::format!(
                        "`{text}` is not an integer code"
                    ))
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// Test enum.
        pub enum Result3 {
            /// Success.
            S = "S",
            /// Failure.
            F = "F",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let v: Vec<Result3> = serde_json::from_str(r#"["S","F","X"]"#).unwrap();
        assert_eq!(v, vec![Result3::S, Result3::F, Result3::Other("X".into())]);
        assert!(v[2].is_other());
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["S","F","X"]"#);
        assert_eq!(Result3::F.to_string(), "F");
    }

    #[test]
    fn a_number_where_text_was_documented_is_an_unknown_value() {
        let v: Result3 = serde_json::from_str("7").unwrap();
        assert_eq!(v, Result3::Other("7".into()));
    }

    crate::open_int_enum! {
        /// Test enum.
        pub enum Progress {
            /// To send.
            ToSend = 1,
            /// Sent.
            Sent = 2,
        }
    }

    #[test]
    fn integer_codes_decode_from_numbers_and_digit_strings() {
        let v: Vec<Progress> = serde_json::from_str(r#"[1, "2", " 2 ", 99, -1]"#).unwrap();
        assert_eq!(
            v,
            [
                Progress::ToSend,
                Progress::Sent,
                Progress::Sent,
                Progress::Other(99),
                Progress::Other(-1)
            ]
        );
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2,2,99,-1]");
        assert!(serde_json::from_str::<Progress>(r#""soon""#).is_err());
        assert!(serde_json::from_str::<Progress>("1.5").is_err());
        assert_eq!(Progress::Other(99).to_string(), "99");
        assert!(Progress::Other(99).is_other() && !Progress::Sent.is_other());
    }

    #[test]
    fn escaped_strings_decode() {
        // An escaped string cannot be borrowed; the Cow path must handle it.
        let v: Result3 = serde_json::from_str(r#""\u0053""#).unwrap();
        assert_eq!(v, Result3::S);
    }
}
