//! Webhooks: verify GSalary notifications and decode them into typed events.
//!
//! GSalary POSTs `{"business_type","event_time","business_id","data"}` to
//! your callback URL with `x-appid` and `authorization` headers, signed like
//! a request (method `POST`, the callback's own path) with the platform key.
//! [`WebhookVerifier::verify`] checks the signature and the signed time, then
//! decodes the body into a [`WebhookEvent`]. Answer HTTP 200 once the event is
//! stored; anything else is redelivered (5 s, 10 s, 15 s, 30 s, 1 min, 5 min,
//! 10 min x3). Deliveries repeat: handle them idempotently on
//! [`WebhookEvent::business_id`].
//!
//! The page does not show the `data` of any event. Each data struct has the
//! fields that are plain from the event's name, all optional, and the whole
//! `data` object as `raw`. Events that carry codes or tokens hold them, and
//! their `raw`, as [`SecretString`]s.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use walletbridge_core::date::WireTime;
use walletbridge_core::webhook::Tolerance;
use walletbridge_core::{
    Clock, Error, HashAlgorithm, Result, RsaPublicKey, RsaVerifier, SecretString, SignatureProblem,
    Signer, SystemClock, Verifier,
};

use crate::card_bills::CardTransaction;
use crate::cards::CardStatus;
use crate::client::Client;
use crate::models::Money;
use crate::remittance::OrderStatus;
use crate::signing;

const OPERATION: &str = "verify webhook";

/// A header as `(name, value)`; implemented for pairs of string-likes and
/// references to them, so `&[(String, String)]`, `Vec<(&str, &str)>` and the
/// like can be passed to [`WebhookVerifier::verify`].
pub trait HeaderPair {
    /// The header name.
    fn name(&self) -> &str;
    /// The header value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> HeaderPair for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<T: HeaderPair + ?Sized> HeaderPair for &T {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn value(&self) -> &str {
        (**self).value()
    }
}

/// Verifies GSalary webhook deliveries. Build it from the platform public
/// key, or from a [`Client`] with [`Client::webhooks`].
///
/// ```no_run
/// # fn run(headers: &[(String, String)], body: &[u8]) -> walletbridge_core::Result<()> {
/// let verifier = walletbridge_gsalary::webhooks::WebhookVerifier::from_pem(
///     "your_appid",
///     &std::env::var("GSALARY_PLATFORM_PUBLIC_KEY").unwrap_or_default(),
/// )?;
/// let event = verifier.verify(headers, body, "/gsalary/webhook")?;
/// println!("{} {}", event.business_type(), event.business_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    appid: String,
    verifier: Arc<dyn Verifier>,
    clock: Arc<dyn Clock>,
    tolerance: Tolerance,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("appid", &self.appid)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A webhook verifier with this client's appid, platform key and clock.
    pub fn webhooks(&self) -> WebhookVerifier {
        WebhookVerifier {
            appid: self.appid().to_owned(),
            verifier: self.verifier(),
            clock: self.clock(),
            tolerance: Tolerance::default(),
        }
    }
}

impl WebhookVerifier {
    /// A verifier for `appid` with the GSalary platform public key.
    pub fn new(appid: impl Into<String>, platform_public_key: RsaPublicKey) -> Self {
        Self::with_verifier(
            appid,
            Arc::new(RsaVerifier::new(platform_public_key, HashAlgorithm::Sha256)),
        )
    }

    /// A verifier for `appid` with the platform public key as SPKI PEM or bare base64.
    pub fn from_pem(appid: impl Into<String>, platform_public_key: &str) -> Result<Self> {
        Ok(Self::new(appid, RsaPublicKey::parse(platform_public_key)?))
    }

    /// A verifier for `appid` with your own [`Verifier`].
    pub fn with_verifier(appid: impl Into<String>, verifier: Arc<dyn Verifier>) -> Self {
        Self {
            appid: appid.into(),
            verifier,
            clock: Arc::new(SystemClock),
            tolerance: Tolerance::default(),
        }
    }

    /// How far the signed time may be from now (default 5 minutes).
    /// [`Tolerance::Disabled`] skips the check, for deliveries you trigger
    /// again by hand from the portal; the signature is still checked.
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The clock the signed time is checked against (default: the client's
    /// clock, or the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The appid deliveries are expected for.
    pub fn appid(&self) -> &str {
        &self.appid
    }

    /// Verifies one delivery and decodes it.
    ///
    /// - `headers`: the request headers (names in any case);
    /// - `raw_body`: the body bytes exactly as received, before any parsing;
    /// - `callback_path`: the path (and query, if any) the delivery was posted
    ///   to, as received (`/gsalary/webhook`); a full URL is cut to its path.
    ///
    /// A missing, malformed or wrong signature, an `x-appid` that is not
    /// yours, or a signed time outside the tolerance is an
    /// [`ErrorKind::Signature`](walletbridge_core::ErrorKind::Signature) error,
    /// and nothing of the body is read.
    pub fn verify<H: HeaderPair>(
        &self,
        headers: impl IntoIterator<Item = H>,
        raw_body: &[u8],
        callback_path: &str,
    ) -> Result<WebhookEvent> {
        let mut authorization = None;
        let mut appid = None;
        for h in headers {
            if h.name().eq_ignore_ascii_case("authorization") {
                authorization = Some(h.value().trim().to_owned());
            } else if h.name().eq_ignore_ascii_case("x-appid") {
                appid = Some(h.value().trim().to_owned());
            }
        }
        self.verify_parts(
            authorization.as_deref(),
            appid.as_deref(),
            raw_body,
            callback_path,
        )
    }

    /// [`WebhookVerifier::verify`] with the two headers already picked out.
    pub fn verify_parts(
        &self,
        authorization: Option<&str>,
        x_appid: Option<&str>,
        raw_body: &[u8],
        callback_path: &str,
    ) -> Result<WebhookEvent> {
        let tag = |e: Error| e.in_call(crate::PROVIDER, OPERATION);
        if let Some(sent) = x_appid.filter(|a| !a.is_empty())
            && sent != self.appid
        {
            return Err(tag(Error::signature(
                SignatureProblem::Mismatch,
                format!("x-appid `{sent}` is not the configured appid"),
            )));
        }
        // Signed like an answer: any query over its unescaped values.
        let path = signing::unescaped_path_and_query(walletbridge_core::transport::path_and_query(
            callback_path.trim(),
        ));
        let signed_at = signing::verify(
            self.verifier.as_ref(),
            authorization,
            "POST",
            &path,
            &self.appid,
            raw_body,
        )
        .map_err(|e| {
            let e = match e.kind() {
                walletbridge_core::ErrorKind::Signature { .. } => e,
                _ => Error::signature(SignatureProblem::Malformed, e.to_string()),
            };
            tag(e)
        })?;
        self.tolerance
            .check(signed_at, self.clock.now_millis())
            .map_err(tag)?;
        WebhookEvent::from_slice(raw_body).map_err(tag)
    }
}

/// Signs a webhook body as GSalary would and returns the headers to send
/// with it (`x-appid`, `authorization`, `content-type`). For your own tests
/// of your webhook endpoint, with a key pair you control.
pub fn sign_webhook(
    signer: &dyn Signer,
    appid: &str,
    callback_path: &str,
    timestamp_ms: i64,
    body: &[u8],
) -> Result<Vec<(String, String)>> {
    let auth = signing::sign(
        signer,
        "POST",
        callback_path,
        appid,
        timestamp_ms,
        Some(body),
    )?;
    Ok(vec![
        ("x-appid".to_owned(), appid.to_owned()),
        ("authorization".to_owned(), auth),
        ("content-type".to_owned(), "application/json".to_owned()),
    ])
}

/// A `data` object as sent, kept whole. Reading it is explicit (it derefs
/// to a [`serde_json::Value`]); its `Debug` shows only the field names, never
/// a value, so logging an event cannot leak whatever GSalary puts in it.
#[derive(Clone, Default, PartialEq)]
pub struct RawPayload(Value);

impl RawPayload {
    /// The object as sent.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The object as sent, owned.
    pub fn into_value(self) -> Value {
        self.0
    }
}

impl std::ops::Deref for RawPayload {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl std::fmt::Debug for RawPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Value::Object(map) => f
                .debug_struct("RawPayload")
                .field("fields", &map.keys().collect::<Vec<_>>())
                .finish_non_exhaustive(),
            _ => f.write_str("RawPayload(..)"),
        }
    }
}

/// One delivery's common fields and its typed `data`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification<T> {
    /// The id of the object the event is about; deliveries repeat, so
    /// deduplicate on it.
    pub business_id: String,
    /// When the event happened (ISO-8601).
    pub event_time: String,
    /// The event's data.
    pub data: T,
}

#[cfg(feature = "server")]
impl<T> Notification<T> {
    /// A delivery a server sends (feature `server`).
    pub fn new(business_id: impl Into<String>, event_time: impl Into<String>, data: T) -> Self {
        Self {
            business_id: business_id.into(),
            event_time: event_time.into(),
            data,
        }
    }
}

/// A verified GSalary notification.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `CARD_TRANSACTION`: an authorization, payment, refund... on a card
    /// (boxed: it is much larger than the other events).
    CardTransaction(Box<Notification<CardTransactionData>>),
    /// `CARD_STATUS_UPDATE`: a card opened, froze, unfroze, was cancelled...
    CardStatusUpdate(Notification<CardStatusData>),
    /// `THREE_DS_VERIFICATION_CODE`: a 3-D Secure code for the holder.
    ThreeDsVerificationCode(Notification<VerificationCodeData>),
    /// `CARD_TOKEN_OTP_CODE`: a code to add the card to Apple Pay, Google Pay...
    CardTokenOtpCode(Notification<VerificationCodeData>),
    /// `CARD_VERIFICATION_CODE`: a transaction code (PayPal, Facebook...).
    CardVerificationCode(Notification<VerificationCodeData>),
    /// `CARD_ACTIVATION_CODE`: the code to activate a physical card.
    CardActivationCode(Notification<ActivationCodeData>),
    /// `CARD_PIN_RETRY_LIMIT`: too many wrong PINs.
    CardPinRetryLimit(Notification<CardRefData>),
    /// `PAYEE_ACCOUNT_ACTIVE`: a payee account became usable.
    PayeeAccountActive(Notification<PayeeAccountData>),
    /// `REMITTANCE_FAIL`: a payout failed.
    RemittanceFail(Notification<RemittanceData>),
    /// `REMITTANCE_COMPLETE`: a payout completed.
    RemittanceComplete(Notification<RemittanceData>),
    /// `REMITTANCE_REVERSE`: a completed payout came back.
    RemittanceReverse(Notification<RemittanceData>),
    /// `PAYEE_DEACTIVATED`: payees were deactivated.
    PayeeDeactivated(Notification<PayeeDeactivatedData>),
    /// `ACQUIRING_PAYMENT_SUCCEED`.
    AcquiringPaymentSucceed(Notification<AcquiringPaymentData>),
    /// `ACQUIRING_PAYMENT_FAILED`.
    AcquiringPaymentFailed(Notification<AcquiringPaymentData>),
    /// `ACQUIRING_REFUND_SUCCEED`.
    AcquiringRefundSucceed(Notification<AcquiringRefundData>),
    /// `ACQUIRING_REFUND_FAILED`.
    AcquiringRefundFailed(Notification<AcquiringRefundData>),
    /// `ACQUIRING_CAPTURE_SUCCEED`.
    AcquiringCaptureSucceed(Notification<AcquiringCaptureData>),
    /// `ACQUIRING_CAPTURE_FAILED`.
    AcquiringCaptureFailed(Notification<AcquiringCaptureData>),
    /// `ACQUIRING_AUTH_TOKEN`: the result of a wallet or card authorization.
    AcquiringAuthToken(Notification<AuthTokenData>),
    /// A business type this SDK does not know, kept as sent. Its `raw` may
    /// hold anything the platform adds, secrets included: do not log it.
    Unknown {
        /// The business type as sent.
        business_type: String,
        /// The object id.
        business_id: String,
        /// When it happened.
        event_time: String,
        /// The `data` object as sent (`Debug` shows only its field names).
        raw: RawPayload,
    },
}

/// Writes a notification body as GSalary sends it (feature `server`):
/// `{"business_type","event_time","business_id","data"}`. A
/// `CARD_TRANSACTION`'s data is written from its typed transaction; every
/// other event's data from its `raw` object (what a decoded event kept, or
/// what a server put there).
#[cfg(feature = "server")]
impl serde::Serialize for WebhookEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("business_type", self.business_type())?;
        m.serialize_entry("event_time", self.event_time())?;
        m.serialize_entry("business_id", self.business_id())?;
        match self {
            Self::CardTransaction(n) => m.serialize_entry("data", &n.data)?,
            other => m.serialize_entry("data", &other.raw_data())?,
        }
        m.end()
    }
}

#[cfg(feature = "server")]
impl WebhookEvent {
    /// The body of the notification as GSalary sends it (feature `server`);
    /// sign it with [`sign_webhook`].
    pub fn to_body(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self)
            .map_err(|e| Error::validation("webhook", format!("cannot be encoded: {e}")))
    }

    /// The `data` object as kept in the event's `raw`.
    fn raw_data(&self) -> Value {
        fn secret(s: &SecretString) -> Value {
            serde_json::from_str(s.expose()).unwrap_or(Value::Null)
        }
        match self {
            Self::CardTransaction(n) => n.data.raw.0.clone(),
            Self::CardStatusUpdate(n) => n.data.raw.0.clone(),
            Self::ThreeDsVerificationCode(n)
            | Self::CardTokenOtpCode(n)
            | Self::CardVerificationCode(n) => secret(&n.data.raw),
            Self::CardActivationCode(n) => secret(&n.data.raw),
            Self::CardPinRetryLimit(n) => n.data.raw.0.clone(),
            Self::PayeeAccountActive(n) => n.data.raw.0.clone(),
            Self::RemittanceFail(n) | Self::RemittanceComplete(n) | Self::RemittanceReverse(n) => {
                n.data.raw.0.clone()
            }
            Self::PayeeDeactivated(n) => n.data.raw.0.clone(),
            Self::AcquiringPaymentSucceed(n) | Self::AcquiringPaymentFailed(n) => {
                secret(&n.data.raw)
            }
            Self::AcquiringRefundSucceed(n) | Self::AcquiringRefundFailed(n) => {
                n.data.raw.0.clone()
            }
            Self::AcquiringCaptureSucceed(n) | Self::AcquiringCaptureFailed(n) => {
                n.data.raw.0.clone()
            }
            Self::AcquiringAuthToken(n) => secret(&n.data.raw),
            Self::Unknown { raw, .. } => raw.0.clone(),
        }
    }
}

macro_rules! each_event {
    ($self:ident, $n:ident => $e:expr, $unknown:pat => $u:expr) => {
        match $self {
            WebhookEvent::CardTransaction($n) => $e,
            WebhookEvent::CardStatusUpdate($n) => $e,
            WebhookEvent::ThreeDsVerificationCode($n) => $e,
            WebhookEvent::CardTokenOtpCode($n) => $e,
            WebhookEvent::CardVerificationCode($n) => $e,
            WebhookEvent::CardActivationCode($n) => $e,
            WebhookEvent::CardPinRetryLimit($n) => $e,
            WebhookEvent::PayeeAccountActive($n) => $e,
            WebhookEvent::RemittanceFail($n) => $e,
            WebhookEvent::RemittanceComplete($n) => $e,
            WebhookEvent::RemittanceReverse($n) => $e,
            WebhookEvent::PayeeDeactivated($n) => $e,
            WebhookEvent::AcquiringPaymentSucceed($n) => $e,
            WebhookEvent::AcquiringPaymentFailed($n) => $e,
            WebhookEvent::AcquiringRefundSucceed($n) => $e,
            WebhookEvent::AcquiringRefundFailed($n) => $e,
            WebhookEvent::AcquiringCaptureSucceed($n) => $e,
            WebhookEvent::AcquiringCaptureFailed($n) => $e,
            WebhookEvent::AcquiringAuthToken($n) => $e,
            $unknown => $u,
        }
    };
}

impl WebhookEvent {
    /// The business type as on the wire (`CARD_TRANSACTION`).
    pub fn business_type(&self) -> &str {
        match self {
            Self::CardTransaction(_) => "CARD_TRANSACTION",
            Self::CardStatusUpdate(_) => "CARD_STATUS_UPDATE",
            Self::ThreeDsVerificationCode(_) => "THREE_DS_VERIFICATION_CODE",
            Self::CardTokenOtpCode(_) => "CARD_TOKEN_OTP_CODE",
            Self::CardVerificationCode(_) => "CARD_VERIFICATION_CODE",
            Self::CardActivationCode(_) => "CARD_ACTIVATION_CODE",
            Self::CardPinRetryLimit(_) => "CARD_PIN_RETRY_LIMIT",
            Self::PayeeAccountActive(_) => "PAYEE_ACCOUNT_ACTIVE",
            Self::RemittanceFail(_) => "REMITTANCE_FAIL",
            Self::RemittanceComplete(_) => "REMITTANCE_COMPLETE",
            Self::RemittanceReverse(_) => "REMITTANCE_REVERSE",
            Self::PayeeDeactivated(_) => "PAYEE_DEACTIVATED",
            Self::AcquiringPaymentSucceed(_) => "ACQUIRING_PAYMENT_SUCCEED",
            Self::AcquiringPaymentFailed(_) => "ACQUIRING_PAYMENT_FAILED",
            Self::AcquiringRefundSucceed(_) => "ACQUIRING_REFUND_SUCCEED",
            Self::AcquiringRefundFailed(_) => "ACQUIRING_REFUND_FAILED",
            Self::AcquiringCaptureSucceed(_) => "ACQUIRING_CAPTURE_SUCCEED",
            Self::AcquiringCaptureFailed(_) => "ACQUIRING_CAPTURE_FAILED",
            Self::AcquiringAuthToken(_) => "ACQUIRING_AUTH_TOKEN",
            Self::Unknown { business_type, .. } => business_type,
        }
    }

    /// The id of the object the event is about; deduplicate deliveries on it.
    pub fn business_id(&self) -> &str {
        each_event!(self, n => &n.business_id, Self::Unknown { business_id, .. } => business_id)
    }

    /// When the event happened (ISO-8601).
    pub fn event_time(&self) -> &str {
        each_event!(self, n => &n.event_time, Self::Unknown { event_time, .. } => event_time)
    }

    /// Whether the business type is one this SDK does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown { .. })
    }

    /// Decodes a notification body **without verifying it**. Use
    /// [`WebhookVerifier::verify`] on anything that came over the network.
    pub fn from_slice(body: &[u8]) -> Result<Self> {
        #[derive(Deserialize)]
        struct Wire {
            business_type: String,
            #[serde(default, deserialize_with = "text")]
            event_time: String,
            #[serde(default, deserialize_with = "text")]
            business_id: String,
            #[serde(default)]
            data: Option<Box<serde_json::value::RawValue>>,
        }
        // The body may carry codes and tokens: decode errors never quote it.
        let wire: Wire = serde_json::from_slice(body).map_err(|e| {
            Error::decode(
                ".",
                format!("not a GSalary notification: {}", e.classify_name()),
                b"",
            )
        })?;
        let Wire {
            business_type,
            event_time,
            business_id,
            data,
        } = wire;
        macro_rules! typed {
            ($variant:ident) => {
                Self::$variant(Notification {
                    business_id,
                    event_time,
                    data: EventData::from_raw(data)?,
                })
            };
        }
        Ok(match business_type.as_str() {
            "CARD_TRANSACTION" => Self::CardTransaction(Box::new(Notification {
                business_id,
                event_time,
                data: EventData::from_raw(data)?,
            })),
            "CARD_STATUS_UPDATE" => typed!(CardStatusUpdate),
            "THREE_DS_VERIFICATION_CODE" => typed!(ThreeDsVerificationCode),
            "CARD_TOKEN_OTP_CODE" => typed!(CardTokenOtpCode),
            "CARD_VERIFICATION_CODE" => typed!(CardVerificationCode),
            "CARD_ACTIVATION_CODE" => typed!(CardActivationCode),
            "CARD_PIN_RETRY_LIMIT" => typed!(CardPinRetryLimit),
            "PAYEE_ACCOUNT_ACTIVE" => typed!(PayeeAccountActive),
            "REMITTANCE_FAIL" => typed!(RemittanceFail),
            "REMITTANCE_COMPLETE" => typed!(RemittanceComplete),
            "REMITTANCE_REVERSE" => typed!(RemittanceReverse),
            "PAYEE_DEACTIVATED" => typed!(PayeeDeactivated),
            "ACQUIRING_PAYMENT_SUCCEED" => typed!(AcquiringPaymentSucceed),
            "ACQUIRING_PAYMENT_FAILED" => typed!(AcquiringPaymentFailed),
            "ACQUIRING_REFUND_SUCCEED" => typed!(AcquiringRefundSucceed),
            "ACQUIRING_REFUND_FAILED" => typed!(AcquiringRefundFailed),
            "ACQUIRING_CAPTURE_SUCCEED" => typed!(AcquiringCaptureSucceed),
            "ACQUIRING_CAPTURE_FAILED" => typed!(AcquiringCaptureFailed),
            "ACQUIRING_AUTH_TOKEN" => typed!(AcquiringAuthToken),
            _ => Self::Unknown {
                business_type,
                business_id,
                event_time,
                raw: RawPayload(data.map_or(Value::Null, |d| {
                    serde_json::from_str(d.get()).unwrap_or(Value::Null)
                })),
            },
        })
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "malformed JSON",
            serde_json::error::Category::Data => "a field has the wrong type or is missing",
            serde_json::error::Category::Eof => "truncated JSON",
        }
    }
}

/// A string, or a number written as a string (ids and times sometimes come as numbers).
fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
    })
}

/// An event's `data`: decoded from the JSON object's exact text (amounts
/// are never read through a float), which is also kept as `raw`.
trait EventData: DeserializeOwned {
    /// Whether the data holds secrets (decode errors then name only the path).
    const SECRET: bool;
    fn keep_raw(&mut self, raw: Value);

    fn from_raw(raw: Option<Box<serde_json::value::RawValue>>) -> Result<Self> {
        let text = raw
            .map(|r| r.get().to_owned())
            .filter(|t| t.trim() != "null")
            .unwrap_or_else(|| "{}".to_owned());
        let de = &mut serde_json::Deserializer::from_str(&text);
        let mut data: Self = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = format!("data.{}", e.path());
            let message = if Self::SECRET {
                "does not have the expected type".to_owned()
            } else {
                e.inner().to_string()
            };
            Error::decode(path, message, b"")
        })?;
        data.keep_raw(serde_json::from_str(&text).unwrap_or(Value::Null));
        Ok(data)
    }
}

/// Implements tolerant decoding ([`crate::answer`]) for an event's data:
/// a field that does not decode is left out (with a warning) and the rest
/// is read; every field, known or not, is in the data's `raw`.
macro_rules! event_data {
    ($t:ty $(, reshape = $reshape:path)?) => {
        impl crate::answer::Answer for $t {
            const NAME: &'static str = stringify!($t);
            $(fn reshape(fields: &mut crate::answer::Fields) {
                $reshape(fields)
            })?
            fn strict<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                <$t>::deserialize(d)
            }
            fn set_extra(&mut self, _extra: serde_json::Map<String, Value>) {
                // Everything is in `raw`, which redacts secrets in `Debug`.
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                crate::answer::decode(d)
            }
        }
    };
}

macro_rules! plain_raw {
    ($($t:ty),+) => {$(
        impl EventData for $t {
            const SECRET: bool = false;
            fn keep_raw(&mut self, raw: Value) {
                self.raw = RawPayload(raw);
            }
        }
    )+};
}

/// The first string among `keys` in a data object, as a secret.
fn secret_field(raw: &Value, keys: &[&str]) -> Option<SecretString> {
    keys.iter()
        .find_map(|k| raw.get(*k).and_then(Value::as_str))
        .map(SecretString::from)
}

/// `CARD_TRANSACTION` data: the card transaction (the same shape as
/// [`crate::card_bills::CardBills::transactions`] items) and the raw object.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CardTransactionData {
    /// The transaction (decoded from the whole `data` object; its amounts
    /// are read in either form, see [`CardTransaction`]).
    pub transaction: CardTransaction,
    /// The `data` object as sent (`Debug` shows only its field names).
    pub raw: RawPayload,
}

#[cfg(feature = "server")]
impl CardTransactionData {
    /// The data of a `CARD_TRANSACTION` event a server sends (feature
    /// `server`): the transaction, and as `raw` its wire form, as a client
    /// that decodes the event keeps it.
    pub fn new(transaction: CardTransaction) -> Self {
        let raw = serde_json::to_value(&transaction).unwrap_or(Value::Null);
        Self {
            transaction,
            raw: RawPayload(raw),
        }
    }
}

/// Writes the transaction's wire form (feature `server`).
#[cfg(feature = "server")]
impl serde::Serialize for CardTransactionData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.transaction.serialize(s)
    }
}

impl<'de> Deserialize<'de> for CardTransactionData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Self {
            transaction: <CardTransaction as Deserialize>::deserialize(d)?,
            raw: RawPayload::default(),
        })
    }
}

/// `CARD_STATUS_UPDATE` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardStatusData {
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Masked card number.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// The new status.
    #[serde(default)]
    pub status: Option<CardStatus>,
    /// The card holder.
    #[serde(default)]
    pub card_holder_id: Option<String>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(CardStatusData);

/// `CARD_PIN_RETRY_LIMIT` data: which card.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardRefData {
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Masked card number.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(CardRefData);

/// Data of the code events (`THREE_DS_VERIFICATION_CODE`,
/// `CARD_TOKEN_OTP_CODE`, `CARD_VERIFICATION_CODE`). The code and the raw
/// object are secrets.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct VerificationCodeData {
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Masked card number.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// The merchant asking, when given.
    #[serde(default)]
    pub merchant_name: Option<String>,
    /// The code, read from the first of `verification_code`, `otp_code`,
    /// `otp`, `code` that is present.
    #[serde(skip)]
    pub code: Option<SecretString>,
    /// The `data` object as sent, as JSON text.
    #[serde(skip)]
    pub raw: SecretString,
}

event_data!(VerificationCodeData);

impl EventData for VerificationCodeData {
    const SECRET: bool = true;
    fn keep_raw(&mut self, raw: Value) {
        self.code = secret_field(&raw, &["verification_code", "otp_code", "otp", "code"]);
        self.raw = SecretString::from(raw.to_string());
    }
}

/// `CARD_ACTIVATION_CODE` data. The code and the raw object are secrets.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ActivationCodeData {
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Masked card number.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// The activation code, from `activation_code` (or `code`); pass it to
    /// [`crate::cards::ActivateCard::new`].
    #[serde(skip)]
    pub activation_code: Option<SecretString>,
    /// The `data` object as sent, as JSON text.
    #[serde(skip)]
    pub raw: SecretString,
}

event_data!(ActivationCodeData);

impl EventData for ActivationCodeData {
    const SECRET: bool = true;
    fn keep_raw(&mut self, raw: Value) {
        self.activation_code = secret_field(&raw, &["activation_code", "code"]);
        self.raw = SecretString::from(raw.to_string());
    }
}

/// `PAYEE_ACCOUNT_ACTIVE` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayeeAccountData {
    /// The payee.
    #[serde(default)]
    pub payee_id: Option<String>,
    /// The account that became active.
    #[serde(default)]
    pub account_id: Option<String>,
    /// The account's payment method.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(PayeeAccountData);

/// `REMITTANCE_FAIL` / `REMITTANCE_COMPLETE` / `REMITTANCE_REVERSE` data:
/// the order, as the order list shows it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct RemittanceData {
    /// GSalary's order id.
    #[serde(default)]
    pub order_id: Option<String>,
    /// Your order id, as given to
    /// [`submit_order`](crate::remittance::Remittance::submit_order): find
    /// your payout by it.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// A request id, when GSalary sends one.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The order status (`SUCCESS`, `PROCESS_FAILED`, `FAILED`,
    /// `REVERSED`...; unknown values as `Other`).
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(RemittanceData);

/// `PAYEE_DEACTIVATED` data: `deactivate_payee_id` since 1.14, the older
/// `deactivated_payee_ids` still sent for compatibility. Use
/// [`PayeeDeactivatedData::payee_ids`] to read both.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PayeeDeactivatedData {
    /// The deactivated payee (1.14 on).
    #[serde(default)]
    pub deactivate_payee_id: Option<String>,
    /// The deactivated payees (before 1.14; an array, or a comma-separated string).
    #[serde(default, deserialize_with = "ids")]
    pub deactivated_payee_ids: Vec<String>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(PayeeDeactivatedData);

/// An event data's typed fields, written (`None` fields left out), as the
/// `raw` object a client that decodes the event keeps (feature `server`).
#[cfg(feature = "server")]
fn raw_of(written: serde_json::Result<Value>) -> RawPayload {
    match written {
        Ok(Value::Object(mut m)) => {
            m.retain(|_, v| !v.is_null());
            RawPayload(Value::Object(m))
        }
        _ => RawPayload::default(),
    }
}

#[cfg(feature = "server")]
impl CardStatusData {
    /// The data of a `CARD_STATUS_UPDATE` event a server sends (feature
    /// `server`), with its wire form as `raw`.
    pub fn new(
        card_id: impl Into<String>,
        mask_card_number: impl Into<String>,
        status: CardStatus,
        card_holder_id: impl Into<String>,
    ) -> Self {
        let mut d = Self {
            card_id: Some(card_id.into()),
            mask_card_number: Some(mask_card_number.into()),
            status: Some(status),
            card_holder_id: Some(card_holder_id.into()),
            raw: RawPayload::default(),
        };
        d.raw = raw_of(Self::serialize(&d, serde_json::value::Serializer));
        d
    }
}

#[cfg(feature = "server")]
impl ActivationCodeData {
    /// The data of a `CARD_ACTIVATION_CODE` event a server sends (feature
    /// `server`): the card and its `activation_code`, with the wire form as
    /// the (secret) `raw`.
    pub fn new(
        card_id: impl Into<String>,
        mask_card_number: impl Into<String>,
        activation_code: impl Into<String>,
    ) -> Self {
        let code: String = activation_code.into();
        let mut d = Self {
            card_id: Some(card_id.into()),
            mask_card_number: Some(mask_card_number.into()),
            activation_code: Some(SecretString::from(code.clone())),
            raw: SecretString::default(),
        };
        let mut raw = raw_of(Self::serialize(&d, serde_json::value::Serializer)).0;
        if let Value::Object(m) = &mut raw {
            m.insert("activation_code".into(), Value::String(code));
        }
        d.raw = SecretString::from(raw.to_string());
        d
    }
}

#[cfg(feature = "server")]
impl PayeeAccountData {
    /// The data of a `PAYEE_ACCOUNT_ACTIVE` event a server sends (feature
    /// `server`), with its wire form as `raw`.
    pub fn new(
        payee_id: impl Into<String>,
        account_id: impl Into<String>,
        payment_method: impl Into<String>,
    ) -> Self {
        let mut d = Self {
            payee_id: Some(payee_id.into()),
            account_id: Some(account_id.into()),
            payment_method: Some(payment_method.into()),
            raw: RawPayload::default(),
        };
        d.raw = raw_of(Self::serialize(&d, serde_json::value::Serializer));
        d
    }
}

#[cfg(feature = "server")]
impl RemittanceData {
    /// The data of a `REMITTANCE_*` event a server sends (feature `server`),
    /// with its wire form as `raw`; `request_id` is sent when given.
    pub fn new(
        order_id: impl Into<String>,
        client_order_id: impl Into<String>,
        request_id: Option<String>,
        status: OrderStatus,
    ) -> Self {
        let mut d = Self {
            order_id: Some(order_id.into()),
            client_order_id: Some(client_order_id.into()),
            request_id,
            status: Some(status),
            raw: RawPayload::default(),
        };
        d.raw = raw_of(Self::serialize(&d, serde_json::value::Serializer));
        d
    }
}

#[cfg(feature = "server")]
impl PayeeDeactivatedData {
    /// The data of a `PAYEE_DEACTIVATED` event a server sends (feature
    /// `server`): the payee in `deactivate_payee_id` and, for older
    /// readers, in `deactivated_payee_ids`; its wire form as `raw`.
    pub fn new(payee_id: impl Into<String>) -> Self {
        let id = payee_id.into();
        let mut d = Self {
            deactivate_payee_id: Some(id.clone()),
            deactivated_payee_ids: vec![id],
            raw: RawPayload::default(),
        };
        d.raw = raw_of(Self::serialize(&d, serde_json::value::Serializer));
        d
    }
}

impl PayeeDeactivatedData {
    /// Every deactivated payee id, from the new and the old field, without repeats.
    pub fn payee_ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let all = self
            .deactivate_payee_id
            .iter()
            .chain(self.deactivated_payee_ids.iter());
        for id in all.map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

fn ids<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    use serde::de::Error as _;
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s
            .split(',')
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(D::Error::custom("payee ids must be strings")),
            })
            .collect(),
        Some(_) => Err(D::Error::custom("expected an array of payee ids")),
    }
}

/// `ACQUIRING_PAYMENT_SUCCEED` / `ACQUIRING_PAYMENT_FAILED` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AcquiringPaymentData {
    /// Your payment request id.
    #[serde(default)]
    pub payment_request_id: Option<String>,
    /// GSalary's payment id.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Payment method.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// Payment status.
    #[serde(default)]
    pub payment_status: Option<String>,
    /// Result message.
    #[serde(default)]
    pub payment_result_message: Option<String>,
    /// The amount paid.
    #[serde(default)]
    pub payment_amount: Option<Money>,
    /// The payment's result details; for a CardAutoDebit first payment, the
    /// `card_token` that pays the next ones.
    #[serde(default)]
    pub payment_result_info: Option<PaymentResultInfo>,
    /// The `data` object as sent, as JSON text (it may hold the card token).
    #[serde(skip)]
    pub raw: SecretString,
}

event_data!(AcquiringPaymentData, reshape = reshape_payment);

/// The page does not say whether a notification's amount is
/// `{currency, amount}` or a bare amount beside a currency field: both are
/// read (the currency from `<name>_currency`, else `currency`).
fn reshape_payment(fields: &mut crate::answer::Fields) {
    crate::answer::join_money(fields, "payment_amount", &["payment_currency", "currency"]);
}

fn reshape_refund(fields: &mut crate::answer::Fields) {
    crate::answer::join_money(fields, "refund_amount", &["refund_currency", "currency"]);
}

fn reshape_capture(fields: &mut crate::answer::Fields) {
    crate::answer::join_money(fields, "capture_amount", &["capture_currency", "currency"]);
}

/// `payment_result_info` of an acquiring payment notification.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PaymentResultInfo {
    /// The card token for later CardAutoDebit payments
    /// ([`PayWithToken`](crate::acquiring::PayWithToken)'s
    /// `payment_method_id`). A secret: redacted in `Debug`.
    #[serde(default)]
    pub card_token: Option<SecretString>,
    /// Every other field, as sent (values not shown by `Debug`).
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, RawValue>,
}

/// One JSON value of an answer or notification kept as received; `Debug`
/// does not show it.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct RawValue(pub Value);

impl std::fmt::Debug for RawValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawValue(..)")
    }
}

impl EventData for AcquiringPaymentData {
    const SECRET: bool = true;
    fn keep_raw(&mut self, raw: Value) {
        self.raw = SecretString::from(raw.to_string());
    }
}

/// `ACQUIRING_REFUND_SUCCEED` / `ACQUIRING_REFUND_FAILED` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AcquiringRefundData {
    /// Your refund request id.
    #[serde(default)]
    pub refund_request_id: Option<String>,
    /// GSalary's refund id.
    #[serde(default)]
    pub refund_id: Option<String>,
    /// The payment refunded.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Your request id of the payment refunded.
    #[serde(default)]
    pub payment_request_id: Option<String>,
    /// The amount refunded.
    #[serde(default)]
    pub refund_amount: Option<Money>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(AcquiringRefundData, reshape = reshape_refund);

/// `ACQUIRING_CAPTURE_SUCCEED` / `ACQUIRING_CAPTURE_FAILED` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AcquiringCaptureData {
    /// Your capture request id.
    #[serde(default)]
    pub capture_request_id: Option<String>,
    /// GSalary's capture id.
    #[serde(default)]
    pub capture_id: Option<String>,
    /// The payment captured.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Your request id of the payment captured.
    #[serde(default)]
    pub payment_request_id: Option<String>,
    /// The amount captured.
    #[serde(default)]
    pub capture_amount: Option<Money>,
    /// The `data` object as sent (`Debug` shows only its field names).
    #[serde(skip)]
    pub raw: RawPayload,
}

event_data!(AcquiringCaptureData, reshape = reshape_capture);

walletbridge_core::open_enum! {
    /// Whether an `ACQUIRING_AUTH_TOKEN` notification grants tokens or says
    /// the buyer's authorization was cancelled.
    pub enum AuthTokenState {
        /// The buyer authorized: the tokens are in the notification.
        Granted = "GRANTED",
        /// The authorization was cancelled (by the buyer, or by
        /// [`revoke_token`](crate::acquiring::Acquiring::revoke_token)).
        Cancelled = "CANCELLED",
    }
}

/// `ACQUIRING_AUTH_TOKEN` data. Tokens and the raw object are secrets.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AuthTokenData {
    /// Granted or cancelled. The page names both notifications but not the
    /// field: read from the first of `auth_status`, `token_status`,
    /// `status`, `auth_type`, `event_type` that is present (`GRANT*`,
    /// `AUTHORI*`, `SUCCESS`, `ACTIVE` mean granted; `CANCEL*`, `REVOKE*`,
    /// `INVALID*`, `EXPIRE*` cancelled; anything else is kept as `Other`);
    /// without one, granted when an `access_token` is present, else cancelled.
    #[serde(skip, default = "granted")]
    pub state: AuthTokenState,
    /// Your `auth_state` from the first payment session, when sent back.
    #[serde(default)]
    pub auth_state: Option<String>,
    /// The authorization request this answers, when given.
    #[serde(default)]
    pub auth_request_id: Option<String>,
    /// Payment method authorized.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The access token, from `access_token`.
    #[serde(skip)]
    pub access_token: Option<SecretString>,
    /// The refresh token, from `refresh_token`.
    #[serde(skip)]
    pub refresh_token: Option<SecretString>,
    /// When the access token expires.
    #[serde(default)]
    pub access_token_expiry_time: Option<WireTime>,
    /// When the refresh token expires.
    #[serde(default)]
    pub refresh_token_expiry_time: Option<WireTime>,
    /// The `data` object as sent, as JSON text.
    #[serde(skip)]
    pub raw: SecretString,
}

event_data!(AuthTokenData);

fn granted() -> AuthTokenState {
    AuthTokenState::Granted
}

/// Reads the grant/cancel state of an `ACQUIRING_AUTH_TOKEN` data object.
fn auth_token_state(raw: &Value) -> AuthTokenState {
    let said = [
        "auth_status",
        "token_status",
        "status",
        "auth_type",
        "event_type",
    ]
    .iter()
    .find_map(|k| raw.get(*k).and_then(Value::as_str));
    match said.map(str::to_ascii_uppercase) {
        Some(s)
            if s.starts_with("GRANT")
                || s.starts_with("AUTHORI")
                || s == "SUCCESS"
                || s == "ACTIVE" =>
        {
            AuthTokenState::Granted
        }
        Some(s)
            if s.starts_with("CANCEL")
                || s.starts_with("REVOKE")
                || s.starts_with("INVALID")
                || s.starts_with("EXPIRE") =>
        {
            AuthTokenState::Cancelled
        }
        Some(s) => AuthTokenState::Other(s),
        None if raw.get("access_token").and_then(Value::as_str).is_some() => {
            AuthTokenState::Granted
        }
        None => AuthTokenState::Cancelled,
    }
}

impl EventData for AuthTokenData {
    const SECRET: bool = true;
    fn keep_raw(&mut self, raw: Value) {
        self.state = auth_token_state(&raw);
        self.access_token = secret_field(&raw, &["access_token"]);
        self.refresh_token = secret_field(&raw, &["refresh_token"]);
        self.raw = SecretString::from(raw.to_string());
    }
}

plain_raw!(
    CardTransactionData,
    CardStatusData,
    CardRefData,
    PayeeAccountData,
    RemittanceData,
    PayeeDeactivatedData,
    AcquiringRefundData,
    AcquiringCaptureData
);
