//! Decoding Adapay answers: signature first, then the object.
//!
//! Answers are `{"data":"<JSON text>","signature":"..."}`; the signature is
//! SHA1withRSA over the exact `data` string. Business errors sit inside
//! `data` (`status: failed`, `error_code`, `error_msg`, `error_type`,
//! `invalid_param`). 401 answers are unsigned by design. Anything that is not
//! JSON (a gateway's HTML page) becomes an HTTP error with a snippet.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use walletbridge_core::{ApiError, Error, HttpResponse, Result, Verifier};

use crate::signing;

/// The outer answer. Both fields are read leniently so that a missing one is
/// reported as a signature or decode problem, not a type error.
#[derive(Deserialize)]
struct Outer {
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    signature: Option<serde_json::Value>,
}

/// The error fields every object may carry.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    error_msg: Option<String>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    invalid_param: Option<String>,
}

/// Verifies and decodes one answer.
pub(crate) fn decode<T: DeserializeOwned>(
    verifier: &dyn Verifier,
    resp: &HttpResponse,
) -> Result<T> {
    if resp.status == 401 {
        return Err(Error::authentication(401, unsigned_message(&resp.body)));
    }
    let Ok(outer) = serde_json::from_slice::<Outer>(&resp.body) else {
        // Not JSON: a gateway page, an empty body. (On a 2xx to a write the
        // executor marks the outcome unknown: the provider may have acted.)
        return Err(Error::http(resp.status, &resp.body));
    };
    let signature = match &outer.signature {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
        _ => None,
    };
    if signature.is_none() && !resp.is_success() {
        // An unsigned JSON error from something in front of Adapay.
        return Err(Error::http(resp.status, &resp.body));
    }
    let data = match &outer.data {
        Some(serde_json::Value::String(s)) => s.as_str(),
        _ if signature.is_none() => {
            return Err(Error::signature(
                walletbridge_core::SignatureProblem::Missing,
                "the answer carries no signature",
            ));
        }
        _ => {
            return Err(Error::decode(
                "data",
                "expected the signed `data` JSON text",
                &resp.body,
            ));
        }
    };
    // Nothing inside `data` is read before its signature verifies.
    signing::verify(verifier, data.as_bytes(), signature)?;
    let head: Head = parse(data)?;
    let failed = head.status.as_deref() == Some("failed");
    let code = head.error_code.filter(|c| !c.is_empty());
    if failed || code.is_some() {
        let api = ApiError::new(
            code.unwrap_or_else(|| "failed".to_owned()),
            head.error_msg.unwrap_or_default(),
            resp.status,
        )
        .detail("error_type", head.error_type.as_deref())
        .detail("invalid_param", head.invalid_param.as_deref());
        return Err(Error::api(api));
    }
    if !resp.is_success() {
        return Err(Error::http(resp.status, data.as_bytes()));
    }
    parse(data)
}

/// The message of an unsigned answer (401), for the error only: it is never
/// handed to the caller as data.
fn unsigned_message(body: &[u8]) -> String {
    let from_json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let inner = match v.get("data") {
                Some(serde_json::Value::String(s)) => serde_json::from_str(s).ok(),
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
    from_json.unwrap_or_else(|| walletbridge_core::error::snippet(body))
}

/// Parses JSON text, reporting the path of the field that failed.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        Error::decode(path, e.inner().to_string(), text.as_bytes())
    })
}
