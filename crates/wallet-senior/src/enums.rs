//! Integer enumerations that keep values they do not know.
//!
//! The senior wallet's enumerations (order status, type, progress, tunnel
//! type, pay types) are integers. [`walletbridge_core::open_enum!`] declares
//! string enumerations; this is its integer twin: every enumeration gets an
//! `Other(i64)` arm, so a value the provider adds later decodes, round-trips
//! unchanged and can be matched on. Answers decode leniently: a JSON number
//! or a string of digits (the page shows every field as `""`).

/// Declares an integer enumeration with an `Other(i64)` arm for unknown values.
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
            pub fn code(self) -> i64 {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(v) => v,
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_other(self) -> bool {
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

        impl ::std::convert::From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.code()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                match crate::wire::int(d)? {
                    Some(v) => Ok(Self::from(v)),
                    None => Err(<D::Error as ::serde::de::Error>::custom(
                        "expected an integer (a number or a string of digits)",
                    )),
                }
            }
        }
    };
}

pub(crate) use open_int_enum;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    open_int_enum! {
        /// Test enum.
        pub enum Three {
            /// One.
            One = 1,
            /// Two.
            Two = 2,
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip_from_numbers_and_strings() {
        let v: Vec<Three> = serde_json::from_str(r#"[1, "2", 9, " 7 "]"#).unwrap();
        assert_eq!(
            v,
            [Three::One, Three::Two, Three::Other(9), Three::Other(7)]
        );
        assert!(v[2].is_other() && !v[0].is_other());
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2,9,7]");
        assert_eq!(Three::Two.to_string(), "2");
        assert_eq!(i64::from(Three::Other(-3)), -3);
        for bad in [
            r#""""#,
            r#""x""#,
            "1.5",
            "null",
            "[]",
            "18446744073709551615",
        ] {
            assert!(serde_json::from_str::<Three>(bad).is_err(), "{bad}");
        }
    }
}
