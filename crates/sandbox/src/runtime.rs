//! What the servers share: configuration, keys, the store, the sandbox
//! clock, the fault plan, timers (due asynchronous steps) and the webhook
//! outbox with its deliverer.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{FaultKind, Faults, Provider, SandboxConfig};
use crate::keys::Keys;
use crate::senior::SeniorVerifier;
use crate::store::{Store, Txn};
use crate::wire::real_now_ms;
use crate::{adapay, gsalary, merchant, senior};

/// Shared by every server and background task.
pub(crate) struct Shared {
    pub(crate) cfg: SandboxConfig,
    pub(crate) keys: Keys,
    pub(crate) store: Store,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) offset_ms: AtomicI64,
    pub(crate) senior_verifier: Arc<dyn SeniorVerifier>,
    pub(crate) http: reqwest::Client,
    pub(crate) wake: tokio::sync::Notify,
    pub(crate) urls: std::sync::OnceLock<crate::Urls>,
}

impl Shared {
    /// The sandbox clock: the system clock plus the admin offset. Business
    /// rules (expiry, delays, token lifetimes) run on it. Request and answer
    /// signature timestamps use the system clock, as the clients do.
    pub(crate) fn now_ms(&self) -> i64 {
        real_now_ms().saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Loads the persisted clock offset and seeds an empty store.
    pub(crate) fn init(&self) -> crate::Result<()> {
        let mut tx = self.store.begin();
        let offset: i64 = tx.get("meta", "clock_offset_ms").unwrap_or(0);
        self.offset_ms.store(offset, Ordering::Relaxed);
        if !tx.contains("meta", "seeded") {
            self.seed(&mut tx);
        }
        tx.commit()
    }

    /// The starting state: balances every provider starts with.
    pub(crate) fn seed(&self, tx: &mut Txn<'_>) {
        let now = self.now_ms();
        gsalary::seed(tx, now);
        adapay::seed(tx);
        senior::seed(tx);
        merchant::seed(tx, self);
        tx.put("meta", "seeded", &true);
    }

    /// Runs the asynchronous steps that are due on the sandbox clock.
    pub(crate) fn run_due(&self, tx: &mut Txn<'_>) {
        let now = self.now_ms();
        for _ in 0..1000 {
            let Some((key, due)) = tx.first_due(TIMERS, now) else {
                return;
            };
            let job: Option<Job> = tx.get(TIMERS, &key);
            tx.delete(TIMERS, &key);
            if let Some(job) = job {
                match job {
                    Job::Gsalary(j) => gsalary::run_job(self, tx, j, due),
                    Job::Adapay(j) => adapay::run_job(self, tx, j, due),
                    Job::Senior(j) => senior::run_job(self, tx, j, due),
                    Job::Merchant(j) => merchant::run_job(self, tx, j, due),
                }
            }
        }
    }

    /// Decides the faults for one request (and consumes counted rules).
    pub(crate) fn fault_plan(&self, provider: Provider, method: &str, path: &str) -> FaultPlan {
        let mut faults = match self.faults.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let cfg = faults.get_mut(provider);
        let mut plan = FaultPlan {
            latency: Duration::from_millis(cfg.latency_ms),
            before: None,
            after: None,
        };
        let mut chosen = None;
        for (i, rule) in cfg.rules.iter_mut().enumerate() {
            if rule
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            if rule
                .path_prefix
                .as_deref()
                .is_some_and(|p| !path.starts_with(p))
            {
                continue;
            }
            if rule.percent < 100 && fastrand::u8(0..100) >= rule.percent {
                continue;
            }
            if let Some(n) = rule.count.as_mut() {
                if *n == 0 {
                    continue;
                }
                *n -= 1;
            }
            chosen = Some((i, rule.kind, rule.after_processing, rule.count == Some(0)));
            break;
        }
        if let Some((i, kind, after, spent)) = chosen {
            if spent {
                cfg.rules.remove(i);
            }
            let replaces = matches!(
                kind,
                FaultKind::ServerError | FaultKind::SystemBusy | FaultKind::HtmlGateway
            );
            if replaces && !after {
                plan.before = Some(kind);
            } else {
                plan.after = Some(kind);
            }
        }
        plan
    }

    /// Records an event and, when it has a target, queues its delivery.
    pub(crate) fn enqueue(&self, tx: &mut Txn<'_>, mut d: Delivery) {
        let seq = tx.next_seq();
        d.id = format!("dlv_{seq:010}");
        if d.url.is_empty() {
            d.status = DeliveryStatus::NoTarget;
            tx.put(DELIVERIES, &d.id, &d);
            return;
        }
        let key = format!("{:015}|{}", real_now_ms(), d.id);
        d.queued_key = Some(key.clone());
        tx.put(OUTBOX, &key, &d.id);
        tx.put(DELIVERIES, &d.id, &d);
        self.wake.notify_one();
    }
}

/// The faults chosen for one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaultPlan {
    pub(crate) latency: Duration,
    /// Answer with this instead of processing the request.
    pub(crate) before: Option<FaultKind>,
    /// Process the request, then apply this to its answer.
    pub(crate) after: Option<FaultKind>,
}

pub(crate) const TIMERS: &str = "timers";
pub(crate) const OUTBOX: &str = "outbox";
pub(crate) const DELIVERIES: &str = "deliveries";

/// A due asynchronous step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "provider", content = "job")]
pub(crate) enum Job {
    Gsalary(gsalary::Job),
    Adapay(adapay::Job),
    Senior(senior::Job),
    Merchant(merchant::Job),
}

/// Schedules `job` at `due_ms` on the sandbox clock.
pub(crate) fn schedule(tx: &mut Txn<'_>, due_ms: i64, job: Job) {
    let seq = tx.next_seq();
    tx.put(TIMERS, &format!("{:015}|{seq:012}", due_ms.max(0)), &job);
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Answered with HTTP 200.
    Delivered,
    /// Every attempt failed; given up.
    Failed,
    /// No callback URL was configured: recorded only.
    NoTarget,
}

/// What is delivered.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub(crate) enum Payload {
    /// A GSalary webhook: the JSON body; signed at each attempt.
    Gsalary { body: String },
    /// An Adapay notification: the form fields but `sign`.
    Adapay {
        id: String,
        event_type: String,
        object: String,
        created_time: String,
        data: String,
    },
}

/// One webhook or notification and its delivery record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// The sandbox's id of the delivery.
    pub id: String,
    /// Who sends it.
    pub provider: Provider,
    /// Where it goes (empty: nowhere configured).
    pub url: String,
    /// GSalary `business_type` or Adapay `type` (`cash.succeeded`).
    pub event_type: String,
    /// GSalary `business_id` or the Adapay object id.
    pub business_id: String,
    /// Attempts made.
    pub attempts: u32,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// HTTP status of the last attempt (none when it could not connect).
    pub last_http_status: Option<u16>,
    #[serde(default)]
    pub(crate) queued_key: Option<String>,
    pub(crate) payload: Payload,
}

impl Delivery {
    pub(crate) fn new(
        provider: Provider,
        url: Option<&str>,
        event_type: impl Into<String>,
        business_id: impl Into<String>,
        payload: Payload,
    ) -> Self {
        Self {
            id: String::new(),
            provider,
            url: url.unwrap_or_default().to_owned(),
            event_type: event_type.into(),
            business_id: business_id.into(),
            attempts: 0,
            status: DeliveryStatus::Pending,
            last_http_status: None,
            queued_key: None,
            payload,
        }
    }

    /// The JSON body (GSalary) or the `data` text (Adapay) delivered.
    pub fn body(&self) -> &str {
        match &self.payload {
            Payload::Gsalary { body } => body,
            Payload::Adapay { data, .. } => data,
        }
    }
}

/// The background loop: due steps and deliveries, every tick or when woken.
pub(crate) async fn background(shared: Arc<Shared>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let tick = shared.cfg.tick;
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = shared.wake.notified() => {}
            _ = tokio::time::sleep(tick) => {}
        }
        if *stop.borrow() {
            return;
        }
        {
            let mut tx = shared.store.begin();
            shared.run_due(&mut tx);
            if let Err(e) = tx.commit() {
                tracing::error!(error = %e, "sandbox: cannot commit due steps");
            }
        }
        deliver_due(&shared).await;
    }
}

/// Takes the due deliveries (leasing them, so a crash retries them), makes
/// one attempt each, and records the outcome.
async fn deliver_due(shared: &Arc<Shared>) {
    let now = real_now_ms();
    let lease_ms = i64::try_from(shared.cfg.callbacks.timeout.as_millis()).unwrap_or(10_000) + 1000;
    let taken: Vec<Delivery> = {
        let mut tx = shared.store.begin();
        let mut out = Vec::new();
        while out.len() < 32 {
            let Some((key, _)) = tx.first_due(OUTBOX, now) else {
                break;
            };
            let id: Option<String> = tx.get(OUTBOX, &key);
            tx.delete(OUTBOX, &key);
            let Some(mut d) = id.and_then(|id| tx.get::<Delivery>(DELIVERIES, &id)) else {
                continue;
            };
            let lease = format!("{:015}|{}", now + lease_ms, d.id);
            tx.put(OUTBOX, &lease, &d.id);
            d.queued_key = Some(lease);
            tx.put(DELIVERIES, &d.id, &d);
            out.push(d);
        }
        if tx.commit().is_err() {
            return;
        }
        out
    };
    for d in taken {
        let status = attempt(shared, &d).await;
        let mut tx = shared.store.begin();
        let Some(mut rec) = tx.get::<Delivery>(DELIVERIES, &d.id) else {
            continue;
        };
        if let Some(k) = rec.queued_key.take() {
            tx.delete(OUTBOX, &k);
        }
        rec.attempts += 1;
        rec.last_http_status = status;
        if status == Some(200) {
            rec.status = DeliveryStatus::Delivered;
        } else {
            let schedule = &shared.cfg.callbacks.retry_schedule;
            match schedule.get(rec.attempts as usize - 1) {
                Some(wait) => {
                    let due = real_now_ms() + i64::try_from(wait.as_millis()).unwrap_or(0);
                    let key = format!("{due:015}|{}", rec.id);
                    tx.put(OUTBOX, &key, &rec.id);
                    rec.queued_key = Some(key);
                    rec.status = DeliveryStatus::Pending;
                }
                None => rec.status = DeliveryStatus::Failed,
            }
        }
        tx.put(DELIVERIES, &rec.id, &rec);
        if let Err(e) = tx.commit() {
            tracing::error!(error = %e, "sandbox: cannot record a delivery");
        }
    }
}

/// One delivery attempt; the HTTP status, or `None` when it did not connect.
async fn attempt(shared: &Shared, d: &Delivery) -> Option<u16> {
    let req = match &d.payload {
        Payload::Gsalary { body } => {
            let path = walletbridge_core::transport::path_and_query(&d.url).to_owned();
            let headers = walletbridge_gsalary::webhooks::sign_webhook(
                shared.keys.gsalary_platform.as_ref(),
                &shared.cfg.identities.gsalary_appid,
                &path,
                real_now_ms(),
                body.as_bytes(),
            )
            .ok()?;
            let mut r = shared.http.post(&d.url).body(body.clone());
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r
        }
        Payload::Adapay {
            id,
            event_type,
            object,
            created_time,
            data,
        } => {
            let form = walletbridge_adapay::webhooks::NotificationForm {
                id: id.clone(),
                event_type: event_type.clone(),
                app_id: shared.cfg.identities.adapay_app_id.clone(),
                object: object.clone(),
                created_time: created_time.clone(),
                prod_mode: "false".to_owned(),
                data: data.clone(),
            };
            let body = walletbridge_adapay::webhooks::sign_notification(
                shared.keys.adapay_platform.as_ref(),
                &form,
            )
            .ok()?;
            shared
                .http
                .post(&d.url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
        }
    };
    match req.send().await {
        Ok(resp) => Some(resp.status().as_u16()),
        Err(e) => {
            tracing::debug!(url = %d.url, error = %e, "sandbox: delivery attempt failed");
            e.status().map(|s| s.as_u16())
        }
    }
}
