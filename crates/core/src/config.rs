//! What every provider client is configured with besides its own credentials
//! and hosts: keys, timeouts, retries, transport and clock, plus reading
//! configuration from environment variables. Provider builders hold a
//! [`ClientOptions`] and get its setters from
//! [`client_options_setters!`](crate::client_options_setters).

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

/// Keys, timeouts, retry policy, transport and clock of one client.
pub struct ClientOptions {
    hash: HashAlgorithm,
    signer: Option<Result<Arc<dyn Signer>>>,
    verifier: Option<Result<Arc<dyn Verifier>>>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("hash", &self.hash)
            .field("signer", &self.signer.as_ref().map(|s| s.is_ok()))
            .field("verifier", &self.verifier.as_ref().map(|v| v.is_ok()))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientOptions {
    /// Options for a provider that signs with RSA and `hash`: 30 s per
    /// request, 10 s to connect, the default retry policy, the system clock.
    pub fn new(hash: HashAlgorithm) -> Self {
        Self {
            hash,
            signer: None,
            verifier: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            transport: None,
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
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

    /// The clock that stamps requests and checks notifications.
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The source of the ids a client makes up for callers (request ids, order numbers).
    pub fn set_id_source(&mut self, ids: Arc<dyn IdSource>) {
        self.ids = ids;
    }

    /// The id source.
    pub fn id_source(&self) -> Arc<dyn IdSource> {
        self.ids.clone()
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

    /// The clock.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// The executor: the given transport, or the default one with the
    /// configured timeouts, under the retry policy.
    pub fn executor(&self) -> Result<Executor> {
        let transport = match &self.transport {
            Some(t) => t.clone(),
            None => crate::default_transport(self.timeout, self.connect_timeout)?,
        };
        Ok(Executor::new(transport, self.retry.clone()))
    }
}

fn signer_for(key: &RsaPrivateKey, hash: HashAlgorithm) -> Result<Arc<dyn Signer>> {
    Ok(Arc::new(RsaSigner::new(key, hash)?))
}

fn verifier_for(key: RsaPublicKey, hash: HashAlgorithm) -> Arc<dyn Verifier> {
    Arc::new(RsaVerifier::new(key, hash))
}

/// Adds the setters every provider builder shares to a builder whose field
/// `options` is a [`ClientOptions`]. The argument names the provider in the docs.
#[macro_export]
macro_rules! client_options_setters {
    ($provider:literal) => {
        /// The merchant private key: PKCS#8 or PKCS#1 PEM, or bare base64 DER.
        /// Parsed once, here; a malformed key is reported by `build`.
        pub fn private_key_pem(mut self, key: &str) -> Self {
            self.options.set_private_key_pem(key);
            self
        }

        /// The merchant private key, already parsed.
        pub fn private_key(mut self, key: &$crate::RsaPrivateKey) -> Self {
            self.options.set_private_key(key);
            self
        }

        /// Signs with your own signer (an HSM, a remote signing service).
        pub fn signer(mut self, signer: ::std::sync::Arc<dyn $crate::Signer>) -> Self {
            self.options.set_signer(signer);
            self
        }

        #[doc = concat!("The ", $provider, " platform public key: SPKI or PKCS#1 PEM, or bare base64 DER.")]
        pub fn platform_public_key_pem(mut self, key: &str) -> Self {
            self.options.set_platform_public_key_pem(key);
            self
        }

        #[doc = concat!("The ", $provider, " platform public key, already parsed.")]
        pub fn platform_public_key(mut self, key: $crate::RsaPublicKey) -> Self {
            self.options.set_platform_public_key(key);
            self
        }

        /// Verifies answers and notifications with your own verifier.
        pub fn verifier(mut self, verifier: ::std::sync::Arc<dyn $crate::Verifier>) -> Self {
            self.options.set_verifier(verifier);
            self
        }

        /// The per-request timeout of the default transport (default 30 s).
        pub fn timeout(mut self, t: ::std::time::Duration) -> Self {
            self.options.set_timeout(t);
            self
        }

        /// The connect timeout of the default transport (default 10 s).
        pub fn connect_timeout(mut self, t: ::std::time::Duration) -> Self {
            self.options.set_connect_timeout(t);
            self
        }

        /// The retry policy (default [`RetryPolicy::default`]($crate::RetryPolicy::default)).
        /// Payments, payouts and refunds are never repeated whatever it says.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options.set_retry_policy(policy);
            self
        }

        /// Sends through this transport instead of the default.
        pub fn transport(mut self, transport: ::std::sync::Arc<dyn $crate::Transport>) -> Self {
            self.options.set_transport(transport);
            self
        }

        /// The clock that stamps requests and checks notifications.
        pub fn clock(mut self, clock: ::std::sync::Arc<dyn $crate::Clock>) -> Self {
            self.options.set_clock(clock);
            self
        }

        /// Where the ids the client makes up for you come from (default: random).
        pub fn id_source(mut self, ids: ::std::sync::Arc<dyn $crate::IdSource>) -> Self {
            self.options.set_id_source(ids);
            self
        }
    };
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
        let mut o = ClientOptions::new(HashAlgorithm::Sha256);
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
