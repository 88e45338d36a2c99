//! Decoding merchant wallet answers: `{"code":1|0,"msg":"...","data":...}`.
//!
//! - `code` 1 is success and `data` holds the answer; `code` 0 is the
//!   provider's refusal with `msg`; `data` may be absent, an object or a bare
//!   string (`"error"`). A `code` the notes do not name is an error whose
//!   outcome is unknown.
//! - HTTP 401 is an authentication error whatever the body says (a dead or
//!   invalid token answers 401 with `code` 0).
//! - Other statuses: the envelope's code and message when there is one (a
//!   5xx or a 3xx may have been acted on), else an HTTP error with a snippet
//!   (a gateway's HTML page).
//!
//! The platform signs nothing: an answer is trusted as it comes, over TLS.
//! Amounts are read from the answer's text, never through a float: the body
//! is decoded straight into the typed model.
//!
//! With the `server` feature, this module also writes the envelope from the
//! platform's side, for simulators and test servers: `encode_success`,
//! `encode_error`, `encode_unauthorized` (the body of the HTTP 401) and
//! `encode_order_status` (the public order status's own combinations).
//!
#![cfg_attr(feature = "server", doc = "```")]
#![cfg_attr(not(feature = "server"), doc = "```ignore")]
//! use walletbridge_merchant_wallet::envelope;
//! use walletbridge_merchant_wallet::wallet::UserBalance;
//! use walletbridge_merchant_wallet::Decimal;
//!
//! let balance = UserBalance::new(Decimal::new(100000, 2), Decimal::ZERO, Decimal::new(20000, 2));
//! let body = envelope::encode_success("获取成功", &balance).unwrap();
//! assert_eq!(
//!     String::from_utf8(body).unwrap(),
//!     r#"{"code":1,"msg":"获取成功","data":{"money":"1000.00","freeze_money":"0","deposit_money":"200.00"}}"#
//! );
//! assert_eq!(envelope::encode_error("账号或密码错误"), r#"{"code":0,"msg":"账号或密码错误"}"#.as_bytes());
//! ```

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use serde_json::value::RawValue;
use walletbridge_core::{ApiError, Error, HttpResponse, Result};

/// The envelope of a 2xx answer, before its `data` is read.
pub(crate) struct Head {
    pub code: i64,
    pub msg: String,
    /// `data` as its JSON text; `None` when absent or null.
    pub data: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct Wire {
    code: Code,
    #[serde(default)]
    msg: Option<Value>,
    #[serde(default)]
    data: Option<Box<RawValue>>,
}

/// `code` as a number or a string of digits.
struct Code(i64);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .map(Code)
                .ok_or_else(|| serde::de::Error::custom("`code` is not an integer")),
            Value::String(s) => s
                .trim()
                .parse()
                .map(Code)
                .map_err(|_| serde::de::Error::custom("`code` is not an integer")),
            _ => Err(serde::de::Error::custom("`code` is not an integer")),
        }
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Data<T> {
    data: Option<T>,
}

/// Reads the envelope. Errors: a 401, a body that is not the envelope, and
/// any non-2xx status. A 2xx envelope is returned whatever its `code`.
pub(crate) fn read_head(resp: &HttpResponse, sensitive: bool) -> Result<Head> {
    if resp.status == 401 {
        return Err(Error::authentication(
            401,
            provider_message(&resp.body).unwrap_or_default(),
        ));
    }
    if serde_json::from_slice::<IgnoredAny>(&resp.body).is_err() {
        // Not JSON: a gateway page, an empty or cut body. The status speaks;
        // the executor marks a write's 2xx, 3xx and 5xx as outcome unknown.
        return Err(Error::http(resp.status, shown(&resp.body, sensitive)));
    }
    let wire: Wire = match parse(&resp.body, sensitive) {
        Ok(w) => w,
        Err(e) if resp.is_success() => return Err(e),
        Err(_) => return Err(Error::http(resp.status, shown(&resp.body, sensitive))),
    };
    let head = Head {
        code: wire.code.0,
        msg: match wire.msg {
            Some(Value::String(s)) => s,
            None | Some(Value::Null) => String::new(),
            Some(other) => other.to_string(),
        },
        data: wire.data,
    };
    if !resp.is_success() {
        let status = resp.status;
        // 5xx, 408, 423 (busy) and 429: the core's one list.
        let transient = walletbridge_core::error::is_transient_status(status);
        // A 5xx may come after the platform acted; a 3xx is never followed.
        let unknown = !(400..500).contains(&status);
        return Err(api_error(&head, status)
            .retryable(transient)
            .into_error(unknown));
    }
    Ok(head)
}

/// Decodes one answer: `data` of a `code` 1 envelope into `T`.
pub(crate) fn decode<T: DeserializeOwned>(resp: &HttpResponse, sensitive: bool) -> Result<T> {
    let head = read_head(resp, sensitive)?;
    match head.code {
        1 => {
            let body: Data<T> = parse(&resp.body, sensitive)?;
            match body.data {
                Some(data) => Ok(data),
                // No `data`: fine for an answer that carries nothing.
                None => T::deserialize(Value::Null)
                    .map_err(|_| Error::decode("data", "missing", shown(&resp.body, sensitive))),
            }
        }
        0 => Err(api_error(&head, resp.status).into_error(false)),
        // A code the notes do not name: the platform may have acted.
        _ => Err(api_error(&head, resp.status).into_error(true)),
    }
}

/// The provider's refusal: `code`, `msg`, and `data` when it is a bare string.
pub(crate) fn api_error(head: &Head, status: u16) -> ApiBuilder {
    let data = head
        .data
        .as_ref()
        .and_then(|d| serde_json::from_str::<String>(d.get()).ok());
    ApiBuilder(
        ApiError::new(head.code.to_string(), head.msg.clone(), status)
            .detail("data", data.as_deref()),
    )
}

/// An [`ApiError`] on its way to an [`Error`].
pub(crate) struct ApiBuilder(ApiError);

impl ApiBuilder {
    fn retryable(self, yes: bool) -> Self {
        Self(self.0.retryable(yes))
    }

    pub(crate) fn into_error(self, outcome_unknown: bool) -> Error {
        Error::api(self.0).with_outcome_unknown(outcome_unknown)
    }
}

/// The `msg` of a JSON body, for a 401's error.
fn provider_message(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Msg {
        msg: Option<String>,
    }
    serde_json::from_slice::<Msg>(body).ok().and_then(|m| m.msg)
}

/// The body to quote in an error: nothing on a sensitive call.
fn shown(body: &[u8], sensitive: bool) -> &[u8] {
    if sensitive { b"" } else { body }
}

/// Parses JSON, reporting the path of the field that failed. On a sensitive
/// call (login) the error quotes no value and no body.
pub(crate) use walletbridge_core::error::parse_json as parse;

/// `code` of a success.
#[cfg(feature = "server")]
pub const CODE_SUCCESS: i64 = 1;

/// `code` of a refusal (and of the 401 answer).
#[cfg(feature = "server")]
pub const CODE_ERROR: i64 = 0;

/// The HTTP status of the answer to a missing, invalid or expired token;
/// its body is [`encode_unauthorized`].
#[cfg(feature = "server")]
pub const UNAUTHORIZED_STATUS: u16 = 401;

/// The envelope as the platform writes it: `code`, `msg`, then `data` when
/// there is one.
#[cfg(feature = "server")]
#[derive(serde::Serialize)]
struct Out<'a, T: serde::Serialize + ?Sized> {
    code: i64,
    msg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a T>,
}

#[cfg(feature = "server")]
fn encode<T: serde::Serialize + ?Sized>(
    code: i64,
    msg: &str,
    data: Option<&T>,
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Out { code, msg, data })
}

/// A success (feature `server`): `{"code":1,"msg":<msg>,"data":<data>}`,
/// as HTTP 200. `data` is one of the crate's answer models (or `()` for
/// `null`). Fails only when `data` cannot be written as JSON.
#[cfg(feature = "server")]
pub fn encode_success<T: serde::Serialize + ?Sized>(
    msg: &str,
    data: &T,
) -> serde_json::Result<Vec<u8>> {
    encode(CODE_SUCCESS, msg, Some(data))
}

/// A refusal (feature `server`): `{"code":0,"msg":<msg>}`, which the
/// platform sends as HTTP 200 (or with a 404, 423 or 5xx status).
#[cfg(feature = "server")]
pub fn encode_error(msg: &str) -> Vec<u8> {
    encode::<()>(CODE_ERROR, msg, None).unwrap_or_default()
}

/// A refusal that carries `data` (feature `server`):
/// `{"code":0,"msg":<msg>,"data":<data>}`, such as the page's
/// `"data":"error"`. Fails only when `data` cannot be written as JSON.
#[cfg(feature = "server")]
pub fn encode_error_with_data<T: serde::Serialize + ?Sized>(
    msg: &str,
    data: &T,
) -> serde_json::Result<Vec<u8>> {
    encode(CODE_ERROR, msg, Some(data))
}

/// The body of the answer to a missing, invalid or expired token (feature
/// `server`): `{"code":0,"msg":<msg>}`, sent with HTTP
/// [`UNAUTHORIZED_STATUS`] (401). The client reads any 401 as an
/// authentication error carrying `msg`, and logs in again once when it can.
#[cfg(feature = "server")]
pub fn encode_unauthorized(msg: &str) -> Vec<u8> {
    encode_error(msg)
}

/// The public order status's answer (feature `server`), as the page shows
/// it, always HTTP 200:
///
/// | status | answer |
/// |---|---|
/// | [`Paid`](crate::pay::OrderStatus::Paid) | `{"code":1,"msg":"订单已支付","data":{"status":1}}` |
/// | [`Closed`](crate::pay::OrderStatus::Closed) | `{"code":0,"msg":"订单超时已关闭","data":{"status":2}}` |
/// | [`Refunded`](crate::pay::OrderStatus::Refunded) | `{"code":0,"msg":"订单已退款","data":{"status":3}}` |
/// | [`NotFound`](crate::pay::OrderStatus::NotFound) | `{"code":0,"msg":"订单不存在","data":"error"}` |
/// | [`Unpaid`](crate::pay::OrderStatus::Unpaid) | `{"code":0,"msg":"订单未支付","data":{"status":0}}` (*inferred*: not on the page) |
/// | [`Other`](crate::pay::OrderStatus::Other) | `{"code":0,"msg":<message>,"data":{"status":<status>}}` |
#[cfg(feature = "server")]
pub fn encode_order_status(status: &crate::pay::OrderStatus) -> Vec<u8> {
    use crate::pay::OrderStatus;
    #[derive(serde::Serialize)]
    struct Status {
        status: i64,
    }
    let (code, msg, n) = match status {
        OrderStatus::Paid => (CODE_SUCCESS, "订单已支付", 1),
        OrderStatus::Closed => (CODE_ERROR, "订单超时已关闭", 2),
        OrderStatus::Refunded => (CODE_ERROR, "订单已退款", 3),
        OrderStatus::Unpaid => (CODE_ERROR, "订单未支付", 0),
        OrderStatus::Other { status, message } => (CODE_ERROR, message.as_str(), *status),
        OrderStatus::NotFound => {
            return encode(CODE_ERROR, "订单不存在", Some("error")).unwrap_or_default();
        }
    };
    encode(code, msg, Some(&Status { status: n })).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use walletbridge_core::ErrorKind;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body.as_bytes().to_vec())
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct X {
        a: i64,
    }

    #[test]
    fn code_one_returns_data() {
        let x: X = decode(&resp(200, r#"{"code":1,"msg":"ok","data":{"a":7}}"#), false).unwrap();
        assert_eq!(x, X { a: 7 });
        let x: X = decode(&resp(200, r#"{"code":"1","data":{"a":8}}"#), false).unwrap();
        assert_eq!(x.a, 8);
        // Absent data is fine for an answer that carries nothing, not for one that does.
        let () = decode(&resp(200, r#"{"code":1,"msg":"ok"}"#), false).unwrap();
        let e = decode::<X>(&resp(200, r#"{"code":1,"msg":"ok"}"#), false).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Decode { path, .. } if path == "data"),
            "{e}"
        );
    }

    #[test]
    fn code_zero_is_an_api_error_with_msg_and_bare_string_data() {
        let e = decode::<X>(
            &resp(200, r#"{"code":0,"msg":"余额不足","data":"error"}"#),
            false,
        )
        .unwrap_err();
        let api = e.api_error().unwrap();
        assert_eq!((api.code.as_str(), api.message.as_str()), ("0", "余额不足"));
        assert_eq!(api.get_detail("data"), Some("error"));
        assert!(!e.is_retryable() && !e.is_outcome_unknown());
        let e =
            decode::<X>(&resp(200, r#"{"code":0,"msg":"x","data":{"a":1}}"#), false).unwrap_err();
        assert_eq!(e.code(), Some("0"));
        let e = decode::<X>(&resp(200, r#"{"code":7,"msg":"?"}"#), false).unwrap_err();
        assert!(e.is_outcome_unknown());
    }

    #[test]
    fn a_401_is_an_authentication_error_whatever_the_body() {
        for body in [
            r#"{"code":0,"msg":"登录已过期"}"#,
            r#"{"code":1,"data":{"a":1}}"#,
            "<html>",
            "",
        ] {
            let e = decode::<X>(&resp(401, body), false).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::Authentication { status: 401, .. }),
                "{e}"
            );
        }
        let e = decode::<X>(&resp(401, r#"{"code":0,"msg":"登录已过期"}"#), false).unwrap_err();
        assert_eq!(e.message(), Some("登录已过期"));
    }

    #[test]
    fn other_statuses() {
        let e = decode::<X>(&resp(502, "<html>bad gateway</html>"), false).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Http { status: 502, .. }),
            "{e}"
        );
        assert!(e.is_retryable());
        let e = decode::<X>(&resp(500, r#"{"code":0,"msg":"服务器错误"}"#), false).unwrap_err();
        assert_eq!(e.message(), Some("服务器错误"));
        assert!(e.is_retryable() && e.is_outcome_unknown());
        let e = decode::<X>(&resp(423, r#"{"code":0,"msg":"系统繁忙"}"#), false).unwrap_err();
        assert!(
            e.is_retryable() && !e.is_outcome_unknown(),
            "a busy server did nothing"
        );
        let e = decode::<X>(&resp(404, r#"{"code":0,"msg":"not found"}"#), false).unwrap_err();
        assert!(!e.is_retryable() && !e.is_outcome_unknown());
        let e = decode::<X>(&resp(200, "<html>ok</html>"), false).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Http { status: 200, .. }),
            "{e}"
        );
        let e = decode::<X>(&resp(200, r#"{"msg":"no code"}"#), false).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Decode { .. }), "{e}");
    }

    #[test]
    fn sensitive_errors_quote_nothing() {
        let body = r#"{"code":1,"data":{"a":"tok-secret-123"}}"#;
        let e = decode::<X>(&resp(200, body), true).unwrap_err();
        assert!(!format!("{e} {e:?}").contains("tok-secret-123"), "{e:?}");
    }
}
