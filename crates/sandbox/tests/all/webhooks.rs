//! Webhooks and notifications: delivered signed like the provider, retried
//! on non-200, given up after the schedule.

use std::time::Duration;

use walletbridge_adapay::wallet::{CashType, DrawCash};
use walletbridge_core::test_util::{Fault, FaultServer};
use walletbridge_gsalary::card_holders::CreateCardHolder;
use walletbridge_gsalary::cards::ApplyCard;
use walletbridge_gsalary::models::MobileNumber;
use walletbridge_sandbox::{Callbacks, DeliveryStatus, Sandbox};

use crate::common::{config, dec, eventually};

/// A loopback server that records every delivery and answers `answer`.
async fn receiver(answer: u16) -> FaultServer {
    FaultServer::start(Fault::status(answer, ""))
        .await
        .expect("bind")
}

fn fast(base: &str) -> Callbacks {
    Callbacks::none()
        .gsalary(format!("{base}/gsalary/hook"))
        .adapay(format!("{base}/adapay/notify"))
        .retry_schedule(vec![Duration::from_millis(50); 3])
        .timeout(Duration::from_secs(2))
}

#[tokio::test]
async fn gsalary_webhooks_are_signed_and_retried() {
    let rx = receiver(200).await;
    // The first delivery gets a 500.
    rx.on("/gsalary/hook", [Fault::status(500, "")]);
    let sb = Sandbox::start(config().callbacks(fast(&rx.url(""))))
        .await
        .expect("start");
    let c = sb.gsalary_client().expect("client");
    let h = c
        .card_holders()
        .create(
            &CreateCardHolder::builder()
                .first_name("Ada")
                .last_name("Byron")
                .birth("1990-01-01")
                .email("a@example.com")
                .mobile(MobileNumber::new("1", "2025550111"))
                .region("US")
                .build()
                .expect("valid request"),
        )
        .await
        .expect("holder");
    c.cards()
        .apply(
            &ApplyCard::builder()
                .request_id("wh-1")
                .product_code("SBX_VISA_USD")
                .currency("USD")
                .card_holder_id(&h.card_holder_id)
                .init_balance(dec("5"))
                .build()
                .expect("valid request"),
        )
        .await
        .expect("apply");
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    let d = eventually(Duration::from_secs(10), || async {
        sb.deliveries()
            .into_iter()
            .find(|d| d.event_type == "CARD_STATUS_UPDATE" && d.status == DeliveryStatus::Delivered)
    })
    .await;
    assert_eq!(d.attempts, 2, "the first attempt got a 500 and was retried");
    let got = rx.requests();
    assert_eq!(got.len(), 2);
    let hook = &got[1];
    let event = c
        .webhooks()
        .verify(
            hook.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &hook.body,
            hook.path(),
        )
        .expect("verifies");
    assert_eq!(event.business_type(), "CARD_STATUS_UPDATE");
    sb.shutdown().await;
}

#[tokio::test]
async fn adapay_notifications_are_signed_and_given_up_after_the_schedule() {
    let rx = receiver(200).await;
    let sb = Sandbox::start(config().callbacks(fast(&rx.url(""))))
        .await
        .expect("start");
    let c = sb.adapay_client().expect("client");
    c.wallet()
        .draw_cash(&DrawCash::new("cash_wh_1", CashType::T1, dec("2.00"), "0"))
        .await
        .expect("draw cash");
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    eventually(Duration::from_secs(10), || async {
        (rx.total() > 0).then_some(())
    })
    .await;
    let hook = rx.requests()[0].clone();
    assert_eq!(hook.path(), "/adapay/notify");
    let n = c.webhooks().verify(&hook.body).expect("verifies");
    assert_eq!(n.event_type.as_str(), "cash.succeeded");
    assert_eq!(n.order_no.as_deref(), Some("cash_wh_1"));

    // A target that never answers 200: four attempts, then given up.
    let dead = receiver(500).await;
    let sb2 = Sandbox::start(config().callbacks(fast(&dead.url(""))))
        .await
        .expect("start");
    let c2 = sb2.adapay_client().expect("client");
    c2.wallet()
        .draw_cash(&DrawCash::new("cash_wh_2", CashType::T1, dec("2.00"), "0"))
        .await
        .expect("draw cash");
    sb2.advance_clock(Duration::from_secs(5)).expect("advance");
    let d = eventually(Duration::from_secs(10), || async {
        sb2.deliveries()
            .into_iter()
            .find(|d| d.status == DeliveryStatus::Failed)
    })
    .await;
    assert_eq!((d.attempts, d.last_http_status), (4, Some(500)));
    sb.shutdown().await;
    sb2.shutdown().await;
}
