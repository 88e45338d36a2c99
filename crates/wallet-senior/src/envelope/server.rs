//! The provider's side of the envelope (feature `server`): reading a request
//! form, writing answers.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use walletbridge_core::SecretString;
use walletbridge_core::date::{CHINA, UtcOffset};

use super::{ACCESS_TOKEN, SIGN, TIMESTAMP};
use crate::wire;

/// The code of a successful answer (`1001`).
pub const SUCCESS_CODE: i64 = 1001;

/// A request's form body as the server received it: every pair in order,
/// percent-decoded, with readers for the envelope fields (`access_token`,
/// `timestamp`, `sign`) and [`decode`](Self::decode) for the call's own
/// fields. Parsing never fails: invalid escapes and invalid UTF-8 are kept
/// or replaced as the form standard says.
///
/// ```
/// use walletbridge_wallet_senior::envelope::RequestForm;
/// use walletbridge_wallet_senior::order::OrderQuery;
/// let form = RequestForm::parse(b"access_token=tok&order_no=W1&timestamp=1704067200&sign=ab");
/// assert_eq!(form.timestamp(), Some(1_704_067_200));
/// assert_eq!(form.sign(), Some("ab"));
/// let query: OrderQuery = form.decode().unwrap();
/// assert_eq!(query, OrderQuery::new("W1"));
/// let err = RequestForm::parse(b"access_token=tok").decode::<OrderQuery>().unwrap_err();
/// assert!(err.to_string().contains("order_no"), "{err}");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RequestForm {
    params: Vec<(String, String)>,
}

impl fmt::Debug for RequestForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token and the call's fields (codes, card numbers) stay out of logs.
        let names: Vec<&str> = self.params.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RequestForm")
            .field("fields", &names)
            .finish()
    }
}

impl RequestForm {
    /// Reads a form body (`application/x-www-form-urlencoded`).
    pub fn parse(body: &[u8]) -> Self {
        Self {
            params: walletbridge_core::form::parse(body),
        }
    }

    /// Every pair, in the order received (what a
    /// [`SandboxHmacSigner`](crate::SandboxHmacSigner) or your deployment's
    /// verifier checks the `sign` over).
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The first value of the field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        walletbridge_core::form::get(&self.params, name)
    }

    /// The application token (`access_token`), if sent.
    pub fn access_token(&self) -> Option<SecretString> {
        self.get(ACCESS_TOKEN)
            .map(|t| SecretString::new(t.to_owned()))
    }

    /// The attempt's unix seconds (`timestamp`), if sent as an integer.
    pub fn timestamp(&self) -> Option<i64> {
        self.get(TIMESTAMP).and_then(|t| t.trim().parse().ok())
    }

    /// The request's `sign`, if sent.
    pub fn sign(&self) -> Option<&str> {
        self.get(SIGN)
    }

    /// The call's fields as `T` (a request type of this crate:
    /// [`CreateRecharge`](crate::recharge::CreateRecharge),
    /// [`CreateCollect`](crate::collect::CreateCollect)...), reading local
    /// times (`collect_req.expire_time`) at +08:00. Fields `T` does not know
    /// (the envelope's among them) are ignored. A missing or malformed field
    /// is a [`FormError`] that names it.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, FormError> {
        self.decode_at(CHINA)
    }

    /// [`decode`](Self::decode), reading local times at `offset` (the
    /// offset the client was configured with).
    pub fn decode_at<T: DeserializeOwned>(&self, offset: UtcOffset) -> Result<T, FormError> {
        let pairs = self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let de = serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs);
        wire::with_offset(offset, || serde_path_to_error::deserialize(de)).map_err(|e| {
            let path = e.path().to_string();
            FormError {
                field: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            }
        })
    }

    /// The whole request: the envelope fields, each required, and the
    /// call's fields as `T` (see [`decode`](Self::decode)).
    pub fn decode_signed<T: DeserializeOwned>(&self) -> Result<SignedRequest<T>, FormError> {
        let missing = |field: &str| FormError {
            field: field.to_owned(),
            message: "missing".to_owned(),
        };
        let access_token = self.access_token().ok_or_else(|| missing(ACCESS_TOKEN))?;
        let Some(text) = self.get(TIMESTAMP) else {
            return Err(missing(TIMESTAMP));
        };
        let timestamp = self.timestamp().ok_or_else(|| FormError {
            field: TIMESTAMP.to_owned(),
            message: format!("`{text}` is not unix seconds"),
        })?;
        let sign = self.sign().ok_or_else(|| missing(SIGN))?.to_owned();
        Ok(SignedRequest {
            access_token,
            timestamp,
            sign,
            request: self.decode()?,
        })
    }
}

/// A request with its envelope, as [`RequestForm::decode_signed`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedRequest<T> {
    /// The application token (`access_token`).
    pub access_token: SecretString,
    /// The attempt's unix seconds (`timestamp`).
    pub timestamp: i64,
    /// The sign (`sign`), as sent.
    pub sign: String,
    /// The call's own fields.
    pub request: T,
}

/// A request form field that is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormError {
    /// The field, as on the wire (`amount`, `collect_req`); empty when the
    /// message names it (`missing field `card_id``).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for FormError {}

/// The answer envelope as the server writes it: `msg` always, `data` only
/// when there is one (absent fields are omitted, not null).
#[derive(Serialize)]
struct Envelope<'a, T: ?Sized> {
    code: i64,
    msg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a T>,
}

/// A successful answer carrying `data` (one of the crate's answer models:
/// [`WalletOrder`](crate::WalletOrder),
/// [`CollectAnswer`](crate::models::CollectAnswer)...):
/// `{"code":1001,"msg":"","data":{...}}`, with times written
/// `yyyy-MM-dd HH:mm:ss` at +08:00.
///
/// ```
/// use walletbridge_wallet_senior::envelope::encode_success;
/// use walletbridge_wallet_senior::{Fen, WalletOrder};
/// let mut order = WalletOrder::default();
/// order.amount = Some(Fen(100));
/// let body = encode_success(&order).unwrap();
/// assert_eq!(body, br#"{"code":1001,"msg":"","data":{"amount":100}}"#);
/// ```
pub fn encode_success<T: Serialize + ?Sized>(data: &T) -> serde_json::Result<Vec<u8>> {
    encode_success_at(data, CHINA)
}

/// [`encode_success`], writing local times at `offset`.
pub fn encode_success_at<T: Serialize + ?Sized>(
    data: &T,
    offset: UtcOffset,
) -> serde_json::Result<Vec<u8>> {
    wire::with_offset(offset, || {
        serde_json::to_vec(&Envelope {
            code: SUCCESS_CODE,
            msg: "",
            data: Some(data),
        })
    })
}

/// A successful answer without data, as `sms_confirm` and `sms_retry`
/// answer: `{"code":1001,"msg":""}`.
pub fn encode_ack() -> Vec<u8> {
    encode_error(SUCCESS_CODE, "")
}

/// An error answer: `{"code":code,"msg":msg}`. The page documents no error
/// codes; any code but 1001 is an error to the client, and `msg` is what it
/// reports.
///
/// ```
/// use walletbridge_wallet_senior::envelope::encode_error;
/// assert_eq!(encode_error(1007, "余额不足"), r#"{"code":1007,"msg":"余额不足"}"#.as_bytes());
/// ```
pub fn encode_error(code: i64, msg: &str) -> Vec<u8> {
    let envelope: Envelope<'_, ()> = Envelope {
        code,
        msg,
        data: None,
    };
    // An integer and a string always serialize.
    serde_json::to_vec(&envelope).unwrap_or_default()
}
