//! Remittance: clearing networks, quotes, payout orders, and the rule that a payout is never repeated.
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_core::{ErrorKind, FixedClock, SignatureProblem};
use walletbridge_gsalary::remittance::{
    AmountType, ClearingNetwork, ClearingNetworksQuery, CreateRemittanceQuote, OrderStatus,
    OrdersQuery, Purpose, SubmitRemittanceOrder,
};
use walletbridge_gsalary::{Client, Money};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn order_data() -> serde_json::Value {
    json!({
        "order_id": "order_123456789", "order_source": "API", "client_order_id": "order_987654321",
        "create_time": "2024-06-07T12:33:23Z", "finish_time": "", "status": "CREATED",
        "payee_id": "payee_123456789", "payee_account_id": "account_123456789",
        "payment_method": "BANK_TRANSFER",
        "pay_amount": {"currency": "USD", "amount": 1000.0},
        "receive_amount": {"currency": "CNY", "amount": 7200.0},
        "surcharge": {"currency": "USD", "amount": 10.0},
        "exchange_rate": 7.2, "error_message": "", "brand_new_field": {"x": 1}
    })
}

/// The error `client` meets submitting an order.
async fn submit_err(client: Client) -> walletbridge_core::Error {
    client
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new("quote_1", "co_1"))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn clearing_networks_request_snapshot_and_decode() {
    let data = json!({
        "clearing_networks": [{"network": "SWIFT", "fee": 10.0, "estimated_arrival_time": "2024-06-08T12:00:00Z"},
                              {"network": "RTGS", "fee": 2.5}],
        "payee_account_id": "account_123456789", "pay_currency": "USD", "receive_currency": "CNY",
        "amount": 1000.0, "amount_type": "PAY_AMOUNT", "country": "CN"
    });
    let q = ClearingNetworksQuery::pay("account_123456789", Money::new("USD", d("1000.50")), "CNY");
    let (req, nets) = capture(data, |c| async move {
        c.remittance().clearing_networks(&q).await
    })
    .await;
    insta::assert_snapshot!("clearing_networks", req);
    assert_eq!(nets.clearing_networks[0].network, ClearingNetwork::Swift);
    assert_eq!(nets.clearing_networks[0].fee, Some(d("10")));
    assert_eq!(
        nets.clearing_networks[1].network,
        ClearingNetwork::Other("RTGS".into())
    );
    assert_eq!(nets.clearing_networks[1].fee, Some(d("2.5")));
    assert_eq!(nets.amount_type, Some(AmountType::PayAmount));
}

#[tokio::test]
async fn quote_request_snapshot_and_decode() {
    let data = json!({
        "quote_id": "quote_123456789", "payment_method": "BANK_TRANSFER",
        "pay_amount": {"currency": "USD", "amount": 1000.0},
        "receive_amount": {"currency": "CNY", "amount": 7200.0},
        "surcharge": {"currency": "USD", "amount": 10.0},
        "exchange_rate": 7.2, "expire_at": "2024-06-07T11:23:22Z"
    });
    let q = CreateRemittanceQuote::pay(
        "account_123456789",
        Purpose::Salary,
        Money::new("USD", d("1000.25")),
    )
    .payer_id("payer_123456789")
    .receive_currency("CNY")
    .clearing_network(ClearingNetwork::Swift)
    .remark("Salary Payment");
    let (req, quote) = capture(data, |c| async move { c.remittance().quote(&q).await }).await;
    insta::assert_snapshot!("remittance_quote", req);
    assert_eq!(quote.quote_id, "quote_123456789");
    assert_eq!(quote.receive_amount, Some(Money::new("CNY", d("7200"))));
    assert_eq!(quote.exchange_rate, Some(d("7.2")));
}

#[tokio::test]
async fn receive_amount_quote_uses_the_receive_currency() {
    let data = json!({"quote_id": "q2"});
    let q = CreateRemittanceQuote::receive(
        "acc_1",
        Purpose::FamilySupport,
        "USD",
        Money::new("IDR", d("1500000")),
    );
    let (req, _) = capture(data, |c| async move { c.remittance().quote(&q).await }).await;
    let body = req.rsplit("\n\n").next().unwrap().trim();
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["amount_type"], "RECEIVE_AMOUNT");
    assert_eq!(v["receive_currency"], "IDR");
    assert_eq!(v["pay_currency"], "USD");
    assert_eq!(v["amount"], 1500000);
    assert_eq!(v["purpose"], "FAMILY_SUPPORT");
}

#[tokio::test]
async fn submit_order_request_snapshot_and_decode() {
    let r = SubmitRemittanceOrder::new("quote_123456789", "order_987654321");
    let (req, order) = capture(order_data(), |c| async move {
        c.remittance().submit_order(&r).await
    })
    .await;
    insta::assert_snapshot!("remittance_order_submit", req);
    assert_eq!(order.status, Some(OrderStatus::Created));
    assert_eq!(order.finish_time, None, "an empty finish_time is no time");
    assert_eq!(order.error_message, None);
    assert_eq!(order.pay_amount.unwrap().amount, d("1000"));
    assert_eq!(order.exchange_rate, Some(d("7.2")));
}

#[tokio::test]
async fn orders_request_snapshot_and_statuses() {
    let data = json!({"query": {"page": 1, "limit": 20},
        "orders": [{"order_id": "o1", "status": "SUCCESS", "pay_amount": {"currency": "USD", "amount": 1000.0},
                    "create_time": "2024-06-07T12:33:23Z"},
                   {"order_id": "o2", "status": "PROCESS_FAILED"},
                   {"order_id": "o3", "status": "ON_HOLD"}],
        "page": 1, "limit": 20, "total_count": 3, "total_page": 1});
    let q = OrdersQuery::new()
        .payee_id("payee_1")
        .payer_id("payer_1")
        .time_start(dt("2024-04-03T12:00:00Z"))
        .time_end(dt("2024-05-03T12:00:00Z"))
        .client_order_id("order_987654321");
    let (req, page) = capture(data, |c| async move { c.remittance().orders(&q).await }).await;
    insta::assert_snapshot!("remittance_orders", req);
    let statuses: Vec<_> = page
        .items
        .iter()
        .map(|o| o.status.clone().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            OrderStatus::Success,
            OrderStatus::ProcessFailed,
            OrderStatus::Other("ON_HOLD".into())
        ]
    );
    assert_eq!(page.total_count, Some(3));
    assert!(!page.has_next());
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(order_data()));
    let client = client_with(transport.clone());
    let field = |e: walletbridge_core::Error| validation_field(&e);
    let r = client.remittance();
    let usd = |s| Money::new("USD", d(s));
    let pay = |money| CreateRemittanceQuote::pay("acc", Purpose::Salary, money);
    for (quote, expected) in [
        // IDR takes no decimals
        (pay(Money::new("IDR", d("10.5"))), "amount"),
        // amounts must be positive
        (pay(usd("0")), "amount"),
        // remark: letters, digits, spaces, 100 at most
        (pay(usd("1")).remark("pay-day!"), "remark"),
        // ACH needs an ABA number, FPS a bank id
        (
            pay(usd("1")).clearing_network(ClearingNetwork::Ach),
            "aba_number",
        ),
        (
            pay(usd("1")).clearing_network(ClearingNetwork::Fps),
            "fps_bank_id",
        ),
        // currency codes
        (pay(Money::new("usd", d("1"))), "pay_currency"),
    ] {
        let e = r.quote(&quote).await.unwrap_err();
        assert_eq!(field(e), expected);
    }
    let e = r
        .clearing_networks(&ClearingNetworksQuery::pay("acc", usd("1"), "CNYX"))
        .await
        .unwrap_err();
    assert_eq!(field(e), "receive_currency");
    // client order ids have no documented length cap: a long one is sent
    let long = "x".repeat(80);
    let e = r
        .submit_order(&SubmitRemittanceOrder::new("q", long.as_str()))
        .await
        .unwrap_err();
    assert!(!e.is_not_sent(), "sent: {e}");
    assert_eq!(transport.requests().len(), 1);
    assert!(
        transport.requests()[0]
            .body
            .as_ref()
            .is_some_and(|b| b.len() > 80)
    );
    let sent_before = transport.requests().len();
    assert!(e_not_sent(
        r.submit_order(&SubmitRemittanceOrder::new("q", ""))
            .await
            .unwrap_err()
    ));
    assert_eq!(
        transport.requests().len(),
        sent_before,
        "nothing else may be sent"
    );
}

fn e_not_sent(e: walletbridge_core::Error) -> bool {
    e.is_not_sent() && e.operation() == Some("submit remittance order")
}

#[tokio::test]
async fn submit_success_over_http() {
    let server = MockServer::start_async().await;
    let body = ok_body(order_data());
    let sig = answer_signature(PLATFORM_KEY, "POST", "/v1/remittance/orders", &body);
    let m = mount_with(
        &server,
        POST,
        "/v1/remittance/orders",
        |when| {
            when.header("content-type", "application/json")
                .header_exists("authorization")
                .json_body(json!({"quote_id": "quote_1", "client_order_id": "order_987654321"}))
        },
        200,
        &body,
        Some(&sig),
    )
    .await;
    let order = client_on(&server)
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new("quote_1", "order_987654321"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "order_123456789");
    m.assert_async().await;
}

#[tokio::test]
async fn insufficient_balance_is_a_typed_api_error() {
    let refusal =
        r#"{"biz_result":"F","error_code":"INSUFFICIENT_BALANCE","message":"账户余额不足"}"#;
    // signed by the platform: a clear refusal
    let server = MockServer::start_async().await;
    mount_signed(
        &server,
        POST,
        "/v1/remittance/orders",
        400,
        refusal,
        PLATFORM_KEY,
    )
    .await;
    let err = submit_err(client_for(&server.base_url(), quick_retries(4))).await;
    assert_eq!(err.code(), Some("INSUFFICIENT_BALANCE"));
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("账户余额不足"), "{err}");
    assert!(
        !err.is_outcome_unknown(),
        "a signed F answer is a clear refusal"
    );
    assert!(!err.is_retryable());

    // unsigned: reported, marked unverified, and the payout's outcome stays unknown
    let server = MockServer::start_async().await;
    mount(&server, POST, "/v1/remittance/orders", 400, refusal, None).await;
    let err = submit_err(client_for(&server.base_url(), quick_retries(4))).await;
    assert_eq!(err.code(), Some("INSUFFICIENT_BALANCE"));
    assert!(err.to_string().contains("signature=unverified"), "{err}");
    assert!(
        err.is_outcome_unknown(),
        "an unsigned refusal settles nothing"
    );
}

#[tokio::test]
async fn result_u_means_outcome_unknown() {
    let server = MockServer::start_async().await;
    let body = json!({"result": {"result": "U", "code": "SYSTEM_ERROR", "message": "processing"}, "data": null})
        .to_string();
    let m = mount_signed(
        &server,
        POST,
        "/v1/remittance/orders",
        200,
        &body,
        PLATFORM_KEY,
    )
    .await;
    let err = submit_err(client_for(&server.base_url(), quick_retries(4))).await;
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.code(), Some("SYSTEM_ERROR"));
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn result_f_with_200_is_a_refusal() {
    let body =
        json!({"result": {"result": "F", "code": "QUOTE_EXPIRE", "message": "quote expired"}})
            .to_string();
    let client = client_with(signed_transport(200, body));
    let err = submit_err(client).await;
    assert_eq!(err.code(), Some("QUOTE_EXPIRE"));
    assert!(!err.is_outcome_unknown());
}

#[tokio::test]
async fn html_502_is_an_http_error_with_a_snippet_and_outcome_unknown() {
    let server = MockServer::start_async().await;
    mount(
        &server,
        POST,
        "/v1/remittance/orders",
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        None,
    )
    .await;
    let err = submit_err(client_on(&server)).await;
    assert_http_error(&err, 502, "502 Bad Gateway");
    assert!(
        err.is_outcome_unknown(),
        "a POST that met a gateway error may have been acted on"
    );
}

#[tokio::test]
async fn a_503_on_submit_is_sent_exactly_once() {
    let server = MockServer::start_async().await;
    let page = "Service Unavailable";
    let m = mount(&server, POST, "/v1/remittance/orders", 503, page, None).await;
    let err = submit_err(client_for(&server.base_url(), quick_retries(4))).await;
    assert_eq!(
        m.calls_async().await,
        1,
        "a payout is never repeated by the SDK"
    );
    assert!(err.is_outcome_unknown());
    assert!(
        err.is_retryable(),
        "transient, but only the caller may decide after a lookup"
    );
}

#[tokio::test]
async fn a_timeout_on_submit_is_outcome_unknown_and_not_repeated() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/remittance/orders");
            then.status(200).delay(Duration::from_secs(3)).body("{}");
        })
        .await;
    let client = Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(server.base_url())
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(quick_retries(4))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = submit_err(client).await;
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err}");
    assert!(err.is_outcome_unknown());
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn unsigned_tampered_and_forged_answers_are_refused() {
    let body = ok_body(order_data());
    let good = answer_signature(PLATFORM_KEY, "POST", "/v1/remittance/orders", &body);
    let forged = answer_signature(OTHER_KEY, "POST", "/v1/remittance/orders", &body);
    let tampered = body.replace("order_123456789", "order_999999999");
    let cases = [
        (body.clone(), None, SignatureProblem::Missing),
        (tampered, Some(good), SignatureProblem::Mismatch),
        (body.clone(), Some(forged), SignatureProblem::Mismatch),
    ];
    for (answer, sig, problem) in cases {
        let server = MockServer::start_async().await;
        let pq = "/v1/remittance/orders";
        mount(&server, POST, pq, 200, &answer, sig.as_deref()).await;
        let err = submit_err(client_for(&server.base_url(), quick_retries(4))).await;
        assert_signature(&err, problem);
        assert!(
            err.is_outcome_unknown(),
            "an untrusted 2xx on a payout may mean it happened"
        );
    }
}

#[tokio::test]
async fn orders_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/remittance/orders?limit=2&page={page}&payee_id=p1"),
        |page| {
            json!({"orders": [{"order_id": format!("o{page}a")}, {"order_id": format!("o{page}b")}],
                   "page": page, "limit": 2, "total_count": 6, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server)
            .remittance()
            .orders_stream(OrdersQuery::new().limit(2).payee_id("p1")),
        |o| o.order_id,
    )
    .await;
    assert_eq!(ids, ["o1a", "o1b", "o2a", "o2b", "o3a", "o3b"]);
}

#[tokio::test]
async fn find_order_looks_up_by_client_order_id() {
    let server = MockServer::start_async().await;
    let body = ok_body(
        json!({"orders": [order_data()], "page": 1, "limit": 20, "total_count": 1, "total_page": 1}),
    );
    let pq = "/v1/remittance/orders?client_order_id=order_987654321&limit=20&page=1";
    let m = mount_signed(&server, GET, pq, 200, &body, PLATFORM_KEY).await;
    let found = client_on(&server)
        .remittance()
        .find_order("order_987654321")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.order_id, "order_123456789");
    m.assert_async().await;

    // an empty page means the platform has no such order
    let server = MockServer::start_async().await;
    let body =
        ok_body(json!({"orders": [], "page": 1, "limit": 20, "total_count": 0, "total_page": 0}));
    let pq = "/v1/remittance/orders?client_order_id=nope&limit=20&page=1";
    mount_signed(&server, GET, pq, 200, &body, PLATFORM_KEY).await;
    assert!(
        client_on(&server)
            .remittance()
            .find_order("nope")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn reads_are_retried_on_busy() {
    let server = MockServer::start_async().await;
    let busy = r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#;
    let m = mount(&server, GET, "/v1/remittance/orders", 423, busy, None).await;
    let err = client_for(&server.base_url(), quick_retries(3))
        .remittance()
        .orders(&OrdersQuery::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SYSTEM_BUSY"));
    assert_eq!(m.calls_async().await, 3);
    assert!(!err.is_outcome_unknown());
}
