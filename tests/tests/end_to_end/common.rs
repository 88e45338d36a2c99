//! What the end-to-end tests share: a sandbox with short delays, polling,
//! decimals.

use std::time::Duration;

use walletbridge::Decimal;
use walletbridge::sandbox::{Delays, FaultConfig, FaultRule, Provider, Sandbox, SandboxConfig};

/// Delays short enough for tests, long enough to observe a pending state.
pub fn quick_delays() -> Delays {
    let d = Duration::from_millis(300);
    Delays {
        card_issue: d,
        payee_account: d,
        remittance: d,
        adapay_cash: d,
        senior_channel: d,
        quote_ttl: Duration::from_secs(60),
    }
}

/// The configuration every test starts from.
pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .delays(quick_delays())
        .tick(Duration::from_millis(20))
}

/// A sandbox in memory on ephemeral ports.
pub async fn start() -> Sandbox {
    Sandbox::start(config()).await.expect("sandbox starts")
}

/// Replaces `provider`'s faults with the one `rule`.
pub fn fault(sandbox: &Sandbox, provider: Provider, rule: FaultRule) {
    sandbox.set_faults(provider, FaultConfig::none().rule(rule));
}

/// Removes `provider`'s faults.
pub fn no_faults(sandbox: &Sandbox, provider: Provider) {
    sandbox.set_faults(provider, FaultConfig::none());
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
#[allow(dead_code)]
pub async fn eventually<T, F, Fut>(secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met in {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A decimal from its text.
pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// A sandbox with `config`.
pub async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}
