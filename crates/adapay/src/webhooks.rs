//! Asynchronous notifications (异步消息通知).
//!
//! Adapay posts a form (`application/x-www-form-urlencoded`) to the
//! `notify_url` with `created_time`, `data` (the object as JSON text),
//! `prod_mode`, `sign`, `id`, `type`, `app_id` and `object`. Only `data` is
//! signed: `sign` is SHA1withRSA over the exact `data` text with the Adapay
//! platform key. [`NotificationVerifier::verify`] checks it and returns a
//! typed [`Notification`]; answer HTTP 200 (optionally with
//! [`Notification::ack_body`]) once the event is stored. Deliveries repeat:
//! handle them idempotently on the object id.
//!
//! ```
//! # fn run(body: &[u8], client: &walletbridge_adapay::Client) -> walletbridge_core::Result<String> {
//! use walletbridge_adapay::webhooks::Event;
//! let n = client.webhooks().verify(body)?;
//! match &n.event {
//!     Event::CashSucceeded(cash) => println!("paid out: {:?}", cash.real_amt),
//!     Event::CashFailed(cash) => println!("failed: {:?}", cash.error_msg),
//!     Event::Other { event_type, .. } => println!("ignored {event_type}"),
//!     _ => {}
//! }
//! Ok(n.ack_body())
//! # }
//! ```

use std::sync::Arc;

use walletbridge_core::date::WireTime;
use walletbridge_core::form;
use walletbridge_core::{
    Error, HashAlgorithm, Result, RsaPublicKey, RsaVerifier, SignatureProblem, Signer, Verifier,
};

use crate::client::Client;
use crate::envelope::parse;
use crate::models::{Cash, Status};
use crate::signing;

walletbridge_core::open_enum! {
    /// A notification type (`type`). New ones decode as `Other`.
    pub enum NotificationType {
        /// A draw-cash order was paid out.
        CashSucceeded = "cash.succeeded",
        /// A draw-cash order failed.
        CashFailed = "cash.failed",
        /// A payment succeeded.
        PaymentSucceeded = "payment.succeeded",
        /// A payment failed.
        PaymentFailed = "payment.failed",
        /// A refund succeeded.
        RefundSucceeded = "refund.succeeded",
        /// A refund failed.
        RefundFailed = "refund.failed",
    }
}

/// What a notification says, from its signed `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `cash.succeeded`: the signed cash object's status is `succeeded`.
    CashSucceeded(Cash),
    /// `cash.failed`: the signed cash object's status is `failed` (its
    /// `error_code`, `error_msg`).
    CashFailed(Cash),
    /// Any other type (`payment.*`, `refund.*`, a cash object in a state this
    /// SDK does not know, new objects), with the verified object as JSON.
    /// Never a success that the SDK vouches for.
    Other {
        /// The type, from the signed object and status.
        event_type: NotificationType,
        /// The verified `data`, parsed.
        data: serde_json::Value,
    },
}

/// A verified notification. Every field except [`Notification::event_id`]
/// and [`Notification::created_time`] comes from the signed `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// The object's id (signed `data.id`): what [`Notification::ack_body`] answers with.
    pub id: String,
    /// The type: the signed `object` and `status`, `{object}.{status}`.
    pub event_type: NotificationType,
    /// The app the object belongs to (signed `data.app_id`).
    pub app_id: String,
    /// The object type (signed `data.object`: `cash`, `payment`, `refund`).
    pub object: String,
    /// The object's state (signed `data.status`); an unknown state is `Status::Other`.
    pub status: Status,
    /// The request order number (signed `data.order_no`), when the object has one.
    pub order_no: Option<String>,
    /// `"true"` in prod mode, `"false"` in mock mode (signed `data.prod_mode`), when given.
    pub prod_mode: Option<String>,
    /// The event's own id (the unsigned `id` form field; Adapay gives the
    /// event an id of its own, distinct from the object's). Not signed.
    pub event_id: Option<String>,
    /// When the event was made (the unsigned `created_time` form field,
    /// 10-digit Unix seconds), as received and parsed. Not signed.
    pub created_time: Option<WireTime>,
    /// The verified `data` text, exactly as signed.
    pub data: String,
    /// The event, typed.
    pub event: Event,
}

/// The acknowledgement body Adapay also accepts besides an empty HTTP 200:
/// `RECV_ORD_ID_` followed by the last 32 characters of the object id.
pub fn ack_body(object_id: &str) -> String {
    let n = object_id.chars().count();
    let tail: String = object_id.chars().skip(n.saturating_sub(32)).collect();
    format!("RECV_ORD_ID_{tail}")
}

impl Notification {
    /// The acknowledgement body for this notification (see [`ack_body`]),
    /// from the signed object id. Any HTTP 200 answer is accepted; this body
    /// is accepted as well.
    pub fn ack_body(&self) -> String {
        ack_body(&self.id)
    }
}

/// Verifies notifications for one app with the Adapay platform key. Holds
/// only the key's verifier and the app_id.
#[derive(Clone)]
pub struct NotificationVerifier {
    verifier: Arc<dyn Verifier>,
    app_id: String,
}

impl std::fmt::Debug for NotificationVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationVerifier")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A notification verifier with this client's platform key and app_id.
    pub fn webhooks(&self) -> NotificationVerifier {
        NotificationVerifier {
            verifier: self.verifier(),
            app_id: self.app_id().to_owned(),
        }
    }
}

/// A notification that cannot be trusted as it stands.
fn invalid(detail: impl Into<String>) -> Error {
    Error::signature(SignatureProblem::Mismatch, detail)
}

impl NotificationVerifier {
    /// A verifier for `app_id`'s notifications signed with `platform_key`
    /// (SHA1withRSA). The platform key is the same for every Adapay merchant,
    /// so the app_id is what keeps one merchant's genuine notifications from
    /// being accepted by another.
    pub fn new(platform_key: RsaPublicKey, app_id: impl Into<String>) -> Self {
        Self::with_verifier(
            Arc::new(RsaVerifier::new(platform_key, HashAlgorithm::Sha1)),
            app_id,
        )
    }

    /// A verifier for `app_id` over your own [`Verifier`].
    pub fn with_verifier(verifier: Arc<dyn Verifier>, app_id: impl Into<String>) -> Self {
        Self {
            verifier,
            app_id: app_id.into(),
        }
    }

    /// Verifies a raw form-encoded body and returns the notification.
    pub fn verify(&self, body: &[u8]) -> Result<Notification> {
        self.verify_fields(&form::parse(body))
    }

    /// Verifies a form that a web framework already decoded into pairs.
    ///
    /// Only `data` is signed. Type, object id, app_id, order_no and status
    /// are read from it; an unsigned form field (`type`, `object`, `app_id`)
    /// that disagrees with it makes the notification invalid, and so does
    /// signed data without `app_id`, `object`, `status` or `id`.
    pub fn verify_fields<K: AsRef<str>, V: AsRef<str>>(
        &self,
        fields: &[(K, V)],
    ) -> Result<Notification> {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k.as_ref() == name)
                .map(|(_, v)| v.as_ref())
                .filter(|v| !v.is_empty())
        };
        let data = get("data").ok_or_else(|| {
            Error::signature(
                SignatureProblem::Missing,
                "the notification carries no `data` to verify",
            )
        })?;
        signing::verify(
            self.verifier.as_ref(),
            signing::data_signing_string(data),
            get("sign"),
        )?;

        // Nothing is read from `data` before its signature verifies (above).
        let value: serde_json::Value = parse(data, false)?;
        let signed = |k: &str| match value.get(k) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.as_str()),
            _ => None,
        };
        let required = |k: &str| {
            signed(k).ok_or_else(|| {
                invalid(format!(
                    "the signed data names no `{k}`: the notification cannot be bound to an app and an object"
                ))
            })
        };
        let app_id = required("app_id")?;
        if app_id != self.app_id {
            return Err(invalid(format!(
                "the notification is for app_id `{app_id}`, not `{}`",
                self.app_id
            )));
        }
        let object = required("object")?;
        let status_text = required("status")?;
        let id = required("id")?;
        let event_type = NotificationType::from(format!("{object}.{status_text}").as_str());
        // The unsigned fields must agree with the signed ones.
        for (field, signed_value) in [
            ("type", event_type.as_str()),
            ("object", object),
            ("app_id", app_id),
        ] {
            if let Some(unsigned) = get(field)
                && unsigned != signed_value
            {
                return Err(invalid(format!(
                    "the unsigned `{field}` `{unsigned}` does not match the signed data (`{signed_value}`)"
                )));
            }
        }
        let status = Status::from(status_text);
        let event = match (&event_type, object) {
            (NotificationType::CashSucceeded | NotificationType::CashFailed, "cash") => {
                let cash: Cash = parse(data, false)?;
                if event_type == NotificationType::CashSucceeded {
                    Event::CashSucceeded(cash)
                } else {
                    Event::CashFailed(cash)
                }
            }
            _ => Event::Other {
                event_type: event_type.clone(),
                data: value.clone(),
            },
        };
        Ok(Notification {
            id: id.to_owned(),
            event_type,
            app_id: app_id.to_owned(),
            object: object.to_owned(),
            status,
            order_no: signed("order_no").map(str::to_owned),
            prod_mode: signed("prod_mode").map(str::to_owned),
            event_id: get("id").map(str::to_owned),
            created_time: get("created_time").map(crate::models::parse_time),
            data: data.to_owned(),
            event,
        })
    }
}

/// The fields of a notification to sign with [`sign_notification`], for
/// your own tests and local tooling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationForm {
    /// The object id.
    pub id: String,
    /// The type (`cash.succeeded`).
    pub event_type: String,
    /// The app_id.
    pub app_id: String,
    /// The object type (`cash`).
    pub object: String,
    /// 10-digit Unix seconds.
    pub created_time: String,
    /// `"true"` or `"false"`.
    pub prod_mode: String,
    /// The object as JSON text; this is what is signed.
    pub data: String,
}

/// Signs `form.data` with `signer` (SHA1withRSA, as Adapay does) and returns
/// the form-encoded body Adapay would post:
/// `created_time, data, prod_mode, sign, id, type, app_id, object`.
pub fn sign_notification(signer: &dyn Signer, form: &NotificationForm) -> Result<String> {
    let sign = signing::sign(signer, signing::data_signing_string(&form.data))?;
    let fields = [
        ("created_time", form.created_time.as_str()),
        ("data", form.data.as_str()),
        ("prod_mode", form.prod_mode.as_str()),
        ("sign", sign.as_str()),
        ("id", form.id.as_str()),
        ("type", form.event_type.as_str()),
        ("app_id", form.app_id.as_str()),
        ("object", form.object.as_str()),
    ];
    Ok(form::encode(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_takes_the_last_32_characters() {
        let id = "0021120200225003546239388799481234";
        assert_eq!(id.len(), 34);
        assert_eq!(ack_body(id), "RECV_ORD_ID_21120200225003546239388799481234");
        assert_eq!(ack_body("short"), "RECV_ORD_ID_short");
    }
}
