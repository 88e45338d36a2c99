//! 卡 (cards): products and quotas, applying for virtual cards, assigning and
//! activating physical cards, reading, updating, freezing and cancelling
//! cards, card secrets, and balance changes.
//!
//! Virtual card flow: [`Cards::apply`] -> poll [`Cards::apply_result`] (or wait
//! for the `CARD_STATUS_UPDATE` webhook) -> [`Cards::modify_balance`] to top
//! up -> [`Cards::freeze`] / [`Cards::cancel`]. Physical card flow:
//! [`Cards::assign`] -> the `CARD_ACTIVATION_CODE` webhook -> [`Cards::activate`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::DateTime;
use walletbridge_core::date::WireTime;
use walletbridge_core::money::check_non_negative;
use walletbridge_core::{Currency, Error, Items, Page, Result, SecretString};

use crate::client::{Client, check};
use crate::endpoints::{
    CARD_ACTIVATE, CARD_APPLY, CARD_APPLY_RESULT, CARD_ASSIGN, CARD_AVAILABLE_QUOTAS,
    CARD_BALANCE_MODIFY, CARD_BALANCE_MODIFY_RESULT, CARD_CANCEL, CARD_CONTACT_UPDATE,
    CARD_EMAIL_DELETE, CARD_FREEZE_STATUS, CARD_GET, CARD_PRODUCTS, CARD_RESET_PIN,
    CARD_SECURE_INFO, CARD_UPDATE, CARDS_LIST,
};
use crate::models::{Address, IntoCode, MobileNumber, list_response, required};
use crate::validate;
use serde::de::IgnoredAny;

walletbridge_core::open_enum! {
    /// A card's status.
    pub enum CardStatus {
        /// Being opened.
        Pending = "PENDING",
        /// Waiting for activation (physical cards).
        Inactive = "INACTIVE",
        /// Usable.
        Active = "ACTIVE",
        /// Being frozen.
        Freezing = "FREEZING",
        /// Frozen.
        Frozen = "FROZEN",
        /// Being unfrozen.
        Unfreezing = "UNFREEZING",
        /// Expired.
        Expired = "EXPIRED",
        /// Being cancelled.
        Cancelling = "CANCELLING",
        /// Cancelled.
        Cancelled = "CANCELLED",
    }
}

walletbridge_core::open_enum! {
    /// Physical or virtual.
    pub enum CardType {
        /// A physical card.
        Physical = "PHYSICAL",
        /// A virtual card.
        Virtual = "VIRTUAL",
    }
}

walletbridge_core::open_enum! {
    /// How a card is funded (卡账务类型).
    pub enum AccountingType {
        /// Spends from the shared card account.
        Share = "SHARE",
        /// Holds its own balance, topped up per card.
        Recharge = "RECHARGE",
    }
}

walletbridge_core::open_enum! {
    /// The card scheme.
    pub enum Brand {
        /// Visa.
        Visa = "VISA",
        /// Mastercard.
        Master = "MASTER",
    }
}

walletbridge_core::open_enum! {
    /// The state of a request the platform processes asynchronously (a card
    /// application, a balance change). The page shows `PENDING`; the final
    /// values follow the exchange orders' `SUCCESS`/`FAIL`.
    pub enum RequestStatus {
        /// Being processed.
        Pending = "PENDING",
        /// Done.
        Success = "SUCCESS",
        /// Failed.
        Fail = "FAIL",
    }
}

walletbridge_core::open_enum! {
    /// The direction of a balance change.
    pub enum CardBalanceChangeType {
        /// Top up the card.
        Increase = "INCREASE",
        /// Take money off the card.
        Decrease = "DECREASE",
    }
}

/// A card.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Card {
    /// The card id.
    pub card_id: String,
    /// Nickname.
    #[serde(default)]
    pub card_name: Option<String>,
    /// Product code.
    #[serde(default)]
    pub product_code: Option<String>,
    /// Masked number, `41******1111`.
    #[serde(default)]
    pub mask_card_number: Option<String>,
    /// Card currency.
    #[serde(default)]
    pub card_currency: Option<String>,
    /// Available balance.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub available_balance: Option<Decimal>,
    /// Scheme.
    #[serde(default)]
    pub brand_code: Option<Brand>,
    /// Status.
    #[serde(default)]
    pub status: Option<CardStatus>,
    /// Physical or virtual.
    #[serde(default)]
    pub card_type: Option<CardType>,
    /// Share or recharge.
    #[serde(default)]
    pub accounting_type: Option<AccountingType>,
    /// Region of issue.
    #[serde(default)]
    pub card_region: Option<String>,
    /// The holder.
    #[serde(default)]
    pub card_holder_id: Option<String>,
    /// Holder's first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Holder's last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Holder's mobile.
    #[serde(default, with = "crate::answer::empty_as_none")]
    pub mobile: Option<MobileNumber>,
    /// Contact e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Daily limit.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub limit_per_day: Option<Decimal>,
    /// Monthly limit.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub limit_per_month: Option<Decimal>,
    /// Per-transaction limit.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub limit_per_transaction: Option<Decimal>,
    /// Bill address.
    #[serde(default)]
    pub bill_address: Option<Address>,
    /// Whether 3-D Secure transactions are supported.
    #[serde(default)]
    pub support_tds_trans: Option<bool>,
    /// When the card was created (ISO-8601).
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(Card);

list_response!(
    /// A page of cards.
    CardList,
    cards,
    Card
);

/// Filters for [`Cards::list`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "CardsQuery::new"))]
#[non_exhaustive]
pub struct CardsQuery {
    /// Page, from 1.
    pub page: u32,
    /// Items per page.
    pub limit: u32,
    /// Only this product.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_code: Option<String>,
    /// Only this scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand_code: Option<Brand>,
    /// Only this holder's cards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_holder_id: Option<String>,
    /// Created from this time (inclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub create_start: Option<DateTime>,
    /// Created before this time (exclusive), ISO-8601.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::date::iso8601::option"
    )]
    pub create_end: Option<DateTime>,
    /// Only cards in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CardStatus>,
}

impl CardsQuery {
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
    /// Only this product.
    pub fn product_code(mut self, v: impl Into<String>) -> Self {
        self.product_code = Some(v.into());
        self
    }
    /// Only this scheme.
    pub fn brand_code(mut self, v: Brand) -> Self {
        self.brand_code = Some(v);
        self
    }
    /// Only this holder's cards.
    pub fn card_holder_id(mut self, v: impl Into<String>) -> Self {
        self.card_holder_id = Some(v.into());
        self
    }
    /// Created from this ISO-8601 time (inclusive).
    pub fn create_start(mut self, at: DateTime) -> Self {
        self.create_start = Some(at);
        self
    }
    /// Created before this ISO-8601 time (exclusive).
    pub fn create_end(mut self, at: DateTime) -> Self {
        self.create_end = Some(at);
        self
    }
    /// Only this status.
    pub fn status(mut self, v: CardStatus) -> Self {
        self.status = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        Ok(())
    }
}

crate::models::list_query!(CardsQuery);

/// The card quota available to open cards (shape not on the page).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardQuota {
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Share or recharge.
    #[serde(default)]
    pub accounting_card_type: Option<AccountingType>,
    /// What is still available (the page does not say whether it counts
    /// cards or money; read exactly, as a number).
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub available_quota: Option<Decimal>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardQuota);

/// The answer of [`Cards::available_quotas`]: `{query, quota}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardQuotas {
    /// The quota (`None` when the platform sends `{}` or nothing).
    #[serde(default, with = "crate::answer::empty_as_none")]
    pub quota: Option<CardQuota>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardQuotas);

/// A card product that may be applied for (shape not on the page).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardProduct {
    /// The code to apply with.
    #[serde(default)]
    pub product_code: Option<String>,
    /// Name.
    #[serde(default)]
    pub product_name: Option<String>,
    /// Physical or virtual.
    #[serde(default)]
    pub card_type: Option<CardType>,
    /// Scheme.
    #[serde(default)]
    pub brand_code: Option<Brand>,
    /// Share or recharge.
    #[serde(default)]
    pub accounting_type: Option<AccountingType>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Every other field (limit settings and the like), as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardProduct);

/// The answer of [`Cards::products`]: `{"products": [...]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardProducts {
    /// The products.
    #[serde(default)]
    pub products: Vec<CardProduct>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardProducts);

/// The query of [`Cards::available_quotas`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct QuotasQuery {
    /// ISO-4217 currency.
    pub currency: String,
    /// Share or recharge; the platform's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_card_type: Option<AccountingType>,
}

impl QuotasQuery {
    /// The quota in `currency` for cards of `accounting_type`.
    pub fn new(currency: impl Into<String>, accounting_type: Option<AccountingType>) -> Self {
        Self {
            currency: currency.into(),
            accounting_card_type: accounting_type,
        }
    }
}

/// The body of [`Cards::set_frozen`]: `{"freeze": true}` freezes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct FreezeStatus {
    /// Freeze (`true`) or unfreeze (`false`).
    pub freeze: bool,
}

impl FreezeStatus {
    /// Freezes (`true`) or unfreezes (`false`).
    pub fn new(freeze: bool) -> Self {
        Self { freeze }
    }
}

/// The body of [`Cards::update_contact`]: the card's contact e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct UpdateContact {
    /// The e-mail; not sent when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl UpdateContact {
    /// A contact update with `email` (or none).
    pub fn new(email: Option<&str>) -> Self {
        Self {
            email: email.map(str::to_owned),
        }
    }
}

/// Filters for [`Cards::products`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default))]
#[non_exhaustive]
pub struct ProductsQuery {
    /// Physical or virtual.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_type: Option<CardType>,
    /// Scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand_code: Option<Brand>,
    /// Card currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl ProductsQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only physical or only virtual.
    pub fn card_type(mut self, v: CardType) -> Self {
        self.card_type = Some(v);
        self
    }
    /// Only this scheme.
    pub fn brand_code(mut self, v: Brand) -> Self {
        self.brand_code = Some(v);
        self
    }
    /// Only this currency.
    pub fn currency(mut self, v: impl AsRef<str>) -> Self {
        self.currency = Some(v.as_ref().to_owned());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(c) = &self.currency {
            validate::currency("currency", c)?;
        }
        Ok(())
    }
}

/// `POST /v1/card_applies`: apply for a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ApplyCard {
    /// Your unique id for this application, at most 50 characters; poll
    /// [`Cards::apply_result`] with it.
    pub request_id: String,
    /// The product code (see [`Cards::products`]).
    pub product_code: String,
    /// Card currency.
    pub currency: String,
    /// The holder.
    pub card_holder_id: String,
    /// Daily limit (>= 1); the product default when absent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    #[cfg_attr(feature = "server", serde(default))]
    pub limit_per_day: Option<Decimal>,
    /// Monthly limit (>= 1); the product default when absent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    #[cfg_attr(feature = "server", serde(default))]
    pub limit_per_month: Option<Decimal>,
    /// Per-transaction limit (>= 1); the product default when absent.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    #[cfg_attr(feature = "server", serde(default))]
    pub limit_per_transaction: Option<Decimal>,
    /// The initial balance (0 or more).
    #[serde(with = "walletbridge_core::money::number")]
    pub init_balance: Decimal,
}

impl ApplyCard {
    /// An application, built field by field:
    ///
    /// ```
    /// use walletbridge_core::Decimal;
    /// use walletbridge_gsalary::cards::ApplyCard;
    /// let apply = ApplyCard::builder()
    ///     .request_id("apply-1")
    ///     .product_code("VISA_USD")
    ///     .currency("USD")
    ///     .card_holder_id("holder-1")
    ///     .init_balance(Decimal::from(100))
    ///     .build()?
    ///     .limit_per_day(Decimal::from(500));
    /// assert_eq!(apply.currency, "USD");
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn builder() -> ApplyCardBuilder {
        ApplyCardBuilder::default()
    }
    /// Daily limit.
    pub fn limit_per_day(mut self, v: Decimal) -> Self {
        self.limit_per_day = Some(v);
        self
    }
    /// Monthly limit.
    pub fn limit_per_month(mut self, v: Decimal) -> Self {
        self.limit_per_month = Some(v);
        self
    }
    /// Per-transaction limit.
    pub fn limit_per_transaction(mut self, v: Decimal) -> Self {
        self.limit_per_transaction = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::request_id("request_id", &self.request_id)?;
        validate::not_empty("product_code", &self.product_code)?;
        validate::currency("currency", &self.currency)?;
        validate::not_empty("card_holder_id", &self.card_holder_id)?;
        validate::card_apply_limits(
            &self.currency,
            self.limit_per_transaction,
            self.limit_per_day,
            self.limit_per_month,
        )?;
        check_non_negative("init_balance", self.init_balance)?;
        validate::amount_scale("init_balance", &self.currency, self.init_balance)
    }
}

/// Builds an [`ApplyCard`] (from [`ApplyCard::builder`]).
/// [`build`](Self::build) names a `currency` that is not a three-letter
/// uppercase ISO-4217 code and the first required field left out; the limits
/// are set on the built request.
#[derive(Debug, Default)]
#[must_use = "call .build() to get the request"]
pub struct ApplyCardBuilder {
    request_id: Option<String>,
    product_code: Option<String>,
    currency: Option<Result<Currency>>,
    card_holder_id: Option<String>,
    init_balance: Option<Decimal>,
}

impl ApplyCardBuilder {
    /// Your unique id for this application, at most 50 characters.
    pub fn request_id(mut self, v: impl Into<String>) -> Self {
        self.request_id = Some(v.into());
        self
    }
    /// The product code (see [`Cards::products`]).
    pub fn product_code(mut self, v: impl Into<String>) -> Self {
        self.product_code = Some(v.into());
        self
    }
    /// Card currency: a three-letter uppercase ISO-4217 code (`USD`), as
    /// text or a [`Currency`].
    pub fn currency(mut self, v: impl IntoCode<Currency>) -> Self {
        self.currency = Some(v.into_code("currency"));
        self
    }
    /// The holder.
    pub fn card_holder_id(mut self, v: impl Into<String>) -> Self {
        self.card_holder_id = Some(v.into());
        self
    }
    /// The initial balance (0 or more).
    pub fn init_balance(mut self, v: Decimal) -> Self {
        self.init_balance = Some(v);
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<ApplyCard> {
        let currency = self.currency.transpose()?;
        Ok(ApplyCard {
            request_id: required("request_id", self.request_id)?,
            product_code: required("product_code", self.product_code)?,
            currency: required("currency", currency)?.to_string(),
            card_holder_id: required("card_holder_id", self.card_holder_id)?,
            limit_per_day: None,
            limit_per_month: None,
            limit_per_transaction: None,
            init_balance: required("init_balance", self.init_balance)?,
        })
    }
}

/// The answer to [`Cards::apply`]: the application is queued.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardApplication {
    /// Your request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Status (`PENDING` at first).
    #[serde(default)]
    pub status: Option<RequestStatus>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardApplication);

/// The state of a card application.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardApplyResult {
    /// Your request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<RequestStatus>,
    /// When the application was made.
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// The card, once opened (`None` while the platform sends `{}`).
    #[serde(default, with = "crate::answer::empty_as_none")]
    pub card_detail: Option<Card>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardApplyResult);

/// `PUT /v1/cards/{card_id}`: the fields to change. Limits must satisfy
/// per-transaction <= daily <= monthly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default))]
#[non_exhaustive]
pub struct UpdateCard {
    /// Nickname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_name: Option<String>,
    /// Daily limit.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    pub limit_per_day: Option<Decimal>,
    /// Monthly limit.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    pub limit_per_month: Option<Decimal>,
    /// Per-transaction limit.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    pub limit_per_transaction: Option<Decimal>,
}

impl UpdateCard {
    /// No changes yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// New nickname.
    pub fn card_name(mut self, v: impl Into<String>) -> Self {
        self.card_name = Some(v.into());
        self
    }
    /// New daily limit.
    pub fn limit_per_day(mut self, v: Decimal) -> Self {
        self.limit_per_day = Some(v);
        self
    }
    /// New monthly limit.
    pub fn limit_per_month(mut self, v: Decimal) -> Self {
        self.limit_per_month = Some(v);
        self
    }
    /// New per-transaction limit.
    pub fn limit_per_transaction(mut self, v: Decimal) -> Self {
        self.limit_per_transaction = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        if *self == Self::default() {
            return Err(Error::validation(
                "body",
                "an update needs at least one field",
            ));
        }
        if let Some(n) = &self.card_name {
            validate::not_empty("card_name", n)?;
        }
        validate::card_update_limits(
            self.limit_per_transaction,
            self.limit_per_day,
            self.limit_per_month,
        )
    }
}

/// A card's number, expiry and CVV. Every field is a [`SecretString`]:
/// `Debug` prints `[REDACTED]`; read a value with `.expose()` only where it
/// must leave the process.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct SecureInfo {
    /// The full card number.
    pub pan: SecretString,
    /// Expiry year, `2025`.
    #[serde(default)]
    pub expire_year: SecretString,
    /// Expiry month, `04`.
    #[serde(default)]
    pub expire_month: SecretString,
    /// The CVV.
    #[serde(default)]
    pub cvv: SecretString,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(SecureInfo);

/// `POST /v1/cards/balance_modifies`: top a card up or take money off it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ModifyCardBalance {
    /// The card.
    pub card_id: String,
    /// The amount, greater than 0.
    #[serde(with = "walletbridge_core::money::number")]
    pub amount: Decimal,
    /// Up or down.
    #[serde(rename = "type")]
    pub modify_type: CardBalanceChangeType,
    /// Your unique id for this change, at most 50 characters.
    pub request_id: String,
}

impl ModifyCardBalance {
    /// Adds `amount` to the card.
    pub fn increase(
        request_id: impl Into<String>,
        card_id: impl Into<String>,
        amount: Decimal,
    ) -> Self {
        Self {
            card_id: card_id.into(),
            amount,
            modify_type: CardBalanceChangeType::Increase,
            request_id: request_id.into(),
        }
    }

    /// Takes `amount` off the card.
    pub fn decrease(
        request_id: impl Into<String>,
        card_id: impl Into<String>,
        amount: Decimal,
    ) -> Self {
        Self {
            modify_type: CardBalanceChangeType::Decrease,
            ..Self::increase(request_id, card_id, amount)
        }
    }

    fn validate(&self) -> Result<()> {
        validate::not_empty("card_id", &self.card_id)?;
        validate::positive_amount("amount", "", self.amount)?;
        validate::not_empty("request_id", &self.request_id)
    }
}

/// A balance change and its state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CardBalanceChange {
    /// GSalary's id; matches `transaction_id` in the card balance history.
    #[serde(default)]
    pub gsalary_request_id: Option<String>,
    /// Your request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The card.
    #[serde(default)]
    pub card_id: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<RequestStatus>,
    /// When the change was requested (ISO-8601).
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// When it finished (ISO-8601).
    #[serde(default)]
    pub finish_time: Option<WireTime>,
    /// The amount.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub amount: Option<Decimal>,
    /// Up or down.
    #[serde(default, rename = "type")]
    pub modify_type: Option<CardBalanceChangeType>,
    /// The card balance afterwards.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub post_balance: Option<Decimal>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CardBalanceChange);

/// `POST /v1/cards/assign_card`: give a physical card to a holder. The card
/// number is a [`SecretString`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct AssignCard {
    /// The physical card's number.
    pub card_number: SecretString,
    /// The holder.
    pub card_holder_id: String,
    /// Card currency.
    pub card_currency: String,
}

impl AssignCard {
    /// An assignment, built field by field:
    ///
    /// ```
    /// use walletbridge_gsalary::cards::AssignCard;
    /// let assign = AssignCard::builder()
    ///     .card_number("4111111111111111")
    ///     .card_holder_id("holder-1")
    ///     .card_currency("USD")
    ///     .build()?;
    /// assert_eq!(assign.card_currency, "USD");
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn builder() -> AssignCardBuilder {
        AssignCardBuilder::default()
    }

    fn validate(&self) -> Result<()> {
        let n = self.card_number.expose();
        if n.len() < 12 || n.len() > 19 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::validation("card_number", "must be 12 to 19 digits"));
        }
        validate::not_empty("card_holder_id", &self.card_holder_id)?;
        validate::currency("card_currency", &self.card_currency)
    }
}

/// Builds an [`AssignCard`] (from [`AssignCard::builder`]).
/// [`build`](Self::build) names a `card_currency` that is not a three-letter
/// uppercase ISO-4217 code and the first required field left out.
#[derive(Debug, Default)]
#[must_use = "call .build() to get the request"]
pub struct AssignCardBuilder {
    card_number: Option<SecretString>,
    card_holder_id: Option<String>,
    card_currency: Option<Result<Currency>>,
}

impl AssignCardBuilder {
    /// The physical card's number (12 to 19 digits).
    pub fn card_number(mut self, v: impl Into<SecretString>) -> Self {
        self.card_number = Some(v.into());
        self
    }
    /// The holder.
    pub fn card_holder_id(mut self, v: impl Into<String>) -> Self {
        self.card_holder_id = Some(v.into());
        self
    }
    /// Card currency: a three-letter uppercase ISO-4217 code (`USD`), as
    /// text or a [`Currency`].
    pub fn card_currency(mut self, v: impl IntoCode<Currency>) -> Self {
        self.card_currency = Some(v.into_code("card_currency"));
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<AssignCard> {
        let card_currency = self.card_currency.transpose()?;
        Ok(AssignCard {
            card_number: required("card_number", self.card_number)?,
            card_holder_id: required("card_holder_id", self.card_holder_id)?,
            card_currency: required("card_currency", card_currency)?.to_string(),
        })
    }
}

/// The answer to [`Cards::assign`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AssignedCard {
    /// The new card id.
    pub card_id: String,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(AssignedCard);

/// `POST /v1/cards/{card_id}/active_card`: activate a physical card. The
/// activation code and PIN are [`SecretString`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ActivateCard {
    /// The code from the `CARD_ACTIVATION_CODE` webhook.
    pub activation_code: SecretString,
    /// The PIN to set: exactly 6 digits.
    pub pin: SecretString,
    /// Transactions up to this amount need no PIN (>= 0; 0 forbids PIN-less
    /// payments; the platform default is 200 USD).
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    #[cfg_attr(feature = "server", serde(default))]
    pub no_pin_payment_amount: Option<Decimal>,
}

impl ActivateCard {
    /// Activation with the code and a new 6-digit PIN.
    pub fn new(activation_code: impl Into<SecretString>, pin: impl Into<SecretString>) -> Self {
        Self {
            activation_code: activation_code.into(),
            pin: pin.into(),
            no_pin_payment_amount: None,
        }
    }

    /// Sets the amount that needs no PIN.
    pub fn no_pin_payment_amount(mut self, v: Decimal) -> Self {
        self.no_pin_payment_amount = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::not_empty("activation_code", self.activation_code.expose())?;
        validate::pin("pin", self.pin.expose())?;
        if let Some(a) = self.no_pin_payment_amount {
            check_non_negative("no_pin_payment_amount", a)?;
            validate::amount_scale("no_pin_payment_amount", "", a)?;
        }
        Ok(())
    }
}

/// `POST /v1/cards/{card_id}/reset_card_pin`: the new PIN, a [`SecretString`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ResetCardPin {
    /// The new PIN: exactly 6 digits.
    pub pin: SecretString,
}

impl ResetCardPin {
    /// A new 6-digit PIN.
    pub fn new(pin: impl Into<SecretString>) -> Self {
        Self { pin: pin.into() }
    }

    fn validate(&self) -> Result<()> {
        validate::pin("pin", self.pin.expose())
    }
}

/// The old name of [`ModifyCardBalance`].
#[deprecated(note = "renamed to `ModifyCardBalance`")]
pub type BalanceModify = ModifyCardBalance;

/// The card API: `client.cards()`.
#[derive(Debug, Clone, Copy)]
pub struct Cards<'a> {
    client: &'a Client,
}

impl Client {
    /// The card API (卡).
    pub fn cards(&self) -> Cards<'_> {
        Cards { client: self }
    }
}

impl<'a> Cards<'a> {
    /// `GET /v1/cards/available_quotas`: how many cards may still be opened
    /// in `currency`; `accounting_type` defaults to `SHARE` on the platform.
    pub async fn available_quotas(
        &self,
        currency: &str,
        accounting_type: Option<AccountingType>,
    ) -> Result<CardQuotas> {
        check(
            CARD_AVAILABLE_QUOTAS,
            validate::currency("currency", currency),
        )?;
        let q = QuotasQuery::new(currency, accounting_type);
        let call = self.client.call(CARD_AVAILABLE_QUOTAS, &[])?.query(&q)?;
        self.client.send(call).await
    }

    /// `GET /v1/card_support/products`: the products you may apply for.
    pub async fn products(&self, query: &ProductsQuery) -> Result<Vec<CardProduct>> {
        let list: CardProducts = self
            .client
            .send_query(CARD_PRODUCTS, &[], query.validate(), query)
            .await?;
        Ok(list.products)
    }

    /// `POST /v1/card_applies`: applies for a card. Never retried by the SDK;
    /// on an unknown outcome, poll [`Cards::apply_result`] with the same
    /// request id before applying again.
    pub async fn apply(&self, request: &ApplyCard) -> Result<CardApplication> {
        self.client
            .send_json(CARD_APPLY, &[], request.validate(), request)
            .await
    }

    /// `GET /v1/card_applies/{request_id}`: the state of an application.
    pub async fn apply_result(&self, request_id: &str) -> Result<CardApplyResult> {
        check(
            CARD_APPLY_RESULT,
            validate::request_id("request_id", request_id),
        )?;
        self.client
            .send_plain(CARD_APPLY_RESULT, &[request_id])
            .await
    }

    /// `GET /v1/cards`: one page.
    pub async fn list(&self, query: &CardsQuery) -> Result<Page<Card>> {
        self.client.list::<_, CardList>(CARDS_LIST, query).await
    }

    /// Every card matching `query`, from `query.page` on, page after page.
    pub fn list_stream(&self, query: CardsQuery) -> Items<Card> {
        self.client.list_all::<_, CardList>(CARDS_LIST, query)
    }

    /// `GET /v1/cards/{card_id}`.
    pub async fn get(&self, card_id: &str) -> Result<Card> {
        self.client.send_plain(CARD_GET, &[card_id]).await
    }

    /// `PUT /v1/cards/{card_id}`: changes nickname or limits.
    pub async fn update(&self, card_id: &str, request: &UpdateCard) -> Result<Card> {
        self.client
            .send_json(CARD_UPDATE, &[card_id], request.validate(), request)
            .await
    }

    /// `DELETE /v1/cards/{card_id}`: cancels the card. `Ok` means the
    /// platform accepted the request; the card's status tells the outcome.
    pub async fn cancel(&self, card_id: &str) -> Result<()> {
        let _: IgnoredAny = self.client.send_plain(CARD_CANCEL, &[card_id]).await?;
        Ok(())
    }

    /// `GET /v1/cards/{card_id}/secure_info`: number, expiry and CVV, as
    /// secrets. Error reports for this call never carry the answer body.
    pub async fn secure_info(&self, card_id: &str) -> Result<SecureInfo> {
        self.client.send_plain(CARD_SECURE_INFO, &[card_id]).await
    }

    /// `POST /v1/cards/balance_modifies`: tops up or reduces a card. Never
    /// retried by the SDK; on an unknown outcome, check
    /// [`Cards::balance_modify_result`] with the same request id first.
    pub async fn modify_balance(&self, request: &ModifyCardBalance) -> Result<CardBalanceChange> {
        self.client
            .send_json(CARD_BALANCE_MODIFY, &[], request.validate(), request)
            .await
    }

    /// `GET /v1/cards/balance_modifies/{request_id}`.
    pub async fn balance_modify_result(&self, request_id: &str) -> Result<CardBalanceChange> {
        check(
            CARD_BALANCE_MODIFY_RESULT,
            validate::not_empty("request_id", request_id),
        )?;
        self.client
            .send_plain(CARD_BALANCE_MODIFY_RESULT, &[request_id])
            .await
    }

    /// `PUT /v1/cards/{card_id}/freeze_status` with `freeze`.
    pub async fn set_frozen(&self, card_id: &str, freeze: bool) -> Result<()> {
        let call = self
            .client
            .call(CARD_FREEZE_STATUS, &[card_id])?
            .json(&FreezeStatus::new(freeze))?;
        let _: IgnoredAny = self.client.send(call).await?;
        Ok(())
    }

    /// Freezes the card (`freeze: true`).
    pub async fn freeze(&self, card_id: &str) -> Result<()> {
        self.set_frozen(card_id, true).await
    }

    /// Unfreezes the card (`freeze: false`).
    pub async fn unfreeze(&self, card_id: &str) -> Result<()> {
        self.set_frozen(card_id, false).await
    }

    /// `PUT /v1/cards/{card_id}/contact`: sets the card's e-mail (used for
    /// Apple Pay and similar binding codes).
    pub async fn update_contact(&self, card_id: &str, email: Option<&str>) -> Result<Card> {
        if let Some(e) = email {
            check(CARD_CONTACT_UPDATE, validate::email("email", e))?;
        }
        let call = self
            .client
            .call(CARD_CONTACT_UPDATE, &[card_id])?
            .json(&UpdateContact::new(email))?;
        self.client.send(call).await
    }

    /// `DELETE /v1/cards/{card_id}/email`: removes the card's e-mail (only
    /// some products allow it).
    pub async fn delete_email(&self, card_id: &str) -> Result<Card> {
        self.client.send_plain(CARD_EMAIL_DELETE, &[card_id]).await
    }

    /// `POST /v1/cards/assign_card`: assigns a physical card to a holder.
    pub async fn assign(&self, request: &AssignCard) -> Result<AssignedCard> {
        self.client
            .send_json(CARD_ASSIGN, &[], request.validate(), request)
            .await
    }

    /// `POST /v1/cards/{card_id}/active_card`: activates a physical card.
    pub async fn activate(&self, card_id: &str, request: &ActivateCard) -> Result<()> {
        let _: IgnoredAny = self
            .client
            .send_json(CARD_ACTIVATE, &[card_id], request.validate(), request)
            .await?;
        Ok(())
    }

    /// `POST /v1/cards/{card_id}/reset_card_pin`: sets a new PIN.
    pub async fn reset_pin(&self, card_id: &str, request: &ResetCardPin) -> Result<()> {
        let _: IgnoredAny = self
            .client
            .send_json(CARD_RESET_PIN, &[card_id], request.validate(), request)
            .await?;
        Ok(())
    }
}
