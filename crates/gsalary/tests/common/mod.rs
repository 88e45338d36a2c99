//! Shared test support: committed test keys, a fixed clock, a client over a
//! scripted transport or an httpmock server, signed platform answers mounted
//! on an httpmock server, and signature-error checks.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

use std::sync::Arc;

use futures_util::{TryStream, TryStreamExt};
use httpmock::{Method, Mock, MockServer, When};
use walletbridge_core::test_util::{MockTransport, render_request, split_query};
pub use walletbridge_core::test_util::{assert_signature, quick_retries};
use walletbridge_core::{
    Error, ErrorKind, FixedClock, HashAlgorithm, HttpRequest, HttpResponse, RetryPolicy,
    RsaPrivateKey, RsaSigner, SignatureProblem,
};
pub use walletbridge_gsalary::prelude::*;
use walletbridge_gsalary::{Client, signing};

pub const APPID: &str = "gs_test_appid";
/// 2024-11-22T02:13:20Z
pub const NOW_MS: i64 = 1_732_241_600_000;

macro_rules! key {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/keys/",
            $name
        ))
    };
}

pub const MERCHANT_KEY: &str = key!("merchant_pkcs8.pem");
pub const MERCHANT_PUBLIC: &str = key!("merchant_spki.pem");
pub const PLATFORM_KEY: &str = key!("platform_pkcs8.pem");
pub const PLATFORM_PUBLIC: &str = key!("platform_spki.pem");
pub const OTHER_KEY: &str = key!("other_pkcs8.pem");

pub fn signer(pem: &str) -> RsaSigner {
    RsaSigner::new(&RsaPrivateKey::parse(pem).unwrap(), HashAlgorithm::Sha256).unwrap()
}

/// A client whose transport is `transport`, clock fixed at NOW_MS, no retries.
pub fn client_with(transport: Arc<MockTransport>) -> Client {
    Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url("https://api-test.gsalary.com")
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

/// A client on an httpmock server (the real reqwest transport), clock fixed.
pub fn client_for(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(base_url)
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// A client on `server` with no retries.
pub fn client_on(server: &MockServer) -> Client {
    client_for(&server.base_url(), RetryPolicy::none())
}

/// The `Authorization` header the platform would put on an answer to
/// `method path_and_query` with `body`, signed by `key_pem`.
pub fn answer_signature(key_pem: &str, method: &str, path_and_query: &str, body: &str) -> String {
    signing::sign(
        &signer(key_pem),
        method,
        path_and_query,
        APPID,
        NOW_MS,
        Some(body.as_bytes()),
    )
    .unwrap()
}

/// A success envelope around `data`.
pub fn ok_body(data: serde_json::Value) -> String {
    serde_json::json!({"result": {"result": "S", "code": "", "message": ""}, "data": data})
        .to_string()
}

/// A transport that answers every request with a success that has no `data`
/// at all, signed by the platform key over that request.
pub fn no_data_transport() -> Arc<MockTransport> {
    let body = serde_json::json!({"result": {"result": "S", "code": "", "message": ""}});
    signed_transport(200, body.to_string())
}

/// A transport that answers every request with `body`, signed by the platform key over that request.
pub fn signed_transport(status: u16, body: String) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        let auth = answer_signature(
            PLATFORM_KEY,
            req.method.as_str(),
            &signing::unescaped_path_and_query(req.path_and_query()),
            &body,
        );
        Ok(HttpResponse::new(status, body.clone()).header("Authorization", auth))
    }))
}

/// Runs `f` against a client that answers `S` with `data`, and returns the
/// request sent, rendered in the snapshot format.
pub async fn capture<F, Fut, T>(data: serde_json::Value, f: F) -> (String, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    capture_from(signed_transport(200, ok_body(data)), f).await
}

/// [`capture`] against a client whose answers have no `data` at all.
pub async fn capture_no_data<F, Fut, T>(f: F) -> (String, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    capture_from(no_data_transport(), f).await
}

async fn capture_from<F, Fut, T>(transport: Arc<MockTransport>, f: F) -> (String, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    let client = client_with(transport.clone());
    let out = f(client).await.unwrap();
    let req = transport.last_request().expect("a request was sent");
    (render_request(&req), out)
}

/// Mounts on `server` an answer to `method path_and_query`: the request must
/// have that method, path and each query parameter of `path_and_query`, and
/// meet `more`; the answer is `status` with `body` and, when given, the
/// `authorization` header.
pub async fn mount_with<'a>(
    server: &'a MockServer,
    method: Method,
    path_and_query: &str,
    more: impl FnOnce(When) -> When,
    status: u16,
    body: &str,
    authorization: Option<&str>,
) -> Mock<'a> {
    let (path, params) = split_query(path_and_query);
    server
        .mock_async(|when, then| {
            let when = params
                .iter()
                .fold(when.method(method).path(path), |when, (k, v)| {
                    when.query_param(*k, *v)
                });
            more(when);
            let then = then.status(status).body(body);
            if let Some(auth) = authorization {
                then.header("Authorization", auth);
            }
        })
        .await
}

/// [`mount_with`] without further conditions.
pub async fn mount<'a>(
    server: &'a MockServer,
    method: Method,
    path_and_query: &str,
    status: u16,
    body: &str,
    authorization: Option<&str>,
) -> Mock<'a> {
    let any = |when: When| when;
    mount_with(
        server,
        method,
        path_and_query,
        any,
        status,
        body,
        authorization,
    )
    .await
}

/// [`mount`] with the `Authorization` header `key_pem` signs over the
/// request (`method path_and_query`) and `body`.
pub async fn mount_signed<'a>(
    server: &'a MockServer,
    method: Method,
    path_and_query: &str,
    status: u16,
    body: &str,
    key_pem: &str,
) -> Mock<'a> {
    let sig = answer_signature(key_pem, &method.to_string(), path_and_query, body);
    mount(server, method, path_and_query, status, body, Some(&sig)).await
}

/// Mounts pages 1 to 3 of a GET list, each a success signed by the platform:
/// page `n` answers `path_and_query(n)` with `ok_body(data(n))`.
pub async fn mount_pages(
    server: &MockServer,
    path_and_query: impl Fn(u32) -> String,
    data: impl Fn(u32) -> serde_json::Value,
) {
    for page in 1..=3 {
        let body = ok_body(data(page));
        mount_signed(
            server,
            Method::GET,
            &path_and_query(page),
            200,
            &body,
            PLATFORM_KEY,
        )
        .await;
    }
}

/// Walks `stream` to its end and returns the `id` of each item.
pub async fn collect_ids<T, E: std::fmt::Debug>(
    stream: impl TryStream<Ok = T, Error = E>,
    id: impl FnMut(T) -> String,
) -> Vec<String> {
    stream.map_ok(id).try_collect().await.unwrap()
}

/// The field a validation error names; panics on any other error.
#[track_caller]
pub fn validation_field(err: &Error) -> String {
    match err.kind() {
        ErrorKind::Validation { field, .. } => field.clone(),
        other => panic!("not a validation error: {other}"),
    }
}

/// Asserts that `err` is an HTTP error with `status` whose snippet of the
/// answer contains `part`.
#[track_caller]
pub fn assert_http_error(err: &Error, status: u16, part: &str) {
    assert!(
        matches!(err.kind(), ErrorKind::Http { status: s, snippet } if *s == status && snippet.contains(part)),
        "expected an HTTP {status} error showing {part:?}, got {err}"
    );
}

/// An ISO-8601 time for the list filters.
#[allow(dead_code)]
pub fn dt(text: &str) -> walletbridge_core::date::DateTime {
    walletbridge_core::date::parse_iso8601(text).unwrap()
}

#[cfg(feature = "server")]
pub mod server;
