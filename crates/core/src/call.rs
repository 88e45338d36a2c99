//! The call executor: builds and signs a request (provider code), sends it,
//! decodes the answer (provider code), retries by the policy, marks unknown
//! outcomes, and traces every attempt.

use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument as _;

use crate::error::{Error, ErrorKind, Result};
use crate::retry::{Idempotency, RetryPolicy};
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

/// Sends calls through a transport with a retry policy. Cheap to clone.
#[derive(Clone)]
pub struct Executor {
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Executor {
    /// An executor over `transport` with `retry`.
    pub fn new(transport: Arc<dyn Transport>, retry: RetryPolicy) -> Self {
        Self { transport, retry }
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Runs one call. `build` makes the signed request for each attempt (so a
    /// retry carries a fresh timestamp); `decode` verifies and decodes the answer.
    pub async fn run<T, B, D>(&self, spec: &CallSpec, mut build: B, mut decode: D) -> Result<T>
    where
        B: FnMut() -> Result<HttpRequest>,
        D: FnMut(&HttpRequest, &HttpResponse) -> Result<T>,
    {
        let mut attempt = 1u32;
        loop {
            let request = build().map_err(|e| e.in_call(spec.provider, spec.operation))?;
            let span = tracing::info_span!(
                "walletbridge.call",
                provider = spec.provider,
                operation = spec.operation,
                method = request.method.as_str(),
                path = request.path(),
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let sent = self
                .transport
                .execute(request.clone())
                .instrument(span.clone())
                .await;
            let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("latency_ms", latency_ms);
            let outcome = match sent {
                Err(e) => {
                    let _g = span.enter();
                    tracing::warn!(error = %e.message, "transport failure");
                    Err(Error::from(e))
                }
                Ok(response) => {
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
                Ok(v) => return Ok(v),
                Err(e) => e.in_call(spec.provider, spec.operation),
            };
            if self.retry.should_retry(spec.idempotency, &err, attempt) {
                let wait = self.retry.delay(attempt, err.retry_after());
                span.in_scope(|| tracing::info!(wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), error = %err, "retrying"));
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            // A read that failed changed nothing, whatever the provider said.
            let unknown = spec.idempotency != Idempotency::Read
                && (err.is_outcome_unknown() || may_have_acted(&err));
            let err = err.with_outcome_unknown(unknown);
            return Err(if spec.sensitive {
                err.withhold_body()
            } else {
                err
            });
        }
    }
}

/// Whether the provider may have acted on a request that failed this way.
fn may_have_acted(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::Timeout | ErrorKind::Transport { sent: true, .. } => true,
        // 5xx: the provider may have failed after acting; 2xx: it accepted the
        // request but the answer could not be read.
        ErrorKind::Http { status, .. } => *status >= 500 || (200..300).contains(status),
        // A 2xx answer that cannot be trusted or read: the provider may well have acted.
        ErrorKind::Decode { .. } | ErrorKind::Signature { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
