//! The simulated QQSS merchant wallet: login, balances, recharge channels,
//! recharge, recharge orders, the public order status and the pay page.
//!
//! Protocol (PROTOCOL-NOTES, merchant wallet): `POST
//! /merchantapi/user/account/login` with `{username, password}` answers a
//! JWT (HS256, signed with a per-state secret) that expires after the
//! configured lifetime on the sandbox clock; every other `/merchantapi/*`
//! call needs `Authorization: Bearer {token}` and answers HTTP 401 with
//! `code` 0 when it is missing, forged or expired. Bodies are JSON or form.
//! Envelope `{"code":1|0,"msg","data"}`.

use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::runtime::{Job as AnyJob, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, china_time, fixed, num, page_of, parse_china, round};

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

fn ok(msg: &str, data: Value) -> Reply {
    Reply::json(200, &json!({"code": 1, "msg": msg, "data": data}))
}

fn refuse(msg: &str) -> Reply {
    Reply::json(200, &json!({"code": 0, "msg": msg}))
}

fn unauthorized(msg: &str) -> Reply {
    Reply::json(401, &json!({"code": 0, "msg": msg}))
}

/// Replacement answers of faults.
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => {
            Reply::json(423, &json!({"code": 0, "msg": "系统繁忙，请稍后重试"}))
        }
        _ => Reply::json(500, &json!({"code": 0, "msg": "服务器内部错误"})),
    }
}

/// The request body as a JSON object: JSON as sent, or form fields as strings.
fn fields(req: &Request) -> Result<Map<String, Value>, Reply> {
    let ct = req.header("content-type").unwrap_or_default();
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if ct.contains("x-www-form-urlencoded") {
        return Ok(form_urlencoded::parse(&req.body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(refuse("请求参数格式错误")),
    }
}

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

fn issue(secret: &str, username: &str, now_ms: i64, ttl_s: i64, jti: u64) -> String {
    let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = now_ms / 1000;
    let payload = b64(
        json!({"sub": username, "uid": USER_ID, "iat": iat, "exp": iat + ttl_s, "jti": jti})
            .to_string()
            .as_bytes(),
    );
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
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .ok_or("登录已失效，请重新登录")?;
    let exp = payload.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp * 1000 <= shared.now_ms() {
        return Err("登录已过期，请重新登录");
    }
    Ok(())
}

/// Serves one request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let path = req.path.trim_end_matches('/').to_owned();
    if req.method == "GET"
        && let Some(trade_no) = path.strip_prefix("/pay/")
    {
        return pay_page(shared, trade_no);
    }
    let body = match fields(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut tx = shared.store.begin();
    shared.run_due(&mut tx);
    let _ = tx.commit();
    let mut tx = shared.store.begin();
    let now = shared.now_ms();
    let reply = match path.as_str() {
        "/merchantapi/user/account/login" if req.method == "POST" => {
            let user = body
                .get("username")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let pass = body
                .get("password")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let ids = &shared.cfg.identities;
            if user.is_empty() || pass.is_empty() {
                refuse("请输入账号和密码")
            } else if user != ids.merchant_username || pass != ids.merchant_password {
                refuse("账号或密码错误")
            } else {
                let ttl = i64::try_from(shared.cfg.token_ttl.as_secs()).unwrap_or(i64::MAX / 2000);
                let jti = tx.next_seq();
                let token = issue(&secret(&tx), user, now, ttl, jti);
                ok(
                    "登录成功",
                    json!({"access_token": token, "expires_in": ttl}),
                )
            }
        }
        "/home/pay/orderStatus" if req.method == "POST" => order_status(&tx, &body),
        p if p.starts_with("/merchantapi/") => {
            match check_token(shared, &tx, req.header("authorization")) {
                Err(msg) => unauthorized(msg),
                Ok(()) => api(shared, &mut tx, p, &req.method, &body, now),
            }
        }
        _ => Reply::json(404, &json!({"code": 0, "msg": "接口不存在"})),
    };
    match tx.commit() {
        Ok(()) => reply,
        Err(e) => Reply::json(
            500,
            &json!({"code": 0, "msg": format!("state not saved: {e}")}),
        ),
    }
}

fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.trim().is_empty() => s.trim().parse().ok(),
        _ => None,
    }
}

fn api(
    shared: &Shared,
    tx: &mut Txn<'_>,
    path: &str,
    method: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Reply {
    let b = balances(tx);
    match path {
        "/merchantapi/wallet/operational/getTotalMoney" => ok(
            "获取成功",
            json!({
                "total_money": fixed(b.money + b.deposit_money, 2),
                "today_income": fixed(b.today_income, 2),
                "promote_income": fixed(b.promote_income, 2),
            }),
        ),
        "/merchantapi/wallet/operational/getUserBalance" => ok(
            "获取成功",
            json!({
                "money": fixed(b.money, 2),
                "freeze_money": fixed(b.freeze_money, 2),
                "deposit_money": fixed(b.deposit_money, 2),
            }),
        ),
        "/merchantapi/wallet/operational/getRechargeChannel" => ok(
            "获取成功",
            json!({
                "fee_rate": num(fee_rate(shared)),
                "channels": CHANNELS.iter().map(|(v, l)| json!({
                    "value": v, "label": l,
                    "ico": format!("https://sandbox.invalid/static/payment/{v}.png"),
                })).collect::<Vec<_>>(),
            }),
        ),
        "/merchantapi/wallet/operational/doRecharge" if method == "POST" => {
            recharge(shared, tx, body, now)
        }
        "/merchantapi/wallet/operational/rechargeOrder" if method == "POST" => orders(tx, body),
        _ => Reply::json(404, &json!({"code": 0, "msg": "接口不存在"})),
    }
}

fn fee_rate(shared: &Shared) -> Decimal {
    Decimal::new(i64::from(shared.cfg.merchant_fee_rate_bp), 4)
}

fn recharge(shared: &Shared, tx: &mut Txn<'_>, body: &Map<String, Value>, now: i64) -> Reply {
    #[derive(Deserialize)]
    struct Amount {
        #[serde(with = "walletbridge_core::money::lenient")]
        amount: Decimal,
    }
    let amount = match body.get("amount") {
        None | Some(Value::Null) => return refuse("请输入充值金额"),
        Some(v) => match serde_json::from_value::<Amount>(json!({"amount": v})) {
            Ok(a) => a.amount,
            Err(_) => return refuse("充值金额格式错误"),
        },
    };
    if amount <= Decimal::ZERO || amount.normalize().scale() > 2 {
        return refuse("充值金额必须大于 0 且最多两位小数");
    }
    let Some(channel) = int_of(body.get("channelId").or_else(|| body.get("channel_id"))) else {
        return refuse("请选择支付通道");
    };
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
    let close = i64::try_from(shared.cfg.order_auto_close.as_secs()).unwrap_or(1800);
    schedule(
        tx,
        now + close * 1000,
        AnyJob::Merchant(Job::AutoClose {
            trade_no: trade_no.clone(),
        }),
    );
    let base = shared
        .urls
        .get()
        .map(|u| u.merchant_wallet.clone())
        .unwrap_or_default();
    ok(
        "",
        json!({"trade_no": trade_no, "url": format!("{base}/pay/{trade_no}"), "order_auto_close_time": close}),
    )
}

fn order_json(o: &Order) -> Value {
    json!({
        "id": o.id,
        "trade_no": o.trade_no,
        "user_type": 1,
        "goods_name": format!("运营钱包充值 {}元", o.amount.normalize()),
        "total_price": fixed(o.amount + o.fee, 3),
        "finally_money": fixed(o.amount, 3),
        "user_id": USER_ID,
        "status": o.status,
        "channel_account_id": 1,
        "channel_id": o.channel_id,
        "recharge_type": "deposit_money",
        "fee": fixed(o.fee, 3),
        "create_at": china_time(o.created),
        "pay_at": o.pay_at.map(|t| json!(t / 1000)).unwrap_or(Value::Null),
        "transaction_id": o.transaction_id,
    })
}

fn orders(tx: &Txn<'_>, body: &Map<String, Value>) -> Reply {
    let page = int_of(body.get("page")).unwrap_or(1);
    let limit = int_of(body.get("limit")).unwrap_or(20);
    if page < 1 || !(1..=1000).contains(&limit) {
        return refuse("分页参数错误");
    }
    let status = int_of(body.get("status"));
    let channel = int_of(body.get("channel_id"));
    let range: Option<(i64, i64)> = match body.get("date_range") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) if a.len() == 2 => {
            let t = |i: usize, end: bool| a[i].as_str().and_then(|s| parse_china(s, end));
            match (t(0, false), t(1, true)) {
                (Some(s), Some(e)) => Some((s, e)),
                _ => return refuse("date_range 格式错误"),
            }
        }
        Some(_) => return refuse("date_range 格式错误"),
    };
    let mut list: Vec<Order> = tx
        .scan::<Order>(ORDERS)
        .into_iter()
        .filter(|o| status.is_none_or(|s| s == o.status))
        .filter(|o| channel.is_none_or(|c| c == o.channel_id))
        .filter(|o| range.is_none_or(|(s, e)| o.created >= s && o.created <= e))
        .collect();
    list.sort_by_key(|o| std::cmp::Reverse(o.id));
    let items: Vec<Value> = list.iter().map(order_json).collect();
    let total = items.len();
    let (p, l) = (
        u32::try_from(page).unwrap_or(1),
        u32::try_from(limit).unwrap_or(20),
    );
    ok(
        "获取成功",
        json!({"list": page_of(&items, p, l), "total": total}),
    )
}

fn order_status(tx: &Txn<'_>, body: &Map<String, Value>) -> Reply {
    let no = body
        .get("trade_no")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(o) = tx.get::<Order>(ORDERS, no) else {
        return Reply::json(
            200,
            &json!({"code": 0, "msg": "订单不存在", "data": "error"}),
        );
    };
    let (code, msg) = match o.status {
        1 => (1, "订单已支付"),
        2 => (0, "订单超时已关闭"),
        3 => (0, "订单已退款"),
        _ => (0, "订单未支付"),
    };
    Reply::json(
        200,
        &json!({"code": code, "msg": msg, "data": {"status": o.status}}),
    )
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
    let no = crate::wire::html_escape(&o.trade_no);
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
