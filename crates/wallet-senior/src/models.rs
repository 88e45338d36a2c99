//! Types shared by several API areas: amounts in fen, the wallet order and
//! its enumerations, the payment answers of collect, recharge and withdraw,
//! and what such an answer asks the payer to do next ([`NextStep`]).
//!
//! Every answer field is optional (absent fields are omitted by the server)
//! and decodes leniently: integers from a number or a string of digits, text
//! from any scalar; times `yyyy-MM-dd HH:mm:ss` at the client's offset
//! (+08:00 unless configured with
//! [`ClientBuilder::utc_offset`](crate::ClientBuilder::utc_offset)).
//!
//! Under the `server` feature the answers also serialize as the server
//! writes them (absent fields left out, amounts integer fen, times
//! `yyyy-MM-dd HH:mm:ss`, the WeChat APP info as `we_chat_appinfo`) and
//! implement `Default`, for simulators and test servers.

use std::fmt;

use serde::Deserialize;
#[cfg(feature = "server")]
use serde::Serialize;
use walletbridge_core::date::DateTime;

use crate::sms::{ConfirmSms, ResendSms};
use crate::wire;

/// An amount in fen (1/100 yuan), as every amount of this API is. Convert
/// from yuan with [`Fen::from_yuan`] (a yuan amount finer than one fen is an
/// error, never rounded) and back with [`Fen::to_yuan`].
///
/// ```
/// use walletbridge_wallet_senior::Fen;
/// let fen = Fen::from_yuan("amount", "12.34".parse().unwrap()).unwrap();
/// assert_eq!(fen, Fen(1234));
/// assert_eq!(fen.to_yuan().to_string(), "12.34");
/// assert!(Fen::from_yuan("amount", "0.001".parse().unwrap()).is_err());
/// ```
pub use walletbridge_core::money::Fen;

walletbridge_core::open_int_enum! {
    /// The state of a wallet order (`status`).
    pub enum OrderStatus {
        /// 2: in progress (进行中). Query again later.
        InProgress = 2,
        /// 3: succeeded (交易成功).
        Success = 3,
        /// 4: failed (交易失败).
        Failed = 4,
        /// 5: closed (交易关闭).
        Closed = 5,
    }
}

impl OrderStatus {
    /// Whether the order will not change any more (succeeded, failed or closed).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Success | Self::Failed | Self::Closed)
    }
}

walletbridge_core::open_int_enum! {
    /// What kind of order it is (`type`).
    pub enum OrderType {
        /// 1: settlement (财务结算).
        Settlement = 1,
        /// 2: recharge (充值).
        Recharge = 2,
        /// 3: withdraw (提现).
        Withdraw = 3,
        /// 4: collect (代收).
        Collect = 4,
        /// 5: agent pay (代付).
        AgentPay = 5,
        /// 6: refund (退款).
        Refund = 6,
        /// 7: consume (消费).
        Consume = 7,
    }
}

walletbridge_core::open_int_enum! {
    /// How far the order got with the channel (`progress`).
    pub enum Progress {
        /// 1: to be sent (待发送).
        ToSend = 1,
        /// 2: sent (已发送).
        Sent = 2,
        /// 3: result received (已接收结果).
        ResultReceived = 3,
    }
}

walletbridge_core::open_int_enum! {
    /// The channel the order went through (`tunnel_type`).
    pub enum TunnelType {
        /// 1: SPDB bank-enterprise direct link (浦发银企直连).
        SpdbBankEnterprise = 1,
        /// 2: Allinpay Yunst (通联云商通).
        AllinpayYunst = 2,
    }
}

walletbridge_core::open_int_enum! {
    /// Business marks of an order (`biz_tag`).
    pub enum BizTag {
        /// 1: has a refund (有退款).
        Refunded = 1,
        /// 2: booked in the ledger (已记流水).
        Booked = 2,
    }
}

walletbridge_core::open_int_enum! {
    /// Whether the order is locked (`locked`).
    pub enum LockState {
        /// 1: not locked (未锁).
        Unlocked = 1,
        /// 2: locked (锁定).
        Locked = 2,
    }
}

walletbridge_core::open_int_enum! {
    /// Who has been notified about the order (`notified`).
    pub enum NotifyState {
        /// 1: the technical side was notified (已通知技术).
        Technical = 1,
        /// 2: the business side was notified (已通知业务).
        Business = 2,
    }
}

walletbridge_core::open_int_enum! {
    /// How the payer confirms a transaction (`validate_type`).
    pub enum ValidateType {
        /// 1: an SMS code, confirmed with `sms_confirm` (短信).
        Sms = 1,
        /// 2: a password, entered on the password page with `signed_params` (密码).
        Password = 2,
    }
}

/// A wallet order (钱包订单): what order query and refund answer, and what
/// collect, recharge and withdraw answers carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct WalletOrder {
    /// The amount.
    #[serde(default, deserialize_with = "wire::fen")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub amount: Option<Fen>,
    /// The wallet batch number (钱包批次号).
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub batch_no: Option<String>,
    /// The caller's business number (业务凭证号).
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub biz_no: Option<String>,
    /// Business marks.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub biz_tag: Option<BizTag>,
    /// When the order was created.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub create_time: Option<DateTime>,
    /// The current attempt (当前尝试次数).
    #[serde(default, deserialize_with = "wire::int")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub curr_try_times: Option<i64>,
    /// When the order ended.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub end_time: Option<DateTime>,
    /// When the order expires.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub expire_time: Option<DateTime>,
    /// The order's id.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub id: Option<String>,
    /// Whether the order is locked.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub locked: Option<LockState>,
    /// Who has been notified.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub notified: Option<NotifyState>,
    /// The wallet's order number (订单号): what [`OrderQuery`](crate::order::OrderQuery) takes.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub order_no: Option<String>,
    /// How far the order got with the channel.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub progress: Option<Progress>,
    /// When the order started.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub start_time: Option<DateTime>,
    /// The state of the order.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub status: Option<OrderStatus>,
    /// The channel's error code.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub tunnel_err_code: Option<String>,
    /// The error message.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub tunnel_err_msg: Option<String>,
    /// The channel's order number.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub tunnel_order_no: Option<String>,
    /// The channel's own status, as sent.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub tunnel_status: Option<String>,
    /// When the channel reported success.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub tunnel_succ_time: Option<DateTime>,
    /// The channel.
    #[serde(default, deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub tunnel_type: Option<TunnelType>,
    /// What kind of order it is (`type` on the wire).
    #[serde(default, rename = "type", deserialize_with = "wire::code")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub order_type: Option<OrderType>,
    /// The wallet the order belongs to.
    #[serde(default, deserialize_with = "wire::int")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub wallet_id: Option<i64>,
}

/// A business ticket (业务票据): what `sms_confirm` and `sms_retry` take.
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "server", derive(Serialize, Deserialize), serde(transparent))]
pub struct Ticket(String);

impl Ticket {
    /// A ticket as received.
    pub fn new(ticket: impl Into<String>) -> Self {
        Self(ticket.into())
    }

    /// The ticket text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ticket([REDACTED])")
    }
}

impl From<String> for Ticket {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Ticket {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// An SMS code was sent to the payer: finish with [`SmsChallenge::confirm`]
/// (`sms_confirm`), or have the code sent again with
/// [`SmsChallenge::resend`] (`sms_retry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsChallenge {
    ticket: Ticket,
}

impl SmsChallenge {
    /// A challenge for `ticket` (kept from an earlier answer).
    pub fn new(ticket: impl Into<Ticket>) -> Self {
        Self {
            ticket: ticket.into(),
        }
    }

    /// The ticket the code belongs to.
    pub fn ticket(&self) -> &Ticket {
        &self.ticket
    }

    /// The confirmation of this challenge with the code the payer received,
    /// from the payer's IP address.
    pub fn confirm(
        &self,
        verify_code: impl Into<String>,
        customer_ip: impl Into<String>,
    ) -> ConfirmSms {
        ConfirmSms::new(self.ticket.clone(), verify_code, customer_ip)
    }

    /// A request to send the code again.
    pub fn resend(&self) -> ResendSms {
        ResendSms::new(self.ticket.clone())
    }
}

/// What a collect, recharge or withdraw answer asks the payer to do next.
///
/// Decided from the answer (and, for collect, the request's
/// `validate_type`), in this order (see docs/wallet-senior.md):
///
/// 1. the answer says `sms_confirm` is required and carries a `ticket`: [`NextStep::SmsCode`];
/// 2. WeChat APP info: [`NextStep::WeChatApp`];
/// 3. `pay_info` (QR code, JS or H5 payment string): [`NextStep::PayInfo`];
/// 4. `signed_params` (the password page's input): [`NextStep::Password`];
/// 5. a `ticket`, unless password validation was asked for or the order is
///    already final: [`NextStep::SmsCode`];
/// 6. otherwise [`NextStep::Nothing`]: the order's status says where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextStep {
    /// An SMS code was sent: confirm it (`sms_confirm`) or resend it (`sms_retry`).
    SmsCode(SmsChallenge),
    /// Open the password page with `signed_params` (密码确认时输入参数).
    Password {
        /// The password page's input.
        signed_params: String,
        /// The business ticket, when the answer carries one.
        ticket: Option<Ticket>,
    },
    /// Pay with this QR code, JS or H5 payment string (`pay_info`).
    PayInfo(String),
    /// Start WeChat APP payment with this (`we_chat_a_p_p_info`).
    WeChatApp(String),
    /// Nothing for the payer to do: read the order's status (query it while in progress).
    Nothing,
}

/// The fields of a payment answer (collect, recharge, withdraw) beside the
/// order, as received: both spellings of the WeChat APP info.
///
/// Under `server` the answers serialize through it (`serde(into)`), the
/// WeChat APP info as `we_chat_appinfo`, as the server writes it.
#[derive(Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
pub(crate) struct PaymentWire {
    #[serde(flatten)]
    order: WalletOrder,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    ticket: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pay_info: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    signed_params: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    trade_no: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    we_chat_a_p_p_info: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    we_chat_appinfo: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    extend_info: Option<String>,
    #[serde(default, deserialize_with = "wire::flag")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    password_confirm: Option<bool>,
    #[serde(default, deserialize_with = "wire::flag")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    sms_confirm: Option<bool>,
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    biz_user_id: Option<String>,
}

impl PaymentWire {
    fn we_chat_app_info(&mut self) -> Option<String> {
        // The page spells it `we_chat_a_p_p_info`; the server sends `we_chat_appinfo`.
        self.we_chat_a_p_p_info
            .take()
            .or_else(|| self.we_chat_appinfo.take())
    }
}

#[cfg(feature = "server")]
impl PaymentWire {
    /// The answer fields of `order` with nothing else set.
    fn of(order: WalletOrder) -> Self {
        Self {
            order,
            ticket: None,
            pay_info: None,
            signed_params: None,
            trade_no: None,
            we_chat_a_p_p_info: None,
            we_chat_appinfo: None,
            extend_info: None,
            password_confirm: None,
            sms_confirm: None,
            biz_user_id: None,
        }
    }
}

#[cfg(feature = "server")]
impl From<CollectAnswer> for PaymentWire {
    fn from(a: CollectAnswer) -> Self {
        Self {
            ticket: a.ticket.map(|t| t.0),
            pay_info: a.pay_info,
            signed_params: a.signed_params,
            trade_no: a.trade_no,
            we_chat_appinfo: a.we_chat_app_info,
            ..Self::of(a.order)
        }
    }
}

#[cfg(feature = "server")]
impl From<RechargeAnswer> for PaymentWire {
    fn from(a: RechargeAnswer) -> Self {
        Self {
            ticket: a.ticket.map(|t| t.0),
            pay_info: a.pay_info,
            signed_params: a.signed_params,
            trade_no: a.trade_no,
            we_chat_appinfo: a.we_chat_app_info,
            extend_info: a.extend_info,
            password_confirm: a.password_confirm,
            sms_confirm: a.sms_confirm,
            ..Self::of(a.order)
        }
    }
}

#[cfg(feature = "server")]
impl From<WithdrawAnswer> for PaymentWire {
    fn from(a: WithdrawAnswer) -> Self {
        Self {
            ticket: a.ticket.map(|t| t.0),
            signed_params: a.signed_params,
            biz_user_id: a.biz_user_id,
            ..Self::of(a.order)
        }
    }
}

/// The rules of [`NextStep`], over one answer's fields.
struct StepInput<'a> {
    status: Option<OrderStatus>,
    ticket: Option<&'a Ticket>,
    pay_info: Option<&'a str>,
    signed_params: Option<&'a str>,
    we_chat_app_info: Option<&'a str>,
    sms_confirm: Option<bool>,
    password_confirm: Option<bool>,
    validate_type: Option<ValidateType>,
}

fn next_step(i: StepInput<'_>) -> NextStep {
    let sms = |t: &Ticket| NextStep::SmsCode(SmsChallenge::new(t.clone()));
    if let (Some(true), Some(t)) = (i.sms_confirm, i.ticket) {
        return sms(t);
    }
    if let Some(app) = i.we_chat_app_info {
        return NextStep::WeChatApp(app.to_owned());
    }
    if let Some(pay) = i.pay_info {
        return NextStep::PayInfo(pay.to_owned());
    }
    if let Some(params) = i.signed_params {
        return NextStep::Password {
            signed_params: params.to_owned(),
            ticket: i.ticket.cloned(),
        };
    }
    let password = i.validate_type == Some(ValidateType::Password)
        || i.password_confirm == Some(true)
        || i.sms_confirm == Some(false);
    let done = i.status.is_some_and(OrderStatus::is_final);
    match i.ticket {
        Some(t) if !password && !done => sms(t),
        _ => NextStep::Nothing,
    }
}

/// The collect answer (即刻代收): the order, and how the payer goes on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "PaymentWire")]
#[cfg_attr(
    feature = "server",
    derive(Serialize, Default),
    serde(into = "PaymentWire")
)]
#[non_exhaustive]
pub struct CollectAnswer {
    /// The collect order.
    pub order: WalletOrder,
    /// The business ticket, for `sms_confirm`/`sms_retry`.
    pub ticket: Option<Ticket>,
    /// The QR code, JS or native H5 payment string (扫码支付信息/JS 支付串信息/微信原生 H5 支付串信息).
    pub pay_info: Option<String>,
    /// The password page's input (密码确认时输入参数).
    pub signed_params: Option<String>,
    /// The trade number (交易编号).
    pub trade_no: Option<String>,
    /// The WeChat APP payment info, sent as `we_chat_a_p_p_info` or `we_chat_appinfo`.
    pub we_chat_app_info: Option<String>,
    /// The request's `validate_type`, set by the client, for [`CollectAnswer::next_step`].
    pub(crate) validate_type: Option<ValidateType>,
}

impl From<PaymentWire> for CollectAnswer {
    fn from(mut w: PaymentWire) -> Self {
        Self {
            we_chat_app_info: w.we_chat_app_info(),
            order: w.order,
            ticket: w.ticket.map(Ticket),
            pay_info: w.pay_info,
            signed_params: w.signed_params,
            trade_no: w.trade_no,
            validate_type: None,
        }
    }
}

impl CollectAnswer {
    /// What the payer does next (see [`NextStep`] for the rules).
    pub fn next_step(&self) -> NextStep {
        next_step(StepInput {
            status: self.order.status,
            ticket: self.ticket.as_ref(),
            pay_info: self.pay_info.as_deref(),
            signed_params: self.signed_params.as_deref(),
            we_chat_app_info: self.we_chat_app_info.as_deref(),
            sms_confirm: None,
            password_confirm: None,
            validate_type: self.validate_type,
        })
    }
}

/// The recharge answer (充值): the order, and how the payer goes on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "PaymentWire")]
#[cfg_attr(
    feature = "server",
    derive(Serialize, Default),
    serde(into = "PaymentWire")
)]
#[non_exhaustive]
pub struct RechargeAnswer {
    /// The recharge order.
    pub order: WalletOrder,
    /// The business ticket, for `sms_confirm`/`sms_retry`.
    pub ticket: Option<Ticket>,
    /// The QR code, JS or native H5 payment string.
    pub pay_info: Option<String>,
    /// The password page's input.
    pub signed_params: Option<String>,
    /// The trade number.
    pub trade_no: Option<String>,
    /// The WeChat APP payment info, sent as `we_chat_a_p_p_info` or `we_chat_appinfo`.
    pub we_chat_app_info: Option<String>,
    /// Extended parameters (扩展参数), as sent.
    pub extend_info: Option<String>,
    /// Whether password validation applies (密码验证).
    pub password_confirm: Option<bool>,
    /// Whether SMS validation applies (短信验证).
    pub sms_confirm: Option<bool>,
}

impl From<PaymentWire> for RechargeAnswer {
    fn from(mut w: PaymentWire) -> Self {
        Self {
            we_chat_app_info: w.we_chat_app_info(),
            order: w.order,
            ticket: w.ticket.map(Ticket),
            pay_info: w.pay_info,
            signed_params: w.signed_params,
            trade_no: w.trade_no,
            extend_info: w.extend_info,
            password_confirm: w.password_confirm,
            sms_confirm: w.sms_confirm,
        }
    }
}

impl RechargeAnswer {
    /// What the payer does next (see [`NextStep`] for the rules).
    pub fn next_step(&self) -> NextStep {
        next_step(StepInput {
            status: self.order.status,
            ticket: self.ticket.as_ref(),
            pay_info: self.pay_info.as_deref(),
            signed_params: self.signed_params.as_deref(),
            we_chat_app_info: self.we_chat_app_info.as_deref(),
            sms_confirm: self.sms_confirm,
            password_confirm: self.password_confirm,
            validate_type: None,
        })
    }
}

/// The withdraw answer (提现): the order, and how the payer goes on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "PaymentWire")]
#[cfg_attr(
    feature = "server",
    derive(Serialize, Default),
    serde(into = "PaymentWire")
)]
#[non_exhaustive]
pub struct WithdrawAnswer {
    /// The withdraw order.
    pub order: WalletOrder,
    /// The business ticket, for `sms_confirm`/`sms_retry`.
    pub ticket: Option<Ticket>,
    /// The password page's input.
    pub signed_params: Option<String>,
    /// The merchant system's user id (商户系统用户标识).
    pub biz_user_id: Option<String>,
}

impl From<PaymentWire> for WithdrawAnswer {
    fn from(w: PaymentWire) -> Self {
        Self {
            order: w.order,
            ticket: w.ticket.map(Ticket),
            signed_params: w.signed_params,
            biz_user_id: w.biz_user_id,
        }
    }
}

impl WithdrawAnswer {
    /// What the payer does next (see [`NextStep`] for the rules).
    pub fn next_step(&self) -> NextStep {
        next_step(StepInput {
            status: self.order.status,
            ticket: self.ticket.as_ref(),
            pay_info: None,
            signed_params: self.signed_params.as_deref(),
            we_chat_app_info: None,
            sms_confirm: None,
            password_confirm: None,
            validate_type: None,
        })
    }
}

/// One clearing (分帐) of an agent pay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct Clearing {
    /// The amount.
    #[serde(default, deserialize_with = "wire::fen")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub amount: Option<Fen>,
    /// The split's id (分帐id).
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub collect_info_id: Option<String>,
    /// The collect order it settles.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub collect_order_no: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "wire::time")]
    #[cfg_attr(
        feature = "server",
        serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "wire::ser_time"
        )
    )]
    pub create_time: Option<DateTime>,
    /// Its id.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub id: Option<String>,
    /// The order's id.
    #[serde(default, deserialize_with = "wire::text")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub order_id: Option<String>,
    /// The payee's wallet.
    #[serde(default, deserialize_with = "wire::int")]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub payee_wallet_id: Option<i64>,
}

/// The agent pay answer (代付): `{clearing, order}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct AgentPayAnswer {
    /// The clearing.
    #[serde(default)]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub clearing: Option<Clearing>,
    /// The agent pay order.
    #[serde(default)]
    #[cfg_attr(feature = "server", serde(skip_serializing_if = "Option::is_none"))]
    pub order: Option<WalletOrder>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn collect(json: serde_json::Value) -> CollectAnswer {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn both_wechat_spellings_decode_and_the_page_spelling_wins() {
        let a = collect(serde_json::json!({"we_chat_appinfo": "x"}));
        assert_eq!(a.we_chat_app_info.as_deref(), Some("x"));
        let b = collect(serde_json::json!({"we_chat_a_p_p_info": "y", "we_chat_appinfo": "x"}));
        assert_eq!(b.we_chat_app_info.as_deref(), Some("y"));
        assert_eq!(b.next_step(), NextStep::WeChatApp("y".into()));
    }

    #[test]
    fn next_steps() {
        let sms = collect(serde_json::json!({"ticket": "T1", "status": 2}));
        assert_eq!(sms.next_step(), NextStep::SmsCode(SmsChallenge::new("T1")));
        let mut pw = sms.clone();
        pw.validate_type = Some(ValidateType::Password);
        assert_eq!(pw.next_step(), NextStep::Nothing);
        let done = collect(serde_json::json!({"ticket": "T1", "status": "3"}));
        assert_eq!(done.next_step(), NextStep::Nothing);
        let page = collect(serde_json::json!({"ticket": "T1", "signed_params": "p=1"}));
        assert_eq!(
            page.next_step(),
            NextStep::Password {
                signed_params: "p=1".into(),
                ticket: Some(Ticket::new("T1"))
            }
        );
        let scan = collect(serde_json::json!({"pay_info": "weixin://x"}));
        assert_eq!(scan.next_step(), NextStep::PayInfo("weixin://x".into()));
        let r: RechargeAnswer = serde_json::from_value(
            serde_json::json!({"ticket": "T", "pay_info": "p", "sms_confirm": "true"}),
        )
        .unwrap();
        assert!(matches!(r.next_step(), NextStep::SmsCode(_)));
        let w: WithdrawAnswer = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(w.next_step(), NextStep::Nothing);
        assert!(!format!("{:?}", Ticket::new("secret-ticket")).contains("secret"));
    }
}
