//! Configuration: api key, app id, keys, hosts, timeouts, retries, transport.
//!
//! One [`Client`] serves one merchant application; several merchants in one
//! process are several clients (each clone of a client shares its keys and
//! connection pool).

use std::sync::Arc;
use std::time::Duration;

use walletbridge_core::{
    Clock, Error, HashAlgorithm, Result, RetryPolicy, RsaPrivateKey, RsaPublicKey, RsaSigner,
    RsaVerifier, SecretString, Signer, SystemClock, Transport, Verifier,
};

use crate::client::{Client, Inner};

/// The API host: draw cash, draw-cash status, balance.
pub const DEFAULT_BASE_URL: &str = "https://api.adapay.tech";

/// The page host: wallet login and the wallet page.
pub const DEFAULT_PAGE_URL: &str = "https://page.adapay.tech";

/// The path on the page host the wallet page form posts `token` and `sign`
/// to, unless [`ClientBuilder::wallet_page_url`] says otherwise.
///
/// *Inferred*: the provider's page does not name it (see docs/adapay.md,
/// "Decisions where the page was silent").
pub const DEFAULT_WALLET_PAGE_PATH: &str = "/wallet";

/// The Adapay platform public key (SPKI, base64 DER, RSA 1024) that the
/// official Adapay SDKs (Java, C#, PHP, Node.js, Python, Go) ship and use to
/// verify answers and notifications. Used unless
/// [`ClientBuilder::platform_public_key_pem`] sets another one.
pub const DEFAULT_PLATFORM_PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCwN6xgd6Ad8v2hIIsQVnbt8a3JituR8o4Tc3B5WlcFR55bz4OMqrG/356Ur3cPbc2Fe8ArNd/0gZbC9q56Eb16JTkVNA/fye4SXznWxdyBPR7+guuJZHc/VW2fKH2lfZ2P3Tt0QkKZZoawYOGSMdIvO+WqK44updyax0ikK6JlNQIDAQAB";

/// Builds a [`Client`]. Keys are parsed here, once.
///
/// ```no_run
/// # fn run() -> walletbridge_core::Result<()> {
/// let client = walletbridge_adapay::Client::builder()
///     .api_key("api_live_xxxxxxxx")
///     .app_id("app_xxxxxxxx")
///     .private_key_pem(&std::fs::read_to_string("merchant_private_key.pem").unwrap_or_default())
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    app_id: Option<String>,
    signer: Option<Result<Arc<dyn Signer>>>,
    verifier: Option<Result<Arc<dyn Verifier>>>,
    base_url: String,
    page_url: String,
    wallet_page_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("app_id", &self.app_id)
            .field("base_url", &self.base_url)
            .field("page_url", &self.page_url)
            .field("wallet_page_url", &self.wallet_page_url)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            app_id: None,
            signer: None,
            verifier: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            page_url: DEFAULT_PAGE_URL.to_owned(),
            wallet_page_url: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            transport: None,
            clock: Arc::new(SystemClock),
        }
    }
}

impl ClientBuilder {
    /// The API key from the Adapay console (`api_live_...`), sent as the
    /// `Authorization` header. Never printed by `Debug`.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The application's `app_id` from the Adapay console.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The merchant private key: PKCS#8 or PKCS#1 PEM, or bare base64 DER.
    pub fn private_key_pem(mut self, key: &str) -> Self {
        self.signer = Some(RsaPrivateKey::parse(key).and_then(|k| signer_for(&k)));
        self
    }

    /// The merchant private key, already parsed.
    pub fn private_key(mut self, key: &RsaPrivateKey) -> Self {
        self.signer = Some(signer_for(key));
        self
    }

    /// Signs with your own SHA-1 RSA signer (an HSM, a remote signing service).
    pub fn signer(mut self, signer: Arc<dyn Signer>) -> Self {
        self.signer = Some(Ok(signer));
        self
    }

    /// The Adapay platform public key: SPKI PEM, PKCS#1 PEM or bare base64.
    /// Default: [`DEFAULT_PLATFORM_PUBLIC_KEY`].
    pub fn platform_public_key_pem(mut self, key: &str) -> Self {
        self.verifier = Some(RsaPublicKey::parse(key).map(verifier_for));
        self
    }

    /// The Adapay platform public key, already parsed.
    pub fn platform_public_key(mut self, key: RsaPublicKey) -> Self {
        self.verifier = Some(Ok(verifier_for(key)));
        self
    }

    /// Verifies answers and notifications with your own verifier.
    pub fn verifier(mut self, verifier: Arc<dyn Verifier>) -> Self {
        self.verifier = Some(Ok(verifier));
        self
    }

    /// The API host (default [`DEFAULT_BASE_URL`]); a proxy or a mock server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The page host for wallet login and the wallet page (default [`DEFAULT_PAGE_URL`]).
    pub fn page_url(mut self, url: impl Into<String>) -> Self {
        self.page_url = url.into();
        self
    }

    /// The URL the wallet page form posts `token` and `sign` to. Default: the
    /// page host followed by [`DEFAULT_WALLET_PAGE_PATH`].
    pub fn wallet_page_url(mut self, url: impl Into<String>) -> Self {
        self.wallet_page_url = Some(url.into());
        self
    }

    /// The per-request timeout of the default transport (default 30 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// The connect timeout of the default transport (default 10 s).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]). Draw cash is
    /// never repeated whatever the policy says.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends through this transport instead of the default.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The clock. Adapay signs no timestamps, so nothing in the protocol
    /// reads it today; it is kept for parity with the other providers.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let api_key = self
            .api_key
            .filter(|k| !k.expose().trim().is_empty())
            .ok_or_else(|| Error::config("api_key is required"))?;
        let app_id = self
            .app_id
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Error::config("app_id is required"))?;
        if !crate::validate::is_query_safe(&app_id) {
            return Err(Error::config(
                "app_id is malformed: only letters, digits and `-._~` are allowed",
            ));
        }
        let signer = self
            .signer
            .ok_or_else(|| Error::config("the merchant private key is required"))??;
        let verifier = match self.verifier {
            Some(v) => v?,
            None => verifier_for(RsaPublicKey::parse(DEFAULT_PLATFORM_PUBLIC_KEY)?),
        };
        let base_url = check_url("base_url", &self.base_url)?;
        let page_url = check_url("page_url", &self.page_url)?;
        let wallet_page_url = match self.wallet_page_url {
            Some(u) => check_target_url(&u)?,
            None => format!("{page_url}{DEFAULT_WALLET_PAGE_PATH}"),
        };
        let transport = match self.transport {
            Some(t) => t,
            None => walletbridge_core::default_transport(self.timeout, self.connect_timeout)?,
        };
        Ok(Client::from_inner(Inner {
            api_key,
            app_id,
            base_url,
            page_url,
            wallet_page_url,
            signer,
            verifier,
            clock: self.clock,
            executor: walletbridge_core::Executor::new(transport, self.retry),
        }))
    }

    /// A builder filled from the environment:
    ///
    /// | variable | |
    /// |---|---|
    /// | `ADAPAY_API_KEY` | required |
    /// | `ADAPAY_APP_ID` | required |
    /// | `ADAPAY_PRIVATE_KEY` | required: PEM or base64 text, or a path to a file holding it |
    /// | `ADAPAY_PLATFORM_PUBLIC_KEY` | optional (text or path); default [`DEFAULT_PLATFORM_PUBLIC_KEY`] |
    /// | `ADAPAY_BASE_URL` | optional; default [`DEFAULT_BASE_URL`] |
    /// | `ADAPAY_PAGE_URL` | optional; default [`DEFAULT_PAGE_URL`] |
    ///
    /// The error names exactly the variable that is missing or malformed.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any lookup, for tests and config systems.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let optional = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let get =
            |name: &str| optional(name).ok_or_else(|| Error::config(format!("{name} is not set")));
        let api_key = get("ADAPAY_API_KEY")?;
        let app_id = get("ADAPAY_APP_ID")?;
        if !crate::validate::is_query_safe(app_id.trim()) {
            return Err(Error::config(
                "ADAPAY_APP_ID is malformed: only letters, digits and `-._~` are allowed",
            ));
        }
        let key = RsaPrivateKey::load(&get("ADAPAY_PRIVATE_KEY")?)
            .map_err(|e| Error::config(format!("ADAPAY_PRIVATE_KEY is malformed: {}", e.kind())))?;
        let mut b = Self::default()
            .api_key(api_key.trim())
            .app_id(app_id.trim())
            .private_key(&key);
        if let Some(text) = optional("ADAPAY_PLATFORM_PUBLIC_KEY") {
            let platform = RsaPublicKey::load(&text).map_err(|e| {
                Error::config(format!(
                    "ADAPAY_PLATFORM_PUBLIC_KEY is malformed: {}",
                    e.kind()
                ))
            })?;
            b = b.platform_public_key(platform);
        }
        for (name, is_page) in [("ADAPAY_BASE_URL", false), ("ADAPAY_PAGE_URL", true)] {
            if let Some(url) = optional(name) {
                check_url(name, &url)?;
                b = if is_page {
                    b.page_url(url)
                } else {
                    b.base_url(url)
                };
            }
        }
        Ok(b)
    }
}

/// A base URL: `http(s)://host[:port][/prefix]`, no query or fragment;
/// returned without a trailing slash.
fn check_url(name: &str, url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    let malformed = |why: &str| Error::config(format!("{name} is malformed: {why}"));
    match rest {
        None => Err(malformed("it must start with http:// or https://")),
        Some(r) if r.is_empty() || r.starts_with('/') => Err(malformed("it has no host")),
        Some(r) if r.contains(['?', '#']) || r.chars().any(char::is_whitespace) => {
            Err(malformed("it must not carry a query, a fragment or spaces"))
        }
        Some(_) => Ok(u.to_owned()),
    }
}

/// The wallet page target: `http(s)://host...`; a query is allowed (the
/// form posts its fields in the body), spaces are not.
fn check_target_url(url: &str) -> Result<String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::config("wallet_page_url is malformed: it must start with http:// or https://")
        })?;
    if rest.is_empty()
        || rest.starts_with(['/', '?'])
        || u.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::config(
            "wallet_page_url is malformed: it needs a host and no spaces",
        ));
    }
    Ok(u.to_owned())
}

fn signer_for(key: &RsaPrivateKey) -> Result<Arc<dyn Signer>> {
    Ok(Arc::new(RsaSigner::new(key, HashAlgorithm::Sha1)?))
}

fn verifier_for(key: RsaPublicKey) -> Arc<dyn Verifier> {
    Arc::new(RsaVerifier::new(key, HashAlgorithm::Sha1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_trimmed() {
        assert_eq!(
            check_url("u", "https://api.adapay.tech/").ok().as_deref(),
            Some("https://api.adapay.tech")
        );
        assert_eq!(
            check_url("u", "http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(check_url("u", "api.adapay.tech").is_err());
        assert!(check_url("u", "https://").is_err());
        assert!(check_url("u", "https://h/x?a=1").is_err());
    }

    #[test]
    fn default_platform_key_parses() {
        let key = RsaPublicKey::parse(DEFAULT_PLATFORM_PUBLIC_KEY);
        assert_eq!(key.map(|k| k.bits()).ok(), Some(1024));
    }
}
