//! 提现 (withdraw): pays a wallet's balance out to a bank card, `client.withdraw()`.
//!
//! | operation | call |
//! |---|---|
//! | 高级钱包-提现 | [`WithdrawHandler::create`] (`withdraw`) |

use walletbridge_core::Result;

use crate::client::{Client, check};
use crate::endpoints::WITHDRAW;
use crate::models::{Fen, WithdrawAnswer};
use crate::validate;

/// A withdrawal (提现): `amount` from `wallet_id` to the bank card `card_id`.
/// The page requires the payer's IP address and the jump URL.
///
/// Under the `server` feature it also deserializes from the form the client
/// sends (see `envelope::RequestForm`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct CreateWithdrawal {
    /// The amount.
    #[cfg_attr(feature = "server", serde(deserialize_with = "crate::wire::form_fen"))]
    pub amount: Fen,
    /// The bank card's id (银行卡id), as the wallet issued it.
    pub card_id: String,
    /// The payer's IP address (required).
    pub customer_ip: String,
    /// Where the payer is sent afterwards (required).
    pub jump_url: String,
    /// The wallet paid out of.
    #[cfg_attr(feature = "server", serde(deserialize_with = "crate::wire::form_int"))]
    pub wallet_id: i64,
}

impl CreateWithdrawal {
    /// `amount` from `wallet_id` to `card_id`, asked from `customer_ip`,
    /// sending the payer to `jump_url` afterwards.
    pub fn new(
        wallet_id: i64,
        card_id: impl Into<String>,
        amount: Fen,
        customer_ip: impl Into<String>,
        jump_url: impl Into<String>,
    ) -> Self {
        Self {
            amount,
            card_id: card_id.into(),
            customer_ip: customer_ip.into(),
            jump_url: jump_url.into(),
            wallet_id,
        }
    }

    fn validate(&self) -> Result<()> {
        validate::positive("amount", self.amount)?;
        validate::required("card_id", &self.card_id)?;
        validate::required("customer_ip", &self.customer_ip)?;
        validate::ip("customer_ip", &self.customer_ip)?;
        validate::url("jump_url", &self.jump_url)?;
        validate::wallet_id("wallet_id", self.wallet_id)
    }
}

/// Withdraw: `client.withdraw()`.
#[derive(Debug, Clone, Copy)]
pub struct WithdrawHandler<'a> {
    client: &'a Client,
}

impl Client {
    /// Withdraw (提现).
    pub fn withdraw(&self) -> WithdrawHandler<'_> {
        WithdrawHandler { client: self }
    }
}

impl WithdrawHandler<'_> {
    /// `withdraw` (提现). The answer's
    /// [`next_step`](WithdrawAnswer::next_step) says what the payer does
    /// next (an SMS code, or the password page with `signed_params`).
    ///
    /// Never repeated by the SDK. When the error
    /// [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown),
    /// the wallet may have acted: look the order up before withdrawing again.
    pub async fn create(&self, request: &CreateWithdrawal) -> Result<WithdrawAnswer> {
        check(WITHDRAW, request.validate())?;
        let wallet_id = request.wallet_id.to_string();
        let call = self
            .client
            .call(WITHDRAW)
            .field("amount", request.amount.get().to_string())
            .field("card_id", &request.card_id)
            .field("customer_ip", &request.customer_ip)
            .field("jump_url", &request.jump_url)
            .field("wallet_id", &wallet_id)
            .echo("wallet_id", wallet_id);
        self.client.send(call).await
    }
}
