//! # walletbridge-sandbox
//!
//! An offline, stateful simulator of the four providers walletbridge talks
//! to — GSalary, Huifu Adapay, the senior wallet server and the QQSS
//! merchant wallet — speaking their wire protocols (signatures, envelopes,
//! error codes) so that a client that works against the sandbox works
//! against the provider, and wrong use fails the way it would in production.
//!
//! ```no_run
//! # async fn run() -> walletbridge_sandbox::Result<()> {
//! use walletbridge_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("GSalary at {}", sandbox.urls().gsalary);
//! for (k, v) in sandbox.env_vars() {
//!     println!("{k}=...");
//! #   let _ = v;
//! }
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! See docs/sandbox.md for the rules each simulated provider enforces, the
//! state directory, the admin surface and fault injection.

mod adapay;
pub mod admin;
mod config;
mod error;
mod gsalary;
mod keys;
mod merchant;
mod runtime;
pub mod senior;
mod server;
mod store;
mod wire;

#[cfg(feature = "clients")]
mod clients;

pub use config::{
    Callbacks, Delays, FaultConfig, FaultKind, FaultRule, Faults, Identities, Provider,
    SandboxConfig,
};
pub use error::{Error, Result};
pub use gsalary::{CardNetworkKind, CardNetworkOutcome, CardNetworkTransaction};
pub use keys::KEY_FILES;
pub use merchant::MerchantBalances;
pub use runtime::{Delivery, DeliveryStatus};
pub use server::{Sandbox, Urls};

#[cfg(feature = "clients")]
pub use clients::Clients;

/// The throwaway RSA-2048 key pairs (PKCS#8 private, SPKI public PEM) the
/// sandbox signs and verifies with when it runs in memory (no state
/// directory, no `generate_keys`). They are committed and public: for tests
/// only, never for real traffic. A unit test that answers a client through
/// a mock transport can sign as the platform with them, as the sandbox does.
///
/// ```
/// use walletbridge_core::{RsaPrivateKey, RsaPublicKey};
/// use walletbridge_sandbox::test_keys;
///
/// let private = RsaPrivateKey::parse(test_keys::GSALARY_PLATFORM_PRIVATE).unwrap();
/// let public = RsaPublicKey::parse(test_keys::GSALARY_PLATFORM_PUBLIC).unwrap();
/// assert_eq!(private.public_key().bits(), public.bits());
/// ```
pub mod test_keys {
    /// GSalary's platform key (signs answers and webhooks).
    pub const GSALARY_PLATFORM_PRIVATE: &str =
        include_str!("../tests/fixtures/keys/gsalary-platform-private.pem");
    /// GSalary's platform public key (what a client verifies answers with).
    pub const GSALARY_PLATFORM_PUBLIC: &str =
        include_str!("../tests/fixtures/keys/gsalary-platform-public.pem");
    /// The GSalary merchant's key (what a client signs requests with).
    pub const GSALARY_MERCHANT_PRIVATE: &str =
        include_str!("../tests/fixtures/keys/gsalary-merchant-private.pem");
    /// The GSalary merchant's public key (what the platform verifies with).
    pub const GSALARY_MERCHANT_PUBLIC: &str =
        include_str!("../tests/fixtures/keys/gsalary-merchant-public.pem");
    /// Adapay's platform key (signs answers and notifications).
    pub const ADAPAY_PLATFORM_PRIVATE: &str =
        include_str!("../tests/fixtures/keys/adapay-platform-private.pem");
    /// Adapay's platform public key (what a client verifies with).
    pub const ADAPAY_PLATFORM_PUBLIC: &str =
        include_str!("../tests/fixtures/keys/adapay-platform-public.pem");
    /// The Adapay merchant's key (what a client signs requests with).
    pub const ADAPAY_MERCHANT_PRIVATE: &str =
        include_str!("../tests/fixtures/keys/adapay-merchant-private.pem");
    /// The Adapay merchant's public key (what the platform verifies with).
    pub const ADAPAY_MERCHANT_PUBLIC: &str =
        include_str!("../tests/fixtures/keys/adapay-merchant-public.pem");
}

/// Facts of the simulated GSalary a test may need.
pub mod gsalary_rules {
    pub use crate::gsalary::{ACTIVATION_CODE, FAIL_REMARK, REQUEST_WINDOW_MS, STARTING_BALANCES};
}

/// Facts of the simulated Adapay a test may need.
pub mod adapay_rules {
    pub use crate::adapay::{FAIL_PREFIX, STARTING_BALANCE_FEN};
}

/// Facts of the simulated merchant wallet a test may need.
pub mod merchant_rules {
    pub use crate::merchant::CHANNELS;
}
