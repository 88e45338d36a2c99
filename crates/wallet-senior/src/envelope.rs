//! The envelope around every call: the request's `access_token`,
//! `timestamp` and `sign` around the call's own form fields, and the
//! answer's `{"code","msg","data"}` around its data.
//!
//! Decoding an answer (what the client does):
//!
//! - `code` 1001 (a number or a string) on a 2xx answer: success; `data`
//!   is the answer (absent for the calls the server only acknowledges);
//! - any other `code`: an API error with the code and `msg`. On a 5xx it is
//!   retryable and, for a call that moves money, its outcome is unknown: the
//!   server may have failed after acting; on a 408, 423 or 429 it is
//!   retryable (a busy refusal, before the server acted);
//! - a body that is not the envelope (a gateway's HTML page, an empty body,
//!   JSON without `code`), or any 3xx: an HTTP error with a snippet of the
//!   body. The executor marks it outcome-unknown for a write on a 2xx, 3xx
//!   or 5xx, and retries it for a read on a 5xx.
//!
//! An answer that carries one of the call's own identifiers (`biz_no`,
//! `order_no`, `wallet_id`, at the top of `data` or in its `order`) with
//! another value was meant for another call: it is refused.
//!
//! Under the `server` feature, the provider's side: `RequestForm` reads a
//! request's form body (its `access_token`, `timestamp` and `sign`, and the
//! call's fields into the crate's request types), and the `encode_`
//! functions write the answers (`encode_success`, `encode_ack`,
//! `encode_error`) as the server writes them.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use walletbridge_core::date::UtcOffset;
use walletbridge_core::{ApiError, Error, HttpResponse, Result, SignatureProblem};

use crate::wire;

/// The success code.
pub(crate) const SUCCESS: &str = "1001";

/// The form field carrying the application token.
pub(crate) const ACCESS_TOKEN: &str = "access_token";
/// The form field carrying the unix seconds of the attempt.
pub(crate) const TIMESTAMP: &str = "timestamp";
/// The form field carrying the request's sign (always the last one sent).
pub(crate) const SIGN: &str = "sign";

/// What an answer is checked against: the call it answers.
pub(crate) struct Expect<'a> {
    /// `(field, value)` pairs of the request that an answer carrying the field must echo.
    pub echo: &'a [(&'static str, String)],
    /// The offset `yyyy-MM-dd HH:mm:ss` times are read at.
    pub offset: UtcOffset,
}

/// Decodes `data` of a successful answer into `T`.
pub(crate) fn decode<T: DeserializeOwned>(expect: &Expect<'_>, resp: &HttpResponse) -> Result<T> {
    let mut envelope = open(resp)?;
    let data = match envelope.remove("data") {
        None | Some(Value::Null) => {
            return Err(Error::decode(
                "data",
                "the answer carries no `data`",
                &resp.body,
            ));
        }
        Some(d) => d,
    };
    check_echo(expect, &data)?;
    wire::with_offset(expect.offset, || {
        serde_path_to_error::deserialize(&data).map_err(|e| {
            let path = match e.path().to_string() {
                p if p == "." => "data".to_owned(),
                p => format!("data.{p}"),
            };
            let inner = e.into_inner();
            Error::decode(path, inner.to_string(), &resp.body).with_source(inner)
        })
    })
}

/// Checks a successful answer of a call the server only acknowledges.
pub(crate) fn acknowledge(resp: &HttpResponse) -> Result<()> {
    open(resp).map(drop)
}

/// The envelope of a successful answer, or the error the answer is.
fn open(resp: &HttpResponse) -> Result<Map<String, Value>> {
    let not_envelope = || Error::http(resp.status, &resp.body);
    if (300..400).contains(&resp.status) {
        // No redirect is followed: the request may have been acted on before
        // the server pointed elsewhere.
        return Err(not_envelope());
    }
    let Ok(Value::Object(envelope)) = serde_json::from_slice::<Value>(&resp.body) else {
        return Err(not_envelope());
    };
    let code = match envelope.get("code") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        _ => return Err(not_envelope()),
    };
    if code != SUCCESS {
        let msg = match envelope.get("msg") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        // A 5xx may come after the server acted; a busy 423 or 429 is a
        // refusal before it, transient but not unknown.
        let transient = walletbridge_core::error::is_transient_status(resp.status);
        let api = ApiError::new(code, msg, resp.status).retryable(transient);
        return Err(Error::api(api).with_outcome_unknown(resp.status >= 500));
    }
    if !resp.is_success() {
        // A success code under an error status: the status decides.
        return Err(not_envelope());
    }
    Ok(envelope)
}

/// An identifier as text: a string, or a number written as one.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn check_echo(expect: &Expect<'_>, data: &Value) -> Result<()> {
    let Value::Object(map) = data else {
        return Ok(());
    };
    let order = match map.get("order") {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    for (field, sent) in expect.echo {
        for place in [Some(map), order].into_iter().flatten() {
            if let Some(got) = place.get(*field).and_then(id_text)
                && got != *sent
            {
                return Err(Error::signature(
                    SignatureProblem::Mismatch,
                    format!(
                        "answer for another call: the answer's `{field}` is `{got}`, the request's `{sent}`"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(feature = "server")]
mod server;
#[cfg(feature = "server")]
pub use server::*;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use walletbridge_core::ErrorKind;
    use walletbridge_core::date::CHINA;

    fn expect() -> Expect<'static> {
        Expect {
            echo: &[],
            offset: CHINA,
        }
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, body.as_bytes().to_vec())
    }

    #[test]
    fn codes() {
        let v: Value = decode(&expect(), &answer(200, r#"{"code":1001,"data":{"a":1}}"#)).unwrap();
        assert_eq!(v["a"], 1);
        assert!(acknowledge(&answer(200, r#"{"code":"1001","msg":""}"#)).is_ok());
        let err = acknowledge(&answer(200, r#"{"code":2001,"msg":"余额不足"}"#)).unwrap_err();
        assert_eq!(err.code(), Some("2001"));
        assert_eq!(err.message(), Some("余额不足"));
        assert!(!err.is_outcome_unknown() && !err.is_retryable());
        let err = acknowledge(&answer(502, r#"{"code":5000,"msg":"x"}"#)).unwrap_err();
        assert!(err.is_outcome_unknown() && err.is_retryable());
        for (status, body) in [
            (200, "<html>ok</html>"),
            (200, ""),
            (200, r#"{"msg":"no code"}"#),
            (200, "[1001]"),
            (502, "<html>bad gateway</html>"),
            (302, r#"{"code":1001}"#),
            (500, r#"{"code":1001}"#),
        ] {
            let err = acknowledge(&answer(status, body)).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Http { status: s, .. } if *s == status),
                "{status} {body}: {err}"
            );
        }
        let err = decode::<Value>(&expect(), &answer(200, r#"{"code":1001}"#)).unwrap_err();
        assert!(err.to_string().contains("`data`"), "{err}");
    }

    #[test]
    fn an_answer_for_another_call_is_refused() {
        let echo = [("biz_no", "B1".to_owned())];
        let e = Expect {
            echo: &echo,
            offset: CHINA,
        };
        let ok: Value =
            decode(&e, &answer(200, r#"{"code":1001,"data":{"biz_no":"B1"}}"#)).unwrap();
        assert_eq!(ok["biz_no"], "B1");
        let err = decode::<Value>(
            &e,
            &answer(200, r#"{"code":1001,"data":{"order":{"biz_no":"B2"}}}"#),
        )
        .unwrap_err();
        assert!(err.to_string().contains("another call"), "{err}");
    }

    #[test]
    fn decode_errors_name_the_field_under_data() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[serde(default, deserialize_with = "crate::wire::int")]
            #[allow(dead_code)]
            n: Option<i64>,
        }
        let err =
            decode::<T>(&expect(), &answer(200, r#"{"code":1001,"data":{"n":"x"}}"#)).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Decode { path, .. } if path == "data.n"),
            "{err}"
        );
    }
}
