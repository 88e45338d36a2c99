//! Retry policy: exponential backoff with jitter and a cap, Retry-After honoured,
//! and the rule that keeps money safe: a call that changes state is repeated
//! only when the provider de-duplicates it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Error;

/// Whether a call may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// A query: repeating it changes nothing.
    Read,
    /// Changes state, and carries a caller key (order number, request id) that
    /// the provider is known to de-duplicate: a repeat cannot act twice.
    Deduplicated,
    /// Changes state and may act twice if repeated: never repeated by the SDK.
    Unsafe,
}

/// How and when failed calls are tried again.
#[derive(Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    retry_deduplicated: bool,
    rng: Option<Arc<Mutex<fastrand::Rng>>>,
}

impl std::fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("max_retry_after", &self.max_retry_after)
            .field("retry_deduplicated", &self.retry_deduplicated)
            .field("jitter", &self.rng.is_some())
            .finish()
    }
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms doubling to at most 5 s, with jitter; Retry-After
    /// honoured up to 30 s; de-duplicated writes are retried.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            retry_deduplicated: true,
            rng: Some(Arc::new(Mutex::new(fastrand::Rng::new()))),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The first delay; each retry doubles it.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// The longest backoff delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The longest Retry-After the SDK waits out itself; a longer one ends the call.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Whether state-changing calls that the provider de-duplicates are retried (default yes).
    pub fn retry_deduplicated(mut self, yes: bool) -> Self {
        self.retry_deduplicated = yes;
        self
    }

    /// Turns jitter off, for tests that assert delays.
    pub fn without_jitter(mut self) -> Self {
        self.rng = None;
        self
    }

    /// Seeds the jitter, for reproducible tests.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.rng = Some(Arc::new(Mutex::new(fastrand::Rng::with_seed(seed))));
        self
    }

    /// Whether a call that failed with `err` on attempt `attempt` (from 1) is tried again.
    pub fn should_retry(&self, idempotency: Idempotency, err: &Error, attempt: u32) -> bool {
        if attempt >= self.max_attempts || !err.is_retryable() {
            return false;
        }
        if err.retry_after().is_some_and(|d| d > self.max_retry_after) {
            return false;
        }
        if err.is_not_sent() {
            // The request never left: sending it now is the first delivery.
            return true;
        }
        match idempotency {
            Idempotency::Read => true,
            Idempotency::Deduplicated => self.retry_deduplicated,
            Idempotency::Unsafe => false,
        }
    }

    /// The wait before attempt `attempt + 1`: the backoff for `attempt`, or
    /// the provider's Retry-After when that is longer.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_delay);
        // "Equal jitter": half fixed, half random, so delays never collapse to zero.
        let backoff = match &self.rng {
            Some(rng) => {
                let half = exp / 2;
                let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
                let extra = rng.lock().map(|mut r| r.u64(0..=nanos)).unwrap_or(nanos);
                half + Duration::from_nanos(extra)
            }
            None => exp,
        };
        match retry_after {
            Some(ra) if ra > backoff => ra.min(self.max_retry_after),
            _ => backoff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ErrorKind};

    fn timeout() -> Error {
        Error::new(ErrorKind::Timeout)
    }

    #[test]
    fn reads_retry_writes_do_not() {
        let p = RetryPolicy::default();
        assert!(p.should_retry(Idempotency::Read, &timeout(), 1));
        assert!(p.should_retry(Idempotency::Read, &Error::http(503, b""), 2));
        assert!(!p.should_retry(Idempotency::Read, &timeout(), 3));
        assert!(!p.should_retry(Idempotency::Unsafe, &timeout(), 1));
        assert!(!p.should_retry(Idempotency::Unsafe, &Error::http(503, b""), 1));
        assert!(p.should_retry(Idempotency::Deduplicated, &timeout(), 1));
        assert!(
            !RetryPolicy::default()
                .retry_deduplicated(false)
                .should_retry(Idempotency::Deduplicated, &timeout(), 1)
        );
    }

    #[test]
    fn unsent_requests_may_be_sent_even_when_unsafe() {
        let refused = Error::new(ErrorKind::Transport {
            message: "refused".into(),
            sent: false,
        });
        assert!(RetryPolicy::default().should_retry(Idempotency::Unsafe, &refused, 1));
    }

    #[test]
    fn permanent_errors_are_not_retried() {
        let p = RetryPolicy::default();
        assert!(!p.should_retry(Idempotency::Read, &Error::http(404, b""), 1));
        let busy = Error::api(ApiError::new("SYSTEM_BUSY", "busy", 423).retryable(true));
        assert!(p.should_retry(Idempotency::Read, &busy, 1));
        let bad = Error::api(ApiError::new("BAD_REQUEST", "bad", 400));
        assert!(!p.should_retry(Idempotency::Read, &bad, 1));
        assert!(!p.should_retry(Idempotency::Read, &Error::validation("a", "b"), 1));
    }

    #[test]
    fn backoff_doubles_to_the_cap() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
            .without_jitter();
        assert_eq!(p.delay(1, None), Duration::from_millis(100));
        assert_eq!(p.delay(2, None), Duration::from_millis(200));
        assert_eq!(p.delay(3, None), Duration::from_millis(350));
        assert_eq!(p.delay(30, None), Duration::from_millis(350));
    }

    #[test]
    fn jitter_stays_between_half_and_full() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .jitter_seed(7);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let d = p.delay(1, None);
            assert!(
                d >= Duration::from_millis(50) && d <= Duration::from_millis(100),
                "{d:?}"
            );
            seen.insert(d);
        }
        assert!(seen.len() > 1, "jitter must vary");
    }

    #[test]
    fn retry_after_wins_when_longer_and_is_capped() {
        let p = RetryPolicy::default()
            .without_jitter()
            .max_retry_after(Duration::from_secs(10));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_millis(1))),
            Duration::from_millis(200)
        );
        let long = Error::http(503, b"").with_retry_after(Some(Duration::from_secs(60)));
        assert!(!p.should_retry(Idempotency::Read, &long, 1));
    }
}
