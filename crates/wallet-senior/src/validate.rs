//! The page's rules, checked before anything is signed or sent. Every error
//! names the field as on the wire (`collect_req.recievers[1].wallet_id`).

use std::collections::HashSet;

use walletbridge_core::date::DateTime;
use walletbridge_core::{Error, Result};

use crate::models::Fen;

/// The longest `biz_no` the server takes, in bytes.
pub(crate) const MAX_BIZ_NO_BYTES: usize = 32;

/// The furthest an `expire_time` may be from now.
pub(crate) const MAX_EXPIRY_SECS: i64 = 24 * 60 * 60;

/// Text that must be there: not empty, not only blanks, no control characters.
pub(crate) fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    no_controls(field, value)
}

/// Optional text: when given, the same as [`required`].
pub(crate) fn optional(field: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |v| required(field, v))
}

fn no_controls(field: &str, value: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// `biz_no`: not empty, at most 32 bytes.
pub(crate) fn biz_no(field: &str, value: &str) -> Result<()> {
    required(field, value)?;
    if value.len() > MAX_BIZ_NO_BYTES {
        return Err(Error::validation(
            field,
            format!(
                "must be at most {MAX_BIZ_NO_BYTES} bytes, got {}",
                value.len()
            ),
        ));
    }
    Ok(())
}

/// An amount greater than zero.
pub(crate) fn positive(field: &str, amount: Fen) -> Result<()> {
    if amount.get() <= 0 {
        return Err(Error::validation(
            field,
            format!("must be greater than 0 fen, got {}", amount.get()),
        ));
    }
    Ok(())
}

/// An amount of zero or more (fees).
pub(crate) fn non_negative(field: &str, amount: Fen) -> Result<()> {
    if amount.get() < 0 {
        return Err(Error::validation(
            field,
            format!("must not be negative, got {}", amount.get()),
        ));
    }
    Ok(())
}

/// A wallet id: greater than zero.
pub(crate) fn wallet_id(field: &str, id: i64) -> Result<()> {
    if id <= 0 {
        return Err(Error::validation(
            field,
            format!("must be a wallet id greater than 0, got {id}"),
        ));
    }
    Ok(())
}

/// An IPv4 or IPv6 address.
pub(crate) fn ip(field: &str, value: &str) -> Result<()> {
    if value.trim() != value || value.parse::<std::net::IpAddr>().is_err() {
        return Err(Error::validation(field, "must be an IPv4 or IPv6 address"));
    }
    Ok(())
}

/// A URL the payer is sent to: not empty, no blanks or control characters.
pub(crate) fn url(field: &str, value: &str) -> Result<()> {
    required(field, value)?;
    if value.chars().any(char::is_whitespace) {
        return Err(Error::validation(field, "must not contain spaces"));
    }
    Ok(())
}

/// An expiry after now and at most 24 hours from now (at the second the wire
/// carries).
pub(crate) fn expire_time(field: &str, at: DateTime, now_ms: i64) -> Result<()> {
    let now = now_ms.div_euclid(1000);
    let secs = at.unix_timestamp();
    if secs <= now {
        return Err(Error::validation(field, "must be in the future"));
    }
    if secs - now > MAX_EXPIRY_SECS {
        return Err(Error::validation(
            field,
            "must be at most 24 hours from now",
        ));
    }
    Ok(())
}

/// A list of `(wallet_id, amount)` entries: not empty, every wallet id valid
/// and (when `unique`) used once, every amount positive. Returns the sum.
pub(crate) fn entries(
    field: &str,
    entries: impl ExactSizeIterator<Item = (i64, Fen)>,
    unique: bool,
) -> Result<Fen> {
    if entries.len() == 0 {
        return Err(Error::validation(field, "must not be empty"));
    }
    let mut seen = HashSet::new();
    let mut sum = 0i64;
    for (i, (id, amount)) in entries.enumerate() {
        wallet_id(&format!("{field}[{i}].wallet_id"), id)?;
        if unique && !seen.insert(id) {
            return Err(Error::validation(
                format!("{field}[{i}].wallet_id"),
                format!("wallet {id} appears more than once"),
            ));
        }
        positive(&format!("{field}[{i}].amount"), amount)?;
        sum = sum
            .checked_add(amount.get())
            .ok_or_else(|| Error::validation(field, "the amounts add up beyond range"))?;
    }
    Ok(Fen(sum))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn field(e: Error) -> String {
        match e.kind() {
            walletbridge_core::ErrorKind::Validation { field, .. } => field.clone(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn rules() {
        assert!(biz_no("biz_no", &"a".repeat(32)).is_ok());
        assert_eq!(
            field(biz_no("biz_no", &"a".repeat(33)).unwrap_err()),
            "biz_no"
        );
        // 11 three-byte characters: 33 bytes
        assert!(biz_no("biz_no", &"单".repeat(11)).is_err());
        assert!(biz_no("biz_no", " ").is_err());
        assert!(biz_no("biz_no", "a\nb").is_err());
        assert!(ip("ip", "10.0.0.1").is_ok());
        assert!(ip("ip", "::1").is_ok());
        assert!(ip("ip", " 10.0.0.1").is_err());
        assert!(ip("ip", "10.0.0.256").is_err());
        assert!(url("u", "https://x/y?z=1").is_ok());
        assert!(url("u", "https://x/ y").is_err());
        assert!(positive("a", Fen(0)).is_err());
        assert!(non_negative("a", Fen(0)).is_ok());
        assert!(wallet_id("w", 0).is_err());
    }

    #[test]
    fn expiry_is_within_a_day() {
        let now_ms = 1_704_067_200_000;
        let at = |s: i64| walletbridge_core::date::from_unix_seconds(s).unwrap();
        assert!(expire_time("e", at(1_704_067_201), now_ms).is_ok());
        assert!(expire_time("e", at(1_704_067_200 + 86_400), now_ms).is_ok());
        assert!(expire_time("e", at(1_704_067_200 + 86_401), now_ms).is_err());
        assert!(expire_time("e", at(1_704_067_200), now_ms).is_err());
    }

    #[test]
    fn entries_name_the_bad_one() {
        let ok = entries("r", [(1, Fen(5)), (2, Fen(6))].into_iter(), true).unwrap();
        assert_eq!(ok, Fen(11));
        let dup = entries("r", [(1, Fen(5)), (1, Fen(6))].into_iter(), true).unwrap_err();
        assert_eq!(field(dup), "r[1].wallet_id");
        assert!(entries("r", [(1, Fen(5)), (1, Fen(6))].into_iter(), false).is_ok());
        let neg = entries("r", [(1, Fen(-5))].into_iter(), true).unwrap_err();
        assert_eq!(field(neg), "r[0].amount");
        assert_eq!(
            field(entries("r", std::iter::empty::<(i64, Fen)>(), true).unwrap_err()),
            "r"
        );
        assert!(entries("r", [(1, Fen(i64::MAX)), (2, Fen(1))].into_iter(), true).is_err());
    }
}
