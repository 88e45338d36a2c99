//! Adapay through its client: balance, draw cash to `succeeded` and to
//! `failed`, a member's balance, wallet login.

use std::time::Duration;

use walletbridge::adapay::Status;
use walletbridge::adapay::wallet::{
    BalanceQuery, CashStatusQuery, CashType, CreateWalletLogin, DrawCash,
};

use crate::common::{dec, start};

#[tokio::test]
async fn balance_and_draw_cash() {
    let sb = start().await;
    let c = sb.adapay_client().expect("client");
    let b = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("10000.00")));

    let order = DrawCash::new("cash_0001", CashType::T1, dec("12.34"), "0");
    let cash = c.wallet().draw_cash(&order).await.expect("draw cash");
    assert_eq!(cash.status, Status::Pending);
    let b = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("9987.66")));
    assert_eq!(b.frz_balance, Some(dec("12.34")));

    // The same order_no again is refused, and nothing moves.
    let dup = c.wallet().draw_cash(&order).await.expect_err("duplicate");
    assert_eq!(dup.code(), Some("order_no_used"));
    assert!(!dup.is_outcome_unknown());
    // More than available.
    let big = DrawCash::new("cash_0002", CashType::T1, dec("20000.00"), "0");
    let e = c.wallet().draw_cash(&big).await.expect_err("too much");
    assert_eq!(e.code(), Some("balance_not_enough"));

    sb.advance_clock(Duration::from_secs(3)).expect("advance");
    let s = c
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_0001"))
        .await
        .expect("status");
    assert_eq!(s.status, Status::Succeeded);
    let b = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("9987.66")));
    assert_eq!(b.frz_balance, Some(dec("0.00")));
    sb.shutdown().await;
}

#[tokio::test]
async fn member_balance_failed_cash_and_wallet_login() {
    let sb = start().await;
    let settle = sb
        .set_adapay_balance("member_7", dec("50.00"))
        .expect("member");
    let c = sb.adapay_client().expect("client");
    let b = c
        .wallet()
        .balance(&BalanceQuery::member("member_7", &settle))
        .await
        .expect("member balance");
    assert_eq!(b.avl_balance, Some(dec("50.00")));
    let wrong = c
        .wallet()
        .balance(&BalanceQuery::member("member_7", "0000000000000001"))
        .await
        .expect_err("not the member's account");
    assert_eq!(wrong.code(), Some("parameter_error"));

    // An order_no starting with `fail` fails later and is refunded.
    let cash = c
        .wallet()
        .draw_cash(&DrawCash::new(
            "fail_1",
            CashType::T1,
            dec("10.00"),
            "member_7",
        ))
        .await
        .expect("draw cash");
    assert_eq!(cash.status, Status::Pending);
    sb.advance_clock(Duration::from_secs(3)).expect("advance");
    // A failed draw cash answers `status: failed` with its error: the client
    // reports it as the provider's refusal.
    let s = c
        .wallet()
        .cash_status(&CashStatusQuery::new("fail_1"))
        .await
        .expect_err("failed");
    assert_eq!(s.code(), Some("cash_failed"));
    assert!(!s.is_outcome_unknown());
    let b = c
        .wallet()
        .balance(&BalanceQuery::member("member_7", &settle))
        .await
        .expect("member balance");
    assert_eq!(b.avl_balance, Some(dec("50.00")));

    let login = c
        .wallet()
        .login(&CreateWalletLogin::new("member_7", "127.0.0.1"))
        .await
        .expect("login");
    assert!(login.token.is_some());
    let page = c.wallet().page(&login).expect("page");
    assert!(page.html().contains("/wallet"));
    sb.shutdown().await;
}
