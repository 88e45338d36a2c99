//! Exchange: quotes, rates, orders, submit.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::SignatureProblem;
use walletbridge_gsalary::exchange::{
    CreateExchangeQuote, ExchangeOrderStatus, ExchangeOrdersQuery, SubmitExchange,
};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn order_data(id: &str) -> serde_json::Value {
    json!({"order_id": id, "request_id": "ex-req-1", "quote_id": "q-1", "status": "SUCCESS",
           "sell_amount": {"currency": "USD", "amount": 100.25},
           "buy_amount": {"currency": "HKD", "amount": 781.95},
           "exchange_rate": 7.8, "create_time": "2024-03-04T10:00:00Z", "settle_channel": "X"})
}

#[tokio::test]
async fn orders_request_snapshot_and_decode() {
    let data = json!({"query": {}, "orders": [order_data("o1"), {"order_id": "o2", "status": "REVERSED"}],
                      "page": 2, "limit": 10, "total_count": 12, "total_page": 2});
    let q = ExchangeOrdersQuery::new()
        .page(2)
        .limit(10)
        .time_start(dt("2024-03-04T10:00:00Z"))
        .time_end(dt("2024-03-05T10:00:00Z"))
        .status(ExchangeOrderStatus::Success)
        .buy_currency("HKD")
        .sell_currency("USD");
    let (req, page) = capture(data, |c| async move { c.exchange().orders(&q).await }).await;
    insta::assert_snapshot!("exchange_orders", req);
    assert!(req.starts_with(
        "GET /v1/exchange/orders?buy_currency=HKD&limit=10&page=2&sell_currency=USD&status=SUCCESS&time_end=2024-03-05T10:00:00Z&time_start=2024-03-04T10:00:00Z\n"
    ));
    assert_eq!(page.page, 2);
    assert_eq!(page.total_count, Some(12));
    assert!(!page.has_next());
    let first = &page.items[0];
    assert_eq!(first.sell_amount.as_ref().unwrap().amount, d("100.25"));
    assert_eq!(first.exchange_rate, Some(d("7.8")));
    assert_eq!(first.extra.get("settle_channel"), Some(&json!("X")));
    assert_eq!(
        page.items[1].status,
        Some(ExchangeOrderStatus::Other("REVERSED".into()))
    );
}

#[tokio::test]
async fn quote_request_snapshot_and_decode() {
    let data = json!({"quote_id": "q-1", "sell_amount": {"currency": "USD", "amount": 100},
                      "buy_amount": {"currency": "HKD", "amount": 780.1}, "exchange_rate": 7.801,
                      "expire_at": "2024-03-04T10:05:00Z"});
    let r = CreateExchangeQuote::sell("USD", d("100"), "HKD");
    let (req, quote) = capture(data, |c| async move { c.exchange().quote(&r).await }).await;
    insta::assert_snapshot!("exchange_quote", req);
    assert!(req.starts_with("POST /v1/exchange/quotes\n"));
    assert!(
        req.ends_with(
            "\n{\"sell_currency\":\"USD\",\"buy_currency\":\"HKD\",\"sell_amount\":100}\n"
        )
    );
    assert_eq!(quote.quote_id, "q-1");
    assert_eq!(quote.exchange_rate, Some(d("7.801")));
    assert_eq!(quote.buy_amount.unwrap().amount, d("780.1"));
}

#[tokio::test]
async fn buy_quote_sends_only_the_buy_amount() {
    let r = CreateExchangeQuote::buy("HKD", d("1000.5"), "USD");
    let (req, _) = capture(json!({"quote_id": "q"}), |c| async move {
        c.exchange().quote(&r).await
    })
    .await;
    assert!(
        req.ends_with(
            "\n{\"sell_currency\":\"USD\",\"buy_currency\":\"HKD\",\"buy_amount\":1000.5}\n"
        ),
        "{req}"
    );
    assert!(!req.contains("sell_amount"));
}

#[tokio::test]
async fn current_rate_request_snapshot() {
    let data = json!({"sell_currency": "USD", "buy_currency": "JPY", "exchange_rate": 151.2345,
                      "quote_time": "2024-03-04T10:00:00Z"});
    let (req, rate) = capture(data, |c| async move {
        c.exchange().current_rate("USD", "JPY").await
    })
    .await;
    insta::assert_snapshot!("exchange_current_rate", req);
    assert!(req.starts_with(
        "GET /v1/exchange/current_exchange_rate?buy_currency=JPY&sell_currency=USD\n"
    ));
    assert_eq!(rate.exchange_rate, Some(d("151.2345")));
}

#[tokio::test]
async fn submit_request_snapshot() {
    let r = SubmitExchange::new("ex-req-1", "q-1");
    let (req, order) = capture(order_data("o1"), |c| async move {
        c.exchange().submit(&r).await
    })
    .await;
    insta::assert_snapshot!("exchange_submit", req);
    assert!(req.ends_with("\n{\"request_id\":\"ex-req-1\",\"quote_id\":\"q-1\"}\n"));
    assert_eq!(order.order_id.as_deref(), Some("o1"));
    assert_eq!(order.status, Some(ExchangeOrderStatus::Success));

    // the inferred body can be extended
    let r = SubmitExchange::new("ex-req-2", "q-2").field("remark", json!("rebalance"));
    let mut answer = order_data("o2");
    answer["request_id"] = json!("ex-req-2");
    answer["quote_id"] = json!("q-2");
    let (req, _) = capture(answer, |c| async move { c.exchange().submit(&r).await }).await;
    assert!(req.ends_with(
        "\n{\"request_id\":\"ex-req-2\",\"quote_id\":\"q-2\",\"remark\":\"rebalance\"}\n"
    ));
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(json!({"quote_id": "q"})));
    let client = client_with(transport.clone());
    let ex = client.exchange();
    for (q, expected) in [
        (
            CreateExchangeQuote::sell("USD", d("10"), "USD"),
            "buy_currency",
        ),
        (
            CreateExchangeQuote::sell("usd", d("10"), "HKD"),
            "sell_currency",
        ),
        (
            CreateExchangeQuote::sell("USD", d("0"), "HKD"),
            "sell_amount",
        ),
        (
            CreateExchangeQuote::sell("USD", d("10.001"), "HKD"),
            "sell_amount",
        ),
    ] {
        let e = ex.quote(&q).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }
    let e = ex
        .quote(&CreateExchangeQuote::buy("IDR", d("15000.5"), "USD"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "buy_amount");
    assert!(
        e.to_string().contains("IDR amounts take no decimals"),
        "{e}"
    );
    let e = ex.current_rate("USD", "yen").await.unwrap_err();
    assert_eq!(validation_field(&e), "buy_currency");
    for (r, expected) in [
        (SubmitExchange::new(" ", "q"), "request_id"),
        (SubmitExchange::new("r", " "), "quote_id"),
    ] {
        let e = ex.submit(&r).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }
    let e = ex
        .orders(&ExchangeOrdersQuery::new().page(0))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "page");
    assert!(e.is_not_sent());
    assert_eq!(e.operation(), Some("exchange orders"));
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn unknown_outcome_and_rejection_on_writes() {
    let server = MockServer::start_async().await;
    let unknown = r#"{"result":{"result":"U","code":"SYSTEM_ERROR","message":"try later"}}"#;
    let sig = answer_signature(PLATFORM_KEY, "POST", "/v1/exchange/submit_request", unknown);
    let m = mount_with(
        &server,
        POST,
        "/v1/exchange/submit_request",
        |when| when.header("x-appid", APPID),
        200,
        unknown,
        Some(&sig),
    )
    .await;
    // even with retries allowed, a POST is never repeated
    let client = client_for(&server.base_url(), quick_retries(3));
    let err = client
        .exchange()
        .submit(&SubmitExchange::new("r1", "q1"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.code(), Some("SYSTEM_ERROR"));
    assert_eq!(m.calls_async().await, 1);

    let server = MockServer::start_async().await;
    let rejected = r#"{"result":{"result":"F","code":"QUOTE_EXPIRE","message":"quote expired"}}"#;
    let pq = "/v1/exchange/submit_request";
    mount_signed(&server, POST, pq, 200, rejected, PLATFORM_KEY).await;
    let err = client_on(&server)
        .exchange()
        .submit(&SubmitExchange::new("r1", "q1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("QUOTE_EXPIRE"));
    assert!(!err.is_retryable());
    assert!(!err.is_outcome_unknown());
}

#[tokio::test]
async fn error_envelope_and_bad_signatures() {
    let server = MockServer::start_async().await;
    let envelope =
        r#"{"biz_result":"F","error_code":"INSUFFICIENT_BALANCE","message":"not enough USD"}"#;
    mount(&server, POST, "/v1/exchange/quotes", 400, envelope, None).await;
    let err = client_on(&server)
        .exchange()
        .quote(&CreateExchangeQuote::sell("USD", d("5"), "HKD"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("INSUFFICIENT_BALANCE"));
    assert_eq!(err.status(), Some(400));

    // a 2xx with no signature, and one signed over another body
    let body = ok_body(json!({"exchange_rate": 7.8}));
    let pq = "/v1/exchange/current_exchange_rate?buy_currency=HKD&sell_currency=USD";
    let sig = answer_signature(PLATFORM_KEY, "GET", pq, &body);
    let tampered = body.replace("7.8", "9.9");
    for (answer, sig, problem) in [
        (body.clone(), None, SignatureProblem::Missing),
        (tampered, Some(sig), SignatureProblem::Mismatch),
    ] {
        let server = MockServer::start_async().await;
        mount(&server, GET, pq, 200, &answer, sig.as_deref()).await;
        let err = client_on(&server)
            .exchange()
            .current_rate("USD", "HKD")
            .await
            .unwrap_err();
        assert_signature(&err, problem);
    }
}

#[tokio::test]
async fn orders_stream_walks_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/exchange/orders?limit=2&page={page}&status=PENDING"),
        |page| {
            json!({"orders": [{"order_id": format!("o{page}")}, {"order_id": format!("o{page}b")}],
                   "page": page, "limit": 2, "total_count": 6, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server).exchange().orders_stream(
            ExchangeOrdersQuery::new()
                .limit(2)
                .status(ExchangeOrderStatus::Pending),
        ),
        |o| o.order_id.unwrap(),
    )
    .await;
    assert_eq!(ids, ["o1", "o1b", "o2", "o2b", "o3", "o3b"]);
}
