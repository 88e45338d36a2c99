//! What every provider client is configured with besides its own credentials
//! and hosts, and reading configuration from environment variables.
//!
//! - [`ClientOptions`]: transport, timeouts, retry policy, clock, id source
//!   and user agent. Every client has them; provider builders expose them
//!   through [`ConfigureClient`].
//! - [`RsaKeys`]: the merchant private key, the platform public key and the
//!   hash, for the providers that sign with RSA (GSalary, Adapay); their
//!   builders expose them through [`ConfigureRsaKeys`]. A provider that signs
//!   nothing never shows key setters nor a "private key is required" error.

use std::sync::Arc;
use std::time::Duration;

use crate::call::Executor;
use crate::clock::{Clock, IdSource, RandomIds, SystemClock};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::signing::{
    HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier, Signer, Verifier,
};
use crate::transport::Transport;

/// Timeouts, retry policy, transport, clock, id source and user agent of one client.
pub struct ClientOptions {
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    user_agent: String,
    deadline: Duration,
    proxy: Option<crate::secret::SecretString>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_transport", &self.transport.is_some())
            .field("user_agent", &self.user_agent)
            .field("deadline", &self.deadline)
            .field("proxy", &self.proxy.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    /// 30 s per request, 10 s to connect, 60 s for a whole call across its
    /// attempts ([`DEFAULT_DEADLINE`](crate::call::DEFAULT_DEADLINE)), the
    /// default retry policy, the system clock, random ids, the user agent
    /// `walletbridge/{version}`.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            transport: None,
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
            user_agent: concat!("walletbridge/", env!("CARGO_PKG_VERSION")).to_owned(),
            deadline: crate::call::DEFAULT_DEADLINE,
            proxy: None,
        }
    }
}

impl ClientOptions {
    /// The defaults (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// The per-request timeout of the default transport.
    pub fn set_timeout(&mut self, t: Duration) {
        self.timeout = t;
    }

    /// The connect timeout of the default transport.
    pub fn set_connect_timeout(&mut self, t: Duration) {
        self.connect_timeout = t;
    }

    /// The retry policy.
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// Sends through this transport instead of the default.
    pub fn set_transport(&mut self, transport: Arc<dyn Transport>) {
        self.transport = Some(transport);
    }

    /// The clock that stamps requests and checks answers and notifications.
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The source of the ids a client makes up for callers (request ids, order numbers).
    pub fn set_id_source(&mut self, ids: Arc<dyn IdSource>) {
        self.ids = ids;
    }

    /// The `User-Agent` of the default transport.
    pub fn set_user_agent(&mut self, user_agent: impl Into<String>) {
        self.user_agent = user_agent.into();
    }

    /// The time a whole call may take, across attempts and the waits between
    /// them; it holds for a caller's own transport too.
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline;
    }

    /// Sends through this proxy (the default transport only). Kept as a
    /// secret: proxy URLs often carry a password.
    pub fn set_proxy(&mut self, url: impl Into<String>) {
        self.proxy = Some(crate::secret::SecretString::new(url.into()));
    }

    /// The id source.
    pub fn id_source(&self) -> Arc<dyn IdSource> {
        self.ids.clone()
    }

    /// The clock.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The executor: the given transport, or the default one with the
    /// configured timeouts and user agent, under the retry policy.
    pub fn executor(&self) -> Result<Executor> {
        let transport = match &self.transport {
            Some(t) => t.clone(),
            None => self.default_transport()?,
        };
        Ok(Executor::new(transport, self.retry.clone()).with_deadline(self.deadline))
    }

    #[cfg(feature = "reqwest")]
    fn default_transport(&self) -> Result<Arc<dyn Transport>> {
        let mut b = crate::transport::ReqwestTransport::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone());
        if let Some(proxy) = &self.proxy {
            b = b.proxy(proxy.expose().clone());
        }
        let t = b.build()?;
        Ok(Arc::new(t))
    }

    #[cfg(not(feature = "reqwest"))]
    fn default_transport(&self) -> Result<Arc<dyn Transport>> {
        crate::default_transport(self.timeout, self.connect_timeout)
    }
}

/// The RSA key material of a client that signs requests and verifies answers.
pub struct RsaKeys {
    hash: HashAlgorithm,
    signer: Option<Result<Arc<dyn Signer>>>,
    verifier: Option<Result<Arc<dyn Verifier>>>,
}

impl std::fmt::Debug for RsaKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaKeys")
            .field("hash", &self.hash)
            .field("signer", &self.signer.as_ref().map(|s| s.is_ok()))
            .field("verifier", &self.verifier.as_ref().map(|v| v.is_ok()))
            .finish()
    }
}

impl RsaKeys {
    /// No keys yet, for a provider that signs with `hash`.
    pub fn new(hash: HashAlgorithm) -> Self {
        Self {
            hash,
            signer: None,
            verifier: None,
        }
    }

    /// Parses the merchant private key now; an error is reported by `build`.
    pub fn set_private_key_pem(&mut self, pem: &str) {
        let hash = self.hash;
        self.signer = Some(RsaPrivateKey::parse(pem).and_then(|k| signer_for(&k, hash)));
    }

    /// Uses a parsed merchant private key.
    pub fn set_private_key(&mut self, key: &RsaPrivateKey) {
        self.signer = Some(signer_for(key, self.hash));
    }

    /// Signs with the caller's signer.
    pub fn set_signer(&mut self, signer: Arc<dyn Signer>) {
        self.signer = Some(Ok(signer));
    }

    /// Parses the platform public key now; an error is reported by `build`.
    pub fn set_platform_public_key_pem(&mut self, pem: &str) {
        let hash = self.hash;
        self.verifier = Some(RsaPublicKey::parse(pem).map(|k| verifier_for(k, hash)));
    }

    /// Uses a parsed platform public key.
    pub fn set_platform_public_key(&mut self, key: RsaPublicKey) {
        self.verifier = Some(Ok(verifier_for(key, self.hash)));
    }

    /// Verifies with the caller's verifier.
    pub fn set_verifier(&mut self, verifier: Arc<dyn Verifier>) {
        self.verifier = Some(Ok(verifier));
    }

    /// The signer, or a configuration error saying the private key is required.
    pub fn signer(&self) -> Result<Arc<dyn Signer>> {
        match &self.signer {
            Some(Ok(s)) => Ok(s.clone()),
            Some(Err(e)) => Err(Error::config(format!(
                "the merchant private key is malformed: {}",
                e.kind()
            ))),
            None => Err(Error::config("the merchant private key is required")),
        }
    }

    /// The verifier, `None` when no platform key was given.
    pub fn verifier(&self) -> Option<Result<Arc<dyn Verifier>>> {
        self.verifier.as_ref().map(|v| match v {
            Ok(v) => Ok(v.clone()),
            Err(e) => Err(Error::config(format!(
                "the platform public key is malformed: {}",
                e.kind()
            ))),
        })
    }

    /// A verifier for a platform key given as text (a provider's default key).
    pub fn verifier_from_pem(&self, pem: &str) -> Result<Arc<dyn Verifier>> {
        Ok(verifier_for(RsaPublicKey::parse(pem)?, self.hash))
    }
}

fn signer_for(key: &RsaPrivateKey, hash: HashAlgorithm) -> Result<Arc<dyn Signer>> {
    Ok(Arc::new(RsaSigner::new(key, hash)?))
}

fn verifier_for(key: RsaPublicKey, hash: HashAlgorithm) -> Arc<dyn Verifier> {
    Arc::new(RsaVerifier::new(key, hash))
}

/// The settings every provider's client builder shares. A builder implements
/// [`client_options`](Self::client_options); the setters come with the trait
/// (bring it into scope with `use walletbridge::prelude::*`).
pub trait ConfigureClient: Sized {
    /// The builder's options, for the provided setters.
    fn client_options(&mut self) -> &mut ClientOptions;

    /// The per-request timeout of the default transport (default 30 s).
    fn timeout(mut self, t: Duration) -> Self {
        self.client_options().set_timeout(t);
        self
    }

    /// The connect timeout of the default transport (default 10 s).
    fn connect_timeout(mut self, t: Duration) -> Self {
        self.client_options().set_connect_timeout(t);
        self
    }

    /// The time a whole call may take, across attempts and the waits between
    /// them (default 60 s). It holds whatever transport is used.
    fn deadline(mut self, deadline: Duration) -> Self {
        self.client_options().set_deadline(deadline);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]). Payments,
    /// payouts and refunds are never repeated whatever it says.
    fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.client_options().set_retry_policy(policy);
        self
    }

    /// Sends through this transport instead of the default.
    fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.client_options().set_transport(transport);
        self
    }

    /// The clock that stamps requests and checks answers and notifications.
    fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.client_options().set_clock(clock);
        self
    }

    /// Where the ids the client makes up for you come from (default: random).
    fn id_source(mut self, ids: Arc<dyn IdSource>) -> Self {
        self.client_options().set_id_source(ids);
        self
    }

    /// Sends through this proxy (`http://user:pass@host:port`). It applies
    /// to the default transport; a transport you bring keeps its own.
    fn proxy(mut self, url: impl Into<String>) -> Self {
        self.client_options().set_proxy(url);
        self
    }

    /// The `User-Agent` the default transport sends.
    fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.client_options().set_user_agent(user_agent);
        self
    }
}

/// The key setters of a builder for a provider that signs with RSA.
pub trait ConfigureRsaKeys: Sized {
    /// The builder's keys, for the provided setters.
    fn rsa_keys(&mut self) -> &mut RsaKeys;

    /// The merchant private key: PKCS#8 or PKCS#1 PEM, or bare base64 DER.
    /// Parsed once, here; a malformed key is reported by `build`.
    fn private_key_pem(mut self, key: &str) -> Self {
        self.rsa_keys().set_private_key_pem(key);
        self
    }

    /// The merchant private key, already parsed.
    fn private_key(mut self, key: &RsaPrivateKey) -> Self {
        self.rsa_keys().set_private_key(key);
        self
    }

    /// Signs with your own signer (an HSM, a remote signing service).
    fn signer(mut self, signer: Arc<dyn Signer>) -> Self {
        self.rsa_keys().set_signer(signer);
        self
    }

    /// The provider's platform public key: SPKI or PKCS#1 PEM, or bare base64 DER.
    fn platform_public_key_pem(mut self, key: &str) -> Self {
        self.rsa_keys().set_platform_public_key_pem(key);
        self
    }

    /// The provider's platform public key, already parsed.
    fn platform_public_key(mut self, key: RsaPublicKey) -> Self {
        self.rsa_keys().set_platform_public_key(key);
        self
    }

    /// Verifies answers and notifications with your own verifier.
    fn verifier(mut self, verifier: Arc<dyn Verifier>) -> Self {
        self.rsa_keys().set_verifier(verifier);
        self
    }
}

/// Reads configuration variables and names exactly the one that is missing
/// or malformed. Blank values count as missing. Never echoes a value.
pub struct EnvReader<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> EnvReader<F> {
    /// A reader over `lookup` (`|name| std::env::var(name).ok()` for the process environment).
    pub fn new(lookup: F) -> Self {
        Self { lookup }
    }

    /// The value, or `None` when unset or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The value, or "`NAME` is not set".
    pub fn required(&self, name: &str) -> Result<String> {
        self.optional(name)
            .ok_or_else(|| Error::config(format!("{name} is not set")))
    }

    /// A private key given as text or as a path to a file.
    pub fn private_key(&self, name: &str) -> Result<RsaPrivateKey> {
        RsaPrivateKey::load(&self.required(name)?).map_err(|e| malformed(name, &e))
    }

    /// A public key given as text or as a path, or `None` when unset.
    pub fn public_key(&self, name: &str) -> Result<Option<RsaPublicKey>> {
        self.optional(name)
            .map(|v| RsaPublicKey::load(&v).map_err(|e| malformed(name, &e)))
            .transpose()
    }

    /// A base URL, or `None` when unset.
    pub fn base_url(&self, name: &str) -> Result<Option<String>> {
        self.optional(name)
            .map(|v| check_base_url(name, &v))
            .transpose()
    }
}

fn malformed(name: &str, e: &Error) -> Error {
    let why = match e.kind() {
        crate::ErrorKind::Config { message } => message.clone(),
        other => other.to_string(),
    };
    Error::config(format!("{name} is malformed: {why}"))
}

/// A base URL: `http(s)://host[:port][/prefix]`, without query, fragment or
/// spaces; returned without a trailing slash. Errors name `name`.
pub fn check_base_url(name: &str, url: &str) -> Result<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/keys/merchant_pkcs8.pem"
    ));

    fn reader(
        pairs: &'static [(&'static str, &'static str)],
    ) -> EnvReader<impl Fn(&str) -> Option<String>> {
        EnvReader::new(move |n: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn env_reader_names_the_variable() {
        let r = reader(&[
            ("A", "x"),
            ("BLANK", "  "),
            ("KEY", "garbage"),
            ("URL", "ftp://h"),
        ]);
        assert_eq!(r.required("A").unwrap(), "x");
        assert_eq!(
            r.required("BLANK").unwrap_err().to_string(),
            "configuration error: BLANK is not set"
        );
        assert_eq!(
            r.required("NOPE").unwrap_err().to_string(),
            "configuration error: NOPE is not set"
        );
        let e = r.private_key("KEY").unwrap_err().to_string();
        assert!(
            e.contains("KEY is malformed") && !e.contains("garbage"),
            "{e}"
        );
        assert!(r.public_key("NOPE").unwrap().is_none());
        assert!(
            r.base_url("URL")
                .unwrap_err()
                .to_string()
                .contains("URL is malformed")
        );
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("u", "https://api.x.com/").unwrap(),
            "https://api.x.com"
        );
        assert_eq!(
            check_base_url("u", "http://127.0.0.1:8080/p").unwrap(),
            "http://127.0.0.1:8080/p"
        );
        for bad in [
            "api.x.com",
            "https://",
            "https:///x",
            "https://h?x=1",
            "https://h h",
        ] {
            assert!(check_base_url("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options_report_missing_and_malformed_keys() {
        let mut o = RsaKeys::new(HashAlgorithm::Sha256);
        assert_eq!(
            o.signer().err().unwrap().to_string(),
            "configuration error: the merchant private key is required"
        );
        o.set_private_key_pem("nonsense");
        assert!(o.signer().err().unwrap().to_string().contains("malformed"));
        o.set_private_key_pem(KEY);
        assert!(o.signer().is_ok());
        assert!(o.verifier().is_none());
        assert!(!format!("{o:?}").contains("MII"));
    }
}

#[cfg(all(test, feature = "reqwest"))]
mod proxy_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::call::{Attempt, CallSpec};
    use crate::transport::{HttpRequest, Method};

    /// A proxy that is a local httpmock server: the request reaches it with
    /// the absolute URL of the real target, proving the setting is used.
    #[tokio::test]
    async fn the_default_transport_goes_through_the_proxy() {
        let proxy = httpmock::MockServer::start_async().await;
        let m = proxy
            .mock_async(|when, then| {
                when.method(httpmock::Method::GET).path("/ping");
                then.status(200).body("via proxy");
            })
            .await;
        let mut o = ClientOptions::new();
        o.set_proxy(format!("http://user:hunter2@{}", proxy.address()));
        assert!(!format!("{o:?}").contains("hunter2"));
        let ex = o.executor().unwrap();
        let got = ex
            .run(
                &CallSpec::read("test", "ping"),
                |_: &Attempt| {
                    Ok(HttpRequest::new(
                        Method::Get,
                        "http://walletbridge.invalid/ping",
                    ))
                },
                |_, r| Ok(String::from_utf8_lossy(&r.body).into_owned()),
            )
            .await
            .unwrap();
        assert_eq!(got, "via proxy");
        m.assert_calls_async(1).await;
    }

    #[test]
    fn a_bad_proxy_is_a_configuration_error_without_the_url() {
        let mut o = ClientOptions::new();
        o.set_proxy("not a url with secret hunter2");
        let e = o.executor().unwrap_err();
        assert!(matches!(e.kind(), crate::ErrorKind::Config { .. }), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
