//! 代收 (collect) and what settles or reverses it: collect now
//! (`collect_sync`), agent pay (`agent_pay`, 代付) and refund (`refund`, 退款),
//! all through `client.collect()`.
//!
//! | operation | call |
//! |---|---|
//! | 高级钱包-即刻代收 | [`CollectHandler::create`] (`collect_sync`) |
//! | 高级钱包-代付 | [`CollectHandler::agent_pay`] (`agent_pay`) |
//! | 高级钱包-退款 | [`CollectHandler::refund`] (`refund`) |
//!
//! None of them is ever repeated by the SDK: when an error
//! [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown), the
//! wallet may have acted; look the order up (see
//! [`unknown_outcome_advice`](crate::unknown_outcome_advice)) before sending
//! anything again, and never resend under a new `biz_no`.

use std::fmt;

use serde::Serialize;
use walletbridge_core::Result;
use walletbridge_core::date::{self, DateTime};

use crate::client::{Client, check};
use crate::endpoints::{AGENT_PAY, COLLECT_SYNC, REFUND};
use crate::models::{AgentPayAnswer, CollectAnswer, Fen, ValidateType, WalletOrder};
use crate::validate;

walletbridge_core::open_int_enum! {
    /// How a WeChat payment is made (`wechat.pay_type`).
    pub enum WechatPayType {
        /// 21: mini program (微信小程序支付).
        MiniProgram = 21,
        /// 22: native APP (微信原生APP支付).
        App = 22,
        /// 23: native H5 (微信原生H5支付).
        H5 = 23,
        /// 24: JS in the official account (微信JS支付, 公众号).
        Js = 24,
        /// 25: the payer scans a QR code (微信扫码支付, 正扫).
        Scan = 25,
    }
}

walletbridge_core::open_int_enum! {
    /// How an Alipay payment is made (`alipay.pay_type`).
    pub enum AlipayPayType {
        /// 31: the payer scans a QR code (支付宝扫码支付, 正扫).
        Scan = 31,
        /// 32: JS in the life account (支付宝JS支付, 生活号).
        Js = 32,
        /// 33: native (支付宝原生).
        Native = 33,
    }
}

walletbridge_core::open_int_enum! {
    /// How a payment code is taken (`code_pay.pay_type`).
    pub enum CodePayType {
        /// 41: the merchant scans the payer's code (收银宝刷卡支付, 被扫).
        Swipe = 41,
    }
}

walletbridge_core::open_int_enum! {
    /// How a bank card payment is made (`bank_card.pay_type`).
    pub enum BankCardPayType {
        /// 51: bank card.
        BankCard = 51,
    }
}

/// Pay from the wallet balance (`balance`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct BalancePay {
    /// The amount this method funds (渠道出资额).
    pub amount: Fen,
}

impl BalancePay {
    /// `amount` from the balance.
    pub fn new(amount: Fen) -> Self {
        Self { amount }
    }
}

/// Pay with WeChat (`wechat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct WechatPay {
    /// How (21 to 25).
    pub pay_type: WechatPayType,
    /// The amount this method funds.
    pub amount: Fen,
    /// The payer's openid (JS payment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// The IP of the payer's terminal (用户下单及调起支付的终端IP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cusip: Option<String>,
    /// The WeChat appid (H5 payment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_app_id: Option<String>,
    /// The scene info (H5 payment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scene_info: Option<String>,
}

impl WechatPay {
    /// `amount` through WeChat, `pay_type` way.
    pub fn new(pay_type: WechatPayType, amount: Fen) -> Self {
        Self {
            pay_type,
            amount,
            open_id: None,
            cusip: None,
            sub_app_id: None,
            scene_info: None,
        }
    }

    /// The payer's openid (JS payment).
    pub fn open_id(mut self, open_id: impl Into<String>) -> Self {
        self.open_id = Some(open_id.into());
        self
    }

    /// The IP of the payer's terminal.
    pub fn cusip(mut self, ip: impl Into<String>) -> Self {
        self.cusip = Some(ip.into());
        self
    }

    /// The WeChat appid (H5 payment).
    pub fn sub_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.sub_app_id = Some(app_id.into());
        self
    }

    /// The scene info (H5 payment).
    pub fn scene_info(mut self, scene_info: impl Into<String>) -> Self {
        self.scene_info = Some(scene_info.into());
        self
    }
}

/// Pay with Alipay (`alipay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct AlipayPay {
    /// How (31 to 33).
    pub pay_type: AlipayPayType,
    /// The amount this method funds.
    pub amount: Fen,
    /// The payer's Alipay user_id (JS payment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

impl AlipayPay {
    /// `amount` through Alipay, `pay_type` way.
    pub fn new(pay_type: AlipayPayType, amount: Fen) -> Self {
        Self {
            pay_type,
            amount,
            user_id: None,
        }
    }

    /// The payer's Alipay user_id (JS payment).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }
}

/// Take the payer's payment code (`code_pay`). `Debug` hides the code.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct CodePay {
    /// How (41).
    pub pay_type: CodePayType,
    /// The amount this method funds.
    pub amount: Fen,
    /// The payer's payment code (支付授权码).
    pub authcode: String,
}

impl CodePay {
    /// `amount` from the payment code `authcode`, pay type 41.
    pub fn new(amount: Fen, authcode: impl Into<String>) -> Self {
        Self {
            pay_type: CodePayType::Swipe,
            amount,
            authcode: authcode.into(),
        }
    }
}

impl fmt::Debug for CodePay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodePay")
            .field("pay_type", &self.pay_type)
            .field("amount", &self.amount)
            .field("authcode", &"[REDACTED]")
            .finish()
    }
}

/// Pay with a bank card (`bank_card`). `Debug` shows only the card's last four digits.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct BankCardPay {
    /// How (51).
    pub pay_type: BankCardPayType,
    /// The card number.
    pub bank_card_no: String,
    /// The amount this method funds.
    pub amount: Fen,
}

impl BankCardPay {
    /// `amount` from the card `bank_card_no`, pay type 51.
    pub fn new(bank_card_no: impl Into<String>, amount: Fen) -> Self {
        Self {
            pay_type: BankCardPayType::BankCard,
            bank_card_no: bank_card_no.into(),
            amount,
        }
    }
}

impl fmt::Debug for BankCardPay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.bank_card_no;
        let last4: String = n
            .chars()
            .skip(n.chars().count().saturating_sub(4))
            .collect();
        f.debug_struct("BankCardPay")
            .field("pay_type", &self.pay_type)
            .field("bank_card_no", &format!("****{last4}"))
            .field("amount", &self.amount)
            .finish()
    }
}

/// The one way the payer pays a collect (`wallet_pay_method`): exactly one
/// of balance, WeChat, Alipay, payment code or bank card. Sent as an object
/// with that one key: `{"balance":{"amount":100}}`. Under the `server`
/// feature it also deserializes from that object, refusing one with no key
/// or more than one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WalletPayMethod {
    /// From the wallet balance.
    Balance(BalancePay),
    /// WeChat.
    Wechat(WechatPay),
    /// Alipay.
    Alipay(AlipayPay),
    /// The payer's payment code.
    CodePay(CodePay),
    /// A bank card.
    BankCard(BankCardPay),
}

#[cfg(feature = "server")]
impl<'de> serde::Deserialize<'de> for WalletPayMethod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        use serde_json::{Map, Value};
        let map = Map::<String, Value>::deserialize(d)?;
        let mut entries = map.into_iter();
        let (Some((name, body)), None) = (entries.next(), entries.next()) else {
            return Err(D::Error::custom(
                "must hold exactly one pay method (balance, wechat, alipay, code_pay or bank_card)",
            ));
        };
        let at = |e: serde_json::Error| D::Error::custom(format!("{name}: {e}"));
        Ok(match name.as_str() {
            "balance" => Self::Balance(serde_json::from_value(body).map_err(at)?),
            "wechat" => Self::Wechat(serde_json::from_value(body).map_err(at)?),
            "alipay" => Self::Alipay(serde_json::from_value(body).map_err(at)?),
            "code_pay" => Self::CodePay(serde_json::from_value(body).map_err(at)?),
            "bank_card" => Self::BankCard(serde_json::from_value(body).map_err(at)?),
            other => {
                return Err(D::Error::unknown_variant(
                    other,
                    &["balance", "wechat", "alipay", "code_pay", "bank_card"],
                ));
            }
        })
    }
}

impl From<BalancePay> for WalletPayMethod {
    fn from(p: BalancePay) -> Self {
        Self::Balance(p)
    }
}

impl From<WechatPay> for WalletPayMethod {
    fn from(p: WechatPay) -> Self {
        Self::Wechat(p)
    }
}

impl From<AlipayPay> for WalletPayMethod {
    fn from(p: AlipayPay) -> Self {
        Self::Alipay(p)
    }
}

impl From<CodePay> for WalletPayMethod {
    fn from(p: CodePay) -> Self {
        Self::CodePay(p)
    }
}

impl From<BankCardPay> for WalletPayMethod {
    fn from(p: BankCardPay) -> Self {
        Self::BankCard(p)
    }
}

impl WalletPayMethod {
    /// The amount the method funds.
    pub fn amount(&self) -> Fen {
        match self {
            Self::Balance(p) => p.amount,
            Self::Wechat(p) => p.amount,
            Self::Alipay(p) => p.amount,
            Self::CodePay(p) => p.amount,
            Self::BankCard(p) => p.amount,
        }
    }

    fn validate(&self, field: &str) -> Result<()> {
        let f = |name: &str| format!("{field}.{name}");
        match self {
            Self::Balance(p) => validate::positive(&f("balance.amount"), p.amount),
            Self::Wechat(p) => {
                validate::positive(&f("wechat.amount"), p.amount)?;
                validate::optional(&f("wechat.open_id"), p.open_id.as_deref())?;
                if let Some(ip) = &p.cusip {
                    validate::ip(&f("wechat.cusip"), ip)?;
                }
                validate::optional(&f("wechat.sub_app_id"), p.sub_app_id.as_deref())?;
                validate::optional(&f("wechat.scene_info"), p.scene_info.as_deref())
            }
            Self::Alipay(p) => {
                validate::positive(&f("alipay.amount"), p.amount)?;
                validate::optional(&f("alipay.user_id"), p.user_id.as_deref())
            }
            Self::CodePay(p) => {
                validate::positive(&f("code_pay.amount"), p.amount)?;
                validate::required(&f("code_pay.authcode"), &p.authcode)
            }
            Self::BankCard(p) => {
                validate::positive(&f("bank_card.amount"), p.amount)?;
                validate::required(&f("bank_card.bank_card_no"), &p.bank_card_no)
            }
        }
    }
}

/// One receiver of a collect (`recievers[]`, spelled so on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct Receiver {
    /// The receiver's wallet.
    pub wallet_id: i64,
    /// The receiver's share.
    pub amount: Fen,
}

impl Receiver {
    /// `amount` to `wallet_id`.
    pub fn new(wallet_id: i64, amount: Fen) -> Self {
        Self { wallet_id, amount }
    }
}

/// A collect (即刻代收, `collect_sync`): the payer pays `amount` with one
/// [`WalletPayMethod`], split between the receivers; `amount` must equal
/// `fee` plus the receivers' amounts.
///
/// Under the `server` feature it also deserializes from the form the client
/// sends: `collect_req` (JSON text; a missing `fee` is 0, `receivers` is
/// taken for `recievers`), `customer_ip`, `jump_url`.
///
/// ```
/// use walletbridge_wallet_senior::collect::{CreateCollect, WechatPay, WechatPayType};
/// use walletbridge_wallet_senior::Fen;
/// let collect = CreateCollect::new(
///     1001,
///     "biz-20240101-0001",
///     Fen(10_100),
///     WechatPay::new(WechatPayType::Js, Fen(10_100)).open_id("o-abc"),
/// )
/// .fee(Fen(100))
/// .receiver(2001, Fen(6_000))
/// .receiver(2002, Fen(4_000));
/// # let _ = collect;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "server",
    derive(serde::Deserialize),
    serde(try_from = "CollectForm")
)]
#[non_exhaustive]
pub struct CreateCollect {
    /// The payer's wallet (钱包用户登陆态ID).
    pub payer_wallet_id: i64,
    /// Your business number, unique, at most 32 bytes. Keep it: it is how
    /// an order with an unknown outcome is found.
    pub biz_no: String,
    /// The amount paid: `fee` plus the receivers' amounts.
    pub amount: Fen,
    /// The fee (0 when there is none).
    pub fee: Fen,
    /// A note (附言).
    pub note: Option<String>,
    /// How the payer confirms: SMS code or password. Left out when `None`.
    pub validate_type: Option<ValidateType>,
    /// When the order expires: within 24 hours from now. Written as
    /// `yyyy-MM-dd HH:mm:ss` at the client's offset. Left out when `None`.
    pub expire_time: Option<DateTime>,
    /// The industry code (assigned by the channel).
    pub industry_code: Option<String>,
    /// The industry name (assigned by the channel).
    pub industry_name: Option<String>,
    /// Who receives what: not empty, each wallet once.
    pub receivers: Vec<Receiver>,
    /// How the payer pays.
    pub wallet_pay_method: WalletPayMethod,
    /// The payer's IP address (`customer_ip`).
    pub customer_ip: Option<String>,
    /// Where the payer is sent afterwards (`jump_url`).
    pub jump_url: Option<String>,
}

impl CreateCollect {
    /// A collect of `amount` from `payer_wallet_id` under `biz_no`, paid
    /// with `method`; add receivers with [`receiver`](Self::receiver).
    pub fn new(
        payer_wallet_id: i64,
        biz_no: impl Into<String>,
        amount: Fen,
        method: impl Into<WalletPayMethod>,
    ) -> Self {
        Self {
            payer_wallet_id,
            biz_no: biz_no.into(),
            amount,
            fee: Fen(0),
            note: None,
            validate_type: None,
            expire_time: None,
            industry_code: None,
            industry_name: None,
            receivers: Vec::new(),
            wallet_pay_method: method.into(),
            customer_ip: None,
            jump_url: None,
        }
    }

    /// Adds a receiver of `amount`.
    pub fn receiver(mut self, wallet_id: i64, amount: Fen) -> Self {
        self.receivers.push(Receiver::new(wallet_id, amount));
        self
    }

    /// The fee (default 0).
    pub fn fee(mut self, fee: Fen) -> Self {
        self.fee = fee;
        self
    }

    /// A note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// How the payer confirms.
    pub fn validate_type(mut self, v: ValidateType) -> Self {
        self.validate_type = Some(v);
        self
    }

    /// When the order expires (within 24 hours from now).
    pub fn expire_time(mut self, at: DateTime) -> Self {
        self.expire_time = Some(at);
        self
    }

    /// The channel's industry code and name.
    pub fn industry(mut self, code: impl Into<String>, name: impl Into<String>) -> Self {
        self.industry_code = Some(code.into());
        self.industry_name = Some(name.into());
        self
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

    fn validate(&self, now_ms: i64) -> Result<()> {
        const F: &str = "collect_req";
        let f = |name: &str| format!("{F}.{name}");
        validate::wallet_id(&f("payer_wallet_id"), self.payer_wallet_id)?;
        validate::biz_no(&f("biz_no"), &self.biz_no)?;
        validate::positive(&f("amount"), self.amount)?;
        validate::non_negative(&f("fee"), self.fee)?;
        validate::optional(&f("note"), self.note.as_deref())?;
        if let Some(at) = self.expire_time {
            validate::expire_time(&f("expire_time"), at, now_ms)?;
        }
        validate::optional(&f("industry_code"), self.industry_code.as_deref())?;
        validate::optional(&f("industry_name"), self.industry_name.as_deref())?;
        let shares = validate::entries(
            &f("recievers"),
            self.receivers.iter().map(|r| (r.wallet_id, r.amount)),
            true,
        )?;
        let expected = shares.get().checked_add(self.fee.get());
        if expected != Some(self.amount.get()) {
            return Err(walletbridge_core::Error::validation(
                f("amount"),
                format!(
                    "must equal fee + the receivers' amounts ({} + {} fen), got {} fen",
                    self.fee.get(),
                    shares.get(),
                    self.amount.get()
                ),
            ));
        }
        self.wallet_pay_method.validate(&f("wallet_pay_method"))?;
        if let Some(ip) = &self.customer_ip {
            validate::ip("customer_ip", ip)?;
        }
        if let Some(url) = &self.jump_url {
            validate::url("jump_url", url)?;
        }
        Ok(())
    }
}

/// `collect_req` as sent: snake_case keys, absent fields left out. The one
/// list of its keys, for both directions.
#[derive(Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
struct CollectReqWire {
    payer_wallet_id: i64,
    biz_no: String,
    amount: Fen,
    #[cfg_attr(feature = "server", serde(default))]
    fee: Fen,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validate_type: Option<ValidateType>,
    /// `yyyy-MM-dd HH:mm:ss` at the client's offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    industry_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    industry_name: Option<String>,
    #[cfg_attr(feature = "server", serde(default, alias = "receivers"))]
    recievers: Vec<Receiver>,
    wallet_pay_method: WalletPayMethod,
}

/// The form of a collect as received: `collect_req` and the two fields beside it.
#[cfg(feature = "server")]
#[derive(serde::Deserialize)]
struct CollectForm {
    #[serde(deserialize_with = "crate::wire::form_json")]
    collect_req: CollectReqWire,
    #[serde(default, deserialize_with = "crate::wire::form_text")]
    customer_ip: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::form_text")]
    jump_url: Option<String>,
}

#[cfg(feature = "server")]
impl TryFrom<CollectForm> for CreateCollect {
    type Error = String;

    fn try_from(form: CollectForm) -> std::result::Result<Self, String> {
        let r = form.collect_req;
        let expire_time = match &r.expire_time {
            Some(text) => Some(
                crate::wire::parse_time(text.trim())
                    .map_err(|e| format!("collect_req.expire_time: {e}"))?,
            ),
            None => None,
        };
        Ok(Self {
            payer_wallet_id: r.payer_wallet_id,
            biz_no: r.biz_no,
            amount: r.amount,
            fee: r.fee,
            note: r.note,
            validate_type: r.validate_type,
            expire_time,
            industry_code: r.industry_code,
            industry_name: r.industry_name,
            receivers: r.recievers,
            wallet_pay_method: r.wallet_pay_method,
            customer_ip: form.customer_ip,
            jump_url: form.jump_url,
        })
    }
}

/// The receiver of an agent pay (`agent_pay_req`, AgentPayReq.Reciever).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct AgentPayReceiver {
    /// The payee's wallet.
    pub wallet_id: i64,
    /// The amount paid to it.
    pub amount: Fen,
    /// The agent pay fee (代付接口手续费). Left out when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_amount: Option<Fen>,
}

impl AgentPayReceiver {
    /// `amount` to `wallet_id`.
    pub fn new(wallet_id: i64, amount: Fen) -> Self {
        Self {
            wallet_id,
            amount,
            fee_amount: None,
        }
    }

    /// The agent pay fee.
    pub fn fee_amount(mut self, fee: Fen) -> Self {
        self.fee_amount = Some(fee);
        self
    }
}

/// An agent pay (代付, `agent_pay`): pays out of a collect to its receiver,
/// following the collect's split. Under the `server` feature it also
/// deserializes from the form the client sends (`agent_pay_req` is JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct CreateAgentPay {
    /// Your business number for the agent pay, at most 32 bytes.
    pub biz_no: String,
    /// The collect's order number (原代收单号).
    pub collect_order_no: String,
    /// Who is paid (`agent_pay_req` on the wire).
    #[cfg_attr(
        feature = "server",
        serde(rename = "agent_pay_req", deserialize_with = "crate::wire::form_json")
    )]
    pub receiver: AgentPayReceiver,
}

impl CreateAgentPay {
    /// Pays `receiver` out of the collect `collect_order_no`, under `biz_no`.
    pub fn new(
        biz_no: impl Into<String>,
        collect_order_no: impl Into<String>,
        receiver: AgentPayReceiver,
    ) -> Self {
        Self {
            biz_no: biz_no.into(),
            collect_order_no: collect_order_no.into(),
            receiver,
        }
    }

    fn validate(&self) -> Result<()> {
        validate::biz_no("biz_no", &self.biz_no)?;
        validate::required("collect_order_no", &self.collect_order_no)?;
        validate::wallet_id("agent_pay_req.wallet_id", self.receiver.wallet_id)?;
        validate::positive("agent_pay_req.amount", self.receiver.amount)?;
        if let Some(fee) = self.receiver.fee_amount {
            validate::non_negative("agent_pay_req.fee_amount", fee)?;
        }
        Ok(())
    }
}

/// One line of a refund (`refund_list[]`, RefundInfo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct RefundInfo {
    /// The wallet the amount is taken back from.
    pub wallet_id: i64,
    /// The amount.
    pub amount: Fen,
}

impl RefundInfo {
    /// `amount` back from `wallet_id`.
    pub fn new(wallet_id: i64, amount: Fen) -> Self {
        Self { wallet_id, amount }
    }
}

/// A refund (退款, `refund`) of a collect. Under the `server` feature it
/// also deserializes from the form the client sends (`refund_list` is JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct CreateRefund {
    /// Your business number for the refund, at most 32 bytes.
    pub biz_no: String,
    /// The collect's order number (代收单号).
    pub collect_order_no: String,
    /// What is refunded from which wallet: not empty.
    #[cfg_attr(feature = "server", serde(deserialize_with = "crate::wire::form_json"))]
    pub refund_list: Vec<RefundInfo>,
}

impl CreateRefund {
    /// A refund of the collect `collect_order_no` under `biz_no`; add lines
    /// with [`line`](Self::line).
    pub fn new(biz_no: impl Into<String>, collect_order_no: impl Into<String>) -> Self {
        Self {
            biz_no: biz_no.into(),
            collect_order_no: collect_order_no.into(),
            refund_list: Vec::new(),
        }
    }

    /// Adds `amount` back from `wallet_id`.
    pub fn line(mut self, wallet_id: i64, amount: Fen) -> Self {
        self.refund_list.push(RefundInfo::new(wallet_id, amount));
        self
    }

    fn validate(&self) -> Result<()> {
        validate::biz_no("biz_no", &self.biz_no)?;
        validate::required("collect_order_no", &self.collect_order_no)?;
        validate::entries(
            "refund_list",
            self.refund_list.iter().map(|r| (r.wallet_id, r.amount)),
            false,
        )
        .map(drop)
    }
}

/// Collect, agent pay and refund: `client.collect()`.
#[derive(Debug, Clone, Copy)]
pub struct CollectHandler<'a> {
    client: &'a Client,
}

impl Client {
    /// Collect (代收), agent pay (代付) and refund (退款).
    pub fn collect(&self) -> CollectHandler<'_> {
        CollectHandler { client: self }
    }
}

impl CollectHandler<'_> {
    /// `collect_sync` (即刻代收): collects from the payer with one pay
    /// method. The answer's [`next_step`](CollectAnswer::next_step) says
    /// what the payer does next (an SMS code, the password page, a QR code
    /// or payment string).
    ///
    /// Never repeated by the SDK. When the error
    /// [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown),
    /// query the order by the `biz_no` you sent before anything else.
    pub async fn create(&self, request: &CreateCollect) -> Result<CollectAnswer> {
        let now = self.client.clock().now_millis();
        check(COLLECT_SYNC, request.validate(now))?;
        let offset = self.client.utc_offset();
        let wire = CollectReqWire {
            payer_wallet_id: request.payer_wallet_id,
            biz_no: request.biz_no.clone(),
            amount: request.amount,
            fee: request.fee,
            note: request.note.clone(),
            validate_type: request.validate_type,
            expire_time: request.expire_time.map(|at| date::format_local(at, offset)),
            industry_code: request.industry_code.clone(),
            industry_name: request.industry_name.clone(),
            recievers: request.receivers.clone(),
            wallet_pay_method: request.wallet_pay_method.clone(),
        };
        let call = self
            .client
            .call(COLLECT_SYNC)
            .json("collect_req", &wire)?
            .optional("customer_ip", request.customer_ip.as_deref())
            .optional("jump_url", request.jump_url.as_deref())
            .echo("biz_no", &request.biz_no);
        let mut answer: CollectAnswer = self.client.send(call).await?;
        answer.validate_type = request.validate_type;
        Ok(answer)
    }

    /// `agent_pay` (代付): pays a collect's receiver. Answers `{clearing, order}`.
    ///
    /// Never repeated by the SDK; after an unknown outcome, query by `biz_no` first.
    pub async fn agent_pay(&self, request: &CreateAgentPay) -> Result<AgentPayAnswer> {
        check(AGENT_PAY, request.validate())?;
        let call = self
            .client
            .call(AGENT_PAY)
            .json("agent_pay_req", &request.receiver)?
            .field("biz_no", &request.biz_no)
            .field("collect_order_no", &request.collect_order_no)
            .echo("biz_no", &request.biz_no);
        self.client.send(call).await
    }

    /// `refund` (退款): refunds (part of) a collect. Answers the refund order.
    ///
    /// Never repeated by the SDK; after an unknown outcome, query by `biz_no` first.
    pub async fn refund(&self, request: &CreateRefund) -> Result<WalletOrder> {
        check(REFUND, request.validate())?;
        let call = self
            .client
            .call(REFUND)
            .field("biz_no", &request.biz_no)
            .field("collect_order_no", &request.collect_order_no)
            .json("refund_list", &request.refund_list)?
            .echo("biz_no", &request.biz_no);
        self.client.send(call).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_pay_method_is_one_key() {
        let m: WalletPayMethod = CodePay::new(Fen(5), "134567890123456789").into();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"code_pay":{"pay_type":41,"amount":5,"authcode":"134567890123456789"}}"#
        );
        assert!(!format!("{m:?}").contains("1345678"));
        let card = BankCardPay::new("6222020200112233445", Fen(5));
        let debug = format!("{card:?}");
        assert!(
            debug.contains("****3445") && !debug.contains("62220202"),
            "{debug}"
        );
        let w: WalletPayMethod = WechatPay::new(WechatPayType::Scan, Fen(1)).into();
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"wechat":{"pay_type":25,"amount":1}}"#
        );
    }

    #[test]
    fn the_amount_must_add_up() {
        let c = CreateCollect::new(1, "b", Fen(100), BalancePay::new(Fen(100)))
            .fee(Fen(10))
            .receiver(2, Fen(80));
        let err = c.validate(0).unwrap_err().to_string();
        assert!(
            err.contains("collect_req.amount") && err.contains("10 + 80"),
            "{err}"
        );
        assert!(c.clone().receiver(3, Fen(10)).validate(0).is_ok());
    }
}
