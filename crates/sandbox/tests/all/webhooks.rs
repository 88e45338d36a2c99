//! Webhooks and notifications: delivered signed like the provider, retried
//! on non-200, given up after the schedule.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use walletbridge_adapay::wallet::{CashType, DrawCash};
use walletbridge_gsalary::card_holders::CreateCardHolder;
use walletbridge_gsalary::cards::ApplyCard;
use walletbridge_gsalary::models::MobileNumber;
use walletbridge_sandbox::{Callbacks, DeliveryStatus, Sandbox};

use crate::common::{config, dec, eventually};

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(String, Vec<(String, String)>, Vec<u8>)>>>,
    /// Answers 500 to this many deliveries first.
    fail_first: Arc<Mutex<usize>>,
}

async fn receive(State(r): State<Receiver>, req: axum::extract::Request) -> axum::http::StatusCode {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    r.got
        .lock()
        .expect("lock")
        .push((parts.uri.path().to_owned(), headers, body));
    let mut f = r.fail_first.lock().expect("lock");
    if *f > 0 {
        *f -= 1;
        axum::http::StatusCode::INTERNAL_SERVER_ERROR
    } else {
        axum::http::StatusCode::OK
    }
}

async fn receiver(fail_first: usize) -> (Receiver, String) {
    let r = Receiver::default();
    *r.fail_first.lock().expect("lock") = fail_first;
    let app = axum::Router::new().fallback(receive).with_state(r.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (r, format!("http://{addr}"))
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
    let (rx, base) = receiver(1).await;
    let sb = Sandbox::start(config().callbacks(fast(&base)))
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
    let d = eventually(10, || async {
        sb.deliveries()
            .into_iter()
            .find(|d| d.event_type == "CARD_STATUS_UPDATE" && d.status == DeliveryStatus::Delivered)
    })
    .await;
    assert_eq!(d.attempts, 2, "the first attempt got a 500 and was retried");
    let got = rx.got.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    let (path, headers, body) = &got[1];
    let event = c
        .webhooks()
        .verify(
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            body,
            path,
        )
        .expect("verifies");
    assert_eq!(event.business_type(), "CARD_STATUS_UPDATE");
    sb.shutdown().await;
}

#[tokio::test]
async fn adapay_notifications_are_signed_and_given_up_after_the_schedule() {
    let (rx, base) = receiver(0).await;
    let sb = Sandbox::start(config().callbacks(fast(&base)))
        .await
        .expect("start");
    let c = sb.adapay_client().expect("client");
    c.wallet()
        .draw_cash(&DrawCash::new("cash_wh_1", CashType::T1, dec("2.00"), "0"))
        .await
        .expect("draw cash");
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    eventually(10, || async {
        (!rx.got.lock().expect("lock").is_empty()).then_some(())
    })
    .await;
    let (path, _, body) = rx.got.lock().expect("lock")[0].clone();
    assert_eq!(path, "/adapay/notify");
    let n = c.webhooks().verify(&body).expect("verifies");
    assert_eq!(n.event_type.as_str(), "cash.succeeded");
    assert_eq!(n.order_no.as_deref(), Some("cash_wh_1"));

    // A target that never answers 200: four attempts, then given up.
    let (_rx2, dead) = receiver(usize::MAX).await;
    let sb2 = Sandbox::start(config().callbacks(fast(&dead)))
        .await
        .expect("start");
    let c2 = sb2.adapay_client().expect("client");
    c2.wallet()
        .draw_cash(&DrawCash::new("cash_wh_2", CashType::T1, dec("2.00"), "0"))
        .await
        .expect("draw cash");
    sb2.advance_clock(Duration::from_secs(5)).expect("advance");
    let d = eventually(10, || async {
        sb2.deliveries()
            .into_iter()
            .find(|d| d.status == DeliveryStatus::Failed)
    })
    .await;
    assert_eq!((d.attempts, d.last_http_status), (4, Some(500)));
    sb.shutdown().await;
    sb2.shutdown().await;
}
