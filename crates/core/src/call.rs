//! The call executor: builds and signs a request (provider code), sends it,
//! decodes the answer (provider code), retries by the policy, marks unknown
//! outcomes, and traces every attempt.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument as _;

use crate::auth::TokenSource;
use crate::error::{Error, ErrorKind, Result};
use crate::retry::{Idempotency, RetryPolicy};
use crate::secret::SecretString;
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// What a call is, for retries, tracing and error reports.
#[derive(Debug, Clone, Copy)]
pub struct CallSpec {
    /// The provider (`"gsalary"`).
    pub provider: &'static str,
    /// The operation, as the provider's page names it (`"apply card"`).
    pub operation: &'static str,
    /// Whether the call may be repeated.
    pub idempotency: Idempotency,
    /// The answer carries secrets (card numbers, CVV): error reports withhold the body.
    pub sensitive: bool,
}

impl CallSpec {
    /// A query.
    pub const fn read(provider: &'static str, operation: &'static str) -> Self {
        Self {
            provider,
            operation,
            idempotency: Idempotency::Read,
            sensitive: false,
        }
    }

    /// A state-changing call.
    pub const fn write(
        provider: &'static str,
        operation: &'static str,
        idempotency: Idempotency,
    ) -> Self {
        Self {
            provider,
            operation,
            idempotency,
            sensitive: false,
        }
    }

    /// Marks the answer as carrying secrets.
    pub const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// The time a whole call may take, across every attempt and the waits
/// between them, unless configured otherwise: 60 seconds.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// Settings one call (or one handle on a client) may override.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// The time the whole call may take, across attempts and waits.
    pub deadline: Option<Duration>,
    /// The time one attempt may take; the transport's own timeout still applies.
    pub attempt_timeout: Option<Duration>,
    /// The retry policy.
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time the whole call may take, across attempts and waits.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// The time one attempt may take.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

/// Sends calls through a transport with a retry policy and a deadline. Cheap to clone.
#[derive(Clone)]
pub struct Executor {
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    deadline: Duration,
    attempt_timeout: Option<Duration>,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("attempt_timeout", &self.attempt_timeout)
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// An executor over `transport` with `retry` and the [`DEFAULT_DEADLINE`].
    pub fn new(transport: Arc<dyn Transport>, retry: RetryPolicy) -> Self {
        Self {
            transport,
            retry,
            deadline: DEFAULT_DEADLINE,
            attempt_timeout: None,
        }
    }

    /// The same executor with a total deadline per call. It holds whatever
    /// transport is used, a caller's own HTTP client included.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The same executor with `options` applied over its settings.
    pub fn with_options(&self, options: &CallOptions) -> Self {
        let mut e = self.clone();
        if let Some(d) = options.deadline {
            e.deadline = d;
        }
        if let Some(t) = options.attempt_timeout {
            e.attempt_timeout = Some(t);
        }
        if let Some(r) = &options.retry {
            e.retry = r.clone();
        }
        e
    }

    /// The total deadline per call.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Runs one call. `build` makes the signed request for each attempt (so a
    /// retry carries a fresh timestamp); `decode` verifies and decodes the answer.
    pub async fn run<T, B, D>(&self, spec: &CallSpec, build: B, decode: D) -> Result<T>
    where
        B: FnMut(&Attempt) -> Result<HttpRequest>,
        D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
    {
        self.execute(spec, None, build, decode).await
    }

    /// Runs one call that carries a token from `tokens`, fetched afresh for
    /// every attempt and handed to `build` in [`Attempt::token`].
    ///
    /// On HTTP 401, when `tokens` can refresh, the refused token is
    /// invalidated and the call is repeated exactly once with a new token,
    /// whatever its idempotency: a 401 means the provider did nothing. A
    /// second 401, or a 401 from a source that cannot refresh, is an
    /// [`Authentication`](ErrorKind::Authentication) error.
    pub async fn run_authenticated<T, B, D>(
        &self,
        spec: &CallSpec,
        tokens: &dyn TokenSource,
        build: B,
        decode: D,
    ) -> Result<T>
    where
        B: FnMut(&Attempt) -> Result<HttpRequest>,
        D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
    {
        self.execute(spec, Some(tokens), build, decode).await
    }

    async fn execute<T, B, D>(
        &self,
        spec: &CallSpec,
        tokens: Option<&dyn TokenSource>,
        mut build: B,
        mut decode: D,
    ) -> Result<T>
    where
        B: FnMut(&Attempt) -> Result<HttpRequest>,
        D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
    {
        let tag = |e: Error| e.in_call(spec.provider, spec.operation);
        let call_started = Instant::now();
        let result = self
            .attempts(spec, tokens, &mut build, &mut decode, call_started)
            .await;
        let latency_ms = u64::try_from(call_started.elapsed().as_millis()).unwrap_or(u64::MAX);
        // One event per call, whatever happened inside.
        match &result {
            Ok((_, attempts, status)) => tracing::debug!(
                provider = spec.provider,
                operation = spec.operation,
                status,
                attempts,
                latency_ms,
                "call succeeded"
            ),
            Err((err, attempts)) => tracing::warn!(
                provider = spec.provider,
                operation = spec.operation,
                status = err.status(),
                attempts,
                latency_ms,
                outcome_unknown = err.is_outcome_unknown(),
                error = summary(err),
                "call failed"
            ),
        }
        result.map(|(v, _, _)| v).map_err(|(e, _)| tag(e))
    }

    /// The attempts of one call; returns the value (or error) with the number
    /// of attempts made and the last HTTP status.
    async fn attempts<T, B, D>(
        &self,
        spec: &CallSpec,
        tokens: Option<&dyn TokenSource>,
        build: &mut B,
        decode: &mut D,
        call_started: Instant,
    ) -> std::result::Result<(T, u32, u16), (Error, u32)>
    where
        B: FnMut(&Attempt) -> Result<HttpRequest>,
        D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
    {
        let tag = |e: Error| e.in_call(spec.provider, spec.operation);
        let mut attempt = Attempt {
            number: 1,
            token: None,
        };
        // Counts retries by the policy; a repeat after a refreshed token is not one.
        let mut tries = 1u32;
        let mut refreshed = false;
        let mut last_status = 0u16;
        loop {
            let made = attempt.number;
            attempt.token = match tokens {
                Some(source) => Some(source.token().await.map_err(|e| (tag(e), made))?),
                None => None,
            };
            let request = build(&attempt).map_err(|e| (tag(e), made))?;
            let span = tracing::info_span!(
                "walletbridge.call",
                provider = spec.provider,
                operation = spec.operation,
                method = request.method.as_str(),
                origin = %request.origin(),
                path = request.path(),
                attempt = attempt.number,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            // The deadline bounds the whole call; an attempt also stops at its own limit.
            let left = self.deadline.saturating_sub(call_started.elapsed());
            let limit = self.attempt_timeout.map_or(left, |t| t.min(left));
            let sent = match tokio::time::timeout(
                limit,
                self.transport
                    .execute(request.clone())
                    .instrument(span.clone()),
            )
            .await
            {
                Ok(sent) => sent,
                Err(_) => Err(crate::transport::TransportError::new(
                    crate::transport::TransportErrorKind::Timeout,
                    format!("no answer within {} ms", limit.as_millis()),
                )),
            };
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("latency_ms", latency_ms);
            let outcome = match sent {
                Err(e) => {
                    let _g = span.enter();
                    tracing::warn!(error = %e.message, "transport failure");
                    Err(Error::from(e))
                }
                Ok(response) if response.status == 401 && tokens.is_some() => {
                    last_status = response.status;
                    span.record("status", response.status);
                    if let (Some(source), Some(token)) = (tokens, attempt.token.as_ref())
                        && source.can_refresh()
                        && !refreshed
                    {
                        span.in_scope(|| tracing::info!("token refused; refreshing once"));
                        source.invalidate(token);
                        refreshed = true;
                        attempt.number += 1;
                        continue;
                    }
                    Err(refused(&request, &response, decode))
                }
                Ok(response) => {
                    last_status = response.status;
                    span.record("status", response.status);
                    // The answer is kept on the error only when there is one.
                    decode(&request, &response).map_err(|e| {
                        let e = if e.retry_after().is_none() {
                            e.with_retry_after(response.retry_after())
                        } else {
                            e
                        };
                        if e.raw_response().is_none() {
                            e.with_raw(response.to_raw())
                        } else {
                            e
                        }
                    })
                }
            };
            let err = match outcome {
                Ok(v) => return Ok((v, attempt.number, last_status)),
                Err(e) => tag(e),
            };
            let wait = self.retry.delay(tries, err.retry_after());
            let in_time = call_started.elapsed().saturating_add(wait) < self.deadline;
            if in_time && self.retry.should_retry(spec.idempotency, &err, tries) {
                // The summary names the failure without quoting any body.
                span.in_scope(|| {
                    tracing::info!(
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        error = summary(&err),
                        "retrying"
                    )
                });
                tokio::time::sleep(wait).await;
                tries += 1;
                attempt.number += 1;
                continue;
            }
            // A read that failed changed nothing, whatever the provider said.
            let unknown = spec.idempotency != Idempotency::Read
                && (err.is_outcome_unknown() || may_have_acted(&err));
            let err = err.with_outcome_unknown(unknown);
            let err = if spec.sensitive {
                err.withhold_body()
            } else {
                err
            };
            return Err((err, attempt.number));
        }
    }
}

/// What one attempt of a call is built with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Attempt {
    /// The attempt's number, from 1.
    pub number: u32,
    /// The token to send, for calls run with a [`TokenSource`].
    pub token: Option<SecretString>,
}

/// The error for a final 401: always an authentication error, with the
/// provider's own message when its decoder finds one.
fn refused<T, D>(request: &HttpRequest, response: &HttpResponse, decode: &mut D) -> Error
where
    D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
{
    let message = match decode(request, response) {
        Err(e) => e
            .message()
            .map(str::to_owned)
            .unwrap_or_else(|| crate::error::snippet(&response.body)),
        Ok(_) => crate::error::snippet(&response.body),
    };
    Error::authentication(401, message).with_raw(response.to_raw())
}

/// A one-line description of a failure that never quotes a body.
fn summary(err: &Error) -> String {
    match err.kind() {
        ErrorKind::Http { status, .. } => format!("HTTP {status}"),
        ErrorKind::Api(api) => format!("provider error {}", api.code),
        ErrorKind::Timeout => "timeout".to_owned(),
        ErrorKind::Transport { sent, .. } => {
            format!(
                "transport failure ({})",
                if *sent { "sent" } else { "not sent" }
            )
        }
        ErrorKind::Decode { path, .. } => format!("undecodable answer at `{path}`"),
        ErrorKind::Signature { problem, .. } => format!("signature {problem}"),
        ErrorKind::Authentication { status, .. } => format!("authentication (HTTP {status})"),
        ErrorKind::Config { .. } => "configuration".to_owned(),
        ErrorKind::Validation { field, .. } => format!("validation of `{field}`"),
    }
}

/// Whether the provider may have acted on a request that failed this way.
fn may_have_acted(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::Timeout | ErrorKind::Transport { sent: true, .. } => true,
        // 5xx: the provider may have failed after acting; 2xx: it accepted the
        // request but the answer could not be read.
        // 3xx: the transport follows no redirect, so a write answered with one
        // may have been acted on before the provider pointed elsewhere.
        ErrorKind::Http { status, .. } => *status >= 500 || (200..400).contains(status),
        // A 2xx answer that cannot be trusted or read: the provider may well have acted.
        ErrorKind::Decode { .. } | ErrorKind::Signature { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
