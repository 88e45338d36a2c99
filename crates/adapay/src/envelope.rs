//! Adapay's answer envelope. The client decodes it (signature first, then the
//! object, then whether it belongs to the call); with the `server` feature,
//! the `encode_` functions write it as Adapay does, for simulators and test
//! servers: `encode_success` and `encode_error` (signed, `{data,
//! signature}`) and `encode_unsigned_error` (a bare error object, as on a
//! 401 or from a gateway).
//!
//! Answers are `{"data":"<JSON text>","signature":"..."}`; the signature is
//! SHA1withRSA over the exact `data` string. Business errors sit inside
//! `data` (`status: failed`, `error_code`, `error_msg`, `error_type`,
//! `invalid_param`). 401 answers are unsigned by design. Anything that is not
//! JSON (a gateway's HTML page) becomes an HTTP error with a snippet.
//!
//! What the client trusts (docs/adapay.md, "What the client trusts"):
//!
//! - a signed answer only when its `object` is the one the call expects and
//!   its `order_no`, `app_id` and `member_id` (where it carries them) are the
//!   request's;
//! - a 5xx answer never decides a call: it is outcome-unknown for a write
//!   whatever its body says, and retryable for a read;
//! - an error body without a valid signature is reported (code and message,
//!   with the detail `signature=unverified`) but never settles a call as
//!   failed: for a write its outcome stays unknown.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use walletbridge_core::{ApiError, Error, HttpResponse, Result, SignatureProblem, Verifier};

use crate::signing;

/// The envelope as Adapay writes it, field for field.
#[derive(Serialize)]
struct Answer<'a> {
    data: &'a str,
    signature: &'a str,
}

/// `{"data":"<data>","signature":"<signature>"}`: the bytes of a signed answer.
pub(crate) fn answer_bytes(data: &str, signature: &str) -> Vec<u8> {
    // Two strings always serialize.
    serde_json::to_vec(&Answer { data, signature }).unwrap_or_default()
}

/// What an answer is checked against: the call it answers.
pub(crate) struct Expect<'a> {
    /// The platform key's verifier.
    pub verifier: &'a dyn Verifier,
    /// The `object` a successful answer must carry (`cash`, `account_balance`, `login`).
    pub object: &'static str,
    /// Whether a successful answer must name its `object` (the page marks it
    /// required) or may leave it out (answers the page does not show).
    pub object_required: bool,
    /// `(field, value)` pairs of the request that an answer carrying the field must echo.
    pub echo: &'a [(&'static str, String)],
    /// Errors quote no value of the answer (wallet login: token and sign).
    pub sensitive: bool,
}

/// Verifies and decodes one answer.
pub(crate) fn decode<T: DeserializeOwned>(expect: &Expect<'_>, resp: &HttpResponse) -> Result<T> {
    if resp.status == 401 {
        return Err(Error::authentication(
            401,
            unsigned_message(&resp.body, expect.sensitive),
        ));
    }
    let Ok(Value::Object(outer)) = serde_json::from_slice::<Value>(&resp.body) else {
        // Not the envelope: a gateway page, an empty body. On a non-2xx the
        // status alone speaks, and it never says that nothing happened; on a
        // 2xx to a write the executor marks the outcome unknown.
        return Err(untrusted(Error::http(resp.status, &resp.body), resp.status));
    };
    let signature = match outer.get("signature") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
        _ => None,
    };
    let data = match outer.get("data") {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let verified = match (data, signature) {
        (Some(d), Some(s)) => {
            signing::verify(expect.verifier, signing::data_signing_string(d), Some(s))
        }
        (_, None) => Err(Error::signature(
            SignatureProblem::Missing,
            "the answer carries no signature",
        )),
        (None, Some(_)) => Err(Error::decode(
            "data",
            "expected the signed `data` JSON text",
            shown(&resp.body, expect.sensitive),
        )),
    };
    if let Err(e) = verified {
        return Err(if resp.is_success() {
            e
        } else {
            unverified_error(&outer, data, resp.status, expect.sensitive)
        });
    }
    let data = data.unwrap_or_default();
    // Nothing inside `data` is read before its signature verifies (above).
    let head: Value = parse(data, expect.sensitive)?;
    let Value::Object(head) = head else {
        return Err(Error::decode(
            ".",
            "the signed `data` is not a JSON object",
            shown(data.as_bytes(), expect.sensitive),
        ));
    };
    check_binding(expect, &head)?;
    let text = |k: &str| match head.get(k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        _ => None,
    };
    let failed = text("status") == Some("failed");
    let code = text("error_code");
    if failed || code.is_some() {
        let api = ApiError::new(
            code.unwrap_or("failed"),
            text("error_msg").unwrap_or_default(),
            resp.status,
        )
        .retryable(walletbridge_core::error::is_transient_status(resp.status))
        .detail("error_type", text("error_type"))
        .detail("invalid_param", text("invalid_param"));
        // A signed refusal decides the call, unless it came with a 5xx: the
        // provider may have failed after acting.
        return Err(Error::api(api).with_outcome_unknown(resp.status >= 500));
    }
    if !resp.is_success() {
        return Err(untrusted(
            Error::http(resp.status, shown(data.as_bytes(), expect.sensitive)),
            resp.status,
        ));
    }
    if expect.object_required && text("object").is_none() {
        return Err(Error::signature(
            SignatureProblem::Mismatch,
            format!(
                "answer for another call: it names no `object`, the call expects `{}`",
                expect.object
            ),
        ));
    }
    parse(data, expect.sensitive)
}

/// A signed answer for another call (another object type, order, app or
/// member) is refused like a signature that does not match.
fn check_binding(expect: &Expect<'_>, head: &serde_json::Map<String, Value>) -> Result<()> {
    let mismatch = |detail: String| {
        Err(Error::signature(
            SignatureProblem::Mismatch,
            format!("answer for another call: {detail}"),
        ))
    };
    match head.get("object") {
        None | Some(Value::Null) => {}
        Some(Value::String(o)) if o == expect.object => {}
        Some(Value::String(o)) if o.is_empty() => {}
        Some(other) => {
            return mismatch(format!(
                "the answer is a `{}` object, the call expects `{}`",
                value_text(other, expect.sensitive),
                expect.object
            ));
        }
    }
    for (field, sent) in expect.echo {
        let got = match head.get(*field) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) if s.is_empty() => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => value_text(other, true),
        };
        if got != *sent {
            return mismatch(format!(
                "the answer's `{field}` is `{}`, the request's `{sent}`",
                if expect.sensitive { "[withheld]" } else { &got }
            ));
        }
    }
    Ok(())
}

fn value_text(v: &Value, sensitive: bool) -> String {
    match v {
        Value::String(s) if !sensitive => s.chars().take(64).collect(),
        Value::Number(n) if !sensitive => n.to_string(),
        _ => "[not a string]".to_owned(),
    }
}

/// An error for an answer that was not verified: the status alone decides.
/// A 2xx, 3xx or 5xx may have been acted on; so may a 4xx whose body nobody
/// vouches for. The executor keeps the mark only for calls that change
/// state, and a read that failed stays a plain failure.
fn untrusted(err: Error, status: u16) -> Error {
    err.with_outcome_unknown(status != 401)
}

/// A non-2xx JSON answer without a valid signature: its code and message are
/// reported with the detail `signature=unverified`, and it decides nothing.
fn unverified_error(
    outer: &serde_json::Map<String, Value>,
    data: Option<&str>,
    status: u16,
    sensitive: bool,
) -> Error {
    let inner: Option<Value> = data.and_then(|d| serde_json::from_str(d).ok());
    let fields = [inner.as_ref().and_then(Value::as_object), Some(outer)];
    let find = |keys: &[&str]| {
        fields.iter().flatten().find_map(|o| {
            keys.iter().find_map(|k| match o.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                _ => None,
            })
        })
    };
    let body = data.map(str::as_bytes).unwrap_or_default();
    let err = match find(&["error_code", "code"]) {
        Some(code) if !sensitive => {
            let api = ApiError::new(
                code,
                find(&["error_msg", "message", "msg"]).unwrap_or_default(),
                status,
            )
            .retryable(walletbridge_core::error::is_transient_status(status))
            .detail("error_type", find(&["error_type"]).as_deref())
            .detail("invalid_param", find(&["invalid_param"]).as_deref())
            .detail("signature", Some("unverified"));
            Error::api(api)
        }
        _ => Error::http(status, shown(body, sensitive)),
    };
    untrusted(err, status)
}

/// The message of an unsigned 401, for the error only: it is never handed to
/// the caller as data.
fn unsigned_message(body: &[u8], sensitive: bool) -> String {
    let from_json = serde_json::from_slice::<Value>(body).ok().and_then(|v| {
        let inner = match v.get("data") {
            Some(Value::String(s)) => serde_json::from_str(s).ok(),
            _ => None,
        };
        [inner.as_ref(), Some(&v)]
            .into_iter()
            .flatten()
            .find_map(|o| {
                ["error_msg", "message", "msg"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(|m| m.as_str()).map(str::to_owned))
            })
    });
    match from_json {
        Some(m) => m,
        None if sensitive => String::new(),
        None => walletbridge_core::error::snippet(body),
    }
}

/// The body to quote in an error: nothing on a sensitive call.
fn shown(body: &[u8], sensitive: bool) -> &[u8] {
    if sensitive { b"" } else { body }
}

/// Parses JSON text, reporting the path of the field that failed. On a
/// sensitive call the message never quotes a value.
pub(crate) fn parse<T: DeserializeOwned>(text: &str, sensitive: bool) -> Result<T> {
    walletbridge_core::error::parse_json(text.as_bytes(), sensitive)
}

#[cfg(feature = "server")]
mod server {
    use serde::{Deserialize, Serialize};
    use walletbridge_core::{Error, Result, Signer};

    use crate::models::Status;
    use crate::signing;

    /// Adapay's error object: what `data` holds when a call is refused
    /// (`status: failed` with `error_code`, `error_msg`, `error_type` and, for
    /// a parameter error, `invalid_param`), and the bare body of an unsigned
    /// refusal (HTTP 401, a busy or failing gateway). Absent fields are left
    /// out of the JSON.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct ErrorObject {
        /// The application's app_id, when the refusal names it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub app_id: Option<String>,
        /// The object the call was about (`cash`, `account_balance`, `login`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub object: Option<String>,
        /// `"true"` in prod mode, `"false"` in mock mode.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub prod_mode: Option<String>,
        /// Always [`Status::Failed`] when built with [`ErrorObject::new`].
        pub status: Status,
        /// The error code (`order_no_used`, `parameter_error`...).
        pub error_code: String,
        /// The error message.
        pub error_msg: String,
        /// The error type (`invalid_request_error`, `api_error`,
        /// `channel_error`, `card_error`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub error_type: Option<String>,
        /// The parameter at fault, for parameter errors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub invalid_param: Option<String>,
    }

    impl ErrorObject {
        /// A refusal (`status: failed`) with this code and message.
        pub fn new(error_code: impl Into<String>, error_msg: impl Into<String>) -> Self {
            Self {
                app_id: None,
                object: None,
                prod_mode: None,
                status: Status::Failed,
                error_code: error_code.into(),
                error_msg: error_msg.into(),
                error_type: None,
                invalid_param: None,
            }
        }

        /// Names the application's app_id.
        pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
            self.app_id = Some(app_id.into());
            self
        }

        /// Names the object the call was about (`cash`).
        pub fn object(mut self, object: impl Into<String>) -> Self {
            self.object = Some(object.into());
            self
        }

        /// Sets `prod_mode` (`"true"` or `"false"`).
        pub fn prod_mode(mut self, prod_mode: impl Into<String>) -> Self {
            self.prod_mode = Some(prod_mode.into());
            self
        }

        /// Sets the error type (`invalid_request_error`, `api_error`...).
        pub fn error_type(mut self, error_type: impl Into<String>) -> Self {
            self.error_type = Some(error_type.into());
            self
        }

        /// Names the parameter at fault.
        pub fn invalid_param(mut self, param: impl Into<String>) -> Self {
            self.invalid_param = Some(param.into());
            self
        }
    }

    fn to_text<T: Serialize + ?Sized>(data: &T) -> Result<String> {
        serde_json::to_string(data)
            .map_err(|e| Error::validation("data", format!("cannot be encoded: {e}")))
    }

    /// A signed answer as Adapay writes it: `data` is `value` as JSON text
    /// and `signature` is SHA1withRSA over that exact text with the platform
    /// key `platform` ([`signing::sign_answer`]):
    /// `{"data":"{\"object\":\"cash\",...}","signature":"..."}`.
    /// `value` is an answer model ([`Cash`](crate::models::Cash),
    /// [`AccountBalance`](crate::wallet::AccountBalance),
    /// [`WalletLogin`](crate::wallet::WalletLogin)).
    pub fn encode_success<T: Serialize + ?Sized>(
        platform: &dyn Signer,
        value: &T,
    ) -> Result<Vec<u8>> {
        let data = to_text(value)?;
        let signature = signing::sign_answer(platform, &data)?;
        Ok(super::answer_bytes(&data, &signature))
    }

    /// A signed refusal: the error object as `data`, signed like
    /// [`encode_success`]. Adapay sends it with HTTP 200 for business and
    /// parameter errors; the client reports it as an `Api` error with the
    /// code, the message and the details `error_type` and `invalid_param`.
    pub fn encode_error(platform: &dyn Signer, error: &ErrorObject) -> Result<Vec<u8>> {
        encode_success(platform, error)
    }

    /// An unsigned refusal: the error object alone, as JSON
    /// (`{"error_code":"unauthorized","error_msg":"...","status":"failed"}`),
    /// as on an HTTP 401 (unsigned by design) or from a busy or failing
    /// gateway. The client trusts it for nothing but the report.
    pub fn encode_unsigned_error(error: &ErrorObject) -> Vec<u8> {
        // Strings and an enum always serialize.
        serde_json::to_vec(error).unwrap_or_default()
    }
}

#[cfg(feature = "server")]
pub use server::{ErrorObject, encode_error, encode_success, encode_unsigned_error};
