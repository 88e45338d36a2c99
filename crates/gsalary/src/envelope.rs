//! Decoding GSalary answers: signature first, then the envelope.
//!
//! 2xx: `{"result":{"result":"S|F|U","code","message"},"data":{...}}`, signed.
//! Other statuses: `{"biz_result","error_code","message"}`, or whatever a
//! gateway put there (an HTML page), which becomes an HTTP error.
//!
//! What the client trusts (docs/gsalary.md, "What the client trusts"):
//!
//! - a 2xx answer only when its signature verifies over the call's own
//!   method and (unescaped) path, its signed time is within the tolerance of
//!   the clock, and every identifier of the call that it carries (`card_id`,
//!   `request_id`, `client_order_id`...) is the call's own;
//! - an error envelope is reported (code, message) but decides nothing
//!   unless it is signed: a 5xx to a write is outcome-unknown whatever it
//!   says, and an unsigned refusal of a call that moves money never settles
//!   it as failed.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use walletbridge_core::webhook::Tolerance;
use walletbridge_core::{ApiError, Error, HttpResponse, Result, SignatureProblem, Verifier};

use crate::signing;

/// Body fields that identify the call; an answer that carries one must carry
/// the request's value.
pub(crate) const ECHOED_IDS: &[&str] = &[
    "request_id",
    "client_order_id",
    "payment_request_id",
    "card_id",
    "card_holder_id",
    "payee_id",
    "payer_id",
    "order_id",
    "payment_id",
    "quote_id",
];

/// An identifier as text: a string, or a number written as one.
pub(crate) fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What an answer is checked against: the call it answers.
pub(crate) struct Expect<'a> {
    pub appid: &'a str,
    pub verifier: &'a dyn Verifier,
    pub method: &'a str,
    /// The path and query as signed (values unescaped).
    pub signed_path: &'a str,
    pub now_ms: i64,
    pub tolerance: Tolerance,
    /// Errors quote no value (card data, tokens).
    pub sensitive: bool,
    /// An unsigned refusal leaves the outcome unknown.
    pub moves_money: bool,
    /// `(field, value)` pairs of the call that an answer must echo unchanged.
    pub echo: &'a [(&'static str, String)],
}

#[derive(Deserialize)]
struct Head {
    result: ResultInfo,
}

#[derive(Deserialize)]
struct ResultInfo {
    result: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    biz_result: Option<String>,
    error_code: String,
    #[serde(default)]
    message: Option<String>,
}

/// Verifies and decodes one answer.
pub(crate) fn decode<T: DeserializeOwned>(expect: &Expect<'_>, resp: &HttpResponse) -> Result<T> {
    if !resp.is_success() {
        return Err(decode_error(expect, resp));
    }
    // Nothing from a 2xx answer is read before its signature verifies.
    let signed_at = signing::verify(
        expect.verifier,
        resp.header_value("authorization"),
        expect.method,
        expect.signed_path,
        expect.appid,
        &resp.body,
    )?;
    expect.tolerance.check(signed_at, expect.now_ms)?;
    let head: Head = parse(&resp.body, expect.sensitive)?;
    let code = head.result.code.unwrap_or_default();
    let message = head.result.message.unwrap_or_default();
    match head.result.result.as_str() {
        "S" => {
            let root: Value = parse(&resp.body, expect.sensitive)?;
            // No `data`: some pages print the fields beside `result`, and
            // some calls answer nothing at all. Read the whole body then.
            match root.get("data").filter(|d| !d.is_null()) {
                Some(data) => {
                    check_echo(expect, data)?;
                    let data: Data<T> = parse(&resp.body, expect.sensitive)?;
                    Ok(data.data)
                }
                None => {
                    check_echo(expect, &root)?;
                    parse(&resp.body, expect.sensitive)
                }
            }
        }
        "F" => Err(Error::api(
            ApiError::new(code, message, resp.status).detail("result", Some("F")),
        )),
        // `U`, and any letter this SDK does not know: the provider may have acted.
        other => Err(Error::api(
            ApiError::new(code, message, resp.status).detail("result", Some(other)),
        )
        .with_outcome_unknown(true)),
    }
}

/// An answer carrying one of the call's identifiers with another value was
/// meant for another call: it is refused, like a signature that does not match.
fn check_echo(expect: &Expect<'_>, data: &Value) -> Result<()> {
    let Value::Object(map) = data else {
        return Ok(());
    };
    for (field, sent) in expect.echo {
        if let Some(got) = map.get(*field).and_then(id_text)
            && got != *sent
        {
            let detail = if expect.sensitive {
                format!("the answer's `{field}` is not the request's")
            } else {
                format!("the answer's `{field}` is `{got}`, the request's `{sent}`")
            };
            return Err(Error::signature(
                SignatureProblem::Mismatch,
                format!("answer for another call: {detail}"),
            ));
        }
    }
    Ok(())
}

/// A non-2xx answer: the error envelope when there is one, else an HTTP error.
///
/// The envelope is trusted only when it carries a valid signature over the
/// call; otherwise its code and message are reported with the detail
/// `signature=unverified`, and the status alone decides: a 5xx (or 3xx) may
/// have been acted on; a refusal of a call that moves money stays
/// outcome-unknown unless signed.
fn decode_error(expect: &Expect<'_>, resp: &HttpResponse) -> Error {
    let Ok(body) = serde_json::from_slice::<ErrorBody>(&resp.body) else {
        let err = Error::http(resp.status, &resp.body);
        return if expect.moves_money && !(400..500).contains(&resp.status) {
            err.with_outcome_unknown(true)
        } else {
            err
        };
    };
    let verified = resp.header_value("authorization").is_some_and(|auth| {
        signing::verify(
            expect.verifier,
            Some(auth),
            expect.method,
            expect.signed_path,
            expect.appid,
            &resp.body,
        )
        .is_ok_and(|t| expect.tolerance.check(t, expect.now_ms).is_ok())
    });
    let status = resp.status;
    let busy_status = status == 423 || status == 429 || status >= 500;
    let busy_code = verified && body.error_code == "SYSTEM_BUSY";
    let api = ApiError::new(body.error_code, body.message.unwrap_or_default(), status)
        .retryable(busy_status || busy_code)
        .detail("biz_result", body.biz_result.as_deref())
        .detail("signature", (!verified).then_some("unverified"));
    let said_unknown = body.biz_result.as_deref() == Some("U");
    let unknown = if !(400..500).contains(&status) {
        // The provider may have failed (or redirected) after acting.
        true
    } else if verified {
        said_unknown
    } else {
        // An unsigned body may say "unknown" (more caution is harmless) but
        // never settles a money-moving call as failed.
        said_unknown || expect.moves_money
    };
    Error::api(api).with_outcome_unknown(unknown)
}

/// Parses JSON, reporting the path of the field that failed. On a sensitive
/// call the message never quotes a value.
pub(crate) use walletbridge_core::error::parse_json as parse;

/// The provider's side of the envelope: what GSalary writes. For simulators
/// and test servers (feature `server`).
#[cfg(feature = "server")]
mod server {
    use serde::Serialize;

    use crate::models::BizResult;

    /// An error code of the page's error table, with the HTTP status GSalary
    /// answers it with.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[non_exhaustive]
    pub struct ErrorCode {
        /// The `error_code` text (`"NOT_FOUND"`).
        pub code: &'static str,
        /// The HTTP status of the answer (404).
        pub status: u16,
    }

    macro_rules! codes {
        ($($name:ident = $status:expr, $doc:expr;)+) => {
            impl ErrorCode {
                $(#[doc = $doc]
                pub const $name: ErrorCode = ErrorCode { code: stringify!($name), status: $status };)+
                /// Every code of the page's error table.
                pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name),+];
            }
        };
    }

    codes! {
        SYSTEM_ERROR = 500, "`SYSTEM_ERROR` (500): system error (系统错误).";
        ADD_CARD_FAILED = 500, "`ADD_CARD_FAILED` (500): the card could not be opened.";
        CREATE_PAYEE_ACCOUNT_FAILED = 500, "`CREATE_PAYEE_ACCOUNT_FAILED` (500): the payee account could not be added.";
        UPDATE_PAYEE_ACCOUNT_FAILED = 500, "`UPDATE_PAYEE_ACCOUNT_FAILED` (500): the payee account could not be updated.";
        SYSTEM_BUSY = 423, "`SYSTEM_BUSY` (423): busy, retry later (系统繁忙).";
        NOT_FOUND = 404, "`NOT_FOUND` (404): no such object (or endpoint).";
        FORBIDDEN = 403, "`FORBIDDEN` (403): not allowed: unknown appid, bad signature.";
        BAD_REQUEST = 400, "`BAD_REQUEST` (400): the request is not well-formed.";
        MISSING_ARGUMENT = 400, "`MISSING_ARGUMENT` (400): a required argument is missing.";
        INVALID_ARGUMENT = 400, "`INVALID_ARGUMENT` (400): an argument is not valid.";
        INVALID_STATUS = 400, "`INVALID_STATUS` (400): the object's status does not allow it.";
        DUPLICATED = 400, "`DUPLICATED` (400): a repeated request.";
        QUOTE_EXPIRE = 400, "`QUOTE_EXPIRE` (400): the quote has expired.";
        ORDER_EXPIRE = 400, "`ORDER_EXPIRE` (400): the order has expired.";
        INSUFFICIENT_BALANCE = 400, "`INSUFFICIENT_BALANCE` (400): the balance is not enough.";
        RISK_REJECT = 400, "`RISK_REJECT` (400): a payment count limit is reached.";
        USER_AMOUNT_EXCEED_LIMIT = 400, "`USER_AMOUNT_EXCEED_LIMIT` (400): above the user's payment limit.";
        USER_BALANCE_NOT_ENOUGH = 400, "`USER_BALANCE_NOT_ENOUGH` (400): the payment method's balance is not enough.";
    }

    #[derive(Serialize)]
    struct ResultHead<'a> {
        result: &'a str,
        code: &'a str,
        message: &'a str,
    }

    #[derive(Serialize)]
    struct Success<'a, T: Serialize + ?Sized> {
        result: ResultHead<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        data: Option<&'a T>,
    }

    /// A 2xx answer's body: `{"result":{"result":"S","code":"SUCCESS",
    /// "message":"success"},"data":...}`, with no `data` when `data` is
    /// `None` (a call that answers nothing). Fails only when `data` does not
    /// serialize (an amount that cannot be written exactly).
    pub fn encode_success<T: Serialize + ?Sized>(data: Option<&T>) -> serde_json::Result<Vec<u8>> {
        encode_result(&BizResult::Success, "SUCCESS", "success", data)
    }

    /// A 2xx answer's body with another `result` letter, code and message:
    /// `F` (rejected) or `U` (unknown) in the success envelope, as the page
    /// allows.
    pub fn encode_result<T: Serialize + ?Sized>(
        result: &BizResult,
        code: &str,
        message: &str,
        data: Option<&T>,
    ) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&Success {
            result: ResultHead {
                result: result.as_str(),
                code,
                message,
            },
            data,
        })
    }

    #[derive(Serialize)]
    struct ErrorBody<'a> {
        biz_result: &'a str,
        error_code: &'a str,
        message: &'a str,
    }

    /// A non-2xx answer's body: `{"biz_result","error_code","message"}`.
    /// Send it with `code.status`. `biz_result` is `F` for a refusal, `U`
    /// when the outcome is unknown (a `SYSTEM_ERROR` after acting).
    pub fn encode_error(code: ErrorCode, message: &str, biz_result: &BizResult) -> Vec<u8> {
        encode_error_code(code.code, message, biz_result)
    }

    /// [`encode_error`] with any code text, for codes outside the page's table.
    pub fn encode_error_code(code: &str, message: &str, biz_result: &BizResult) -> Vec<u8> {
        let body = ErrorBody {
            biz_result: biz_result.as_str(),
            error_code: code,
            message,
        };
        // Three strings always serialize.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

#[cfg(feature = "server")]
pub use server::{ErrorCode, encode_error, encode_error_code, encode_result, encode_success};
