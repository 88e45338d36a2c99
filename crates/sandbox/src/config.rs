//! How a sandbox is started: addresses, state directory, identities,
//! timings, faults and callback URLs. Everything has a default that works
//! for tests: `SandboxConfig::default()` starts an in-memory sandbox on
//! loopback with ephemeral ports.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::senior::{SandboxHmacVerifier, SeniorVerifier};

/// One of the simulated providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// GSalary open API.
    Gsalary,
    /// Huifu Adapay (API host and wallet page host).
    Adapay,
    /// The senior wallet server.
    WalletSenior,
    /// The QQSS merchant wallet.
    MerchantWallet,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 4] = [
        Provider::Gsalary,
        Provider::Adapay,
        Provider::WalletSenior,
        Provider::MerchantWallet,
    ];

    /// The name used in admin paths and JSON (`gsalary`, `adapay`,
    /// `wallet-senior`, `merchant-wallet`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Gsalary => "gsalary",
            Provider::Adapay => "adapay",
            Provider::WalletSenior => "wallet-senior",
            Provider::MerchantWallet => "merchant-wallet",
        }
    }

    /// Parses [`Provider::as_str`] (also accepts `_` for `-`).
    pub fn parse(name: &str) -> Option<Self> {
        let n = name.replace('_', "-");
        Self::ALL.into_iter().find(|p| p.as_str() == n)
    }
}

/// What an injected fault does to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 500 with the provider's error envelope (GSalary `SYSTEM_ERROR`,
    /// `biz_result` `U`), unsigned.
    ServerError,
    /// HTTP 423 with GSalary's `SYSTEM_BUSY` envelope (the other providers
    /// get their own error envelope with status 423).
    SystemBusy,
    /// The answer's signature is removed (GSalary: no `Authorization`
    /// header; Adapay: no `signature`). No effect on unsigned providers.
    Unsigned,
    /// The answer's signature is corrupted. No effect on unsigned providers.
    WrongSignature,
    /// The answer's body is cut in half (headers unchanged).
    Truncated,
    /// HTTP 502 with an HTML page, as a gateway in front of the provider
    /// answers.
    HtmlGateway,
}

/// One fault rule of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// What happens.
    pub kind: FaultKind,
    /// Share of the matching requests it applies to, in percent (0 to 100).
    #[serde(default = "hundred")]
    pub percent: u8,
    /// When set, the rule applies to this many more matching requests and
    /// then removes itself (deterministic tests use `percent: 100,
    /// count: Some(1)`).
    #[serde(default)]
    pub count: Option<u32>,
    /// Only requests whose path starts with this (`/v1/cards`).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only requests with this method (`GET`, `POST`...).
    #[serde(default)]
    pub method: Option<String>,
    /// For `server_error`, `system_busy` and `html_gateway`: the request is
    /// processed first (its state change is kept) and then its answer is
    /// replaced, so the client cannot know what happened. Default: the
    /// request is refused before it is processed. The signature and
    /// truncation faults always apply to a processed answer.
    #[serde(default)]
    pub after_processing: bool,
}

fn hundred() -> u8 {
    100
}

impl FaultRule {
    /// A rule applying `kind` to every request.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            percent: 100,
            count: None,
            path_prefix: None,
            method: None,
            after_processing: false,
        }
    }

    /// Applies to `percent` percent of the matching requests.
    pub fn percent(mut self, percent: u8) -> Self {
        self.percent = percent.min(100);
        self
    }

    /// Applies to the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Self {
        self.count = Some(n);
        self
    }

    /// Only requests whose path starts with `prefix`.
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into().to_ascii_uppercase());
        self
    }

    /// Processes the request before replacing its answer (see the field).
    pub fn after_processing(mut self) -> Self {
        self.after_processing = true;
        self
    }
}

/// Faults of one provider: added latency and rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultConfig {
    /// Added to every answer of this provider, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// Rules, checked in order; the first that applies wins.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

impl FaultConfig {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds latency to every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Adds a rule.
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }
}

/// Faults of every provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// GSalary.
    #[serde(default)]
    pub gsalary: FaultConfig,
    /// Adapay (both hosts).
    #[serde(default)]
    pub adapay: FaultConfig,
    /// The senior wallet.
    #[serde(default, rename = "wallet-senior", alias = "wallet_senior")]
    pub wallet_senior: FaultConfig,
    /// The merchant wallet.
    #[serde(default, rename = "merchant-wallet", alias = "merchant_wallet")]
    pub merchant_wallet: FaultConfig,
}

impl Faults {
    /// No faults anywhere.
    pub fn none() -> Self {
        Self::default()
    }

    /// Sets one provider's faults.
    pub fn set(mut self, provider: Provider, config: FaultConfig) -> Self {
        *self.get_mut(provider) = config;
        self
    }

    /// One provider's faults.
    pub fn get(&self, provider: Provider) -> &FaultConfig {
        match provider {
            Provider::Gsalary => &self.gsalary,
            Provider::Adapay => &self.adapay,
            Provider::WalletSenior => &self.wallet_senior,
            Provider::MerchantWallet => &self.merchant_wallet,
        }
    }

    /// One provider's faults, to change.
    pub fn get_mut(&mut self, provider: Provider) -> &mut FaultConfig {
        match provider {
            Provider::Gsalary => &mut self.gsalary,
            Provider::Adapay => &mut self.adapay,
            Provider::WalletSenior => &mut self.wallet_senior,
            Provider::MerchantWallet => &mut self.merchant_wallet,
        }
    }
}

/// Where webhooks and notifications go, and how failed deliveries are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callbacks {
    /// GSalary's webhook URL (the one a merchant configures in the portal).
    /// `None`: GSalary events are recorded but not delivered.
    pub gsalary: Option<String>,
    /// Adapay's default notification URL, used when a draw cash request
    /// carries no `notify_url`.
    pub adapay: Option<String>,
    /// Waits between attempts after a delivery that is not answered with
    /// HTTP 200; the delivery is given up after the last. Default: the
    /// providers' schedule (5 s, 10 s, 15 s, 30 s, 1 min, 5 min, 10 min x 3).
    pub retry_schedule: Vec<Duration>,
    /// How long one delivery attempt may take (default 10 s).
    pub timeout: Duration,
}

impl Default for Callbacks {
    fn default() -> Self {
        let s = Duration::from_secs;
        Self {
            gsalary: None,
            adapay: None,
            retry_schedule: vec![
                s(5),
                s(10),
                s(15),
                s(30),
                s(60),
                s(300),
                s(600),
                s(600),
                s(600),
            ],
            timeout: s(10),
        }
    }
}

impl Callbacks {
    /// No callback URLs.
    pub fn none() -> Self {
        Self::default()
    }

    /// GSalary's webhook URL.
    pub fn gsalary(mut self, url: impl Into<String>) -> Self {
        self.gsalary = Some(url.into());
        self
    }

    /// Adapay's default notification URL.
    pub fn adapay(mut self, url: impl Into<String>) -> Self {
        self.adapay = Some(url.into());
        self
    }

    /// The waits between delivery attempts (fast ones in tests).
    pub fn retry_schedule(mut self, schedule: Vec<Duration>) -> Self {
        self.retry_schedule = schedule;
        self
    }

    /// The time one delivery attempt may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// How long the simulated asynchronous steps take, on the sandbox clock
/// (so `advance_clock` completes them at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// GSalary card application PENDING -> SUCCESS (default 2 s).
    pub card_issue: Duration,
    /// GSalary payee account PENDING -> ACTIVE (default 2 s).
    pub payee_account: Duration,
    /// GSalary remittance order CREATED -> SUCCESS (default 2 s).
    pub remittance: Duration,
    /// Adapay draw cash pending -> succeeded (default 2 s).
    pub adapay_cash: Duration,
    /// Senior wallet WeChat/Alipay/code pay collect in progress -> success (default 2 s).
    pub senior_channel: Duration,
    /// GSalary and remittance quotes expire after this (default 60 s).
    pub quote_ttl: Duration,
}

impl Default for Delays {
    fn default() -> Self {
        Self::uniform(Duration::from_secs(2))
    }
}

impl Delays {
    /// Every asynchronous step completes `delay` after it starts; quotes
    /// still expire after 60 s. Tests use a short one (say 300 ms): quick,
    /// yet long enough to observe the pending state.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use walletbridge_sandbox::Delays;
    ///
    /// let delays = Delays::uniform(Duration::from_millis(300));
    /// assert_eq!(delays.remittance, Duration::from_millis(300));
    /// assert_eq!(delays.quote_ttl, Duration::from_secs(60));
    /// ```
    pub fn uniform(delay: Duration) -> Self {
        Self {
            card_issue: delay,
            payee_account: delay,
            remittance: delay,
            adapay_cash: delay,
            senior_channel: delay,
            quote_ttl: Duration::from_secs(60),
        }
    }

    /// Every asynchronous step completes at the next tick.
    pub fn immediate() -> Self {
        Self::uniform(Duration::ZERO)
    }
}

/// Identities and credentials the simulated providers accept.
#[derive(Clone, PartialEq, Eq)]
pub struct Identities {
    /// GSalary appid (default `sandbox-gsalary-appid`).
    pub gsalary_appid: String,
    /// Adapay `app_id` (default `app_sandbox`).
    pub adapay_app_id: String,
    /// Adapay api key, the `Authorization` header (default `sandbox_api_key`).
    pub adapay_api_key: String,
    /// Senior wallet `access_token` (default `sandbox-access-token`).
    pub senior_access_token: String,
    /// The secret of the sandbox HMAC signing scheme of the senior wallet
    /// (default `sandbox-sign-secret`).
    pub senior_sign_secret: String,
    /// The SMS code every senior wallet ticket accepts (default `123456`).
    pub senior_sms_code: String,
    /// Merchant wallet login user name (default `sandbox`).
    pub merchant_username: String,
    /// Merchant wallet login password (default `sandbox-password`).
    pub merchant_password: String,
}

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identities")
            .field("gsalary_appid", &self.gsalary_appid)
            .field("adapay_app_id", &self.adapay_app_id)
            .field("adapay_api_key", &"[REDACTED]")
            .field("senior_access_token", &"[REDACTED]")
            .field("senior_sign_secret", &"[REDACTED]")
            .field("senior_sms_code", &self.senior_sms_code)
            .field("merchant_username", &self.merchant_username)
            .field("merchant_password", &"[REDACTED]")
            .finish()
    }
}

impl Default for Identities {
    fn default() -> Self {
        Self {
            gsalary_appid: "sandbox-gsalary-appid".into(),
            adapay_app_id: "app_sandbox".into(),
            adapay_api_key: "sandbox_api_key".into(),
            senior_access_token: "sandbox-access-token".into(),
            senior_sign_secret: "sandbox-sign-secret".into(),
            senior_sms_code: "123456".into(),
            merchant_username: "sandbox".into(),
            merchant_password: "sandbox-password".into(),
        }
    }
}

/// Where the sandbox listens, what it keeps, and how it behaves.
/// Builder style: `SandboxConfig::default().state_dir("state").faults(...)`.
#[derive(Clone)]
pub struct SandboxConfig {
    pub(crate) listen: SocketAddr,
    pub(crate) allow_non_loopback: bool,
    pub(crate) state_dir: Option<PathBuf>,
    pub(crate) generate_keys: bool,
    pub(crate) faults: Faults,
    pub(crate) callbacks: Callbacks,
    pub(crate) delays: Delays,
    pub(crate) identities: Identities,
    pub(crate) token_ttl: Duration,
    pub(crate) order_auto_close: Duration,
    pub(crate) merchant_fee_rate_bp: u32,
    pub(crate) tick: Duration,
    pub(crate) senior_verifier: Option<Arc<dyn SeniorVerifier>>,
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("listen", &self.listen)
            .field("state_dir", &self.state_dir)
            .field("faults", &self.faults)
            .field("callbacks", &self.callbacks)
            .field("delays", &self.delays)
            .field("identities", &self.identities)
            .field("token_ttl", &self.token_ttl)
            .field("order_auto_close", &self.order_auto_close)
            .finish_non_exhaustive()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            allow_non_loopback: false,
            state_dir: None,
            generate_keys: false,
            faults: Faults::default(),
            callbacks: Callbacks::default(),
            delays: Delays::default(),
            identities: Identities::default(),
            token_ttl: Duration::from_secs(30 * 24 * 3600),
            order_auto_close: Duration::from_secs(1800),
            merchant_fee_rate_bp: 500,
            tick: Duration::from_millis(50),
            senior_verifier: None,
        }
    }
}

impl SandboxConfig {
    /// The address to listen on. Port 0 (default): each provider gets an
    /// ephemeral port. Port `p`: GSalary listens on `p`, Adapay on `p+1`,
    /// the Adapay page host on `p+2`, the senior wallet on `p+3` and the
    /// merchant wallet on `p+4`. Only loopback addresses are accepted unless
    /// [`SandboxConfig::allow_non_loopback`] is set.
    pub fn listen(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.listen = addr.into();
        self
    }

    /// Allows a non-loopback listen address (the sandbox has no real
    /// authentication on its admin surface: expose it knowingly).
    pub fn allow_non_loopback(mut self, yes: bool) -> Self {
        self.allow_non_loopback = yes;
        self
    }

    /// Keeps state and keys in this directory (created when absent): state
    /// survives a restart. Without it, everything is in memory.
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }

    /// Without a state directory: generate fresh RSA 2048 keys in memory
    /// instead of using the committed, public test keys (slower start).
    pub fn generate_keys(mut self, yes: bool) -> Self {
        self.generate_keys = yes;
        self
    }

    /// Faults to inject from the start (changeable later).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Webhook and notification targets.
    pub fn callbacks(mut self, callbacks: Callbacks) -> Self {
        self.callbacks = callbacks;
        self
    }

    /// Durations of the simulated asynchronous steps.
    pub fn delays(mut self, delays: Delays) -> Self {
        self.delays = delays;
        self
    }

    /// Identities and credentials accepted.
    pub fn identities(mut self, identities: Identities) -> Self {
        self.identities = identities;
        self
    }

    /// Lifetime of merchant wallet login tokens (default 30 days), on the
    /// sandbox clock.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// The merchant wallet's `order_auto_close_time` (default 1800 s), on
    /// the sandbox clock.
    pub fn order_auto_close(mut self, after: Duration) -> Self {
        self.order_auto_close = after;
        self
    }

    /// The merchant wallet's recharge fee rate in basis points (default
    /// 500, i.e. 0.05).
    pub fn merchant_fee_rate_bp(mut self, bp: u32) -> Self {
        self.merchant_fee_rate_bp = bp;
        self
    }

    /// How often due steps (card issuing, auto close...) and deliveries are
    /// processed in the background (default 50 ms).
    pub fn tick(mut self, tick: Duration) -> Self {
        self.tick = tick.max(Duration::from_millis(1));
        self
    }

    /// The senior wallet's request signature check (default: the sandbox
    /// HMAC scheme, [`SandboxHmacVerifier`], with the configured secret).
    pub fn senior_verifier(mut self, verifier: Arc<dyn SeniorVerifier>) -> Self {
        self.senior_verifier = Some(verifier);
        self
    }

    pub(crate) fn resolved_senior_verifier(&self) -> Arc<dyn SeniorVerifier> {
        self.senior_verifier.clone().unwrap_or_else(|| {
            Arc::new(SandboxHmacVerifier::new(
                self.identities.senior_sign_secret.clone(),
            ))
        })
    }
}
