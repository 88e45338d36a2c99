//! 钱包 (wallet): draw cash (取现) and its status, account balance, wallet
//! login and the wallet page. One handler, `client.wallet()`, as the page
//! groups all four under "钱包".
//!
//! | operation | call |
//! |---|---|
//! | 创建取现对象 | [`Wallet::draw_cash`] (`POST /v1/cashs`, never repeated) |
//! | 查询取现状态 | [`Wallet::cash_status`] (`GET /v1/cashs/stat`) |
//! | 查询账户余额对象 | [`Wallet::balance`] (`GET /v1/settle_accounts/balance`) |
//! | 用户登录对象 | [`Wallet::login`] (`POST /v1/walletLogin`, page host) |
//! | 钱包对象 | [`Wallet::page`] (built locally, no request) |

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use walletbridge_core::{Result, SecretString};

use crate::client::{Client, check};
use crate::endpoints::Endpoint;
use crate::endpoints::{BALANCE, CASH_STATUS, DRAW_CASH, WALLET_LOGIN};
use crate::validate;

pub use crate::models::{Cash, CashType, Status};

/// `member_id` of the merchant itself.
pub const MERCHANT_MEMBER_ID: &str = "0";

/// A draw-cash (取现) order: `POST /v1/cashs`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DrawCash {
    /// The request order number: 1 to 64 letters, digits or underscores,
    /// unique under the app_id. Keep it: it is how the order is queried.
    pub order_no: String,
    /// The draw-cash type (the page: only T1 today; at most 2 characters).
    pub cash_type: CashType,
    /// The amount in yuan: greater than 0, at most two decimals, at most 16
    /// characters. Sent as a string with exactly two decimals (`0.10`);
    /// never rounded.
    pub cash_amt: Decimal,
    /// The member drawing cash (at most 64 characters); `"0"` for the
    /// merchant itself.
    pub member_id: String,
    /// Where Adapay posts the result (http or https, no query string, at most
    /// 250 characters). Without it Adapay notifies through MQTT.
    pub notify_url: Option<String>,
}

impl DrawCash {
    /// An order for `cash_amt` yuan drawn by `member_id` (`"0"`: the merchant).
    pub fn new(
        order_no: impl Into<String>,
        cash_type: CashType,
        cash_amt: Decimal,
        member_id: impl Into<String>,
    ) -> Self {
        Self {
            order_no: order_no.into(),
            cash_type,
            cash_amt,
            member_id: member_id.into(),
            notify_url: None,
        }
    }

    /// Where Adapay posts the result.
    pub fn notify_url(mut self, url: impl Into<String>) -> Self {
        self.notify_url = Some(url.into());
        self
    }

    fn validate(&self) -> Result<()> {
        validate::order_no("order_no", &self.order_no)?;
        validate::cash_type("cash_type", self.cash_type.as_str())?;
        validate::cash_amount("cash_amt", self.cash_amt)?;
        validate::draw_cash_member_id("member_id", &self.member_id)?;
        if let Some(url) = &self.notify_url {
            validate::notify_url("notify_url", url)?;
        }
        Ok(())
    }
}

/// The JSON body of `POST /v1/cashs` as it goes on the wire: a [`DrawCash`]
/// and the client's app_id. The client writes it (empty values dropped, keys
/// in order); with the `server` feature it also reads back from those bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct DrawCashBody {
    /// The application's app_id.
    pub app_id: String,
    /// The request order number.
    pub order_no: String,
    /// The draw-cash type.
    pub cash_type: CashType,
    /// The amount in yuan, a string with exactly two decimals (`"0.10"`).
    #[serde(with = "walletbridge_core::money::string2")]
    pub cash_amt: Decimal,
    /// The member drawing cash (`"0"`: the merchant).
    pub member_id: String,
    /// Where the result is posted, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_url: Option<String>,
}

impl DrawCashBody {
    /// The body the client sends for `order` under `app_id`.
    pub fn new(app_id: impl Into<String>, order: &DrawCash) -> Self {
        Self {
            app_id: app_id.into(),
            order_no: order.order_no.clone(),
            cash_type: order.cash_type.clone(),
            cash_amt: order.cash_amt,
            member_id: order.member_id.clone(),
            notify_url: order.notify_url.clone(),
        }
    }

    /// The order the body carries, without the app_id.
    pub fn order(&self) -> DrawCash {
        DrawCash {
            order_no: self.order_no.clone(),
            cash_type: self.cash_type.clone(),
            cash_amt: self.cash_amt,
            member_id: self.member_id.clone(),
            notify_url: self.notify_url.clone(),
        }
    }
}

/// Which draw-cash order to look up: `GET /v1/cashs/stat?order_no=...`.
/// It is the query as sent (only `order_no`); with the `server` feature it
/// also reads back from the query's pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct CashStatusQuery {
    /// The `order_no` the order was drawn with.
    pub order_no: String,
}

impl CashStatusQuery {
    /// The order drawn with `order_no`.
    pub fn new(order_no: impl Into<String>) -> Self {
        Self {
            order_no: order_no.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::order_no("order_no", &self.order_no)
    }
}

/// Whose balance to read: the merchant itself, or one of its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BalanceQuery {
    /// `"0"` for the merchant itself, else the member's id.
    pub member_id: String,
    /// The member's settle account id; required unless `member_id` is `"0"`.
    pub settle_account_id: Option<String>,
}

impl BalanceQuery {
    /// The merchant's own balance: member_id `"0"`, no settle account.
    pub fn merchant() -> Self {
        Self {
            member_id: MERCHANT_MEMBER_ID.to_owned(),
            settle_account_id: None,
        }
    }

    /// A member's balance in one settle account.
    pub fn member(member_id: impl Into<String>, settle_account_id: impl Into<String>) -> Self {
        Self {
            member_id: member_id.into(),
            settle_account_id: Some(settle_account_id.into()),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::member_id("member_id", &self.member_id)?;
        match self.settle_account_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => validate::settle_account_id("settle_account_id", id),
            None if self.member_id == MERCHANT_MEMBER_ID => Ok(()),
            None => Err(walletbridge_core::Error::validation(
                "settle_account_id",
                "is required when member_id is not \"0\" (a member's balance)",
            )),
        }
    }
}

/// The query of `GET /v1/settle_accounts/balance` as it goes on the wire: a
/// [`BalanceQuery`] and the client's app_id (sorted, empty values dropped).
/// With the `server` feature it also reads back from the query's pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct BalanceParams {
    /// The application's app_id.
    pub app_id: String,
    /// `"0"` for the merchant itself, else the member's id.
    pub member_id: String,
    /// The member's settle account id, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_account_id: Option<String>,
}

impl BalanceParams {
    /// The query the client sends for `query` under `app_id`.
    pub fn new(app_id: impl Into<String>, query: &BalanceQuery) -> Self {
        Self {
            app_id: app_id.into(),
            member_id: query.member_id.clone(),
            settle_account_id: query.settle_account_id.clone(),
        }
    }
}

/// The account balance object (`account_balance`), amounts in yuan, kept
/// exactly as sent (more than two decimals included). With the `server`
/// feature it also serializes to the wire form the client reads (absent
/// fields left out, amounts as strings written exactly as held).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct AccountBalance {
    /// The application's app_id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The object type, `account_balance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// `"true"` in prod mode, `"false"` in mock mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prod_mode: Option<String>,
    /// Balance = available + frozen.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub acct_balance: Option<Decimal>,
    /// Available: cash can be drawn only when this is above 0.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub avl_balance: Option<Decimal>,
    /// Frozen (moved from available by automatic settlement); cannot be drawn.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub frz_balance: Option<Decimal>,
    /// The state of the query.
    pub status: Status,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl AccountBalance {
    /// A balance object in `status` with every other field absent, to fill
    /// in (the provider's side: simulators and test servers).
    #[cfg(feature = "server")]
    pub fn new(status: Status) -> Self {
        Self {
            app_id: None,
            object: None,
            prod_mode: None,
            acct_balance: None,
            avl_balance: None,
            frz_balance: None,
            status,
            extra: serde_json::Map::new(),
        }
    }
}

/// A wallet login (用户登录对象) to create: `POST /v1/walletLogin` on the page host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateWalletLogin {
    /// The member logging in; `"0"` for the merchant itself.
    pub member_id: String,
    /// The user's real client IP address (IPv4 or IPv6).
    pub ip: String,
}

impl CreateWalletLogin {
    /// A login for `member_id` browsing from `ip`.
    pub fn new(member_id: impl Into<String>, ip: impl Into<String>) -> Self {
        Self {
            member_id: member_id.into(),
            ip: ip.into(),
        }
    }

    fn validate(&self) -> Result<()> {
        validate::member_id("member_id", &self.member_id)?;
        validate::ip("ip", &self.ip)
    }
}

/// The JSON body of `POST /v1/walletLogin` as it goes on the wire: a
/// [`CreateWalletLogin`] and the client's app_id. With the `server` feature
/// it also reads back from those bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(Deserialize))]
#[non_exhaustive]
pub struct WalletLoginBody {
    /// The application's app_id.
    pub app_id: String,
    /// The member logging in; `"0"` for the merchant itself.
    pub member_id: String,
    /// The user's client IP address.
    pub ip: String,
}

impl WalletLoginBody {
    /// The body the client sends for `request` under `app_id`.
    pub fn new(app_id: impl Into<String>, request: &CreateWalletLogin) -> Self {
        Self {
            app_id: app_id.into(),
            member_id: request.member_id.clone(),
            ip: request.ip.clone(),
        }
    }
}

/// The login object (`login`): a temporary token and its sign, to open the
/// wallet page with ([`Wallet::page`]). `Debug` never shows them. With the
/// `server` feature it also serializes to the wire form the client reads
/// (the token and sign in clear, absent fields left out).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "server", derive(Serialize))]
#[non_exhaustive]
pub struct WalletLogin {
    /// The application's app_id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The object type, `login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// `"true"` in prod mode, `"false"` in mock mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prod_mode: Option<String>,
    /// The temporary token (the page marks it optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretString>,
    /// The login signature to post with the token (the page marks it optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<SecretString>,
    /// The state of the login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl WalletLogin {
    /// A login object with every field absent, to fill in (the provider's
    /// side: simulators and test servers).
    #[cfg(feature = "server")]
    pub fn new() -> Self {
        Self {
            app_id: None,
            object: None,
            prod_mode: None,
            token: None,
            sign: None,
            status: None,
            extra: serde_json::Map::new(),
        }
    }
}

#[cfg(feature = "server")]
impl Default for WalletLogin {
    fn default() -> Self {
        Self::new()
    }
}

/// The wallet page (钱包对象): an HTML document whose form posts `token` and
/// `sign` to the wallet page and submits itself. Serve it as `text/html`
/// with `Cache-Control: no-store`. `Debug` never shows it (it holds the token).
#[derive(Clone, PartialEq, Eq)]
pub struct WalletPage {
    html: SecretString,
}

impl WalletPage {
    /// The HTML text.
    pub fn html(&self) -> &str {
        self.html.expose()
    }

    /// The HTML text, owned.
    pub fn into_html(self) -> String {
        self.html.expose().clone()
    }
}

impl fmt::Debug for WalletPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WalletPage([REDACTED])")
    }
}

/// The wallet page for a token and sign, posting to `target_url`. Every value
/// is HTML-escaped. The page submits itself with a one-line script, and shows
/// a button when scripts are off.
pub fn wallet_page(target_url: &str, token: &str, sign: &str) -> WalletPage {
    let html = format!(
        concat!(
            "<!DOCTYPE html>\n",
            "<html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Adapay</title></head>\n",
            "<body>\n",
            "<form id=\"adapay_wallet_form\" name=\"adapay_wallet_form\" action=\"{action}\" method=\"post\" accept-charset=\"utf-8\">\n",
            "<input type=\"hidden\" name=\"token\" value=\"{token}\">\n",
            "<input type=\"hidden\" name=\"sign\" value=\"{sign}\">\n",
            "<noscript><button type=\"submit\">继续 / Continue</button></noscript>\n",
            "</form>\n",
            "<script>document.getElementById(\"adapay_wallet_form\").submit();</script>\n",
            "</body></html>\n",
        ),
        action = walletbridge_core::encoding::html_escape(target_url),
        token = walletbridge_core::encoding::html_escape(token),
        sign = walletbridge_core::encoding::html_escape(sign),
    );
    WalletPage {
        html: SecretString::new(html),
    }
}

/// The wallet API (钱包): `client.wallet()`.
#[derive(Debug, Clone, Copy)]
pub struct Wallet<'a> {
    client: &'a Client,
}

impl Client {
    /// Checks up front that the configured platform public key verifies
    /// Adapay's answers, with one read that changes nothing: the merchant's
    /// balance (`GET /v1/settle_accounts/balance`).
    ///
    /// `Ok(())` when the signed answer verifies, including a signed refusal
    /// (the key is right even if the account is not). An
    /// `ErrorKind::Signature` error means the key is wrong for the answers
    /// this host signs; an unsigned error or a transport error means the
    /// check could not run.
    ///
    /// ```no_run
    /// # async fn run() -> walletbridge_core::Result<()> {
    /// let client = walletbridge_adapay::Client::from_env()?;
    /// client.check_platform_key().await?;
    /// # Ok(()) }
    /// ```
    pub async fn check_platform_key(&self) -> Result<()> {
        match self.wallet().balance(&BalanceQuery::merchant()).await {
            Ok(_) => Ok(()),
            Err(e)
                if e.api_error()
                    .is_some_and(|a| a.get_detail("signature") != Some("unverified")) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The wallet API (钱包): draw cash, its status, balance, login, page.
    pub fn wallet(&self) -> Wallet<'_> {
        Wallet { client: self }
    }
}

impl Wallet<'_> {
    /// `POST /v1/cashs`: draws cash from the available balance to the bound
    /// settlement bank card.
    ///
    /// A payout: the SDK never repeats it. When the error says
    /// [`is_outcome_unknown`](walletbridge_core::Error::is_outcome_unknown)
    /// (a timeout, a 5xx, an unreadable answer), Adapay may have accepted it:
    /// query [`Wallet::cash_status`] with the same `order_no` before doing
    /// anything else, and never resubmit under a new order number blindly.
    /// A `pending` answer is normal; the final result comes by notification.
    pub async fn draw_cash(&self, order: &DrawCash) -> Result<Cash> {
        check(DRAW_CASH, order.validate())?;
        let body = DrawCashBody::new(self.client.app_id(), order);
        let call = self
            .call(DRAW_CASH)
            .json(&body)?
            .echo("order_no", &order.order_no)
            .echo("member_id", &order.member_id);
        self.client.send(call).await
    }

    /// `GET /v1/cashs/stat?order_no=...`: the state of a draw-cash order.
    /// A failed order (or an unknown order number) comes back as an
    /// [`ErrorKind::Api`](walletbridge_core::ErrorKind::Api) error with
    /// Adapay's `error_code`.
    pub async fn cash_status(&self, query: &CashStatusQuery) -> Result<Cash> {
        check(CASH_STATUS, query.validate())?;
        let call = self
            .call(CASH_STATUS)
            .query(query)?
            .echo("order_no", &query.order_no);
        self.client.send(call).await
    }

    /// `GET /v1/settle_accounts/balance`: the merchant's balance
    /// ([`BalanceQuery::merchant`]) or a member's ([`BalanceQuery::member`]).
    pub async fn balance(&self, query: &BalanceQuery) -> Result<AccountBalance> {
        check(BALANCE, query.validate())?;
        let params = BalanceParams::new(self.client.app_id(), query);
        let call = self
            .call(BALANCE)
            .query(&params)?
            .echo("member_id", &query.member_id);
        self.client.send(call).await
    }

    /// `POST /v1/walletLogin` on the page host: a temporary token and sign
    /// for the wallet page.
    pub async fn login(&self, request: &CreateWalletLogin) -> Result<WalletLogin> {
        check(WALLET_LOGIN, request.validate())?;
        let body = WalletLoginBody::new(self.client.app_id(), request);
        let call = self
            .call(WALLET_LOGIN)
            .json(&body)?
            .echo("member_id", &request.member_id);
        self.client.send(call).await
    }

    /// The wallet page (钱包对象) for a login answer, built locally: a form
    /// that posts `token` and `sign` to the configured wallet page URL
    /// ([`ClientBuilder::wallet_page_url`](crate::ClientBuilder::wallet_page_url)).
    ///
    /// The page marks `token` and `sign` optional in the login answer; a
    /// login without them has no page, and this is a validation error naming
    /// the missing field.
    pub fn page(&self, login: &WalletLogin) -> Result<WalletPage> {
        let missing = |field: &str| {
            walletbridge_core::Error::validation(
                field,
                "the login answer carries none: there is no wallet page to open",
            )
        };
        let token = login.token.as_ref().ok_or_else(|| missing("token"))?;
        let sign = login.sign.as_ref().ok_or_else(|| missing("sign"))?;
        Ok(wallet_page(
            self.client.wallet_page_url(),
            token.expose(),
            sign.expose(),
        ))
    }

    fn call(&self, ep: Endpoint) -> crate::client::Call {
        self.client.call(ep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            walletbridge_core::encoding::html_escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let page = wallet_page("https://p/w?a=1&b=2", "t\"><script>", "s'");
        assert!(page.html().contains("action=\"https://p/w?a=1&amp;b=2\""));
        assert!(page.html().contains("value=\"t&quot;&gt;&lt;script&gt;\""));
        assert!(!format!("{page:?}").contains("t&quot;"));
    }

    #[test]
    fn balance_rules() {
        assert!(BalanceQuery::merchant().validate().is_ok());
        assert!(
            BalanceQuery::member("m_1", "0035172521665088")
                .validate()
                .is_ok()
        );
        let q = BalanceQuery {
            member_id: "m_1".into(),
            settle_account_id: None,
        };
        let err = q
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("settle_account_id"), "{err}");
    }
}
