//! Starting, serving and stopping: one axum server per provider (and one for
//! the Adapay page host) on loopback, a background task for due steps and
//! deliveries.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicI64;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::config::{FaultConfig, FaultKind, Faults, Identities, Provider, SandboxConfig};
use crate::error::{Error, Result};
use crate::keys::Keys;
use crate::merchant::MerchantBalances;
use crate::runtime::{Delivery, Shared, background};
use crate::senior::SandboxHmacVerifier;
use crate::store::Store;
use crate::wire::{Reply, Request};
use crate::{adapay, admin, gsalary, merchant, senior};

/// The base URLs of a running sandbox. Serializes to the JSON object the
/// CLI writes to its ready file:
/// `{"gsalary":"http://127.0.0.1:...","adapay":...,"adapay_page":...,"wallet_senior":...,"merchant_wallet":...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Urls {
    /// GSalary API base URL (paths under `/v1`).
    pub gsalary: String,
    /// Adapay API host.
    pub adapay: String,
    /// Adapay wallet page host (wallet login, the wallet page at `/wallet`).
    pub adapay_page: String,
    /// Senior wallet server base URL.
    pub wallet_senior: String,
    /// Merchant wallet base URL.
    pub merchant_wallet: String,
}

/// A running sandbox. Stop it with [`Sandbox::shutdown`] (dropping it stops
/// the servers too, without waiting).
pub struct Sandbox {
    pub(crate) shared: Arc<Shared>,
    urls: Urls,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("urls", &self.urls)
            .field("state_dir", &self.shared.cfg.state_dir)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Ctx {
    shared: Arc<Shared>,
    provider: Provider,
    page: bool,
    local: SocketAddr,
}

impl Sandbox {
    /// Starts the sandbox: loads or creates the state and keys, binds one
    /// listener per provider (ephemeral loopback ports by default) and
    /// starts serving. Call from within a tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox> {
        if !config.listen.ip().is_loopback() && !config.allow_non_loopback {
            return Err(Error::Config(format!(
                "{} is not a loopback address; set allow_non_loopback(true) to expose the sandbox",
                config.listen
            )));
        }
        let (keys, store) = match &config.state_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::io(
                        format!("cannot create the state directory {}", dir.display()),
                        e,
                    )
                })?;
                let keys = Keys::load(Some(dir), false)?;
                (keys, Store::open(&dir.join("state.redb"))?)
            }
            None => (Keys::load(None, config.generate_keys)?, Store::memory()),
        };
        let http = reqwest::Client::builder()
            .timeout(config.callbacks.timeout)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the delivery client: {e}")))?;
        let shared = Arc::new(Shared {
            senior_verifier: config.resolved_senior_verifier(),
            faults: Mutex::new(config.faults.clone()),
            cfg: config,
            keys,
            store,
            offset_ms: AtomicI64::new(0),
            http,
            wake: tokio::sync::Notify::new(),
            urls: std::sync::OnceLock::new(),
        });
        shared.init()?;

        let base = shared.cfg.listen;
        let servers = [
            (Provider::Gsalary, false),
            (Provider::Adapay, false),
            (Provider::Adapay, true),
            (Provider::WalletSenior, false),
            (Provider::MerchantWallet, false),
        ];
        let mut listeners = Vec::new();
        for (i, (provider, page)) in servers.into_iter().enumerate() {
            let mut addr = base;
            if base.port() != 0 {
                let offset = u16::try_from(i).unwrap_or(0);
                addr.set_port(base.port().checked_add(offset).ok_or_else(|| {
                    Error::Config("the listen port leaves no room for five servers".into())
                })?);
            }
            let l = TcpListener::bind(addr)
                .await
                .map_err(|source| Error::Bind { addr, source })?;
            let local = l
                .local_addr()
                .map_err(|source| Error::Bind { addr, source })?;
            listeners.push((provider, page, l, local));
        }
        let url = |i: usize| format!("http://{}", listeners[i].3);
        let urls = Urls {
            gsalary: url(0),
            adapay: url(1),
            adapay_page: url(2),
            wallet_senior: url(3),
            merchant_wallet: url(4),
        };
        let _ = shared.urls.set(urls.clone());

        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for (provider, page, listener, local) in listeners {
            let ctx = Ctx {
                shared: Arc::clone(&shared),
                provider,
                page,
                local,
            };
            let app = axum::Router::new().fallback(entry).with_state(ctx);
            let mut rx = stop_rx.clone();
            tasks.push(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = rx.wait_for(|s| *s).await;
                };
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    tracing::error!(error = %e, "sandbox server stopped");
                }
            }));
        }
        tasks.push(tokio::spawn(background(Arc::clone(&shared), stop_rx)));
        Ok(Sandbox {
            shared,
            urls,
            stop,
            tasks,
        })
    }

    /// The base URLs.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// The admin surface's base URL (`{gsalary}/__sandbox`; every provider's
    /// server answers it).
    pub fn admin_url(&self) -> String {
        format!("{}/__sandbox", self.urls.gsalary)
    }

    /// The identities and credentials the sandbox accepts.
    pub fn identities(&self) -> &Identities {
        &self.shared.cfg.identities
    }

    /// The sandbox-only signer of senior wallet requests, with the configured secret.
    pub fn senior_signer(&self) -> SandboxHmacVerifier {
        SandboxHmacVerifier::new(self.shared.cfg.identities.senior_sign_secret.clone())
    }

    /// The environment variables that point each client's `from_env()` at
    /// this sandbox. Keys are file paths with a state directory, PEM text
    /// without one.
    pub fn env_vars(&self) -> Vec<(String, String)> {
        let ids = &self.shared.cfg.identities;
        let k = &self.shared.keys;
        let key = |pem: &Option<String>, path: &Option<std::path::PathBuf>| match path {
            Some(p) => p.display().to_string(),
            None => pem.clone().unwrap_or_default(),
        };
        let public = |pair: &crate::keys::PemPair| match &pair.public_path {
            Some(p) => p.display().to_string(),
            None => pair.public.clone(),
        };
        let mut v = vec![
            ("GSALARY_APPID", ids.gsalary_appid.clone()),
            ("GSALARY_BASE_URL", self.urls.gsalary.clone()),
            (
                "GSALARY_PLATFORM_PUBLIC_KEY",
                public(&k.gsalary_platform_pem),
            ),
            ("ADAPAY_API_KEY", ids.adapay_api_key.clone()),
            ("ADAPAY_APP_ID", ids.adapay_app_id.clone()),
            ("ADAPAY_PLATFORM_PUBLIC_KEY", public(&k.adapay_platform_pem)),
            ("ADAPAY_BASE_URL", self.urls.adapay.clone()),
            ("ADAPAY_PAGE_URL", self.urls.adapay_page.clone()),
            ("WALLET_SENIOR_BASE_URL", self.urls.wallet_senior.clone()),
            (
                "WALLET_SENIOR_ACCESS_TOKEN",
                ids.senior_access_token.clone(),
            ),
            (
                "WALLET_SENIOR_SANDBOX_SECRET",
                ids.senior_sign_secret.clone(),
            ),
            (
                "MERCHANT_WALLET_BASE_URL",
                self.urls.merchant_wallet.clone(),
            ),
            ("MERCHANT_WALLET_USERNAME", ids.merchant_username.clone()),
            ("MERCHANT_WALLET_PASSWORD", ids.merchant_password.clone()),
        ];
        if k.gsalary_merchant_pem.private.is_some() {
            v.push((
                "GSALARY_PRIVATE_KEY",
                key(
                    &k.gsalary_merchant_pem.private,
                    &k.gsalary_merchant_pem.private_path,
                ),
            ));
        }
        if k.adapay_merchant_pem.private.is_some() {
            v.push((
                "ADAPAY_PRIVATE_KEY",
                key(
                    &k.adapay_merchant_pem.private,
                    &k.adapay_merchant_pem.private_path,
                ),
            ));
        }
        v.into_iter().map(|(a, b)| (a.to_owned(), b)).collect()
    }

    /// The merchant private key PEM of GSalary (what the client signs with),
    /// when the state directory holds it.
    pub fn gsalary_merchant_private_key_pem(&self) -> Option<&str> {
        self.shared.keys.gsalary_merchant_pem.private.as_deref()
    }

    /// The GSalary platform public key PEM (what the client verifies with).
    pub fn gsalary_platform_public_key_pem(&self) -> &str {
        &self.shared.keys.gsalary_platform_pem.public
    }

    /// The Adapay merchant private key PEM, when the state directory holds it.
    pub fn adapay_merchant_private_key_pem(&self) -> Option<&str> {
        self.shared.keys.adapay_merchant_pem.private.as_deref()
    }

    /// The Adapay platform public key PEM.
    pub fn adapay_platform_public_key_pem(&self) -> &str {
        &self.shared.keys.adapay_platform_pem.public
    }

    /// Stops serving and waits (up to 2 s per task) for the servers and the
    /// background task to end; then the state database is closed.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let abort = t.abort_handle();
            if tokio::time::timeout(Duration::from_secs(2), t)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }

    // ------------------------------------------------------------ admin

    /// Forgets all state (keys are kept), seeds the starting balances again,
    /// and puts the clock and the faults back to the start.
    pub fn reset(&self) -> Result<()> {
        self.shared.admin_reset()
    }

    /// Moves the sandbox clock forward by `by` and runs every step that
    /// became due (card issuing, account activation, remittance completion,
    /// draw cash settlement, order auto-close, quote and token expiry).
    pub fn advance_clock(&self, by: Duration) -> Result<()> {
        self.shared
            .admin_advance(i64::try_from(by.as_millis()).unwrap_or(i64::MAX))
            .map(|_| ())
    }

    /// The sandbox clock, milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.shared.now_ms()
    }

    /// Runs every step that is due now (the background task does it every tick).
    pub fn run_due(&self) -> Result<()> {
        self.shared.admin_settle_due()
    }

    /// Every provider's current faults.
    pub fn faults(&self) -> Faults {
        self.shared.lock_faults().clone()
    }

    /// Replaces one provider's faults.
    pub fn set_faults(&self, provider: Provider, faults: FaultConfig) {
        *self.shared.lock_faults().get_mut(provider) = faults;
    }

    /// Sets a GSalary wallet balance.
    pub fn set_gsalary_balance(&self, currency: &str, amount: Decimal) -> Result<()> {
        self.shared.admin_gsalary_balance(currency, amount)
    }

    /// Plays the card network: records `transaction` on the GSalary card
    /// `card_id` with the rules a network applies (a cancelled card declines
    /// everything; a frozen or inactive card, a purchase over a limit or the
    /// available balance decline, recorded as `FAILED`), moves the card's
    /// balance when approved, lists it among the card transactions and sends
    /// the signed `CARD_TRANSACTION` webhook.
    ///
    /// ```no_run
    /// # async fn run(sandbox: &walletbridge_sandbox::Sandbox, card_id: &str) -> walletbridge_sandbox::Result<()> {
    /// use walletbridge_sandbox::CardNetworkTransaction;
    ///
    /// let amount = "12.50".parse().expect("a decimal");
    /// let out = sandbox.gsalary_card_transaction(card_id, &CardNetworkTransaction::purchase("Coffee", amount))?;
    /// assert!(out.approved);
    /// # Ok(()) }
    /// ```
    pub fn gsalary_card_transaction(
        &self,
        card_id: &str,
        transaction: &crate::CardNetworkTransaction,
    ) -> Result<crate::CardNetworkOutcome> {
        self.shared
            .admin_gsalary_card_transaction(card_id, transaction)
    }

    /// Sets an Adapay member's available balance (member `"0"` is the
    /// merchant), creating the member; returns its `settle_account_id`
    /// (empty for the merchant).
    pub fn set_adapay_balance(&self, member_id: &str, available: Decimal) -> Result<String> {
        self.shared
            .admin_adapay_balance(member_id, available, None, None)
    }

    /// Sets (creates) a senior wallet with a balance in fen.
    pub fn set_senior_balance(&self, wallet_id: i64, fen: i64) -> Result<()> {
        self.shared.admin_senior_balance(wallet_id, fen)
    }

    /// A senior wallet's balance in fen.
    pub fn senior_balance(&self, wallet_id: i64) -> Option<i64> {
        senior::balance(&self.shared.store.begin(), wallet_id)
    }

    /// The merchant wallet's balances.
    pub fn merchant_balances(&self) -> Result<MerchantBalances> {
        self.shared.admin_merchant_balances(None)
    }

    /// Sets the merchant wallet's balances.
    pub fn set_merchant_balances(&self, balances: &MerchantBalances) -> Result<()> {
        self.shared
            .admin_merchant_balances(Some(balances))
            .map(|_| ())
    }

    /// Pays an unpaid merchant wallet recharge order (the amount goes to
    /// `deposit_money`).
    pub fn pay_merchant_order(&self, trade_no: &str) -> Result<()> {
        self.shared.admin_merchant_order(trade_no, 1)
    }

    /// Closes an unpaid merchant wallet recharge order.
    pub fn close_merchant_order(&self, trade_no: &str) -> Result<()> {
        self.shared.admin_merchant_order(trade_no, 2)
    }

    /// Refunds a paid merchant wallet recharge order.
    pub fn refund_merchant_order(&self, trade_no: &str) -> Result<()> {
        self.shared.admin_merchant_order(trade_no, 3)
    }

    /// Every webhook and notification with its delivery state.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.admin_deliveries()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn fault_reply(provider: Provider, kind: FaultKind) -> Reply {
    if kind == FaultKind::HtmlGateway {
        return Reply::html(502, GATEWAY_PAGE);
    }
    match provider {
        Provider::Gsalary => gsalary::fault_body(kind),
        Provider::Adapay => adapay::fault_body(kind),
        Provider::WalletSenior => senior::fault_body(kind),
        Provider::MerchantWallet => merchant::fault_body(kind),
    }
}

fn flip(sig: &mut [u8]) {
    if let Some(b) = sig.first_mut() {
        *b ^= 0x01;
    }
}

/// Applies a fault to a processed answer.
fn mutate(provider: Provider, kind: FaultKind, mut reply: Reply) -> Reply {
    match kind {
        FaultKind::ServerError | FaultKind::SystemBusy | FaultKind::HtmlGateway => {
            fault_reply(provider, kind)
        }
        FaultKind::Truncated => {
            let n = reply.body.len() / 2;
            reply.body.truncate(n);
            reply
        }
        FaultKind::Unsigned => match provider {
            Provider::Gsalary => {
                reply.headers.retain(|(k, _)| *k != "authorization");
                reply
            }
            Provider::Adapay => edit_adapay_signature(reply, |_| None),
            _ => reply,
        },
        FaultKind::WrongSignature => match provider {
            Provider::Gsalary => {
                for (k, v) in reply.headers.iter_mut() {
                    if *k == "authorization"
                        && let Ok(mut a) = walletbridge_gsalary::signing::Authorization::parse(v)
                    {
                        flip(&mut a.signature);
                        *v = walletbridge_gsalary::signing::authorization_header(
                            a.time,
                            &a.signature,
                        );
                    }
                }
                reply
            }
            Provider::Adapay => edit_adapay_signature(reply, |s| {
                let mut b = walletbridge_core::encoding::decode_base64_lenient(s).ok()?;
                flip(&mut b);
                Some(walletbridge_core::encoding::base64_encode(&b))
            }),
            _ => reply,
        },
    }
}

fn edit_adapay_signature(mut reply: Reply, f: impl Fn(&str) -> Option<String>) -> Reply {
    if let Ok(serde_json::Value::Object(mut m)) = serde_json::from_slice(&reply.body) {
        let new = m
            .get("signature")
            .and_then(serde_json::Value::as_str)
            .and_then(&f);
        match new {
            Some(s) => {
                m.insert("signature".into(), serde_json::Value::String(s));
            }
            None => {
                m.remove("signature");
            }
        }
        reply.body = serde_json::to_vec(&m).unwrap_or_default();
    }
    reply
}

fn into_response(reply: Reply) -> Response {
    let mut resp = Response::new(Body::from(reply.body));
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static(reply.content_type));
    for (k, v) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    resp
}

const MAX_BODY: usize = 16 * 1024 * 1024;

async fn entry(State(ctx): State<Ctx>, req: axum::extract::Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return into_response(Reply::text(413, "request body too large or unreadable"));
    };
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    if path == "/__sandbox" || path.starts_with("/__sandbox/") {
        return into_response(admin::handle(&ctx.shared, &method, &path, &body));
    }
    let plan = ctx.shared.fault_plan(ctx.provider, &method, &path);
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    if let Some(kind) = plan.before {
        return into_response(fault_reply(ctx.provider, kind));
    }
    let host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| ctx.local.to_string());
    let request = Request {
        method,
        path,
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        host,
    };
    let shared = &ctx.shared;
    let reply = match ctx.provider {
        Provider::Gsalary => gsalary::handle(shared, &request),
        Provider::Adapay => adapay::handle(shared, &request, ctx.page),
        Provider::WalletSenior => senior::handle(shared, &request),
        Provider::MerchantWallet => merchant::handle(shared, &request),
    };
    let reply = match plan.after {
        Some(kind) => mutate(ctx.provider, kind, reply),
        None => reply,
    };
    into_response(reply)
}
