//! The transport seam: a plain request description in, a plain response out.
//!
//! [`HttpRequest`] is exactly what gets signed, sent and snapshotted. Providers
//! build and sign it; a [`Transport`] carries it. The default transport is
//! [`ReqwestTransport`]; tests, proxies and blocking wrappers bring their own.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
}

impl Method {
    /// The method as it appears on the request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
        }
    }
}

impl Method {
    /// The method a request line names (`"POST"`, any case); `None` for one
    /// the providers do not use.
    ///
    /// ```
    /// use walletbridge_core::Method;
    /// assert_eq!(Method::parse("post"), Some(Method::Post));
    /// assert_eq!(Method::parse("TRACE"), None);
    /// ```
    pub fn parse(method: &str) -> Option<Self> {
        [Self::Get, Self::Post, Self::Put, Self::Delete, Self::Patch]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(method))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request, fully built and signed: what is sent is exactly this.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included, exactly as signed.
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes, exactly as signed; `None` for no body.
    pub body: Option<Bytes>,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Appends a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path and query (`/v1/cards?page=1`), as on the request line.
    pub fn path_and_query(&self) -> &str {
        path_and_query(&self.url)
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        let pq = self.path_and_query();
        pq.split_once('?').map_or(pq, |(p, _)| p)
    }

    /// The scheme and authority (`https://api.gsalary.com`), without any
    /// user information: which environment the request goes to.
    pub fn origin(&self) -> String {
        let pq = self.path_and_query();
        let before = self.url.strip_suffix(pq).unwrap_or(&self.url);
        match before.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                format!("{scheme}://{host}")
            }
            None => before.to_owned(),
        }
    }
}

impl fmt::Debug for HttpRequest {
    // Headers carry credentials and bodies carry card data: Debug shows neither.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.path())
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .finish()
    }
}

/// A response as received.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with a status and body and no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Appends a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The Retry-After header in seconds, if present and numeric.
    pub fn retry_after(&self) -> Option<Duration> {
        self.header_value("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }

    /// Keeps this response for an error report.
    pub fn to_raw(&self) -> crate::error::RawResponse {
        crate::error::RawResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The path and query of a URL (`https://h/a?b` -> `/a?b`).
pub fn path_and_query(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find(['/', '?']) {
        Some(i) if after_scheme[i..].starts_with('/') => &after_scheme[i..],
        Some(_) | None => "/",
    }
}

/// Why a transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made: the request certainly was not sent.
    Connect,
    /// The deadline passed; the request may have been received.
    Timeout,
    /// Anything else (reset, TLS, protocol); the request may have been received.
    Other,
    /// The request cannot be sent as built (a header value with a line break,
    /// a URL whose path the HTTP stack would rewrite); nothing was sent.
    Invalid,
}

/// A transport failure.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What the transport said.
    pub message: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A failure of this kind.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Keeps the underlying failure, reported by [`std::error::Error::source`]
    /// here and on the [`crate::Error`] this becomes.
    pub fn with_source(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(cause));
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl From<TransportError> for crate::Error {
    fn from(e: TransportError) -> Self {
        use crate::error::ErrorKind;
        let err = match e.kind {
            TransportErrorKind::Timeout => crate::Error::new(ErrorKind::Timeout),
            TransportErrorKind::Connect => crate::Error::new(ErrorKind::Transport {
                message: e.message,
                sent: false,
            }),
            TransportErrorKind::Invalid => crate::Error::config(e.message),
            TransportErrorKind::Other => crate::Error::new(ErrorKind::Transport {
                message: e.message,
                sent: true,
            }),
        };
        err.with_shared_source(e.source)
    }
}

/// Checks that a header can be sent as configured: a valid header name, and a
/// value without CR, LF, NUL or other control characters (tab allowed).
///
/// Builders call it for every configured value that becomes a header (API
/// keys, app ids, user agents), so that a key pasted with a trailing newline
/// is a configuration error when the client is built, not a failed send. The
/// error names the header, never the value.
///
/// ```
/// use walletbridge_core::transport::check_header_value;
/// assert!(check_header_value("Authorization", "api_live_123").is_ok());
/// let err = check_header_value("Authorization", "api_live_123\n").unwrap_err();
/// assert!(err.to_string().contains("Authorization") && !err.to_string().contains("api_live"));
/// ```
pub fn check_header_value(name: &str, value: &str) -> crate::Result<()> {
    match header_problem(name, value) {
        Some(problem) => Err(crate::Error::config(problem)),
        None => Ok(()),
    }
}

/// What is wrong with a header, in words that never quote the value.
fn header_problem(name: &str, value: &str) -> Option<String> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Some(format!(
            "{:?} is not a valid HTTP header name",
            name.escape_debug().to_string()
        ));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        return Some(format!(
            "the `{name}` header value contains a line break (CR or LF); \
             check the configured value for a trailing newline"
        ));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Some(format!(
            "the `{name}` header value contains a control character"
        ));
    }
    None
}

/// Carries a request and returns the answer.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends `request` and returns whatever status came back.
    async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::{ReqwestTransport, ReqwestTransportBuilder};

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use super::*;

    /// The default transport: reqwest with a connection pool, shared by every clone.
    ///
    /// It follows no redirect: a 3xx answer is handed back as it came (the
    /// executor reports it as an HTTP error that is never retried), because a
    /// redirected payment would be sent again, possibly to another host. It
    /// sends a request only when the path and query on the request line are
    /// byte for byte the ones in [`HttpRequest::url`], which is what was signed:
    /// a URL that the HTTP stack would rewrite (dot segments such as `/./` or
    /// `/%2e%2e/`, a fragment, characters it would escape) is refused with a
    /// [`TransportErrorKind::Invalid`] error before anything is sent.
    #[derive(Clone, Debug)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    /// Builds a [`ReqwestTransport`].
    #[derive(Debug, Clone)]
    pub struct ReqwestTransportBuilder {
        connect_timeout: Duration,
        timeout: Duration,
        user_agent: String,
        proxy: Option<String>,
    }

    impl Default for ReqwestTransportBuilder {
        fn default() -> Self {
            Self {
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(30),
                user_agent: concat!("walletbridge/", env!("CARGO_PKG_VERSION")).to_owned(),
                proxy: None,
            }
        }
    }

    impl ReqwestTransportBuilder {
        /// How long to wait for a connection (default 10 s).
        pub fn connect_timeout(mut self, t: Duration) -> Self {
            self.connect_timeout = t;
            self
        }

        /// How long a whole request may take (default 30 s).
        pub fn timeout(mut self, t: Duration) -> Self {
            self.timeout = t;
            self
        }

        /// The User-Agent header.
        pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
            self.user_agent = ua.into();
            self
        }

        /// Sends every request through this proxy (`http://host:port`,
        /// `socks5://...` when reqwest supports it). Without it, the system's
        /// proxy settings (`HTTPS_PROXY`...) apply.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.proxy = Some(url.into());
            self
        }

        /// Builds the transport; fails (never panics) when the TLS backend
        /// cannot start or the user agent is not a valid header value.
        pub fn build(self) -> crate::Result<ReqwestTransport> {
            check_header_value("User-Agent", &self.user_agent)?;
            let mut builder = reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(self.user_agent)
                .redirect(reqwest::redirect::Policy::none());
            if let Some(url) = &self.proxy {
                // The proxy URL may carry credentials: the error names the rule only.
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|_| crate::Error::config("the proxy is not a valid proxy URL"))?;
                builder = builder.proxy(proxy);
            }
            let client = builder.build().map_err(|e| {
                crate::Error::config(format!("cannot build the HTTP client: {e}")).with_source(e)
            })?;
            Ok(ReqwestTransport { client })
        }
    }

    impl ReqwestTransport {
        /// A builder with the defaults.
        pub fn builder() -> ReqwestTransportBuilder {
            ReqwestTransportBuilder::default()
        }

        /// A transport with the default timeouts.
        pub fn new() -> crate::Result<Self> {
            Self::builder().build()
        }

        /// Wraps a reqwest client configured by the caller.
        ///
        /// Build it with `.redirect(reqwest::redirect::Policy::none())`: a
        /// client that follows redirects resends payments, bodies included.
        pub fn from_client(client: reqwest::Client) -> Self {
            Self { client }
        }
    }

    /// The URL to send, refused when the request line would differ from the
    /// signed path and query.
    fn exact_url(raw: &str) -> Result<reqwest::Url, TransportError> {
        let invalid = |m: String| TransportError::new(TransportErrorKind::Invalid, m);
        let url = reqwest::Url::parse(raw)
            .map_err(|e| invalid(format!("the request URL is not valid: {e}")))?;
        let signed = path_and_query(raw);
        let mut sent = String::with_capacity(signed.len());
        sent.push_str(url.path());
        if let Some(q) = url.query() {
            sent.push('?');
            sent.push_str(q);
        }
        if sent != signed {
            return Err(invalid(format!(
                "the HTTP stack would send the path `{sent}` for the signed path `{signed}` \
                 (dot segments, a fragment or unescaped characters); refusing to send"
            )));
        }
        Ok(url)
    }

    /// What went wrong, in words: refused, DNS, TLS, timeout, reset.
    fn describe(e: &reqwest::Error) -> (TransportErrorKind, String) {
        use std::error::Error as _;
        let mut chain = Vec::new();
        let mut io_kind = None;
        let mut cause = e.source();
        while let Some(c) = cause {
            if let Some(io) = c.downcast_ref::<std::io::Error>() {
                io_kind.get_or_insert(io.kind());
            }
            let text = c.to_string();
            if !chain.contains(&text) {
                chain.push(text);
            }
            cause = c.source();
        }
        let all = chain.join(": ");
        let lower = all.to_ascii_lowercase();
        let host = e
            .url()
            .and_then(|u| {
                u.host_str()
                    .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
            })
            .unwrap_or_else(|| "the provider".to_owned());
        let tls = ["tls", "ssl", "certificate", "handshake", "rustls"]
            .iter()
            .any(|w| lower.contains(w));
        let (kind, what) = if e.is_connect() {
            // Connect errors (TCP, DNS and the TLS handshake) happen before a
            // byte of the request is written.
            let what = if e.is_timeout() || io_kind == Some(std::io::ErrorKind::TimedOut) {
                "connect timed out"
            } else if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
                "connection refused"
            } else if lower.contains("dns") || lower.contains("lookup") {
                "DNS lookup failed"
            } else if tls {
                "TLS handshake failed"
            } else {
                "cannot connect"
            };
            (TransportErrorKind::Connect, what)
        } else if e.is_timeout() {
            (
                TransportErrorKind::Timeout,
                "timed out waiting for the answer",
            )
        } else if e.is_builder() {
            (TransportErrorKind::Invalid, "the request cannot be built")
        } else if e.is_body() || e.is_decode() {
            (
                TransportErrorKind::Other,
                "the answer was cut off or could not be read",
            )
        } else if tls {
            (TransportErrorKind::Other, "TLS failure")
        } else if matches!(
            io_kind,
            Some(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe)
        ) || lower.contains("closed")
            || lower.contains("reset")
        {
            (
                TransportErrorKind::Other,
                "connection closed before an answer",
            )
        } else {
            (TransportErrorKind::Other, "request failed")
        };
        let message = if all.is_empty() {
            format!("{what} ({host})")
        } else {
            format!("{what} ({host}): {all}")
        };
        (kind, message)
    }

    fn failure(e: reqwest::Error) -> TransportError {
        let (kind, message) = describe(&e);
        // The URL may carry ids in its query; the message names the host.
        TransportError::new(kind, message).with_source(e.without_url())
    }

    #[async_trait]
    impl Transport for ReqwestTransport {
        async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            use reqwest::header::{HeaderName, HeaderValue};
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Delete => reqwest::Method::DELETE,
                Method::Patch => reqwest::Method::PATCH,
            };
            let url = exact_url(&request.url)?;
            let mut builder = self.client.request(method, url);
            for (k, v) in &request.headers {
                let invalid = |m: String| TransportError::new(TransportErrorKind::Invalid, m);
                if let Some(problem) = header_problem(k, v) {
                    return Err(invalid(problem));
                }
                let name = HeaderName::from_bytes(k.as_bytes())
                    .map_err(|_| invalid(format!("{k:?} is not a valid HTTP header name")))?;
                let value = HeaderValue::from_str(v)
                    .map_err(|_| invalid(format!("the `{k}` header value cannot be sent")))?;
                builder = builder.header(name, value);
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let resp = builder.send().await.map_err(failure)?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = resp.bytes().await.map_err(failure)?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_query_of_urls() {
        assert_eq!(
            path_and_query("https://api.gsalary.com/v1/cards?page=1"),
            "/v1/cards?page=1"
        );
        assert_eq!(path_and_query("https://api.gsalary.com"), "/");
        assert_eq!(path_and_query("http://127.0.0.1:8080/a/b"), "/a/b");
        let r = HttpRequest::new(Method::Get, "https://h/v1/x?a=1&b=2");
        assert_eq!(r.path(), "/v1/x");
    }

    #[test]
    fn debug_hides_headers_and_body() {
        let r = HttpRequest::new(Method::Post, "https://h/x")
            .header("Authorization", "api_live_secret")
            .body(&b"{\"pin\":\"123456\"}"[..]);
        let s = format!("{r:?}");
        assert!(
            !s.contains("api_live_secret") && !s.contains("123456"),
            "{s}"
        );
    }

    #[test]
    fn retry_after_reads_seconds() {
        let r = HttpResponse::new(503, "").header("Retry-After", "7");
        assert_eq!(r.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(HttpResponse::new(503, "").retry_after(), None);
    }
}

#[cfg(all(test, feature = "reqwest"))]
#[allow(clippy::unwrap_used)]
mod wire_tests {
    use super::*;
    use crate::encoding::{encode_path_segment, query_string};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// Reads one raw request off a socket and answers 200.
    async fn one_request(listener: tokio::net::TcpListener) -> String {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .await
            .unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    }

    // Signatures cover the path and query as built; the HTTP stack must put
    // exactly those bytes on the request line, without re-encoding.
    #[tokio::test]
    async fn the_request_line_carries_the_signed_bytes() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(one_request(listener));
        let pairs = vec![
            ("time_start".to_owned(), "2024-03-04T10:00:00Z".to_owned()),
            ("name".to_owned(), "O'Brien & Sons 张".to_owned()),
            ("list".to_owned(), "a,b|c{d}".to_owned()),
        ];
        let path_and_query = format!(
            "/v1/payees/{}?{}",
            encode_path_segment("id with/slash"),
            query_string(&pairs)
        );
        let req = HttpRequest::new(Method::Get, format!("http://{addr}{path_and_query}"));
        let signed = req.path_and_query().to_owned();
        let resp = ReqwestTransport::new().unwrap().execute(req).await.unwrap();
        assert_eq!(resp.status, 200);
        let raw = server.await.unwrap();
        let line = raw.lines().next().unwrap();
        assert_eq!(line, format!("GET {signed} HTTP/1.1"));
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    #[test]
    fn origin_names_scheme_and_host_without_credentials() {
        for (url, origin) in [
            (
                "https://api.gsalary.com/v1/cards?page=1",
                "https://api.gsalary.com",
            ),
            ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080"),
            ("https://user:pw@h.example/p", "https://h.example"),
            ("https://h.example", "https://h.example"),
        ] {
            assert_eq!(HttpRequest::new(Method::Get, url).origin(), origin, "{url}");
        }
    }
}
