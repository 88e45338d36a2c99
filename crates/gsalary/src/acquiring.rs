//! 收单 (acquiring, through Antom): payment consult, checkout sessions,
//! EasySafePay (wallet authorisation) and CardAutoDebit (card token) payments,
//! auth tokens, and cancellation.
//!
//! Paths are `/gateway/v1/acquiring/...`, behind the client's configurable
//! acquiring prefix (default none). Every call is a `POST` and none is
//! retried by the SDK; a payment that fails with
//! [`Error::is_outcome_unknown`] must be checked (payment webhook, or your
//! `payment_request_id` with GSalary) before it is sent again.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::date::WireTime;
use walletbridge_core::{Currency, Error, Result, SecretString};

use crate::client::{Client, check};
use crate::endpoints::{
    ACQ_AUTH_REFRESH_TOKEN, ACQ_AUTH_REVOKE_TOKEN, ACQ_CANCEL, ACQ_CARD_AUTO_DEBIT_PAY,
    ACQ_CARD_AUTO_DEBIT_SESSION, ACQ_EASY_SAFE_PAY, ACQ_EASY_SAFE_PAY_SESSION, ACQ_PAY_CONSULT,
    ACQ_PAY_SESSION,
};
use crate::models::{IntoCode, Money, required};
use crate::validate;

walletbridge_core::open_enum! {
    /// The buyer's terminal (终端类型).
    pub enum TerminalType {
        /// Desktop web.
        Web = "WEB",
        /// Mobile web.
        Wap = "WAP",
        /// Mobile app.
        App = "APP",
        /// Mini program.
        MiniApp = "MINI_APP",
    }
}

walletbridge_core::open_enum! {
    /// The buyer's operating system.
    pub enum OsType {
        /// iOS.
        Ios = "IOS",
        /// Android.
        Android = "ANDROID",
    }
}

walletbridge_core::open_enum! {
    /// How the checkout is integrated (产品场景).
    pub enum ProductScene {
        /// The hosted Checkout Page.
        CheckoutPayment = "CHECKOUT_PAYMENT",
        /// Embedded Element.
        ElementPayment = "ELEMENT_PAYMENT",
    }
}

walletbridge_core::open_enum! {
    /// A buyer's payment method (支付方式). The page lists common ones; the
    /// full list is Antom's.
    pub enum PaymentMethodType {
        /// Cards, worldwide.
        Card = "CARD",
        /// Google Pay.
        GooglePay = "GOOGLEPAY",
        /// Apple Pay.
        ApplePay = "APPLEPAY",
        /// Alipay (mainland China).
        AlipayCn = "ALIPAY_CN",
        /// AlipayHK.
        AlipayHk = "ALIPAY_HK",
        /// WeChat Pay (mainland China), from the page's examples.
        WechatPayCn = "WECHATPAY_CN",
        /// Pix (Brazil).
        Pix = "PIX",
        /// PayNow (Singapore).
        PayNow = "PAYNOW",
        /// PromptPay (Thailand).
        PromptPay = "PROMPTPAY",
        /// Konbini (Japan).
        Konbini = "KONBINI",
    }
}

fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    Ok(())
}

/// An absolute URL: a scheme (letters, digits, `+-.`, starting with a
/// letter), `:`, then something, with no whitespace. App schemes
/// (`myapp://pay/done`) are absolute URLs too: APP and MINI_APP terminals
/// return to them.
fn url(field: &str, value: &str) -> Result<()> {
    let ok = value.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
    }) && !value.contains(char::is_whitespace);
    if !ok {
        return Err(Error::validation(
            field,
            format!("must be an absolute URL (a scheme, `:`, then the rest), got `{value}`"),
        ));
    }
    Ok(())
}

fn amount(field: &str, currency_field: &str, currency: &str, value: Decimal) -> Result<()> {
    validate::currency(currency_field, currency)?;
    validate::positive_amount(field, currency, value)
}

/// The order a payment is for. Under the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct AcquiringOrder {
    /// Your order id.
    pub reference_order_id: String,
    /// What is bought.
    pub order_description: String,
    /// Order currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_currency: Option<String>,
    /// Order amount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "walletbridge_core::money::number::option"
    )]
    pub order_amount: Option<Decimal>,
    /// The buyer's id with you.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_buyer_id: Option<String>,
    /// The buyer's e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_buyer_email: Option<String>,
}

impl AcquiringOrder {
    /// Your order `reference_order_id`, described as `description`.
    pub fn new(reference_order_id: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            reference_order_id: reference_order_id.into(),
            order_description: description.into(),
            order_currency: None,
            order_amount: None,
            order_buyer_id: None,
            order_buyer_email: None,
        }
    }
    /// The order's amount (`order_currency` and `order_amount`).
    pub fn amount(mut self, amount: Money) -> Self {
        self.order_currency = Some(amount.currency);
        self.order_amount = Some(amount.amount);
        self
    }
    /// The buyer's id with you.
    pub fn buyer_id(mut self, id: impl Into<String>) -> Self {
        self.order_buyer_id = Some(id.into());
        self
    }
    /// The buyer's e-mail.
    pub fn buyer_email(mut self, email: impl Into<String>) -> Self {
        self.order_buyer_email = Some(email.into());
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("order.reference_order_id", &self.reference_order_id)?;
        non_empty("order.order_description", &self.order_description)?;
        match (&self.order_currency, self.order_amount) {
            (Some(c), Some(a)) => amount("order.order_amount", "order.order_currency", c, a)?,
            (None, None) => {}
            _ => {
                return Err(Error::validation(
                    "order.order_amount",
                    "order_currency and order_amount go together",
                ));
            }
        }
        if let Some(e) = &self.order_buyer_email
            && !e.contains('@')
        {
            return Err(Error::validation(
                "order.order_buyer_email",
                "must be an e-mail address",
            ));
        }
        Ok(())
    }
}

/// The body of [`Acquiring::consult`]. Under the `server` feature it also
/// decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct ConsultPayment {
    /// Your acquiring application id (from the merchant portal).
    pub mch_app_id: String,
    /// ISO-4217 payment currency.
    pub payment_currency: String,
    /// Payment amount.
    #[serde(with = "walletbridge_core::money::number")]
    pub payment_amount: Decimal,
    /// ISO-4217 settlement currency.
    pub settlement_currency: String,
    /// Only methods from these regions (ISO-3166).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_payment_method_regions: Vec<String>,
    /// Only these methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_payment_methods: Vec<PaymentMethodType>,
    /// The buyer's region, to sort methods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_region: Option<String>,
    /// The buyer's terminal.
    pub env_terminal_type: TerminalType,
    /// The buyer's OS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_os_type: Option<OsType>,
    /// The buyer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_client_ip: Option<String>,
}

impl ConsultPayment {
    /// Which methods can pay `payment`, settled in `settlement_currency`, on `terminal`.
    pub fn new(
        mch_app_id: impl Into<String>,
        payment: Money,
        settlement_currency: impl AsRef<str>,
        terminal: TerminalType,
    ) -> Self {
        Self {
            mch_app_id: mch_app_id.into(),
            payment_currency: payment.currency,
            payment_amount: payment.amount,
            settlement_currency: settlement_currency.as_ref().to_owned(),
            allowed_payment_method_regions: Vec::new(),
            allowed_payment_methods: Vec::new(),
            user_region: None,
            env_terminal_type: terminal,
            env_os_type: None,
            env_client_ip: None,
        }
    }
    /// Only methods from these regions.
    pub fn allowed_regions<R: AsRef<str>>(mut self, regions: impl IntoIterator<Item = R>) -> Self {
        self.allowed_payment_method_regions =
            regions.into_iter().map(|r| r.as_ref().to_owned()).collect();
        self
    }
    /// Only these methods.
    pub fn allowed_methods(mut self, methods: Vec<PaymentMethodType>) -> Self {
        self.allowed_payment_methods = methods;
        self
    }
    /// The buyer's region.
    pub fn user_region(mut self, region: impl AsRef<str>) -> Self {
        self.user_region = Some(region.as_ref().to_owned());
        self
    }
    /// The buyer's OS.
    pub fn os(mut self, os: OsType) -> Self {
        self.env_os_type = Some(os);
        self
    }
    /// The buyer's IP address.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.env_client_ip = Some(ip.into());
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("mch_app_id", &self.mch_app_id)?;
        amount(
            "payment_amount",
            "payment_currency",
            &self.payment_currency,
            self.payment_amount,
        )?;
        validate::currency("settlement_currency", &self.settlement_currency)?;
        for (i, r) in self.allowed_payment_method_regions.iter().enumerate() {
            validate::region(&format!("allowed_payment_method_regions[{i}]"), r)?;
        }
        if let Some(r) = &self.user_region {
            validate::region("user_region", r)?;
        }
        Ok(())
    }
}

/// What [`CreatePaySessionBuilder`] and [`PayWithTokenBuilder`] share: who
/// asks, what the buyer pays, for which order, and where the buyer returns.
#[derive(Debug, Default)]
struct OrderPart {
    mch_app_id: Option<String>,
    payment_request_id: Option<String>,
    payment: Option<Money>,
    method: Option<PaymentMethodType>,
    redirect_url: Option<String>,
    order: Option<AcquiringOrder>,
    settlement_currency: Option<Result<Currency>>,
}

/// [`OrderPart`] with every required field there.
struct OrderFields {
    mch_app_id: String,
    payment_request_id: String,
    payment: Money,
    method: PaymentMethodType,
    redirect_url: String,
    order: AcquiringOrder,
    settlement_currency: String,
}

impl OrderPart {
    /// The shared fields, or a validation error: a `settlement_currency` that
    /// is not a code first, then the first required field left out, in the
    /// order `payment`, `mch_app_id`, `payment_request_id`, what
    /// `after_request_id` checks (a builder's own field), `method`,
    /// `redirect_url`, `order`, `settlement_currency`.
    fn build<T>(self, after_request_id: impl FnOnce() -> Result<T>) -> Result<(OrderFields, T)> {
        let settlement_currency = self.settlement_currency.transpose()?;
        let payment = required("payment", self.payment)?;
        let mch_app_id = required("mch_app_id", self.mch_app_id)?;
        let payment_request_id = required("payment_request_id", self.payment_request_id)?;
        let own = after_request_id()?;
        let fields = OrderFields {
            mch_app_id,
            payment_request_id,
            payment,
            method: required("method", self.method)?,
            redirect_url: required("redirect_url", self.redirect_url)?,
            order: required("order", self.order)?,
            settlement_currency: required("settlement_currency", settlement_currency)?.to_string(),
        };
        Ok((fields, own))
    }
}

/// The setters of [`OrderPart`], for a builder with a `part: OrderPart` field.
macro_rules! order_part_setters {
    () => {
        /// Your acquiring application id.
        pub fn mch_app_id(mut self, v: impl Into<String>) -> Self {
            self.part.mch_app_id = Some(v.into());
            self
        }
        /// Your unique payment request id.
        pub fn payment_request_id(mut self, v: impl Into<String>) -> Self {
            self.part.payment_request_id = Some(v.into());
            self
        }
        /// What the buyer pays (`payment_currency` and `payment_amount`).
        pub fn payment(mut self, v: Money) -> Self {
            self.part.payment = Some(v);
            self
        }
        /// The payment method.
        pub fn method(mut self, v: PaymentMethodType) -> Self {
            self.part.method = Some(v);
            self
        }
        /// Where the buyer returns after paying.
        pub fn redirect_url(mut self, v: impl Into<String>) -> Self {
            self.part.redirect_url = Some(v.into());
            self
        }
        /// The order.
        pub fn order(mut self, v: AcquiringOrder) -> Self {
            self.part.order = Some(v);
            self
        }
        /// Settlement currency: a three-letter uppercase ISO-4217 code (`USD`),
        /// as text or a [`Currency`].
        pub fn settlement_currency(mut self, v: impl IntoCode<Currency>) -> Self {
            self.part.settlement_currency = Some(v.into_code("settlement_currency"));
            self
        }
    };
}

/// Builds a [`CreatePaySession`] (from [`CreatePaySession::builder`]).
/// [`build`](Self::build) names a `settlement_currency` that is not a
/// three-letter uppercase ISO-4217 code and the first required field left
/// out; the optional fields are set on the built request.
#[derive(Debug, Default)]
#[must_use = "call .build() to get the request"]
pub struct CreatePaySessionBuilder {
    part: OrderPart,
    scene: Option<ProductScene>,
}

impl CreatePaySessionBuilder {
    order_part_setters!();
    /// Checkout Page or Element.
    pub fn scene(mut self, v: ProductScene) -> Self {
        self.scene = Some(v);
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<CreatePaySession> {
        let (f, ()) = self.part.build(|| Ok(()))?;
        Ok(CreatePaySession {
            mch_app_id: f.mch_app_id,
            payment_request_id: f.payment_request_id,
            payment_currency: f.payment.currency,
            payment_amount: f.payment.amount,
            payment_method_type: f.method,
            payment_session_expiry_time: None,
            payment_redirect_url: f.redirect_url,
            order: f.order,
            settlement_currency: f.settlement_currency,
            env_client_ip: None,
            product_scene: required("scene", self.scene)?,
        })
    }
}

/// Builds a [`PayWithToken`] (from [`PayWithToken::builder`]).
/// [`build`](Self::build) names a `settlement_currency` that is not a
/// three-letter uppercase ISO-4217 code and the first required field left
/// out; the optional fields are set on the built request.
#[derive(Debug, Default)]
#[must_use = "call .build() to get the request"]
pub struct PayWithTokenBuilder {
    part: OrderPart,
    token: Option<SecretString>,
    terminal: Option<TerminalType>,
}

impl PayWithTokenBuilder {
    order_part_setters!();
    /// The stored token: the `access_token` (EasySafePay) or the
    /// `card_token` (CardAutoDebit), sent as `payment_method_id`.
    pub fn token(mut self, v: impl Into<SecretString>) -> Self {
        self.token = Some(v.into());
        self
    }
    /// The buyer's terminal.
    pub fn terminal(mut self, v: TerminalType) -> Self {
        self.terminal = Some(v);
        self
    }

    /// The request, or a validation error naming the first required field
    /// left out.
    pub fn build(self) -> Result<PayWithToken> {
        let token = self.token;
        let (f, token) = self.part.build(|| required("token", token))?;
        Ok(PayWithToken {
            mch_app_id: f.mch_app_id,
            payment_request_id: f.payment_request_id,
            payment_currency: f.payment.currency,
            payment_amount: f.payment.amount,
            payment_method_id: token,
            payment_method_type: f.method,
            payment_redirect_url: f.redirect_url,
            order: f.order,
            settlement_currency: f.settlement_currency,
            env_client_ip: None,
            payment_expiry_time: None,
            env_terminal_type: required("terminal", self.terminal)?,
            env_os_type: None,
        })
    }
}

/// Minimum and maximum amount of a payment option.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AmountLimit {
    /// Minimum.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub min: Option<Decimal>,
    /// Maximum.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub max: Option<Decimal>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(AmountLimit);

/// One payment method the buyer can use ([`PaymentOption::new`] under the
/// `server` feature).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PaymentOption {
    /// The method.
    pub payment_method_type: PaymentMethodType,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Amount limits.
    #[serde(default)]
    pub limit: Option<AmountLimit>,
    /// The method's region.
    #[serde(default)]
    pub country: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PaymentOption);

#[cfg(feature = "server")]
impl PaymentOption {
    /// The option `payment_method_type`, with no currency, limit or region
    /// yet (feature `server`, to build an answer).
    pub fn new(payment_method_type: PaymentMethodType) -> Self {
        Self {
            payment_method_type,
            currency: None,
            limit: None,
            country: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// The answer of [`Acquiring::consult`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PaymentOptions {
    /// Usable methods, sorted.
    #[serde(default)]
    pub payment_options: Vec<PaymentOption>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PaymentOptions);

/// The body of [`Acquiring::pay_session`] and
/// [`Acquiring::card_auto_debit_session`], and the base of
/// [`CreateEasySafePaySession`]. Under the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CreatePaySession {
    /// Your acquiring application id.
    pub mch_app_id: String,
    /// Your unique payment request id.
    pub payment_request_id: String,
    /// ISO-4217 payment currency.
    pub payment_currency: String,
    /// Payment amount.
    #[serde(with = "walletbridge_core::money::number")]
    pub payment_amount: Decimal,
    /// Payment method.
    pub payment_method_type: PaymentMethodType,
    /// When the session expires (ISO-8601; default one hour).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_session_expiry_time: Option<String>,
    /// Where the buyer returns after paying.
    pub payment_redirect_url: String,
    /// The order.
    pub order: AcquiringOrder,
    /// ISO-4217 settlement currency.
    pub settlement_currency: String,
    /// The buyer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_client_ip: Option<String>,
    /// Checkout Page or Element.
    pub product_scene: ProductScene,
}

impl CreatePaySession {
    /// A session, built field by field:
    ///
    /// ```
    /// use walletbridge_core::Decimal;
    /// use walletbridge_gsalary::Money;
    /// use walletbridge_gsalary::acquiring::{
    ///     AcquiringOrder, CreatePaySession, PaymentMethodType, ProductScene,
    /// };
    /// let session = CreatePaySession::builder()
    ///     .mch_app_id("app-1")
    ///     .payment_request_id("pay-1")
    ///     .payment(Money::new("USD", Decimal::from(10)))
    ///     .method(PaymentMethodType::Card)
    ///     .redirect_url("https://shop.example/back")
    ///     .order(AcquiringOrder::new("order-1", "A book"))
    ///     .settlement_currency("USD")
    ///     .scene(ProductScene::CheckoutPayment)
    ///     .build()?
    ///     .client_ip("203.0.113.7");
    /// assert_eq!(session.settlement_currency, "USD");
    /// # Ok::<(), walletbridge_gsalary::Error>(())
    /// ```
    pub fn builder() -> CreatePaySessionBuilder {
        CreatePaySessionBuilder::default()
    }
    /// When the session expires (ISO-8601 date-time).
    pub fn expiry_time(mut self, t: impl Into<String>) -> Self {
        self.payment_session_expiry_time = Some(t.into());
        self
    }
    /// The buyer's IP address.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.env_client_ip = Some(ip.into());
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("mch_app_id", &self.mch_app_id)?;
        validate::not_empty("payment_request_id", &self.payment_request_id)?;
        amount(
            "payment_amount",
            "payment_currency",
            &self.payment_currency,
            self.payment_amount,
        )?;
        if let Some(t) = &self.payment_session_expiry_time {
            validate::iso_datetime("payment_session_expiry_time", t)?;
        }
        url("payment_redirect_url", &self.payment_redirect_url)?;
        self.order.validate()?;
        validate::currency("settlement_currency", &self.settlement_currency)
    }
}

/// The body of [`Acquiring::easy_safe_pay_session`]: a checkout session that
/// also asks the buyer to authorise later payments. Under the `server`
/// feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateEasySafePaySession {
    /// The checkout session.
    #[serde(flatten)]
    pub session: CreatePaySession,
    /// Your id for this authorisation (first payment only).
    pub auth_state: String,
    /// The buyer's login with the wallet (e-mail or phone), to pre-fill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_login_id: Option<String>,
}

impl CreateEasySafePaySession {
    /// `session` plus the authorisation id `auth_state`.
    pub fn new(session: CreatePaySession, auth_state: impl Into<String>) -> Self {
        Self {
            session,
            auth_state: auth_state.into(),
            user_login_id: None,
        }
    }
    /// The buyer's wallet login.
    pub fn user_login_id(mut self, login: impl Into<String>) -> Self {
        self.user_login_id = Some(login.into());
        self
    }

    fn validate(&self) -> Result<()> {
        self.session.validate()?;
        non_empty("auth_state", &self.auth_state)
    }
}

/// Reads the flat body the client writes (feature `server`): the session's
/// fields and the authorisation's, each decoded from the body's exact text
/// (amounts are never read through a float, as `flatten` would).
#[cfg(feature = "server")]
impl<'de> Deserialize<'de> for CreateEasySafePaySession {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(Deserialize)]
        struct Auth {
            auth_state: String,
            #[serde(default)]
            user_login_id: Option<String>,
        }
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let session: CreatePaySession =
            serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        let auth: Auth = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        Ok(Self {
            session,
            auth_state: auth.auth_state,
            user_login_id: auth.user_login_id,
        })
    }
}

/// A checkout session, to hand to the client SDK.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct PaySession {
    /// Encrypted session data for the client SDK.
    #[serde(default)]
    pub payment_session_data: Option<String>,
    /// When the session expires (ISO-8601).
    #[serde(default)]
    pub payment_session_expiry_time: Option<WireTime>,
    /// Session id.
    #[serde(default)]
    pub payment_session_id: Option<String>,
    /// The checkout page URL.
    #[serde(default)]
    pub normal_url: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(PaySession);

/// The body of [`Acquiring::easy_safe_pay`] and
/// [`Acquiring::card_auto_debit_pay`]: a payment with a stored token. Under
/// the `server` feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct PayWithToken {
    /// Your acquiring application id.
    pub mch_app_id: String,
    /// Your unique payment request id.
    pub payment_request_id: String,
    /// ISO-4217 payment currency.
    pub payment_currency: String,
    /// Payment amount.
    #[serde(with = "walletbridge_core::money::number")]
    pub payment_amount: Decimal,
    /// The token: the `access_token` (EasySafePay) or the `card_token`
    /// (CardAutoDebit). Redacted in `Debug`.
    pub payment_method_id: SecretString,
    /// Payment method.
    pub payment_method_type: PaymentMethodType,
    /// Where the buyer returns.
    pub payment_redirect_url: String,
    /// The order.
    pub order: AcquiringOrder,
    /// ISO-4217 settlement currency.
    pub settlement_currency: String,
    /// The buyer's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_client_ip: Option<String>,
    /// When the payment expires (ISO-8601; default 14 minutes, 48 hours for bank transfers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_expiry_time: Option<String>,
    /// The buyer's terminal.
    pub env_terminal_type: TerminalType,
    /// The buyer's OS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_os_type: Option<OsType>,
}

impl PayWithToken {
    /// A payment with a stored token, built field by field (the same
    /// fields as [`CreatePaySession::builder`], plus `token` and `terminal`
    /// instead of `scene`).
    pub fn builder() -> PayWithTokenBuilder {
        PayWithTokenBuilder::default()
    }
    /// The buyer's IP address.
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.env_client_ip = Some(ip.into());
        self
    }
    /// When the payment expires (ISO-8601 date-time).
    pub fn expiry_time(mut self, t: impl Into<String>) -> Self {
        self.payment_expiry_time = Some(t.into());
        self
    }
    /// The buyer's OS.
    pub fn os(mut self, os: OsType) -> Self {
        self.env_os_type = Some(os);
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("mch_app_id", &self.mch_app_id)?;
        validate::not_empty("payment_request_id", &self.payment_request_id)?;
        amount(
            "payment_amount",
            "payment_currency",
            &self.payment_currency,
            self.payment_amount,
        )?;
        non_empty("payment_method_id", self.payment_method_id.expose())?;
        url("payment_redirect_url", &self.payment_redirect_url)?;
        self.order.validate()?;
        validate::currency("settlement_currency", &self.settlement_currency)?;
        if let Some(t) = &self.payment_expiry_time {
            validate::iso_datetime("payment_expiry_time", t)?;
        }
        Ok(())
    }
}

/// A payment started with a stored token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct Payment {
    /// Your payment request id.
    #[serde(default)]
    pub payment_request_id: Option<String>,
    /// The platform's payment id.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Currency.
    #[serde(default)]
    pub payment_currency: Option<String>,
    /// Amount.
    #[serde(default, with = "walletbridge_core::money::number::option")]
    pub payment_amount: Option<Decimal>,
    /// Web URL to finish the payment, when the buyer must act.
    #[serde(default)]
    pub normal_url: Option<String>,
    /// App scheme URL.
    #[serde(default)]
    pub scheme_url: Option<String>,
    /// App link URL.
    #[serde(default)]
    pub applink_url: Option<String>,
    /// The wallet app's identifier.
    #[serde(default)]
    pub app_identifier: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(Payment);

/// The body of [`Acquiring::refresh_token`]. Under the `server` feature it
/// also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct RefreshAuthToken {
    /// Your acquiring application id.
    pub mch_app_id: String,
    /// The refresh token from the `ACQUIRING_AUTH_TOKEN` webhook.
    pub refresh_token: SecretString,
    /// Your business region (US, JP, PK, SG).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_region: Option<String>,
}

impl RefreshAuthToken {
    /// Refreshes with `refresh_token`.
    pub fn new(mch_app_id: impl Into<String>, refresh_token: impl Into<SecretString>) -> Self {
        Self {
            mch_app_id: mch_app_id.into(),
            refresh_token: refresh_token.into(),
            merchant_region: None,
        }
    }
    /// Your business region.
    pub fn merchant_region(mut self, region: impl AsRef<str>) -> Self {
        self.merchant_region = Some(region.as_ref().to_owned());
        self
    }

    fn validate(&self) -> Result<()> {
        non_empty("mch_app_id", &self.mch_app_id)?;
        non_empty("refresh_token", self.refresh_token.expose())?;
        if let Some(r) = &self.merchant_region {
            validate::region("merchant_region", r)?;
        }
        Ok(())
    }
}

/// New tokens. Both tokens are redacted in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize, Default))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct AuthToken {
    /// The access token: the `payment_method_id` of EasySafePay payments.
    pub access_token: SecretString,
    /// When it expires (ISO-8601).
    #[serde(default)]
    pub access_token_expiry_time: Option<WireTime>,
    /// The refresh token.
    #[serde(default)]
    pub refresh_token: Option<SecretString>,
    /// When the refresh token expires (ISO-8601).
    #[serde(default)]
    pub refresh_token_expiry_time: Option<WireTime>,
    /// The buyer's wallet login.
    #[serde(default)]
    pub user_login_id: Option<String>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(AuthToken);

/// The body of [`Acquiring::revoke_token`]. Under the `server` feature it
/// also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct RevokeAuthToken {
    /// Your acquiring application id.
    pub mch_app_id: String,
    /// The access token to revoke (redacted in `Debug`).
    pub access_token: SecretString,
}

impl RevokeAuthToken {
    /// Revokes `access_token`.
    pub fn new(mch_app_id: impl Into<String>, access_token: impl Into<SecretString>) -> Self {
        Self {
            mch_app_id: mch_app_id.into(),
            access_token: access_token.into(),
        }
    }
}

/// The body of [`Acquiring::cancel`]. *Inferred*: the page stops before this
/// endpoint's parameters; the fields follow Antom's cancel API (the payment
/// named by `payment_id` or by `payment_request_id`). Under the `server`
/// feature it also decodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CancelPayment {
    /// Your acquiring application id.
    pub mch_app_id: String,
    /// The platform's payment id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// Your payment request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
}

impl CancelPayment {
    /// Cancels the payment with the platform's `payment_id`.
    pub fn by_payment_id(mch_app_id: impl Into<String>, payment_id: impl Into<String>) -> Self {
        Self {
            mch_app_id: mch_app_id.into(),
            payment_id: Some(payment_id.into()),
            payment_request_id: None,
        }
    }
    /// Cancels the payment you requested as `payment_request_id`.
    pub fn by_request_id(
        mch_app_id: impl Into<String>,
        payment_request_id: impl Into<String>,
    ) -> Self {
        Self {
            mch_app_id: mch_app_id.into(),
            payment_id: None,
            payment_request_id: Some(payment_request_id.into()),
        }
    }

    fn validate(&self) -> Result<()> {
        non_empty("mch_app_id", &self.mch_app_id)?;
        match (&self.payment_id, &self.payment_request_id) {
            (None, None) => Err(Error::validation(
                "payment_id",
                "one of payment_id or payment_request_id is required",
            )),
            (Some(id), _) if id.trim().is_empty() => {
                Err(Error::validation("payment_id", "must not be empty"))
            }
            (_, Some(id)) => validate::not_empty("payment_request_id", id),
            _ => Ok(()),
        }
    }
}

/// The answer of [`Acquiring::cancel`] (fields inferred; all optional; an
/// answer without `data` reads as all `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(serde::Serialize))]
#[serde(remote = "Self")]
#[non_exhaustive]
pub struct CancelResult {
    /// The platform's payment id.
    #[serde(default)]
    pub payment_id: Option<String>,
    /// Your payment request id.
    #[serde(default)]
    pub payment_request_id: Option<String>,
    /// When it was cancelled (ISO-8601).
    #[serde(default)]
    pub cancel_time: Option<WireTime>,
    /// Every other field, as sent.
    #[serde(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

crate::answer::answer_model!(CancelResult);

/// The acquiring API: `client.acquiring()`.
#[derive(Debug, Clone, Copy)]
pub struct Acquiring<'a> {
    client: &'a Client,
}

impl Client {
    /// The acquiring API (收单).
    pub fn acquiring(&self) -> Acquiring<'_> {
        Acquiring { client: self }
    }
}

impl Acquiring<'_> {
    /// `POST /gateway/v1/acquiring/pay_consult`: the payment methods, limits
    /// and regions available for a payment.
    pub async fn consult(&self, request: &ConsultPayment) -> Result<PaymentOptions> {
        self.client
            .send_json(ACQ_PAY_CONSULT, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/pay_session`: a checkout session.
    pub async fn pay_session(&self, request: &CreatePaySession) -> Result<PaySession> {
        self.client
            .send_json(ACQ_PAY_SESSION, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/easy_safe_pay/pay_session`: the first
    /// EasySafePay payment, which also asks for the authorisation whose
    /// token arrives in the `ACQUIRING_AUTH_TOKEN` webhook.
    pub async fn easy_safe_pay_session(
        &self,
        request: &CreateEasySafePaySession,
    ) -> Result<PaySession> {
        self.client
            .send_json(ACQ_EASY_SAFE_PAY_SESSION, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/easy_safe_pay/pay`: a later payment with
    /// the `access_token`.
    pub async fn easy_safe_pay(&self, request: &PayWithToken) -> Result<Payment> {
        self.client
            .send_json(ACQ_EASY_SAFE_PAY, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/auth_refresh_token`: new tokens before the
    /// access token expires.
    pub async fn refresh_token(&self, request: &RefreshAuthToken) -> Result<AuthToken> {
        self.client
            .send_json(ACQ_AUTH_REFRESH_TOKEN, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/auth_revoke_token`: ends the buyer's
    /// authorisation (acceptance only; the webhook confirms).
    pub async fn revoke_token(&self, mch_app_id: &str, access_token: &SecretString) -> Result<()> {
        check(
            ACQ_AUTH_REVOKE_TOKEN,
            non_empty("mch_app_id", mch_app_id)
                .and_then(|()| non_empty("access_token", access_token.expose())),
        )?;
        let body = RevokeAuthToken::new(mch_app_id, access_token.clone());
        let call = self.client.call(ACQ_AUTH_REVOKE_TOKEN, &[])?.json(&body)?;
        let _: serde::de::IgnoredAny = self.client.send(call).await?;
        Ok(())
    }

    /// `POST /gateway/v1/acquiring/card_auto_debit/pay_session`: the first
    /// CardAutoDebit payment; the `card_token` arrives with its result.
    pub async fn card_auto_debit_session(&self, request: &CreatePaySession) -> Result<PaySession> {
        self.client
            .send_json(
                ACQ_CARD_AUTO_DEBIT_SESSION,
                &[],
                request.validate(),
                request,
            )
            .await
    }

    /// `POST /gateway/v1/acquiring/card_auto_debit/pay`: a later payment with
    /// the `card_token`.
    pub async fn card_auto_debit_pay(&self, request: &PayWithToken) -> Result<Payment> {
        self.client
            .send_json(ACQ_CARD_AUTO_DEBIT_PAY, &[], request.validate(), request)
            .await
    }

    /// `POST /gateway/v1/acquiring/cancel`: cancels an unfinished payment
    /// (not possible after the contract's cancellation window).
    pub async fn cancel(&self, request: &CancelPayment) -> Result<CancelResult> {
        self.client
            .send_json(ACQ_CANCEL, &[], request.validate(), request)
            .await
    }
}
