//! The merchant wallet through its client: recharge to paid and to closed,
//! token expiry.

use std::time::Duration;

use walletbridge::merchant_wallet::pay::OrderStatus;
use walletbridge::merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};

use crate::common::{dec, start};

#[tokio::test]
async fn recharge_to_paid_and_to_closed() {
    let sb = start().await;
    let c = sb.merchant_wallet_client().expect("client");
    let b = c.wallet().balance().await.expect("balance");
    assert_eq!(b.deposit_money, dec("0"));
    let ch = c.wallet().recharge_channels().await.expect("channels");
    assert_eq!(ch.fee_rate, dec("0.05"));

    let paid = c
        .wallet()
        .recharge(&RechargeWallet::new(dec("300"), 1))
        .await
        .expect("recharge");
    assert_eq!(paid.order_auto_close_time, Duration::from_secs(1800));
    assert_eq!(
        c.pay().order_status(&paid.trade_no).await.expect("status"),
        OrderStatus::Unpaid
    );
    let page = c
        .wallet()
        .recharge_orders(&RechargeOrderQuery::new())
        .await
        .expect("orders");
    let o = &page.items[0];
    assert_eq!(
        (o.total_price, o.fee, o.finally_money),
        (dec("315"), dec("15"), dec("300"))
    );
    sb.pay_merchant_order(&paid.trade_no).expect("pay");
    assert_eq!(
        c.pay().order_status(&paid.trade_no).await.expect("status"),
        OrderStatus::Paid
    );
    assert_eq!(
        c.wallet().balance().await.expect("balance").deposit_money,
        dec("300")
    );
    assert!(sb.pay_merchant_order(&paid.trade_no).is_err(), "paid twice");

    let closed = c
        .wallet()
        .recharge(&RechargeWallet::new(dec("50.5"), 2))
        .await
        .expect("recharge");
    sb.advance_clock(Duration::from_secs(1801))
        .expect("advance");
    assert_eq!(
        c.pay()
            .order_status(&closed.trade_no)
            .await
            .expect("status"),
        OrderStatus::Closed
    );
    assert!(
        sb.pay_merchant_order(&closed.trade_no).is_err(),
        "a closed order cannot be paid"
    );
    assert_eq!(
        c.pay().order_status("M000000000000").await.expect("status"),
        OrderStatus::NotFound
    );

    let explicit = c
        .wallet()
        .recharge(&RechargeWallet::new(dec("1"), 1))
        .await
        .expect("recharge");
    sb.close_merchant_order(&explicit.trade_no).expect("close");
    assert_eq!(
        c.pay()
            .order_status(&explicit.trade_no)
            .await
            .expect("status"),
        OrderStatus::Closed
    );
    let e = c
        .wallet()
        .recharge(&RechargeWallet::new(dec("1"), 9))
        .await
        .expect_err("no such channel");
    assert!(e.message().unwrap_or_default().contains("通道"), "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_answer_401_and_the_client_logs_in_again() {
    let sb =
        crate::common::start_with(crate::common::config().token_ttl(Duration::from_secs(60))).await;
    let c = sb.merchant_wallet_client().expect("client");
    c.wallet().balance().await.expect("first login");
    sb.advance_clock(Duration::from_secs(120)).expect("advance");
    // The token is dead on the sandbox clock: 401, then one fresh login.
    c.wallet().balance().await.expect("after expiry");
    sb.shutdown().await;
}
