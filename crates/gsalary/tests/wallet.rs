//! Wallet: balance and transactions, end to end against a scripted transport and httpmock.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::{ErrorKind, RetryPolicy, SignatureProblem};
use walletbridge_gsalary::wallet::{AccountType, TransactionsQuery, TxnType};

fn balance_data() -> serde_json::Value {
    json!({"currency": "USD", "amount": 1000.10, "share_card_account_balance": 500.00,
           "available": 800.00, "account_type": "BALANCE", "query_time": "2024-04-03T12:00:00Z"})
}

#[tokio::test]
async fn balance_request_snapshot_and_decode() {
    let (req, bal) = capture(balance_data(), |c| async move {
        c.wallet().balance("USD").await
    })
    .await;
    insta::assert_snapshot!("wallet_balance", req);
    assert_eq!(bal.amount, Decimal::from_str("1000.10").unwrap());
    assert_eq!(bal.account_type, Some(AccountType::Balance));
}

#[tokio::test]
async fn transactions_request_snapshot() {
    let data = json!({"transactions": [{"transaction_id": "t1", "txn_type": "NEW_KIND", "amount": -5.5}],
                      "page": 1, "limit": 50, "total_count": 1, "total_page": 1});
    let q = TransactionsQuery::new()
        .limit(50)
        .time_start("2024-03-04T10:00:00Z")
        .time_end("2024-03-05T10:00:00Z")
        .currency("USD")
        .txn_type(TxnType::CardPayment);
    let (req, page) = capture(data, |c| async move { c.wallet().transactions(&q).await }).await;
    insta::assert_snapshot!("wallet_transactions", req);
    assert_eq!(
        page.items[0].txn_type,
        Some(TxnType::Other("NEW_KIND".into()))
    );
    assert_eq!(
        page.items[0].amount,
        Some(Decimal::from_str("-5.5").unwrap())
    );
}

#[tokio::test]
async fn validation_happens_before_sending() {
    let transport = signed_transport(200, ok_body(balance_data()));
    let client = client_with(transport.clone());
    let err = client.wallet().balance("usd").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Validation { field, .. } if field == "currency"),
        "{err}"
    );
    let err = client
        .wallet()
        .transactions(&TransactionsQuery::new().time_start("yesterday"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("time_start"), "{err}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn httpmock_success_error_envelope_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(balance_data());
    let good = answer_signature(
        PLATFORM_KEY,
        "GET",
        "/v1/wallets/balance?currency=USD",
        &body,
    );
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/wallets/balance")
                .query_param("currency", "USD")
                .header_exists("authorization");
            then.status(200)
                .header("Authorization", good.as_str())
                .body(body.as_str());
        })
        .await;
    let client = client_for(&server.base_url(), RetryPolicy::none());
    let bal = client.wallet().balance("USD").await.unwrap();
    assert_eq!(bal.currency, "USD");
    m.assert_async().await;

    // a signature by another key is refused
    let server = MockServer::start_async().await;
    let forged = answer_signature(OTHER_KEY, "GET", "/v1/wallets/balance?currency=USD", &body);
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/wallets/balance");
            then.status(200)
                .header("Authorization", forged.as_str())
                .body(body.as_str());
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .wallet()
        .balance("USD")
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

    // the error envelope becomes a typed API error
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/wallets/balance");
            then.status(404)
                .body(r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no wallet"}"#);
        })
        .await;
    let err = client_for(&server.base_url(), RetryPolicy::none())
        .wallet()
        .balance("USD")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("no wallet"));
}

#[tokio::test]
async fn busy_reads_are_retried() {
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/wallets/balance");
            then.status(423)
                .body(r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#);
        })
        .await;
    let retry = RetryPolicy::default()
        .max_attempts(3)
        .base_delay(std::time::Duration::from_millis(1));
    let err = client_for(&server.base_url(), retry)
        .wallet()
        .balance("USD")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("SYSTEM_BUSY"));
    assert!(err.is_retryable());
    assert!(!err.is_outcome_unknown());
    assert_eq!(busy.calls_async().await, 3);
}

#[tokio::test]
async fn stream_walks_every_page() {
    let server = MockServer::start_async().await;
    for page in 1..=3 {
        let body = ok_body(
            json!({"transactions": [{"transaction_id": format!("t{page}")}],
                                  "page": page, "limit": 1, "total_count": 3, "total_page": 3}),
        );
        let pq = format!("/v1/wallets/transactions?limit=1&page={page}");
        let sig = answer_signature(PLATFORM_KEY, "GET", &pq, &body);
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v1/wallets/transactions")
                    .query_param("page", page.to_string());
                then.status(200)
                    .header("Authorization", sig.as_str())
                    .body(body.as_str());
            })
            .await;
    }
    use futures_util::TryStreamExt;
    let client = client_for(&server.base_url(), RetryPolicy::none());
    let ids: Vec<String> = client
        .wallet()
        .transactions_stream(TransactionsQuery::new().limit(1))
        .map_ok(|t| t.transaction_id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["t1", "t2", "t3"]);
}
