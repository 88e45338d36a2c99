//! 对外付款 (remittance): clearing networks, quotes (汇率锁定), payout orders.
//!
//! A payout is two calls: [`Remittance::quote`] locks the rate for an amount
//! to a payee account, then [`Remittance::submit_order`] pays the quote.
//!
//! **Submitting an order moves money and is never retried by the SDK.** When
//! it fails with [`Error::is_outcome_unknown`] (a `U` answer, a timeout, a
//! gateway error), the order may exist: look it up with
//! [`Remittance::find_order`] by the same `client_order_id` before deciding to
//! submit again.
//!
//! ```no_run
//! # async fn run(client: walletbridge_gsalary::Client) -> walletbridge_gsalary::Result<()> {
//! use rust_decimal::Decimal;
//! use walletbridge_gsalary::Money;
//! use walletbridge_gsalary::remittance::{SubmitRemittanceOrder, OrderStatus, Purpose, CreateRemittanceQuote};
//!
//! let pay = Money::new("USD", Decimal::new(100_000, 2)); // 1000.00 USD
//! let quote = client.remittance().quote(&CreateRemittanceQuote::pay("acc_1", Purpose::Salary, pay)).await?;
//! let order = SubmitRemittanceOrder::new(quote.quote_id, "payroll-2024-06-alice");
//! let status = match client.remittance().submit_order(&order).await {
//!     Ok(placed) => placed.status,
//!     // The order may exist: look before paying again.
//!     Err(e) if e.is_outcome_unknown() => {
//!         match client.remittance().find_order(&order.client_order_id).await? {
//!             Some(found) => found.status,
//!             None => return Err(e), // not there: safe to submit again (with a fresh quote if expired)
//!         }
//!     }
//!     Err(e) => return Err(e),
//! };
//! assert_ne!(status, Some(OrderStatus::ProcessFailed));
//! # Ok(()) }
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use walletbridge_core::date::{DateTime, WireTime};
use walletbridge_core::{Error, Items, Page, Result};

use crate::client::Client;
use crate::endpoints::{
    CLEARING_NETWORKS, REMITTANCE_ORDER_SUBMIT, REMITTANCE_ORDERS_LIST, REMITTANCE_QUOTE,
};
use crate::models::{Money, list_response};
use crate::payees::PaymentMethod;
use crate::validate;

walletbridge_core::open_enum! {
    /// The purpose of a remittance (汇款目的), from the page's business
    /// dictionary. Some purposes are open only to company or only to personal
    /// payers; a personal bank account in CN accepts `SALARY` only.
    pub enum Purpose {
        /// Salary (companies and people).
        Salary = "SALARY",
        /// Family support (people).
        FamilySupport = "FAMILY_SUPPORT",
        /// Clothes, bags and shoes (people).
        ClothesBagsShoes = "CLOTHES_BAGS_SHOES",
        /// Daily supplies and cosmetics (people).
        DailySuppliesAndCosmetics = "DAILY_SUPPLIES_AND_COSMETICS",
        /// Electronics and home appliances (people).
        ElectronicsAndHomeAppliances = "ELECTRONICS_AND_HOME_APPLIANCES",
        /// Toys, kids and babies (people).
        ToysKidsBabies = "TOYS_KIDS_BABIES",
        /// Interpretation service.
        InterpretationService = "INTERPRETATION_SERVICE",
        /// Translation service.
        TranslationService = "TRANSLATION_SERVICE",
        /// Human resource service.
        HumanResourceService = "HUMAN_RESOURCE_SERVICE",
        /// Estate agency service.
        EstateAgencyService = "ESTATE_AGENCY_SERVICE",
        /// Software development service.
        SoftwareDevelopmentService = "SOFTWARE_DEVELOPMENT_SERVICE",
        /// Web design or development service.
        WebDesignOrDevelopmentService = "WEB_DESIGN_OR_DEVELOPMENT_SERVICE",
        /// Drafting legal documents.
        DraftingLegalService = "DRAFTING_LEGAL_SERVICE",
        /// Legal certification service.
        LegalRelatedCertificationService = "LEGAL_RELATED_CERTIFICATION_SERVICE",
        /// Accounting service.
        AccountingService = "ACCOUNTING_SERVICE",
        /// Tax service.
        TaxService = "TAX_SERVICE",
        /// Architectural and decoration design service.
        ArchitecturalDecorationDesignService = "ARCHITECTURAL_DECORATION_DESIGN_SERVICE",
        /// Advertising service.
        AdvertisingService = "ADVERTISING_SERVICE",
        /// Market research service.
        MarketResearchService = "MARKET_RESEARCH_SERVICE",
        /// Exhibition booth service.
        ExhibitionBoothService = "EXHIBITION_BOOTH_SERVICE",
        /// Product promotion service (companies).
        ProductPromotionService = "PRODUCT_PROMOTION_SERVICE",
        /// E-commerce promotion commission (companies).
        EcommercePromotionService = "ECOMMERCE_PROMOTION_SERVICE",
    }
}

walletbridge_core::open_enum! {
    /// Which side of a remittance an amount is (金额类型).
    pub enum AmountType {
        /// The total the payer pays, in the pay currency.
        PayAmount = "PAY_AMOUNT",
        /// What the payee receives, in the receive currency.
        ReceiveAmount = "RECEIVE_AMOUNT",
    }
}

walletbridge_core::open_enum! {
    /// A clearing network for bank payouts. The page names SWIFT, ACH,
    /// FedWire and FPS; the wire spelling `FEDWIRE` is inferred.
    pub enum ClearingNetwork {
        /// SWIFT.
        Swift = "SWIFT",
        /// ACH (needs `aba_number`).
        Ach = "ACH",
        /// FedWire (needs `aba_number`).
        Fedwire = "FEDWIRE",
        /// Hong Kong FPS (needs `fps_bank_id`).
        Fps = "FPS",
    }
}

walletbridge_core::open_enum! {
    /// A payout order's status. `CREATED`, `SUCCESS` and `PROCESS_FAILED` are
    /// on the page; `FAILED` and `REVERSED` are inferred from the
    /// `REMITTANCE_FAIL` and `REMITTANCE_REVERSE` webhooks.
    pub enum OrderStatus {
        /// Accepted, in progress.
        Created = "CREATED",
        /// Paid out.
        Success = "SUCCESS",
        /// Processing failed (since 1.17).
        ProcessFailed = "PROCESS_FAILED",
        /// Failed (inferred).
        Failed = "FAILED",
        /// Paid out, then returned (inferred).
        Reversed = "REVERSED",
    }
}

/// An amount's currency-dependent rules, for a currency that may be unknown.
fn amount_rules(field: &str, currency: Option<&str>, amount: Decimal) -> Result<()> {
    validate::positive_amount(field, currency.unwrap_or(""), amount)
}

/// Query for [`Remittance::clearing_networks`]. Under the `server` feature
/// it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ClearingNetworksQuery {
    /// The payee account.
    pub payee_account_id: String,
    /// ISO-4217 pay currency.
    pub pay_currency: String,
    /// The amount (no decimals for IDR).
    #[serde(with = "walletbridge_core::money::number")]
    pub amount: Decimal,
    /// Which side `amount` is.
    pub amount_type: AmountType,
    /// ISO-4217 receive currency.
    pub receive_currency: String,
}

impl ClearingNetworksQuery {
    /// Networks to `payee_account_id` for paying `pay` (the payer's side).
    pub fn pay(
        payee_account_id: impl Into<String>,
        pay: Money,
        receive_currency: impl AsRef<str>,
    ) -> Self {
        Self {
            payee_account_id: payee_account_id.into(),
            pay_currency: pay.currency,
            amount: pay.amount,
            amount_type: AmountType::PayAmount,
            receive_currency: receive_currency.as_ref().to_owned(),
        }
    }

    /// Networks to `payee_account_id` for the payee receiving `receive`.
    pub fn receive(
        payee_account_id: impl Into<String>,
        pay_currency: impl AsRef<str>,
        receive: Money,
    ) -> Self {
        Self {
            payee_account_id: payee_account_id.into(),
            pay_currency: pay_currency.as_ref().to_owned(),
            amount: receive.amount,
            amount_type: AmountType::ReceiveAmount,
            receive_currency: receive.currency,
        }
    }

    fn validate(&self) -> Result<()> {
        non_empty("payee_account_id", &self.payee_account_id)?;
        validate::currency("pay_currency", &self.pay_currency)?;
        validate::currency("receive_currency", &self.receive_currency)?;
        let currency = match self.amount_type {
            AmountType::ReceiveAmount => &self.receive_currency,
            _ => &self.pay_currency,
        };
        amount_rules("amount", Some(currency), self.amount)
    }
}

fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    Ok(())
}

/// One clearing network and its estimated fee ([`ClearingNetworkOption::new`]
/// under the `server` feature).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ClearingNetworkOption {
    /// The network.
    pub network: ClearingNetwork,
    /// Estimated fee, in the pay currency.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub fee: Option<Decimal>,
    /// Estimated arrival (ISO-8601).
    #[serde(default)]
    pub estimated_arrival_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(ClearingNetworkOption);

#[cfg(feature = "server")]
impl ClearingNetworkOption {
    /// The option `network`, with no fee, arrival time or other field yet
    /// (feature `server`, to build an answer).
    pub fn new(network: ClearingNetwork) -> Self {
        Self {
            network,
            fee: None,
            estimated_arrival_time: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// The clearing networks available to a payee account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ClearingNetworks {
    /// The networks.
    #[serde(default)]
    pub clearing_networks: Vec<ClearingNetworkOption>,
    /// The account asked about.
    #[serde(default)]
    pub payee_account_id: Option<String>,
    /// Pay currency.
    #[serde(default)]
    pub pay_currency: Option<String>,
    /// Receive currency.
    #[serde(default)]
    pub receive_currency: Option<String>,
    /// The amount asked about.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub amount: Option<Decimal>,
    /// Which side the amount is.
    #[serde(default)]
    pub amount_type: Option<AmountType>,
    /// The account's region.
    #[serde(default)]
    pub country: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(ClearingNetworks);

/// The body of [`Remittance::quote`]. Under the `server` feature it also
/// decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CreateRemittanceQuote {
    /// The payee account paid into.
    pub payee_account_id: String,
    /// The payer (default: the merchant itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer_id: Option<String>,
    /// Purpose.
    pub purpose: Purpose,
    /// ISO-4217 pay currency.
    pub pay_currency: String,
    /// ISO-4217 receive currency: required when the payee takes several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receive_currency: Option<String>,
    /// The amount (no decimals for IDR).
    #[serde(with = "walletbridge_core::money::number")]
    pub amount: Decimal,
    /// Which side `amount` is.
    pub amount_type: AmountType,
    /// Clearing network: required when the account has `require_clearing_network`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearing_network: Option<ClearingNetwork>,
    /// ABA routing number (ACH and FedWire).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aba_number: Option<String>,
    /// FPS bank id (FPS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps_bank_id: Option<String>,
    /// IFS code (Indian bank accounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ifs_code: Option<String>,
    /// Intermediary bank SWIFT code (SWIFT, optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intermediary_swift_code: Option<String>,
    /// Remark: at most 100 English letters, digits and spaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

impl CreateRemittanceQuote {
    /// A quote where the payer pays exactly `pay` (`PAY_AMOUNT`).
    pub fn pay(payee_account_id: impl Into<String>, purpose: Purpose, pay: Money) -> Self {
        Self::with(
            payee_account_id.into(),
            purpose,
            pay.currency,
            None,
            pay.amount,
            AmountType::PayAmount,
        )
    }

    /// A quote where the payee receives exactly `receive` (`RECEIVE_AMOUNT`),
    /// paid from `pay_currency`.
    pub fn receive(
        payee_account_id: impl Into<String>,
        purpose: Purpose,
        pay_currency: impl AsRef<str>,
        receive: Money,
    ) -> Self {
        Self::with(
            payee_account_id.into(),
            purpose,
            pay_currency.as_ref().to_owned(),
            Some(receive.currency),
            receive.amount,
            AmountType::ReceiveAmount,
        )
    }

    fn with(
        payee_account_id: String,
        purpose: Purpose,
        pay_currency: String,
        receive_currency: Option<String>,
        amount: Decimal,
        amount_type: AmountType,
    ) -> Self {
        Self {
            payee_account_id,
            payer_id: None,
            purpose,
            pay_currency,
            receive_currency,
            amount,
            amount_type,
            clearing_network: None,
            aba_number: None,
            fps_bank_id: None,
            ifs_code: None,
            intermediary_swift_code: None,
            remark: None,
        }
    }

    /// Pays on behalf of this payer.
    pub fn payer_id(mut self, id: impl Into<String>) -> Self {
        self.payer_id = Some(id.into());
        self
    }
    /// The receive currency (for a `pay` quote to a multi-currency payee).
    pub fn receive_currency(mut self, currency: impl AsRef<str>) -> Self {
        self.receive_currency = Some(currency.as_ref().to_owned());
        self
    }
    /// The clearing network.
    pub fn clearing_network(mut self, network: ClearingNetwork) -> Self {
        self.clearing_network = Some(network);
        self
    }
    /// ABA routing number.
    pub fn aba_number(mut self, aba: impl Into<String>) -> Self {
        self.aba_number = Some(aba.into());
        self
    }
    /// FPS bank id.
    pub fn fps_bank_id(mut self, id: impl Into<String>) -> Self {
        self.fps_bank_id = Some(id.into());
        self
    }
    /// IFS code.
    pub fn ifs_code(mut self, code: impl Into<String>) -> Self {
        self.ifs_code = Some(code.into());
        self
    }
    /// Intermediary bank SWIFT code.
    pub fn intermediary_swift_code(mut self, code: impl Into<String>) -> Self {
        self.intermediary_swift_code = Some(code.into());
        self
    }
    /// Remark.
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("payee_account_id", &self.payee_account_id)?;
        if let Some(p) = &self.payer_id {
            non_empty("payer_id", p)?;
        }
        validate::currency("pay_currency", &self.pay_currency)?;
        if let Some(c) = &self.receive_currency {
            validate::currency("receive_currency", c)?;
        }
        let currency = match self.amount_type {
            AmountType::ReceiveAmount => self.receive_currency.as_deref(),
            _ => Some(self.pay_currency.as_str()),
        };
        amount_rules("amount", currency, self.amount)?;
        let missing =
            |field: &str, value: &Option<String>, network: &ClearingNetwork| -> Result<()> {
                if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                    return Err(Error::validation(
                        field,
                        format!("is required for the {network} clearing network"),
                    ));
                }
                Ok(())
            };
        match &self.clearing_network {
            Some(n @ (ClearingNetwork::Ach | ClearingNetwork::Fedwire)) => {
                missing("aba_number", &self.aba_number, n)?
            }
            Some(n @ ClearingNetwork::Fps) => missing("fps_bank_id", &self.fps_bank_id, n)?,
            _ => {}
        }
        if let Some(r) = &self.remark {
            validate::remark("remark", r)?;
        }
        Ok(())
    }
}

/// A locked rate (锁汇单).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Quote {
    /// Quote id, to submit with [`Remittance::submit_order`].
    pub quote_id: String,
    /// Payout method.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// What the payer pays.
    #[serde(default)]
    pub pay_amount: Option<Money>,
    /// What the payee receives.
    #[serde(default)]
    pub receive_amount: Option<Money>,
    /// The fee.
    #[serde(default)]
    pub surcharge: Option<Money>,
    /// Exchange rate.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub exchange_rate: Option<Decimal>,
    /// When the quote expires (ISO-8601); submit before then.
    #[serde(default)]
    pub expire_at: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(Quote);

/// The body of [`Remittance::submit_order`]. Under the `server` feature it
/// also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct SubmitRemittanceOrder {
    /// The quote to pay.
    pub quote_id: String,
    /// Your unique order id (1 to 50 characters): the key to look the order
    /// up by when the outcome is unknown.
    pub client_order_id: String,
}

impl SubmitRemittanceOrder {
    /// Pays `quote_id` as your order `client_order_id`.
    pub fn new(quote_id: impl Into<String>, client_order_id: impl Into<String>) -> Self {
        Self {
            quote_id: quote_id.into(),
            client_order_id: client_order_id.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        non_empty("quote_id", &self.quote_id)?;
        validate::not_empty("client_order_id", &self.client_order_id)
    }
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// A time that may be sent as `""` for "not yet".
fn empty_time_as_none<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<WireTime>, D::Error> {
    Ok(Option::<WireTime>::deserialize(d)?.filter(|t| !t.text.is_empty()))
}

/// A payout order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct RemittanceOrder {
    /// Platform order id.
    pub order_id: String,
    /// Your order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Where the order came from (`API`...).
    #[serde(default)]
    pub order_source: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// Created (ISO-8601).
    #[serde(default, deserialize_with = "empty_time_as_none")]
    pub create_time: Option<WireTime>,
    /// Finished (ISO-8601); `None` until it is.
    #[serde(default, deserialize_with = "empty_time_as_none")]
    pub finish_time: Option<WireTime>,
    /// Payee.
    #[serde(default)]
    pub payee_id: Option<String>,
    /// Payee account.
    #[serde(default)]
    pub payee_account_id: Option<String>,
    /// Payer, when not the merchant.
    #[serde(default)]
    pub payer_id: Option<String>,
    /// Payout method.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// What the payer pays.
    #[serde(default)]
    pub pay_amount: Option<Money>,
    /// What the payee receives.
    #[serde(default)]
    pub receive_amount: Option<Money>,
    /// The fee.
    #[serde(default)]
    pub surcharge: Option<Money>,
    /// Exchange rate.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub exchange_rate: Option<Decimal>,
    /// Why it failed.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub error_message: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(RemittanceOrder);

/// Filters for [`Remittance::orders`]. Under the `server` feature it also
/// decodes; a field the client did not send takes [`OrdersQuery::new`]'s
/// value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "OrdersQuery::new"))]
#[non_exhaustive]
pub struct OrdersQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Only this payee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<String>,
    /// Only this payer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer_id: Option<String>,
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
    /// Only this platform order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Only your order with this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_order_id: Option<String>,
}

impl OrdersQuery {
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
    /// Only this payee.
    pub fn payee_id(mut self, id: impl Into<String>) -> Self {
        self.payee_id = Some(id.into());
        self
    }
    /// Only this payer.
    pub fn payer_id(mut self, id: impl Into<String>) -> Self {
        self.payer_id = Some(id.into());
        self
    }
    /// Only this platform order.
    pub fn order_id(mut self, id: impl Into<String>) -> Self {
        self.order_id = Some(id.into());
        self
    }
    /// Only your order with this id.
    pub fn client_order_id(mut self, id: impl Into<String>) -> Self {
        self.client_order_id = Some(id.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        if let Some(id) = &self.client_order_id {
            validate::not_empty("client_order_id", id)?;
        }
        Ok(())
    }
}

crate::models::list_query!(OrdersQuery);

list_response!(
    /// A page of payout orders.
    RemittanceOrders,
    orders,
    RemittanceOrder
);

/// The old name of [`CreateRemittanceQuote`].
#[deprecated(note = "renamed to `CreateRemittanceQuote`")]
pub type QuoteRequest = CreateRemittanceQuote;

/// The old name of [`SubmitRemittanceOrder`].
#[deprecated(note = "renamed to `SubmitRemittanceOrder`")]
pub type OrderRequest = SubmitRemittanceOrder;

/// The remittance API: `client.remittance()`.
#[derive(Debug, Clone, Copy)]
pub struct Remittance<'a> {
    client: &'a Client,
}

impl Client {
    /// The remittance API (对外付款).
    pub fn remittance(&self) -> Remittance<'_> {
        Remittance { client: self }
    }
}

impl<'a> Remittance<'a> {
    /// `GET /v1/remittance/clearing_networks`: the networks a payee account
    /// can be paid through, with estimated fees.
    pub async fn clearing_networks(
        &self,
        query: &ClearingNetworksQuery,
    ) -> Result<ClearingNetworks> {
        self.client
            .send_query(CLEARING_NETWORKS, &[], query.validate(), query)
            .await
    }

    /// `POST /v1/remittance/quotes`: locks a rate. Nothing is paid until the
    /// quote is submitted.
    pub async fn quote(&self, request: &CreateRemittanceQuote) -> Result<Quote> {
        self.client
            .send_json(REMITTANCE_QUOTE, &[], request.validate(), request)
            .await
    }

    /// `POST /v1/remittance/orders`: pays a quote. **Never retried by the SDK.**
    ///
    /// On an error with [`Error::is_outcome_unknown`] the order may exist:
    /// call [`Remittance::find_order`] with the same `client_order_id` before
    /// submitting again.
    pub async fn submit_order(&self, request: &SubmitRemittanceOrder) -> Result<RemittanceOrder> {
        self.client
            .send_json(REMITTANCE_ORDER_SUBMIT, &[], request.validate(), request)
            .await
    }

    /// `GET /v1/remittance/orders`: one page.
    pub async fn orders(&self, query: &OrdersQuery) -> Result<Page<RemittanceOrder>> {
        self.client
            .list::<_, RemittanceOrders>(REMITTANCE_ORDERS_LIST, query)
            .await
    }

    /// Every order matching `query`, from `query.page` on, page after page.
    pub fn orders_stream(&self, query: OrdersQuery) -> Items<RemittanceOrder> {
        self.client
            .list_all::<_, RemittanceOrders>(REMITTANCE_ORDERS_LIST, query)
    }

    /// Looks up your order by `client_order_id`: `Some` when the platform has
    /// it, `None` when it does not. Use it after an outcome-unknown submit.
    ///
    /// The platform filters on `client_order_id`; an item that echoes a
    /// different `client_order_id` is skipped, one that echoes none is trusted
    /// to match the filter.
    pub async fn find_order(&self, client_order_id: &str) -> Result<Option<RemittanceOrder>> {
        let page = self
            .orders(&OrdersQuery::new().client_order_id(client_order_id))
            .await?;
        Ok(page.items.into_iter().find(|o| {
            o.client_order_id
                .as_deref()
                .is_none_or(|id| id == client_order_id)
        }))
    }
}
