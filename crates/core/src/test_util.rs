//! Test helpers shared by every provider crate: a scripted transport that
//! records what it is sent, and the request snapshot format.
//!
//! The snapshot format is the project's convention: the request line
//! `METHOD /path?query` on a line of its own, then one `name: value` line per
//! header in the order sent, a blank line, and the body exactly as sent.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Renders a request in the snapshot format.
///
/// ```
/// use walletbridge_core::{HttpRequest, Method, test_util::render_request};
/// let req = HttpRequest::new(Method::Post, "https://api.example/v1/x?a=1")
///     .header("Content-Type", "application/json")
///     .body(&b"{}"[..]);
/// assert_eq!(render_request(&req), "POST /v1/x?a=1\nContent-Type: application/json\n\n{}\n");
/// ```
pub fn render_request(request: &HttpRequest) -> String {
    let mut out = format!("{} {}\n", request.method, request.path_and_query());
    for (k, v) in &request.headers {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    if let Some(body) = &request.body {
        out.push_str(&String::from_utf8_lossy(body));
        out.push('\n');
    }
    out
}

type Responder = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync>;

/// A transport that answers from a script and records every request.
#[derive(Default)]
pub struct MockTransport {
    queue: Mutex<VecDeque<Result<HttpResponse, TransportError>>>,
    fallback: Option<Responder>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl std::fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockTransport").finish_non_exhaustive()
    }
}

impl MockTransport {
    /// An empty script: every request fails with a transport error.
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers every request (after the queued answers run out) with `f`.
    pub fn with_responder(
        f: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            fallback: Some(Box::new(f)),
            ..Self::default()
        }
    }

    /// Queues an answer.
    pub fn push(&self, response: HttpResponse) -> &Self {
        if let Ok(mut q) = self.queue.lock() {
            q.push_back(Ok(response));
        }
        self
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        if let Ok(mut q) = self.queue.lock() {
            q.push_back(Err(error));
        }
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The last request received.
    pub fn last_request(&self) -> Option<HttpRequest> {
        self.seen.lock().ok().and_then(|s| s.last().cloned())
    }
}

#[async_trait]
impl Transport for MockTransport {
    async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(request.clone());
        }
        let queued = self.queue.lock().ok().and_then(|mut q| q.pop_front());
        match (queued, &self.fallback) {
            (Some(answer), _) => answer,
            (None, Some(f)) => f(&request),
            (None, None) => Err(TransportError::new(
                crate::transport::TransportErrorKind::Connect,
                "MockTransport: no answer scripted",
            )),
        }
    }
}

/// Asserts that `err` is a signature error with `problem`.
#[track_caller]
pub fn assert_signature(err: &crate::Error, problem: crate::SignatureProblem) {
    assert!(
        matches!(err.kind(), crate::ErrorKind::Signature { problem: p, .. } if *p == problem),
        "expected a {problem:?} signature error, got {err}"
    );
}

/// A retry policy for tests: `max_attempts` attempts, 1 ms apart.
pub fn quick_retries(max_attempts: u32) -> crate::RetryPolicy {
    crate::RetryPolicy::default()
        .max_attempts(max_attempts)
        .base_delay(std::time::Duration::from_millis(1))
}

/// Splits `path?k=v&k2=v2` into the path and its raw `(key, value)` pairs,
/// for matching a mock server's request against what was signed. Refuses
/// percent-encoded pairs: mock servers compare decoded values.
#[track_caller]
pub fn split_query(path_and_query: &str) -> (&str, Vec<(&str, &str)>) {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let params: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    assert!(
        params
            .iter()
            .all(|(k, v)| !k.contains('%') && !v.contains('%')),
        "percent-encoded query parameters are not supported here: {path_and_query}"
    );
    (path, params)
}
