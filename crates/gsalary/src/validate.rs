//! Request rules from the GSalary page, checked before anything is sent.
//! Each check names the field and the rule it breaks.

use rust_decimal::Decimal;
use walletbridge_core::money::{check_positive, check_scale};
use walletbridge_core::{Error, Result};

/// A card application's `request_id`: 1 to 50 characters (the page's
/// "唯一请求id，最多50个字符" on `POST /card_applies`, the only id the page
/// caps). Other ids (`client_order_id`, `payment_request_id`, a balance
/// change's `request_id`) are checked with [`not_empty`] only.
pub fn request_id(field: &str, value: &str) -> Result<()> {
    let n = value.chars().count();
    if n == 0 || n > 50 {
        return Err(Error::validation(
            field,
            format!("must be 1 to 50 characters, got {n}"),
        ));
    }
    Ok(())
}

/// A two-letter ISO-3166 region code (`US`).
pub fn region(field: &str, value: &str) -> Result<()> {
    if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::validation(
            field,
            format!("must be a two-letter uppercase ISO-3166 code, got `{value}`"),
        ));
    }
    Ok(())
}

/// A three-letter ISO-4217 currency code (`USD`).
pub fn currency(field: &str, value: &str) -> Result<()> {
    if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::validation(
            field,
            format!("must be a three-letter uppercase ISO-4217 code, got `{value}`"),
        ));
    }
    Ok(())
}

/// An ISO-8601 date, `YYYY-MM-DD`, that exists on the calendar.
pub fn iso_date(field: &str, value: &str) -> Result<()> {
    let bad = || {
        Error::validation(
            field,
            format!("must be an ISO-8601 date YYYY-MM-DD, got `{value}`"),
        )
    };
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(&value[0..4])?, num(&value[5..7])?, num(&value[8..10])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

/// An ISO-8601 date-time with a zone (`2024-03-04T10:00:00Z`, `...+08:00`),
/// fractional seconds allowed.
pub fn iso_datetime(field: &str, value: &str) -> Result<()> {
    let bad = || {
        Error::validation(
            field,
            format!("must be an ISO-8601 date-time like 2024-03-04T10:00:00Z, got `{value}`"),
        )
    };
    // Read as bytes: no index below can split a multi-byte character.
    let b = value.as_bytes();
    if b.len() < 20 || b[10] != b'T' {
        return Err(bad());
    }
    let date = std::str::from_utf8(&b[..10]).map_err(|_| bad())?;
    iso_date(field, date).map_err(|_| bad())?;
    let two = |i: usize| -> Option<u8> {
        match (b.get(i), b.get(i + 1)) {
            (Some(h @ b'0'..=b'9'), Some(l @ b'0'..=b'9')) => Some((h - b'0') * 10 + (l - b'0')),
            _ => None,
        }
    };
    let time_ok = b[13] == b':'
        && b[16] == b':'
        && two(11).is_some_and(|h| h < 24)
        && two(14).is_some_and(|m| m < 60)
        && two(17).is_some_and(|s| s < 61);
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(bad());
        }
    }
    let zone = &b[i..];
    let zone_ok = zone == b"Z"
        || (zone.len() == 6
            && (zone[0] == b'+' || zone[0] == b'-')
            && zone[3] == b':'
            && two(i + 1).is_some_and(|h| h < 24)
            && two(i + 4).is_some_and(|m| m < 60));
    if !time_ok || !zone_ok {
        return Err(bad());
    }
    Ok(())
}

/// A card holder name: 1 to 40 English letters and spaces.
pub fn holder_name(field: &str, value: &str) -> Result<()> {
    let n = value.chars().count();
    if n == 0
        || n > 40
        || !value.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
        || value.trim().is_empty()
    {
        return Err(Error::validation(
            field,
            "must be 1 to 40 English letters and spaces",
        ));
    }
    Ok(())
}

/// The page's mobile-number length table: country calling code -> digits.
pub const MOBILE_LENGTHS: &[(&str, usize)] = &[
    ("86", 11),
    ("852", 8),
    ("853", 8),
    ("886", 9),
    ("1", 10),
    ("65", 8),
    ("81", 10),
    ("82", 10),
];

/// A mobile number: digits only; for a country in the page's table, exactly
/// the length the table gives (without the country code).
pub fn mobile(field: &str, nation_code: &str, number: &str) -> Result<()> {
    let code = nation_code.trim_start_matches('+');
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(
            format!("{field}.nation_code"),
            "must be a numeric country calling code",
        ));
    }
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(
            format!("{field}.mobile"),
            "must be digits only, without the country code",
        ));
    }
    if let Some((_, len)) = MOBILE_LENGTHS.iter().find(|(c, _)| *c == code) {
        if number.len() != *len {
            return Err(Error::validation(
                format!("{field}.mobile"),
                format!(
                    "must be {len} digits for country code {code}, got {}",
                    number.len()
                ),
            ));
        }
    } else if number.len() < 4 || number.len() > 15 {
        return Err(Error::validation(
            format!("{field}.mobile"),
            "must be 4 to 15 digits",
        ));
    }
    Ok(())
}

/// A card PIN: exactly 6 digits.
pub fn pin(field: &str, value: &str) -> Result<()> {
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(field, "must be exactly 6 digits"));
    }
    Ok(())
}

/// A remark: at most 100 English letters, digits and spaces.
pub fn remark(field: &str, value: &str) -> Result<()> {
    if value.chars().count() > 100 || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
    {
        return Err(Error::validation(
            field,
            "must be at most 100 English letters, digits and spaces",
        ));
    }
    Ok(())
}

/// An amount that must be greater than 0 and no finer than the currency's
/// minor unit ([`crate::currency::minor_units`]).
pub fn positive_amount(field: &str, currency: &str, amount: Decimal) -> Result<()> {
    check_positive(field, amount)?;
    amount_scale(field, currency, amount)
}

/// The decimals rule alone: no more decimals than the currency's minor unit
/// (0 for JPY, KRW, IDR...; 3 for KWD, BHD...; 2 for most). An amount whose
/// currency the request does not name (`""`) is not checked: the page gives
/// it no scale, and a finer value is GSalary's to refuse.
pub fn amount_scale(field: &str, currency: &str, amount: Decimal) -> Result<()> {
    if currency.is_empty() {
        return Ok(());
    }
    let units = crate::currency::minor_units(currency);
    check_scale(field, amount, units).map_err(|_| {
        let rule = match units {
            0 => format!("{currency} amounts take no decimals, got {amount}"),
            n => format!("{currency} amounts take at most {n} decimals, got {amount}"),
        };
        Error::validation(field, rule)
    })
}

/// A required identifier or text: not empty and not only spaces.
pub fn not_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    Ok(())
}

/// An e-mail address: one `@` with text on both sides, no spaces, at most 254 characters.
pub fn email(field: &str, value: &str) -> Result<()> {
    let ok = value.chars().count() <= 254
        && !value.chars().any(char::is_whitespace)
        && value.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    if !ok {
        return Err(Error::validation(
            field,
            format!("must be an e-mail address, got `{value}`"),
        ));
    }
    Ok(())
}

/// The limits of a card application (`POST /card_applies`): each given limit
/// at least 1 (the page: ">=1") and no finer than the card currency's minor
/// unit. The page states no order between them for an application.
pub fn card_apply_limits(
    currency: &str,
    per_transaction: Option<Decimal>,
    per_day: Option<Decimal>,
    per_month: Option<Decimal>,
) -> Result<()> {
    for (field, value) in [
        ("limit_per_transaction", per_transaction),
        ("limit_per_day", per_day),
        ("limit_per_month", per_month),
    ] {
        if let Some(v) = value {
            if v < Decimal::ONE {
                return Err(Error::validation(
                    field,
                    format!("must be at least 1, got {v}"),
                ));
            }
            amount_scale(field, currency, v)?;
        }
    }
    Ok(())
}

/// The limits of a card update (`PUT /cards/{card_id}`): each given limit 0
/// or more (the page's example sends 0), and, as the page states for this
/// call, `limit_per_transaction <= limit_per_day <= limit_per_month` among
/// those given. The request names no currency, so no scale is checked.
pub fn card_update_limits(
    per_transaction: Option<Decimal>,
    per_day: Option<Decimal>,
    per_month: Option<Decimal>,
) -> Result<()> {
    let named = [
        ("limit_per_transaction", per_transaction),
        ("limit_per_day", per_day),
        ("limit_per_month", per_month),
    ];
    for (field, value) in named {
        if let Some(v) = value {
            walletbridge_core::money::check_non_negative(field, v)?;
        }
    }
    let given: Vec<(&str, Decimal)> = named
        .iter()
        .filter_map(|(f, v)| v.map(|v| (*f, v)))
        .collect();
    for pair in given.windows(2) {
        let ((small_f, small), (big_f, big)) = (pair[0], pair[1]);
        if small > big {
            return Err(Error::validation(
                small_f,
                format!("must not exceed {big_f} ({small} > {big})"),
            ));
        }
    }
    Ok(())
}

/// Page and page size of a list query: both at least 1.
pub fn page(page: u32, limit: u32) -> Result<()> {
    if page == 0 {
        return Err(Error::validation("page", "starts at 1"));
    }
    if limit == 0 {
        return Err(Error::validation("limit", "must be at least 1"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn field_of(e: Error) -> String {
        match e.kind() {
            walletbridge_core::ErrorKind::Validation { field, .. } => field.clone(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn dates() {
        assert!(iso_date("birth", "2001-12-20").is_ok());
        assert!(iso_date("birth", "2024-02-29").is_ok());
        assert!(iso_date("birth", "2023-02-29").is_err());
        assert!(iso_date("birth", "2001/12/20").is_err());
        assert!(iso_date("birth", "2001-13-01").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T10:00:00Z").is_ok());
        assert!(iso_datetime("time_start", "2024-03-04T10:00:00.123+08:00").is_ok());
        assert!(iso_datetime("time_start", "2024-03-04 10:00:00").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T25:00:00Z").is_err());
        // multi-byte text where digits are expected: an error, never a panic
        assert!(iso_datetime("time_start", "2024-03-04T00:00:0é0000Z").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T00:00:00ééé").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T00:00:00.Z").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T00:00:00+0800").is_err());
        assert!(iso_datetime("time_start", "2024-03-04T00:00:00-05:30").is_ok());
    }

    #[test]
    fn names_mobiles_pins_remarks() {
        assert!(holder_name("first_name", "Mary Ann").is_ok());
        assert_eq!(
            field_of(holder_name("first_name", "Zoë").unwrap_err()),
            "first_name"
        );
        assert!(holder_name("first_name", &"a".repeat(41)).is_err());
        assert!(holder_name("first_name", "").is_err());
        assert!(mobile("mobile", "86", "13800138000").is_ok());
        assert_eq!(
            field_of(mobile("mobile", "86", "1380013800").unwrap_err()),
            "mobile.mobile"
        );
        assert!(mobile("mobile", "852", "91234567").is_ok());
        assert!(mobile("mobile", "1", "2025550123").is_ok());
        assert!(mobile("mobile", "44", "7700900123").is_ok());
        assert!(mobile("mobile", "x", "7700900123").is_err());
        assert!(pin("pin", "012345").is_ok());
        assert!(pin("pin", "12345").is_err() && pin("pin", "12345a").is_err());
        assert!(remark("remark", "Top up 42").is_ok());
        assert!(remark("remark", "no-dashes").is_err());
        assert!(remark("remark", &"a".repeat(101)).is_err());
        assert!(request_id("request_id", &"r".repeat(50)).is_ok());
        assert!(request_id("request_id", &"r".repeat(51)).is_err());
        assert!(region("region", "US").is_ok() && region("region", "usa").is_err());
        assert!(currency("currency", "USD").is_ok() && currency("currency", "US").is_err());
    }

    #[test]
    fn amounts() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert!(positive_amount("amount", "USD", d("10.25")).is_ok());
        assert!(positive_amount("amount", "USD", d("10.255")).is_err());
        assert!(positive_amount("amount", "USD", d("0")).is_err());
        assert!(positive_amount("amount", "IDR", d("15000")).is_ok());
        let e = positive_amount("amount", "IDR", d("15000.5")).unwrap_err();
        assert!(
            e.to_string().contains("IDR amounts take no decimals"),
            "{e}"
        );
        // each currency's own minor unit
        assert!(positive_amount("amount", "JPY", d("100.5")).is_err());
        assert!(positive_amount("amount", "KRW", d("1000")).is_ok());
        assert!(positive_amount("amount", "KWD", d("1.125")).is_ok());
        assert!(positive_amount("amount", "BHD", d("1.1255")).is_err());
        let e = positive_amount("amount", "OMR", d("1.1255")).unwrap_err();
        assert!(e.to_string().contains("at most 3 decimals"), "{e}");
        // no currency named: no scale rule
        assert!(amount_scale("amount", "", d("1.12345")).is_ok());
    }

    #[test]
    fn limits_and_emails() {
        let d = |s| Decimal::from_str(s).unwrap();
        let apply = |t, d, m| card_apply_limits("USD", t, d, m);
        assert!(apply(Some(d("10")), Some(d("100")), Some(d("1000"))).is_ok());
        assert!(apply(None, None, None).is_ok());
        // the page's example: 1, 1, 1
        assert!(apply(Some(d("1")), Some(d("1")), Some(d("1"))).is_ok());
        // no order is stated for an application
        assert!(apply(Some(d("200")), Some(d("100")), None).is_ok());
        assert_eq!(
            field_of(apply(Some(d("0.5")), None, None).unwrap_err()),
            "limit_per_transaction"
        );
        assert!(card_apply_limits("JPY", None, Some(d("1.5")), None).is_err());
        let update = card_update_limits;
        // the page's example: 0, 0, 0
        assert!(update(Some(d("0")), Some(d("0")), Some(d("0"))).is_ok());
        assert!(update(Some(d("10")), None, Some(d("10"))).is_ok());
        assert!(update(Some(d("-1")), None, None).is_err());
        assert_eq!(
            field_of(update(Some(d("200")), Some(d("100")), None).unwrap_err()),
            "limit_per_transaction"
        );
        assert_eq!(
            field_of(update(None, Some(d("200")), Some(d("100"))).unwrap_err()),
            "limit_per_day"
        );
        assert_eq!(
            field_of(update(Some(d("300")), None, Some(d("100"))).unwrap_err()),
            "limit_per_transaction"
        );
        assert!(email("email", "a@b.co").is_ok());
        assert!(
            email("email", "a b@c.d").is_err()
                && email("email", "abc").is_err()
                && email("email", "@x").is_err()
        );
        assert!(not_empty("card_id", " ").is_err());
        assert!(page(0, 1).is_err() && page(1, 0).is_err() && page(1, 1).is_ok());
    }
}
