//! 运营钱包 (the operational wallet, `/merchantapi/wallet/operational/*`):
//! total money and today's income, the user balance, recharge channels,
//! recharging, and the recharge order list.

use std::time::Duration;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use walletbridge_core::date::{self, Date, DateTime};
use walletbridge_core::money;
use walletbridge_core::{Error, Items, ListAnswer, ListQuery, Page, Result};

use crate::client::Client;
use crate::endpoints::{
    DO_RECHARGE, RECHARGE_CHANNELS, RECHARGE_ORDERS, TOTAL_MONEY, USER_BALANCE,
};
use crate::models::{RechargeStatus, RechargeType, UserType, wire};

/// The account's balance and today's income (`getTotalMoney`).
///
/// With the `server` feature it also serializes, writing the amounts as
/// strings with their scale (`"1000.00"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct TotalMoney {
    /// 商户资金账户余额: the merchant's funds account balance.
    #[serde(with = "money::lenient")]
    pub total_money: Decimal,
    /// 今日收益: today's income, promotion income excluded.
    #[serde(with = "money::lenient")]
    pub today_income: Decimal,
    /// 今日推广收益: today's promotion income, when the platform sends it.
    #[serde(default, with = "money::lenient::option")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub promote_income: Option<Decimal>,
}

/// The user's funds (`getUserBalance`).
///
/// With the `server` feature it also serializes, writing the amounts as
/// strings with their scale (`"1000.00"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct UserBalance {
    /// 可提现余额: withdrawable.
    #[serde(with = "money::lenient")]
    pub money: Decimal,
    /// 冻结资金: frozen, waiting for settlement.
    #[serde(with = "money::lenient")]
    pub freeze_money: Decimal,
    /// 运营钱包余额: the operational wallet (deposit) balance.
    #[serde(with = "money::lenient")]
    pub deposit_money: Decimal,
}

/// The recharge channels and the recharge fee rate (`getRechargeChannel`).
///
/// With the `server` feature it also serializes, writing `fee_rate` as a
/// JSON number as the page does (exactly; a rate a JSON number cannot carry
/// exactly is written as a string).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct RechargeChannels {
    /// 充值手续费率: the fee rate, a fraction (`0.05` is 5 %), read exactly.
    #[serde(deserialize_with = "money::lenient::deserialize")]
    #[cfg_attr(feature = "server", serde(serialize_with = "wire::exact_number"))]
    pub fee_rate: Decimal,
    /// The channels to pay a recharge through.
    #[serde(default)]
    pub channels: Vec<RechargeChannel>,
}

/// One recharge channel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct RechargeChannel {
    /// 支付通道 ID (`value` on the wire): what [`RechargeWallet::channel_id`] takes.
    #[serde(rename = "value", deserialize_with = "wire::integer")]
    pub id: i64,
    /// 支付通道名称 (`label`): the channel's name (`支付宝`).
    #[serde(rename = "label", default)]
    pub name: String,
    /// 支付通道图标 (`ico`): the channel's icon URL.
    #[serde(rename = "ico", default)]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub icon: Option<String>,
}

#[cfg(feature = "server")]
impl TotalMoney {
    /// The answer to `getTotalMoney` (feature `server`). Amounts are written
    /// with the scale they carry: give `Decimal::new(100000, 2)` for the
    /// page's `"1000.00"`.
    pub fn new(
        total_money: Decimal,
        today_income: Decimal,
        promote_income: Option<Decimal>,
    ) -> Self {
        Self {
            total_money,
            today_income,
            promote_income,
        }
    }
}

#[cfg(feature = "server")]
impl UserBalance {
    /// The answer to `getUserBalance` (feature `server`). Amounts are
    /// written with the scale they carry (`"1000.00"`).
    pub fn new(money: Decimal, freeze_money: Decimal, deposit_money: Decimal) -> Self {
        Self {
            money,
            freeze_money,
            deposit_money,
        }
    }
}

#[cfg(feature = "server")]
impl RechargeChannels {
    /// The answer to `getRechargeChannel` (feature `server`).
    pub fn new(fee_rate: Decimal, channels: Vec<RechargeChannel>) -> Self {
        Self { fee_rate, channels }
    }
}

#[cfg(feature = "server")]
impl RechargeChannel {
    /// One channel of [`RechargeChannels`] (feature `server`): its id
    /// (`value`), name (`label`) and icon URL (`ico`).
    pub fn new(id: i64, name: impl Into<String>, icon: Option<String>) -> Self {
        Self {
            id,
            name: name.into(),
            icon,
        }
    }
}

impl RechargeChannels {
    /// The fee the platform would add to `amount` at [`fee_rate`](Self::fee_rate),
    /// exactly (no rounding; the platform's own rounding is not documented).
    ///
    /// ```
    /// # use walletbridge_merchant_wallet::wallet::RechargeChannels;
    /// # use walletbridge_merchant_wallet::Decimal;
    /// # let channels: RechargeChannels = serde_json::from_str(r#"{"fee_rate":0.05,"channels":[]}"#).unwrap();
    /// assert_eq!(channels.fee_for(Decimal::new(300, 0)), Some(Decimal::new(1500, 2)));
    /// ```
    pub fn fee_for(&self, amount: Decimal) -> Option<Decimal> {
        amount.checked_mul(self.fee_rate)
    }
}

/// A recharge of the operational wallet (`doRecharge`): an amount paid
/// through a channel.
///
/// With the `server` feature it also deserializes: `amount` from a number or
/// a numeric string, exactly; `channelId` (or `channel_id`) from a number or
/// a string of digits, so a form-encoded body reads too. The rules the
/// client checks before sending are not applied when reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct RechargeWallet {
    /// 充值金额: more than zero, at most two decimals. Sent as a JSON number,
    /// as the page types it (`float`), written exactly.
    #[serde(serialize_with = "amount")]
    #[cfg_attr(
        feature = "server",
        serde(deserialize_with = "money::number::deserialize")
    )]
    pub amount: Decimal,
    /// 支付通道 ID: a [`RechargeChannel::id`].
    #[serde(rename = "channelId")]
    #[cfg_attr(
        feature = "server",
        serde(alias = "channel_id", deserialize_with = "wire::integer")
    )]
    pub channel_id: i64,
}

fn amount<S: Serializer>(v: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    money::number::serialize(&v.normalize(), s)
}

impl RechargeWallet {
    /// Recharge `amount` through channel `channel_id`.
    pub fn new(amount: Decimal, channel_id: i64) -> Self {
        Self { amount, channel_id }
    }

    fn validate(&self) -> Result<()> {
        money::check_positive("amount", self.amount)?;
        money::check_scale("amount", self.amount, 2)?;
        positive_id("channelId", self.channel_id)
    }
}

/// A recharge order, created and waiting for payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct RechargeCreated {
    /// 充值订单号: the order number; follow it with
    /// [`Pay::order_status`](crate::pay::Pay::order_status).
    pub trade_no: String,
    /// 支付跳转页面URL: the page where the payer pays (and can pay again
    /// while the order is open).
    pub url: String,
    /// 订单自动超时关闭时间: how long the order stays open before it closes
    /// unpaid (seconds on the wire).
    #[serde(deserialize_with = "wire::seconds")]
    #[cfg_attr(feature = "server", serde(serialize_with = "wire::write_seconds"))]
    pub order_auto_close_time: Duration,
}

#[cfg(feature = "server")]
impl RechargeCreated {
    /// The answer to `doRecharge` (feature `server`): the order number, the
    /// pay page, and how long the order stays open (written in seconds).
    pub fn new(
        trade_no: impl Into<String>,
        url: impl Into<String>,
        order_auto_close_time: Duration,
    ) -> Self {
        Self {
            trade_no: trade_no.into(),
            url: url.into(),
            order_auto_close_time,
        }
    }
}

/// Filters for [`Wallet::recharge_orders`] (`rechargeOrder`).
///
/// With the `server` feature it also deserializes: integers from numbers or
/// strings of digits, `page` 1 and `limit` 20 when absent (the platform's
/// defaults), and each day of `date_range` from `YYYY-MM-DD` or
/// `YYYY-MM-DD HH:MM:SS` (the day of the time: the query holds days). The
/// bounds the client checks before sending are not applied when reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct RechargeOrderQuery {
    /// Only orders in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", serde(default))]
    pub status: Option<RechargeStatus>,
    /// Only orders created in these days, both included; sent as
    /// `["YYYY-MM-DD", "YYYY-MM-DD"]`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_range")]
    #[cfg_attr(
        feature = "server",
        serde(default, deserialize_with = "read_date_range")
    )]
    pub date_range: Option<(Date, Date)>,
    /// Only orders paid through this channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "server",
        serde(default, deserialize_with = "optional_integer")
    )]
    pub channel_id: Option<i64>,
    /// The page, from 1.
    #[cfg_attr(
        feature = "server",
        serde(default = "first_page", deserialize_with = "wire::page_number")
    )]
    pub page: u32,
    /// Orders per page, 1 to [`MAX_LIMIT`].
    #[cfg_attr(
        feature = "server",
        serde(default = "default_limit", deserialize_with = "wire::page_number")
    )]
    pub limit: u32,
}

#[cfg(feature = "server")]
fn first_page() -> u32 {
    1
}

#[cfg(feature = "server")]
fn default_limit() -> u32 {
    20
}

/// `date_range` read back: `null` or two days, each `YYYY-MM-DD` or
/// `YYYY-MM-DD HH:MM:SS` (its day).
#[cfg(feature = "server")]
fn read_date_range<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<(Date, Date)>, D::Error> {
    use serde::de::Error as _;
    let day = |text: &str| {
        let text = text.trim();
        let head = text.split_once(' ').map_or(text, |(day, _)| day);
        date::parse_date(head).map_err(D::Error::custom)
    };
    match Option::<[String; 2]>::deserialize(d)? {
        None => Ok(None),
        Some([from, to]) => Ok(Some((day(&from)?, day(&to)?))),
    }
}

/// The most orders a page may hold. *Inferred*: the page gives no bound; the
/// platform's default is 20.
pub const MAX_LIMIT: u32 = 100;

fn date_range<S: Serializer>(
    v: &Option<(Date, Date)>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some((from, to)) => [date::format_date(*from), date::format_date(*to)].serialize(s),
        None => s.serialize_none(),
    }
}

impl Default for RechargeOrderQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl RechargeOrderQuery {
    /// Page 1, 20 a page (the platform's default), no filters.
    pub fn new() -> Self {
        Self {
            status: None,
            date_range: None,
            channel_id: None,
            page: 1,
            limit: 20,
        }
    }

    /// Only orders in `status`.
    pub fn status(mut self, status: RechargeStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only orders created from `from` to `to`, both days included.
    pub fn date_range(mut self, from: Date, to: Date) -> Self {
        self.date_range = Some((from, to));
        self
    }

    /// Only orders of channel `channel_id`.
    pub fn channel_id(mut self, channel_id: i64) -> Self {
        self.channel_id = Some(channel_id);
        self
    }

    /// The page, from 1.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    /// Orders per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }
}

impl ListQuery for RechargeOrderQuery {
    fn page_no(&self) -> u32 {
        self.page
    }

    fn at_page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }

    fn check(&self) -> Result<()> {
        if self.page < 1 {
            return Err(Error::validation("page", "must be 1 or more"));
        }
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(Error::validation(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}"),
            ));
        }
        if let Some((from, to)) = self.date_range
            && from > to
        {
            return Err(Error::validation(
                "date_range",
                "the start must not be after the end",
            ));
        }
        if let Some(id) = self.channel_id {
            positive_id("channel_id", id)?;
        }
        Ok(())
    }

    fn page_size(&self) -> Option<u32> {
        Some(self.limit)
    }
}

/// One recharge order.
///
/// With the `server` feature it also serializes as the page writes it:
/// amounts as strings with their scale (`"315.000"`), `create_at` as
/// `YYYY-MM-DD HH:MM:SS` at +08:00, `pay_at` as unix seconds or `null`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct RechargeOrder {
    /// The order's id.
    #[serde(deserialize_with = "wire::integer")]
    pub id: i64,
    /// 充值订单号: the order number.
    pub trade_no: String,
    /// 用户类型: who the order belongs to.
    pub user_type: UserType,
    /// 商品名称: what was bought (`运营钱包充值 300元`).
    #[serde(default)]
    pub goods_name: String,
    /// 订单总价: what the payer pays, fee included.
    #[serde(with = "money::lenient")]
    pub total_price: Decimal,
    /// 实际到账金额: what reaches the wallet.
    #[serde(with = "money::lenient")]
    pub finally_money: Decimal,
    /// 用户ID: the user.
    #[serde(deserialize_with = "wire::integer")]
    pub user_id: i64,
    /// 状态: unpaid, paid, closed or refunded.
    pub status: RechargeStatus,
    /// 支付通道账号ID: the channel account.
    #[serde(default, deserialize_with = "optional_integer")]
    pub channel_account_id: Option<i64>,
    /// 支付通道ID: the channel.
    #[serde(deserialize_with = "wire::integer")]
    pub channel_id: i64,
    /// 充值类型: what the recharge tops up.
    pub recharge_type: RechargeType,
    /// 手续费: the fee.
    #[serde(with = "money::lenient")]
    pub fee: Decimal,
    /// 创建时间: when the order was created (`YYYY-MM-DD HH:MM:SS` at +08:00).
    #[serde(with = "date::china")]
    pub create_at: DateTime,
    /// 支付时间: when it was paid (unix seconds); `None` until paid.
    #[serde(default, deserialize_with = "wire::paid_at")]
    #[cfg_attr(
        feature = "server",
        serde(serialize_with = "date::unix_seconds::option::serialize")
    )]
    pub pay_at: Option<DateTime>,
    /// 第三方支付交易号: the payment channel's transaction id, when there is one.
    #[serde(default)]
    pub transaction_id: Option<String>,
}

fn optional_integer<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct I(#[serde(deserialize_with = "wire::integer")] i64);
    Ok(Option::<I>::deserialize(d)?.map(|i| i.0))
}

#[cfg(feature = "server")]
impl RechargeOrder {
    /// A recharge order (feature `server`) of the merchant's operational
    /// wallet: user type merchant, recharge type `deposit_money`, status
    /// unpaid, amounts zero, nothing paid, no channel account. Set the
    /// other public fields as needed.
    pub fn new(id: i64, trade_no: impl Into<String>, channel_id: i64, create_at: DateTime) -> Self {
        Self {
            id,
            trade_no: trade_no.into(),
            user_type: UserType::Merchant,
            goods_name: String::new(),
            total_price: Decimal::ZERO,
            finally_money: Decimal::ZERO,
            user_id: 0,
            status: RechargeStatus::Unpaid,
            channel_account_id: None,
            channel_id,
            recharge_type: RechargeType::DepositMoney,
            fee: Decimal::ZERO,
            create_at,
            pay_at: None,
            transaction_id: None,
        }
    }
}

/// A page of recharge orders, the `data` of `rechargeOrder`:
/// `{"list": [...], "total": N}`. The client hands it out as a
/// [`Page`]; with the `server` feature it also serializes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct RechargeOrderList {
    /// The orders of this page.
    #[serde(default)]
    pub list: Vec<RechargeOrder>,
    /// How many orders match the query, over every page.
    #[serde(deserialize_with = "wire::count")]
    pub total: u64,
}

#[cfg(feature = "server")]
impl RechargeOrderList {
    /// One page of orders and the count of every matching order (feature `server`).
    pub fn new(list: Vec<RechargeOrder>, total: u64) -> Self {
        Self { list, total }
    }
}

impl ListAnswer for RechargeOrderList {
    type Item = RechargeOrder;

    fn into_page(self, requested: u32) -> Page<RechargeOrder> {
        Page::new(self.list, requested, None, Some(self.total))
    }
}

/// An id that must be positive.
fn positive_id(field: &str, id: i64) -> Result<()> {
    if id <= 0 {
        return Err(Error::validation(field, "must be a positive id"));
    }
    Ok(())
}

/// The operational wallet API: `client.wallet()`.
#[derive(Debug, Clone, Copy)]
pub struct Wallet<'a> {
    client: &'a Client,
}

impl Client {
    /// The operational wallet API (运营钱包, `/merchantapi/wallet/operational/*`).
    pub fn wallet(&self) -> Wallet<'_> {
        Wallet { client: self }
    }
}

impl Wallet<'_> {
    /// `POST /merchantapi/wallet/operational/getTotalMoney`: the funds
    /// account balance and today's income.
    pub async fn total_money(&self) -> Result<TotalMoney> {
        self.client.send(self.client.call(TOTAL_MONEY)).await
    }

    /// `POST /merchantapi/wallet/operational/getUserBalance`: withdrawable,
    /// frozen, and the operational wallet.
    pub async fn balance(&self) -> Result<UserBalance> {
        self.client.send(self.client.call(USER_BALANCE)).await
    }

    /// `POST /merchantapi/wallet/operational/getRechargeChannel`: the
    /// channels a recharge can be paid through, and the fee rate.
    pub async fn recharge_channels(&self) -> Result<RechargeChannels> {
        self.client.send(self.client.call(RECHARGE_CHANNELS)).await
    }

    /// `POST /merchantapi/wallet/operational/doRecharge`: creates a recharge
    /// order and answers where to pay it.
    ///
    /// Never repeated by the SDK. When the error says the outcome is unknown
    /// ([`Error::is_outcome_unknown`]), an order may exist: look at
    /// [`recharge_orders`](Self::recharge_orders) (status unpaid, today)
    /// before recharging again.
    ///
    /// ```no_run
    /// # async fn run(client: walletbridge_merchant_wallet::Client) -> walletbridge_core::Result<()> {
    /// use walletbridge_merchant_wallet::wallet::RechargeWallet;
    /// use walletbridge_merchant_wallet::Decimal;
    /// let order = client.wallet().recharge(&RechargeWallet::new(Decimal::new(300, 0), 1)).await?;
    /// println!("pay {} at {}", order.trade_no, order.url);
    /// # Ok(()) }
    /// ```
    pub async fn recharge(&self, recharge: &RechargeWallet) -> Result<RechargeCreated> {
        self.client
            .send_json(DO_RECHARGE, recharge.validate(), recharge)
            .await
    }

    /// `POST /merchantapi/wallet/operational/rechargeOrder`: one page of
    /// recharge orders. The page knows the `total` and its size, so
    /// [`Page::has_next`] says whether another follows.
    pub async fn recharge_orders(&self, query: &RechargeOrderQuery) -> Result<Page<RechargeOrder>> {
        self.client
            .list::<_, RechargeOrderList>(RECHARGE_ORDERS, query)
            .await
    }

    /// Every recharge order matching `query`, from `query.page` on, page
    /// after page, stopping when `total` orders are reached.
    ///
    /// ```no_run
    /// # async fn run(client: walletbridge_merchant_wallet::Client) -> walletbridge_core::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use walletbridge_merchant_wallet::wallet::RechargeOrderQuery;
    /// use walletbridge_merchant_wallet::RechargeStatus;
    /// let mut orders = client
    ///     .wallet()
    ///     .recharge_orders_stream(RechargeOrderQuery::new().status(RechargeStatus::Paid));
    /// while let Some(order) = orders.try_next().await? {
    ///     println!("{} {}", order.trade_no, order.finally_money);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn recharge_orders_stream(&self, query: RechargeOrderQuery) -> Items<RechargeOrder> {
        self.client
            .list_all::<_, RechargeOrderList>(RECHARGE_ORDERS, query)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_recharge_body_writes_the_amount_exactly_as_a_number() {
        let body = |amount: &str| {
            let r = RechargeWallet::new(amount.parse().unwrap(), 1);
            serde_json::to_string(&r).unwrap()
        };
        assert_eq!(body("300.00"), r#"{"amount":300,"channelId":1}"#);
        assert_eq!(body("0.10"), r#"{"amount":0.1,"channelId":1}"#);
        assert_eq!(
            body("12345678.99"),
            r#"{"amount":12345678.99,"channelId":1}"#
        );
    }

    #[test]
    fn recharge_rules_name_the_field() {
        let field = |amount: &str, channel: i64| {
            let e = RechargeWallet::new(amount.parse().unwrap(), channel)
                .validate()
                .unwrap_err();
            match e.kind() {
                walletbridge_core::ErrorKind::Validation { field, .. } => field.clone(),
                other => panic!("{other}"),
            }
        };
        assert_eq!(field("0", 1), "amount");
        assert_eq!(field("-1", 1), "amount");
        assert_eq!(field("1.001", 1), "amount");
        assert_eq!(field("1", 0), "channelId");
        assert!(
            RechargeWallet::new("1.100".parse().unwrap(), 1)
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn the_query_writes_only_what_is_set() {
        let q = RechargeOrderQuery::new();
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"page":1,"limit":20}"#
        );
        let from = date::parse_date("2025-11-01").unwrap();
        let to = date::parse_date("2025-11-30").unwrap();
        let q = RechargeOrderQuery::new()
            .status(RechargeStatus::Paid)
            .date_range(from, to)
            .channel_id(1)
            .page(2)
            .limit(50);
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"status":1,"date_range":["2025-11-01","2025-11-30"],"channel_id":1,"page":2,"limit":50}"#
        );
        assert!(q.check().is_ok());
        assert!(q.clone().date_range(to, from).check().is_err());
    }
}
