//! The simulated senior wallet server (`/wallet_server/v1/m/senior/*`).
//!
//! Protocol (PROTOCOL-NOTES, senior wallet): every endpoint is a form POST
//! carrying `access_token` (the configured token), `timestamp` (unix
//! seconds, within 5 minutes of the system clock) and `sign`. The signing
//! algorithm is deployment-specific: the sandbox checks it through a
//! [`SeniorVerifier`], by default [`SandboxHmacVerifier`] — a scheme that
//! exists only in the sandbox: HMAC-SHA256 with a shared secret over every
//! parameter except `sign`, sorted by key, written `k=v` (raw, undecoded
//! values) and joined with `&`, as lower-case hex.
//!
//! Answers are `{"code":1001,"msg":"","data":{...}}`; amounts are integers
//! in fen. Error codes (the provider's pages do not list them; these are the
//! sandbox's): see [`codes`].

use std::sync::Arc;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::runtime::{Job as AnyJob, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, china_compact_date, china_time, parse_china, real_now_ms};

/// The senior wallet's answer codes used by the sandbox.
pub mod codes {
    /// Success.
    pub const OK: i64 = 1001;
    /// `access_token` missing or wrong.
    pub const TOKEN_INVALID: i64 = 1002;
    /// `sign` missing or wrong.
    pub const SIGN_INVALID: i64 = 1003;
    /// `timestamp` missing or more than 5 minutes from the server's clock.
    pub const TIMESTAMP_EXPIRED: i64 = 1004;
    /// A parameter is missing or malformed, or a rule on amounts is broken.
    pub const PARAM_ERROR: i64 = 1005;
    /// The order, ticket or wallet does not exist.
    pub const NOT_FOUND: i64 = 1006;
    /// The wallet's balance is not enough.
    pub const INSUFFICIENT_BALANCE: i64 = 1007;
    /// The `biz_no` has been used.
    pub const DUPLICATE_BIZ_NO: i64 = 1008;
    /// The SMS code is wrong.
    pub const SMS_CODE_WRONG: i64 = 1009;
    /// The order is not in a state that allows this.
    pub const INVALID_STATUS: i64 = 1010;
    /// Unknown endpoint.
    pub const UNKNOWN_ENDPOINT: i64 = 1404;
}

/// How far a request's `timestamp` may be from the system clock, seconds.
pub const TIMESTAMP_WINDOW_S: i64 = 300;

/// Checks the `sign` of a senior wallet request.
pub trait SeniorVerifier: Send + Sync {
    /// `Ok` when `params` (every form field, `sign` included, as received)
    /// carry a valid signature; otherwise why not.
    fn verify(&self, params: &[(String, String)]) -> Result<(), String>;
}

/// The sandbox-only signing scheme: HMAC-SHA256 with a shared secret over
/// every parameter except `sign`, sorted by key, written `k=v` and joined
/// with `&`, as lower-case hex. Not the provider's scheme (which is not
/// public): use it only against the sandbox.
#[derive(Clone)]
pub struct SandboxHmacVerifier {
    secret: Arc<str>,
}

impl std::fmt::Debug for SandboxHmacVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SandboxHmacVerifier([REDACTED])")
    }
}

impl SandboxHmacVerifier {
    /// A verifier with this shared secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self {
            secret: Arc::from(secret.into()),
        }
    }

    /// The signature of `params` (a `sign` among them is ignored).
    pub fn sign(&self, params: &[(String, String)]) -> String {
        sandbox_sign(&self.secret, params)
    }
}

/// The sandbox scheme's signature of `params` with `secret`.
pub fn sandbox_sign(secret: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "sign").collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let text = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(text.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SeniorVerifier for SandboxHmacVerifier {
    fn verify(&self, params: &[(String, String)]) -> Result<(), String> {
        let given = params
            .iter()
            .find(|(k, _)| k == "sign")
            .map(|(_, v)| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| "sign is missing".to_owned())?;
        let want = self.sign(params);
        let same = given.len() == want.len()
            && given
                .bytes()
                .zip(want.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err("sign does not verify".to_owned())
        }
    }
}

const WALLETS: &str = "sw_wallets";
const ORDERS: &str = "sw_orders";
const BIZ: &str = "sw_biz";
const TICKETS: &str = "sw_tickets";

/// Wallets every sandbox starts with: `(wallet_id, balance in fen)`.
pub const STARTING_WALLETS: [(i64, i64); 4] = [(1001, 10_000_000), (2001, 0), (2002, 0), (2003, 0)];

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Wallet {
    wallet_id: i64,
    balance: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Receiver {
    wallet_id: i64,
    amount: i64,
    remaining: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Order {
    id: i64,
    order_no: String,
    kind: i64,
    status: i64,
    amount: i64,
    fee: i64,
    wallet_id: i64,
    biz_no: String,
    batch_no: String,
    ticket: Option<String>,
    /// `balance`, `bank_card`, `wechat`, `alipay`, `code_pay`, `card`.
    method: String,
    /// Whether completing needs the SMS code.
    sms: bool,
    receivers: Vec<Receiver>,
    collect_order_no: Option<String>,
    created: i64,
    ended: Option<i64>,
    expire: Option<String>,
    refunded: bool,
}

/// Due steps of the senior wallet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Job {
    ChannelPaid { order_no: String },
}

pub(crate) fn seed(tx: &mut Txn<'_>) {
    for (id, balance) in STARTING_WALLETS {
        set_balance(tx, id, balance);
    }
}

/// Admin: sets a wallet's balance in fen (creating the wallet).
pub(crate) fn set_balance(tx: &mut Txn<'_>, wallet_id: i64, balance: i64) {
    tx.put(
        WALLETS,
        &wallet_id.to_string(),
        &Wallet { wallet_id, balance },
    );
}

/// A wallet's balance in fen.
pub(crate) fn balance(tx: &Txn<'_>, wallet_id: i64) -> Option<i64> {
    tx.get::<Wallet>(WALLETS, &wallet_id.to_string())
        .map(|w| w.balance)
}

struct Fail(i64, String);
type R<T> = Result<T, Fail>;

fn fail(code: i64, msg: impl Into<String>) -> Fail {
    Fail(code, msg.into())
}
fn param_err(msg: impl Into<String>) -> Fail {
    fail(codes::PARAM_ERROR, msg)
}

fn envelope(code: i64, msg: &str, data: Option<Value>) -> Reply {
    let mut m = Map::new();
    m.insert("code".into(), json!(code));
    m.insert("msg".into(), json!(msg));
    if let Some(d) = data {
        m.insert("data".into(), d);
    }
    Reply::json(200, &Value::Object(m))
}

/// Replacement answers of faults (the server's framework answers errors as text).
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => {
            Reply::json(423, &json!({"code": 423, "msg": "system busy"}))
        }
        _ => Reply::json(500, &json!({"code": 500, "msg": "Internal Server Error"})),
    }
}

/// Serves one request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    const PREFIX: &str = "/wallet_server/v1/m/senior/";
    let Some(op) = req.path.strip_prefix(PREFIX) else {
        return Reply::json(
            404,
            &json!({"code": codes::UNKNOWN_ENDPOINT, "msg": "not found"}),
        );
    };
    if req.method != "POST" {
        return Reply::json(
            405,
            &json!({"code": codes::UNKNOWN_ENDPOINT, "msg": "method not allowed"}),
        );
    }
    let params: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("access_token") != Some(shared.cfg.identities.senior_access_token.as_str()) {
        return envelope(codes::TOKEN_INVALID, "access_token 无效", None);
    }
    let fresh = get("timestamp")
        .and_then(|t| t.trim().parse::<i64>().ok())
        .is_some_and(|t| (real_now_ms() / 1000 - t).abs() <= TIMESTAMP_WINDOW_S);
    if !fresh {
        return envelope(codes::TIMESTAMP_EXPIRED, "timestamp 无效或已过期", None);
    }
    if let Err(why) = shared.senior_verifier.verify(&params) {
        return envelope(codes::SIGN_INVALID, &format!("签名错误: {why}"), None);
    }
    let mut tx = shared.store.begin();
    shared.run_due(&mut tx);
    let _ = tx.commit();
    let mut tx = shared.store.begin();
    let mut cx = Cx {
        shared,
        tx: &mut tx,
        now: shared.now_ms(),
        params: &params,
    };
    let result = match op {
        "collect_sync" => collect(&mut cx),
        "agent_pay" => agent_pay(&mut cx),
        "refund" => refund(&mut cx),
        "recharge" => recharge(&mut cx),
        "withdraw" => withdraw(&mut cx),
        "sms_confirm" => sms_confirm(&mut cx),
        "sms_retry" => sms_retry(&mut cx),
        "order_query" => order_query(&mut cx),
        _ => Err(fail(codes::UNKNOWN_ENDPOINT, "unknown endpoint")),
    };
    match result {
        Ok(data) => match tx.commit() {
            Ok(()) => envelope(codes::OK, "", data),
            Err(e) => Reply::json(
                500,
                &json!({"code": 500, "msg": format!("state not saved: {e}")}),
            ),
        },
        Err(Fail(code, msg)) => envelope(code, &msg, None),
    }
}

struct Cx<'a, 't> {
    shared: &'a Shared,
    tx: &'a mut Txn<'t>,
    now: i64,
    params: &'a [(String, String)],
}

impl Cx<'_, '_> {
    fn p(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
    fn req(&self, k: &str) -> R<&str> {
        self.p(k).ok_or_else(|| param_err(format!("{k} 不能为空")))
    }
    fn int(&self, k: &str) -> R<i64> {
        self.req(k)?
            .trim()
            .parse()
            .map_err(|_| param_err(format!("{k} 必须是整数")))
    }
    fn json<T: serde::de::DeserializeOwned>(&self, k: &str) -> R<T> {
        serde_json::from_str(self.req(k)?).map_err(|e| param_err(format!("{k} 格式错误: {e}")))
    }
    fn wallet(&self, id: i64) -> R<Wallet> {
        self.tx
            .get(WALLETS, &id.to_string())
            .ok_or_else(|| fail(codes::NOT_FOUND, format!("钱包 {id} 不存在")))
    }
    fn add(&mut self, id: i64, delta: i64) -> R<()> {
        let mut w = self.wallet(id)?;
        if w.balance + delta < 0 {
            return Err(fail(codes::INSUFFICIENT_BALANCE, "余额不足"));
        }
        w.balance += delta;
        self.tx.put(WALLETS, &id.to_string(), &w);
        Ok(())
    }
    fn biz(&mut self, kind: i64, biz_no: &str) -> R<()> {
        if biz_no.is_empty() || biz_no.len() > 32 {
            return Err(param_err("biz_no 长度必须在 1 到 32 字节之间"));
        }
        let key = format!("{kind}:{biz_no}");
        if self.tx.contains(BIZ, &key) {
            return Err(fail(codes::DUPLICATE_BIZ_NO, "biz_no 重复"));
        }
        self.tx.put(BIZ, &key, &true);
        Ok(())
    }
    fn new_order(&mut self, kind: i64, wallet_id: i64, amount: i64, biz_no: &str) -> Order {
        let seq = self.tx.next_seq();
        let seq_i = i64::try_from(seq).unwrap_or(i64::MAX);
        Order {
            id: seq_i,
            order_no: format!("SW{}{seq:010}", china_compact_date(self.now)),
            kind,
            status: 2,
            amount,
            fee: 0,
            wallet_id,
            biz_no: biz_no.to_owned(),
            batch_no: format!("B{seq:012}"),
            ticket: None,
            method: String::new(),
            sms: false,
            receivers: Vec::new(),
            collect_order_no: None,
            created: self.now,
            ended: None,
            expire: None,
            refunded: false,
        }
    }
    fn ticket(&mut self, o: &mut Order) {
        let t = format!("TK{:012}", self.tx.next_seq());
        self.tx.put(TICKETS, &t, &o.order_no);
        o.ticket = Some(t);
        o.sms = true;
    }
    fn save(&mut self, o: &Order) {
        self.tx.put(ORDERS, &o.order_no, o);
    }
    fn order(&self, no: &str) -> R<Order> {
        self.tx
            .get(ORDERS, no)
            .ok_or_else(|| fail(codes::NOT_FOUND, "订单不存在"))
    }
}

fn order_json(o: &Order) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.into(), v);
    };
    put("id", json!(o.id));
    put("order_no", json!(o.order_no));
    put("amount", json!(o.amount));
    put("batch_no", json!(o.batch_no));
    if !o.biz_no.is_empty() {
        put("biz_no", json!(o.biz_no));
    }
    put("biz_tag", json!(if o.refunded { 1 } else { 2 }));
    put("create_time", json!(china_time(o.created)));
    put("curr_try_times", json!(0));
    put("start_time", json!(china_time(o.created)));
    if let Some(e) = o.ended {
        put("end_time", json!(china_time(e)));
        put("tunnel_succ_time", json!(china_time(e)));
    }
    if let Some(e) = &o.expire {
        put("expire_time", json!(e));
    }
    put("locked", json!(1));
    put("notified", json!(1));
    put("progress", json!(if o.status == 2 { 2 } else { 3 }));
    put("status", json!(o.status));
    put("tunnel_type", json!(2));
    put("tunnel_order_no", json!(format!("T{}", o.order_no)));
    put("type", json!(o.kind));
    put("wallet_id", json!(o.wallet_id));
    if let Some(t) = &o.ticket
        && o.status == 2
    {
        put("ticket", json!(t));
    }
    Value::Object(m)
}

#[derive(Deserialize)]
struct PayAmount {
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    pay_type: Option<i64>,
    #[serde(default)]
    bank_card_no: Option<String>,
}

#[derive(Deserialize)]
struct PayMethod {
    #[serde(default)]
    balance: Option<PayAmount>,
    #[serde(default)]
    wechat: Option<PayAmount>,
    #[serde(default)]
    alipay: Option<PayAmount>,
    #[serde(default)]
    code_pay: Option<PayAmount>,
    #[serde(default)]
    bank_card: Option<PayAmount>,
}

#[derive(Deserialize)]
struct Recv {
    wallet_id: i64,
    amount: i64,
}

#[derive(Deserialize)]
struct CollectReq {
    payer_wallet_id: i64,
    biz_no: String,
    amount: i64,
    #[serde(default)]
    fee: i64,
    #[serde(default)]
    validate_type: Option<i64>,
    #[serde(default)]
    expire_time: Option<String>,
    #[serde(default, alias = "receivers")]
    recievers: Vec<Recv>,
    wallet_pay_method: PayMethod,
}

fn collect(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let r: CollectReq = cx.json("collect_req")?;
    if r.amount <= 0 || r.fee < 0 {
        return Err(param_err("amount 必须大于 0, fee 不能为负"));
    }
    if r.recievers.is_empty() {
        return Err(param_err("recievers 不能为空"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut sum = 0i64;
    for x in &r.recievers {
        if x.amount <= 0 {
            return Err(param_err("收款金额必须大于 0"));
        }
        if !seen.insert(x.wallet_id) {
            return Err(param_err(format!("收款钱包 {} 重复", x.wallet_id)));
        }
        cx.wallet(x.wallet_id)?;
        sum += x.amount;
    }
    if r.amount != r.fee + sum {
        return Err(param_err(format!(
            "amount ({}) 必须等于 fee ({}) 加收款金额之和 ({sum})",
            r.amount, r.fee
        )));
    }
    if let Some(v) = r.validate_type
        && v != 1
        && v != 2
    {
        return Err(param_err("validate_type 必须是 1 (短信) 或 2 (密码)"));
    }
    if let Some(e) = &r.expire_time {
        let at = parse_china(e, false).ok_or_else(|| param_err("expire_time 格式错误"))?;
        if at < cx.now || at > cx.now + 24 * 3_600_000 {
            return Err(param_err("expire_time 必须在 24 小时之内"));
        }
    }
    let m = &r.wallet_pay_method;
    let methods: Vec<(&str, &PayAmount)> = [
        ("balance", &m.balance),
        ("wechat", &m.wechat),
        ("alipay", &m.alipay),
        ("code_pay", &m.code_pay),
        ("bank_card", &m.bank_card),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.as_ref().map(|v| (n, v)))
    .collect();
    let [(method, pay)] = methods.as_slice() else {
        return Err(param_err("wallet_pay_method 必须且只能有一种支付方式"));
    };
    if pay.amount.is_some_and(|a| a != r.amount) {
        return Err(param_err("支付方式金额必须等于 amount"));
    }
    let types: &[i64] = match *method {
        "wechat" => &[21, 22, 23, 24, 25],
        "alipay" => &[31, 32, 33],
        "code_pay" => &[41],
        "bank_card" => &[51],
        _ => &[],
    };
    if !types.is_empty() && !pay.pay_type.is_some_and(|t| types.contains(&t)) {
        return Err(param_err(format!("{method}.pay_type 不正确")));
    }
    if *method == "bank_card" && pay.bank_card_no.as_deref().is_none_or(str::is_empty) {
        return Err(param_err("bank_card.bank_card_no 不能为空"));
    }
    cx.wallet(r.payer_wallet_id)?;
    cx.biz(4, &r.biz_no)?;
    let mut o = cx.new_order(4, r.payer_wallet_id, r.amount, &r.biz_no);
    o.fee = r.fee;
    o.method = (*method).to_owned();
    o.expire = r.expire_time.clone();
    o.receivers = r
        .recievers
        .iter()
        .map(|x| Receiver {
            wallet_id: x.wallet_id,
            amount: x.amount,
            remaining: x.amount,
        })
        .collect();
    let mut extra = Map::new();
    match *method {
        "balance" => {
            cx.add(r.payer_wallet_id, -r.amount)?;
            o.status = 3;
            o.ended = Some(cx.now);
            extra.insert(
                "signed_params".into(),
                json!(format!("sandbox-signed-params-{}", o.order_no)),
            );
        }
        "bank_card" => cx.ticket(&mut o),
        _ => {
            extra.insert(
                "pay_info".into(),
                json!(format!("sandbox://pay/{}", o.order_no)),
            );
            let delay = i64::try_from(cx.shared.cfg.delays.senior_channel.as_millis()).unwrap_or(0);
            schedule(
                cx.tx,
                cx.now + delay,
                AnyJob::Senior(Job::ChannelPaid {
                    order_no: o.order_no.clone(),
                }),
            );
        }
    }
    cx.save(&o);
    let mut v = order_json(&o);
    if let Some(obj) = v.as_object_mut() {
        obj.extend(extra);
        obj.insert("trade_no".into(), json!(o.order_no));
    }
    Ok(Some(v))
}

fn paid_collect(cx: &Cx<'_, '_>, no: &str) -> R<Order> {
    let c = cx.order(no)?;
    if c.kind != 4 {
        return Err(param_err("collect_order_no 不是代收单"));
    }
    if c.status != 3 {
        return Err(fail(codes::INVALID_STATUS, "代收单未成功"));
    }
    Ok(c)
}

fn agent_pay(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct Req {
        wallet_id: i64,
        amount: i64,
        #[serde(default)]
        fee_amount: Option<i64>,
    }
    let biz_no = cx.req("biz_no")?.to_owned();
    let collect_no = cx.req("collect_order_no")?.to_owned();
    let r: Req = cx.json("agent_pay_req")?;
    let fee = r.fee_amount.unwrap_or(0);
    if r.amount <= 0 || fee < 0 || fee > r.amount {
        return Err(param_err("amount 必须大于 0 且 fee_amount 不能超过 amount"));
    }
    let mut c = paid_collect(cx, &collect_no)?;
    let Some(recv) = c.receivers.iter_mut().find(|x| x.wallet_id == r.wallet_id) else {
        return Err(param_err(format!(
            "钱包 {} 不是该代收单的收款方",
            r.wallet_id
        )));
    };
    if r.amount > recv.remaining {
        return Err(param_err(format!(
            "代付金额 {} 超过可代付金额 {}",
            r.amount, recv.remaining
        )));
    }
    recv.remaining -= r.amount;
    cx.biz(5, &biz_no)?;
    cx.add(r.wallet_id, r.amount - fee)?;
    cx.save(&c);
    let mut o = cx.new_order(5, r.wallet_id, r.amount, &biz_no);
    o.fee = fee;
    o.status = 3;
    o.ended = Some(cx.now);
    o.collect_order_no = Some(collect_no.clone());
    cx.save(&o);
    let clearing = json!({
        "amount": r.amount,
        "collect_info_id": c.id,
        "collect_order_no": collect_no,
        "create_time": china_time(cx.now),
        "id": o.id,
        "order_id": o.id,
        "payee_wallet_id": r.wallet_id,
    });
    Ok(Some(json!({"clearing": clearing, "order": order_json(&o)})))
}

fn refund(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let biz_no = cx.req("biz_no")?.to_owned();
    let collect_no = cx.req("collect_order_no")?.to_owned();
    let list: Vec<Recv> = cx.json("refund_list")?;
    if list.is_empty() {
        return Err(param_err("refund_list 不能为空"));
    }
    let mut c = paid_collect(cx, &collect_no)?;
    let mut total = 0;
    for x in &list {
        if x.amount <= 0 {
            return Err(param_err("退款金额必须大于 0"));
        }
        let Some(recv) = c.receivers.iter_mut().find(|r| r.wallet_id == x.wallet_id) else {
            return Err(param_err(format!(
                "钱包 {} 不是该代收单的收款方",
                x.wallet_id
            )));
        };
        if x.amount > recv.remaining {
            return Err(param_err(format!(
                "退款金额 {} 超过可退金额 {}",
                x.amount, recv.remaining
            )));
        }
        recv.remaining -= x.amount;
        total += x.amount;
    }
    cx.biz(6, &biz_no)?;
    c.refunded = true;
    cx.save(&c);
    if c.method == "balance" {
        cx.add(c.wallet_id, total)?;
    }
    let mut o = cx.new_order(6, c.wallet_id, total, &biz_no);
    o.status = 3;
    o.ended = Some(cx.now);
    o.collect_order_no = Some(collect_no);
    cx.save(&o);
    Ok(Some(order_json(&o)))
}

fn recharge(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let amount = cx.int("amount")?;
    cx.req("card_id")?;
    let wallet_id = cx.int("wallet_id")?;
    if amount <= 0 {
        return Err(param_err("amount 必须大于 0"));
    }
    cx.wallet(wallet_id)?;
    let mut o = cx.new_order(2, wallet_id, amount, "");
    o.method = "card".into();
    cx.ticket(&mut o);
    cx.save(&o);
    let mut v = order_json(&o);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("sms_confirm".into(), json!(1));
        obj.insert("trade_no".into(), json!(o.order_no));
    }
    Ok(Some(v))
}

fn withdraw(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let amount = cx.int("amount")?;
    cx.req("card_id")?;
    cx.req("customer_ip")?;
    cx.req("jump_url")?;
    let wallet_id = cx.int("wallet_id")?;
    if amount <= 0 {
        return Err(param_err("amount 必须大于 0"));
    }
    if cx.wallet(wallet_id)?.balance < amount {
        return Err(fail(codes::INSUFFICIENT_BALANCE, "余额不足"));
    }
    let mut o = cx.new_order(3, wallet_id, amount, "");
    o.method = "card".into();
    cx.ticket(&mut o);
    cx.save(&o);
    Ok(Some(order_json(&o)))
}

fn ticket_order(cx: &Cx<'_, '_>) -> R<Order> {
    let t = cx.req("ticket")?;
    let no: String = cx
        .tx
        .get(TICKETS, t)
        .ok_or_else(|| fail(codes::NOT_FOUND, "ticket 不存在"))?;
    let o = cx.order(&no)?;
    if o.status != 2 || !o.sms {
        return Err(fail(codes::INVALID_STATUS, "订单不在待确认状态"));
    }
    Ok(o)
}

fn sms_confirm(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    cx.req("customer_ip")?;
    let code = cx.req("verify_code")?.to_owned();
    let mut o = ticket_order(cx)?;
    if code != cx.shared.cfg.identities.senior_sms_code {
        return Err(fail(codes::SMS_CODE_WRONG, "短信验证码错误"));
    }
    match o.kind {
        2 => cx.add(o.wallet_id, o.amount)?,
        3 => cx.add(o.wallet_id, -o.amount)?,
        _ => {}
    }
    o.status = 3;
    o.ended = Some(cx.now);
    cx.save(&o);
    Ok(None)
}

fn sms_retry(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    ticket_order(cx)?;
    Ok(None)
}

fn order_query(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let no = cx.req("order_no")?.to_owned();
    Ok(Some(order_json(&cx.order(&no)?)))
}

pub(crate) fn run_job(_shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    let Job::ChannelPaid { order_no } = job;
    let Some(mut o) = tx.get::<Order>(ORDERS, &order_no) else {
        return;
    };
    if o.status == 2 {
        o.status = 3;
        o.ended = Some(due);
        tx.put(ORDERS, &order_no, &o);
    }
}
