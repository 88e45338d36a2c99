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

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
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

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `cash.succeeded`, with the cash object.
    CashSucceeded(Cash),
    /// `cash.failed`, with the cash object (its `error_code`, `error_msg`).
    CashFailed(Cash),
    /// Any other type (`payment.*`, `refund.*`, new ones), with the verified
    /// object as JSON.
    Other {
        /// The type as sent.
        event_type: NotificationType,
        /// The verified `data`, parsed.
        data: serde_json::Value,
    },
}

/// A verified notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// The notification's `id` form field (the object id).
    pub id: String,
    /// The type.
    pub event_type: NotificationType,
    /// The `app_id` form field.
    pub app_id: Option<String>,
    /// The `object` form field (`cash`, `payment`, `refund`).
    pub object: Option<String>,
    /// The `created_time` form field (10-digit Unix seconds), as sent.
    pub created_time: Option<String>,
    /// The `prod_mode` form field (`"true"` or `"false"`).
    pub prod_mode: Option<String>,
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
    /// The acknowledgement body for this notification (see [`ack_body`]).
    /// Any HTTP 200 answer is accepted; this body is accepted as well.
    pub fn ack_body(&self) -> String {
        ack_body(&self.id)
    }
}

/// Verifies notifications with the Adapay platform key.
#[derive(Clone)]
pub struct NotificationVerifier {
    verifier: Arc<dyn Verifier>,
    app_id: Option<String>,
}

impl std::fmt::Debug for NotificationVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotificationVerifier")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A notification verifier with this client's platform key, that also
    /// refuses notifications whose signed `data` names another app_id.
    pub fn webhooks(&self) -> NotificationVerifier {
        NotificationVerifier {
            verifier: self.verifier(),
            app_id: Some(self.app_id().to_owned()),
        }
    }
}

impl NotificationVerifier {
    /// A verifier for notifications signed with `platform_key` (SHA1withRSA).
    pub fn new(platform_key: RsaPublicKey) -> Self {
        Self::with_verifier(Arc::new(RsaVerifier::new(
            platform_key,
            HashAlgorithm::Sha1,
        )))
    }

    /// A verifier over your own [`Verifier`].
    pub fn with_verifier(verifier: Arc<dyn Verifier>) -> Self {
        Self {
            verifier,
            app_id: None,
        }
    }

    /// Refuses notifications whose signed `data` names another app_id. The
    /// platform key is the same for every Adapay merchant, so this keeps one
    /// merchant's genuine notifications from being replayed to another.
    pub fn expect_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Verifies a raw form-encoded body and returns the notification.
    pub fn verify(&self, body: &[u8]) -> Result<Notification> {
        let text = std::str::from_utf8(body)
            .map_err(|_| Error::decode(".", "the notification body is not UTF-8", body))?;
        self.verify_fields(&parse_form(text))
    }

    /// Verifies a form that a web framework already decoded into pairs.
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
        signing::verify(self.verifier.as_ref(), data.as_bytes(), get("sign"))?;

        // Only `data` is signed: what follows is read from it, and the
        // unsigned form fields must agree with it.
        let value: serde_json::Value = parse(data)?;
        let signed = |k: &str| value.get(k).and_then(|v| v.as_str());
        if let (Some(expected), Some(got)) = (&self.app_id, signed("app_id"))
            && expected != got
        {
            return Err(Error::signature(
                SignatureProblem::Mismatch,
                format!("the notification is for app_id `{got}`, not `{expected}`"),
            ));
        }
        let event_type = NotificationType::from(get("type").ok_or_else(|| {
            Error::decode("type", "the notification has no `type`", data.as_bytes())
        })?);
        let id = get("id")
            .or_else(|| signed("id"))
            .ok_or_else(|| Error::decode("id", "the notification has no `id`", data.as_bytes()))?
            .to_owned();
        let event = match &event_type {
            NotificationType::CashSucceeded | NotificationType::CashFailed => {
                let cash: Cash = parse(data)?;
                let expected = if event_type == NotificationType::CashSucceeded {
                    Status::Succeeded
                } else {
                    Status::Failed
                };
                let object_ok = cash.object.as_deref().is_none_or(|o| o == "cash");
                if !object_ok || (!cash.status.is_other() && cash.status != expected) {
                    return Err(Error::signature(
                        SignatureProblem::Mismatch,
                        format!(
                            "the unsigned type `{event_type}` does not match the signed object ({} {})",
                            cash.object.as_deref().unwrap_or("?"),
                            cash.status
                        ),
                    ));
                }
                if expected == Status::Succeeded {
                    Event::CashSucceeded(cash)
                } else {
                    Event::CashFailed(cash)
                }
            }
            _ => Event::Other {
                event_type: event_type.clone(),
                data: value,
            },
        };
        Ok(Notification {
            id,
            event_type,
            app_id: get("app_id").map(str::to_owned),
            object: get("object").map(str::to_owned),
            created_time: get("created_time").map(str::to_owned),
            prod_mode: get("prod_mode").map(str::to_owned),
            data: data.to_owned(),
            event,
        })
    }
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
fn parse_form(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

// Form encoding: everything but letters, digits and `-._~` is escaped.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

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
    let sign = signing::sign(signer, form.data.as_bytes())?;
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
    Ok(fields
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FORM)))
        .collect::<Vec<_>>()
        .join("&"))
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

    #[test]
    fn forms_decode_plus_and_percent() {
        let f = parse_form("a=1+2&b=%2B%3D&c&d=%E9%92%B1");
        assert_eq!(
            f,
            vec![
                ("a".to_owned(), "1 2".to_owned()),
                ("b".to_owned(), "+=".to_owned()),
                ("c".to_owned(), String::new()),
                ("d".to_owned(), "钱".to_owned()),
            ]
        );
    }
}
