//! The simulated QQSS merchant wallet: login, balances, recharge channels,
//! recharge, recharge orders, the public order status and the pay page.
//!
//! Built on the client crate's own wire types (its feature `server`):
//! requests are routed by `endpoints::ALL`, bodies decode into the crate's
//! request types, answers are the crate's models written by its envelope
//! encoders. What is the sandbox's own: its state (balances and orders in
//! the store), its rules, its messages, and its tokens: `POST
//! /merchantapi/user/account/login` answers a JWT (HS256, signed with a
//! per-state secret) that expires after the configured lifetime on the
//! sandbox clock; every `/merchantapi/*` call behind the login answers HTTP
//! 401 with `code` 0 when the token is missing, forged or expired. Bodies
//! are JSON or form.

use std::time::Duration;

use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use walletbridge_core::date::{self, DateTime};
use walletbridge_merchant_wallet::RechargeStatus;
use walletbridge_merchant_wallet::auth::{LoginAnswer, LoginRequest};
use walletbridge_merchant_wallet::endpoints::{self, Auth, Endpoint};
use walletbridge_merchant_wallet::envelope;
use walletbridge_merchant_wallet::pay::{OrderStatus, OrderStatusRequest};
use walletbridge_merchant_wallet::wallet::{
    RechargeChannel, RechargeChannels, RechargeCreated, RechargeOrder, RechargeOrderList,
    RechargeOrderQuery, RechargeWallet, TotalMoney, UserBalance,
};

use crate::runtime::{Job as AnyJob, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, china_time, fixed, page_of, parse_china, round};

const ACCOUNT: &str = "mw_account";
const ORDERS: &str = "mw_orders";
const USER_ID: i64 = 1000;

/// Recharge channels: `(value, label)`.
pub const CHANNELS: [(i64, &str); 2] = [(1, "支付宝"), (2, "微信支付")];

/// The merchant's balances.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MerchantBalances {
    /// 可提现余额.
    pub money: Decimal,
    /// 冻结资金 (待结算).
    pub freeze_money: Decimal,
    /// 运营钱包余额 (what recharges add to).
    pub deposit_money: Decimal,
    /// 今日收益.
    pub today_income: Decimal,
    /// 今日推广收益.
    pub promote_income: Decimal,
}

impl Default for MerchantBalances {
    fn default() -> Self {
        Self {
            money: Decimal::new(100_000, 2),
            freeze_money: Decimal::ZERO,
            deposit_money: Decimal::ZERO,
            today_income: Decimal::ZERO,
            promote_income: Decimal::ZERO,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Order {
    id: i64,
    trade_no: String,
    amount: Decimal,
    fee: Decimal,
    status: i64,
    channel_id: i64,
    created: i64,
    pay_at: Option<i64>,
    transaction_id: Option<String>,
}

/// Due steps of the merchant wallet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Job {
    AutoClose { trade_no: String },
}

pub(crate) fn seed(tx: &mut Txn<'_>, _shared: &Shared) {
    tx.put(ACCOUNT, "balances", &MerchantBalances::default());
    let secret: String = (0..32)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect();
    tx.put("meta", "mw_jwt_secret", &secret);
}

/// Admin: the balances.
pub(crate) fn balances(tx: &Txn<'_>) -> MerchantBalances {
    tx.get(ACCOUNT, "balances").unwrap_or_default()
}

/// Admin: sets the balances.
pub(crate) fn set_balances(tx: &mut Txn<'_>, b: &MerchantBalances) {
    tx.put(ACCOUNT, "balances", b);
}

/// Admin: pays (`1`), closes (`2`) or refunds (`3`) an order.
pub(crate) fn admin_settle(
    tx: &mut Txn<'_>,
    now: i64,
    trade_no: &str,
    to: i64,
) -> crate::Result<()> {
    let mut o: Order = tx
        .get(ORDERS, trade_no)
        .ok_or_else(|| crate::Error::NotFound(format!("merchant wallet order {trade_no}")))?;
    let mut b = balances(tx);
    match (o.status, to) {
        (0, 1) => {
            o.status = 1;
            o.pay_at = Some(now);
            o.transaction_id = Some(format!("SBX{}", o.trade_no));
            b.deposit_money += o.amount;
        }
        (0, 2) => o.status = 2,
        (1, 3) => {
            o.status = 3;
            b.deposit_money -= o.amount;
        }
        (from, _) => {
            return Err(crate::Error::InvalidState(format!(
                "order {trade_no} has status {from}"
            )));
        }
    }
    tx.put(ORDERS, trade_no, &o);
    set_balances(tx, &b);
    Ok(())
}

/// `code` 1 with `data`, one of the crate's answer models.
fn ok<T: Serialize>(msg: &str, data: &T) -> Reply {
    match envelope::encode_success(msg, data) {
        Ok(body) => Reply::json_bytes(200, body),
        Err(e) => Reply::json_bytes(
            500,
            envelope::encode_error(&format!("answer not written: {e}")),
        ),
    }
}

/// `code` 0, HTTP 200: the platform's refusal.
fn refuse(msg: &str) -> Reply {
    Reply::json_bytes(200, envelope::encode_error(msg))
}

/// HTTP 401 `code` 0: no live token.
fn unauthorized(msg: &str) -> Reply {
    Reply::json_bytes(
        envelope::UNAUTHORIZED_STATUS,
        envelope::encode_unauthorized(msg),
    )
}

/// A method and path that no endpoint of `endpoints::ALL` has.
fn unknown_endpoint() -> Reply {
    Reply::json_bytes(404, envelope::encode_error("接口不存在"))
}

/// Replacement answers of faults.
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => {
            Reply::json_bytes(423, envelope::encode_error("系统繁忙，请稍后重试"))
        }
        _ => Reply::json_bytes(500, envelope::encode_error("服务器内部错误")),
    }
}

/// The request body decoded into the crate's request type `T`: JSON as sent
/// (an empty body is `{}`), or form fields as strings. A body that is not a
/// JSON object is refused as malformed; a missing or wrong field is refused
/// naming it (on a `sensitive` request, without quoting any value).
fn body<T: DeserializeOwned>(req: &Request, sensitive: bool) -> Result<T, Reply> {
    const MALFORMED: &str = "请求参数格式错误";
    let ct = req.header("content-type").unwrap_or_default();
    let text = req.body.trim_ascii();
    let decoded = if ct.contains("x-www-form-urlencoded") {
        let fields: Map<String, Value> = form_urlencoded::parse(text)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        serde_path_to_error::deserialize::<_, T>(Value::Object(fields))
    } else {
        let text: &[u8] = if text.is_empty() { b"{}" } else { text };
        if text.first() != Some(&b'{') {
            return Err(refuse(MALFORMED));
        }
        let mut de = serde_json::Deserializer::from_slice(text);
        let decoded = serde_path_to_error::deserialize::<_, T>(&mut de);
        let malformed = match &decoded {
            Err(e) => e.inner().is_syntax() || e.inner().is_eof(),
            Ok(_) => de.end().is_err(),
        };
        if malformed {
            return Err(refuse(MALFORMED));
        }
        decoded
    };
    decoded.map_err(|e| {
        refuse(&field_error(
            &e.path().to_string(),
            &e.inner().to_string(),
            sensitive,
        ))
    })
}

/// The refusal of a missing or wrong field: `请求参数错误: <field>: <why>`.
fn field_error(path: &str, why: &str, sensitive: bool) -> String {
    // serde_json's position suffix says nothing a caller needs.
    let why = crate::wire::without_position(why);
    let missing = why.starts_with("missing field");
    match (path, sensitive && !missing) {
        ("." | "", _) => format!("请求参数错误: {why}"),
        (field, true) => format!("请求参数错误: {field}"),
        (field, false) => format!("请求参数错误: {field}: {why}"),
    }
}

/// A read with no parameters: any JSON object or form is fine.
#[derive(Deserialize)]
struct NoParams {}

fn secret(tx: &Txn<'_>) -> String {
    tx.get::<String>("meta", "mw_jwt_secret")
        .unwrap_or_default()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hmac(secret: &str, text: &str) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut m) => {
            m.update(text.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The claims of the sandbox's own tokens.
#[derive(Serialize, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    uid: i64,
    #[serde(default)]
    iat: i64,
    exp: i64,
    #[serde(default)]
    jti: u64,
}

fn issue(secret: &str, username: &str, now_ms: i64, ttl_s: i64, jti: u64) -> String {
    let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = now_ms / 1000;
    let claims = Claims {
        sub: username.to_owned(),
        uid: USER_ID,
        iat,
        exp: iat.saturating_add(ttl_s),
        jti,
    };
    let payload = b64(&serde_json::to_vec(&claims).unwrap_or_default());
    let signing = format!("{header}.{payload}");
    let sig = b64(&hmac(secret, &signing));
    format!("{signing}.{sig}")
}

fn check_token(shared: &Shared, tx: &Txn<'_>, header: Option<&str>) -> Result<(), &'static str> {
    let token = header
        .and_then(|h| {
            h.trim()
                .strip_prefix("Bearer ")
                .or_else(|| h.trim().strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or("请先登录")?;
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("登录已失效，请重新登录");
    };
    let want = b64(&hmac(&secret(tx), &format!("{h}.{p}")));
    if want.len() != s.len() || want.bytes().zip(s.bytes()).fold(0, |a, (x, y)| a | (x ^ y)) != 0 {
        return Err("登录已失效，请重新登录");
    }
    use base64::Engine;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice::<Claims>(&b).ok())
        .ok_or("登录已失效，请重新登录")?;
    if claims.exp.saturating_mul(1000) <= shared.now_ms() {
        return Err("登录已过期，请重新登录");
    }
    Ok(())
}

/// Serves one request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let path = req.path.trim_end_matches('/');
    if req.method == "GET"
        && let Some(trade_no) = path.strip_prefix("/pay/")
    {
        return pay_page(shared, trade_no);
    }
    let Some(ep) = endpoints::route(&req.method, &req.path) else {
        return unknown_endpoint();
    };
    let mut tx = shared.store.begin();
    shared.run_due(&mut tx);
    let _ = tx.commit();
    let mut tx = shared.store.begin();
    let now = shared.now_ms();
    let reply = match ep.auth {
        Auth::Bearer => match check_token(shared, &tx, req.header("authorization")) {
            Err(msg) => unauthorized(msg),
            Ok(()) => serve(shared, &mut tx, ep, req, now),
        },
        _ => serve(shared, &mut tx, ep, req, now),
    };
    match tx.commit() {
        Ok(()) => reply,
        Err(e) => Reply::json_bytes(
            500,
            envelope::encode_error(&format!("state not saved: {e}")),
        ),
    }
}

/// Answers a call of `ep` (its token, if it needs one, already checked).
fn serve(shared: &Shared, tx: &mut Txn<'_>, ep: &Endpoint, req: &Request, now: i64) -> Reply {
    if *ep == endpoints::LOGIN {
        return match body::<LoginRequest>(req, true) {
            Ok(login_req) => login(shared, tx, &login_req, now),
            Err(r) => r,
        };
    }
    if *ep == endpoints::DO_RECHARGE {
        return match body::<RechargeWallet>(req, false) {
            Ok(r) => recharge(shared, tx, &r, now),
            Err(r) => r,
        };
    }
    if *ep == endpoints::RECHARGE_ORDERS {
        return match body::<RechargeOrderQuery>(req, false) {
            Ok(q) => orders(tx, &q),
            Err(r) => r,
        };
    }
    if *ep == endpoints::ORDER_STATUS {
        return match body::<OrderStatusRequest>(req, false) {
            Ok(q) => order_status(tx, &q),
            Err(r) => r,
        };
    }
    if let Err(r) = body::<NoParams>(req, false) {
        return r;
    }
    let b = balances(tx);
    if *ep == endpoints::TOTAL_MONEY {
        ok(
            "获取成功",
            &TotalMoney::new(
                scaled(b.money + b.deposit_money, 2),
                scaled(b.today_income, 2),
                Some(scaled(b.promote_income, 2)),
            ),
        )
    } else if *ep == endpoints::USER_BALANCE {
        ok(
            "获取成功",
            &UserBalance::new(
                scaled(b.money, 2),
                scaled(b.freeze_money, 2),
                scaled(b.deposit_money, 2),
            ),
        )
    } else if *ep == endpoints::RECHARGE_CHANNELS {
        let channels = CHANNELS
            .iter()
            .map(|(v, l)| {
                RechargeChannel::new(
                    *v,
                    *l,
                    Some(format!("https://sandbox.invalid/static/payment/{v}.png")),
                )
            })
            .collect();
        ok(
            "获取成功",
            &RechargeChannels::new(fee_rate(shared), channels),
        )
    } else {
        unknown_endpoint()
    }
}

/// `d` rounded to `dp` decimals and written with exactly `dp` (`1000.00`).
fn scaled(d: Decimal, dp: u32) -> Decimal {
    let mut r = round(d, dp);
    r.rescale(dp);
    r
}

fn login(shared: &Shared, tx: &mut Txn<'_>, req: &LoginRequest, now: i64) -> Reply {
    let (user, pass) = (
        req.username.expose().as_str(),
        req.password.expose().as_str(),
    );
    let ids = &shared.cfg.identities;
    if user.is_empty() || pass.is_empty() {
        refuse("请输入账号和密码")
    } else if user != ids.merchant_username || pass != ids.merchant_password {
        refuse("账号或密码错误")
    } else {
        let ttl = shared.cfg.token_ttl.as_secs();
        let jti = tx.next_seq();
        let token = issue(
            &secret(tx),
            user,
            now,
            i64::try_from(ttl).unwrap_or(i64::MAX / 2000),
            jti,
        );
        ok("登录成功", &LoginAnswer::new(token).expires_in(ttl))
    }
}

fn fee_rate(shared: &Shared) -> Decimal {
    Decimal::new(i64::from(shared.cfg.merchant_fee_rate_bp), 4)
}

fn recharge(shared: &Shared, tx: &mut Txn<'_>, req: &RechargeWallet, now: i64) -> Reply {
    let amount = req.amount;
    if amount <= Decimal::ZERO || amount.normalize().scale() > 2 {
        return refuse("充值金额必须大于 0 且最多两位小数");
    }
    let channel = req.channel_id;
    if !CHANNELS.iter().any(|(v, _)| *v == channel) {
        return refuse("支付通道不存在");
    }
    let seq = tx.next_seq();
    let date = china_time(now);
    let trade_no = format!(
        "M{}{}{}{:06}",
        &date[2..4],
        &date[5..7],
        &date[8..10],
        seq % 1_000_000
    );
    let o = Order {
        id: i64::try_from(seq).unwrap_or(0),
        trade_no: trade_no.clone(),
        amount,
        fee: round(amount * fee_rate(shared), 3),
        status: 0,
        channel_id: channel,
        created: now,
        pay_at: None,
        transaction_id: None,
    };
    tx.put(ORDERS, &trade_no, &o);
    let close = shared.cfg.order_auto_close.as_secs();
    let close_ms = i64::try_from(close).unwrap_or(1800).saturating_mul(1000);
    schedule(
        tx,
        now.saturating_add(close_ms),
        AnyJob::Merchant(Job::AutoClose {
            trade_no: trade_no.clone(),
        }),
    );
    let base = shared
        .urls
        .get()
        .map(|u| u.merchant_wallet.clone())
        .unwrap_or_default();
    let url = format!("{base}/pay/{trade_no}");
    ok(
        "",
        &RechargeCreated::new(trade_no, url, Duration::from_secs(close)),
    )
}

/// A time of the sandbox clock (milliseconds) as the crate's time.
fn at(ms: i64) -> DateTime {
    date::from_unix_seconds(ms.div_euclid(1000)).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A stored order as the crate's answer model.
fn order_model(o: &Order) -> RechargeOrder {
    let mut m = RechargeOrder::new(o.id, o.trade_no.clone(), o.channel_id, at(o.created));
    m.goods_name = format!("运营钱包充值 {}元", o.amount.normalize());
    m.total_price = scaled(o.amount + o.fee, 3);
    m.finally_money = scaled(o.amount, 3);
    m.user_id = USER_ID;
    m.status = RechargeStatus::from(o.status);
    m.channel_account_id = Some(1);
    m.fee = scaled(o.fee, 3);
    m.pay_at = o.pay_at.map(at);
    m.transaction_id.clone_from(&o.transaction_id);
    m
}

fn orders(tx: &Txn<'_>, q: &RechargeOrderQuery) -> Reply {
    let (page, limit) = (q.page, q.limit);
    if page < 1 || !(1..=1000).contains(&limit) {
        return refuse("分页参数错误");
    }
    let status = q.status.as_ref().map(RechargeStatus::code);
    let channel = q.channel_id;
    let range: Option<(i64, i64)> = match q.date_range {
        None => None,
        Some((from, to)) => match (
            parse_china(&date::format_date(from), false),
            parse_china(&date::format_date(to), true),
        ) {
            (Some(s), Some(e)) => Some((s, e)),
            _ => return refuse("date_range 格式错误"),
        },
    };
    let mut list: Vec<Order> = tx
        .scan::<Order>(ORDERS)
        .into_iter()
        .filter(|o| status.is_none_or(|s| s == o.status))
        .filter(|o| channel.is_none_or(|c| c == o.channel_id))
        .filter(|o| range.is_none_or(|(s, e)| o.created >= s && o.created <= e))
        .collect();
    list.sort_by_key(|o| std::cmp::Reverse(o.id));
    let total = list.len() as u64;
    let items: Vec<RechargeOrder> = page_of(&list, page, limit)
        .iter()
        .map(order_model)
        .collect();
    ok("获取成功", &RechargeOrderList::new(items, total))
}

fn order_status(tx: &Txn<'_>, q: &OrderStatusRequest) -> Reply {
    let status = match tx.get::<Order>(ORDERS, &q.trade_no) {
        None => OrderStatus::NotFound,
        Some(o) => match RechargeStatus::from(o.status) {
            RechargeStatus::Unpaid => OrderStatus::Unpaid,
            RechargeStatus::Paid => OrderStatus::Paid,
            RechargeStatus::Closed => OrderStatus::Closed,
            RechargeStatus::Refunded => OrderStatus::Refunded,
            _ => OrderStatus::Other {
                status: o.status,
                message: "订单状态未知".into(),
            },
        },
    };
    Reply::json_bytes(200, envelope::encode_order_status(&status))
}

fn pay_page(shared: &Shared, trade_no: &str) -> Reply {
    let tx = shared.store.begin();
    let Some(o) = tx.get::<Order>(ORDERS, trade_no) else {
        return Reply::html(404, "<html><body>订单不存在</body></html>");
    };
    let text = match o.status {
        0 => "待支付 (sandbox: pay or close it through the admin surface)",
        1 => "订单已支付,请勿重复支付!",
        2 => "订单已超时关闭,请重新下单!",
        _ => "订单已退款!",
    };
    let no = walletbridge_core::encoding::html_escape(&o.trade_no);
    Reply::html(
        200,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{no}</title></head><body><h1>{no}</h1><p>{}</p><p>{text}</p></body></html>",
            fixed(o.amount + o.fee, 3)
        ),
    )
}

pub(crate) fn run_job(_shared: &Shared, tx: &mut Txn<'_>, job: Job, _due: i64) {
    let Job::AutoClose { trade_no } = job;
    if let Some(mut o) = tx.get::<Order>(ORDERS, &trade_no)
        && o.status == 0
    {
        o.status = 2;
        tx.put(ORDERS, &trade_no, &o);
    }
}
