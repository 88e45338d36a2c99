//! The axum extractors verify before the handler runs and answer as each
//! provider expects.
#![cfg(all(feature = "axum", feature = "gsalary", feature = "adapay"))]
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::FromRef;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use tower::ServiceExt as _;
use walletbridge::adapay::webhooks::{NotificationForm, NotificationVerifier, sign_notification};
use walletbridge::axum::{AdapayNotification, GsalaryWebhook};
use walletbridge::core::{Clock, HashAlgorithm, RsaPrivateKey, RsaSigner, SystemClock};
use walletbridge::gsalary::webhooks::{WebhookVerifier, sign_webhook};

const PLATFORM_KEY: &str = include_str!("../../../tests/fixtures/keys/platform_pkcs8.pem");
const PLATFORM_PUBLIC: &str = include_str!("../../../tests/fixtures/keys/platform_spki.pem");
const OTHER_KEY: &str = include_str!("../../../tests/fixtures/keys/other_pkcs8.pem");
const PATH: &str = "/hooks/gsalary?tenant=a b";

#[derive(Clone)]
struct State {
    gsalary: Arc<WebhookVerifier>,
    adapay: Arc<NotificationVerifier>,
    handled: Arc<AtomicU32>,
}

impl FromRef<State> for Arc<WebhookVerifier> {
    fn from_ref(s: &State) -> Self {
        s.gsalary.clone()
    }
}

impl FromRef<State> for Arc<NotificationVerifier> {
    fn from_ref(s: &State) -> Self {
        s.adapay.clone()
    }
}

fn app() -> (Router, Arc<AtomicU32>) {
    let handled = Arc::new(AtomicU32::new(0));
    let state = State {
        gsalary: Arc::new(WebhookVerifier::from_pem("appid_1", PLATFORM_PUBLIC).unwrap()),
        adapay: Arc::new(NotificationVerifier::new(
            walletbridge::core::RsaPublicKey::parse(PLATFORM_PUBLIC).unwrap(),
            "app_1",
        )),
        handled: handled.clone(),
    };
    let router =
        Router::new()
            .route(
                "/hooks/gsalary",
                post(
                    |axum::extract::State(s): axum::extract::State<State>,
                     GsalaryWebhook(event): GsalaryWebhook| async move {
                        s.handled.fetch_add(1, Ordering::SeqCst);
                        assert_eq!(event.business_id(), "card_1");
                        GsalaryWebhook::ACK
                    },
                ),
            )
            .route(
                "/hooks/adapay",
                post(
                    |axum::extract::State(s): axum::extract::State<State>,
                     note: AdapayNotification| async move {
                        s.handled.fetch_add(1, Ordering::SeqCst);
                        note.ack()
                    },
                ),
            )
            .with_state(state);
    (router, handled)
}

fn gsalary_request(key: &str, body: &[u8]) -> Request<Body> {
    let signer =
        RsaSigner::new(&RsaPrivateKey::parse(key).unwrap(), HashAlgorithm::Sha256).unwrap();
    let headers = sign_webhook(&signer, "appid_1", PATH, SystemClock.now_millis(), body).unwrap();
    let mut req = Request::post("/hooks/gsalary?tenant=a%20b");
    for (k, v) in headers {
        req = req.header(k, v);
    }
    req.body(Body::from(body.to_vec())).unwrap()
}

const GS_BODY: &[u8] = br#"{"business_type":"CARD_STATUS_UPDATE","event_time":"2026-11-22T04:00:00Z","business_id":"card_1","data":{"card_id":"card_1","status":"FROZEN"}}"#;

#[tokio::test]
async fn a_signed_gsalary_webhook_reaches_the_handler_and_gets_200() {
    let (app, handled) = app();
    let resp = app
        .oneshot(gsalary_request(PLATFORM_KEY, GS_BODY))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_forged_or_tampered_gsalary_webhook_is_401_and_never_handled() {
    let (app, handled) = app();
    let forged = app
        .clone()
        .oneshot(gsalary_request(OTHER_KEY, GS_BODY))
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let mut tampered = gsalary_request(PLATFORM_KEY, GS_BODY);
    *tampered.body_mut() = Body::from(String::from_utf8_lossy(GS_BODY).replace("FROZEN", "ACTIVE"));
    let resp = app.oneshot(tampered).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let text = to_bytes(resp.into_body(), 1024).await.unwrap();
    assert!(
        String::from_utf8_lossy(&text).starts_with("signature"),
        "{text:?}"
    );
    assert_eq!(handled.load(Ordering::SeqCst), 0);
}

fn adapay_body(key: &str, app_id: &str) -> String {
    let signer = RsaSigner::new(&RsaPrivateKey::parse(key).unwrap(), HashAlgorithm::Sha1).unwrap();
    let form = NotificationForm {
        id: "evt_1".into(),
        event_type: "cash.succeeded".into(),
        app_id: app_id.into(),
        object: "cash".into(),
        created_time: "1732240100".into(),
        prod_mode: "false".into(),
        data: format!(
            r#"{{"id":"0021110063798536337944576","object":"cash","app_id":"{app_id}","order_no":"o1","cash_amt":"1.00","status":"succeeded"}}"#
        ),
    };
    sign_notification(&signer, &form).unwrap()
}

#[tokio::test]
async fn an_adapay_notification_is_acknowledged_with_its_object_id() {
    let (app, handled) = app();
    let req = Request::post("/hooks/adapay")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(adapay_body(PLATFORM_KEY, "app_1")))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = to_bytes(resp.into_body(), 1024).await.unwrap();
    assert_eq!(&text[..], b"RECV_ORD_ID_0021110063798536337944576");
    // Another app's notification, or a forged one, is refused.
    for body in [
        adapay_body(PLATFORM_KEY, "app_2"),
        adapay_body(OTHER_KEY, "app_1"),
    ] {
        let req = Request::post("/hooks/adapay")
            .body(Body::from(body))
            .unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}
