//! Configuration: appid, keys, environment, timeouts, retries, transport.

use walletbridge_core::config::{
    ClientOptions, ConfigureClient, ConfigureRsaKeys, EnvReader, RsaKeys, check_base_url,
};
use walletbridge_core::webhook::Tolerance;
use walletbridge_core::{Error, HashAlgorithm, Result};

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
    /// The environment's name: `test`, `production` or `custom`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Production => "production",
            Self::Custom(_) => "custom",
        }
    }

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
    environment: Environment,
    acquiring_prefix: String,
    answer_tolerance: Tolerance,
    options: ClientOptions,
    keys: RsaKeys,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("appid", &self.appid)
            .field("environment", &self.environment)
            .field("options", &self.options)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            appid: None,
            environment: Environment::Test,
            acquiring_prefix: String::new(),
            answer_tolerance: Tolerance::default(),
            options: ClientOptions::new(),
            keys: RsaKeys::new(HashAlgorithm::Sha256),
        }
    }
}

impl ConfigureClient for ClientBuilder {
    fn client_options(&mut self) -> &mut ClientOptions {
        &mut self.options
    }
}

impl ConfigureRsaKeys for ClientBuilder {
    fn rsa_keys(&mut self) -> &mut RsaKeys {
        &mut self.keys
    }
}

impl ClientBuilder {
    /// The appid from the GSalary portal.
    pub fn appid(mut self, appid: impl Into<String>) -> Self {
        self.appid = Some(appid.into());
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

    /// How far the signed `time` of an answer may be from the client's clock
    /// (default 5 minutes, the window GSalary gives requests). An answer
    /// outside it is refused as stale: it may be a replay of an old answer.
    /// [`Tolerance::Disabled`] turns the check off; the signature is still
    /// checked.
    pub fn answer_tolerance(mut self, tolerance: Tolerance) -> Self {
        self.answer_tolerance = tolerance;
        self
    }

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let appid = self
            .appid
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Error::config("appid is required"))?;
        let signer = self.keys.signer()?;
        let verifier = self
            .keys
            .verifier()
            .ok_or_else(|| Error::config("the GSalary platform public key is required"))??;
        let base_url = check_base_url("base URL", self.environment.base_url())?;
        Ok(Client::from_inner(Inner {
            appid,
            environment: self.environment.name(),
            base_url,
            acquiring_prefix: self.acquiring_prefix,
            signer,
            verifier,
            clock: self.options.clock(),
            ids: self.options.id_source(),
            executor: self.options.executor()?,
            answer_tolerance: self.answer_tolerance,
        }))
    }

    /// A builder filled from `GSALARY_APPID`, `GSALARY_PRIVATE_KEY` (PEM text
    /// or a file path), `GSALARY_PLATFORM_PUBLIC_KEY` (text or path),
    /// `GSALARY_ENVIRONMENT` (optional: `test`, the default, or
    /// `production`) and `GSALARY_BASE_URL` (optional). When both are set,
    /// the base URL wins (a proxy or a stand-in in front of either
    /// environment). The error names exactly the variable that is missing or
    /// malformed.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any lookup, for tests and config systems.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let env = EnvReader::new(lookup);
        let appid = env.required("GSALARY_APPID")?;
        let key = env.private_key("GSALARY_PRIVATE_KEY")?;
        let platform = env
            .public_key("GSALARY_PLATFORM_PUBLIC_KEY")?
            .ok_or_else(|| Error::config("GSALARY_PLATFORM_PUBLIC_KEY is not set"))?;
        let mut b = Self::default()
            .appid(appid)
            .private_key(&key)
            .platform_public_key(platform);
        if let Some(name) = env.optional("GSALARY_ENVIRONMENT") {
            b = b.environment(match name.trim().to_ascii_lowercase().as_str() {
                "test" => Environment::Test,
                "production" | "prod" => Environment::Production,
                _ => {
                    return Err(Error::config(format!(
                        "GSALARY_ENVIRONMENT must be `test` or `production`, got `{name}`"
                    )));
                }
            });
        }
        if let Some(url) = env.base_url("GSALARY_BASE_URL")? {
            b = b.base_url(url);
        }
        Ok(b)
    }
}
