//! The request `sign`: a pluggable [`RequestSigner`], and the sandbox's
//! [`SandboxHmacSigner`].
//!
//! Every request carries `timestamp` (unix seconds) and `sign`. The senior
//! wallet's signing algorithm is deployment-specific and not public, so the
//! client does not implement it: it hands the complete parameter set of each
//! attempt (the fields, `access_token`, and a `timestamp` fresh for that
//! attempt) to the signer the deployment supplies, and sends the `sign` it
//! returns as the last form field.
//!
//! [`SandboxHmacSigner`] is **not** the provider's algorithm. It exists so
//! that the walletbridge sandbox (and this crate's tests) can verify what a
//! client sends; never configure it against a real deployment.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use walletbridge_core::{Error, Result, SecretString};

/// What a signer signs: one attempt of one call.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SignRequest<'a> {
    /// The request path (`/wallet_server/v1/m/senior/collect_sync`).
    pub path: &'a str,
    /// Every form parameter except `sign`, unescaped, in the order they are
    /// sent: `access_token`, the call's fields, `timestamp`.
    pub params: &'a [(String, String)],
}

impl<'a> SignRequest<'a> {
    /// A request to sign `params` sent to `path`.
    pub fn new(path: &'a str, params: &'a [(String, String)]) -> Self {
        Self { path, params }
    }

    /// The value of the parameter `name`, if present.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters except any named `sign`, sorted by key (byte order),
    /// then by value for repeated keys.
    pub fn sorted(&self) -> Vec<(&'a str, &'a str)> {
        let mut out: Vec<(&str, &str)> = self
            .params
            .iter()
            .filter(|(k, _)| k != crate::envelope::SIGN)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        out.sort_unstable();
        out
    }
}

/// Makes the `sign` of a request. Implement it with your deployment's
/// algorithm (a shared-secret digest, a call to a signing service); the
/// client calls it once per attempt, so a retried call is signed again with
/// its new `timestamp`.
///
/// ```
/// use walletbridge_wallet_senior::{RequestSigner, SignRequest};
/// struct MySigner;
/// impl RequestSigner for MySigner {
///     fn sign(&self, request: &SignRequest<'_>) -> walletbridge_core::Result<String> {
///         // The deployment's algorithm goes here.
///         Ok(format!("{}-{}", request.path.len(), request.params.len()))
///     }
/// }
/// ```
pub trait RequestSigner: Send + Sync {
    /// The `sign` for `request`. An error stops the call before anything is sent.
    fn sign(&self, request: &SignRequest<'_>) -> Result<String>;
}

/// The sandbox signer: HMAC-SHA256 over the sorted parameters with a shared
/// secret. **Not the provider's algorithm**: the walletbridge sandbox
/// verifies it, no real deployment does.
///
/// The signing string is built from every form parameter except `sign`
/// (`access_token`, the call's fields, `timestamp`):
///
/// 1. take the parameters with their raw values (not percent-encoded; a JSON
///    field such as `collect_req` is its JSON text exactly as sent);
/// 2. sort them by key, comparing bytes (then by value, for a repeated key);
/// 3. join each as `key=value`, separated by `&`, with no leading or trailing
///    `&` (empty values are kept: `note=`);
///
/// and the sign is the HMAC-SHA256 of that UTF-8 string keyed with the
/// secret's UTF-8 bytes, written as 64 lower-case hex digits.
///
/// ```
/// use walletbridge_wallet_senior::{RequestSigner, SandboxHmacSigner, SignRequest};
/// let params = vec![
///     ("access_token".to_string(), "tok".to_string()),
///     ("order_no".to_string(), "W1".to_string()),
///     ("timestamp".to_string(), "1704067200".to_string()),
/// ];
/// assert_eq!(
///     SandboxHmacSigner::signing_string(&params),
///     "access_token=tok&order_no=W1&timestamp=1704067200"
/// );
/// let signer = SandboxHmacSigner::new("sandbox-secret");
/// let sign = signer.sign(&SignRequest::new("/wallet_server/v1/m/senior/order_query", &params)).unwrap();
/// assert_eq!(sign.len(), 64);
/// let mut sent = params.clone();
/// sent.push(("sign".to_string(), sign));
/// assert!(signer.verify(&sent));
/// ```
#[derive(Clone)]
pub struct SandboxHmacSigner {
    secret: SecretString,
}

impl std::fmt::Debug for SandboxHmacSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHmacSigner")
            .field("secret", &self.secret)
            .finish()
    }
}

impl SandboxHmacSigner {
    /// A signer with the sandbox's shared secret. Never printed by `Debug`.
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// The string that is signed: `params` except `sign`, sorted by key,
    /// joined `k=v&k2=v2` with raw values.
    pub fn signing_string(params: &[(String, String)]) -> String {
        SignRequest::new("", params)
            .sorted()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The keyed MAC. HMAC takes keys of any length, so this is `None` never
    /// in practice; callers still handle it without panicking.
    fn mac(&self) -> Option<Hmac<Sha256>> {
        <Hmac<Sha256> as Mac>::new_from_slice(self.secret.expose().as_bytes()).ok()
    }

    /// The sign of `params` (64 lower-case hex digits).
    pub fn sign_params(&self, params: &[(String, String)]) -> Result<String> {
        let mut mac = self
            .mac()
            .ok_or_else(|| Error::config("the sandbox signer's secret cannot key HMAC-SHA256"))?;
        mac.update(Self::signing_string(params).as_bytes());
        Ok(hex(&mac.finalize().into_bytes()))
    }

    /// Whether `params` (as received, `sign` included) carry a valid sign.
    /// Compares in constant time. For the sandbox and tests.
    pub fn verify(&self, params: &[(String, String)]) -> bool {
        let Some(sign) = params
            .iter()
            .find(|(k, _)| k == crate::envelope::SIGN)
            .map(|(_, v)| v)
        else {
            return false;
        };
        let Some(bytes) = unhex(sign) else {
            return false;
        };
        let Some(mut mac) = self.mac() else {
            return false;
        };
        mac.update(Self::signing_string(params).as_bytes());
        mac.verify_slice(&bytes).is_ok()
    }
}

impl RequestSigner for SandboxHmacSigner {
    fn sign(&self, request: &SignRequest<'_>) -> Result<String> {
        if self.secret.is_empty() {
            return Err(Error::config("the sandbox signer's secret is empty"));
        }
        self.sign_params(request.params)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let t = text.as_bytes();
    if !t.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    t.chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_signing_string_sorts_raw_values_and_drops_sign() {
        let params = p(&[
            ("timestamp", "1704067200"),
            ("access_token", "t"),
            ("collect_req", r#"{"biz_no":"a b&c"}"#),
            ("sign", "zzz"),
            ("note", ""),
        ]);
        assert_eq!(
            SandboxHmacSigner::signing_string(&params),
            r#"access_token=t&collect_req={"biz_no":"a b&c"}&note=&timestamp=1704067200"#
        );
    }

    /// RFC 4231 test case 2, through the signing string of one parameter
    /// whose `k=v` is the test message.
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let signer = SandboxHmacSigner::new("Jefe");
        let params = p(&[("what do ya want for nothing?", "")]);
        // The signing string is `what do ya want for nothing?=`; check the
        // primitive on the RFC's own message too.
        let mut mac = signer.mac().unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(signer.sign_params(&params).unwrap().len(), 64);
    }

    #[test]
    fn verify_accepts_its_own_sign_and_refuses_changes() {
        let signer = SandboxHmacSigner::new("s3cret");
        let mut params = p(&[
            ("access_token", "t"),
            ("order_no", "W1"),
            ("timestamp", "1"),
        ]);
        let sign = signer.sign_params(&params).unwrap();
        params.push(("sign".into(), sign.clone()));
        assert!(signer.verify(&params));
        params.push(("sign".into(), sign.to_uppercase()));
        assert!(signer.verify(&params), "the first sign counts");
        params[1].1 = "W2".into();
        assert!(!signer.verify(&params));
        assert!(!SandboxHmacSigner::new("other").verify(&params));
        assert!(!signer.verify(&p(&[("sign", "not hex")])));
        assert!(!signer.verify(&p(&[("a", "b")])));
        assert!(!format!("{signer:?}").contains("s3cret"));
    }

    #[test]
    fn an_empty_secret_is_refused() {
        let err = SandboxHmacSigner::new("")
            .sign(&SignRequest::new("/x", &[]))
            .unwrap_err();
        assert!(err.to_string().contains("secret"), "{err}");
    }
}
