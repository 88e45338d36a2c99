//! The one error type every walletbridge client returns.
//!
//! An [`Error`] is an [`ErrorKind`] (what went wrong) plus the call it happened
//! in (provider, operation) and two answers a caller needs before doing anything
//! else: [`Error::is_retryable`] and [`Error::is_outcome_unknown`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

/// Result alias used across walletbridge.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// The response or notification carried no signature.
    Missing,
    /// The signature (or the header that carries it) could not be parsed.
    Malformed,
    /// The signature parsed but does not verify with the configured key.
    Mismatch,
    /// The signed timestamp is outside the accepted tolerance.
    Stale,
    /// Signing failed locally.
    SigningFailed,
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing => "missing",
            Self::Malformed => "malformed",
            Self::Mismatch => "does not verify",
            Self::Stale => "timestamp outside tolerance",
            Self::SigningFailed => "signing failed",
        })
    }
}

/// A business error reported by a provider in its own envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The provider's error code (`INSUFFICIENT_BALANCE`, `1003`...).
    pub code: String,
    /// The provider's message.
    pub message: String,
    /// The HTTP status of the answer.
    pub status: u16,
    /// Whether the provider marks this error as transient (a "busy" code).
    pub retryable: bool,
    /// Further fields the provider gave (Adapay's `error_type`, `invalid_param`...).
    pub details: Vec<(String, String)>,
}

impl ApiError {
    /// A provider error with code, message and HTTP status.
    pub fn new(code: impl Into<String>, message: impl Into<String>, status: u16) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            status,
            retryable: false,
            details: Vec::new(),
        }
    }

    /// Marks the error as transient.
    pub fn retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Adds a named detail; empty values are skipped.
    pub fn detail(mut self, name: &str, value: Option<&str>) -> Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.details.push((name.to_owned(), v.to_owned()));
        }
        self
    }

    /// Looks up a detail by name.
    pub fn get_detail(&self, name: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for ApiError {
    /// `CODE: message (HTTP status)`, then any details: `[invalid_param=cash_amt]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (HTTP {})", self.code, self.message, self.status)?;
        if !self.details.is_empty() {
            f.write_str(" [")?;
            for (i, (k, v)) in self.details.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{k}={v}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client is configured wrongly (a key that does not parse, a bad URL, a missing variable).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// A request value breaks a rule; nothing was sent.
    #[error("invalid `{field}`: {rule}")]
    Validation {
        /// The field, as named on the wire (`cash_amt`, `mobile.mobile`).
        field: String,
        /// The rule it breaks.
        rule: String,
    },
    /// The request could not be carried (DNS, connect, TLS, reset).
    #[error("transport error: {message}")]
    Transport {
        /// What the transport reported.
        message: String,
        /// False when the request certainly never left (connect failed).
        sent: bool,
    },
    /// No answer within the configured time.
    #[error("timed out waiting for the provider")]
    Timeout,
    /// An HTTP status without a provider envelope (a gateway's HTML page, an empty 502).
    #[error("HTTP {status} without a provider answer: {snippet}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// The provider answered with a business error.
    #[error("provider error {0}")]
    Api(ApiError),
    /// The provider refused the credentials (HTTP 401).
    #[error("authentication failed (HTTP {status}): {message}")]
    Authentication {
        /// The HTTP status.
        status: u16,
        /// The provider's message, if any.
        message: String,
    },
    /// A response or notification signature problem; the data was not accepted.
    #[error("signature {problem}: {detail}")]
    Signature {
        /// What is wrong.
        problem: SignatureProblem,
        /// Details.
        detail: String,
    },
    /// The answer could not be decoded.
    #[error("cannot decode the answer at `{path}`: {message}; body starts: {snippet}")]
    Decode {
        /// JSON path of the field that failed (`.` for the whole document).
        path: String,
        /// What the decoder said.
        message: String,
        /// The start of the body (withheld for answers that carry secrets).
        snippet: String,
    },
}

/// A call's identifiers as one tracing field value: `order_no=o1, app_id=a1`.
pub fn ids_field(ids: &[(&'static str, String)]) -> String {
    ids.iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The caller's next step after an error: see [`Error::next_step`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NextStep {
    /// The provider may have acted: look the order up (by the ids on the
    /// error) before doing anything again.
    LookUpFirst,
    /// A transient failure and nothing happened: the same call may be sent
    /// again later.
    RetryLater,
    /// The same call will fail the same way: fix the request, the
    /// configuration or the credentials first.
    DoNotRetry,
}

/// A raw HTTP answer kept on an error, for diagnosis.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// Body bytes as received.
    pub body: Bytes,
}

impl fmt::Debug for RawResponse {
    // The body may carry card data; Debug shows only its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The walletbridge error: a kind plus the call it happened in.
///
/// Boxed, so that `Result<T, Error>` stays one pointer wide on the happy path.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    provider: Option<&'static str>,
    operation: Option<&'static str>,
    outcome_unknown: bool,
    retry_after: Option<Duration>,
    raw: Option<RawResponse>,
    source: Option<Cause>,
    /// The call's own identifiers (`request_id`, `order_no`...), as sent.
    ids: Vec<(&'static str, String)>,
}

/// The underlying failure an [`Error`] keeps for [`std::error::Error::source`].
type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    /// An error of this kind with no call context yet.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                provider: None,
                operation: None,
                outcome_unknown: false,
                retry_after: None,
                raw: None,
                source: None,
                ids: Vec::new(),
            }),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config {
            message: message.into(),
        })
    }

    /// A validation error naming the field and the rule.
    pub fn validation(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation {
            field: field.into(),
            rule: rule.into(),
        })
    }

    /// A provider business error.
    pub fn api(err: ApiError) -> Self {
        Self::new(ErrorKind::Api(err))
    }

    /// A signature error.
    pub fn signature(problem: SignatureProblem, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Signature {
            problem,
            detail: detail.into(),
        })
    }

    /// A decode error at a JSON path, with a snippet of the body.
    pub fn decode(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        Self::new(ErrorKind::Decode {
            path: path.into(),
            message: message.into(),
            snippet: snippet(body),
        })
    }

    /// A decode error from `serde_path_to_error` over `serde_json`: the JSON
    /// path of the failing field, serde's message, a snippet of the body, and
    /// the serde error kept as [`source`](std::error::Error::source).
    ///
    /// On an answer that carries secrets, follow with [`Error::withhold_body`]:
    /// serde's messages quote the offending value.
    pub fn decode_json(err: serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner();
        Self::decode(path, inner.to_string(), body).with_source(inner)
    }

    /// An HTTP status without a provider envelope.
    pub fn http(status: u16, body: &[u8]) -> Self {
        Self::new(ErrorKind::Http {
            status,
            snippet: snippet(body),
        })
    }

    /// An authentication failure.
    pub fn authentication(status: u16, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Authentication {
            status,
            message: message.into(),
        })
    }

    /// Names the provider and operation the error happened in.
    pub fn in_call(mut self, provider: &'static str, operation: &'static str) -> Self {
        self.inner.provider.get_or_insert(provider);
        self.inner.operation.get_or_insert(operation);
        self
    }

    /// Marks the outcome as unknown: the provider may have acted.
    pub fn with_outcome_unknown(mut self, unknown: bool) -> Self {
        self.inner.outcome_unknown = unknown;
        self
    }

    /// Records the provider's Retry-After.
    pub fn with_retry_after(mut self, after: Option<Duration>) -> Self {
        self.inner.retry_after = after;
        self
    }

    /// Keeps the raw answer on the error.
    pub fn with_raw(mut self, raw: RawResponse) -> Self {
        self.inner.raw = Some(raw);
        self
    }

    /// Keeps the underlying failure, reported by [`std::error::Error::source`].
    pub fn with_source(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(cause));
        self
    }

    /// Keeps an already shared underlying failure as the source.
    pub fn with_shared_source(mut self, cause: Option<Cause>) -> Self {
        self.inner.source = cause;
        self
    }

    /// Replaces every body snippet with a placeholder and drops the raw answer,
    /// for answers that carry secrets; also applies [`Error::withhold_values`].
    pub fn withhold_body(mut self) -> Self {
        const WITHHELD: &str = "[body withheld: the answer carries secrets]";
        match &mut self.inner.kind {
            ErrorKind::Http { snippet, .. } | ErrorKind::Decode { snippet, .. } => {
                *snippet = WITHHELD.to_owned();
            }
            _ => {}
        }
        self.inner.raw = None;
        self.withhold_values()
    }

    /// Removes received values from a decode error's message, keeping the
    /// field path and the kind of problem, and drops the decoder's error kept
    /// as the source (its text quotes the value too).
    ///
    /// serde's messages quote what they refused (`invalid type: integer
    /// `4111111111111111`, expected a string`); on an answer that carries card
    /// numbers, CVVs, PINs or tokens that text must not reach an error.
    ///
    /// ```
    /// use walletbridge_core::Error;
    /// let err = Error::decode(".pan", "invalid type: integer `4111111111111111`, expected a string at line 1 column 27", b"")
    ///     .withhold_values();
    /// let text = err.to_string();
    /// assert!(!text.contains("4111111111111111"), "{text}");
    /// assert!(text.contains("`.pan`") && text.contains("expected a string"), "{text}");
    /// ```
    pub fn withhold_values(mut self) -> Self {
        if let ErrorKind::Decode { message, .. } = &mut self.inner.kind {
            *message = value_free_message(message);
            self.inner.source = None;
        }
        self
    }

    /// Names one of the call's own identifiers (`request_id`, `order_no`,
    /// the provider's trace id), so an error says which order it is about.
    /// A name already set keeps its first value.
    pub fn with_id(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if !self.inner.ids.iter().any(|(n, _)| *n == name) {
            self.inner.ids.push((name, value.into()));
        }
        self
    }

    /// Names several of the call's identifiers at once (see [`Error::with_id`]).
    pub fn with_ids(self, ids: &[(&'static str, String)]) -> Self {
        ids.iter()
            .fold(self, |e, (name, value)| e.with_id(name, value.clone()))
    }

    /// The call's identifiers, in the order they were attached.
    pub fn ids(&self) -> &[(&'static str, String)] {
        &self.inner.ids
    }

    /// One of the call's identifiers.
    pub fn id(&self, name: &str) -> Option<&str> {
        self.inner
            .ids
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// What to do now, as one answer, so that the order in which a caller
    /// asks cannot send a payout twice: an unknown outcome always comes
    /// first, whatever else is true.
    ///
    /// ```
    /// use walletbridge_core::{Error, ErrorKind, error::NextStep};
    /// let e = Error::new(ErrorKind::Timeout).with_outcome_unknown(true);
    /// // A timeout is transient, but the payout may have gone out.
    /// assert!(e.is_retryable());
    /// assert_eq!(e.next_step(), NextStep::LookUpFirst);
    /// assert_eq!(Error::new(ErrorKind::Timeout).next_step(), NextStep::RetryLater);
    /// assert_eq!(Error::validation("amount", "must be positive").next_step(), NextStep::DoNotRetry);
    /// ```
    pub fn next_step(&self) -> NextStep {
        if self.inner.outcome_unknown {
            NextStep::LookUpFirst
        } else if self.is_retryable() {
            NextStep::RetryLater
        } else {
            NextStep::DoNotRetry
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The provider the call went to.
    pub fn provider(&self) -> Option<&'static str> {
        self.inner.provider
    }

    /// The operation that failed.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// The provider's error code, when the provider gave one.
    pub fn code(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Api(api) => Some(&api.code),
            _ => None,
        }
    }

    /// The provider's message, when the provider gave one.
    pub fn message(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Api(api) => Some(&api.message),
            ErrorKind::Authentication { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The provider error, when this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.inner.kind {
            ErrorKind::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Api(api) => Some(api.status),
            ErrorKind::Http { status, .. } | ErrorKind::Authentication { status, .. } => {
                Some(*status)
            }
            _ => self.inner.raw.as_ref().map(|r| r.status),
        }
    }

    /// The raw answer, when one was received.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        self.inner.raw.as_ref()
    }

    /// How long the provider asked to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Whether the failure is transient: a transport failure, a timeout, a 5xx,
    /// 408, 429 or 423 (a busy server: GSalary's `SYSTEM_BUSY` status, and what
    /// gateways in front of the others answer when they shed load), or a
    /// provider "busy" code. Whether a *call* may be repeated also
    /// depends on whether it changes state; the retry policy decides that.
    pub fn is_retryable(&self) -> bool {
        match &self.inner.kind {
            ErrorKind::Transport { .. } | ErrorKind::Timeout => true,
            ErrorKind::Http { status, .. } => is_transient_status(*status),
            ErrorKind::Api(api) => api.retryable,
            _ => false,
        }
    }

    /// Whether the provider may have acted although no clear answer came back.
    /// Query the object before doing it again.
    pub fn is_outcome_unknown(&self) -> bool {
        self.inner.outcome_unknown
    }

    /// Whether nothing reached the provider (validation, configuration, a failed connect).
    pub fn is_not_sent(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::Validation { .. }
                | ErrorKind::Config { .. }
                | ErrorKind::Transport { sent: false, .. }
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.inner.provider, self.inner.operation) {
            (Some(p), Some(o)) => write!(f, "{p} {o}: ")?,
            (Some(p), None) => write!(f, "{p}: ")?,
            _ => {}
        }
        write!(f, "{}", self.inner.kind)?;
        for (i, (name, value)) in self.inner.ids.iter().enumerate() {
            f.write_str(if i == 0 { " [" } else { ", " })?;
            write!(f, "{name}={value}")?;
            if i + 1 == self.inner.ids.len() {
                f.write_str("]")?;
            }
        }
        if self.inner.outcome_unknown {
            f.write_str(" (outcome unknown: query before retrying)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("provider", &self.inner.provider)
            .field("operation", &self.inner.operation)
            .field("outcome_unknown", &self.inner.outcome_unknown)
            .field("retry_after", &self.inner.retry_after)
            .field("raw", &self.inner.raw)
            .field("source", &self.inner.source.as_ref().map(|s| s.to_string()))
            .field("ids", &self.inner.ids)
            .finish()
    }
}

/// Whether an HTTP status says "try again later": a 5xx, 408 (timeout),
/// 423 (locked: a busy server) or 429 (too many requests). The provider
/// crates use it for their error envelopes, so one list decides everywhere.
pub fn is_transient_status(status: u16) -> bool {
    status >= 500 || matches!(status, 408 | 423 | 429)
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// A decoder's message with every quoted value taken out: the kind of problem
/// and what was expected stay (those come from code, not from the answer).
fn value_free_message(message: &str) -> String {
    const VALUE_WITHHELD: &str = "value withheld";
    // Messages that quote only names from the code.
    for keep in ["missing field `", "duplicate field `"] {
        if message.starts_with(keep)
            && let Some(end) = message[keep.len()..].find('`')
        {
            return message[..keep.len() + end + 1].to_owned();
        }
    }
    for kind in [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "unknown field",
    ] {
        if message.starts_with(kind) {
            // serde writes `{kind}: {value}, expected {what}`; the value comes
            // first, so the last `, expected ` is serde's own.
            return match message.rfind(", expected ") {
                Some(i) => format!("{kind} ({VALUE_WITHHELD}){}", &message[i..]),
                None => format!("{kind} ({VALUE_WITHHELD})"),
            };
        }
    }
    format!("undecodable value ({VALUE_WITHHELD})")
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

/// Decodes a JSON answer (or a part of one) into `T`. A failure is a
/// [`Decode`](ErrorKind::Decode) error naming the path of the field that
/// failed, with serde's error as its source. With `sensitive` (answers that
/// carry card data or tokens) the error quotes neither the offending value
/// nor the body: see [`Error::withhold_body`].
///
/// ```
/// use walletbridge_core::error::parse_json;
/// #[derive(Debug, serde::Deserialize)]
/// struct Card { #[allow(dead_code)] pan: String }
/// let e = parse_json::<Card>(br#"{"pan":4111111111111111}"#, true).unwrap_err();
/// assert!(e.to_string().contains("`pan`") && !e.to_string().contains("4111"), "{e}");
/// let e = parse_json::<Card>(br#"{"pan":4111111111111111}"#, false).unwrap_err();
/// assert!(std::error::Error::source(&e).is_some());
/// ```
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], sensitive: bool) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let err = Error::decode_json(e, body);
        if sensitive { err.withhold_body() } else { err }
    })
}

/// The first 512 bytes of a body as text, for error messages.
pub fn snippet(body: &[u8]) -> String {
    const MAX: usize = 512;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]);
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .collect();
    if body.len() > MAX {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses_are_the_busy_ones() {
        for status in [408, 423, 429, 500, 502, 503, 504] {
            assert!(is_transient_status(status), "{status}");
            assert!(Error::http(status, b"").is_retryable(), "{status}");
        }
        for status in [200, 301, 400, 401, 403, 404, 409, 422] {
            assert!(!is_transient_status(status), "{status}");
            assert!(!Error::http(status, b"").is_retryable(), "{status}");
        }
    }

    #[test]
    fn display_shows_provider_code_and_message() {
        let err = Error::api(ApiError::new("INSUFFICIENT_BALANCE", "账户余额不足", 400))
            .in_call("gsalary", "submit remittance order");
        let text = err.to_string();
        assert!(text.contains("INSUFFICIENT_BALANCE"), "{text}");
        assert!(text.contains("账户余额不足"), "{text}");
        assert!(
            text.starts_with("gsalary submit remittance order: "),
            "{text}"
        );
        assert_eq!(err.code(), Some("INSUFFICIENT_BALANCE"));
        assert_eq!(err.status(), Some(400));
        assert!(!err.is_retryable());
        let detailed = Error::api(
            ApiError::new("invalid_request", "参数错误", 200)
                .detail("invalid_param", Some("cash_amt")),
        );
        assert!(
            detailed.to_string().ends_with("[invalid_param=cash_amt]"),
            "{detailed}"
        );
    }

    #[test]
    fn outcome_unknown_is_said() {
        let err = Error::new(ErrorKind::Timeout).with_outcome_unknown(true);
        assert!(err.is_outcome_unknown());
        assert!(err.to_string().contains("outcome unknown"));
        assert!(err.is_retryable());
    }

    #[test]
    fn classification() {
        assert!(Error::http(503, b"<html>").is_retryable());
        assert!(Error::http(429, b"").is_retryable());
        assert!(!Error::http(404, b"").is_retryable());
        assert!(
            Error::api(ApiError::new("SYSTEM_BUSY", "busy", 423).retryable(true)).is_retryable()
        );
        assert!(Error::validation("x", "y").is_not_sent());
        let t = Error::new(ErrorKind::Transport {
            message: "refused".into(),
            sent: false,
        });
        assert!(t.is_not_sent() && t.is_retryable());
    }

    #[test]
    fn sensitive_decode_errors_keep_the_path_but_not_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Card {
            pan: String,
            cvv: String,
        }
        let body = br#"{"pan":4111111111111111,"cvv":"123"}"#;
        let de = &mut serde_json::Deserializer::from_slice(body);
        let e = serde_path_to_error::deserialize::<_, Card>(de).unwrap_err();
        let err = Error::decode_json(e, body);
        // Before withholding the message and the source quote the value.
        assert!(err.to_string().contains("4111111111111111"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
        let err = err.withhold_body();
        let all = format!("{err} {err:?}");
        assert!(!all.contains("4111111111111111"), "{all}");
        assert!(all.contains("`pan`"), "{all}");
        assert!(
            all.contains("invalid type (value withheld), expected a string"),
            "{all}"
        );
        assert!(std::error::Error::source(&err).is_none());

        // A value holding ", expected " cannot push itself into the kept part.
        let m = value_free_message(
            "invalid value: string \"1234, expected 5678\", expected a PIN at line 1 column 9",
        );
        assert_eq!(
            m,
            "invalid value (value withheld), expected a PIN at line 1 column 9"
        );
        // Custom messages from visitors are dropped whole.
        let m = value_free_message("`4111x` is not a decimal number");
        assert!(!m.contains("4111"), "{m}");
        assert_eq!(
            value_free_message("missing field `cvv` at line 1"),
            "missing field `cvv`"
        );
    }

    #[test]
    fn decode_errors_expose_their_cause() {
        let body = b"{\"amount\":true}";
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct A {
            amount: u32,
        }
        let de = &mut serde_json::Deserializer::from_slice(body);
        let e = serde_path_to_error::deserialize::<_, A>(de).unwrap_err();
        let err = Error::decode_json(e, body);
        let ErrorKind::Decode { path, .. } = err.kind() else {
            panic!("{err}")
        };
        assert_eq!(path, "amount");
        let source = std::error::Error::source(&err).unwrap();
        assert!(source.is::<serde_json::Error>(), "{source}");
    }

    #[test]
    fn snippets_are_bounded_and_withheld_on_request() {
        let body = vec![b'a'; 2000];
        let err = Error::http(502, &body);
        let ErrorKind::Http { snippet, .. } = err.kind() else {
            panic!("wrong kind")
        };
        assert!(snippet.chars().count() <= 513);
        let err = Error::decode(".pan", "bad", b"{\"pan\":\"4111\"}").withhold_body();
        assert!(!err.to_string().contains("4111"), "{err}");
    }
}

#[cfg(test)]
mod next_step_tests {
    use super::*;

    #[test]
    fn ids_show_in_display_and_are_kept_once() {
        let e = Error::new(ErrorKind::Timeout)
            .with_id("request_id", "r-1")
            .with_id("order_no", "o-9")
            .with_id("request_id", "ignored")
            .in_call("test", "pay")
            .with_outcome_unknown(true);
        assert_eq!(e.id("request_id"), Some("r-1"));
        assert_eq!(e.ids().len(), 2);
        assert_eq!(
            e.to_string(),
            "test pay: timed out waiting for the provider [request_id=r-1, order_no=o-9] \
             (outcome unknown: query before retrying)"
        );
        assert_eq!(e.next_step(), NextStep::LookUpFirst);
    }

    #[test]
    fn ids_attach_at_once_and_render_as_one_field() {
        let ids = [("order_no", "o-1".to_owned()), ("app_id", "app".to_owned())];
        let e = Error::new(ErrorKind::Timeout).with_ids(&ids);
        assert_eq!(e.id("order_no"), Some("o-1"));
        assert_eq!(e.id("app_id"), Some("app"));
        assert_eq!(ids_field(&ids), "order_no=o-1, app_id=app");
        assert_eq!(ids_field(&[]), "");
    }

    #[test]
    fn every_kind_has_one_next_step() {
        let api_busy = Error::api(ApiError::new("SYSTEM_BUSY", "busy", 423).retryable(true));
        let api_final = Error::api(ApiError::new("INSUFFICIENT_BALANCE", "no", 400));
        assert_eq!(api_busy.next_step(), NextStep::RetryLater);
        assert_eq!(api_final.next_step(), NextStep::DoNotRetry);
        assert_eq!(Error::http(503, b"").next_step(), NextStep::RetryLater);
        assert_eq!(
            Error::http(503, b"").with_outcome_unknown(true).next_step(),
            NextStep::LookUpFirst
        );
        assert_eq!(
            Error::authentication(401, "no").next_step(),
            NextStep::DoNotRetry
        );
        assert_eq!(Error::config("x").next_step(), NextStep::DoNotRetry);
    }
}
