//! Webhooks in one line for axum users (feature `axum`).
//!
//! The extractors read the request's headers, path and raw body bytes,
//! verify the provider's signature over exactly those bytes, and hand over
//! the typed event; a delivery that does not verify never reaches the
//! handler and is answered `401` with a one-line reason.
//!
//! Put the verifier in your router state (anything from which an
//! `Arc<WebhookVerifier>` or `Arc<NotificationVerifier>` can be taken with
//! [`FromRef`]), then:
//!
//! ```no_run
//! # #[cfg(all(feature = "gsalary", feature = "adapay"))] {
//! use std::sync::Arc;
//! use axum::{Router, extract::FromRef, routing::post};
//! use walletbridge::axum::{AdapayNotification, GsalaryWebhook};
//! use walletbridge::adapay::webhooks::NotificationVerifier;
//! use walletbridge::gsalary::webhooks::WebhookVerifier;
//!
//! #[derive(Clone)]
//! struct AppState {
//!     gsalary: Arc<WebhookVerifier>,
//!     adapay: Arc<NotificationVerifier>,
//! }
//! impl FromRef<AppState> for Arc<WebhookVerifier> {
//!     fn from_ref(s: &AppState) -> Self { s.gsalary.clone() }
//! }
//! impl FromRef<AppState> for Arc<NotificationVerifier> {
//!     fn from_ref(s: &AppState) -> Self { s.adapay.clone() }
//! }
//!
//! async fn on_gsalary(GsalaryWebhook(event): GsalaryWebhook) -> axum::http::StatusCode {
//!     println!("{} {}", event.business_type(), event.business_id());
//!     GsalaryWebhook::ACK // HTTP 200: anything else makes GSalary deliver again
//! }
//!
//! async fn on_adapay(note: AdapayNotification) -> (axum::http::StatusCode, String) {
//!     println!("{:?}", note.0.event);
//!     note.ack() // HTTP 200 with RECV_ORD_ID_ + the object id
//! }
//!
//! # fn app(state: AppState) -> Router {
//! Router::new()
//!     .route("/gsalary/webhook", post(on_gsalary))
//!     .route("/adapay/notify", post(on_adapay))
//!     .with_state(state)
//! # }
//! # }
//! ```

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a delivery was refused: answered `401` (a signature problem) or `400`
/// (a body that could not be read), with a one-line reason that quotes no
/// part of the body.
#[derive(Debug)]
pub struct WebhookRejection {
    status: StatusCode,
    reason: String,
}

impl WebhookRejection {
    fn unreadable() -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason: "the request body could not be read".to_owned(),
        }
    }

    #[cfg(any(feature = "gsalary", feature = "adapay"))]
    fn refused(err: &crate::Error) -> Self {
        let status = match err.kind() {
            crate::ErrorKind::Signature { .. } => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        // The kind only: Display of a decode error could quote the body.
        let reason = match err.kind() {
            crate::ErrorKind::Signature { problem, .. } => format!("signature {problem}"),
            crate::ErrorKind::Decode { path, .. } => format!("cannot decode `{path}`"),
            _ => "refused".to_owned(),
        };
        Self { status, reason }
    }

    /// The status the rejection answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status, self.reason).into_response()
    }
}

async fn body_of<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, WebhookRejection> {
    Bytes::from_request(req, state)
        .await
        .map_err(|_| WebhookRejection::unreadable())
}

/// A verified GSalary webhook (feature `gsalary`): the request's `x-appid`
/// and `authorization` headers, its path and query as received, and its raw
/// body go through [`WebhookVerifier::verify`](crate::gsalary::webhooks::WebhookVerifier::verify).
#[cfg(feature = "gsalary")]
#[derive(Debug)]
pub struct GsalaryWebhook(pub crate::gsalary::webhooks::WebhookEvent);

#[cfg(feature = "gsalary")]
impl GsalaryWebhook {
    /// The acknowledgement GSalary expects: HTTP 200. Any other status makes
    /// it deliver again (5 s, 10 s, 15 s, 30 s, 1 min, 5 min, 10 min x3).
    pub const ACK: StatusCode = StatusCode::OK;
}

#[cfg(feature = "gsalary")]
impl<S> FromRequest<S> for GsalaryWebhook
where
    S: Send + Sync,
    std::sync::Arc<crate::gsalary::webhooks::WebhookVerifier>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = std::sync::Arc::<crate::gsalary::webhooks::WebhookVerifier>::from_ref(state);
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| req.uri().path().to_owned());
        let headers: Vec<(String, String)> = req
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = body_of(req, state).await?;
        verifier
            .verify(&headers, &body, &path)
            .map(GsalaryWebhook)
            .map_err(|e| WebhookRejection::refused(&e))
    }
}

/// A verified Adapay asynchronous notification (feature `adapay`): the
/// form body goes through
/// [`NotificationVerifier::verify`](crate::adapay::webhooks::NotificationVerifier::verify).
#[cfg(feature = "adapay")]
#[derive(Debug)]
pub struct AdapayNotification(pub crate::adapay::webhooks::Notification);

#[cfg(feature = "adapay")]
impl AdapayNotification {
    /// The acknowledgement Adapay expects: HTTP 200 with `RECV_ORD_ID_` and
    /// the last 32 characters of the signed object id.
    pub fn ack(&self) -> (StatusCode, String) {
        (StatusCode::OK, self.0.ack_body())
    }
}

#[cfg(feature = "adapay")]
impl<S> FromRequest<S> for AdapayNotification
where
    S: Send + Sync,
    std::sync::Arc<crate::adapay::webhooks::NotificationVerifier>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier =
            std::sync::Arc::<crate::adapay::webhooks::NotificationVerifier>::from_ref(state);
        let body = body_of(req, state).await?;
        verifier
            .verify(&body)
            .map(AdapayNotification)
            .map_err(|e| WebhookRejection::refused(&e))
    }
}
