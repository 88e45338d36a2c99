//! One request snapshot per endpoint, login included: the request line, the
//! headers (the bearer token is the fixed test token) and the body, exactly
//! as sent.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use walletbridge_core::date;
use walletbridge_merchant_wallet::RechargeStatus;
use walletbridge_merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};

/// The last request `transport` received, in the snapshot format.
fn last(transport: &MockTransport) -> String {
    render_request(&transport.last_request().expect("a request was sent"))
}

#[tokio::test]
async fn login() {
    let t = page_transport();
    let login = login_client(t.clone()).login().await.unwrap();
    assert_eq!(login.token.expose(), TOKEN);
    insta::assert_snapshot!("login", last(&t));
}

#[tokio::test]
async fn total_money() {
    let t = page_transport();
    token_client(t.clone())
        .wallet()
        .total_money()
        .await
        .unwrap();
    insta::assert_snapshot!("total_money", last(&t));
}

#[tokio::test]
async fn user_balance() {
    let t = page_transport();
    token_client(t.clone()).wallet().balance().await.unwrap();
    insta::assert_snapshot!("user_balance", last(&t));
}

#[tokio::test]
async fn recharge_channels() {
    let t = page_transport();
    token_client(t.clone())
        .wallet()
        .recharge_channels()
        .await
        .unwrap();
    insta::assert_snapshot!("recharge_channels", last(&t));
}

#[tokio::test]
async fn do_recharge() {
    let t = page_transport();
    let recharge = RechargeWallet::new("300.50".parse().unwrap(), 1);
    token_client(t.clone())
        .wallet()
        .recharge(&recharge)
        .await
        .unwrap();
    insta::assert_snapshot!("do_recharge", last(&t));
}

#[tokio::test]
async fn recharge_orders() {
    let t = page_transport();
    let query = RechargeOrderQuery::new()
        .status(RechargeStatus::Paid)
        .date_range(
            date::parse_date("2025-11-01").unwrap(),
            date::parse_date("2025-11-30").unwrap(),
        )
        .channel_id(1)
        .page(1)
        .limit(20);
    token_client(t.clone())
        .wallet()
        .recharge_orders(&query)
        .await
        .unwrap();
    insta::assert_snapshot!("recharge_orders", last(&t));
}

#[tokio::test]
async fn order_status() {
    let t = page_transport();
    // A client with credentials: the public call neither logs in nor sends a token.
    login_client(t.clone())
        .pay()
        .order_status("202312010001")
        .await
        .unwrap();
    assert_eq!(t.requests().len(), 1);
    insta::assert_snapshot!("order_status", last(&t));
}

#[tokio::test]
async fn calls_after_login_carry_the_issued_token() {
    let t = page_transport();
    let client = login_client(t.clone());
    client.wallet().balance().await.unwrap();
    let sent = t.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].path(), LOGIN);
    assert_eq!(
        sent[1].header_value("Authorization"),
        Some("Bearer test-token")
    );
    assert!(sent[0].header_value("Authorization").is_none());
}
