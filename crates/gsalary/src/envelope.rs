//! Decoding GSalary answers: signature first, then the envelope.
//!
//! 2xx: `{"result":{"result":"S|F|U","code","message"},"data":{...}}`, signed.
//! Other statuses: `{"biz_result","error_code","message"}`, or whatever a
//! gateway put there (an HTML page), which becomes an HTTP error.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use walletbridge_core::{ApiError, Error, HttpRequest, HttpResponse, Result, Verifier};

use crate::signing;

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

/// Whether an answer has a non-null `data`.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    data: Option<serde::de::IgnoredAny>,
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
pub(crate) fn decode<T: DeserializeOwned>(
    appid: &str,
    verifier: &dyn Verifier,
    req: &HttpRequest,
    resp: &HttpResponse,
) -> Result<T> {
    if !resp.is_success() {
        return Err(decode_error(resp));
    }
    // Nothing from a 2xx answer is read before its signature verifies.
    signing::verify(
        verifier,
        resp.header_value("authorization"),
        req.method.as_str(),
        req.path_and_query(),
        appid,
        &resp.body,
    )?;
    let head: Head = parse(&resp.body)?;
    let code = head.result.code.unwrap_or_default();
    let message = head.result.message.unwrap_or_default();
    match head.result.result.as_str() {
        "S" => {
            let probe: Probe = parse(&resp.body)?;
            if probe.data.is_some() {
                let data: Data<T> = parse(&resp.body)?;
                Ok(data.data)
            } else {
                // No `data`: some pages print the fields beside `result`, and
                // some calls answer nothing at all. Read the whole body.
                parse(&resp.body)
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

/// A non-2xx answer: the error envelope when there is one, else an HTTP error.
fn decode_error(resp: &HttpResponse) -> Error {
    let Ok(body) = serde_json::from_slice::<ErrorBody>(&resp.body) else {
        return Error::http(resp.status, &resp.body);
    };
    let busy = body.error_code == "SYSTEM_BUSY" || resp.status == 423;
    let api = ApiError::new(
        body.error_code,
        body.message.unwrap_or_default(),
        resp.status,
    )
    .retryable(busy || resp.status >= 500)
    .detail("biz_result", body.biz_result.as_deref());
    let unknown = match body.biz_result.as_deref() {
        Some("U") => true,
        Some("F") | Some("S") => false,
        _ => resp.status >= 500,
    };
    Error::api(api).with_outcome_unknown(unknown)
}

/// Parses JSON, reporting the path of the field that failed.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        Error::decode(path, e.inner().to_string(), body)
    })
}
