//! Signing and verification: the traits providers sign through, RSA keys in
//! every form the providers hand out, and RSA PKCS#1 v1.5 signers with SHA-256
//! (GSalary) and SHA-1 (Adapay).
//!
//! Keys are parsed once, when a client is built. The signing backend is a seam:
//! with the `aws-lc` feature, SHA-256 signatures are made by aws-lc-rs (about
//! five times faster than the pure-Rust `rsa` crate and constant-time); SHA-1
//! and builds without the feature use `rsa`. Both produce the same bytes,
//! because PKCS#1 v1.5 signatures are deterministic.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts;

use crate::encoding::decode_base64_lenient;
use crate::error::{Error, Result, SignatureProblem};

/// The digest inside an RSA PKCS#1 v1.5 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1 (Adapay).
    Sha1,
    /// SHA-256 (GSalary).
    Sha256,
}

/// Signs bytes. Implement it to sign with an HSM or a remote signer.
pub trait Signer: Send + Sync {
    /// The signature over `message`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// Verifies a signature over bytes.
pub trait Verifier: Send + Sync {
    /// `Ok` when `signature` is a valid signature over `message`; a
    /// [`SignatureProblem::Mismatch`] error otherwise.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()>;
}

impl<T: Signer + ?Sized> Signer for Arc<T> {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(message)
    }
}

impl<T: Verifier + ?Sized> Verifier for Arc<T> {
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        (**self).verify(message, signature)
    }
}

/// Reads a key argument that is either the key text or a path to a file holding it.
///
/// Errors name the path that was tried and the operating system's reason;
/// text that looks like neither key material nor a path is never echoed (it
/// may be a key with a typo, or another secret given by mistake).
fn text_or_file(input: &str, what: &str) -> Result<String> {
    let t = unescape_pasted(input);
    if t.contains("-----BEGIN") || looks_like_base64(&t) {
        return Ok(t.into_owned());
    }
    let candidate = input.trim();
    let path = Path::new(candidate);
    if path.is_file() || looks_like_path(candidate) {
        return std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!(
                "cannot read the {what} file {}: {e}",
                path.display()
            ))
        });
    }
    Err(Error::config(format!(
        "the {what} is neither PEM text, base64 DER nor the path of a key file \
         ({} characters given; not shown, as they may be secret)",
        candidate.chars().count()
    )))
}

/// Whether text that is not key material names a file (and so may be shown).
fn looks_like_path(t: &str) -> bool {
    const EXTENSIONS: [&str; 8] = [
        ".pem", ".key", ".der", ".b64", ".txt", ".crt", ".pub", ".p8",
    ];
    let lower = t.to_ascii_lowercase();
    !t.is_empty()
        && t.len() <= 4096
        && !t.chars().any(char::is_control)
        && (EXTENSIONS.iter().any(|e| lower.ends_with(e))
            || ["/", "./", "../", "~/", ".\\", "..\\"]
                .iter()
                .any(|p| t.starts_with(p))
            || t.get(1..3) == Some(":\\"))
}

/// Undoes what storing a key in a dotenv file or a JSON string does to it:
/// surrounding quotes, and line breaks written as the two characters `\n`.
fn unescape_pasted(text: &str) -> std::borrow::Cow<'_, str> {
    let mut t = text.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            t = t[1..t.len() - 1].trim();
        }
    }
    if t.contains("\\n") || t.contains("\\r") {
        let fixed = t
            .replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\r", "\n");
        std::borrow::Cow::Owned(fixed)
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

fn looks_like_base64(t: &str) -> bool {
    t.len() >= 64
        && t.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
                || b.is_ascii_whitespace()
        })
}

/// An RSA private key, parsed once. Debug shows only its size.
#[derive(Clone)]
pub struct RsaPrivateKey {
    key: rsa::RsaPrivateKey,
}

impl RsaPrivateKey {
    /// Parses PKCS#8 PEM, PKCS#1 PEM, or bare base64 of PKCS#8 or PKCS#1 DER.
    /// Text stored the way dotenv files hold it (in quotes, line breaks as
    /// literal `\n`) is accepted. Errors never quote the key.
    pub fn parse(text: &str) -> Result<Self> {
        let t = unescape_pasted(text);
        let t = t.as_ref();
        let key = if t.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(Error::config(
                "the private key is encrypted; decrypt it first (openssl pkcs8 -nocrypt)",
            ));
        } else if t.contains("-----BEGIN PRIVATE KEY-----") {
            rsa::RsaPrivateKey::from_pkcs8_pem(t)
                .map_err(|e| Error::config(format!("malformed PKCS#8 PEM private key: {e}")))?
        } else if t.contains("-----BEGIN RSA PRIVATE KEY-----") {
            rsa::RsaPrivateKey::from_pkcs1_pem(t)
                .map_err(|e| Error::config(format!("malformed PKCS#1 PEM private key: {e}")))?
        } else if t.contains("-----BEGIN") {
            return Err(Error::config("the PEM block is not an RSA private key"));
        } else {
            let der = decode_base64_lenient(t)
                .map_err(|_| Error::config("the private key is neither PEM nor base64 DER"))?;
            return Self::from_der(&der);
        };
        Ok(Self { key })
    }

    /// Parses PKCS#8 or PKCS#1 DER bytes.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        rsa::RsaPrivateKey::from_pkcs8_der(der)
            .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_der(der))
            .map(|key| Self { key })
            .map_err(|_| Error::config("malformed private key: not PKCS#8 or PKCS#1 RSA DER"))
    }

    /// Reads and parses a key file (PEM or base64).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!(
                "cannot read the private key file {}: {e}",
                path.display()
            ))
        })?;
        Self::parse(&text)
    }

    /// Parses key text, or reads it from a file when given a path (as environment variables hold either).
    pub fn load(text_or_path: &str) -> Result<Self> {
        Self::parse(&text_or_file(text_or_path, "private key")?)
    }

    /// The key size in bits.
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// The matching public key.
    pub fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey {
            key: self.key.to_public_key(),
        }
    }
}

impl fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaPrivateKey({} bits, [REDACTED])", self.bits())
    }
}

/// An RSA public key, parsed once.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    key: rsa::RsaPublicKey,
}

impl RsaPublicKey {
    /// Parses SPKI PEM, PKCS#1 PEM, or bare base64 of SPKI or PKCS#1 DER.
    /// Text stored the way dotenv files hold it (in quotes, line breaks as
    /// literal `\n`) is accepted.
    pub fn parse(text: &str) -> Result<Self> {
        let t = unescape_pasted(text);
        let t = t.as_ref();
        let key = if t.contains("-----BEGIN PUBLIC KEY-----") {
            rsa::RsaPublicKey::from_public_key_pem(t)
                .map_err(|e| Error::config(format!("malformed SPKI PEM public key: {e}")))?
        } else if t.contains("-----BEGIN RSA PUBLIC KEY-----") {
            rsa::RsaPublicKey::from_pkcs1_pem(t)
                .map_err(|e| Error::config(format!("malformed PKCS#1 PEM public key: {e}")))?
        } else if t.contains("-----BEGIN") {
            return Err(Error::config("the PEM block is not an RSA public key"));
        } else {
            let der = decode_base64_lenient(t)
                .map_err(|_| Error::config("the public key is neither PEM nor base64 DER"))?;
            return Self::from_der(&der);
        };
        Ok(Self { key })
    }

    /// Parses SPKI or PKCS#1 DER bytes.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        rsa::RsaPublicKey::from_public_key_der(der)
            .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(der))
            .map(|key| Self { key })
            .map_err(|_| Error::config("malformed public key: not SPKI or PKCS#1 RSA DER"))
    }

    /// Reads and parses a key file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!(
                "cannot read the public key file {}: {e}",
                path.display()
            ))
        })?;
        Self::parse(&text)
    }

    /// Parses key text, or reads it from a file when given a path.
    pub fn load(text_or_path: &str) -> Result<Self> {
        Self::parse(&text_or_file(text_or_path, "public key")?)
    }

    /// The key size in bits.
    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaPublicKey({} bits)", self.bits())
    }
}

enum Backend {
    Sha1(rsa::pkcs1v15::SigningKey<sha1::Sha1>),
    Sha256(rsa::pkcs1v15::SigningKey<sha2::Sha256>),
    #[cfg(feature = "aws-lc")]
    AwsLc(aws_lc_rs::signature::RsaKeyPair),
}

/// RSA PKCS#1 v1.5 signer.
pub struct RsaSigner {
    backend: Backend,
    bits: usize,
}

impl RsaSigner {
    /// A signer with the fastest backend the build has for `hash`.
    pub fn new(key: &RsaPrivateKey, hash: HashAlgorithm) -> Result<Self> {
        #[cfg(feature = "aws-lc")]
        if hash == HashAlgorithm::Sha256 {
            use rsa::pkcs8::EncodePrivateKey as _;
            // aws-lc refuses keys under 2048 bits; those fall back to `rsa`.
            if let Ok(der) = key.key.to_pkcs8_der()
                && let Ok(pair) = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.as_bytes())
            {
                return Ok(Self {
                    backend: Backend::AwsLc(pair),
                    bits: key.bits(),
                });
            }
        }
        Ok(Self::pure_rust(key, hash))
    }

    /// A signer on the pure-Rust `rsa` backend, whatever the build has.
    pub fn pure_rust(key: &RsaPrivateKey, hash: HashAlgorithm) -> Self {
        let backend = match hash {
            HashAlgorithm::Sha1 => Backend::Sha1(rsa::pkcs1v15::SigningKey::new(key.key.clone())),
            HashAlgorithm::Sha256 => {
                Backend::Sha256(rsa::pkcs1v15::SigningKey::new(key.key.clone()))
            }
        };
        Self {
            backend,
            bits: key.bits(),
        }
    }

    /// The backend in use: `"aws-lc-rs"` or `"rsa"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc(_) => "aws-lc-rs",
            _ => "rsa",
        }
    }
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RsaSigner({} bits, {}, [REDACTED])",
            self.bits,
            self.backend_name()
        )
    }
}

impl Signer for RsaSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let failed =
            |e: &dyn fmt::Display| Error::signature(SignatureProblem::SigningFailed, e.to_string());
        match &self.backend {
            Backend::Sha1(k) => k
                .try_sign(message)
                .map(|s| s.to_vec())
                .map_err(|e| failed(&e)),
            Backend::Sha256(k) => k
                .try_sign(message)
                .map(|s| s.to_vec())
                .map_err(|e| failed(&e)),
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc(pair) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                    &aws_lc_rs::rand::SystemRandom::new(),
                    message,
                    &mut sig,
                )
                .map_err(|e| failed(&e))?;
                Ok(sig)
            }
        }
    }
}

#[derive(Clone)]
enum VerifyBackend {
    Sha1(rsa::pkcs1v15::VerifyingKey<sha1::Sha1>),
    Sha256(rsa::pkcs1v15::VerifyingKey<sha2::Sha256>),
    #[cfg(feature = "aws-lc")]
    /// Parsed once here, not on every verification.
    AwsLc(std::sync::Arc<aws_lc_rs::signature::ParsedPublicKey>),
}

/// RSA PKCS#1 v1.5 verifier. The key is prepared once, here.
#[derive(Clone)]
pub struct RsaVerifier {
    key: RsaPublicKey,
    hash: HashAlgorithm,
    backend: VerifyBackend,
}

impl RsaVerifier {
    /// A verifier for `hash` signatures by `key`; SHA-256 with keys of 2048
    /// bits or more goes through aws-lc-rs when the build has it.
    pub fn new(key: RsaPublicKey, hash: HashAlgorithm) -> Self {
        let backend = match hash {
            HashAlgorithm::Sha1 => {
                VerifyBackend::Sha1(rsa::pkcs1v15::VerifyingKey::new(key.key.clone()))
            }
            HashAlgorithm::Sha256 => Self::sha256_backend(&key),
        };
        Self { key, hash, backend }
    }

    #[cfg(feature = "aws-lc")]
    fn sha256_backend(key: &RsaPublicKey) -> VerifyBackend {
        use rsa::pkcs1::EncodeRsaPublicKey as _;
        let parsed = key
            .key
            .to_pkcs1_der()
            .ok()
            .filter(|_| key.bits() >= 2048)
            .and_then(|der| {
                aws_lc_rs::signature::ParsedPublicKey::new(
                    &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                    der.as_bytes(),
                )
                .ok()
            });
        match parsed {
            Some(k) => VerifyBackend::AwsLc(std::sync::Arc::new(k)),
            None => VerifyBackend::Sha256(rsa::pkcs1v15::VerifyingKey::new(key.key.clone())),
        }
    }

    #[cfg(not(feature = "aws-lc"))]
    fn sha256_backend(key: &RsaPublicKey) -> VerifyBackend {
        VerifyBackend::Sha256(rsa::pkcs1v15::VerifyingKey::new(key.key.clone()))
    }
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaVerifier({:?}, {:?})", self.key, self.hash)
    }
}

impl Verifier for RsaVerifier {
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let rsa_sig = || {
            rsa::pkcs1v15::Signature::try_from(signature)
                .map_err(|_| Error::signature(SignatureProblem::Malformed, "not an RSA signature"))
        };
        let ok = match &self.backend {
            VerifyBackend::Sha1(k) => k.verify(message, &rsa_sig()?).is_ok(),
            VerifyBackend::Sha256(k) => k.verify(message, &rsa_sig()?).is_ok(),
            #[cfg(feature = "aws-lc")]
            VerifyBackend::AwsLc(k) => {
                if signature.len() * 8 != self.key.bits() {
                    return Err(Error::signature(
                        SignatureProblem::Malformed,
                        "the signature's length does not match the key",
                    ));
                }
                k.verify_sig(message, signature).is_ok()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::signature(
                SignatureProblem::Mismatch,
                "the signature does not match the configured public key",
            ))
        }
    }
}

#[cfg(test)]
mod tests;
