//! Injected faults on the two signing providers (GSalary, Adapay) surface in
//! their clients as the right typed errors, and nothing is lost or done
//! twice.

use std::time::Duration;

use walletbridge::adapay::wallet::{BalanceQuery, CashStatusQuery, CashType, DrawCash};
use walletbridge::core::ErrorKind;
use walletbridge::gsalary::card_holders::{CardHoldersQuery, CreateCardHolder};
use walletbridge::gsalary::cards::{ApplyCard, ModifyCardBalance, RequestStatus};
use walletbridge::gsalary::models::MobileNumber;
use walletbridge::sandbox::{FaultConfig, FaultKind, FaultRule, Provider, Sandbox};

use crate::common::{dec, eventually, start};

fn is_signature(e: &walletbridge::core::Error) -> bool {
    matches!(e.kind(), ErrorKind::Signature { .. })
}

fn holder() -> CreateCardHolder {
    CreateCardHolder::builder()
        .first_name("Grace")
        .last_name("Hopper")
        .birth("1980-12-09")
        .email("grace@example.com")
        .mobile(MobileNumber::new("1", "2025550199"))
        .region("US")
        .build()
        .expect("valid request")
}

fn set(sb: &Sandbox, p: Provider, rule: FaultRule) {
    sb.set_faults(p, FaultConfig::none().rule(rule));
}

async fn issued_card(sb: &Sandbox, c: &walletbridge::gsalary::Client) -> String {
    let h = c.card_holders().create(&holder()).await.expect("holder");
    c.cards()
        .apply(
            &ApplyCard::builder()
                .request_id("apply-f")
                .product_code("SBX_VISA_USD")
                .currency("USD")
                .card_holder_id(&h.card_holder_id)
                .init_balance(dec("0"))
                .build()
                .expect("valid request"),
        )
        .await
        .expect("apply");
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    eventually(Duration::from_secs(5), || async {
        let r = c.cards().apply_result("apply-f").await.expect("result");
        (r.status == Some(RequestStatus::Success))
            .then_some(r.card_detail.map(|d| d.card_id))
            .flatten()
    })
    .await
}

#[tokio::test]
async fn gsalary_faults_surface_as_typed_errors() {
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");

    // A 5xx to a read is retried: the second attempt succeeds.
    set(
        &sb,
        Provider::Gsalary,
        FaultRule::new(FaultKind::ServerError)
            .method("GET")
            .times(1),
    );
    c.wallet()
        .balance("USD")
        .await
        .expect("retried after a 500");
    assert!(sb.faults().gsalary.rules.is_empty(), "the fault fired once");

    // 423 SYSTEM_BUSY to a write: retryable, not processed.
    set(
        &sb,
        Provider::Gsalary,
        FaultRule::new(FaultKind::SystemBusy)
            .method("POST")
            .times(1),
    );
    let e = c.card_holders().create(&holder()).await.expect_err("busy");
    assert!(e.is_retryable(), "{e}");
    assert_eq!(e.code(), Some("SYSTEM_BUSY"));
    let holders = c
        .card_holders()
        .list(&CardHoldersQuery::new())
        .await
        .expect("list");
    assert!(holders.items.is_empty(), "nothing was created");

    // A signature missing, wrong, or over a truncated body: signature errors.
    for kind in [
        FaultKind::Unsigned,
        FaultKind::WrongSignature,
        FaultKind::Truncated,
    ] {
        set(&sb, Provider::Gsalary, FaultRule::new(kind));
        let e = c.wallet().balance("USD").await.expect_err("refused");
        assert!(is_signature(&e), "{kind:?}: {e}");
    }
    sb.set_faults(Provider::Gsalary, FaultConfig::none());

    // A 500 after the write was processed: outcome unknown, not repeated;
    // the result query shows it happened once.
    let card = issued_card(&sb, &c).await;
    set(
        &sb,
        Provider::Gsalary,
        FaultRule::new(FaultKind::ServerError)
            .path_prefix("/v1/cards/balance_modifies")
            .after_processing(),
    );
    let e = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase("mod-f1", &card, dec("25")))
        .await
        .expect_err("500");
    assert!(e.is_outcome_unknown(), "{e}");
    sb.set_faults(Provider::Gsalary, FaultConfig::none());
    let r = c
        .cards()
        .balance_modify_result("mod-f1")
        .await
        .expect("look up");
    assert_eq!(r.status, Some(RequestStatus::Success));
    assert_eq!(
        c.cards().get(&card).await.expect("card").available_balance,
        Some(dec("25"))
    );
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99975.00")
    );

    // An HTML gateway page before processing: outcome unknown to the client,
    // and indeed nothing happened.
    set(
        &sb,
        Provider::Gsalary,
        FaultRule::new(FaultKind::HtmlGateway).method("POST"),
    );
    let e = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase("mod-f2", &card, dec("1")))
        .await
        .expect_err("502");
    assert!(e.is_outcome_unknown(), "{e}");
    sb.set_faults(Provider::Gsalary, FaultConfig::none());
    let e = c
        .cards()
        .balance_modify_result("mod-f2")
        .await
        .expect_err("never processed");
    assert_eq!(e.code(), Some("NOT_FOUND"));
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99975.00")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn adapay_faults_surface_as_typed_errors() {
    let sb = start().await;
    let c = sb.adapay_client().expect("client");
    set(
        &sb,
        Provider::Adapay,
        FaultRule::new(FaultKind::ServerError)
            .path_prefix("/v1/cashs")
            .after_processing()
            .times(1),
    );
    let e = c
        .wallet()
        .draw_cash(&DrawCash::new("cash_f1", CashType::T1, dec("1.00"), "0"))
        .await
        .expect_err("500");
    assert!(e.is_outcome_unknown(), "{e}");
    let s = c
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_f1"))
        .await
        .expect("it happened once");
    assert_eq!(s.cash_amt, Some(dec("1.00")));
    let b = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("9999.00")));

    for kind in [FaultKind::Unsigned, FaultKind::WrongSignature] {
        set(&sb, Provider::Adapay, FaultRule::new(kind));
        let e = c
            .wallet()
            .balance(&BalanceQuery::merchant())
            .await
            .expect_err("refused");
        assert!(is_signature(&e), "{kind:?}: {e}");
    }
    set(&sb, Provider::Adapay, FaultRule::new(FaultKind::Truncated));
    let e = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect_err("truncated");
    // A cut answer is no envelope: an HTTP error on its 200, and for a read
    // the outcome is not in question.
    assert!(
        matches!(e.kind(), ErrorKind::Http { status: 200, .. }),
        "{e}"
    );
    assert!(!e.is_outcome_unknown(), "{e}");
    // The same cut after a draw cash was processed: unknown, and it happened once.
    set(
        &sb,
        Provider::Adapay,
        FaultRule::new(FaultKind::Truncated)
            .path_prefix("/v1/cashs")
            .times(1),
    );
    let e = c
        .wallet()
        .draw_cash(&DrawCash::new("cash_f2", CashType::T1, dec("2.00"), "0"))
        .await
        .expect_err("cut");
    assert!(e.is_outcome_unknown(), "{e}");
    sb.set_faults(Provider::Adapay, FaultConfig::none());
    let s = c
        .wallet()
        .cash_status(&CashStatusQuery::new("cash_f2"))
        .await
        .expect("it happened once");
    assert_eq!(s.cash_amt, Some(dec("2.00")));
    let b = c
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("balance");
    assert_eq!(b.avl_balance, Some(dec("9997.00")));

    // Latency is added.
    sb.set_faults(
        Provider::Adapay,
        FaultConfig::none().latency(Duration::from_millis(200)),
    );
    let t = std::time::Instant::now();
    c.wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .expect("slow but fine");
    assert!(t.elapsed() >= Duration::from_millis(200));
    sb.shutdown().await;
}
