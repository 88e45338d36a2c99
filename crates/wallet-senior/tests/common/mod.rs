//! Shared test support: a client over a scripted transport or an httpmock
//! server (fixed clock, static token, sandbox signer), sample answers, and
//! reading back the form a request carried.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

use std::sync::Arc;

use httpmock::{Mock, MockServer};
use serde_json::{Value, json};
pub use walletbridge_core::test_util::{MockTransport, quick_retries, render_request};
use walletbridge_core::{FixedClock, HttpRequest, HttpResponse, RetryPolicy, form};
pub use walletbridge_wallet_senior::prelude::*;
use walletbridge_wallet_senior::{Client, ClientBuilder, SandboxHmacSigner};

/// The static test token.
pub const TOKEN: &str = "test-access-token-4c1d";
/// The sandbox signer's test secret.
pub const SECRET: &str = "sandbox-secret-for-tests";
/// 2024-01-01 00:00:00 UTC (08:00:00 at +08:00), in milliseconds.
pub const NOW_MS: i64 = 1_704_067_200_000;

pub const COLLECT_SYNC: &str = "/wallet_server/v1/m/senior/collect_sync";
pub const AGENT_PAY: &str = "/wallet_server/v1/m/senior/agent_pay";
pub const REFUND: &str = "/wallet_server/v1/m/senior/refund";
pub const RECHARGE: &str = "/wallet_server/v1/m/senior/recharge";
pub const WITHDRAW: &str = "/wallet_server/v1/m/senior/withdraw";
pub const SMS_CONFIRM: &str = "/wallet_server/v1/m/senior/sms_confirm";
pub const SMS_RETRY: &str = "/wallet_server/v1/m/senior/sms_retry";
pub const ORDER_QUERY: &str = "/wallet_server/v1/m/senior/order_query";

pub fn signer() -> SandboxHmacSigner {
    SandboxHmacSigner::new(SECRET)
}

/// A builder with the test token, the sandbox signer, the fixed clock and no retries.
pub fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .signer(Arc::new(signer()))
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(RetryPolicy::none())
}

/// A client on a made-up host whose transport is `transport`.
pub fn client_with(transport: Arc<MockTransport>) -> Client {
    builder("https://wallet.example.com")
        .transport(transport)
        .build()
        .unwrap()
}

/// A client on an httpmock server (the real reqwest transport).
pub fn client_on(server: &MockServer) -> Client {
    builder(&server.base_url()).build().unwrap()
}

/// `{"code":1001,"msg":"","data":data}`.
pub fn ok(data: Value) -> String {
    json!({"code": 1001, "msg": "", "data": data}).to_string()
}

/// `{"code":1001,"msg":""}`.
pub fn ack() -> String {
    json!({"code": 1001, "msg": ""}).to_string()
}

/// A transport that answers every request with `status` and `body`.
pub fn answering(status: u16, body: String) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |_req: &HttpRequest| {
        Ok(HttpResponse::new(status, body.clone().into_bytes()))
    }))
}

/// Runs `f` against a client that answers `body`, and returns the request
/// sent, rendered in the snapshot format, the request, and the result.
pub async fn capture<F, Fut, T>(body: String, f: F) -> (String, HttpRequest, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = walletbridge_core::Result<T>>,
{
    let transport = answering(200, body);
    let client = client_with(transport.clone());
    let out = f(client).await.unwrap();
    let req = transport.last_request().expect("a request was sent");
    (render_request(&req), req, out)
}

/// The form fields a request carried, in order.
pub fn form_of(req: &HttpRequest) -> Vec<(String, String)> {
    form::parse(req.body.as_deref().unwrap_or_default())
}

/// The value of one form field.
pub fn field(req: &HttpRequest, name: &str) -> Option<String> {
    form::get(&form_of(req), name).map(str::to_owned)
}

/// A form field holding JSON text, parsed.
pub fn json_field(req: &HttpRequest, name: &str) -> Value {
    serde_json::from_str(&field(req, name).unwrap()).unwrap()
}

/// Mounts `status`/`body` on `path` of `server`, for POSTs only.
pub async fn mount<'a>(server: &'a MockServer, path: &str, status: u16, body: String) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST).path(path);
            then.status(status)
                .header("Content-Type", "application/json")
                .body(body);
        })
        .await
}

/// A wallet order as the server sends it: strings everywhere, as the page shows.
pub fn order_data(biz_no: &str) -> Value {
    json!({
        "amount": "10000",
        "batch_no": "B20240101000001",
        "biz_no": biz_no,
        "biz_tag": "2",
        "create_time": "2024-01-01 08:00:00",
        "curr_try_times": "1",
        "end_time": "",
        "expire_time": "2024-01-01 10:00:00",
        "id": "3001",
        "locked": "1",
        "notified": "1",
        "order_no": "W202401010001",
        "progress": "2",
        "start_time": "2024-01-01 08:00:01",
        "status": "2",
        "tunnel_err_code": "",
        "tunnel_err_msg": "",
        "tunnel_order_no": "T90001",
        "tunnel_status": "PROCESSING",
        "tunnel_succ_time": "",
        "tunnel_type": "2",
        "type": "4",
        "wallet_id": "1001"
    })
}

/// A collect answer, with the WeChat APP info under `we_chat_key`.
pub fn collect_data(we_chat_key: &str) -> Value {
    let mut d = order_data("biz-20240101-0001");
    let o = d.as_object_mut().unwrap();
    o.insert("ticket".into(), json!("TK-77"));
    o.insert("pay_info".into(), json!(""));
    o.insert("signed_params".into(), json!(""));
    o.insert("trade_no".into(), json!("TN-1"));
    o.insert(
        we_chat_key.into(),
        json!(r#"{"appid":"wx123","prepayid":"p1"}"#),
    );
    d
}
