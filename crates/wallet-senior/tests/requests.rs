//! What goes on the wire: one snapshot per endpoint (request line, headers,
//! the form body exactly as sent), the JSON fields with their snake_case
//! keys (`recievers` included), and a sign the sandbox verifies.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use serde_json::json;
use walletbridge_core::date::{UtcOffset, from_unix_seconds};
use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, AlipayPay, AlipayPayType, BalancePay, BankCardPay, CodePay, CreateAgentPay,
    CreateCollect, CreateRefund, WalletPayMethod, WechatPay, WechatPayType,
};
use walletbridge_wallet_senior::models::{SmsChallenge, ValidateType};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::ResendSms;
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Fen, SandboxHmacSigner};

/// Two hours after the test clock: 2024-01-01 10:00:00 at +08:00.
fn in_two_hours() -> walletbridge_core::date::DateTime {
    from_unix_seconds(NOW_MS / 1000 + 2 * 3600).unwrap()
}

fn collect(method: impl Into<WalletPayMethod>) -> CreateCollect {
    CreateCollect::new(1001, "biz-20240101-0001", Fen(10_100), method)
        .fee(Fen(100))
        .receiver(2001, Fen(6_000))
        .receiver(2002, Fen(4_000))
        .note("订单 #1 & 2")
        .validate_type(ValidateType::Sms)
        .expire_time(in_two_hours())
        .industry("1010", "保险代理")
        .customer_ip("203.0.113.7")
        .jump_url("https://shop.example.com/paid?o=1")
}

/// Every request carries the token first, then the fields, then a fresh
/// timestamp and a sign that the sandbox verifies.
fn check_envelope(req: &walletbridge_core::HttpRequest, fields: &[&str]) {
    let form = form_of(req);
    let names: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    let mut expected = vec!["access_token"];
    expected.extend_from_slice(fields);
    expected.extend(["timestamp", "sign"]);
    assert_eq!(names, expected);
    assert_eq!(field(req, "access_token").unwrap(), TOKEN);
    assert_eq!(field(req, "timestamp").unwrap(), "1704067200");
    assert!(signer().verify(&form), "the sandbox verifies the sign");
    assert!(!SandboxHmacSigner::new("another secret").verify(&form));
}

#[tokio::test]
async fn collect_sync_with_a_balance_payment() {
    let (text, req, answer) = capture(ok(collect_data("we_chat_a_p_p_info")), |c| async move {
        c.collect()
            .create(&collect(BalancePay::new(Fen(10_100))))
            .await
    })
    .await;
    insta::assert_snapshot!("collect_sync_balance", text);
    check_envelope(&req, &["collect_req", "customer_ip", "jump_url"]);
    assert_eq!(
        json_field(&req, "collect_req"),
        json!({
            "payer_wallet_id": 1001,
            "biz_no": "biz-20240101-0001",
            "amount": 10100,
            "fee": 100,
            "note": "订单 #1 & 2",
            "validate_type": 1,
            "expire_time": "2024-01-01 10:00:00",
            "industry_code": "1010",
            "industry_name": "保险代理",
            "recievers": [{"wallet_id": 2001, "amount": 6000}, {"wallet_id": 2002, "amount": 4000}],
            "wallet_pay_method": {"balance": {"amount": 10100}}
        })
    );
    assert!(
        field(&req, "collect_req")
            .unwrap()
            .contains("\"recievers\"")
    );
    // Made independently with Python (urllib.parse.parse_qsl, sorted, hmac/sha256)
    // from the body in the snapshot: raw JSON text and Chinese characters signed unescaped.
    assert_eq!(
        field(&req, "sign").unwrap(),
        "5ec65399fd1ca7defc835b4e7e09624695ca52b86406370b8421e42b6397d477"
    );
    assert_eq!(answer.ticket.unwrap().as_str(), "TK-77");
}

#[tokio::test]
async fn collect_sync_with_each_other_pay_method() {
    let methods: Vec<(&str, WalletPayMethod, serde_json::Value)> = vec![
        (
            "collect_sync_wechat",
            WechatPay::new(WechatPayType::Js, Fen(10_100))
                .open_id("o-abc")
                .cusip("203.0.113.7")
                .sub_app_id("wx123")
                .scene_info(r#"{"h5_info":{"type":"Wap"}}"#)
                .into(),
            json!({"wechat": {"pay_type": 24, "amount": 10100, "open_id": "o-abc", "cusip": "203.0.113.7",
                              "sub_app_id": "wx123", "scene_info": "{\"h5_info\":{\"type\":\"Wap\"}}"}}),
        ),
        (
            "collect_sync_alipay",
            AlipayPay::new(AlipayPayType::Js, Fen(10_100))
                .user_id("2088000000000001")
                .into(),
            json!({"alipay": {"pay_type": 32, "amount": 10100, "user_id": "2088000000000001"}}),
        ),
        (
            "collect_sync_code_pay",
            CodePay::new(Fen(10_100), "134567890123456789").into(),
            json!({"code_pay": {"pay_type": 41, "amount": 10100, "authcode": "134567890123456789"}}),
        ),
        (
            "collect_sync_bank_card",
            BankCardPay::new("6222020200112233445", Fen(10_100)).into(),
            json!({"bank_card": {"pay_type": 51, "bank_card_no": "6222020200112233445", "amount": 10100}}),
        ),
    ];
    for (name, method, wire) in methods {
        let (text, req, _) = capture(ok(collect_data("we_chat_appinfo")), |c| async move {
            c.collect().create(&collect(method)).await
        })
        .await;
        insta::assert_snapshot!(name, text);
        assert_eq!(
            json_field(&req, "collect_req")["wallet_pay_method"],
            wire,
            "{name}"
        );
    }
}

#[tokio::test]
async fn expire_time_is_written_at_the_configured_offset() {
    let transport = answering(200, ok(collect_data("we_chat_appinfo")));
    let client = builder("https://wallet.example.com")
        .transport(transport.clone())
        .utc_offset(UtcOffset::UTC)
        .build()
        .unwrap();
    let minimal = CreateCollect::new(
        1001,
        "biz-20240101-0001",
        Fen(100),
        BalancePay::new(Fen(100)),
    )
    .receiver(2001, Fen(100))
    .expire_time(in_two_hours());
    client.collect().create(&minimal).await.unwrap();
    let req = transport.last_request().unwrap();
    // absent fields are left out, not null
    assert_eq!(
        json_field(&req, "collect_req"),
        json!({"payer_wallet_id": 1001, "biz_no": "biz-20240101-0001", "amount": 100, "fee": 0,
               "expire_time": "2024-01-01 02:00:00",
               "recievers": [{"wallet_id": 2001, "amount": 100}],
               "wallet_pay_method": {"balance": {"amount": 100}}})
    );
    check_envelope(&req, &["collect_req"]);
}

#[tokio::test]
async fn agent_pay() {
    let body = ok(json!({"clearing": {}, "order": order_data("ap-20240101-0001")}));
    let (text, req, _) = capture(body, |c| async move {
        let receiver = AgentPayReceiver::new(2001, Fen(6_000)).fee_amount(Fen(50));
        c.collect()
            .agent_pay(&CreateAgentPay::new(
                "ap-20240101-0001",
                "W202401010001",
                receiver,
            ))
            .await
    })
    .await;
    insta::assert_snapshot!("agent_pay", text);
    check_envelope(&req, &["agent_pay_req", "biz_no", "collect_order_no"]);
    assert_eq!(
        json_field(&req, "agent_pay_req"),
        json!({"wallet_id": 2001, "amount": 6000, "fee_amount": 50})
    );
}

#[tokio::test]
async fn refund() {
    let (text, req, _) = capture(ok(order_data("rf-20240101-0001")), |c| async move {
        let refund = CreateRefund::new("rf-20240101-0001", "W202401010001")
            .line(2001, Fen(3_000))
            .line(2002, Fen(1_000));
        c.collect().refund(&refund).await
    })
    .await;
    insta::assert_snapshot!("refund", text);
    check_envelope(&req, &["biz_no", "collect_order_no", "refund_list"]);
    assert_eq!(
        json_field(&req, "refund_list"),
        json!([{"wallet_id": 2001, "amount": 3000}, {"wallet_id": 2002, "amount": 1000}])
    );
}

#[tokio::test]
async fn recharge() {
    let (text, req, _) = capture(ok(order_data("")), |c| async move {
        let r = CreateRecharge::new(1001, "CARD-9", Fen(50_000))
            .customer_ip("2001:db8::7")
            .jump_url("https://shop.example.com/recharged");
        c.recharge().create(&r).await
    })
    .await;
    insta::assert_snapshot!("recharge", text);
    check_envelope(
        &req,
        &["amount", "card_id", "wallet_id", "customer_ip", "jump_url"],
    );
    assert_eq!(field(&req, "amount").unwrap(), "50000");
}

#[tokio::test]
async fn withdraw() {
    let (text, req, _) = capture(ok(order_data("")), |c| async move {
        let w = CreateWithdrawal::new(
            1001,
            "CARD-9",
            Fen(20_000),
            "203.0.113.7",
            "https://shop.example.com/withdrawn",
        );
        c.withdraw().create(&w).await
    })
    .await;
    insta::assert_snapshot!("withdraw", text);
    check_envelope(
        &req,
        &["amount", "card_id", "customer_ip", "jump_url", "wallet_id"],
    );
}

#[tokio::test]
async fn sms_confirm() {
    let (text, req, ()) = capture(ack(), |c| async move {
        let challenge = SmsChallenge::new("TK-77");
        c.sms()
            .confirm(&challenge.confirm("123456", "203.0.113.7"))
            .await
    })
    .await;
    insta::assert_snapshot!("sms_confirm", text);
    check_envelope(&req, &["customer_ip", "ticket", "verify_code"]);
}

#[tokio::test]
async fn sms_retry() {
    let (text, req, ()) = capture(ack(), |c| async move {
        c.sms().resend(&ResendSms::new("TK-77")).await
    })
    .await;
    insta::assert_snapshot!("sms_retry", text);
    check_envelope(&req, &["ticket"]);
}

#[tokio::test]
async fn order_query() {
    let (text, req, _) = capture(ok(order_data("biz-1")), |c| async move {
        c.order().query(&OrderQuery::new("W202401010001")).await
    })
    .await;
    insta::assert_snapshot!("order_query", text);
    check_envelope(&req, &["order_no"]);
    // Made independently with Python's hmac over
    // `access_token=test-access-token-4c1d&order_no=W202401010001&timestamp=1704067200`.
    assert_eq!(
        field(&req, "sign").unwrap(),
        "eeeeeea3c52d4d38d08b9718d1ec9fc331661de18a7ef2897fef42bcdba689a6"
    );
}
