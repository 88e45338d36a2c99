//! # walletbridge-gsalary
//!
//! A client for the GSalary open API (v1.23): wallet, exchange, card holders,
//! cards, card bills, payees, payers, remittance and acquiring, with every
//! request signed (RSA-SHA256) and every answer verified against the GSalary
//! platform key before it is read.
//!
//! The crate is laid out like every walletbridge provider crate:
//! [`config`] and [`Client`], [`signing`], one module per API area named as
//! the page names it, [`models`] shared between areas, [`webhooks`], and
//! errors from [`walletbridge_core::Error`].

mod answer;
pub mod client;
pub mod config;
pub mod currency;
pub mod endpoints;
pub mod envelope;
pub mod models;
pub mod signing;
pub mod validate;

pub mod acquiring;
pub mod card_bills;
pub mod card_holders;
pub mod cards;
pub mod exchange;
pub mod payees;
pub mod payers;
pub mod remittance;
pub mod wallet;
pub mod webhooks;

pub use client::Client;
pub use config::{ClientBuilder, Environment};
pub use models::Money;
/// The traits that configure the builder: `use walletbridge_gsalary::prelude::*;`.
pub mod prelude {
    pub use walletbridge_core::prelude::*;
}
pub use walletbridge_core::{Error, ErrorKind, Result};

/// The provider name used in errors and traces.
pub const PROVIDER: &str = "gsalary";

// The examples in docs/gsalary.md are compiled as doc tests through the
// umbrella crate (crates/walletbridge), in the paths a user writes.
