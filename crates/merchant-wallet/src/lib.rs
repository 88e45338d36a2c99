//! # walletbridge-merchant-wallet
//!
//! A client for the merchant wallet of the QQSS shop platform (a Webman
//! application): merchant login, the account's total money and today's
//! income, the user balance, recharge channels, recharging the operational
//! wallet (运营钱包), the recharge order list, and the public order status.
//!
//! Every `/merchantapi/*` call carries `Authorization: Bearer {token}`. With
//! a username and password the client logs in on first use, keeps the token
//! until its JWT `exp` (read without verifying it), shares one login between
//! concurrent calls, and on HTTP 401 logs in again once and repeats the call
//! once. With a ready token, a 401 is an authentication error.
//!
//! The crate is laid out like every walletbridge provider crate:
//! [`config`] and [`Client`], [`auth`] (login and the token source), one
//! module per API area named as the page names it ([`wallet`] for
//! `/merchantapi/wallet/operational/*`, [`pay`] for `/home/pay/*`),
//! [`models`] shared between areas, and errors from
//! [`walletbridge_core::Error`].
//!
//! With the feature `server`, the crate also speaks the platform's side of
//! the wire, for simulators and test servers (the walletbridge sandbox is
//! built on it): the request types ([`auth::LoginRequest`],
//! [`wallet::RechargeWallet`], [`wallet::RechargeOrderQuery`],
//! [`pay::OrderStatusRequest`]) also deserialize, the answer models also
//! serialize, [`endpoints::ALL`] is the table to route by, and [`envelope`]
//! writes the platform's envelopes.
//!
//! ```no_run
//! # async fn run() -> walletbridge_core::Result<()> {
//! use walletbridge_merchant_wallet::pay::OrderStatus;
//! use walletbridge_merchant_wallet::wallet::RechargeWallet;
//! use walletbridge_merchant_wallet::Decimal;
//!
//! let client = walletbridge_merchant_wallet::Client::from_env()?;
//! let balance = client.wallet().balance().await?;
//! println!("operational wallet: {}", balance.deposit_money);
//!
//! let order = client
//!     .wallet()
//!     .recharge(&RechargeWallet::new(Decimal::new(30000, 2), 1))
//!     .await?;
//! println!("pay at {} within {:?}", order.url, order.order_auto_close_time);
//! match client.pay().order_status(&order.trade_no).await? {
//!     OrderStatus::Paid => println!("paid"),
//!     OrderStatus::Closed => println!("closed: recharge again"),
//!     other => println!("{other:?}"),
//! }
//! # Ok(()) }
//! ```

pub mod auth;
pub mod client;
pub mod config;
pub mod endpoints;
pub mod envelope;
pub mod models;

pub mod pay;
pub mod wallet;

pub use client::Client;
pub use config::ClientBuilder;
pub use models::{RechargeStatus, UserType};
/// The traits that configure the builder: `use walletbridge_merchant_wallet::prelude::*;`.
pub mod prelude {
    pub use walletbridge_core::prelude::*;
}
pub use walletbridge_core::{Decimal, Error, ErrorKind, Result};

/// The provider name used in errors and traces.
pub const PROVIDER: &str = "merchant-wallet";

// The examples in docs/merchant-wallet.md are compiled as doc tests.
