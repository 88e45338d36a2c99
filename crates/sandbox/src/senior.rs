//! The simulated senior wallet server (`/wallet_server/v1/m/senior/*`),
//! built on the client crate's own wire types (its `server` feature):
//! requests are routed by `walletbridge_wallet_senior::endpoints::ALL`, read
//! with `envelope::RequestForm` into the crate's request types, and answered
//! with the crate's answer models through its envelope encoders. What the
//! sandbox keeps of its own is its state (wallets, orders, tickets) and its
//! rules.
//!
//! Protocol (PROTOCOL-NOTES, senior wallet): every endpoint is a form POST
//! carrying `access_token` (the configured token), `timestamp` (unix
//! seconds, within 5 minutes of the system clock) and `sign`. The signing
//! algorithm is deployment-specific: the sandbox checks it through a
//! [`SeniorVerifier`], by default [`SandboxHmacVerifier`] — a scheme that
//! exists only in the sandbox, the client crate's [`SandboxHmacSigner`]
//! (one routine for both sides): HMAC-SHA256 with a shared secret over every
//! parameter except `sign`, sorted by key, written `k=v` (raw, undecoded
//! values) and joined with `&`, as lower-case hex.
//!
//! Answers are `{"code":1001,"msg":"","data":{...}}`; amounts are integers
//! in fen. Error codes (the provider's pages do not list them; these are the
//! sandbox's): see [`codes`].

use serde::{Deserialize, Serialize};
use walletbridge_core::date::{self, DateTime};
use walletbridge_wallet_senior::collect::{
    CreateAgentPay, CreateCollect, CreateRefund, WalletPayMethod,
};
use walletbridge_wallet_senior::endpoints::{self, Endpoint};
use walletbridge_wallet_senior::envelope::{self, RequestForm};
use walletbridge_wallet_senior::models::{
    AgentPayAnswer, BizTag, Clearing, CollectAnswer, LockState, NotifyState, OrderType, Progress,
    RechargeAnswer, Ticket, TunnelType, WithdrawAnswer,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::{ConfirmSms, ResendSms};
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Fen, OrderStatus, SandboxHmacSigner, WalletOrder};

use crate::runtime::{Job as AnyJob, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, china_compact_date, china_time, parse_china, real_now_ms};

/// The senior wallet's answer codes used by the sandbox.
pub mod codes {
    /// Success.
    pub const OK: i64 = walletbridge_wallet_senior::envelope::SUCCESS_CODE;
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

/// The sandbox-only signing scheme, checked with the client crate's own
/// [`SandboxHmacSigner`] (one canonical string and MAC for both sides):
/// HMAC-SHA256 with a shared secret over every parameter except `sign`,
/// sorted by key, written `k=v` and joined with `&`, as hex. Not the
/// provider's scheme (which is not public): use it only against the sandbox.
#[derive(Clone)]
pub struct SandboxHmacVerifier {
    signer: SandboxHmacSigner,
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
            signer: SandboxHmacSigner::new(secret.into()),
        }
    }

    /// The signature of `params` (a `sign` among them is ignored).
    pub fn sign(&self, params: &[(String, String)]) -> String {
        self.signer.sign_params(params).unwrap_or_default()
    }
}

/// The sandbox scheme's signature of `params` with `secret`: the client
/// crate's [`SandboxHmacSigner::sign_params`], kept under this name for
/// tests that build requests by hand.
pub fn sandbox_sign(secret: &str, params: &[(String, String)]) -> String {
    SandboxHmacSigner::new(secret)
        .sign_params(params)
        .unwrap_or_default()
}

impl SeniorVerifier for SandboxHmacVerifier {
    fn verify(&self, params: &[(String, String)]) -> Result<(), String> {
        if self.signer.verify(params) {
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

/// Text a rule requires: not empty.
fn required(value: &str, name: &str) -> R<()> {
    if value.is_empty() {
        return Err(param_err(format!("{name} 不能为空")));
    }
    Ok(())
}

/// An answer written by the crate's envelope encoders.
fn answer(status: u16, body: Vec<u8>) -> Reply {
    Reply::json_bytes(status, body)
}

fn error(code: i64, msg: &str) -> Reply {
    answer(200, envelope::encode_error(code, msg))
}

/// A successful answer carrying one of the crate's answer models.
fn data<T: Serialize>(model: &T) -> R<Vec<u8>> {
    envelope::encode_success(model).map_err(|e| fail(500, format!("answer not written: {e}")))
}

/// Replacement answers of faults (the server's framework answers errors as text).
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => {
            answer(423, envelope::encode_error(423, "system busy"))
        }
        _ => answer(500, envelope::encode_error(500, "Internal Server Error")),
    }
}

type Handler = fn(&mut Cx<'_, '_>) -> R<Vec<u8>>;

/// The handler of each endpoint of the crate's table.
fn route(ep: &Endpoint) -> Option<Handler> {
    let routes: [(Endpoint, Handler); 8] = [
        (endpoints::AGENT_PAY, agent_pay),
        (endpoints::COLLECT_SYNC, collect),
        (endpoints::ORDER_QUERY, order_query),
        (endpoints::RECHARGE, recharge),
        (endpoints::REFUND, refund),
        (endpoints::SMS_CONFIRM, sms_confirm),
        (endpoints::SMS_RETRY, sms_retry),
        (endpoints::WITHDRAW, withdraw),
    ];
    routes.into_iter().find(|(e, _)| e == ep).map(|(_, h)| h)
}

/// Serves one request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let Some(handler) = endpoints::route(&req.method, &req.path).and_then(route) else {
        let (status, msg) = if endpoints::ALL.iter().any(|e| e.path == req.path) {
            (405, "method not allowed")
        } else {
            (404, "not found")
        };
        return answer(status, envelope::encode_error(codes::UNKNOWN_ENDPOINT, msg));
    };
    let form = RequestForm::parse(&req.body);
    let token_ok = form
        .access_token()
        .is_some_and(|t| *t.expose() == shared.cfg.identities.senior_access_token);
    if !token_ok {
        return error(codes::TOKEN_INVALID, "access_token 无效");
    }
    let fresh = form
        .timestamp()
        .is_some_and(|t| (real_now_ms() / 1000 - t).abs() <= TIMESTAMP_WINDOW_S);
    if !fresh {
        return error(codes::TIMESTAMP_EXPIRED, "timestamp 无效或已过期");
    }
    if form.sign().is_none_or(|s| s.trim().is_empty()) {
        return error(codes::SIGN_INVALID, "签名错误: sign is missing");
    }
    if let Err(why) = shared.senior_verifier.verify(form.params()) {
        return error(codes::SIGN_INVALID, &format!("签名错误: {why}"));
    }
    let mut tx = shared.store.begin();
    shared.run_due(&mut tx);
    let _ = tx.commit();
    let mut tx = shared.store.begin();
    let mut cx = Cx {
        shared,
        tx: &mut tx,
        now: shared.now_ms(),
        form: &form,
    };
    match handler(&mut cx) {
        Ok(body) => match tx.commit() {
            Ok(()) => answer(200, body),
            Err(e) => answer(
                500,
                envelope::encode_error(500, &format!("state not saved: {e}")),
            ),
        },
        Err(Fail(code, msg)) => error(code, &msg),
    }
}

struct Cx<'a, 't> {
    shared: &'a Shared,
    tx: &'a mut Txn<'t>,
    now: i64,
    form: &'a RequestForm,
}

impl Cx<'_, '_> {
    /// The call's fields as the crate's request type; a missing or
    /// malformed field is named in the error.
    fn decode<T: serde::de::DeserializeOwned>(&self) -> R<T> {
        self.form
            .decode()
            .map_err(|e| param_err(format!("参数错误: {e}")))
    }
    fn wallet(&self, id: i64) -> R<Wallet> {
        self.tx
            .get(WALLETS, &id.to_string())
            .ok_or_else(|| fail(codes::NOT_FOUND, format!("钱包 {id} 不存在")))
    }
    fn add(&mut self, id: i64, delta: i64) -> R<()> {
        let mut w = self.wallet(id)?;
        let Some(next) = w.balance.checked_add(delta) else {
            return Err(param_err("金额超出范围"));
        };
        if next < 0 {
            return Err(fail(codes::INSUFFICIENT_BALANCE, "余额不足"));
        }
        w.balance = next;
        self.tx.put(WALLETS, &id.to_string(), &w);
        Ok(())
    }
    fn biz(&mut self, kind: OrderType, biz_no: &str) -> R<()> {
        if biz_no.is_empty() || biz_no.len() > 32 {
            return Err(param_err("biz_no 长度必须在 1 到 32 字节之间"));
        }
        let key = format!("{}:{biz_no}", kind.code());
        if self.tx.contains(BIZ, &key) {
            return Err(fail(codes::DUPLICATE_BIZ_NO, "biz_no 重复"));
        }
        self.tx.put(BIZ, &key, &true);
        Ok(())
    }
    fn new_order(&mut self, kind: OrderType, wallet_id: i64, amount: i64, biz_no: &str) -> Order {
        let seq = self.tx.next_seq();
        let seq_i = i64::try_from(seq).unwrap_or(i64::MAX);
        Order {
            id: seq_i,
            order_no: format!("SW{}{seq:010}", china_compact_date(self.now)),
            kind: kind.code(),
            status: OrderStatus::InProgress.code(),
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

impl Order {
    fn is(&self, kind: OrderType) -> bool {
        self.kind == kind.code()
    }
    fn in_progress(&self) -> bool {
        self.status == OrderStatus::InProgress.code()
    }
    fn succeed(&mut self, at: i64) {
        self.status = OrderStatus::Success.code();
        self.ended = Some(at);
    }
    /// The ticket, while the order waits for it.
    fn open_ticket(&self) -> Option<Ticket> {
        self.ticket
            .as_deref()
            .filter(|_| self.in_progress())
            .map(Ticket::new)
    }
}

/// A sandbox time (milliseconds) as the crate's time.
fn time(ms: i64) -> Option<DateTime> {
    date::from_unix_seconds(ms.div_euclid(1000)).ok()
}

/// The order as the crate's answer model.
fn order_model(o: &Order) -> WalletOrder {
    let mut m = WalletOrder::default();
    m.id = Some(o.id.to_string());
    m.order_no = Some(o.order_no.clone());
    m.amount = Some(Fen(o.amount));
    m.batch_no = Some(o.batch_no.clone());
    m.biz_no = Some(o.biz_no.clone()).filter(|b| !b.is_empty());
    m.biz_tag = Some(if o.refunded {
        BizTag::Refunded
    } else {
        BizTag::Booked
    });
    m.create_time = time(o.created);
    m.curr_try_times = Some(0);
    m.start_time = time(o.created);
    if let Some(e) = o.ended {
        m.end_time = time(e);
        m.tunnel_succ_time = time(e);
    }
    m.expire_time = o
        .expire
        .as_deref()
        .and_then(|e| parse_china(e, false))
        .and_then(time);
    m.locked = Some(LockState::Unlocked);
    m.notified = Some(NotifyState::Technical);
    m.progress = Some(if o.in_progress() {
        Progress::Sent
    } else {
        Progress::ResultReceived
    });
    m.status = Some(OrderStatus::from(o.status));
    m.tunnel_type = Some(TunnelType::AllinpayYunst);
    m.tunnel_order_no = Some(format!("T{}", o.order_no));
    m.order_type = Some(OrderType::from(o.kind));
    m.wallet_id = Some(o.wallet_id);
    m
}

/// The sandbox's name of a pay method (its own state), the amount it funds,
/// and whether its `pay_type` is one the page lists (a balance has none).
fn pay_method(m: &WalletPayMethod) -> R<(&'static str, Fen, bool)> {
    Ok(match m {
        WalletPayMethod::Balance(p) => ("balance", p.amount, true),
        WalletPayMethod::Wechat(p) => ("wechat", p.amount, !p.pay_type.is_other()),
        WalletPayMethod::Alipay(p) => ("alipay", p.amount, !p.pay_type.is_other()),
        WalletPayMethod::CodePay(p) => ("code_pay", p.amount, !p.pay_type.is_other()),
        WalletPayMethod::BankCard(p) => {
            if p.bank_card_no.is_empty() {
                return Err(param_err("bank_card.bank_card_no 不能为空"));
            }
            ("bank_card", p.amount, !p.pay_type.is_other())
        }
        _ => return Err(param_err("wallet_pay_method 不支持该支付方式")),
    })
}

fn collect(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: CreateCollect = cx.decode()?;
    if r.amount.get() <= 0 || r.fee.get() < 0 {
        return Err(param_err("amount 必须大于 0, fee 不能为负"));
    }
    if r.receivers.is_empty() {
        return Err(param_err("recievers 不能为空"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut sum = 0i64;
    for x in &r.receivers {
        if x.amount.get() <= 0 {
            return Err(param_err("收款金额必须大于 0"));
        }
        if !seen.insert(x.wallet_id) {
            return Err(param_err(format!("收款钱包 {} 重复", x.wallet_id)));
        }
        cx.wallet(x.wallet_id)?;
        sum = sum.saturating_add(x.amount.get());
    }
    if Some(r.amount.get()) != r.fee.get().checked_add(sum) {
        return Err(param_err(format!(
            "amount ({}) 必须等于 fee ({}) 加收款金额之和 ({sum})",
            r.amount.get(),
            r.fee.get()
        )));
    }
    if r.validate_type.is_some_and(|v| v.is_other()) {
        return Err(param_err("validate_type 必须是 1 (短信) 或 2 (密码)"));
    }
    let mut expire = None;
    if let Some(at) = r.expire_time {
        let at = at.unix_timestamp().saturating_mul(1000);
        if at < cx.now || at > cx.now + 24 * 3_600_000 {
            return Err(param_err("expire_time 必须在 24 小时之内"));
        }
        expire = Some(china_time(at));
    }
    let (method, pay_amount, known_pay_type) = pay_method(&r.wallet_pay_method)?;
    if pay_amount != r.amount {
        return Err(param_err("支付方式金额必须等于 amount"));
    }
    if !known_pay_type {
        return Err(param_err(format!("{method}.pay_type 不正确")));
    }
    cx.wallet(r.payer_wallet_id)?;
    cx.biz(OrderType::Collect, &r.biz_no)?;
    let amount = r.amount.get();
    let mut o = cx.new_order(OrderType::Collect, r.payer_wallet_id, amount, &r.biz_no);
    o.fee = r.fee.get();
    o.method = method.to_owned();
    o.expire = expire;
    o.receivers = r
        .receivers
        .iter()
        .map(|x| Receiver {
            wallet_id: x.wallet_id,
            amount: x.amount.get(),
            remaining: x.amount.get(),
        })
        .collect();
    let mut a = CollectAnswer::default();
    match method {
        "balance" => {
            cx.add(r.payer_wallet_id, -amount)?;
            o.succeed(cx.now);
            a.signed_params = Some(format!("sandbox-signed-params-{}", o.order_no));
        }
        "bank_card" => cx.ticket(&mut o),
        _ => {
            a.pay_info = Some(format!("sandbox://pay/{}", o.order_no));
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
    a.order = order_model(&o);
    a.ticket = o.open_ticket();
    a.trade_no = Some(o.order_no.clone());
    data(&a)
}

fn paid_collect(cx: &Cx<'_, '_>, no: &str) -> R<Order> {
    let c = cx.order(no)?;
    if !c.is(OrderType::Collect) {
        return Err(param_err("collect_order_no 不是代收单"));
    }
    if c.status != OrderStatus::Success.code() {
        return Err(fail(codes::INVALID_STATUS, "代收单未成功"));
    }
    Ok(c)
}

fn agent_pay(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: CreateAgentPay = cx.decode()?;
    required(&r.biz_no, "biz_no")?;
    required(&r.collect_order_no, "collect_order_no")?;
    let (wallet_id, amount) = (r.receiver.wallet_id, r.receiver.amount.get());
    let fee = r.receiver.fee_amount.map_or(0, Fen::get);
    if amount <= 0 || fee < 0 || fee > amount {
        return Err(param_err("amount 必须大于 0 且 fee_amount 不能超过 amount"));
    }
    let mut c = paid_collect(cx, &r.collect_order_no)?;
    let Some(recv) = c.receivers.iter_mut().find(|x| x.wallet_id == wallet_id) else {
        return Err(param_err(format!("钱包 {wallet_id} 不是该代收单的收款方")));
    };
    if amount > recv.remaining {
        return Err(param_err(format!(
            "代付金额 {amount} 超过可代付金额 {}",
            recv.remaining
        )));
    }
    recv.remaining -= amount;
    cx.biz(OrderType::AgentPay, &r.biz_no)?;
    cx.add(wallet_id, amount - fee)?;
    cx.save(&c);
    let mut o = cx.new_order(OrderType::AgentPay, wallet_id, amount, &r.biz_no);
    o.fee = fee;
    o.succeed(cx.now);
    o.collect_order_no = Some(r.collect_order_no.clone());
    cx.save(&o);
    let mut clearing = Clearing::default();
    clearing.amount = Some(Fen(amount));
    clearing.collect_info_id = Some(c.id.to_string());
    clearing.collect_order_no = Some(r.collect_order_no);
    clearing.create_time = time(cx.now);
    clearing.id = Some(o.id.to_string());
    clearing.order_id = Some(o.id.to_string());
    clearing.payee_wallet_id = Some(wallet_id);
    let mut a = AgentPayAnswer::default();
    a.clearing = Some(clearing);
    a.order = Some(order_model(&o));
    data(&a)
}

fn refund(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: CreateRefund = cx.decode()?;
    required(&r.biz_no, "biz_no")?;
    required(&r.collect_order_no, "collect_order_no")?;
    if r.refund_list.is_empty() {
        return Err(param_err("refund_list 不能为空"));
    }
    let mut c = paid_collect(cx, &r.collect_order_no)?;
    let mut total = 0i64;
    for x in &r.refund_list {
        let amount = x.amount.get();
        if amount <= 0 {
            return Err(param_err("退款金额必须大于 0"));
        }
        let Some(recv) = c.receivers.iter_mut().find(|v| v.wallet_id == x.wallet_id) else {
            return Err(param_err(format!(
                "钱包 {} 不是该代收单的收款方",
                x.wallet_id
            )));
        };
        if amount > recv.remaining {
            return Err(param_err(format!(
                "退款金额 {amount} 超过可退金额 {}",
                recv.remaining
            )));
        }
        recv.remaining -= amount;
        total += amount;
    }
    cx.biz(OrderType::Refund, &r.biz_no)?;
    c.refunded = true;
    cx.save(&c);
    if c.method == "balance" {
        cx.add(c.wallet_id, total)?;
    }
    let mut o = cx.new_order(OrderType::Refund, c.wallet_id, total, &r.biz_no);
    o.succeed(cx.now);
    o.collect_order_no = Some(r.collect_order_no);
    cx.save(&o);
    data(&order_model(&o))
}

fn recharge(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: CreateRecharge = cx.decode()?;
    required(&r.card_id, "card_id")?;
    if r.amount.get() <= 0 {
        return Err(param_err("amount 必须大于 0"));
    }
    cx.wallet(r.wallet_id)?;
    let mut o = cx.new_order(OrderType::Recharge, r.wallet_id, r.amount.get(), "");
    o.method = "card".into();
    cx.ticket(&mut o);
    cx.save(&o);
    let mut a = RechargeAnswer::default();
    a.order = order_model(&o);
    a.ticket = o.open_ticket();
    a.sms_confirm = Some(true);
    a.trade_no = Some(o.order_no.clone());
    data(&a)
}

fn withdraw(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: CreateWithdrawal = cx.decode()?;
    required(&r.card_id, "card_id")?;
    required(&r.customer_ip, "customer_ip")?;
    required(&r.jump_url, "jump_url")?;
    let amount = r.amount.get();
    if amount <= 0 {
        return Err(param_err("amount 必须大于 0"));
    }
    if cx.wallet(r.wallet_id)?.balance < amount {
        return Err(fail(codes::INSUFFICIENT_BALANCE, "余额不足"));
    }
    let mut o = cx.new_order(OrderType::Withdraw, r.wallet_id, amount, "");
    o.method = "card".into();
    cx.ticket(&mut o);
    cx.save(&o);
    let mut a = WithdrawAnswer::default();
    a.order = order_model(&o);
    a.ticket = o.open_ticket();
    data(&a)
}

fn ticket_order(cx: &Cx<'_, '_>, ticket: &Ticket) -> R<Order> {
    required(ticket.as_str(), "ticket")?;
    let no: String = cx
        .tx
        .get(TICKETS, ticket.as_str())
        .ok_or_else(|| fail(codes::NOT_FOUND, "ticket 不存在"))?;
    let o = cx.order(&no)?;
    if !o.in_progress() || !o.sms {
        return Err(fail(codes::INVALID_STATUS, "订单不在待确认状态"));
    }
    Ok(o)
}

fn sms_confirm(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: ConfirmSms = cx.decode()?;
    required(&r.customer_ip, "customer_ip")?;
    required(&r.verify_code, "verify_code")?;
    let mut o = ticket_order(cx, &r.ticket)?;
    if r.verify_code != cx.shared.cfg.identities.senior_sms_code {
        return Err(fail(codes::SMS_CODE_WRONG, "短信验证码错误"));
    }
    if o.is(OrderType::Recharge) {
        cx.add(o.wallet_id, o.amount)?;
    } else if o.is(OrderType::Withdraw) {
        cx.add(o.wallet_id, -o.amount)?;
    }
    o.succeed(cx.now);
    cx.save(&o);
    Ok(envelope::encode_ack())
}

fn sms_retry(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: ResendSms = cx.decode()?;
    ticket_order(cx, &r.ticket)?;
    Ok(envelope::encode_ack())
}

fn order_query(cx: &mut Cx<'_, '_>) -> R<Vec<u8>> {
    let r: OrderQuery = cx.decode()?;
    required(&r.order_no, "order_no")?;
    data(&order_model(&cx.order(&r.order_no)?))
}

pub(crate) fn run_job(_shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    let Job::ChannelPaid { order_no } = job;
    let Some(mut o) = tx.get::<Order>(ORDERS, &order_no) else {
        return;
    };
    if o.in_progress() {
        o.succeed(due);
        tx.put(ORDERS, &order_no, &o);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_of_the_crate_has_a_handler() {
        for ep in endpoints::ALL {
            assert!(route(ep).is_some(), "{}", ep.path);
        }
    }
}
