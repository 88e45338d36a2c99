//! # walletbridge-wallet-senior
//!
//! A client for the senior wallet server (高级钱包, `wallet_server`): collect
//! (即刻代收) with its receivers and one wallet pay method, agent pay (代付)
//! and refund (退款) against a collect, recharge (充值), withdraw (提现), the
//! SMS confirmation that finishes them (短信确认, 重发短信), and the order
//! query (订单结果查询).
//!
//! Every call is a form-encoded `POST` carrying `access_token` (from a
//! [`TokenSource`](walletbridge_core::TokenSource)), `timestamp` (unix
//! seconds, fresh for every attempt) and `sign` from a [`RequestSigner`]. The
//! signing algorithm belongs to the deployment and is not public: plug in
//! yours; [`signing::SandboxHmacSigner`] is for the sandbox only and is not
//! the provider's algorithm.
//!
//! The crate is laid out like every walletbridge provider crate:
//! [`config`] and [`Client`], [`signing`], one module per API area named as
//! the page names it ([`collect`], [`recharge`], [`withdraw`], [`sms`],
//! [`order`]), [`models`] shared between areas, the endpoint table
//! [`endpoints`], and errors from [`walletbridge_core::Error`].
//!
//! The `server` feature adds the provider's side of the wire, for
//! simulators and test servers (the walletbridge sandbox is built on it):
//! the request types also deserialize from the form the client sends, the
//! answer models also serialize as the server writes them, and the
//! `envelope` module reads request forms (`RequestForm`) and writes answers
//! (`encode_success`, `encode_ack`, `encode_error`).
//!
//! ```no_run
//! # async fn run() -> walletbridge_core::Result<()> {
//! use std::sync::Arc;
//! use walletbridge_wallet_senior::collect::{BalancePay, CreateCollect};
//! use walletbridge_wallet_senior::models::{Fen, NextStep, ValidateType};
//! use walletbridge_wallet_senior::signing::SandboxHmacSigner;
//! use walletbridge_wallet_senior::Client;
//!
//! let client = Client::builder()
//!     .base_url("https://wallet.example.com")
//!     .access_token("app-token")
//!     .signer(Arc::new(SandboxHmacSigner::new("sandbox-secret")))
//!     .build()?;
//!
//! let collect = CreateCollect::new(1001, "biz-20240101-0001", Fen(10_000), BalancePay::new(Fen(10_000)))
//!     .receiver(2002, Fen(10_000))
//!     .validate_type(ValidateType::Sms);
//! match client.collect().create(&collect).await {
//!     Ok(answer) => match answer.next_step() {
//!         NextStep::SmsCode(challenge) => {
//!             // Ask the payer for the code, then:
//!             client.sms().confirm(&challenge.confirm("123456", "203.0.113.7")).await?;
//!         }
//!         other => println!("next: {other:?}"),
//!     },
//!     // The wallet may have acted: look the order up before anything else.
//!     Err(e) if e.is_outcome_unknown() => eprintln!("{e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```

pub mod client;
pub mod config;
pub mod endpoints;
#[cfg(feature = "server")]
pub mod envelope;
#[cfg(not(feature = "server"))]
mod envelope;
pub mod models;
pub mod signing;
mod validate;
mod wire;

pub mod collect;
pub mod order;
pub mod recharge;
pub mod sms;
pub mod withdraw;

pub use client::Client;
pub use config::ClientBuilder;
pub use models::{Fen, NextStep, OrderStatus, WalletOrder};
pub use order::unknown_outcome_advice;
pub use signing::{RequestSigner, SandboxHmacSigner, SignRequest};
/// The traits that configure the builder: `use walletbridge_wallet_senior::prelude::*;`.
pub mod prelude {
    pub use walletbridge_core::prelude::*;
}
pub use walletbridge_core::{Error, ErrorKind, Result};

/// The provider name used in errors and traces.
pub const PROVIDER: &str = "wallet-senior";

// The examples in docs/wallet-senior.md are compiled as doc tests.
