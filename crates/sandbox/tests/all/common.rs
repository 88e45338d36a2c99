//! Helpers shared by the tests.

use std::time::Duration;

use walletbridge_sandbox::{Delays, Sandbox, SandboxConfig};

/// Delays short enough for tests, long enough to observe PENDING.
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

pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .delays(quick_delays())
        .tick(Duration::from_millis(20))
}

pub async fn start() -> Sandbox {
    Sandbox::start(config()).await.expect("sandbox starts")
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
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

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("decimal")
}
