//! # walletbridge
//!
//! One Rust SDK for backends that pay and get paid through GSalary, Huifu
//! Adapay, the senior wallet server and the QQSS merchant wallet.
//!
//! Each provider is a cargo feature, so a build carries only the providers it
//! uses:
//!
//! ```toml
//! [dependencies]
//! walletbridge = { version = "0.1", features = ["gsalary"] }
//! ```
//!
//! | feature | module | crate |
//! |---|---|---|
//! | `gsalary` | [`gsalary`](crate#modules) | `walletbridge-gsalary` |
//! | `adapay` | [`adapay`](crate#modules) | `walletbridge-adapay` |
//! | `wallet-senior` | [`wallet_senior`](crate#modules) | `walletbridge-wallet-senior` |
//! | `merchant-wallet` | [`merchant_wallet`](crate#modules) | `walletbridge-merchant-wallet` |
//! | `full` | all four providers | |
//! | `sandbox` | [`sandbox`](crate#modules): the offline simulator | `walletbridge-sandbox` |
//! | `testing` | the sandbox plus test helpers (mock transport, request rendering, test keys, signing) | |
//! | `axum` | extractors that verify GSalary webhooks and Adapay notifications | |
//! | `server` | the provider's side of the wire for the providers turned on: requests also deserialize, answers also serialize, envelope encoders | |
//!
//! TLS: `rustls` (default; no OpenSSL, RSA-SHA256 signed by aws-lc-rs) or
//! `native-tls`. What every provider shares is in [`core`]: the [`Error`]
//! type, money helpers, secrets, the transport trait and retry policy.

pub use walletbridge_core as core;
pub use walletbridge_core::date::{Date, DateTime, WireTime};
pub use walletbridge_core::pagination::{Items, Page};
pub use walletbridge_core::webhook::Tolerance;
pub use walletbridge_core::{
    CallOptions, Decimal, Error, ErrorKind, NextStep, Result, RetryPolicy, Secret, SecretString,
};

/// The traits whose methods configure every client builder (timeouts,
/// retries, transport, clock, keys): `use walletbridge::prelude::*;`.
pub mod prelude {
    /// `next()` and `try_next()` on the list streams ([`Items`](crate::Items)).
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
    pub use walletbridge_core::prelude::*;
}

/// The GSalary client (feature `gsalary`).
#[cfg(feature = "gsalary")]
pub use walletbridge_gsalary as gsalary;

/// The Huifu Adapay client (feature `adapay`).
#[cfg(feature = "adapay")]
pub use walletbridge_adapay as adapay;

/// The senior wallet server client (feature `wallet-senior`).
#[cfg(feature = "wallet-senior")]
pub use walletbridge_wallet_senior as wallet_senior;

/// The QQSS merchant wallet client (feature `merchant-wallet`).
#[cfg(feature = "merchant-wallet")]
pub use walletbridge_merchant_wallet as merchant_wallet;

/// The offline simulator of all four providers (feature `sandbox`).
#[cfg(feature = "sandbox")]
pub use walletbridge_sandbox as sandbox;

/// Test helpers (feature `testing`): the mock transport and the request
/// snapshot format; the sandbox is [`sandbox`].
#[cfg(feature = "testing")]
pub use walletbridge_core::test_util;

#[cfg(feature = "axum")]
pub mod axum;

// Every guide's snippets are compiled through the umbrella, as a user writes them.
#[cfg(all(doctest, feature = "gsalary", feature = "axum"))]
#[doc = include_str!("../../../docs/gsalary.md")]
mod gsalary_guide {}

#[cfg(all(doctest, feature = "adapay", feature = "axum"))]
#[doc = include_str!("../../../docs/adapay.md")]
mod adapay_guide {}

#[cfg(all(doctest, feature = "wallet-senior"))]
#[doc = include_str!("../../../docs/wallet-senior.md")]
mod wallet_senior_guide {}

#[cfg(all(doctest, feature = "merchant-wallet"))]
#[doc = include_str!("../../../docs/merchant-wallet.md")]
mod merchant_wallet_guide {}

#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../../../docs/sandbox.md")]
mod sandbox_guide {}

// The README's examples are compiled as doc tests, so they cannot rot.
#[cfg(all(doctest, feature = "gsalary"))]
#[doc = include_str!("../../../README.md")]
mod readme {}
