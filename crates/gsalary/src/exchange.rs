//! 换汇 (exchange): quotes, rates, orders.
//!
//! The page names this area in its table of contents but leaves the bodies
//! out. The request shapes follow PROTOCOL-NOTES: a quote takes
//! `sell_currency`, `buy_currency` and exactly one of `sell_amount` or
//! `buy_amount`; the current rate is read with `buy_currency` and
//! `sell_currency`; submitting a quote (`{request_id, quote_id}`) is
//! *inferred*, and [`SubmitExchange::field`] lets you add what your
//! account needs. The answers are not documented: the typed fields below are
//! the likely ones, all optional, and every field the SDK does not know is
//! kept in `extra`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::DateTime;
use walletbridge_core::date::WireTime;
use walletbridge_core::{Error, Items, Page, Result};

use crate::client::{Client, check};
use crate::endpoints::{EXCHANGE_CURRENT_RATE, EXCHANGE_ORDERS, EXCHANGE_QUOTE, EXCHANGE_SUBMIT};
use crate::models::{Money, list_response};
use crate::validate;

walletbridge_core::open_enum! {
    /// The status of an exchange order.
    pub enum ExchangeOrderStatus {
        /// Being processed.
        Pending = "PENDING",
        /// Done.
        Success = "SUCCESS",
        /// Failed.
        Fail = "FAIL",
    }
}

/// Filters for [`Exchange::orders`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[cfg_attr(feature = "server", serde(default = "ExchangeOrdersQuery::new"))]
#[non_exhaustive]
pub struct ExchangeOrdersQuery {
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
    /// Only orders in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ExchangeOrderStatus>,
    /// Only orders buying this currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buy_currency: Option<String>,
    /// Only orders selling this currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sell_currency: Option<String>,
}

impl ExchangeOrdersQuery {
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
    /// Only this status.
    pub fn status(mut self, s: ExchangeOrderStatus) -> Self {
        self.status = Some(s);
        self
    }
    /// Only orders buying this currency.
    pub fn buy_currency(mut self, c: impl AsRef<str>) -> Self {
        self.buy_currency = Some(c.as_ref().to_owned());
        self
    }
    /// Only orders selling this currency.
    pub fn sell_currency(mut self, c: impl AsRef<str>) -> Self {
        self.sell_currency = Some(c.as_ref().to_owned());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::page(self.page, self.limit)?;
        if let Some(c) = &self.buy_currency {
            validate::currency("buy_currency", c)?;
        }
        if let Some(c) = &self.sell_currency {
            validate::currency("sell_currency", c)?;
        }
        Ok(())
    }
}

crate::models::list_query!(ExchangeOrdersQuery);

/// One exchange order (shape not on the page: fields are the likely ones).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ExchangeOrder {
    /// GSalary's order id.
    #[serde(default)]
    pub order_id: Option<String>,
    /// Your request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The quote the order executed.
    #[serde(default)]
    pub quote_id: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<ExchangeOrderStatus>,
    /// The currency sold.
    #[serde(default)]
    pub sell_currency: Option<String>,
    /// The currency bought.
    #[serde(default)]
    pub buy_currency: Option<String>,
    /// What was sold: `{currency, amount}`, or a bare amount next to
    /// `sell_currency` (both forms are read).
    #[serde(default)]
    pub sell_amount: Option<Money>,
    /// What was bought (read from either form, like `sell_amount`).
    #[serde(default)]
    pub buy_amount: Option<Money>,
    /// The rate applied.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub exchange_rate: Option<Decimal>,
    /// When the order was created (ISO-8601).
    #[serde(default)]
    pub create_time: Option<WireTime>,
    /// When the order finished (ISO-8601).
    #[serde(default)]
    pub finish_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(ExchangeOrder, reshape = reshape_exchange);

list_response!(
    /// A page of exchange orders.
    ExchangeOrders,
    orders,
    ExchangeOrder,
    reshape = reshape_orders
);

/// The page's example has `orders`; a list under another name is read too.
fn reshape_orders(fields: &mut crate::answer::Fields) {
    crate::answer::rename_list(fields, "orders", crate::answer::LIST_KEYS);
}

/// The page does not say whether an exchange amount is `{currency, amount}`
/// or a bare number beside `sell_currency` / `buy_currency`: both are read.
fn reshape_exchange(fields: &mut crate::answer::Fields) {
    crate::answer::join_money(fields, "sell_amount", &["sell_currency"]);
    crate::answer::join_money(fields, "buy_amount", &["buy_currency"]);
}

/// Which side of a quote the amount is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteAmount {
    /// Sell exactly this much of the sell currency.
    Sell(Decimal),
    /// Buy exactly this much of the buy currency.
    Buy(Decimal),
}

/// `POST /v1/exchange/quotes`: lock a rate. Exactly one of the sell or buy
/// amount is sent; the type makes it so.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateExchangeQuote {
    /// The currency you pay with.
    pub sell_currency: String,
    /// The currency you receive.
    pub buy_currency: String,
    /// The fixed side.
    pub amount: QuoteAmount,
}

impl CreateExchangeQuote {
    /// Sell `amount` of `sell_currency` for whatever it buys of `buy_currency`.
    pub fn sell(
        sell_currency: impl AsRef<str>,
        amount: Decimal,
        buy_currency: impl AsRef<str>,
    ) -> Self {
        Self {
            sell_currency: sell_currency.as_ref().to_owned(),
            buy_currency: buy_currency.as_ref().to_owned(),
            amount: QuoteAmount::Sell(amount),
        }
    }

    /// Buy `amount` of `buy_currency`, paying in `sell_currency`.
    pub fn buy(
        buy_currency: impl AsRef<str>,
        amount: Decimal,
        sell_currency: impl AsRef<str>,
    ) -> Self {
        Self {
            sell_currency: sell_currency.as_ref().to_owned(),
            buy_currency: buy_currency.as_ref().to_owned(),
            amount: QuoteAmount::Buy(amount),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::currency("sell_currency", &self.sell_currency)?;
        validate::currency("buy_currency", &self.buy_currency)?;
        if self.sell_currency == self.buy_currency {
            return Err(Error::validation(
                "buy_currency",
                "must differ from sell_currency",
            ));
        }
        match self.amount {
            QuoteAmount::Sell(a) => {
                validate::positive_amount("sell_amount", &self.sell_currency, a)
            }
            QuoteAmount::Buy(a) => validate::positive_amount("buy_amount", &self.buy_currency, a),
        }
    }
}

impl Serialize for CreateExchangeQuote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (sell_amount, buy_amount) = match self.amount {
            QuoteAmount::Sell(a) => (Some(a), None),
            QuoteAmount::Buy(a) => (None, Some(a)),
        };
        QuoteWire {
            sell_currency: self.sell_currency.clone(),
            buy_currency: self.buy_currency.clone(),
            sell_amount,
            buy_amount,
        }
        .serialize(s)
    }
}

/// The body as the wire writes it: both amounts optional.
#[derive(Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
struct QuoteWire {
    sell_currency: String,
    buy_currency: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    sell_amount: Option<Decimal>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    buy_amount: Option<Decimal>,
}

/// Reads the body the client writes (feature `server`): exactly one of
/// `sell_amount` and `buy_amount`, else an error.
#[cfg(feature = "server")]
impl<'de> Deserialize<'de> for CreateExchangeQuote {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let w = QuoteWire::deserialize(d)?;
        let amount = match (w.sell_amount, w.buy_amount) {
            (Some(a), None) => QuoteAmount::Sell(a),
            (None, Some(a)) => QuoteAmount::Buy(a),
            _ => {
                return Err(serde::de::Error::custom(
                    "exactly one of sell_amount and buy_amount is required",
                ));
            }
        };
        Ok(Self {
            sell_currency: w.sell_currency,
            buy_currency: w.buy_currency,
            amount,
        })
    }
}

/// The query of [`Exchange::current_rate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CurrentRateQuery {
    /// The currency bought.
    pub buy_currency: String,
    /// The currency sold.
    pub sell_currency: String,
}

impl CurrentRateQuery {
    /// The rate selling `sell_currency` for `buy_currency`.
    pub fn new(sell_currency: impl Into<String>, buy_currency: impl Into<String>) -> Self {
        Self {
            buy_currency: buy_currency.into(),
            sell_currency: sell_currency.into(),
        }
    }
}

/// A locked rate (shape not on the page: fields are the likely ones).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ExchangeQuote {
    /// The quote id, to submit with [`Exchange::submit`].
    pub quote_id: String,
    /// The currency sold.
    #[serde(default)]
    pub sell_currency: Option<String>,
    /// The currency bought.
    #[serde(default)]
    pub buy_currency: Option<String>,
    /// What will be sold: `{currency, amount}`, or a bare amount next to
    /// `sell_currency` (both forms are read).
    #[serde(default)]
    pub sell_amount: Option<Money>,
    /// What will be bought (read from either form, like `sell_amount`).
    #[serde(default)]
    pub buy_amount: Option<Money>,
    /// The locked rate.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub exchange_rate: Option<Decimal>,
    /// When the quote expires (ISO-8601); submitting later fails with `QUOTE_EXPIRE`.
    #[serde(default)]
    pub expire_at: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(ExchangeQuote, reshape = reshape_exchange);

/// The current (unlocked) rate between two currencies.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct ExchangeRate {
    /// The currency sold.
    #[serde(default)]
    pub sell_currency: Option<String>,
    /// The currency bought.
    #[serde(default)]
    pub buy_currency: Option<String>,
    /// Units of the buy currency per unit of the sell currency.
    #[serde(
        default,
        deserialize_with = "walletbridge_core::money::number::option::deserialize",
        serialize_with = "crate::answer::exact::option"
    )]
    pub exchange_rate: Option<Decimal>,
    /// When the rate was read (ISO-8601).
    #[serde(default)]
    pub quote_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(ExchangeRate);

/// `POST /v1/exchange/submit_request` (*inferred*: `{request_id, quote_id}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct SubmitExchange {
    /// Your unique id for this exchange, at most 50 characters.
    pub request_id: String,
    /// The quote to execute.
    pub quote_id: String,
    /// Further fields, sent as given (the body is inferred; add what your account needs).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl SubmitExchange {
    /// Executes `quote_id` under your `request_id`.
    pub fn new(request_id: impl Into<String>, quote_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            quote_id: quote_id.into(),
            extra: serde_json::Map::new(),
        }
    }

    /// Adds a field to the body.
    pub fn field(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    fn validate(&self) -> Result<()> {
        validate::not_empty("request_id", &self.request_id)?;
        validate::not_empty("quote_id", &self.quote_id)
    }
}

/// The exchange API: `client.exchange()`.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    client: &'a Client,
}

impl Client {
    /// The exchange API (换汇).
    pub fn exchange(&self) -> Exchange<'_> {
        Exchange { client: self }
    }
}

impl<'a> Exchange<'a> {
    /// `GET /v1/exchange/orders`: one page.
    pub async fn orders(&self, query: &ExchangeOrdersQuery) -> Result<Page<ExchangeOrder>> {
        self.client
            .list::<_, ExchangeOrders>(EXCHANGE_ORDERS, query)
            .await
    }

    /// Every order matching `query`, from `query.page` on, page after page.
    pub fn orders_stream(&self, query: ExchangeOrdersQuery) -> Items<ExchangeOrder> {
        self.client
            .list_all::<_, ExchangeOrders>(EXCHANGE_ORDERS, query)
    }

    /// `POST /v1/exchange/quotes`: locks a rate.
    pub async fn quote(&self, request: &CreateExchangeQuote) -> Result<ExchangeQuote> {
        self.client
            .send_json(EXCHANGE_QUOTE, &[], request.validate(), request)
            .await
    }

    /// `GET /v1/exchange/current_exchange_rate`: the current rate selling
    /// `sell_currency` for `buy_currency`.
    pub async fn current_rate(
        &self,
        sell_currency: &str,
        buy_currency: &str,
    ) -> Result<ExchangeRate> {
        check(
            EXCHANGE_CURRENT_RATE,
            validate::currency("sell_currency", sell_currency)
                .and_then(|()| validate::currency("buy_currency", buy_currency)),
        )?;
        let call = self
            .client
            .call(EXCHANGE_CURRENT_RATE, &[])?
            .query(&CurrentRateQuery::new(sell_currency, buy_currency))?;
        self.client.send(call).await
    }

    /// `POST /v1/exchange/submit_request` (*inferred*): executes a quote.
    /// Never retried by the SDK; on an unknown outcome, look the order up
    /// with [`Exchange::orders`] before submitting again.
    pub async fn submit(&self, request: &SubmitExchange) -> Result<ExchangeOrder> {
        self.client
            .send_json(EXCHANGE_SUBMIT, &[], request.validate(), request)
            .await
    }
}
