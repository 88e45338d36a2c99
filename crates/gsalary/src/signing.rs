//! GSalary's signature scheme (PROTOCOL-NOTES, GSalary): RSA PKCS#1 v1.5 with
//! SHA-256 over
//!
//! ```text
//! {METHOD} {path_and_query}\n{appid}\n{timestamp_ms}\n{body_hash}\n
//! ```
//!
//! where `body_hash` is base64(SHA-256(body bytes)), empty when there is no
//! body. The same scheme signs requests, responses and webhooks.
//!
//! The query in `path_and_query` is signed with its values **unescaped**, in
//! the order they are sent (`?time_start=2024-03-04T10:00:00+08:00`), while
//! the request line carries them percent-escaped (`%2B08:00`): the page says
//! the path is signed "无需转义" (without escaping), the official Python SDK
//! signs `path_with_args(False)` and sends `path_with_args(True)`, and the
//! platform signs its answers over the same unescaped form. [`signed_path`]
//! builds that form from the pairs; [`unescaped_path_and_query`] recovers it
//! from a request line, as a server does.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use walletbridge_core::encoding::{base64_encode, decode_base64_lenient, sha256_base64};
use walletbridge_core::{Error, Result, SignatureProblem, Signer, Verifier};

/// The path and query as signed: `path?k=v&k2=v2` with keys and values as
/// they are (unescaped), in the order given; `path` alone without pairs.
///
/// ```
/// use walletbridge_gsalary::signing::signed_path;
/// let pairs = [("time_start".to_owned(), "2024-03-04T10:00:00+08:00".to_owned())];
/// assert_eq!(signed_path("/v1/cards", &pairs), "/v1/cards?time_start=2024-03-04T10:00:00+08:00");
/// ```
pub fn signed_path(path: &str, query: &[(String, String)]) -> String {
    let mut out = String::with_capacity(path.len() + 1 + query.len() * 16);
    out.push_str(path);
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The signed form of a request line's `path?query`: the path as it is, each
/// query key and value percent-decoded (a `+` stays a `+`), in the order
/// received. What a server verifies a request over, and what the platform
/// signs its answer over. Bytes that do not decode to UTF-8 are replaced by
/// U+FFFD (such a query cannot have been signed by this SDK).
///
/// ```
/// use walletbridge_gsalary::signing::unescaped_path_and_query;
/// assert_eq!(
///     unescaped_path_and_query("/v1/cards?name=Mary%20Ann&t=10:00%2B08:00"),
///     "/v1/cards?name=Mary Ann&t=10:00+08:00"
/// );
/// ```
pub fn unescaped_path_and_query(path_and_query: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_owned();
    };
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let mut out = String::with_capacity(path_and_query.len());
    out.push_str(path);
    out.push('?');
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((k, v)) => {
                out.push_str(&decode(k));
                out.push('=');
                out.push_str(&decode(v));
            }
            None => out.push_str(&decode(pair)),
        }
    }
    out
}

/// The text that is signed.
pub fn signing_string(
    method: &str,
    path_and_query: &str,
    appid: &str,
    timestamp_ms: i64,
    body: Option<&[u8]>,
) -> String {
    let body_hash = match body {
        Some(b) if !b.is_empty() => sha256_base64(b),
        _ => String::new(),
    };
    format!("{method} {path_and_query}\n{appid}\n{timestamp_ms}\n{body_hash}\n")
}

// Everything but letters, digits and `-._~` is escaped, so `+`, `/` and `=`
// of base64 become `%2B`, `%2F`, `%3D` as the page requires.
const SIGNATURE_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `Authorization` header value for a signature made at `timestamp_ms`.
pub fn authorization_header(timestamp_ms: i64, signature: &[u8]) -> String {
    let b64 = base64_encode(signature);
    let sig = utf8_percent_encode(&b64, SIGNATURE_ESCAPE);
    format!("algorithm=RSA2,time={timestamp_ms},signature={sig}")
}

/// Signs and returns the `Authorization` header value.
pub fn sign(
    signer: &dyn Signer,
    method: &str,
    path_and_query: &str,
    appid: &str,
    timestamp_ms: i64,
    body: Option<&[u8]>,
) -> Result<String> {
    let text = signing_string(method, path_and_query, appid, timestamp_ms, body);
    let sig = signer.sign(text.as_bytes())?;
    Ok(authorization_header(timestamp_ms, &sig))
}

/// A parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// `algorithm=` (`RSA2`).
    pub algorithm: String,
    /// `time=`, milliseconds since the epoch.
    pub time: i64,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

impl Authorization {
    /// Parses `algorithm=RSA2,time=...,signature=...`: pairs split at the first
    /// `=`, the signature percent-decoded (a `+` stays a `+`) and read as
    /// standard or URL-safe base64, padded or not.
    pub fn parse(header: &str) -> Result<Self> {
        let malformed = |why: &str| {
            Error::signature(
                SignatureProblem::Malformed,
                format!("Authorization header: {why}"),
            )
        };
        let (mut algorithm, mut time, mut signature) = (None, None, None);
        for part in header.split(',') {
            let Some((k, v)) = part.trim().split_once('=') else {
                continue;
            };
            match k.trim().to_ascii_lowercase().as_str() {
                "algorithm" => algorithm = Some(v.trim().to_owned()),
                "time" => {
                    time = Some(
                        v.trim()
                            .parse::<i64>()
                            .map_err(|_| malformed("time is not a number"))?,
                    )
                }
                "signature" => signature = Some(v.trim().to_owned()),
                _ => {}
            }
        }
        let algorithm = algorithm.unwrap_or_else(|| "RSA2".to_owned());
        if !algorithm.eq_ignore_ascii_case("RSA2") {
            return Err(malformed("algorithm is not RSA2"));
        }
        let time = time.ok_or_else(|| malformed("no time"))?;
        let raw = signature.ok_or_else(|| malformed("no signature"))?;
        let decoded = percent_decode_str(&raw)
            .decode_utf8()
            .map_err(|_| malformed("signature is not UTF-8"))?;
        let signature =
            decode_base64_lenient(&decoded).map_err(|_| malformed("signature is not base64"))?;
        if signature.is_empty() {
            return Err(malformed("empty signature"));
        }
        Ok(Self {
            algorithm,
            time,
            signature,
        })
    }
}

/// Verifies a signed message (a response or a webhook) given its
/// `Authorization` header. Returns the signed time.
pub fn verify(
    verifier: &dyn Verifier,
    authorization: Option<&str>,
    method: &str,
    path_and_query: &str,
    appid: &str,
    body: &[u8],
) -> Result<i64> {
    let header = authorization
        .filter(|h| !h.trim().is_empty())
        .ok_or_else(|| {
            Error::signature(
                SignatureProblem::Missing,
                "no Authorization header on a signed answer",
            )
        })?;
    let auth = Authorization::parse(header)?;
    let text = signing_string(method, path_and_query, appid, auth.time, Some(body));
    verifier.verify(text.as_bytes(), &auth.signature)?;
    Ok(auth.time)
}

/// Signs an answer as the platform does (feature `server`): the
/// `Authorization` header over the request's own method and signed path
/// ([`unescaped_path_and_query`] of its request line), the platform's appid,
/// `timestamp_ms` and the exact answer bytes, with the same signing string
/// the client verifies ([`signing_string`]). Returns the headers to set on
/// the answer: `authorization` and `x-appid`.
#[cfg(feature = "server")]
pub fn sign_answer(
    platform: &dyn Signer,
    method: &str,
    signed_path: &str,
    appid: &str,
    timestamp_ms: i64,
    body: &[u8],
) -> Result<[(&'static str, String); 2]> {
    let auth = sign(
        platform,
        method,
        signed_path,
        appid,
        timestamp_ms,
        Some(body),
    )?;
    Ok([("authorization", auth), ("x-appid", appid.to_owned())])
}

/// Signs `response`, the answer to `request`, as the platform does (feature
/// `server`): [`sign_answer`] over the request's own method and signed path
/// and the response's exact body, its headers set on the response. What a
/// test's mock transport answers a client with.
#[cfg(feature = "server")]
pub fn sign_response(
    platform: &dyn Signer,
    request: &walletbridge_core::HttpRequest,
    appid: &str,
    timestamp_ms: i64,
    response: walletbridge_core::HttpResponse,
) -> Result<walletbridge_core::HttpResponse> {
    let headers = sign_answer(
        platform,
        request.method.as_str(),
        &unescaped_path_and_query(request.path_and_query()),
        appid,
        timestamp_ms,
        &response.body,
    )?;
    Ok(headers
        .into_iter()
        .fold(response, |resp, (name, value)| resp.header(name, value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_string_matches_the_page() {
        let s = signing_string(
            "POST",
            "/v1/exchange/quotes",
            "your_appid",
            1716888888888,
            Some(b"{}"),
        );
        assert_eq!(
            s,
            "POST /v1/exchange/quotes\nyour_appid\n1716888888888\nRBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=\n"
        );
        let g = signing_string("GET", "/v1/cards?page=1", "a", 1, None);
        assert_eq!(g, "GET /v1/cards?page=1\na\n1\n\n");
    }

    #[test]
    fn header_escapes_base64() {
        let h = authorization_header(5, &[0xfb, 0xff, 0xbf, 0x01]);
        assert_eq!(h, "algorithm=RSA2,time=5,signature=%2B%2F%2B%2FAQ%3D%3D");
    }

    #[test]
    fn header_parses_every_signature_spelling() {
        for sig in ["%2B%2F%2B%2FAQ%3D%3D", "+/+/AQ==", "-_-_AQ", "+/+/AQ"] {
            let a =
                Authorization::parse(&format!("algorithm=RSA2,time=5,signature={sig}")).unwrap();
            assert_eq!(a.signature, [0xfb, 0xff, 0xbf, 0x01], "{sig}");
            assert_eq!(a.time, 5);
        }
        assert!(Authorization::parse("algorithm=RSA2,signature=AQ==").is_err());
        assert!(Authorization::parse("algorithm=RSA2,time=x,signature=AQ==").is_err());
        assert!(Authorization::parse("algorithm=RSA2,time=1,signature=!!").is_err());
        assert!(Authorization::parse("algorithm=HMAC,time=1,signature=AQ==").is_err());
    }
}
