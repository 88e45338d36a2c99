//! Configuration: base URL, token source, request signer, the offset of
//! local times, timeouts, retries, transport.
//!
//! One [`Client`] serves one application of one deployment; clones share the
//! token source, signer and connection pool.

use std::sync::Arc;

use walletbridge_core::config::{ClientOptions, ConfigureClient, EnvReader, check_base_url};
use walletbridge_core::date::{CHINA, UtcOffset};
use walletbridge_core::{Error, Result, SecretString, StaticToken, TokenSource};

use crate::client::{Client, Inner};
use crate::signing::{RequestSigner, SandboxHmacSigner};

/// The variable [`ClientBuilder::from_env`] reads the base URL from.
pub const ENV_BASE_URL: &str = "WALLET_SENIOR_BASE_URL";
/// The variable [`ClientBuilder::from_env`] reads the static access token from.
pub const ENV_ACCESS_TOKEN: &str = "WALLET_SENIOR_ACCESS_TOKEN";
/// The variable [`ClientBuilder::from_env`] reads the sandbox signer's secret
/// from (optional; sandbox only).
pub const ENV_SANDBOX_SECRET: &str = "WALLET_SENIOR_SANDBOX_SECRET";

/// Builds a [`Client`].
///
/// Required: the base URL (the deployment's host; there is no public one), a
/// token ([`access_token`](Self::access_token) or
/// [`token_source`](Self::token_source)) and a [`RequestSigner`]. There are
/// no RSA key setters: this provider signs with the deployment's own
/// algorithm.
///
/// ```no_run
/// # fn run() -> walletbridge_core::Result<()> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use walletbridge_core::auth::{CachedTokenSource, IssuedToken};
/// use walletbridge_wallet_senior::prelude::*; // timeout, retry and transport setters
/// use walletbridge_wallet_senior::{Client, SandboxHmacSigner};
///
/// let tokens = CachedTokenSource::new(|| async {
///     // Call your deployment's token endpoint (app_id + app_secret) here.
///     Ok(IssuedToken::new("issued-token", Duration::from_secs(7200)))
/// });
/// let client = Client::builder()
///     .base_url("https://wallet.example.com")
///     .token_source(Arc::new(tokens))
///     .signer(Arc::new(SandboxHmacSigner::new("sandbox-secret")))
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenSource>>,
    signer: Option<Arc<dyn RequestSigner>>,
    offset: UtcOffset,
    options: ClientOptions,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_source", &self.tokens.is_some())
            .field("signer", &self.signer.is_some())
            .field("utc_offset", &self.offset)
            .field("options", &self.options)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            tokens: None,
            signer: None,
            offset: CHINA,
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
    /// The deployment's base URL (`https://wallet.example.com`); the paths
    /// `/wallet_server/v1/m/senior/...` are added to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A fixed `access_token` ([`StaticToken`]): a refused token (HTTP 401)
    /// stays an authentication error. Never printed by `Debug`.
    pub fn access_token(mut self, token: impl Into<SecretString>) -> Self {
        self.tokens = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Where the `access_token` comes from: a
    /// [`CachedTokenSource`](walletbridge_core::CachedTokenSource) around your
    /// call to the deployment's token endpoint refreshes before expiry, and
    /// after a 401 once (the call is then repeated once).
    pub fn token_source(mut self, tokens: Arc<dyn TokenSource>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// The signer that makes each request's `sign` with your deployment's
    /// algorithm (see [`crate::signing`]).
    pub fn signer(mut self, signer: Arc<dyn RequestSigner>) -> Self {
        self.signer = Some(signer);
        self
    }

    /// The offset `yyyy-MM-dd HH:mm:ss` times are written (`expire_time`)
    /// and read (answers) at. Default +08:00, as the page means.
    pub fn utc_offset(mut self, offset: UtcOffset) -> Self {
        self.offset = offset;
        self
    }

    /// Builds the client, or says what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.ok_or_else(|| {
            Error::config("base_url is required: the senior wallet is hosted by each deployment")
        })?;
        let base_url = check_base_url("base_url", &base_url)?;
        let tokens = self.tokens.ok_or_else(|| {
            Error::config("an access token is required: set access_token(...) or token_source(...)")
        })?;
        let signer = self.signer.ok_or_else(|| {
            Error::config(
                "a request signer is required: the sign algorithm belongs to the deployment; \
                 set signer(...) (SandboxHmacSigner for the sandbox only)",
            )
        })?;
        Ok(Client::from_inner(Inner {
            base_url,
            tokens,
            signer,
            offset: self.offset,
            clock: self.options.clock(),
            executor: self.options.executor()?,
        }))
    }

    /// A builder filled from the environment:
    ///
    /// | variable | |
    /// |---|---|
    /// | `WALLET_SENIOR_BASE_URL` | required |
    /// | `WALLET_SENIOR_ACCESS_TOKEN` | required: a static token |
    /// | `WALLET_SENIOR_SANDBOX_SECRET` | optional: signs with [`SandboxHmacSigner`] (the sandbox only) |
    ///
    /// Without the sandbox secret, set your deployment's signer with
    /// [`signer`](Self::signer) before [`build`](Self::build). The error names
    /// every required variable that is missing, and a malformed one.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any lookup, for tests and config systems.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let env = EnvReader::new(lookup);
        let base_url = env.optional(ENV_BASE_URL);
        let token = env.optional(ENV_ACCESS_TOKEN);
        let missing: Vec<&str> = [
            (ENV_BASE_URL, base_url.is_none()),
            (ENV_ACCESS_TOKEN, token.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(n, _)| *n)
        .collect();
        let (Some(base_url), Some(token)) = (base_url, token) else {
            return Err(Error::config(match missing.as_slice() {
                [one] => format!("{one} is not set"),
                many => format!("{} are not set", many.join(" and ")),
            }));
        };
        let base_url = check_base_url(ENV_BASE_URL, &base_url)?;
        let mut b = Self::default().base_url(base_url).access_token(token);
        if let Some(secret) = env.optional(ENV_SANDBOX_SECRET) {
            b = b.signer(Arc::new(SandboxHmacSigner::new(secret)));
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |n: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn config_error(r: Result<ClientBuilder>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn from_env_names_what_is_missing() {
        assert_eq!(
            config_error(ClientBuilder::from_lookup(lookup(&[]))),
            "configuration error: WALLET_SENIOR_BASE_URL and WALLET_SENIOR_ACCESS_TOKEN are not set"
        );
        assert_eq!(
            config_error(ClientBuilder::from_lookup(lookup(&[(
                ENV_BASE_URL,
                "https://w.example"
            )]))),
            "configuration error: WALLET_SENIOR_ACCESS_TOKEN is not set"
        );
        assert_eq!(
            config_error(ClientBuilder::from_lookup(lookup(&[(
                ENV_ACCESS_TOKEN,
                "t"
            )]))),
            "configuration error: WALLET_SENIOR_BASE_URL is not set"
        );
        let bad = config_error(ClientBuilder::from_lookup(lookup(&[
            (ENV_BASE_URL, "wallet.example"),
            (ENV_ACCESS_TOKEN, "t"),
        ])));
        assert!(bad.contains("WALLET_SENIOR_BASE_URL is malformed"), "{bad}");
    }

    #[test]
    fn build_names_what_is_missing_and_never_shows_the_token() {
        let b = ClientBuilder::from_lookup(lookup(&[
            (ENV_BASE_URL, "https://w.example/"),
            (ENV_ACCESS_TOKEN, "tok-sekrit"),
        ]))
        .unwrap();
        assert!(!format!("{b:?}").contains("sekrit"));
        let err = b.build().unwrap_err().to_string();
        assert!(err.contains("request signer is required"), "{err}");
        let client = ClientBuilder::from_lookup(lookup(&[
            (ENV_BASE_URL, "https://w.example/"),
            (ENV_ACCESS_TOKEN, "tok-sekrit"),
            (ENV_SANDBOX_SECRET, "s"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert!(!format!("{client:?}").contains("sekrit"));
        let err = Client::builder().build().unwrap_err().to_string();
        assert!(err.contains("base_url is required"), "{err}");
        let err = Client::builder()
            .base_url("https://w.example")
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("access token is required"), "{err}");
    }
}
