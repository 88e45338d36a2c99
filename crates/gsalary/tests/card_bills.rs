//! Card bills: card transactions and card balance history.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::{ErrorKind, RetryPolicy, SignatureProblem};
use walletbridge_gsalary::card_bills::{
    BalanceHistoryQuery, BalanceHistoryType, CardTransactionsQuery, CardTxnStatus, CardTxnType,
};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn txn(id: &str, biz_type: &str) -> serde_json::Value {
    json!({"transaction_id": id, "card_id": "c1", "mask_card_number": "536025******4433",
           "transaction_time": "2025-05-20T13:08:02Z", "confirm_time": "2025-05-20T13:08:02Z",
           "transaction_amount": {"currency": "EUR", "amount": 92.15},
           "accounting_amount": {"currency": "USD", "amount": 100.00},
           "surcharge": {"currency": "USD", "amount": 2.00}, "biz_type": biz_type, "status": "AUTHORIZED",
           "status_description": "succeed", "merchant_name": "FACEBK", "merchant_region": "US", "mcc": "7311"})
}

fn validation_field(err: &walletbridge_core::Error) -> String {
    match err.kind() {
        ErrorKind::Validation { field, .. } => field.clone(),
        other => panic!("not a validation error: {other}"),
    }
}

#[tokio::test]
async fn transactions_request_snapshot_and_decode() {
    let data = json!({"query": {}, "transactions": [txn("t1", "AUTH"), txn("t2", "ATM_WITHDRAWAL")],
                      "page": 1, "limit": 50, "total_count": 2, "total_page": 1});
    let q = CardTransactionsQuery::new()
        .limit(50)
        .card_id("c1")
        .transaction_id("t1")
        .mch_request_id("bm-1")
        .time_start("2025-05-01T00:00:00Z")
        .time_end("2025-06-01T00:00:00Z");
    let (req, page) = capture(
        data,
        |c| async move { c.card_bills().transactions(&q).await },
    )
    .await;
    insta::assert_snapshot!("card_transactions", req);
    assert!(req.starts_with(
        "GET /v1/card_bill/card_transactions?card_id=c1&limit=50&mch_request_id=bm-1&page=1&time_end=2025-06-01T00:00:00Z&time_start=2025-05-01T00:00:00Z&transaction_id=t1\n"
    ), "{req}");
    let t = &page.items[0];
    assert_eq!(t.biz_type, Some(CardTxnType::Auth));
    assert_eq!(t.status, Some(CardTxnStatus::Authorized));
    assert_eq!(t.transaction_amount.as_ref().unwrap().amount, d("92.15"));
    assert_eq!(t.accounting_amount.as_ref().unwrap().currency, "USD");
    assert_eq!(t.surcharge.as_ref().unwrap().amount, d("2"));
    assert_eq!(t.extra.get("mcc"), Some(&json!("7311")));
    assert_eq!(
        page.items[1].biz_type,
        Some(CardTxnType::Other("ATM_WITHDRAWAL".into()))
    );
}

#[tokio::test]
async fn balance_history_request_snapshot_and_decode() {
    let data = json!({"query": {}, "history": [
        {"log_id": "l1", "card_id": "c1", "transaction_id": "g1", "biz_type": "INCREASE", "currency": "USD",
         "amount": 25.5, "post_balance": 125.5, "create_time": "2024-04-05T12:32:08Z"},
        {"log_id": "l2", "biz_type": "CARD_FEE", "amount": -1.25}],
        "page": 1, "limit": 20, "total_count": 2, "total_page": 1});
    let q = BalanceHistoryQuery::new()
        .card_id("c1")
        .log_id("l1")
        .transaction_id("g1")
        .time_start("2024-04-01T00:00:00Z")
        .time_end("2024-05-01T00:00:00+08:00");
    let (req, page) = capture(
        data,
        |c| async move { c.card_bills().balance_history(&q).await },
    )
    .await;
    insta::assert_snapshot!("card_balance_history", req);
    assert!(
        req.starts_with("GET /v1/card_bill/balance_history?card_id=c1&limit=20&log_id=l1&page=1&"),
        "{req}"
    );
    let e = &page.items[0];
    assert_eq!(e.biz_type, Some(BalanceHistoryType::Increase));
    assert_eq!(e.post_balance, Some(d("125.5")));
    assert_eq!(page.items[1].amount, Some(d("-1.25")));
    assert_eq!(
        page.items[1].biz_type,
        Some(BalanceHistoryType::Other("CARD_FEE".into()))
    );
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(json!({"transactions": []})));
    let client = client_with(transport.clone());
    let bills = client.card_bills();
    let e = bills
        .transactions(&CardTransactionsQuery::new().time_start("2025-05-01 00:00:00"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "time_start");
    let e = bills
        .transactions(&CardTransactionsQuery::new().limit(0))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "limit");
    let e = bills
        .transactions(&CardTransactionsQuery::new().mch_request_id("m".repeat(51)))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "mch_request_id");
    let e = bills
        .balance_history(&BalanceHistoryQuery::new().time_end("2025-13-01T00:00:00Z"))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "time_end");
    let e = bills
        .balance_history(&BalanceHistoryQuery::new().page(0))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&e), "page");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn error_envelope_and_signatures() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/card_bill/card_transactions");
            then.status(403)
                .body(r#"{"biz_result":"F","error_code":"FORBIDDEN","message":"no card access"}"#);
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .card_bills()
        .transactions(&CardTransactionsQuery::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("FORBIDDEN"));
    assert_eq!(err.status(), Some(403));

    // a 500 without an envelope is an HTTP error, and reads are not "unknown outcome"
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/card_bill/balance_history");
            then.status(502).body("<html>bad gateway</html>");
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .card_bills()
        .balance_history(&BalanceHistoryQuery::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status: 502, .. }),
        "{err}"
    );
    assert!(!err.is_outcome_unknown());

    // signed over another path
    let body = ok_body(json!({"history": []}));
    let server = MockServer::start_async().await;
    let sig = answer_signature(
        PLATFORM_KEY,
        "GET",
        "/v1/card_bill/card_transactions?limit=20&page=1",
        &body,
    );
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/card_bill/balance_history");
            then.status(200)
                .header("Authorization", sig.as_str())
                .body(body.as_str());
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .card_bills()
        .balance_history(&BalanceHistoryQuery::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Signature {
                problem: SignatureProblem::Mismatch,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn streams_walk_every_page() {
    let server = MockServer::start_async().await;
    for page in 1..=3 {
        let body = ok_body(
            json!({"transactions": [txn(&format!("t{page}"), "REFUND")], "page": page,
                                  "limit": 1, "total_count": 3, "total_page": 3}),
        );
        let pq = format!("/v1/card_bill/card_transactions?card_id=c1&limit=1&page={page}");
        let sig = answer_signature(PLATFORM_KEY, "GET", &pq, &body);
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v1/card_bill/card_transactions")
                    .query_param("page", page.to_string());
                then.status(200)
                    .header("Authorization", sig.as_str())
                    .body(body.as_str());
            })
            .await;
    }
    // balance history without a page count: an empty page ends the walk
    for page in 1..=3 {
        let items = if page < 3 {
            json!([{"log_id": format!("l{page}")}])
        } else {
            json!([])
        };
        let body = ok_body(json!({"history": items, "page": page, "limit": 1}));
        let pq = format!("/v1/card_bill/balance_history?limit=1&page={page}");
        let sig = answer_signature(PLATFORM_KEY, "GET", &pq, &body);
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v1/card_bill/balance_history")
                    .query_param("page", page.to_string());
                then.status(200)
                    .header("Authorization", sig.as_str())
                    .body(body.as_str());
            })
            .await;
    }
    let client = client_for(&server.base_url(), RetryPolicy::none());
    let ids: Vec<String> = client
        .card_bills()
        .transactions_stream(CardTransactionsQuery::new().limit(1).card_id("c1"))
        .map_ok(|t| t.transaction_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["t1", "t2", "t3"]);
    let logs: Vec<String> = client
        .card_bills()
        .balance_history_stream(BalanceHistoryQuery::new().limit(1))
        .map_ok(|e| e.log_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(logs, ["l1", "l2"]);
}
