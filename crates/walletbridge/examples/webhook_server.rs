//! Receiving GSalary webhooks and Adapay notifications in an axum server.
//!
//! ```sh
//! cargo run -p walletbridge --example webhook_server --features full,axum
//! ```
//!
//! It starts the server on 127.0.0.1, then plays the providers: it posts a
//! signed GSalary webhook, the same webhook with one byte changed, and a
//! signed Adapay notification, and prints what the server answered. Keys are
//! the throwaway test keys in tests/fixtures/keys.
#![allow(clippy::print_stdout)]

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::routing::post;
use walletbridge::adapay::webhooks::{
    Event, NotificationForm, NotificationVerifier, sign_notification,
};
use walletbridge::axum::{AdapayNotification, GsalaryWebhook};
use walletbridge::core::{
    Clock, HashAlgorithm, HttpRequest, Method, RsaPrivateKey, RsaSigner, SystemClock, Transport,
};
use walletbridge::gsalary::webhooks::{WebhookEvent, WebhookVerifier, sign_webhook};

const PLATFORM_KEY: &str = include_str!("../../../tests/fixtures/keys/platform_pkcs8.pem");
const PLATFORM_PUBLIC: &str = include_str!("../../../tests/fixtures/keys/platform_spki.pem");
const APPID: &str = "demo_appid";
const GSALARY_PATH: &str = "/gsalary/webhook";

#[derive(Clone)]
struct Verifiers {
    gsalary: Arc<WebhookVerifier>,
    adapay: Arc<NotificationVerifier>,
}

impl FromRef<Verifiers> for Arc<WebhookVerifier> {
    fn from_ref(v: &Verifiers) -> Self {
        v.gsalary.clone()
    }
}

impl FromRef<Verifiers> for Arc<NotificationVerifier> {
    fn from_ref(v: &Verifiers) -> Self {
        v.adapay.clone()
    }
}

/// GSalary: the extractor has verified the delivery; deduplicate on
/// `business_id`, store, then answer 200. A forged delivery never gets here:
/// the extractor answers it 401.
async fn gsalary_webhook(GsalaryWebhook(event): GsalaryWebhook) -> StatusCode {
    match &event {
        WebhookEvent::CardStatusUpdate(n) => {
            println!("   card status update for {:?}", n.data.card_id)
        }
        other => println!("   event {:?}", other.business_id()),
    }
    // Store the event keyed by event.business_id() here; answer 200 only once it is stored.
    GsalaryWebhook::ACK
}

/// Adapay: verified from the signed `data`; answer with the acknowledgement body.
async fn adapay_notify(note: AdapayNotification) -> (StatusCode, String) {
    if let Event::CashSucceeded(cash) = &note.0.event {
        println!("   cash {:?} succeeded", cash.order_no);
    }
    note.ack()
}

async fn post_to(
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> walletbridge::Result<u16> {
    let transport = walletbridge::core::ReqwestTransport::new()?;
    let mut req = HttpRequest::new(Method::Post, url).body(body);
    req.headers = headers;
    Ok(transport.execute(req).await?.status)
}

#[tokio::main]
async fn main() -> walletbridge::Result<()> {
    // RUST_LOG=walletbridge=debug shows one event per call; trace shows every attempt.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let verifiers = Verifiers {
        gsalary: Arc::new(WebhookVerifier::from_pem(APPID, PLATFORM_PUBLIC)?),
        adapay: Arc::new(NotificationVerifier::new(
            walletbridge::core::RsaPublicKey::parse(PLATFORM_PUBLIC)?,
            "app_demo",
        )),
    };
    let app = Router::new()
        .route(GSALARY_PATH, post(gsalary_webhook))
        .route("/adapay/notify", post(adapay_notify))
        .with_state(verifiers);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| walletbridge::Error::config(format!("cannot listen: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| walletbridge::Error::config(format!("no local address: {e}")))?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("webhook server on http://{addr}");

    // Play GSalary.
    let key = RsaPrivateKey::parse(PLATFORM_KEY)?;
    let sha256 = RsaSigner::new(&key, HashAlgorithm::Sha256)?;
    let body = br#"{"business_type":"CARD_STATUS_UPDATE","event_time":"2026-11-22T04:00:00Z","business_id":"card_1","data":{"card_id":"card_1","status":"FROZEN"}}"#.to_vec();
    let headers = sign_webhook(
        &sha256,
        APPID,
        GSALARY_PATH,
        SystemClock.now_millis(),
        &body,
    )?;
    let url = format!("http://{addr}{GSALARY_PATH}");
    println!("1. signed GSalary webhook");
    println!(
        "   -> HTTP {}",
        post_to(url.clone(), headers.clone(), body.clone()).await?
    );
    println!("2. the same webhook with the status changed");
    let forged = String::from_utf8_lossy(&body)
        .replace("FROZEN", "ACTIVE")
        .into_bytes();
    println!("   -> HTTP {}", post_to(url, headers, forged).await?);

    // Play Adapay.
    let sha1 = RsaSigner::new(&key, HashAlgorithm::Sha1)?;
    let form = NotificationForm {
        id: "0021110063798536337944576".into(),
        event_type: "cash.succeeded".into(),
        app_id: "app_demo".into(),
        object: "cash".into(),
        created_time: "1732240100".into(),
        prod_mode: "false".into(),
        data: r#"{"id":"0021110063798536337944576","object":"cash","app_id":"app_demo","order_no":"demo_0001","cash_type":"T1","cash_amt":"100.05","status":"succeeded"}"#.into(),
    };
    let body = sign_notification(&sha1, &form)?;
    println!("3. signed Adapay notification");
    let form_headers = vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    let status = post_to(
        format!("http://{addr}/adapay/notify"),
        form_headers,
        body.into_bytes(),
    )
    .await?;
    println!("   -> HTTP {status}");
    Ok(())
}
