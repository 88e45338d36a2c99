//! The provider's side of the wire (feature `server`), checked against the
//! client with real bytes: the client's own request bodies decode into the
//! request types and equal the values built; every answer model written by
//! the server side decodes back through the client to an equal value; the
//! envelope encoders' output is read by the client as success, refusal,
//! authentication error and each public order status.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use walletbridge_core::{Decimal, ErrorKind, HttpResponse, date};
use walletbridge_merchant_wallet::auth::{LoginAnswer, LoginRequest};
use walletbridge_merchant_wallet::endpoints::{self, Auth};
use walletbridge_merchant_wallet::envelope;
use walletbridge_merchant_wallet::pay::{OrderStatus, OrderStatusRequest};
use walletbridge_merchant_wallet::wallet::{
    RechargeChannel, RechargeChannels, RechargeCreated, RechargeOrder, RechargeOrderList,
    RechargeOrderQuery, RechargeWallet, TotalMoney, UserBalance,
};
use walletbridge_merchant_wallet::{RechargeStatus, UserType};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The body of the last request `t` received.
fn sent_body(t: &MockTransport) -> Vec<u8> {
    t.last_request().unwrap().body.unwrap().to_vec()
}

fn read<T: DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)))
}

/// A transport answering every call with `body` (HTTP `status`).
fn answering(status: u16, body: Vec<u8>) -> Arc<MockTransport> {
    Arc::new(MockTransport::with_responder(move |_| {
        Ok(HttpResponse::new(status, body.clone()))
    }))
}

fn success<T: serde::Serialize>(data: &T) -> Arc<MockTransport> {
    answering(200, envelope::encode_success("获取成功", data).unwrap())
}

#[tokio::test]
async fn the_clients_request_bytes_decode_into_the_request_types() {
    // Login.
    let t = page_transport();
    login_client(t.clone()).login().await.unwrap();
    let login: LoginRequest = read(&sent_body(&t));
    assert_eq!(login, LoginRequest::new(USERNAME, PASSWORD));
    assert_eq!(login.password.expose(), PASSWORD);
    assert!(!format!("{login:?}").contains(PASSWORD));

    // Recharge, amounts as the client writes them.
    for amount in ["300", "300.50", "0.01", "12345678.99"] {
        let t = page_transport();
        let want = RechargeWallet::new(d(amount), 2);
        token_client(t.clone())
            .wallet()
            .recharge(&want)
            .await
            .unwrap();
        let got: RechargeWallet = read(&sent_body(&t));
        assert_eq!(got, want, "{amount}");
        assert_eq!(got.amount.to_string(), d(amount).normalize().to_string());
    }

    // The order list, every filter set and none.
    let full = RechargeOrderQuery::new()
        .status(RechargeStatus::Closed)
        .date_range(
            date::parse_date("2025-11-01").unwrap(),
            date::parse_date("2025-11-30").unwrap(),
        )
        .channel_id(2)
        .page(3)
        .limit(50);
    for want in [full, RechargeOrderQuery::new()] {
        let t = page_transport();
        token_client(t.clone())
            .wallet()
            .recharge_orders(&want)
            .await
            .unwrap();
        let got: RechargeOrderQuery = read(&sent_body(&t));
        assert_eq!(got, want);
    }

    // The public order status.
    let t = page_transport();
    token_client(t.clone())
        .pay()
        .order_status("M251119000001")
        .await
        .unwrap();
    let got: OrderStatusRequest = read(&sent_body(&t));
    assert_eq!(got, OrderStatusRequest::new("M251119000001"));
}

#[test]
fn request_types_also_read_what_other_clients_send() {
    // A form-encoded body read as fields of strings; `channel_id` for `channelId`.
    let form = json!({"amount": "300.50", "channel_id": "1"});
    let r: RechargeWallet = serde_json::from_value(form).unwrap();
    assert_eq!(r, RechargeWallet::new(d("300.5"), 1));
    // A number beyond what a float holds, exactly.
    let r: RechargeWallet = read(br#"{"amount":12345678901234.57,"channelId":1}"#);
    assert_eq!(r.amount, d("12345678901234.57"));
    // Defaults of the order list, integers as strings, days with times.
    let q: RechargeOrderQuery = read(b"{}");
    assert_eq!(q, RechargeOrderQuery::new());
    let q: RechargeOrderQuery = read(
        br#"{"status":"1","channel_id":"2","page":"2","limit":"10","date_range":["2025-11-01 00:00:00","2025-11-02 23:59:59"]}"#,
    );
    let want = RechargeOrderQuery::new()
        .status(RechargeStatus::Paid)
        .channel_id(2)
        .page(2)
        .limit(10)
        .date_range(
            date::parse_date("2025-11-01").unwrap(),
            date::parse_date("2025-11-02").unwrap(),
        );
    assert_eq!(q, want);
    let q: RechargeOrderQuery = read(br#"{"date_range":null,"status":null}"#);
    assert_eq!(q, RechargeOrderQuery::new());
    // Wrong or missing fields are named.
    for (body, field) in [
        (r#"{"channelId":1}"#, "amount"),
        (r#"{"amount":"x","channelId":1}"#, "amount"),
        (r#"{"amount":1,"channelId":"one"}"#, "channelId"),
        (r#"{"amount":1}"#, "channelId"),
    ] {
        let mut de = serde_json::Deserializer::from_str(body);
        let e = serde_path_to_error::deserialize::<_, RechargeWallet>(&mut de).unwrap_err();
        let said = format!("{} {}", e.path(), e.inner());
        assert!(said.contains(field), "{body}: {said}");
    }
    for body in [
        r#"{"date_range":["2025-11-01"]}"#,
        r#"{"date_range":"2025-11-01"}"#,
        r#"{"date_range":["x","2025-11-02"]}"#,
        r#"{"page":-1}"#,
    ] {
        assert!(
            serde_json::from_str::<RechargeOrderQuery>(body).is_err(),
            "{body}"
        );
    }
    assert!(serde_json::from_str::<LoginRequest>(r#"{"username":"a"}"#).is_err());
    assert!(serde_json::from_str::<OrderStatusRequest>("{}").is_err());
}

#[tokio::test]
async fn every_answer_model_decodes_back_through_the_client() {
    let total = TotalMoney::new(d("1000.00"), d("50.00"), Some(d("10.00")));
    let got = token_client(success(&total))
        .wallet()
        .total_money()
        .await
        .unwrap();
    assert_eq!(got, total);
    let total = TotalMoney::new(d("1"), d("0"), None);
    let got = token_client(success(&total))
        .wallet()
        .total_money()
        .await
        .unwrap();
    assert_eq!(got, total);

    let balance = UserBalance::new(d("1000.00"), d("500.00"), d("200.00"));
    let got = token_client(success(&balance))
        .wallet()
        .balance()
        .await
        .unwrap();
    assert_eq!(got, balance);

    let channels = RechargeChannels::new(
        d("0.05"),
        vec![
            RechargeChannel::new(
                1,
                "支付宝",
                Some("https://fast.qqss.net/static/payment/zfb.png".into()),
            ),
            RechargeChannel::new(2, "微信支付", None),
        ],
    );
    let body = envelope::encode_success("获取成功", &channels).unwrap();
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(text.contains(r#""fee_rate":0.05"#), "{text}");
    assert!(
        text.contains(r#"{"value":1,"label":"支付宝","ico":"#),
        "{text}"
    );
    let got = token_client(answering(200, body))
        .wallet()
        .recharge_channels()
        .await
        .unwrap();
    assert_eq!(got, channels);

    let created = RechargeCreated::new(
        "202312010001",
        "https://example.com/pay/202312010001",
        Duration::from_secs(1800),
    );
    let body = envelope::encode_success("", &created).unwrap();
    assert!(String::from_utf8_lossy(&body).contains(r#""order_auto_close_time":1800"#));
    let got = token_client(answering(200, body))
        .wallet()
        .recharge(&RechargeWallet::new(d("300"), 1))
        .await
        .unwrap();
    assert_eq!(got, created);

    let mut paid = RechargeOrder::new(
        3,
        "M251119900059",
        1,
        date::from_unix_seconds(1_763_538_928).unwrap(),
    );
    paid.goods_name = "运营钱包充值 300元".into();
    paid.total_price = d("315.000");
    paid.finally_money = d("300.000");
    paid.fee = d("15.000");
    paid.user_id = 1000;
    paid.status = RechargeStatus::Paid;
    paid.channel_account_id = Some(1);
    paid.pay_at = Some(date::from_unix_seconds(1_763_538_936).unwrap());
    paid.transaction_id = Some("T1".into());
    let unpaid = RechargeOrder::new(
        4,
        "M251119900060",
        2,
        date::from_unix_seconds(1_763_539_000).unwrap(),
    );
    let list = RechargeOrderList::new(vec![paid.clone(), unpaid.clone()], 7);
    let body = envelope::encode_success("获取成功", &list).unwrap();
    let text = String::from_utf8(body.clone()).unwrap();
    for part in [
        r#""total_price":"315.000""#,
        r#""create_at":"2025-11-19 15:55:28""#,
        r#""pay_at":1763538936"#,
        r#""pay_at":null"#,
        r#""user_type":1"#,
        r#""recharge_type":"deposit_money""#,
        r#""total":7"#,
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let page = token_client(answering(200, body))
        .wallet()
        .recharge_orders(&RechargeOrderQuery::new().limit(2))
        .await
        .unwrap();
    assert_eq!(page.items, [paid, unpaid]);
    assert_eq!(page.total_count, Some(7));
    assert_eq!(page.items[1].user_type, UserType::Merchant);
}

#[tokio::test]
async fn the_login_answer_is_read_by_the_client() {
    let token = jwt(json!({"iat": 1_700_000_000, "exp": 4_000_000_000_i64}));
    let mut profile = Map::new();
    profile.insert("id".into(), json!(1000));
    profile.insert("username".into(), json!("shop"));
    let answer = LoginAnswer::new(token.clone())
        .expires_in(3600)
        .userinfo(profile);
    assert!(!format!("{answer:?}").contains(&token));
    let body = envelope::encode_success("登录成功", &answer).unwrap();
    let login = login_client(answering(200, body)).login().await.unwrap();
    assert_eq!(login.token.expose(), &token);
    assert_eq!(login.profile.id, Some(1000));
    assert_eq!(login.profile.username.as_deref(), Some("shop"));

    // The bare answer: the token alone.
    let body = envelope::encode_success("登录成功", &LoginAnswer::new("tok-1")).unwrap();
    assert_eq!(
        body,
        r#"{"code":1,"msg":"登录成功","data":{"access_token":"tok-1"}}"#.as_bytes()
    );
    let login = login_client(answering(200, body)).login().await.unwrap();
    assert_eq!(login.token.expose(), "tok-1");

    // A refusal is an authentication error carrying the message.
    let e = login_client(answering(200, envelope::encode_error("账号或密码错误")))
        .login()
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Authentication { message, .. } if message == "账号或密码错误"),
        "{e}"
    );
}

#[tokio::test]
async fn each_order_status_answer_decodes_to_its_value() {
    for status in [
        OrderStatus::Paid,
        OrderStatus::Closed,
        OrderStatus::Refunded,
        OrderStatus::Unpaid,
        OrderStatus::NotFound,
        OrderStatus::Other {
            status: 9,
            message: "未知状态".into(),
        },
    ] {
        let body = envelope::encode_order_status(&status);
        let got = token_client(answering(200, body))
            .pay()
            .order_status("M1")
            .await
            .unwrap();
        assert_eq!(got, status);
    }
    assert_eq!(
        envelope::encode_order_status(&OrderStatus::Paid),
        r#"{"code":1,"msg":"订单已支付","data":{"status":1}}"#.as_bytes()
    );
    assert_eq!(
        envelope::encode_order_status(&OrderStatus::NotFound),
        r#"{"code":0,"msg":"订单不存在","data":"error"}"#.as_bytes()
    );
}

#[tokio::test]
async fn error_envelopes_are_read_as_their_kinds() {
    // A refusal: an API error with code 0 and the message, not retried.
    let e = token_client(answering(200, envelope::encode_error("支付通道不存在")))
        .wallet()
        .recharge(&RechargeWallet::new(d("1"), 9))
        .await
        .unwrap_err();
    let api = e.api_error().unwrap();
    assert_eq!(
        (api.code.as_str(), api.message.as_str()),
        ("0", "支付通道不存在")
    );
    assert!(!e.is_retryable() && !e.is_outcome_unknown());

    // A refusal with data: the bare string is kept.
    let body = envelope::encode_error_with_data("请求过于频繁", "error").unwrap();
    let e = token_client(answering(200, body))
        .wallet()
        .balance()
        .await
        .unwrap_err();
    assert_eq!(e.api_error().unwrap().get_detail("data"), Some("error"));

    // The 401 answer: an authentication error carrying the message.
    let body = envelope::encode_unauthorized("登录已过期，请重新登录");
    let e = token_client(answering(envelope::UNAUTHORIZED_STATUS, body))
        .wallet()
        .balance()
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Authentication { status: 401, message } if message == "登录已过期，请重新登录"),
        "{e}"
    );

    // A 5xx with the envelope: retryable, and unknown for the recharge.
    let e = token_client(answering(500, envelope::encode_error("服务器内部错误")))
        .wallet()
        .recharge(&RechargeWallet::new(d("1"), 1))
        .await
        .unwrap_err();
    assert_eq!(e.message(), Some("服务器内部错误"));
    assert!(e.is_outcome_unknown());

    // A success without data for an answer that carries nothing is read as such.
    assert_eq!(
        envelope::encode_success("ok", &()).unwrap(),
        br#"{"code":1,"msg":"ok","data":null}"#
    );
}

#[test]
fn the_table_routes_every_call_the_client_makes() {
    let paths = [
        LOGIN,
        TOTAL_MONEY,
        USER_BALANCE,
        CHANNELS,
        RECHARGE,
        ORDERS,
        ORDER_STATUS,
    ];
    assert_eq!(endpoints::ALL.len(), paths.len());
    for path in paths {
        let e = endpoints::route("POST", path).unwrap();
        assert_eq!(e.path, path);
        let public = path == LOGIN || path == ORDER_STATUS;
        assert_eq!(e.auth == Auth::Public, public, "{path}");
    }
    assert!(endpoints::route("DELETE", RECHARGE).is_none());
    assert!(endpoints::route("POST", "/merchantapi/wallet/operational/other").is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn amounts_round_trip_exactly(
        mantissa in 1i64..1_000_000_000_000,
        scale in 0u32..=3,
        channel in 1i64..1000,
    ) {
        let amount = Decimal::new(mantissa, scale);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

        // The model written by the server, read by the client.
        let balance = UserBalance::new(amount, amount, amount);
        let got = rt.block_on(token_client(success(&balance)).wallet().balance()).unwrap();
        prop_assert_eq!(got, balance);

        // The recharge body the client writes, read by the server.
        let two = amount.round_dp(2);
        if two > Decimal::ZERO {
            let want = RechargeWallet::new(two, channel);
            let t = page_transport();
            rt.block_on(token_client(t.clone()).wallet().recharge(&want)).unwrap();
            let got: RechargeWallet = read(&sent_body(&t));
            prop_assert_eq!(got, want);
        }

        // A fee rate as a number when it can be one, exactly either way.
        let channels = RechargeChannels::new(Decimal::new(mantissa % 10_000, 4), Vec::new());
        let body = envelope::encode_success("", &channels).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        prop_assert!(v["data"]["fee_rate"].is_number());
        let got = rt.block_on(token_client(answering(200, body)).wallet().recharge_channels()).unwrap();
        prop_assert_eq!(got, channels);
    }
}
