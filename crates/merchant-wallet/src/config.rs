//! Configuration: base URL, credentials or a token, timeouts, retries, transport.
//!
//! One [`Client`] serves one merchant account. The platform is deployed by
//! each shop operator, so there is no default base URL.

use std::sync::Arc;
use std::time::Duration;

use walletbridge_core::config::{ClientOptions, ConfigureClient, EnvReader, check_base_url};
use walletbridge_core::{Error, Result, SecretString, StaticToken, TokenSource};

use crate::auth::{Credentials, LoginCtx};
use crate::client::{Client, Inner};

/// How long before a token's expiry the client logs in again, unless
/// [`ClientBuilder::refresh_margin`] says otherwise.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Builds a [`Client`].
///
/// ```no_run
/// # fn run() -> walletbridge_core::Result<()> {
/// use std::time::Duration;
/// use walletbridge_merchant_wallet::prelude::*; // timeout, retry and transport setters
/// let client = walletbridge_merchant_wallet::Client::builder()
///     .base_url("https://shop.example.com")
///     .credentials("merchant@example.com", "secret")
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    token: Option<SecretString>,
    token_source: Option<Arc<dyn TokenSource>>,
    refresh_margin: Duration,
    options: ClientOptions,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("token", &self.token)
            .field("custom_token_source", &self.token_source.is_some())
            .field("refresh_margin", &self.refresh_margin)
            .field("options", &self.options)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            credentials: None,
            token: None,
            token_source: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            options: ClientOptions::new(),
        }
    }
}

impl ConfigureClient for ClientBuilder {
    fn client_options(&mut self) -> &mut ClientOptions {
        &mut self.options
    }
}

impl ClientBuilder {
    /// The platform's base URL (`https://shop.example.com`), where
    /// `/merchantapi/...` and `/home/pay/...` live. Required.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Log in with this username (user name, mobile number or e-mail) and
    /// password on first use, and again when the token expires or is refused.
    pub fn credentials(
        mut self,
        username: impl Into<SecretString>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.credentials = Some(Credentials::new(username, password));
        self
    }

    /// Send this bearer token and never log in: a 401 is then an
    /// authentication error. Use either this or [`credentials`](Self::credentials).
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Take tokens from your own source (one shared between processes, say)
    /// instead of credentials or a fixed token.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token_source = Some(source);
        self
    }

    /// How long before a token's expiry the client logs in again (default
    /// [`DEFAULT_REFRESH_MARGIN`]).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let base_url = self
            .base_url
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::config("base_url is required"))?;
        let base_url = check_base_url("base_url", &base_url)?;
        let executor = self.options.executor()?;
        let clock = self.options.clock();
        let given = [
            self.credentials.is_some(),
            self.token.is_some(),
            self.token_source.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(Error::config(
                "give one of credentials (username and password), a token or a token source, not several",
            ));
        }
        let (tokens, login): (Arc<dyn TokenSource>, _) =
            match (self.credentials, self.token, self.token_source) {
                (Some(credentials), _, _) => {
                    if credentials.is_blank() {
                        return Err(Error::config(
                            "credentials need a username and a password that are not blank",
                        ));
                    }
                    let ctx = Arc::new(LoginCtx {
                        executor: executor.clone(),
                        base_url: base_url.clone(),
                        credentials,
                        clock,
                    });
                    let source = Arc::clone(&ctx).token_source(self.refresh_margin);
                    (Arc::new(source), Some(ctx))
                }
                (None, Some(token), _) => {
                    if token.expose().trim().is_empty() {
                        return Err(Error::config("token is blank"));
                    }
                    // The token is a header value: a pasted line break is a
                    // configuration error now, not a failed send later.
                    walletbridge_core::transport::check_header_value(
                        "Authorization",
                        token.expose(),
                    )
                    .map_err(|_| {
                        Error::config(
                            "token is malformed: it holds a line break or control character",
                        )
                    })?;
                    (Arc::new(StaticToken::new(token)), None)
                }
                (None, None, Some(source)) => (source, None),
                (None, None, None) => {
                    return Err(Error::config(
                        "credentials (username and password) or a token are required",
                    ));
                }
            };
        Ok(Client::from_inner(Inner {
            base_url,
            tokens,
            login,
            executor,
        }))
    }

    /// A builder filled from the environment:
    ///
    /// | variable | |
    /// |---|---|
    /// | `MERCHANT_WALLET_BASE_URL` | required |
    /// | `MERCHANT_WALLET_USERNAME` | with `MERCHANT_WALLET_PASSWORD`: log in |
    /// | `MERCHANT_WALLET_PASSWORD` | |
    /// | `MERCHANT_WALLET_TOKEN` | instead of username and password: a ready bearer token |
    ///
    /// Values are trimmed. The error names exactly the variable that is
    /// missing or malformed, and never echoes a value.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any lookup, for tests and config systems.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        const URL: &str = "MERCHANT_WALLET_BASE_URL";
        const USER: &str = "MERCHANT_WALLET_USERNAME";
        const PASS: &str = "MERCHANT_WALLET_PASSWORD";
        const TOKEN: &str = "MERCHANT_WALLET_TOKEN";
        let env = EnvReader::new(lookup);
        let url = env
            .base_url(URL)?
            .ok_or_else(|| Error::config(format!("{URL} is not set")))?;
        let b = Self::default().base_url(url);
        match (env.optional(USER), env.optional(PASS), env.optional(TOKEN)) {
            (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => Err(Error::config(format!(
                "set {TOKEN} or {USER} and {PASS}, not both"
            ))),
            (Some(user), Some(pass), None) => Ok(b.credentials(user, pass)),
            (Some(_), None, None) => Err(Error::config(format!("{PASS} is not set"))),
            (None, Some(_), None) => Err(Error::config(format!("{USER} is not set"))),
            (None, None, Some(token)) => Ok(b.token(token)),
            (None, None, None) => Err(Error::config(format!(
                "{USER} and {PASS} (or {TOKEN}) are not set"
            ))),
        }
    }
}
