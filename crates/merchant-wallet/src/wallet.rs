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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    pub promote_income: Option<Decimal>,
}

/// The user's funds (`getUserBalance`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RechargeChannels {
    /// 充值手续费率: the fee rate, a fraction (`0.05` is 5 %), read exactly.
    #[serde(with = "money::lenient")]
    pub fee_rate: Decimal,
    /// The channels to pay a recharge through.
    #[serde(default)]
    pub channels: Vec<RechargeChannel>,
}

/// One recharge channel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    pub icon: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RechargeWallet {
    /// 充值金额: more than zero, at most two decimals. Sent as a JSON number,
    /// as the page types it (`float`), written exactly.
    #[serde(serialize_with = "amount")]
    pub amount: Decimal,
    /// 支付通道 ID: a [`RechargeChannel::id`].
    #[serde(rename = "channelId")]
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
    pub order_auto_close_time: Duration,
}

/// Filters for [`Wallet::recharge_orders`] (`rechargeOrder`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RechargeOrderQuery {
    /// Only orders in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<RechargeStatus>,
    /// Only orders created in these days, both included; sent as
    /// `["YYYY-MM-DD", "YYYY-MM-DD"]`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_range")]
    pub date_range: Option<(Date, Date)>,
    /// Only orders paid through this channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<i64>,
    /// The page, from 1.
    pub page: u32,
    /// Orders per page, 1 to [`MAX_LIMIT`].
    pub limit: u32,
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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

/// A page of recharge orders: `{"list": [...], "total": N}`.
#[derive(Debug, Clone, Deserialize)]
struct RechargeOrderList {
    #[serde(default)]
    list: Vec<RechargeOrder>,
    #[serde(deserialize_with = "wire::count")]
    total: u64,
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
