//! The RSA key pairs the sandbox signs and verifies with.
//!
//! With a state directory, each pair is loaded from, or generated (RSA 2048,
//! for a fast start) into, `{provider}-{platform|merchant}-{private|public}.pem`
//! (PKCS#8 private, SPKI public). The sandbox signs with the platform private
//! keys and trusts the merchant public keys found there, so a user can put
//! their own merchant public key in place (the merchant private key is then
//! optional: only the ready-made clients and `env_vars` need it).
//!
//! Without a state directory the committed test keys of
//! `tests/fixtures/keys` are used (they are public: never trust them
//! anywhere), or fresh keys with `SandboxConfig::generate_keys(true)`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use walletbridge_core::{
    HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier, Signer, Verifier,
};

use crate::error::{Error, Result};

/// The key file names, in the state directory.
pub const KEY_FILES: [&str; 8] = [
    "gsalary-platform-private.pem",
    "gsalary-platform-public.pem",
    "gsalary-merchant-private.pem",
    "gsalary-merchant-public.pem",
    "adapay-platform-private.pem",
    "adapay-platform-public.pem",
    "adapay-merchant-private.pem",
    "adapay-merchant-public.pem",
];

/// One key pair as PEM text (the private half may be absent for a merchant).
#[derive(Clone)]
pub(crate) struct PemPair {
    pub(crate) private: Option<String>,
    pub(crate) public: String,
    /// Where the files are, with a state directory.
    pub(crate) private_path: Option<PathBuf>,
    pub(crate) public_path: Option<PathBuf>,
}

/// Everything the servers sign and verify with.
pub(crate) struct Keys {
    pub(crate) gsalary_platform: Arc<dyn Signer>,
    pub(crate) gsalary_merchant: Arc<dyn Verifier>,
    pub(crate) adapay_platform: Arc<dyn Signer>,
    pub(crate) adapay_merchant: Arc<dyn Verifier>,
    pub(crate) gsalary_platform_pem: PemPair,
    pub(crate) gsalary_merchant_pem: PemPair,
    pub(crate) adapay_platform_pem: PemPair,
    pub(crate) adapay_merchant_pem: PemPair,
}

const FIXTURES: [(&str, &str, &str); 4] = [
    (
        "gsalary-platform",
        crate::test_keys::GSALARY_PLATFORM_PRIVATE,
        crate::test_keys::GSALARY_PLATFORM_PUBLIC,
    ),
    (
        "gsalary-merchant",
        crate::test_keys::GSALARY_MERCHANT_PRIVATE,
        crate::test_keys::GSALARY_MERCHANT_PUBLIC,
    ),
    (
        "adapay-platform",
        crate::test_keys::ADAPAY_PLATFORM_PRIVATE,
        crate::test_keys::ADAPAY_PLATFORM_PUBLIC,
    ),
    (
        "adapay-merchant",
        crate::test_keys::ADAPAY_MERCHANT_PRIVATE,
        crate::test_keys::ADAPAY_MERCHANT_PUBLIC,
    ),
];

impl Keys {
    /// Loads or generates every pair.
    pub(crate) fn load(dir: Option<&Path>, generate: bool) -> Result<Self> {
        let pair = |i: usize, needs_private: bool| -> Result<PemPair> {
            let (name, private, public) = FIXTURES[i];
            match dir {
                Some(d) => load_or_generate(d, name, needs_private),
                None if generate => generate_pair(),
                None => Ok(PemPair {
                    private: Some(private.to_owned()),
                    public: public.to_owned(),
                    private_path: None,
                    public_path: None,
                }),
            }
        };
        let gp = pair(0, true)?;
        let gm = pair(1, false)?;
        let ap = pair(2, true)?;
        let am = pair(3, false)?;
        Ok(Self {
            gsalary_platform: signer(&gp, "gsalary-platform-private.pem", HashAlgorithm::Sha256)?,
            gsalary_merchant: verifier(&gm, "gsalary-merchant-public.pem", HashAlgorithm::Sha256)?,
            adapay_platform: signer(&ap, "adapay-platform-private.pem", HashAlgorithm::Sha1)?,
            adapay_merchant: verifier(&am, "adapay-merchant-public.pem", HashAlgorithm::Sha1)?,
            gsalary_platform_pem: gp,
            gsalary_merchant_pem: gm,
            adapay_platform_pem: ap,
            adapay_merchant_pem: am,
        })
    }
}

fn key_error(file: &str, e: impl std::fmt::Display) -> Error {
    Error::Key {
        file: file.to_owned(),
        message: e.to_string(),
    }
}

fn signer(pair: &PemPair, file: &str, hash: HashAlgorithm) -> Result<Arc<dyn Signer>> {
    let pem = pair
        .private
        .as_deref()
        .ok_or_else(|| key_error(file, "the private key is missing"))?;
    let key = RsaPrivateKey::parse(pem).map_err(|e| key_error(file, e))?;
    Ok(Arc::new(
        RsaSigner::new(&key, hash).map_err(|e| key_error(file, e))?,
    ))
}

fn verifier(pair: &PemPair, file: &str, hash: HashAlgorithm) -> Result<Arc<dyn Verifier>> {
    let key = RsaPublicKey::parse(&pair.public).map_err(|e| key_error(file, e))?;
    Ok(Arc::new(RsaVerifier::new(key, hash)))
}

/// A fresh RSA 2048 pair as PKCS#8 / SPKI PEM.
pub(crate) fn generate_pair() -> Result<PemPair> {
    let mut rng = rand::thread_rng();
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).map_err(|e| key_error("(generated)", e))?;
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| key_error("(generated)", e))?
        .to_string();
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| key_error("(generated)", e))?;
    Ok(PemPair {
        private: Some(private),
        public,
        private_path: None,
        public_path: None,
    })
}

fn read(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

fn write(path: &Path, text: &str, private: bool) -> Result<()> {
    std::fs::write(path, text)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}

fn load_or_generate(dir: &Path, name: &str, needs_private: bool) -> Result<PemPair> {
    let private_path = dir.join(format!("{name}-private.pem"));
    let public_path = dir.join(format!("{name}-public.pem"));
    let private = read(&private_path)?;
    let public = read(&public_path)?;
    let (private, public) = match (private, public) {
        (Some(p), Some(q)) => (Some(p), q),
        (Some(p), None) => {
            let public = public_pem(&p, name)?;
            write(&public_path, &public, false)?;
            (Some(p), public)
        }
        (None, Some(q)) if !needs_private => (None, q),
        (None, Some(_)) => {
            return Err(key_error(
                &format!("{name}-private.pem"),
                "missing while the public key is present: the sandbox signs with it",
            ));
        }
        (None, None) => {
            let pair = generate_pair()?;
            let p = pair.private.unwrap_or_default();
            write(&private_path, &p, true)?;
            write(&public_path, &pair.public, false)?;
            (Some(p), pair.public)
        }
    };
    Ok(PemPair {
        private_path: private.as_ref().map(|_| private_path),
        private,
        public,
        public_path: Some(public_path),
    })
}

fn public_pem(private_pem: &str, name: &str) -> Result<String> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let file = format!("{name}-private.pem");
    let inner = rsa::RsaPrivateKey::from_pkcs8_pem(private_pem.trim())
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_pem(private_pem.trim()))
        .map_err(|_| key_error(&file, "not a PKCS#8 or PKCS#1 PEM RSA private key"))?;
    inner
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| key_error(&format!("{name}-public.pem"), e))
}
