//! 充值 (recharge): tops a wallet up from a bank card, `client.recharge()`.
//!
//! | operation | call |
//! |---|---|
//! | 高级钱包-充值 | [`RechargeHandler::create`] (`recharge`) |

use walletbridge_core::Result;

use crate::client::{Client, check};
use crate::endpoints::RECHARGE;
use crate::models::{Fen, RechargeAnswer};
use crate::validate;

/// A recharge (充值): `amount` from the bank card `card_id` into `wallet_id`.
///
/// Under the `server` feature it also deserializes from the form the client
/// sends (see `envelope::RequestForm`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct CreateRecharge {
    /// The amount.
    #[cfg_attr(feature = "server", serde(deserialize_with = "crate::wire::form_fen"))]
    pub amount: Fen,
    /// The bank card's id (银行卡id), as the wallet issued it.
    pub card_id: String,
    /// The wallet topped up.
    #[cfg_attr(feature = "server", serde(deserialize_with = "crate::wire::form_int"))]
    pub wallet_id: i64,
    /// The payer's IP address.
    #[cfg_attr(
        feature = "server",
        serde(default, deserialize_with = "crate::wire::form_text")
    )]
    pub customer_ip: Option<String>,
    /// Where the payer is sent afterwards.
    #[cfg_attr(
        feature = "server",
        serde(default, deserialize_with = "crate::wire::form_text")
    )]
    pub jump_url: Option<String>,
}

impl CreateRecharge {
    /// `amount` from `card_id` into `wallet_id`.
    pub fn new(wallet_id: i64, card_id: impl Into<String>, amount: Fen) -> Self {
        Self {
            amount,
            card_id: card_id.into(),
            wallet_id,
            customer_ip: None,
            jump_url: None,
        }
    }

    /// The payer's IP address.
    pub fn customer_ip(mut self, ip: impl Into<String>) -> Self {
        self.customer_ip = Some(ip.into());
        self
    }

    /// Where the payer is sent afterwards.
    pub fn jump_url(mut self, url: impl Into<String>) -> Self {
        self.jump_url = Some(url.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::positive("amount", self.amount)?;
        validate::required("card_id", &self.card_id)?;
        validate::wallet_id("wallet_id", self.wallet_id)?;
        if let Some(ip) = &self.customer_ip {
            validate::ip("customer_ip", ip)?;
        }
        if let Some(url) = &self.jump_url {
            validate::url("jump_url", url)?;
        }
        Ok(())
    }
}

/// Recharge: `client.recharge()`.
#[derive(Debug, Clone, Copy)]
pub struct RechargeHandler<'a> {
    client: &'a Client,
}

impl Client {
    /// Recharge (充值).
    pub fn recharge(&self) -> RechargeHandler<'_> {
        RechargeHandler { client: self }
    }
}

impl RechargeHandler<'_> {
    /// `recharge` (充值). The answer's
    /// [`next_step`](RechargeAnswer::next_step) says what the payer does
    /// next (usually an SMS code: [`NextStep::SmsCode`](crate::NextStep::SmsCode)).
    ///
    /// Never repeated by the SDK. When the error
    /// [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown),
    /// the wallet may have acted: look the order up before recharging again.
    pub async fn create(&self, request: &CreateRecharge) -> Result<RechargeAnswer> {
        check(RECHARGE, request.validate())?;
        let wallet_id = request.wallet_id.to_string();
        let call = self
            .client
            .call(RECHARGE)
            .field("amount", request.amount.get().to_string())
            .field("card_id", &request.card_id)
            .field("wallet_id", &wallet_id)
            .optional("customer_ip", request.customer_ip.as_deref())
            .optional("jump_url", request.jump_url.as_deref())
            .echo("wallet_id", wallet_id);
        self.client.send(call).await
    }
}
