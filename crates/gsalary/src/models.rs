//! Types shared by several API areas.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An amount in a currency: GSalary's `{currency, amount}` pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// ISO-4217 currency code.
    pub currency: String,
    /// The amount, exact.
    #[serde(with = "walletbridge_core::money::number")]
    pub amount: Decimal,
}

impl Money {
    /// An amount in a currency.
    pub fn new(currency: impl Into<String>, amount: Decimal) -> Self {
        Self {
            currency: currency.into(),
            amount,
        }
    }
}

/// Page number and size for list endpoints (page from 1, default 20 a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageParams {
    /// The page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
}

impl Default for PageParams {
    fn default() -> Self {
        Self { page: 1, limit: 20 }
    }
}

/// Declares a list answer `{<items>: [...], page, limit, total_count, total_page}`
/// and its conversion into a [`Page`].
macro_rules! list_response {
    ($(#[$meta:meta])* $name:ident, $field:ident, $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, serde::Deserialize)]
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

/// An answer with no fields the SDK needs; accepts any `data`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Empty)
    }
}
