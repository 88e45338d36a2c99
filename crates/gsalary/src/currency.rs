//! Currency minor units: how many decimals an amount in a currency may have.
//!
//! The table is the workspace's one ISO-4217 table,
//! [`walletbridge_core::iso::MINOR_UNITS`], plus the one exception the
//! GSalary page makes: IDR amounts take no decimals (ISO gives IDR two).
//! Every amount check of this crate reads it through [`minor_units`].

pub use walletbridge_core::iso::{Currency, MINOR_UNITS, Region};

/// The number of decimals an amount in `currency` may have for GSalary:
/// ISO 4217 ([`MINOR_UNITS`], 2 for any other code), except IDR: 0.
///
/// ```
/// use walletbridge_gsalary::currency::minor_units;
/// assert_eq!(minor_units("USD"), 2);
/// assert_eq!(minor_units("JPY"), 0);
/// assert_eq!(minor_units("IDR"), 0);
/// assert_eq!(minor_units("KWD"), 3);
/// ```
pub fn minor_units(currency: &str) -> u32 {
    if currency == "IDR" {
        // The GSalary page: IDR amounts take no decimals.
        return 0;
    }
    walletbridge_core::iso::minor_units_of(currency)
}
