//! Shared test support: committed test keys, a fixed clock, a client over a
//! scripted transport or an httpmock server, and signed platform answers.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use walletbridge_core::test_util::{MockTransport, render_request};
use walletbridge_core::{
    FixedClock, HashAlgorithm, HttpRequest, HttpResponse, RetryPolicy, RsaPrivateKey, RsaSigner,
};
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

/// A transport that answers every request with `body`, signed by the platform key over that request.
pub fn signed_transport(status: u16, body: String) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        let auth = answer_signature(
            PLATFORM_KEY,
            req.method.as_str(),
            req.path_and_query(),
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
    let transport = signed_transport(200, ok_body(data));
    let client = client_with(transport.clone());
    let out = f(client).await.unwrap();
    let req = transport.last_request().expect("a request was sent");
    (render_request(&req), out)
}
