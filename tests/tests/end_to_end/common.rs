//! What the end-to-end tests share: a sandbox with short delays, polling,
//! decimals.

use std::time::Duration;

use walletbridge::Decimal;
use walletbridge::sandbox::{Delays, FaultConfig, FaultRule, Provider, Sandbox, SandboxConfig};
pub use walletbridge_core::test_util::eventually;

/// The configuration every test starts from: steps take 300 ms, short
/// enough for tests, long enough to observe a pending state.
pub fn config() -> SandboxConfig {
    SandboxConfig::default()
        .delays(Delays::uniform(Duration::from_millis(300)))
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

/// A decimal from its text.
pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// A sandbox with `config`.
pub async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}
