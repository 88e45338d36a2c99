//! Currency minor units: how many decimals an amount in a currency may have.
//!
//! One table, from ISO 4217, plus the one exception the GSalary page makes:
//! IDR amounts take no decimals (ISO gives IDR two). Every amount check of
//! this crate reads it through [`minor_units`].

/// Currencies whose minor unit is not 2: `(code, decimals)`. ISO 4217
/// (list one, current funds), and IDR at 0 as the GSalary page says.
pub const MINOR_UNITS: &[(&str, u32)] = &[
    // no decimals
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IDR", 0), // the GSalary page: IDR amounts take no decimals
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

/// The number of decimals an amount in `currency` may have: from
/// [`MINOR_UNITS`], 2 for any other code.
///
/// ```
/// use walletbridge_gsalary::currency::minor_units;
/// assert_eq!(minor_units("USD"), 2);
/// assert_eq!(minor_units("JPY"), 0);
/// assert_eq!(minor_units("IDR"), 0);
/// assert_eq!(minor_units("KWD"), 3);
/// ```
pub fn minor_units(currency: &str) -> u32 {
    MINOR_UNITS
        .iter()
        .find(|(c, _)| *c == currency)
        .map_or(2, |(_, n)| *n)
}
