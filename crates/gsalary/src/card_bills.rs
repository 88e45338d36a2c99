//! 卡账单 (card bills): card transactions and card balance history.
//!
//! The page gives the queries but not the item shapes. The typed fields
//! follow the card transaction notification (`CARD_TRANSACTION`) and the
//! balance change answer; everything else is kept in `extra`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::DateTime;
use walletbridge_core::date::WireTime;
use walletbridge_core::{Items, Page, Result};

use crate::client::Client;
use crate::endpoints::{CARD_BALANCE_HISTORY, CARD_TRANSACTIONS};
use crate::models::{Money, list_response};
use crate::validate;

walletbridge_core::open_enum! {
    /// A card transaction type. The page names `TDS_FEE` (1.20) and
    /// `CHARGEBACK` (1.22); the others are the usual card events. Any other
    /// value arrives as `Other`.
    pub enum CardTxnType {
        /// An authorization.
        Auth = "AUTH",
        /// A refund.
        Refund = "REFUND",
        /// A chargeback (1.22).
        Chargeback = "CHARGEBACK",
        /// A 3-D Secure fee (1.20).
        TdsFee = "TDS_FEE",
    }
}

walletbridge_core::open_enum! {
    /// A card transaction status (values beyond these arrive as `Other`).
    pub enum CardTxnStatus {
        /// Authorized, not settled.
        Authorized = "AUTHORIZED",
        /// Settled.
        Completed = "COMPLETED",
        /// Declined or failed.
        Failed = "FAILED",
    }
}

walletbridge_core::open_enum! {
    /// What changed a card's balance (values beyond these arrive as `Other`).
    pub enum BalanceHistoryType {
        /// A top-up ([`crate::cards::CardBalanceChangeType::Increase`]).
        Increase = "INCREASE",
        /// A reduction ([`crate::cards::CardBalanceChangeType::Decrease`]).
        Decrease = "DECREASE",
        /// A card payment.
        CardPayment = "CARD_PAYMENT",
        /// A card refund.
        CardRefund = "CARD_REFUND",
    }
}

/// One card transaction; the same shape arrives in the `CARD_TRANSACTION` webhook.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardTransaction {
    /// Transaction id.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// Your request id, when the transaction belongs to one.
    #[serde(default)]
    pub mch_request_id: Option<String>,
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Masked card number.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// When the transaction happened (ISO-8601).
    #[serde(default)]
    pub transaction_time: Option<WireTime>,
    /// When it was confirmed (ISO-8601).
    #[serde(default)]
    pub confirm_time: Option<WireTime>,
    /// The amount in the merchant's currency.
    #[serde(default)]
    pub transaction_amount: Option<Money>,
    /// The amount booked on the card.
    #[serde(default)]
    pub accounting_amount: Option<Money>,
    /// Fee.
    #[serde(default)]
    pub surcharge: Option<Money>,
    /// Type.
    #[serde(default)]
    pub biz_type: Option<CardTxnType>,
    /// Status.
    #[serde(default)]
    pub status: Option<CardTxnStatus>,
    /// Status description (1.9).
    #[serde(default)]
    pub status_description: Option<String>,
    /// Merchant name.
    #[serde(default)]
    pub merchant_name: Option<String>,
    /// Merchant region.
    #[serde(default)]
    pub merchant_region: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardTransaction, reshape = reshape_card_transaction);

/// The page does not give the item shape: each amount is read as
/// `{currency, amount}` or as a bare amount beside `<name>_currency`
/// (`transaction_currency`, `accounting_currency`, `surcharge_currency`).
fn reshape_card_transaction(fields: &mut crate::answer::Fields) {
    crate::answer::join_money(fields, "transaction_amount", &["transaction_currency"]);
    crate::answer::join_money(fields, "accounting_amount", &["accounting_currency"]);
    crate::answer::join_money(fields, "surcharge", &["surcharge_currency"]);
}

/// Balance history amounts are bare numbers beside `currency`; an amount
/// sent as `{currency, amount}` is read too.
fn reshape_balance_history(fields: &mut crate::answer::Fields) {
    crate::answer::split_money(fields, "amount", "currency");
    crate::answer::split_money(fields, "post_balance", "currency");
}

list_response!(
    /// A page of card transactions.
    CardTransactionList,
    transactions,
    CardTransaction
);

/// One card balance change.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct BalanceHistoryEntry {
    /// Booking id.
    #[serde(default)]
    pub log_id: Option<String>,
    /// The card (1.13).
    #[serde(default)]
    pub card_id: Option<String>,
    /// The transaction or balance change behind it (a balance change's
    /// `gsalary_request_id`).
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// What changed the balance.
    #[serde(default)]
    pub biz_type: Option<BalanceHistoryType>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// The change (negative for debits).
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub amount: Option<Decimal>,
    /// The balance afterwards.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub post_balance: Option<Decimal>,
    /// When it was booked (ISO-8601).
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(BalanceHistoryEntry, reshape = reshape_balance_history);

list_response!(
    /// A page of card balance history.
    BalanceHistoryList,
    history,
    BalanceHistoryEntry
);

/// Filters for [`CardBills::transactions`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "CardTransactionsQuery::new"))]
#[non_exhaustive]
pub struct CardTransactionsQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Only this transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// Only this request of yours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mch_request_id: Option<String>,
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
    /// Only this card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
}

impl CardTransactionsQuery {
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
    /// Only this transaction.
    pub fn transaction_id(mut self, v: impl Into<String>) -> Self {
        self.transaction_id = Some(v.into());
        self
    }
    /// Only this request of yours.
    pub fn mch_request_id(mut self, v: impl Into<String>) -> Self {
        self.mch_request_id = Some(v.into());
        self
    }
    /// Only this card.
    pub fn card_id(mut self, v: impl Into<String>) -> Self {
        self.card_id = Some(v.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        if let Some(v) = &self.mch_request_id {
            validate::not_empty("mch_request_id", v)?;
        }
        Ok(())
    }
}

crate::models::list_query!(CardTransactionsQuery);

/// Filters for [`CardBills::balance_history`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "BalanceHistoryQuery::new"))]
#[non_exhaustive]
pub struct BalanceHistoryQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Only this transaction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// Only this booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_id: Option<String>,
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
    /// Only this card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
}

impl BalanceHistoryQuery {
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
    /// Only this transaction.
    pub fn transaction_id(mut self, v: impl Into<String>) -> Self {
        self.transaction_id = Some(v.into());
        self
    }
    /// Only this booking.
    pub fn log_id(mut self, v: impl Into<String>) -> Self {
        self.log_id = Some(v.into());
        self
    }
    /// Only this card.
    pub fn card_id(mut self, v: impl Into<String>) -> Self {
        self.card_id = Some(v.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        Ok(())
    }
}

crate::models::list_query!(BalanceHistoryQuery);

/// The card bill API: `client.card_bills()`.
#[derive(Debug, Clone, Copy)]
pub struct CardBills<'a> {
    client: &'a Client,
}

impl Client {
    /// The card bill API (卡账单).
    pub fn card_bills(&self) -> CardBills<'_> {
        CardBills { client: self }
    }
}

impl<'a> CardBills<'a> {
    /// `GET /v1/card_bill/card_transactions`: one page.
    pub async fn transactions(
        &self,
        query: &CardTransactionsQuery,
    ) -> Result<Page<CardTransaction>> {
        self.client
            .list::<_, CardTransactionList>(CARD_TRANSACTIONS, query)
            .await
    }

    /// Every card transaction matching `query`, from `query.page` on.
    pub fn transactions_stream(&self, query: CardTransactionsQuery) -> Items<CardTransaction> {
        self.client
            .list_all::<_, CardTransactionList>(CARD_TRANSACTIONS, query)
    }

    /// `GET /v1/card_bill/balance_history`: one page.
    pub async fn balance_history(
        &self,
        query: &BalanceHistoryQuery,
    ) -> Result<Page<BalanceHistoryEntry>> {
        self.client
            .list::<_, BalanceHistoryList>(CARD_BALANCE_HISTORY, query)
            .await
    }

    /// Every balance change matching `query`, from `query.page` on.
    pub fn balance_history_stream(&self, query: BalanceHistoryQuery) -> Items<BalanceHistoryEntry> {
        self.client
            .list_all::<_, BalanceHistoryList>(CARD_BALANCE_HISTORY, query)
    }
}
