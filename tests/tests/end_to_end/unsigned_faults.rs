//! Faults on the two providers that do not sign their answers (the senior
//! wallet and the merchant wallet): a read is retried; a write that may have
//! been processed is outcome-unknown and never repeated; a write refused
//! before processing moved nothing. The sandbox's state is the witness.

use walletbridge::merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};
use walletbridge::sandbox::{FaultKind, FaultRule, Provider, Sandbox};
use walletbridge::wallet_senior::Fen;
use walletbridge::wallet_senior::collect::{BalancePay, CreateCollect};
use walletbridge::wallet_senior::order::OrderQuery;
use walletbridge::{Error, NextStep};

use crate::common::{dec, fault, no_faults, start};

const COLLECT: &str = "/wallet_server/v1/m/senior/collect_sync";
const RECHARGE: &str = "/merchantapi/wallet/operational/doRecharge";

/// A balance collect of `fen` from wallet 1001 to 2001 (no SMS step).
fn collect(biz_no: &str, fen: i64) -> CreateCollect {
    CreateCollect::new(1001, biz_no, Fen(fen), BalancePay::new(Fen(fen))).receiver(2001, Fen(fen))
}

fn payer(sb: &Sandbox) -> i64 {
    sb.senior_balance(1001).expect("wallet 1001 exists")
}

/// An error that tells the caller to look the order up before anything else.
fn unknown(e: &Error) -> bool {
    e.is_outcome_unknown() && e.next_step() == NextStep::LookUpFirst
}

#[tokio::test]
async fn senior_wallet_faults_surface_as_typed_errors() {
    let sb = start().await;
    sb.set_senior_balance(1001, 10_000).expect("set balance");
    let c = sb.wallet_senior_client().expect("client");

    // A clean collect, then a 500 to the order query: the read is retried.
    let done = c
        .collect()
        .create(&collect("biz-ok", 1_000))
        .await
        .expect("collect");
    let order_no = done.order.order_no.clone().expect("order_no");
    assert_eq!(payer(&sb), 9_000);
    fault(
        &sb,
        Provider::WalletSenior,
        FaultRule::new(FaultKind::ServerError).times(1),
    );
    c.order()
        .query(&OrderQuery::new(&order_no))
        .await
        .expect("a read is retried after a 500");
    assert!(
        sb.faults().wallet_senior.rules.is_empty(),
        "the fault fired"
    );

    // Refused before processing (a 500 or a gateway page): the client cannot
    // tell, so the outcome is unknown; the money did not move and the client
    // did not send it again.
    for kind in [FaultKind::ServerError, FaultKind::HtmlGateway] {
        fault(
            &sb,
            Provider::WalletSenior,
            FaultRule::new(kind).path_prefix(COLLECT),
        );
        let e = c
            .collect()
            .create(&collect(&format!("biz-{kind:?}"), 1_000))
            .await
            .expect_err("faulted");
        assert!(unknown(&e), "{kind:?}: {e}");
        assert_eq!(payer(&sb), 9_000, "{kind:?}: nothing moved");
    }

    // Processed, then the answer is lost (a 500 after processing, a body
    // cut in half): outcome unknown, and the money moved exactly once.
    let mut expected = 9_000;
    for (i, rule) in [
        FaultRule::new(FaultKind::ServerError).after_processing(),
        FaultRule::new(FaultKind::Truncated),
    ]
    .into_iter()
    .enumerate()
    {
        let kind = rule.kind;
        fault(
            &sb,
            Provider::WalletSenior,
            rule.path_prefix(COLLECT).times(1),
        );
        let e = c
            .collect()
            .create(&collect(&format!("biz-lost-{i}"), 500))
            .await
            .expect_err("answer lost");
        assert!(unknown(&e), "{kind:?}: {e}");
        expected -= 500;
        assert_eq!(payer(&sb), expected, "{kind:?}: moved once");
    }

    // A busy answer (423) before processing: nothing moved, and the error
    // does not claim the outcome is known to be a success.
    fault(
        &sb,
        Provider::WalletSenior,
        FaultRule::new(FaultKind::SystemBusy).path_prefix(COLLECT),
    );
    let e = c
        .collect()
        .create(&collect("biz-busy", 100))
        .await
        .expect_err("busy");
    assert!(e.is_retryable(), "{e}");
    assert_eq!(payer(&sb), expected);

    // Signature faults do not apply to a provider that does not sign.
    no_faults(&sb, Provider::WalletSenior);
    fault(
        &sb,
        Provider::WalletSenior,
        FaultRule::new(FaultKind::WrongSignature),
    );
    c.order()
        .query(&OrderQuery::new(&order_no))
        .await
        .expect("unsigned answers are unaffected");
    sb.shutdown().await;
}

#[tokio::test]
async fn merchant_wallet_faults_surface_as_typed_errors() {
    let sb = start().await;
    let c = sb.merchant_wallet_client().expect("client");
    let orders = || async {
        c.wallet()
            .recharge_orders(&RechargeOrderQuery::new())
            .await
            .expect("orders")
            .items
            .len()
    };
    let recharge = RechargeWallet::new(dec("100"), 1);

    // A 500 to a read: retried.
    fault(
        &sb,
        Provider::MerchantWallet,
        FaultRule::new(FaultKind::ServerError).times(1),
    );
    c.wallet().balance().await.expect("retried after a 500");
    assert!(
        sb.faults().merchant_wallet.rules.is_empty(),
        "the fault fired"
    );
    assert_eq!(orders().await, 0);

    // Refused before processing: unknown to the client, nothing created.
    for kind in [FaultKind::ServerError, FaultKind::HtmlGateway] {
        fault(
            &sb,
            Provider::MerchantWallet,
            FaultRule::new(kind).path_prefix(RECHARGE),
        );
        let e = c.wallet().recharge(&recharge).await.expect_err("faulted");
        assert!(unknown(&e), "{kind:?}: {e}");
        no_faults(&sb, Provider::MerchantWallet);
        assert_eq!(orders().await, 0, "{kind:?}: nothing created");
    }

    // Processed, answer lost: unknown, and exactly one order exists.
    let mut expected = 0;
    for rule in [
        FaultRule::new(FaultKind::ServerError).after_processing(),
        FaultRule::new(FaultKind::Truncated),
    ] {
        let kind = rule.kind;
        fault(
            &sb,
            Provider::MerchantWallet,
            rule.path_prefix(RECHARGE).times(1),
        );
        let e = c
            .wallet()
            .recharge(&recharge)
            .await
            .expect_err("answer lost");
        assert!(unknown(&e), "{kind:?}: {e}");
        expected += 1;
        assert_eq!(orders().await, expected, "{kind:?}: created once");
    }

    // Busy before processing: nothing created.
    fault(
        &sb,
        Provider::MerchantWallet,
        FaultRule::new(FaultKind::SystemBusy).path_prefix(RECHARGE),
    );
    let e = c.wallet().recharge(&recharge).await.expect_err("busy");
    assert!(e.is_retryable(), "{e}");
    no_faults(&sb, Provider::MerchantWallet);
    assert_eq!(orders().await, expected);
    sb.shutdown().await;
}
