//! # walletbridge-core
//!
//! What every walletbridge provider client shares, and nothing that is
//! specific to one provider:
//!
//! - [`transport`]: the request description that is signed, sent and
//!   snapshotted, the [`Transport`] trait and its reqwest implementation;
//! - [`signing`]: [`Signer`]/[`Verifier`] traits, RSA keys in every form
//!   providers hand out, RSA PKCS#1 v1.5 with SHA-256 and SHA-1;
//! - [`error`]: one [`Error`] that says what went wrong, whether to retry and
//!   whether the outcome is unknown;
//! - [`money`]: `Decimal` and [`Fen`](money::Fen) amounts with exact wire helpers;
//! - [`secret`]: the redacting, zeroizing [`Secret`];
//! - [`retry`], [`call`]: the retry policy and the executor that applies it;
//! - [`clock`]: injectable time and ids; [`config`]: what every client is
//!   configured with; [`pagination`]; [`webhook`].

pub mod auth;
pub mod call;
pub mod clock;
pub mod config;
pub mod date;
pub mod encoding;
pub mod enums;
pub mod error;
pub mod form;
pub mod iso;
pub mod money;
pub mod pagination;
pub mod retry;
pub mod secret;
pub mod signing;
pub mod transport;
pub mod webhook;

#[cfg(any(test, feature = "test-util"))]
pub mod test_util;

pub use auth::{CachedTokenSource, IssuedToken, StaticToken, TokenSource};
pub use call::{Attempt, CallOptions, CallSpec, Executor};
pub use clock::{Clock, FixedClock, IdSource, RandomIds, SequentialIds, SystemClock};
pub use error::{ApiError, Error, ErrorKind, NextStep, Result, SignatureProblem};
pub use iso::{Currency, Region};
pub use pagination::{Items, ListAnswer, ListQuery, Page, paginate};
pub use retry::{Idempotency, RetryPolicy};
pub use rust_decimal::Decimal;
pub use secret::{Secret, SecretString};
pub use signing::{
    HashAlgorithm, RsaPrivateKey, RsaPublicKey, RsaSigner, RsaVerifier, Signer, Verifier,
};
pub use transport::{
    HttpRequest, HttpResponse, Method, Transport, TransportError, TransportErrorKind,
};

#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;

/// The default transport for a build, with a per-request and a connect timeout:
/// reqwest when the `reqwest` feature is on.
#[cfg(feature = "reqwest")]
pub fn default_transport(
    timeout: std::time::Duration,
    connect_timeout: std::time::Duration,
) -> Result<std::sync::Arc<dyn Transport>> {
    let t = ReqwestTransport::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .build()?;
    Ok(std::sync::Arc::new(t))
}

/// Without the `reqwest` feature there is no default transport: a client must
/// be given one explicitly.
#[cfg(not(feature = "reqwest"))]
pub fn default_transport(
    _timeout: std::time::Duration,
    _connect_timeout: std::time::Duration,
) -> Result<std::sync::Arc<dyn Transport>> {
    Err(Error::config(
        "no transport configured and the `reqwest` feature is off: pass one with `.transport(...)`",
    ))
}

/// The traits whose methods configure every client builder:
/// `use walletbridge_core::prelude::*;`.
pub mod prelude {
    pub use crate::config::{ConfigureClient, ConfigureRsaKeys};
}

// Re-exported so provider crates' macros and users name one version.
pub use serde;
pub use serde_json;
