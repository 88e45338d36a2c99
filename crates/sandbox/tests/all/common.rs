//! Helpers shared by the tests.

use std::time::Duration;

pub use walletbridge_core::test_util::eventually;
use walletbridge_sandbox::{Delays, Sandbox, SandboxConfig};

/// Steps take 300 ms: short enough for tests, long enough to observe PENDING.
pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .delays(Delays::uniform(Duration::from_millis(300)))
        .tick(Duration::from_millis(20))
}

pub async fn start() -> Sandbox {
    Sandbox::start(config()).await.expect("sandbox starts")
}

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("decimal")
}
