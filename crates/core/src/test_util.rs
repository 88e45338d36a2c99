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

/// How many cases a `fuzz_` property test runs: `WALLETBRIDGE_FUZZ_CASES`,
/// or 256 when it is not set (CI sets tens of thousands).
pub fn fuzz_cases() -> u32 {
    std::env::var("WALLETBRIDGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256)
}

/// Where a secret (or a telling piece of one) was found by [`secret_scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHit {
    /// The index of the secret in the list given.
    pub secret: usize,
    /// The byte offset of the hit in the scanned text.
    pub offset: usize,
    /// How many bytes matched.
    pub len: usize,
}

/// Finds every secret of `secrets` in `text`: the value itself, its JSON or
/// Debug escaping, and for long secrets (keys, tokens, PEM blocks) any piece of
/// 24 characters or more of their content, so that one leaked line of a key
/// is found too. Hits report where, never what.
///
/// Choose distinctive secrets: a three-digit CVV will also match innocent digits.
pub fn secret_scan(text: &str, secrets: &[&str]) -> Vec<SecretHit> {
    const PIECE: usize = 24;
    let mut hits = Vec::new();
    for (i, secret) in secrets.iter().enumerate() {
        let secret = secret.trim();
        if secret.is_empty() {
            continue;
        }
        let mut needles: Vec<String> = vec![secret.to_owned()];
        if let Ok(json) = serde_json::to_string(secret) {
            needles.push(json.trim_matches('"').to_owned());
        }
        needles.push(secret.escape_debug().to_string());
        // Long secrets: their content without PEM armour or line breaks, in pieces.
        let content: String = secret
            .lines()
            .filter(|l| !l.trim_start().starts_with("-----"))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let chars: Vec<char> = content.chars().collect();
        if chars.len() >= PIECE {
            let mut start = 0;
            while start + PIECE <= chars.len() {
                needles.push(chars[start..start + PIECE].iter().collect());
                start += PIECE / 2;
            }
            needles.push(chars[chars.len() - PIECE..].iter().collect());
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        for needle in needles.iter().filter(|n| !n.is_empty()) {
            let mut from = 0;
            while let Some(pos) = text.get(from..).and_then(|t| t.find(needle.as_str())) {
                let at = from + pos;
                if !found.iter().any(|&(o, l)| at >= o && at < o + l) {
                    found.push((at, needle.len()));
                }
                from = at + needle.len().max(1);
            }
        }
        found.sort_unstable();
        hits.extend(found.into_iter().map(|(offset, len)| SecretHit {
            secret: i,
            offset,
            len,
        }));
    }
    hits
}

/// Panics when [`secret_scan`] finds any of `secrets` in `text`; the message
/// names `what`, the secret's index and the offset, never the secret.
#[track_caller]
pub fn assert_no_secrets(what: &str, text: &str, secrets: &[&str]) {
    let hits = secret_scan(text, secrets);
    if let Some(first) = hits.first() {
        panic!(
            "{what} leaks secret #{} ({} hit(s); first at byte {}, {} bytes long)",
            first.secret,
            hits.len(),
            first.offset,
            first.len
        );
    }
}

/// Polls `condition` until it returns `Some`, and returns that value; for
/// waiting on something another task does (a webhook delivered, a pending
/// state completed) without a fixed sleep.
///
/// The condition is polled at once, then every 25 ms. Call it inside a
/// Tokio runtime with the time driver enabled.
///
/// # Panics
///
/// When `timeout` has passed and the condition still returns `None`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::time::Duration;
///
/// use walletbridge_core::test_util::eventually;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let polls = Arc::new(AtomicU32::new(0));
/// let n = eventually(Duration::from_secs(5), || {
///     let polls = Arc::clone(&polls);
///     async move {
///         let n = polls.fetch_add(1, Ordering::SeqCst) + 1;
///         (n >= 3).then_some(n)
///     }
/// })
/// .await;
/// assert_eq!(n, 3);
/// # }
/// ```
pub async fn eventually<T, F, Fut>(timeout: std::time::Duration, mut condition: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = condition().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met in {timeout:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

pub use self::fault_server::{Fault, FaultServer, ReceivedRequest};

mod fault_server {
    use std::collections::{HashMap, VecDeque};
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::{TcpListener, TcpStream};

    /// The most a request may take (head and body) before the server drops it.
    const MAX_REQUEST: usize = 1 << 20;
    /// How long the server waits for a request's bytes.
    const READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// What the [`FaultServer`] does with one request.
    #[derive(Debug, Clone)]
    #[non_exhaustive]
    pub enum Fault {
        /// Answers with this status, headers and body (a `Content-Length` and
        /// `Connection: close` are added).
        Respond {
            /// The status.
            status: u16,
            /// Extra headers.
            headers: Vec<(String, String)>,
            /// The body.
            body: Vec<u8>,
        },
        /// Waits, then answers `200 {}`: longer than the client's timeout, a timeout.
        Delay(Duration),
        /// Reads the whole request, then closes the connection without a byte
        /// of answer: the provider got the request, the client gets no answer.
        CloseAfterRequest,
        /// Announces a body longer than the one it sends, then closes.
        Truncated {
            /// The status.
            status: u16,
            /// The bytes actually sent.
            body: Vec<u8>,
            /// The `Content-Length` announced.
            declared: usize,
        },
    }

    impl Fault {
        /// Answers `status` with `body`.
        pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
            Self::Respond {
                status,
                headers: Vec::new(),
                body: body.into(),
            }
        }

        /// Answers `status` with a JSON body.
        pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
            Self::status(status, body).header("Content-Type", "application/json")
        }

        /// Adds a header to a [`Fault::Respond`] (other faults are unchanged).
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            if let Self::Respond { headers, .. } = &mut self {
                headers.push((name.into(), value.into()));
            }
            self
        }

        /// A redirect (`307`, `308`, `301`...) to `location`.
        pub fn redirect(status: u16, location: impl Into<String>) -> Self {
            Self::status(status, Vec::new()).header("Location", location)
        }

        /// Answers only after `delay`.
        pub fn delay(delay: Duration) -> Self {
            Self::Delay(delay)
        }

        /// Closes the connection after reading the request, answering nothing.
        pub fn close_after_request() -> Self {
            Self::CloseAfterRequest
        }

        /// Sends `body` under a `Content-Length` 64 bytes longer, then closes.
        pub fn truncated(status: u16, body: impl Into<Vec<u8>>) -> Self {
            let body = body.into();
            let declared = body.len() + 64;
            Self::Truncated {
                status,
                body,
                declared,
            }
        }

        /// A gateway's HTML error page with status 502, as load balancers send.
        pub fn gateway_html() -> Self {
            Self::status(
                502,
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                 <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                 </body>\r\n</html>\r\n",
            )
            .header("Content-Type", "text/html")
        }
    }

    /// A request as the [`FaultServer`] received it.
    #[derive(Clone)]
    pub struct ReceivedRequest {
        /// The method.
        pub method: String,
        /// The request target exactly as on the request line.
        pub path_and_query: String,
        /// Headers in the order received.
        pub headers: Vec<(String, String)>,
        /// The body bytes (chunked bodies as received, not decoded).
        pub body: Vec<u8>,
    }

    impl ReceivedRequest {
        /// The path without the query.
        pub fn path(&self) -> &str {
            self.path_and_query
                .split_once('?')
                .map_or(self.path_and_query.as_str(), |(p, _)| p)
        }

        /// The first header with this name, compared case-insensitively.
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    impl std::fmt::Debug for ReceivedRequest {
        // Requests carry credentials and card data: Debug shows neither.
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ReceivedRequest")
                .field("method", &self.method)
                .field("path", &self.path())
                .field("body_len", &self.body.len())
                .finish_non_exhaustive()
        }
    }

    #[derive(Default)]
    struct State {
        scripts: HashMap<String, VecDeque<Fault>>,
        received: Vec<ReceivedRequest>,
    }

    /// A local HTTP/1.1 server that answers each request with a scripted
    /// [`Fault`] and records what it received, for fault-matrix tests.
    ///
    /// It binds `127.0.0.1` only, answers one request per connection
    /// (`Connection: close`), drops requests larger than 1 MiB or slower than
    /// 10 s, and stops (with every connection) when dropped. Requests to a path
    /// with a script take its faults in order; when the script runs out, or for
    /// any other path, the default fault answers.
    pub struct FaultServer {
        addr: SocketAddr,
        state: Arc<Mutex<State>>,
        task: tokio::task::JoinHandle<()>,
    }

    impl std::fmt::Debug for FaultServer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("FaultServer")
                .field("addr", &self.addr)
                .finish_non_exhaustive()
        }
    }

    impl FaultServer {
        /// Starts a server on a free loopback port that answers `default`.
        /// Call it inside a Tokio runtime.
        pub async fn start(default: Fault) -> std::io::Result<Self> {
            let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
            let addr = listener.local_addr()?;
            let state = Arc::new(Mutex::new(State::default()));
            let task = tokio::spawn(serve(listener, Arc::clone(&state), default));
            Ok(Self { addr, state, task })
        }

        /// Scripts the answers to requests for `path` (without query), in order.
        pub fn on(&self, path: &str, faults: impl IntoIterator<Item = Fault>) -> &Self {
            if let Ok(mut s) = self.state.lock() {
                s.scripts.entry(path.to_owned()).or_default().extend(faults);
            }
            self
        }

        /// The server's address.
        pub fn addr(&self) -> SocketAddr {
            self.addr
        }

        /// `http://127.0.0.1:port` followed by `path_and_query`.
        pub fn url(&self, path_and_query: &str) -> String {
            format!("http://{}{}", self.addr, path_and_query)
        }

        /// How many whole requests for `path` (without query) were received.
        pub fn hits(&self, path: &str) -> usize {
            self.state
                .lock()
                .map(|s| s.received.iter().filter(|r| r.path() == path).count())
                .unwrap_or(0)
        }

        /// How many whole requests were received.
        pub fn total(&self) -> usize {
            self.state.lock().map(|s| s.received.len()).unwrap_or(0)
        }

        /// Every request received, in order.
        pub fn requests(&self) -> Vec<ReceivedRequest> {
            self.state
                .lock()
                .map(|s| s.received.clone())
                .unwrap_or_default()
        }
    }

    impl Drop for FaultServer {
        fn drop(&mut self) {
            // Aborting the accept loop drops its JoinSet, which aborts every connection.
            self.task.abort();
        }
    }

    async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, default: Fault) {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            if let Ok((sock, _)) = listener.accept().await {
                connections.spawn(handle(sock, Arc::clone(&state), default.clone()));
            }
            // Reap finished connections so the set stays small.
            while connections.try_join_next().is_some() {}
        }
    }

    async fn handle(mut sock: TcpStream, state: Arc<Mutex<State>>, default: Fault) {
        let Ok(Some(request)) = tokio::time::timeout(READ_TIMEOUT, read_request(&mut sock))
            .await
            .unwrap_or(Ok(None))
        else {
            return;
        };
        let fault = match state.lock() {
            Ok(mut s) => {
                let scripted = s
                    .scripts
                    .get_mut(request.path())
                    .and_then(VecDeque::pop_front);
                s.received.push(request);
                scripted.unwrap_or(default)
            }
            Err(_) => return,
        };
        // Write errors mean the client left (a timeout): nothing to do.
        let _ = answer(&mut sock, fault).await;
    }

    async fn answer(sock: &mut TcpStream, fault: Fault) -> std::io::Result<()> {
        match fault {
            Fault::Respond {
                status,
                headers,
                body,
            } => write_response(sock, status, &headers, &body, body.len()).await,
            Fault::Delay(d) => {
                tokio::time::sleep(d).await;
                write_response(sock, 200, &[], b"{}", 2).await
            }
            Fault::CloseAfterRequest => sock.shutdown().await,
            Fault::Truncated {
                status,
                body,
                declared,
            } => {
                write_response(sock, status, &[], &body, declared).await?;
                sock.shutdown().await
            }
        }
    }

    async fn write_response(
        sock: &mut TcpStream,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        content_length: usize,
    ) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
        ));
        sock.write_all(head.as_bytes()).await?;
        sock.write_all(body).await?;
        sock.flush().await
    }

    fn reason(status: u16) -> &'static str {
        match status {
            200 => "OK",
            301 => "Moved Permanently",
            302 => "Found",
            307 => "Temporary Redirect",
            308 => "Permanent Redirect",
            400 => "Bad Request",
            401 => "Unauthorized",
            404 => "Not Found",
            423 => "Locked",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Status",
        }
    }

    /// Reads one request: head, then a `Content-Length` body or a chunked body
    /// up to its last chunk. `None` when the client left or sent too much.
    async fn read_request(sock: &mut TcpStream) -> std::io::Result<Option<ReceivedRequest>> {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if buf.len() > MAX_REQUEST {
                return Ok(None);
            }
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let path_and_query = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let find = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let mut body = buf.split_off(head_end + 4);
        let chunked = find("transfer-encoding").is_some_and(|v| v.contains("chunked"));
        let length: usize = find("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if length > MAX_REQUEST {
            return Ok(None);
        }
        loop {
            let done = if chunked {
                body.ends_with(b"0\r\n\r\n")
            } else {
                body.len() >= length
            };
            if done {
                break;
            }
            if body.len() > MAX_REQUEST {
                return Ok(None);
            }
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            body.extend_from_slice(&chunk[..n]);
        }
        if !chunked {
            body.truncate(length);
        }
        Ok(Some(ReceivedRequest {
            method,
            path_and_query,
            headers,
            body,
        }))
    }
}

/// A signer that signs nothing: a fixed, invalid signature, at no cost. For
/// tests that exercise the answer path (fuzzing decoders over a mock
/// transport) where the request's signature is not what is tested.
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSigner;

impl crate::signing::Signer for NullSigner {
    fn sign(&self, _message: &[u8]) -> crate::Result<Vec<u8>> {
        Ok(b"not-a-signature".to_vec())
    }
}
