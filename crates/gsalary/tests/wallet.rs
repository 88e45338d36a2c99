//! Wallet: balance and transactions, end to end against a scripted transport and httpmock.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::{ErrorKind, SignatureProblem};
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
        .time_start(dt("2024-03-04T10:00:00Z"))
        .time_end(dt("2024-03-05T10:00:00Z"))
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
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn httpmock_success_error_envelope_and_signatures() {
    let server = MockServer::start_async().await;
    let body = ok_body(balance_data());
    let pq = "/v1/wallets/balance?currency=USD";
    let good = answer_signature(PLATFORM_KEY, "GET", pq, &body);
    let m = mount_with(
        &server,
        GET,
        pq,
        |when| when.header_exists("authorization"),
        200,
        &body,
        Some(&good),
    )
    .await;
    let bal = client_on(&server).wallet().balance("USD").await.unwrap();
    assert_eq!(bal.currency, "USD");
    m.assert_async().await;

    // a signature by another key is refused
    let server = MockServer::start_async().await;
    mount_signed(&server, GET, pq, 200, &body, OTHER_KEY).await;
    let err = client_on(&server)
        .wallet()
        .balance("USD")
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);

    // the error envelope becomes a typed API error
    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"NOT_FOUND","message":"no wallet"}"#;
    mount(&server, GET, "/v1/wallets/balance", 404, envelope, None).await;
    let err = client_on(&server)
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
    let envelope = r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#;
    let busy = mount(&server, GET, "/v1/wallets/balance", 423, envelope, None).await;
    let err = client_for(&server.base_url(), quick_retries(3))
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
    mount_pages(
        &server,
        |page| format!("/v1/wallets/transactions?limit=1&page={page}"),
        |page| {
            json!({"transactions": [{"transaction_id": format!("t{page}")}],
                   "page": page, "limit": 1, "total_count": 3, "total_page": 3})
        },
    )
    .await;
    let ids = collect_ids(
        client_on(&server)
            .wallet()
            .transactions_stream(TransactionsQuery::new().limit(1)),
        |t| t.transaction_id.unwrap(),
    )
    .await;
    assert_eq!(ids, ["t1", "t2", "t3"]);
}
