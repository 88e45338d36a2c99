//! # walletbridge-adapay
//!
//! A client for the wallet part of Huifu Adapay (汇付 Adapay, "钱包"): draw
//! cash (取现) and its status, account balance, wallet login and the wallet
//! page, and the asynchronous notifications Adapay posts back.
//!
//! Every request is signed with the merchant key (RSA PKCS#1 v1.5 over
//! SHA-1, see [`signing`]) and every answer is accepted only after its
//! signature verifies with the Adapay platform public key, names the object
//! the call expects, and echoes the request's `order_no`, `app_id` and
//! `member_id` where it carries them.
//!
//! The crate is laid out like every walletbridge provider crate:
//! [`config`] and [`Client`], [`signing`], one module per API area named as
//! the page names it ([`wallet`], "钱包"), [`models`] shared between areas,
//! [`webhooks`], and errors from [`walletbridge_core::Error`].
//!
//! ```no_run
//! # async fn run() -> walletbridge_core::Result<()> {
//! use walletbridge_adapay::wallet::{BalanceQuery, CashStatusQuery, DrawCash, CashType};
//! use walletbridge_adapay::Decimal;
//!
//! let client = walletbridge_adapay::Client::from_env()?;
//! let balance = client.wallet().balance(&BalanceQuery::merchant()).await?;
//! println!("available: {:?}", balance.avl_balance);
//!
//! let order = DrawCash::new("cash_20240101_0001", CashType::T1, Decimal::new(10, 2), "0");
//! match client.wallet().draw_cash(&order).await {
//!     Ok(cash) => println!("{} is {}", cash.order_no.unwrap_or_default(), cash.status),
//!     // Never submit a new order when the outcome is unknown: query first.
//!     Err(e) if e.is_outcome_unknown() => {
//!         let query = CashStatusQuery::new("cash_20240101_0001");
//!         let cash = client.wallet().cash_status(&query).await?;
//!         println!("status: {}", cash.status);
//!     }
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```

pub mod client;
pub mod config;
pub mod endpoints;
pub mod envelope;
pub mod models;
pub mod signing;
mod validate;

pub mod wallet;
pub mod webhooks;

pub use client::Client;
pub use config::ClientBuilder;
pub use models::{CashType, Status};
/// The traits that configure the builder: `use walletbridge_adapay::prelude::*;`.
pub mod prelude {
    pub use walletbridge_core::prelude::*;
}
pub use walletbridge_core::{Decimal, Error, ErrorKind, Result};

/// The provider name used in errors and traces.
pub const PROVIDER: &str = "adapay";

/// The value of the `sdk_version` header every request carries.
pub const SDK_VERSION: &str = concat!("walletbridge_rust_", env!("CARGO_PKG_VERSION"));

// The examples in docs/adapay.md are compiled as doc tests.
