//! 钱包 (wallet): balance and transactions.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::DateTime;
use walletbridge_core::date::WireTime;
use walletbridge_core::{Items, Page, Result};

use crate::client::{Client, check};
use crate::endpoints::{WALLET_BALANCE, WALLET_TRANSACTIONS};
use crate::models::list_response;
use crate::validate;

walletbridge_core::open_enum! {
    /// Which account a balance or transaction belongs to.
    pub enum AccountType {
        /// The wallet balance.
        Balance = "BALANCE",
        /// The shared card account.
        ShareCardAccount = "SHARE_CARD_ACCOUNT",
    }
}

walletbridge_core::open_enum! {
    /// A wallet transaction type (流水类型).
    pub enum TxnType {
        /// Account payment (a transfer).
        AccountPay = "ACCOUNT_PAY",
        /// Top-up of the funds account.
        BalanceRecharge = "BALANCE_RECHARGE",
        /// Currency bought in an exchange.
        ExchangeIn = "EXCHANGE_IN",
        /// Currency sold in an exchange.
        ExchangeOut = "EXCHANGE_OUT",
        /// Card transaction settled.
        CardPayment = "CARD_PAYMENT",
        /// Card refund.
        CardRefund = "CARD_REFUND",
        /// The page's own catch-all category `OTHER`.
        OtherCategory = "OTHER",
    }
}

/// The wallet balance in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct WalletBalance {
    /// ISO-4217 currency.
    pub currency: String,
    /// Total balance.
    #[serde(
        deserialize_with = "walletbridge_core::money::number::deserialize",
        serialize_with = "crate::answer::exact::decimal"
    )]
    pub amount: Decimal,
    /// Balance of the shared card account.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub share_card_account_balance: Option<Decimal>,
    /// Available for transfers.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub available: Option<Decimal>,
    /// The account type.
    #[serde(default)]
    pub account_type: Option<AccountType>,
    /// When the balance was read (ISO-8601).
    #[serde(default)]
    pub query_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(WalletBalance);

/// Filters for [`Wallet::transactions`]. Under the `server` feature it also
/// decodes; a field the client did not send takes [`TransactionsQuery::new`]'s
/// value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "TransactionsQuery::new"))]
#[non_exhaustive]
pub struct TransactionsQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// From this time (inclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub time_start: Option<DateTime>,
    /// Until this time (exclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub time_end: Option<DateTime>,
    /// Only this currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Only this type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub txn_type: Option<TxnType>,
}

impl TransactionsQuery {
    /// Page 1, 20 a page, no filters.
    pub fn new() -> Self {
        Self {
            page: 1,
            limit: 20,
            ..Self::default()
        }
    }
    /// The page to fetch, from 1.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// Items per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// Only items from this time (inclusive), sent as ISO-8601
    /// (`2024-03-04T10:00:00Z`).
    pub fn time_start(mut self, at: DateTime) -> Self {
        self.time_start = Some(at);
        self
    }

    /// Only items until this time (exclusive), sent as ISO-8601.
    pub fn time_end(mut self, at: DateTime) -> Self {
        self.time_end = Some(at);
        self
    }
    /// Only this currency.
    pub fn currency(mut self, c: impl AsRef<str>) -> Self {
        self.currency = Some(c.as_ref().to_owned());
        self
    }
    /// Only this transaction type.
    pub fn txn_type(mut self, t: TxnType) -> Self {
        self.txn_type = Some(t);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        Ok(())
    }
}

crate::models::list_query!(TransactionsQuery);

/// The query of [`Wallet::balance`]: `?currency=USD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct BalanceQuery {
    /// ISO-4217 currency.
    pub currency: String,
}

impl BalanceQuery {
    /// The balance in `currency`.
    pub fn new(currency: impl Into<String>) -> Self {
        Self {
            currency: currency.into(),
        }
    }
}

/// One wallet transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct WalletTransaction {
    /// Transaction id.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// Type.
    #[serde(default)]
    pub txn_type: Option<TxnType>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Amount (negative for debits).
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub amount: Option<Decimal>,
    /// Balance after the transaction.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub balance: Option<Decimal>,
    /// Account type.
    #[serde(default)]
    pub account_type: Option<AccountType>,
    /// When it happened (ISO-8601).
    #[serde(default)]
    pub transaction_time: Option<WireTime>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(WalletTransaction, reshape = reshape_wallet_transaction);

/// The page does not give the item shape: `amount` and `balance` are read
/// as bare amounts beside `currency`, or from `{currency, amount}`.
fn reshape_wallet_transaction(fields: &mut crate::answer::Fields) {
    crate::answer::split_money(fields, "amount", "currency");
    crate::answer::split_money(fields, "balance", "currency");
}

list_response!(
    /// A page of wallet transactions. The page does not name the list's key:
    /// `transactions` (as the card transaction list has), or the first list
    /// under `list`, `items`, `records`, `rows` or `data`.
    WalletTransactions,
    transactions,
    WalletTransaction,
    reshape = reshape_wallet_transactions
);

fn reshape_wallet_transactions(fields: &mut crate::answer::Fields) {
    crate::answer::rename_list(fields, "transactions", crate::answer::LIST_KEYS);
}

/// The wallet API: `client.wallet()`.
#[derive(Debug, Clone, Copy)]
pub struct Wallet<'a> {
    client: &'a Client,
}

impl Client {
    /// The wallet API (钱包).
    pub fn wallet(&self) -> Wallet<'_> {
        Wallet { client: self }
    }
}

impl<'a> Wallet<'a> {
    /// `GET /v1/wallets/balance`: the balance in `currency`.
    pub async fn balance(&self, currency: &str) -> Result<WalletBalance> {
        check(WALLET_BALANCE, validate::currency("currency", currency))?;
        let call = self
            .client
            .call(WALLET_BALANCE, &[])?
            .query(&BalanceQuery::new(currency))?;
        self.client.send(call).await
    }

    /// `GET /v1/wallets/transactions`: one page.
    pub async fn transactions(&self, query: &TransactionsQuery) -> Result<Page<WalletTransaction>> {
        self.client
            .list::<_, WalletTransactions>(WALLET_TRANSACTIONS, query)
            .await
    }

    /// Every transaction matching `query`, from `query.page` on, page after page.
    pub fn transactions_stream(&self, query: TransactionsQuery) -> Items<WalletTransaction> {
        self.client
            .list_all::<_, WalletTransactions>(WALLET_TRANSACTIONS, query)
    }
}
