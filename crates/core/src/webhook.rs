//! What every provider's webhook verifier shares: the timestamp tolerance.

use std::time::Duration;

use crate::error::{Error, Result, SignatureProblem};

/// How far a notification's signed time may be from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// At most this far in the past or the future.
    Within(Duration),
    /// No check: for manually redelivered notifications. The signature is still checked.
    Disabled,
}

impl Default for Tolerance {
    /// Five minutes, the window providers sign requests for.
    fn default() -> Self {
        Self::Within(Duration::from_secs(300))
    }
}

impl Tolerance {
    /// Checks a signed time (ms since the epoch) against now.
    pub fn check(self, signed_at_ms: i64, now_ms: i64) -> Result<()> {
        let Self::Within(window) = self else {
            return Ok(());
        };
        let skew = now_ms.abs_diff(signed_at_ms);
        if u128::from(skew) > window.as_millis() {
            return Err(Error::signature(
                SignatureProblem::Stale,
                format!(
                    "signed at {signed_at_ms} ms, now {now_ms} ms: {skew} ms apart, more than {} ms allowed",
                    window.as_millis()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn window_both_ways() {
        let t = Tolerance::default();
        assert!(t.check(1_000_000, 1_000_000 + 299_000).is_ok());
        assert!(t.check(1_000_000 + 299_000, 1_000_000).is_ok());
        let e = t.check(1_000_000, 1_000_000 + 301_000).unwrap_err();
        assert!(matches!(
            e.kind(),
            ErrorKind::Signature {
                problem: SignatureProblem::Stale,
                ..
            }
        ));
        assert!(Tolerance::Disabled.check(0, i64::MAX).is_ok());
    }
}
