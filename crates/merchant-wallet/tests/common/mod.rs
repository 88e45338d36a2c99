//! Shared test support: the page's example answers, clients over a scripted
//! transport or an httpmock server, and answers mounted on httpmock.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use httpmock::{Method::POST, Mock, MockServer};
use serde_json::{Value, json};
pub use walletbridge_core::test_util::{MockTransport, quick_retries, render_request};
use walletbridge_core::{HttpRequest, HttpResponse, RetryPolicy};
pub use walletbridge_merchant_wallet::prelude::*;
use walletbridge_merchant_wallet::{Client, ClientBuilder};

/// The fixed bearer token every snapshot shows.
pub const TOKEN: &str = "test-token";
pub const USERNAME: &str = "merchant@example.com";
pub const PASSWORD: &str = "test-password-8c1f";
pub const BASE: &str = "https://shop.example.com";

pub const LOGIN: &str = "/merchantapi/user/account/login";
pub const TOTAL_MONEY: &str = "/merchantapi/wallet/operational/getTotalMoney";
pub const USER_BALANCE: &str = "/merchantapi/wallet/operational/getUserBalance";
pub const CHANNELS: &str = "/merchantapi/wallet/operational/getRechargeChannel";
pub const RECHARGE: &str = "/merchantapi/wallet/operational/doRecharge";
pub const ORDERS: &str = "/merchantapi/wallet/operational/rechargeOrder";
pub const ORDER_STATUS: &str = "/home/pay/orderStatus";

/// `{"code":1,"msg":"获取成功","data":<data>}`.
pub fn ok(data: Value) -> String {
    json!({"code": 1, "msg": "获取成功", "data": data}).to_string()
}

/// The page's answers, with the amounts as the page writes them (strings).
pub fn total_money() -> Value {
    json!({"total_money": "1000.00", "today_income": "50.00", "promote_income": "10.00"})
}

pub fn user_balance() -> Value {
    json!({"money": "1000.00", "freeze_money": "500.00", "deposit_money": "200.00"})
}

pub fn channels() -> Value {
    json!({"fee_rate": 0.05, "channels": [
        {"value": 1, "label": "支付宝", "ico": "https://fast.qqss.net/static/payment/zfb.png"}
    ]})
}

pub fn recharge() -> Value {
    json!({"trade_no": "202312010001", "url": "https://example.com/pay/202312010001",
           "order_auto_close_time": 1800})
}

pub fn order(id: i64) -> Value {
    json!({
        "id": id, "trade_no": format!("M25111990005{id}"), "user_type": 1,
        "goods_name": "运营钱包充值 300元", "total_price": "315.000", "finally_money": "300.000",
        "user_id": 1000, "status": 1, "channel_account_id": 1, "channel_id": 1,
        "recharge_type": "deposit_money", "fee": "15.000", "create_at": "2025-11-19 15:55:28",
        "pay_at": 1763538936, "transaction_id": null
    })
}

pub fn orders() -> Value {
    json!({"list": [order(3)], "total": 1})
}

/// A JWT (unsigned: the client never verifies it) with these claims.
pub fn jwt(claims: Value) -> String {
    let e = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.c2lnbmF0dXJl",
        e(r#"{"alg":"HS256","typ":"JWT"}"#),
        e(&claims.to_string())
    )
}

pub fn login_answer(token: &str) -> String {
    ok(
        json!({"access_token": token, "userinfo": {"id": 1000, "username": "shop", "nickname": "QQSS Shop", "mobile": "13800000000"}}),
    )
}

/// The page's answer for each path, with the login answering [`TOKEN`].
pub fn page_answer(path: &str) -> HttpResponse {
    let body = match path {
        LOGIN => login_answer(TOKEN),
        TOTAL_MONEY => ok(total_money()),
        USER_BALANCE => ok(user_balance()),
        CHANNELS => ok(channels()),
        RECHARGE => json!({"code": 1, "msg": "", "data": recharge()}).to_string(),
        ORDERS => ok(orders()),
        ORDER_STATUS => json!({"code": 1, "msg": "订单已支付", "data": {"status": 1}}).to_string(),
        _ => json!({"code": 0, "msg": "no route"}).to_string(),
    };
    HttpResponse::new(200, body)
}

/// A transport answering every path as the page does.
pub fn page_transport() -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(|req: &HttpRequest| {
        Ok(page_answer(req.path()))
    }))
}

/// A client with a fixed token over `transport`, no retries.
pub fn token_client(transport: Arc<MockTransport>) -> Client {
    Client::builder()
        .base_url(BASE)
        .token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

/// A client with credentials over `transport`, no retries.
pub fn login_client(transport: Arc<MockTransport>) -> Client {
    Client::builder()
        .base_url(BASE)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

/// A builder on `server` (the real reqwest transport), no retries.
pub fn on(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
}

/// A client on `server` with the fixed token.
pub fn token_client_on(server: &MockServer) -> Client {
    on(server).token(TOKEN).build().unwrap()
}

/// A client on `server` with credentials.
pub fn login_client_on(server: &MockServer) -> Client {
    on(server).credentials(USERNAME, PASSWORD).build().unwrap()
}

/// Mounts `POST path` (with the bearer token when `bearer`) answering `status` `body`.
pub async fn mount<'a>(
    server: &'a MockServer,
    path: &str,
    bearer: Option<&str>,
    status: u16,
    body: String,
) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            let when = when.method(POST).path(path);
            match bearer {
                Some(token) => {
                    when.header("Authorization", format!("Bearer {token}"));
                }
                None => {
                    when.header_missing("Authorization");
                }
            }
            then.status(status)
                .header("Content-Type", "application/json")
                .body(body);
        })
        .await
}

/// Mounts a login that checks the credentials and answers `token` after `delay`.
pub async fn mount_login<'a>(server: &'a MockServer, token: &str, delay: Duration) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(LOGIN)
                .header_missing("Authorization")
                .json_body(json!({"username": USERNAME, "password": PASSWORD}));
            then.status(200)
                .header("Content-Type", "application/json")
                .delay(delay)
                .body(login_answer(token));
        })
        .await
}

/// The validation error's field, or a panic.
#[track_caller]
pub fn invalid_field(err: &walletbridge_core::Error) -> String {
    match err.kind() {
        walletbridge_core::ErrorKind::Validation { field, .. } => field.clone(),
        other => panic!("expected a validation error, got {other}"),
    }
}
