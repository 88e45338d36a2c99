//! Bearer-style authentication: where a call's token comes from, and what
//! happens when the provider refuses it.
//!
//! A provider that authenticates with a token (the senior wallet's
//! `access_token`, the merchant wallet's bearer JWT) asks a [`TokenSource`]
//! for one before every attempt. [`StaticToken`] hands out one fixed token;
//! [`CachedTokenSource`] wraps a user-supplied async function that issues a
//! token and its lifetime, refreshes it a margin before it expires, and runs
//! one refresh however many calls wait for it.
//!
//! The executor ([`Executor::run_authenticated`](crate::Executor::run_authenticated))
//! reacts to HTTP 401: when the source can refresh, it invalidates the
//! refused token, fetches a new one and repeats the call exactly once, for
//! every kind of call, since a 401 means the provider did nothing. A second
//! 401 is an authentication error.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::SecretString;

/// Where a call's token comes from.
#[async_trait]
pub trait TokenSource: Send + Sync {
    /// A token to send now.
    async fn token(&self) -> Result<SecretString>;

    /// Tells the source that the provider refused `token` (HTTP 401), so the
    /// next [`token`](Self::token) must not return it again.
    fn invalidate(&self, token: &SecretString);

    /// Whether the source can obtain a new token after a refusal. When it
    /// cannot, a 401 is final.
    fn can_refresh(&self) -> bool;
}

/// One fixed token; a 401 stays an authentication error.
#[derive(Clone)]
pub struct StaticToken(SecretString);

impl StaticToken {
    /// A source that always hands out `token`.
    pub fn new(token: impl Into<SecretString>) -> Self {
        Self(token.into())
    }
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("StaticToken").field(&self.0).finish()
    }
}

#[async_trait]
impl TokenSource for StaticToken {
    async fn token(&self) -> Result<SecretString> {
        Ok(self.0.clone())
    }

    fn invalidate(&self, _token: &SecretString) {}

    fn can_refresh(&self) -> bool {
        false
    }
}

/// A token as issued, with how long it is valid from the moment it was issued.
#[derive(Clone)]
pub struct IssuedToken {
    /// The token.
    pub token: SecretString,
    /// How long it stays valid.
    pub lifetime: Duration,
}

impl IssuedToken {
    /// A token valid for `lifetime`.
    pub fn new(token: impl Into<SecretString>, lifetime: Duration) -> Self {
        Self {
            token: token.into(),
            lifetime,
        }
    }
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &self.token)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Issuer = Arc<dyn Fn() -> BoxFuture<Result<IssuedToken>> + Send + Sync>;

struct Cached {
    token: SecretString,
    /// Milliseconds since the epoch after which the token is refreshed.
    refresh_at_ms: i64,
}

/// A token fetched by a user-supplied async function, cached until a margin
/// before it expires.
///
/// - The refresh runs under a lock: however many calls wait, one refresh runs,
///   and they all get its token.
/// - A failed refresh is an error naming the cause; nothing is cached, so the
///   next call tries again.
/// - Time comes from the injected [`Clock`], so expiry is testable.
///
/// ```
/// use std::time::Duration;
/// use walletbridge_core::auth::{CachedTokenSource, IssuedToken, TokenSource};
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let source = CachedTokenSource::new(|| async {
///     // Call the deployment's token endpoint here.
///     Ok(IssuedToken::new("t-1", Duration::from_secs(7200)))
/// });
/// assert_eq!(source.token().await.unwrap().expose(), "t-1");
/// # });
/// ```
pub struct CachedTokenSource {
    issue: Issuer,
    margin: Duration,
    clock: Arc<dyn Clock>,
    state: tokio::sync::Mutex<Option<Cached>>,
    /// The last token handed out, readable without the async lock, so that
    /// [`TokenSource::invalidate`] can compare without waiting.
    current: std::sync::Mutex<Option<SecretString>>,
}

impl std::fmt::Debug for CachedTokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedTokenSource")
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl CachedTokenSource {
    /// A source that calls `issue` for a token when it has none or when the
    /// one it has is within the margin (default 60 s) of its expiry.
    pub fn new<F, Fut>(issue: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<IssuedToken>> + Send + 'static,
    {
        Self {
            issue: Arc::new(move || Box::pin(issue())),
            margin: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
            state: tokio::sync::Mutex::new(None),
            current: std::sync::Mutex::new(None),
        }
    }

    /// Refreshes this long before the token's expiry (default 60 s). A margin
    /// longer than a token's lifetime makes every call refresh.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The clock expiry is measured with.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn remember(&self, token: Option<&SecretString>) {
        if let Ok(mut current) = self.current.lock() {
            *current = token.cloned();
        }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[async_trait]
impl TokenSource for CachedTokenSource {
    async fn token(&self) -> Result<SecretString> {
        let mut state = self.state.lock().await;
        let now = self.clock.now_millis();
        if let Some(cached) = state.as_ref()
            && now < cached.refresh_at_ms
        {
            return Ok(cached.token.clone());
        }
        *state = None;
        self.remember(None);
        let issued = (self.issue)().await.map_err(refresh_failed)?;
        if issued.token.is_empty() {
            return Err(Error::authentication(
                0,
                "the token source issued an empty token",
            ));
        }
        let refresh_at_ms = now
            .saturating_add(millis(issued.lifetime))
            .saturating_sub(millis(self.margin));
        self.remember(Some(&issued.token));
        *state = Some(Cached {
            token: issued.token.clone(),
            refresh_at_ms,
        });
        Ok(issued.token)
    }

    fn invalidate(&self, token: &SecretString) {
        // Only the token that was refused is dropped: when fifty calls see a
        // 401 for the same token, the first invalidates it and the others find
        // the fresh one already in place.
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if current.as_ref() == Some(token) {
            *current = None;
            // The async lock may be held by a refresh in progress; then the
            // refresh replaces the token anyway.
            if let Ok(mut state) = self.state.try_lock()
                && state.as_ref().is_some_and(|c| &c.token == token)
            {
                *state = None;
            }
        }
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

/// A refresh failure keeps its cause's kind when it is an authentication
/// error (wrong credentials) and becomes one otherwise, naming the cause.
fn refresh_failed(cause: Error) -> Error {
    match cause.kind() {
        ErrorKind::Authentication { .. } => cause,
        _ => {
            let why = cause.to_string();
            Error::authentication(0, format!("refreshing the token failed: {why}"))
                .with_source(cause)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counting(
        calls: Arc<AtomicU32>,
        lifetime: Duration,
        clock: Arc<FixedClock>,
    ) -> CachedTokenSource {
        CachedTokenSource::new(move || {
            let calls = calls.clone();
            async move {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                // A slow issuer, so concurrent callers really overlap.
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(IssuedToken::new(format!("token-{n}"), lifetime))
            }
        })
        .clock(clock)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fifty_concurrent_callers_share_one_refresh() {
        let calls = Arc::new(AtomicU32::new(0));
        let clock = Arc::new(FixedClock::new(1_000_000));
        let source = Arc::new(counting(
            calls.clone(),
            Duration::from_secs(3600),
            clock.clone(),
        ));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let s = source.clone();
                tokio::spawn(async move { s.token().await.unwrap().expose().clone() })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), "token-1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn refreshes_the_margin_before_expiry() {
        let calls = Arc::new(AtomicU32::new(0));
        let clock = Arc::new(FixedClock::new(0));
        let source = counting(calls.clone(), Duration::from_secs(600), clock.clone())
            .refresh_margin(Duration::from_secs(60));
        assert_eq!(source.token().await.unwrap().expose(), "token-1");
        // 539 s later: still more than the margin left.
        clock.set(539_000);
        assert_eq!(source.token().await.unwrap().expose(), "token-1");
        // 540 s: within 60 s of the 600 s lifetime, refresh.
        clock.set(540_000);
        assert_eq!(source.token().await.unwrap().expose(), "token-2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_names_the_cause_and_the_next_call_retries() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let source = CachedTokenSource::new(move || {
            let n = c.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    Err(Error::http(503, b"token service down"))
                } else {
                    Ok(IssuedToken::new("fresh", Duration::from_secs(60)))
                }
            }
        })
        .refresh_margin(Duration::ZERO);
        let err = source.token().await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Authentication { .. }),
            "{err}"
        );
        assert!(
            err.to_string().contains("refreshing the token failed"),
            "{err}"
        );
        assert!(err.to_string().contains("503"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
        assert_eq!(source.token().await.unwrap().expose(), "fresh");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_refused_token() {
        let calls = Arc::new(AtomicU32::new(0));
        let clock = Arc::new(FixedClock::new(0));
        let source = counting(calls.clone(), Duration::from_secs(3600), clock);
        let first = source.token().await.unwrap();
        source.invalidate(&SecretString::from("someone-else's"));
        assert_eq!(source.token().await.unwrap().expose(), "token-1");
        source.invalidate(&first);
        assert_eq!(source.token().await.unwrap().expose(), "token-2");
        // A late 401 for the old token leaves the new one alone.
        source.invalidate(&first);
        assert_eq!(source.token().await.unwrap().expose(), "token-2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn tokens_never_reach_debug() {
        let s = StaticToken::new("sekrit-token");
        let issued = IssuedToken::new("sekrit-token", Duration::from_secs(1));
        let debug = format!("{s:?} {issued:?}");
        assert!(!debug.contains("sekrit"), "{debug}");
        assert!(!s.can_refresh());
        assert_eq!(s.token().await.unwrap().expose(), "sekrit-token");
    }
}
