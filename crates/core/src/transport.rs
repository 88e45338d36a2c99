//! The transport seam: a plain request description in, a plain response out.
//!
//! [`HttpRequest`] is exactly what gets signed, sent and snapshotted. Providers
//! build and sign it; a [`Transport`] carries it. The default transport is
//! [`ReqwestTransport`]; tests, proxies and blocking wrappers bring their own.

use std::fmt;
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
}

/// A transport failure.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What the transport said.
    pub message: String,
}

impl TransportError {
    /// A failure of this kind.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

impl From<TransportError> for crate::Error {
    fn from(e: TransportError) -> Self {
        use crate::error::ErrorKind;
        match e.kind {
            TransportErrorKind::Timeout => crate::Error::new(ErrorKind::Timeout),
            TransportErrorKind::Connect => crate::Error::new(ErrorKind::Transport {
                message: e.message,
                sent: false,
            }),
            TransportErrorKind::Other => crate::Error::new(ErrorKind::Transport {
                message: e.message,
                sent: true,
            }),
        }
    }
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
    }

    impl Default for ReqwestTransportBuilder {
        fn default() -> Self {
            Self {
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(30),
                user_agent: concat!("walletbridge/", env!("CARGO_PKG_VERSION")).to_owned(),
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

        /// Builds the transport; fails (never panics) when the TLS backend cannot start.
        pub fn build(self) -> crate::Result<ReqwestTransport> {
            let client = reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(|e| crate::Error::config(format!("cannot build the HTTP client: {e}")))?;
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
        pub fn from_client(client: reqwest::Client) -> Self {
            Self { client }
        }
    }

    fn classify(e: &reqwest::Error) -> TransportErrorKind {
        if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Other
        }
    }

    #[async_trait]
    impl Transport for ReqwestTransport {
        async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Delete => reqwest::Method::DELETE,
                Method::Patch => reqwest::Method::PATCH,
            };
            let mut builder = self.client.request(method, &request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let resp = builder
                .send()
                .await
                .map_err(|e| TransportError::new(classify(&e), e.to_string()))?;
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
            let body = resp
                .bytes()
                .await
                .map_err(|e| TransportError::new(classify(&e), e.to_string()))?;
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
