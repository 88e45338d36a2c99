//! Card bills: card transactions and card balance history.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use httpmock::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::SignatureProblem;
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

#[tokio::test]
async fn transactions_request_snapshot_and_decode() {
    let data = json!({"query": {}, "transactions": [txn("t1", "AUTH"), txn("t2", "ATM_WITHDRAWAL")],
                      "page": 1, "limit": 50, "total_count": 2, "total_page": 1});
    let q = CardTransactionsQuery::new()
        .limit(50)
        .card_id("c1")
        .transaction_id("t1")
        .mch_request_id("bm-1")
        .time_start(dt("2025-05-01T00:00:00Z"))
        .time_end(dt("2025-06-01T00:00:00Z"));
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
        .time_start(dt("2024-04-01T00:00:00Z"))
        .time_end(dt("2024-05-01T00:00:00+08:00"));
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
    for (q, expected) in [
        (CardTransactionsQuery::new().limit(0), "limit"),
        (
            CardTransactionsQuery::new().mch_request_id(" "),
            "mch_request_id",
        ),
    ] {
        let e = bills.transactions(&q).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }
    for (q, expected) in [(BalanceHistoryQuery::new().page(0), "page")] {
        let e = bills.balance_history(&q).await.unwrap_err();
        assert_eq!(validation_field(&e), expected);
    }
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn error_envelope_and_signatures() {
    let server = MockServer::start_async().await;
    let envelope = r#"{"biz_result":"F","error_code":"FORBIDDEN","message":"no card access"}"#;
    mount(
        &server,
        GET,
        "/v1/card_bill/card_transactions",
        403,
        envelope,
        None,
    )
    .await;
    let err = client_on(&server)
        .card_bills()
        .transactions(&CardTransactionsQuery::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("FORBIDDEN"));
    assert_eq!(err.status(), Some(403));

    // a 500 without an envelope is an HTTP error, and reads are not "unknown outcome"
    let server = MockServer::start_async().await;
    let page = "<html>bad gateway</html>";
    mount(
        &server,
        GET,
        "/v1/card_bill/balance_history",
        502,
        page,
        None,
    )
    .await;
    let err = client_on(&server)
        .card_bills()
        .balance_history(&BalanceHistoryQuery::new())
        .await
        .unwrap_err();
    assert_http_error(&err, 502, "bad gateway");
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
    let pq = "/v1/card_bill/balance_history?limit=20&page=1";
    mount(&server, GET, pq, 200, &body, Some(&sig)).await;
    let err = client_on(&server)
        .card_bills()
        .balance_history(&BalanceHistoryQuery::new())
        .await
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[tokio::test]
async fn streams_walk_every_page() {
    let server = MockServer::start_async().await;
    mount_pages(
        &server,
        |page| format!("/v1/card_bill/card_transactions?card_id=c1&limit=1&page={page}"),
        |page| {
            json!({"transactions": [txn(&format!("t{page}"), "REFUND")], "page": page,
                   "limit": 1, "total_count": 3, "total_page": 3})
        },
    )
    .await;
    // balance history without a page count: an empty page ends the walk
    mount_pages(
        &server,
        |page| format!("/v1/card_bill/balance_history?limit=1&page={page}"),
        |page| {
            let items = if page < 3 {
                json!([{"log_id": format!("l{page}")}])
            } else {
                json!([])
            };
            json!({"history": items, "page": page, "limit": 1})
        },
    )
    .await;
    let client = client_on(&server);
    let ids = collect_ids(
        client
            .card_bills()
            .transactions_stream(CardTransactionsQuery::new().limit(1).card_id("c1")),
        |t| t.transaction_id.unwrap(),
    )
    .await;
    assert_eq!(ids, ["t1", "t2", "t3"]);
    let logs = collect_ids(
        client
            .card_bills()
            .balance_history_stream(BalanceHistoryQuery::new().limit(1)),
        |e| e.log_id.unwrap(),
    )
    .await;
    assert_eq!(logs, ["l1", "l2"]);
}
