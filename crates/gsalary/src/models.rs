//! Types shared by several API areas.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::{Currency, Error, Region, Result};

/// A value a request builder takes as an ISO code: the core's validated
/// [`Currency`] or [`Region`] itself, or text (`"USD"`, `"HK"`) checked when
/// the builder's `build()` runs. A code that is not valid is a validation
/// error naming the request field (`currency`, `region`...), never a panic.
///
/// Currencies are three uppercase ASCII letters (ISO-4217, `USD`); regions
/// are two uppercase ASCII letters (ISO-3166 alpha-2, `HK`).
pub trait IntoCode<T> {
    /// The code, checked as the request field `field`.
    fn into_code(self, field: &str) -> Result<T>;
}

macro_rules! into_code {
    ($t:ty, $what:expr) => {
        impl IntoCode<$t> for $t {
            fn into_code(self, field: &str) -> Result<$t> {
                self.check(field)?;
                Ok(self)
            }
        }
        impl IntoCode<$t> for &$t {
            fn into_code(self, field: &str) -> Result<$t> {
                self.clone().into_code(field)
            }
        }
        impl IntoCode<$t> for &str {
            fn into_code(self, field: &str) -> Result<$t> {
                // The error names the request's own field, not the type's.
                <$t>::try_from(self).map_err(|_| {
                    Error::validation(
                        field,
                        format!(concat!("must be ", $what, ", got `{}`"), self),
                    )
                })
            }
        }
        impl IntoCode<$t> for String {
            fn into_code(self, field: &str) -> Result<$t> {
                self.as_str().into_code(field)
            }
        }
        impl IntoCode<$t> for &String {
            fn into_code(self, field: &str) -> Result<$t> {
                self.as_str().into_code(field)
            }
        }
    };
}
into_code!(Currency, "a three-letter uppercase ISO-4217 code");
into_code!(Region, "a two-letter uppercase ISO-3166 code");

/// A required builder field that was never set.
pub(crate) fn required<T>(field: &str, value: Option<T>) -> Result<T> {
    value.ok_or_else(|| Error::validation(field, "is required"))
}

/// An amount in a currency: GSalary's `{currency, amount}` pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// ISO-4217 currency code.
    pub currency: String,
    /// The amount, exact (written with its own digits, never through a float).
    #[serde(
        deserialize_with = "walletbridge_core::money::number::deserialize",
        serialize_with = "crate::answer::exact::decimal"
    )]
    pub amount: Decimal,
}

impl Money {
    /// An amount in a currency.
    pub fn new(currency: impl AsRef<str>, amount: Decimal) -> Self {
        Self {
            currency: currency.as_ref().to_owned(),
            amount,
        }
    }
}

/// Declares a list answer `{<items>: [...], page, limit, total_count, total_page}`
/// and its conversion into a [`Page`](walletbridge_core::Page). Decoded
/// tolerantly ([`crate::answer`]): fields the SDK does not type are kept in
/// `extra`; `reshape = path` rewrites guessed forms first (a list sent under
/// another key).
macro_rules! list_response {
    ($(#[$meta:meta])* $name:ident, $field:ident, $item:ty $(, reshape = $reshape:path)?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
        #[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
        #[serde(remote = "Self")]
        #[non_exhaustive]
        pub struct $name {
            /// The items on this page.
            #[serde(default)]
            pub $field: Vec<$item>,
            /// This page's number.
            #[serde(default)]
            pub page: Option<u32>,
            /// Page size.
            #[serde(default)]
            pub limit: Option<u32>,
            /// Items across all pages.
            #[serde(default)]
            pub total_count: Option<u64>,
            /// Number of pages.
            #[serde(default)]
            pub total_page: Option<u32>,
            /// Every other field (the page's `query` echo...), as sent.
            #[serde(skip)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        crate::answer::answer_model!($name $(, reshape = $reshape)?);

        impl walletbridge_core::ListAnswer for $name {
            type Item = $item;
            fn into_page(self, requested: u32) -> walletbridge_core::Page<$item> {
                $name::into_page(self, requested)
            }
        }

        impl $name {
            /// This answer as a [`walletbridge_core::Page`]; `requested` is the page asked for.
            pub fn into_page(self, requested: u32) -> walletbridge_core::Page<$item> {
                walletbridge_core::Page::new(
                    self.$field,
                    self.page.filter(|p| *p > 0).unwrap_or(requested),
                    self.total_page,
                    self.total_count,
                )
            }
        }
    };
}
pub(crate) use list_response;

/// Implements [`ListQuery`] for a query with a `page` field, a `page()`
/// setter and a `validate()` method.
macro_rules! list_query {
    ($($t:ty),+ $(,)?) => {
        $(impl walletbridge_core::ListQuery for $t {
            fn page_no(&self) -> u32 {
                self.page
            }
            fn at_page(self, page: u32) -> Self {
                self.page(page)
            }
            fn check(&self) -> walletbridge_core::Result<()> {
                self.validate()
            }
            fn page_size(&self) -> Option<u32> {
                Some(self.limit)
            }
        })+
    };
}
pub(crate) use list_query;

/// A mobile number: the country calling code and the number without it
/// (the page's `MobileNumber`). Checked against the page's length table
/// ([`crate::validate::MOBILE_LENGTHS`]) before it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MobileNumber {
    /// Country calling code, digits only (`86`, `1`).
    #[serde(default)]
    pub nation_code: String,
    /// The number without the country code.
    #[serde(default)]
    pub mobile: String,
}

impl MobileNumber {
    /// A mobile number; a leading `+` on the country code is dropped.
    pub fn new(nation_code: impl Into<String>, mobile: impl Into<String>) -> Self {
        let code: String = nation_code.into();
        Self {
            nation_code: code.trim_start_matches('+').to_owned(),
            mobile: mobile.into(),
        }
    }

    pub(crate) fn validate(&self, field: &str) -> walletbridge_core::Result<()> {
        crate::validate::mobile(field, &self.nation_code, &self.mobile)
    }
}

/// A postal address: the page's `Address`, used as a card holder's or a
/// card's bill address and as a payer's address (one type for both; the
/// wire shape is the same). Every field is optional on the page; a field
/// left unset, or set to blank text, is not sent (never as `""`).
///
/// ```
/// use walletbridge_gsalary::models::Address;
/// let home = Address::new().address("1 Main St").city("Springfield").country("US");
/// assert_eq!(home.country.as_deref(), Some("US"));
/// assert_eq!(Address::new().state("  ").state, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Address {
    /// Postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country (two-letter ISO-3166 code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// An empty address; fill it with the builder methods.
    pub fn new() -> Self {
        Self::default()
    }
    /// Postcode.
    pub fn postcode(mut self, v: impl Into<String>) -> Self {
        self.postcode = part(v.into());
        self
    }
    /// Street address.
    pub fn address(mut self, v: impl Into<String>) -> Self {
        self.address = part(v.into());
        self
    }
    /// City.
    pub fn city(mut self, v: impl Into<String>) -> Self {
        self.city = part(v.into());
        self
    }
    /// State or province.
    pub fn state(mut self, v: impl Into<String>) -> Self {
        self.state = part(v.into());
        self
    }
    /// Country, a two-letter uppercase ISO-3166 alpha-2 code (`US`), as
    /// text or a [`Region`]; checked before the request is sent.
    pub fn country(mut self, v: impl AsRef<str>) -> Self {
        self.country = part(v.as_ref().to_owned());
        self
    }

    pub(crate) fn validate(&self, field: &str) -> walletbridge_core::Result<()> {
        if let Some(c) = &self.country {
            crate::validate::region(&format!("{field}.country"), c)?;
        }
        Ok(())
    }
}

fn part(v: String) -> Option<String> {
    Some(v).filter(|v| !v.trim().is_empty())
}

walletbridge_core::open_enum! {
    /// The `result` letter of an answer or a business object: accepted,
    /// rejected (do not retry) or unknown (query before retrying).
    pub enum BizResult {
        /// Accepted.
        Success = "S",
        /// Rejected; do not retry.
        Fail = "F",
        /// Unknown; query before retrying.
        Unknown = "U",
    }
}
