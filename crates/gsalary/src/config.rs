//! Configuration: appid, keys, environment, timeouts, retries, transport.

use std::sync::Arc;
use std::time::Duration;

use walletbridge_core::{
    Clock, Error, HashAlgorithm, Result, RetryPolicy, RsaPrivateKey, RsaPublicKey, RsaSigner,
    RsaVerifier, Signer, SystemClock, Transport, Verifier,
};

use crate::client::{Client, Inner};

/// Where the API lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://api-test.gsalary.com`
    Test,
    /// `https://api.gsalary.com`
    Production,
    /// Any base URL (a proxy, a mock server).
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Self::Test => "https://api-test.gsalary.com",
            Self::Production => "https://api.gsalary.com",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// Builds a [`Client`]. Keys are parsed here, once.
#[must_use]
pub struct ClientBuilder {
    appid: Option<String>,
    signer: Option<Result<Arc<dyn Signer>>>,
    verifier: Option<Result<Arc<dyn Verifier>>>,
    environment: Environment,
    acquiring_prefix: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("appid", &self.appid)
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            appid: None,
            signer: None,
            verifier: None,
            environment: Environment::Test,
            acquiring_prefix: String::new(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            transport: None,
            clock: Arc::new(SystemClock),
        }
    }
}

impl ClientBuilder {
    /// The appid from the GSalary portal.
    pub fn appid(mut self, appid: impl Into<String>) -> Self {
        self.appid = Some(appid.into());
        self
    }

    /// The merchant private key: PKCS#8 or PKCS#1 PEM, or bare base64.
    pub fn private_key_pem(mut self, key: &str) -> Self {
        self.signer = Some(RsaPrivateKey::parse(key).and_then(|k| signer_for(&k)));
        self
    }

    /// The merchant private key, already parsed.
    pub fn private_key(mut self, key: &RsaPrivateKey) -> Self {
        self.signer = Some(signer_for(key));
        self
    }

    /// Signs with your own signer (an HSM, a remote signing service).
    pub fn signer(mut self, signer: Arc<dyn Signer>) -> Self {
        self.signer = Some(Ok(signer));
        self
    }

    /// The GSalary platform public key: SPKI PEM or bare base64.
    pub fn platform_public_key_pem(mut self, key: &str) -> Self {
        self.verifier = Some(RsaPublicKey::parse(key).map(verifier_for));
        self
    }

    /// The GSalary platform public key, already parsed.
    pub fn platform_public_key(mut self, key: RsaPublicKey) -> Self {
        self.verifier = Some(Ok(verifier_for(key)));
        self
    }

    /// Verifies with your own verifier.
    pub fn verifier(mut self, verifier: Arc<dyn Verifier>) -> Self {
        self.verifier = Some(Ok(verifier));
        self
    }

    /// Test (default), production, or any base URL.
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = env;
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// What goes in front of the acquiring paths (`/gateway/v1/acquiring/...`).
    /// Default: nothing. The pages do not say whether the gateway also takes
    /// the `/v1` prefix; set `"/v1"` if your account needs it.
    pub fn acquiring_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.acquiring_prefix = prefix.into().trim_end_matches('/').to_owned();
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

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends through this transport instead of the default.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The clock that stamps requests and checks webhooks.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let appid = self
            .appid
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Error::config("appid is required"))?;
        let signer = self
            .signer
            .ok_or_else(|| Error::config("the merchant private key is required"))??;
        let verifier = self
            .verifier
            .ok_or_else(|| Error::config("the GSalary platform public key is required"))??;
        let base_url = self.environment.base_url().to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(Error::config(format!(
                "base URL `{base_url}` must start with http:// or https://"
            )));
        }
        let transport = match self.transport {
            Some(t) => t,
            None => walletbridge_core::default_transport(self.timeout, self.connect_timeout)?,
        };
        Ok(Client::from_inner(Inner {
            appid,
            base_url,
            acquiring_prefix: self.acquiring_prefix,
            signer,
            verifier,
            clock: self.clock,
            executor: walletbridge_core::Executor::new(transport, self.retry),
        }))
    }

    /// A builder filled from `GSALARY_APPID`, `GSALARY_PRIVATE_KEY` (PEM text
    /// or a file path), `GSALARY_PLATFORM_PUBLIC_KEY` (text or path) and
    /// `GSALARY_BASE_URL` (optional; default the test environment).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any lookup, for tests and config systems.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Error::config(format!("{name} is not set")))
        };
        let appid = get("GSALARY_APPID")?;
        let key = RsaPrivateKey::load(&get("GSALARY_PRIVATE_KEY")?).map_err(|e| {
            Error::config(format!("GSALARY_PRIVATE_KEY is malformed: {}", e.kind()))
        })?;
        let platform = RsaPublicKey::load(&get("GSALARY_PLATFORM_PUBLIC_KEY")?).map_err(|e| {
            Error::config(format!(
                "GSALARY_PLATFORM_PUBLIC_KEY is malformed: {}",
                e.kind()
            ))
        })?;
        let mut b = Self::default()
            .appid(appid)
            .private_key(&key)
            .platform_public_key(platform);
        if let Some(url) = lookup("GSALARY_BASE_URL").filter(|v| !v.trim().is_empty()) {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Error::config(
                    "GSALARY_BASE_URL is malformed: it must start with http:// or https://",
                ));
            }
            b = b.base_url(url);
        }
        Ok(b)
    }
}

fn signer_for(key: &RsaPrivateKey) -> Result<Arc<dyn Signer>> {
    Ok(Arc::new(RsaSigner::new(key, HashAlgorithm::Sha256)?))
}

fn verifier_for(key: RsaPublicKey) -> Arc<dyn Verifier> {
    Arc::new(RsaVerifier::new(key, HashAlgorithm::Sha256))
}
