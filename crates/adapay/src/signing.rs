//! Adapay's signature scheme (PROTOCOL-NOTES, Adapay): RSA PKCS#1 v1.5 with
//! SHA-1, standard base64.
//!
//! - POST: the full URL (scheme, host, path) followed directly by the exact
//!   JSON body bytes sent:
//!   `https://api.adapay.tech/v1/cashs{"app_id":"app_x",...}`
//! - GET: the full URL followed directly by the parameters sorted by key as
//!   `k=v&k2=v2`, the same text that is sent as the query string:
//!   `https://api.adapay.tech/v1/cashs/statorder_no=cash_1`
//!
//! Parameters with empty values (`null`, `""`) are dropped from both the
//! signed text and the request. Query values are never percent-encoded: the
//! text signed is the text sent, so a value that would need escaping is
//! refused before anything is sent.
//!
//! Answers (`{"data":"<JSON text>","signature":"..."}`) and notifications
//! (`data` and `sign` form fields) are signed by Adapay over the exact `data`
//! string ([`data_signing_string`]) and verified with [`verify`]. With the
//! `server` feature, `sign_answer` is the provider's side of the same
//! routine: what signs an answer's `data` with the platform key.

use serde::Serialize;
use serde_json::Value;
use walletbridge_core::encoding::{base64_encode, decode_base64_lenient};
use walletbridge_core::{Error, Result, SignatureProblem, Signer, Verifier};

use crate::validate::is_query_safe;

/// The request header carrying the api key (the value is the key itself, no scheme).
pub const API_KEY_HEADER: &str = "Authorization";

/// The request header carrying the request's signature (standard base64).
pub const SIGNATURE_HEADER: &str = "Signature";

/// The request header naming the SDK that sent the request.
pub const SDK_VERSION_HEADER: &str = "sdk_version";

/// The bytes signed for a POST: `url` then the body, nothing in between.
pub fn post_signing_string(url: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(url.len() + body.len());
    out.extend_from_slice(url.as_bytes());
    out.extend_from_slice(body);
    out
}

/// The text signed for a GET: `url` (without `?`) then the sorted query text.
pub fn get_signing_string(url: &str, query: &str) -> String {
    format!("{url}{query}")
}

/// The query text of a GET as it is sent and signed: the pairs with an empty
/// value dropped, sorted by key (pairs with the same key keep their order),
/// as `k=v&k2=v2`, unescaped. The client writes its query with it; a server
/// rebuilds the signed text from the pairs it received with it.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    kept.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::new();
    for (k, v) in kept {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The bytes Adapay signs for an answer or a notification: the exact `data`
/// text, nothing added. The client verifies over it ([`verify`]); the
/// provider's side signs over it (`sign_answer`, the notification signer).
pub fn data_signing_string(data: &str) -> &[u8] {
    data.as_bytes()
}

/// Signs `message` and returns the standard base64 signature (the `Signature` header).
pub fn sign(signer: &dyn Signer, message: &[u8]) -> Result<String> {
    Ok(base64_encode(&signer.sign(message)?))
}

/// Verifies Adapay's `signature` (base64) over the exact `data` bytes.
///
/// A missing or empty signature is [`SignatureProblem::Missing`], one that is
/// not base64 is [`SignatureProblem::Malformed`], and one that does not verify
/// with the platform key is [`SignatureProblem::Mismatch`].
pub fn verify(verifier: &dyn Verifier, data: &[u8], signature: Option<&str>) -> Result<()> {
    let sig = signature
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::signature(SignatureProblem::Missing, "no signature on a signed answer")
        })?;
    // Form decoding turns an unescaped `+` into a space; base64 has no spaces.
    let sig = sig.replace(' ', "+");
    let bytes = decode_base64_lenient(&sig).map_err(|_| {
        Error::signature(SignatureProblem::Malformed, "the signature is not base64")
    })?;
    if bytes.is_empty() {
        return Err(Error::signature(
            SignatureProblem::Missing,
            "empty signature",
        ));
    }
    verifier.verify(data, &bytes)
}

/// The signature Adapay puts on an answer: SHA1withRSA over the exact `data`
/// text ([`data_signing_string`]) with the platform key `platform`, standard
/// base64. The provider's side of what [`verify`] checks.
#[cfg(feature = "server")]
pub fn sign_answer(platform: &dyn Signer, data: &str) -> Result<String> {
    sign(platform, data_signing_string(data))
}

/// An answer as Adapay sends it: `{"data": <data>, "signature": <SHA1withRSA
/// over data>}`, signed by `signer`. For your own tests and mock servers.
pub fn signed_answer(signer: &dyn Signer, data: &str) -> Result<String> {
    let signature = sign(signer, data_signing_string(data))?;
    Ok(String::from_utf8_lossy(&crate::envelope::answer_bytes(data, &signature)).into_owned())
}

/// The JSON body for a POST: the fields of `value` with `null` and `""`
/// dropped. The bytes returned are the bytes signed and sent.
pub(crate) fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let v = serde_json::to_value(value)
        .map_err(|e| Error::validation("body", format!("cannot be encoded: {e}")))?;
    let Value::Object(mut map) = v else {
        return Err(Error::validation(
            "body",
            "must be a struct of named fields",
        ));
    };
    map.retain(|_, v| !is_empty(v));
    serde_json::to_vec(&Value::Object(map))
        .map_err(|e| Error::validation("body", format!("cannot be encoded: {e}")))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The query parameters of `value`, `null` and `""` dropped (sorted when
/// written, by [`canonical_query`]).
///
/// Values are sent and signed unescaped, so each must consist of letters,
/// digits and `-._~` only; anything else is a validation error naming the
/// field (the page does not say whether Adapay signs the escaped or the raw
/// text, and every documented value fits).
pub(crate) fn query_pairs<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>> {
    let v = serde_json::to_value(value)
        .map_err(|e| Error::validation("query", format!("cannot be encoded: {e}")))?;
    let Value::Object(map) = v else {
        return Err(Error::validation(
            "query",
            "must be a struct of named fields",
        ));
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (k, v) in map {
        let text = match v {
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(Error::validation(k, "nested values cannot go in a query")),
        };
        if !is_query_safe(&text) {
            return Err(Error::validation(
                k,
                "must contain only letters, digits and `-._~` to be sent and signed in a query",
            ));
        }
        pairs.push((k, text));
    }
    Ok(pairs)
}

/// `k=v&k2=v2` from pairs, sorted by key, unescaped ([`canonical_query`]).
pub(crate) fn query_string(pairs: &[(String, String)]) -> String {
    canonical_query(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Q<'a> {
        order_no: &'a str,
        app_id: &'a str,
        empty: &'a str,
        none: Option<&'a str>,
        n: u32,
    }

    #[test]
    fn query_is_sorted_unescaped_and_without_empties() {
        let q = Q {
            order_no: "cash_1",
            app_id: "app_x-1",
            empty: "",
            none: None,
            n: 0,
        };
        let pairs = query_pairs(&q).unwrap_or_default();
        assert_eq!(query_string(&pairs), "app_id=app_x-1&n=0&order_no=cash_1");
        assert_eq!(
            get_signing_string(
                "https://api.adapay.tech/v1/cashs/stat",
                &query_string(&pairs)
            ),
            "https://api.adapay.tech/v1/cashs/statapp_id=app_x-1&n=0&order_no=cash_1"
        );
    }

    #[test]
    fn values_needing_escapes_are_refused() {
        let q = Q {
            order_no: "a&b",
            app_id: "x",
            empty: "",
            none: None,
            n: 1,
        };
        let err = query_pairs(&q)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("order_no"), "{err}");
    }

    #[test]
    fn body_drops_empty_values() {
        let q = Q {
            order_no: "cash_1",
            app_id: "app",
            empty: "",
            none: None,
            n: 3,
        };
        let body = json_body(&q).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&body),
            r#"{"app_id":"app","n":3,"order_no":"cash_1"}"#
        );
        assert_eq!(
            post_signing_string("https://h/v1/x", b"{}"),
            b"https://h/v1/x{}"
        );
    }

    #[test]
    fn missing_and_malformed_signatures() {
        struct Never;
        impl Verifier for Never {
            fn verify(&self, _: &[u8], _: &[u8]) -> Result<()> {
                Ok(())
            }
        }
        let problem = |r: Result<()>| match r.err().map(|e| e.kind().to_string()) {
            Some(s) => s,
            None => "ok".into(),
        };
        assert!(problem(verify(&Never, b"{}", None)).contains("missing"));
        assert!(problem(verify(&Never, b"{}", Some(" "))).contains("missing"));
        assert!(problem(verify(&Never, b"{}", Some("!!!"))).contains("malformed"));
        assert_eq!(problem(verify(&Never, b"{}", Some("AQ=="))), "ok");
    }
}
