//! GSalary's signature scheme (PROTOCOL-NOTES, GSalary): RSA PKCS#1 v1.5 with
//! SHA-256 over
//!
//! ```text
//! {METHOD} {path_and_query}\n{appid}\n{timestamp_ms}\n{body_hash}\n
//! ```
//!
//! where `body_hash` is base64(SHA-256(body bytes)), empty when there is no
//! body. The same scheme signs requests, responses and webhooks.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use walletbridge_core::encoding::{base64_encode, decode_base64_lenient, sha256_base64};
use walletbridge_core::{Error, Result, SignatureProblem, Signer, Verifier};

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
