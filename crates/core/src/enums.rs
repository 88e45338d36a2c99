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

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
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
    fn escaped_strings_decode() {
        // An escaped string cannot be borrowed; the Cow path must handle it.
        let v: Result3 = serde_json::from_str(r#""\u0053""#).unwrap();
        assert_eq!(v, Result3::S);
    }
}
