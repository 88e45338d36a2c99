//! Shared test support: committed test keys, a client over a scripted
//! transport or an httpmock server, signed platform answers, answers mounted
//! on an httpmock server, and signature-error checks.
#![allow(dead_code, unused_macros, unused_imports, clippy::unwrap_used)]

use std::sync::Arc;

use httpmock::{Method, Mock, MockServer};
pub use walletbridge_adapay::prelude::*;
use walletbridge_adapay::{Client, signing};
use walletbridge_core::test_util::{MockTransport, render_request, split_query};
pub use walletbridge_core::test_util::{assert_signature, quick_retries};
use walletbridge_core::{
    Error, ErrorKind, HashAlgorithm, HttpRequest, HttpResponse, RetryPolicy, RsaPrivateKey,
    RsaSigner, SignatureProblem,
};

pub const APP_ID: &str = "app_7d87c043-aae3-4357-9b2c-269349a980d6";
pub const API_KEY: &str = "api_live_9c14f2b3-test-only";

macro_rules! key {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/keys/",
            $name
        ))
    };
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}
pub(crate) use fixture;

pub const MERCHANT_KEY: &str = key!("merchant_pkcs8.pem");
pub const MERCHANT_PUBLIC: &str = key!("merchant_spki.pem");
pub const PLATFORM_KEY: &str = key!("platform_pkcs8.pem");
pub const PLATFORM_PUBLIC: &str = key!("platform_spki.pem");
pub const OTHER_KEY: &str = key!("other_pkcs8.pem");

pub fn signer(pem: &str) -> RsaSigner {
    RsaSigner::new(&RsaPrivateKey::parse(pem).unwrap(), HashAlgorithm::Sha1).unwrap()
}

/// A client on the default hosts whose transport is `transport`, no retries.
pub fn client_with(transport: Arc<MockTransport>) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

/// A client whose API and page hosts are an httpmock server (the real reqwest transport).
pub fn client_for(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(base_url)
        .page_url(base_url)
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// A client on `server` with no retries.
pub fn client_on(server: &MockServer) -> Client {
    client_for(&server.base_url(), RetryPolicy::none())
}

/// Mounts on `server` an answer to `method path_and_query`: the request must
/// have that method, path and each query parameter of `path_and_query`; the
/// answer is `status` with `body`.
pub async fn mount<'a>(
    server: &'a MockServer,
    method: Method,
    path_and_query: &str,
    status: u16,
    body: &str,
) -> Mock<'a> {
    let (path, params) = split_query(path_and_query);
    server
        .mock_async(|when, then| {
            params
                .iter()
                .fold(when.method(method).path(path), |when, (k, v)| {
                    when.query_param(*k, *v)
                });
            then.status(status).body(body);
        })
        .await
}

/// An answer `{"data": <data>, "signature": <sig over data by key_pem>}`.
pub fn signed_answer(key_pem: &str, data: &str) -> String {
    signing::signed_answer(&signer(key_pem), data).unwrap()
}

/// A transport that answers every request with `data`, signed by the platform key.
pub fn signed_transport(status: u16, data: String) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |_req: &HttpRequest| {
        Ok(HttpResponse::new(
            status,
            signed_answer(PLATFORM_KEY, &data),
        ))
    }))
}

/// Runs `f` against a client that answers with `data` (signed), and returns
/// the request sent, rendered in the snapshot format.
pub async fn capture<F, Fut, T>(data: serde_json::Value, f: F) -> (String, HttpRequest, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    let transport = signed_transport(200, data.to_string());
    let client = client_with(transport.clone());
    let out = f(client).await.unwrap();
    let req = transport.last_request().expect("a request was sent");
    (render_request(&req), req, out)
}

pub fn cash_data(status: &str) -> serde_json::Value {
    serde_json::json!({
        "app_id": APP_ID, "cash_amt": "0.10", "cash_type": "T1", "created_time": "1579163032",
        "fee_amt": "0.00", "id": "0021110063798536337944576", "member_id": "0", "object": "cash",
        "order_no": "cash_20240101_0001", "real_amt": "0.10", "status": status, "prod_mode": "true"
    })
}

pub fn balance_data() -> serde_json::Value {
    serde_json::json!({
        "acct_balance": "100.10", "app_id": APP_ID, "avl_balance": "90.00", "frz_balance": "10.10",
        "object": "account_balance", "status": "succeeded", "prod_mode": "true"
    })
}

pub fn login_data() -> serde_json::Value {
    serde_json::json!({
        "app_id": APP_ID, "token": "tok_5f2a9c", "sign": "c2lnbl9mb3JfdG9rZW4=",
        "object": "login", "status": "succeeded", "prod_mode": "true"
    })
}
