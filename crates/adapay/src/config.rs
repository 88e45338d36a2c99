//! Configuration: api key, app id, keys, hosts, timeouts, retries, transport.
//!
//! One [`Client`] serves one merchant application; several merchants in one
//! process are several clients (each clone of a client shares its keys and
//! connection pool).

use walletbridge_core::config::{
    ClientOptions, ConfigureClient, ConfigureRsaKeys, EnvReader, RsaKeys, check_base_url,
};
use walletbridge_core::{Error, HashAlgorithm, Result, SecretString};

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
/// use walletbridge_core::prelude::*; // key, timeout and retry setters
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
    base_url: String,
    page_url: String,
    wallet_page_url: Option<String>,
    options: ClientOptions,
    keys: RsaKeys,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("app_id", &self.app_id)
            .field("base_url", &self.base_url)
            .field("page_url", &self.page_url)
            .field("wallet_page_url", &self.wallet_page_url)
            .field("options", &self.options)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            app_id: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            page_url: DEFAULT_PAGE_URL.to_owned(),
            wallet_page_url: None,
            options: ClientOptions::new(),
            keys: RsaKeys::new(HashAlgorithm::Sha1),
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

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let api_key = self
            .api_key
            .filter(|k| !k.expose().trim().is_empty())
            .ok_or_else(|| Error::config("api_key is required"))?;
        // The key is the `Authorization` header: a pasted line break is a
        // configuration error now, not a failed send later.
        walletbridge_core::transport::check_header_value("Authorization", api_key.expose())
            .map_err(|e| match e.kind() {
                walletbridge_core::ErrorKind::Config { message } => {
                    Error::config(format!("api_key is malformed: {message}"))
                }
                _ => e,
            })?;
        let app_id = self
            .app_id
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Error::config("app_id is required"))?;
        if !crate::validate::is_query_safe(&app_id) {
            return Err(Error::config(
                "app_id is malformed: only letters, digits and `-._~` are allowed",
            ));
        }
        let signer = self.keys.signer()?;
        let verifier = match self.keys.verifier() {
            Some(v) => v?,
            None => self.keys.verifier_from_pem(DEFAULT_PLATFORM_PUBLIC_KEY)?,
        };
        let base_url = check_base_url("base_url", &self.base_url)?;
        let page_url = check_base_url("page_url", &self.page_url)?;
        let wallet_page_url = match self.wallet_page_url {
            Some(u) => check_target_url(&u)?,
            None => format!("{page_url}{DEFAULT_WALLET_PAGE_PATH}"),
        };
        Ok(Client::from_inner(Inner {
            api_key,
            app_id,
            base_url,
            page_url,
            wallet_page_url,
            signer,
            verifier,
            ids: self.options.id_source(),
            executor: self.options.executor()?,
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
        let env = EnvReader::new(lookup);
        let api_key = env.required("ADAPAY_API_KEY")?;
        let app_id = env.required("ADAPAY_APP_ID")?;
        if !crate::validate::is_query_safe(&app_id) {
            return Err(Error::config(
                "ADAPAY_APP_ID is malformed: only letters, digits and `-._~` are allowed",
            ));
        }
        let key = env.private_key("ADAPAY_PRIVATE_KEY")?;
        let mut b = Self::default()
            .api_key(api_key)
            .app_id(app_id)
            .private_key(&key);
        if let Some(platform) = env.public_key("ADAPAY_PLATFORM_PUBLIC_KEY")? {
            b = b.platform_public_key(platform);
        }
        if let Some(url) = env.base_url("ADAPAY_BASE_URL")? {
            b = b.base_url(url);
        }
        if let Some(url) = env.base_url("ADAPAY_PAGE_URL")? {
            b = b.page_url(url);
        }
        Ok(b)
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
