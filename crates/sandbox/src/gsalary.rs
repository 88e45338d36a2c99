//! The simulated GSalary open API.
//!
//! Protocol (PROTOCOL-NOTES, GSalary): every request must carry `X-Appid`
//! (the configured appid) and `Authorization: algorithm=RSA2,time=...,signature=...`
//! signed with the merchant key over `METHOD path?query` (query values
//! percent-decoded, as the platform verifies), the appid, the time and the
//! base64 SHA-256 of the exact body bytes received; the time must be within
//! 5 minutes of the system clock. A request that fails any check is refused
//! with HTTP 403 `FORBIDDEN` (400 `MISSING_ARGUMENT` when a header is
//! absent), unsigned. Every other answer, 2xx or business error, is signed
//! with the platform key over the request's own method and decoded path,
//! exactly as the client verifies it.
//!
//! Paths are served under `/v1`; the acquiring paths under
//! `/gateway/v1/acquiring/...` with or without an extra `/v1` in front.

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use walletbridge_gsalary::signing;

use crate::config::Provider;
use crate::runtime::{Delivery, Job as AnyJob, Payload, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, iso, num, page_of, parse_iso, real_now_ms, round, total_pages};

/// How far a request's signed time may be from the system clock.
pub const REQUEST_WINDOW_MS: i64 = 5 * 60 * 1000;

/// The fixed code that activates any assigned physical card (sent in the
/// `CARD_ACTIVATION_CODE` webhook too).
pub const ACTIVATION_CODE: &str = "123456";

/// A remittance quote whose `remark` is this fails (`REMITTANCE_FAIL`) and
/// is refunded, instead of completing.
pub const FAIL_REMARK: &str = "SANDBOX FAIL";

const W: &str = "gs_wallets";
const WTXN: &str = "gs_wallet_txns";
const HOLDERS: &str = "gs_holders";
const APPLIES: &str = "gs_card_applies";
const CARDS: &str = "gs_cards";
const MODIFIES: &str = "gs_balance_modifies";
const CARD_HIST: &str = "gs_card_history";
const CARD_TXNS: &str = "gs_card_txns";
const PAYEES: &str = "gs_payees";
const ACCOUNTS: &str = "gs_accounts";
const PAYERS: &str = "gs_payers";
const ATTACHMENTS: &str = "gs_attachments";
const QUOTES: &str = "gs_quotes";
const REMIT: &str = "gs_remittance_orders";
const EXORDERS: &str = "gs_exchange_orders";
const EXREQ: &str = "gs_exchange_requests";
const ACQ: &str = "gs_acquiring";

/// Wallet balances every sandbox starts with.
pub const STARTING_BALANCES: [(&str, i64); 4] = [
    ("USD", 10_000_000),
    ("CNY", 50_000_000),
    ("HKD", 10_000_000),
    ("EUR", 5_000_000),
];

/// Units of each currency for one USD: the sandbox's fixed rates.
const PER_USD: [(&str, i64, u32); 9] = [
    ("USD", 1, 0),
    ("CNY", 72, 1),
    ("HKD", 78, 1),
    ("EUR", 92, 2),
    ("GBP", 79, 2),
    ("SGD", 135, 2),
    ("JPY", 150, 0),
    ("IDR", 16000, 0),
    ("PHP", 58, 0),
];

/// An error answer.
#[derive(Debug)]
pub(crate) struct GsError {
    status: u16,
    code: &'static str,
    message: String,
    biz: &'static str,
}

type R<T> = Result<T, GsError>;

fn err(status: u16, code: &'static str, message: impl Into<String>) -> GsError {
    GsError {
        status,
        code,
        message: message.into(),
        biz: "F",
    }
}
fn bad(code: &'static str, message: impl Into<String>) -> GsError {
    err(400, code, message)
}
fn invalid(message: impl Into<String>) -> GsError {
    bad("INVALID_ARGUMENT", message)
}
fn missing(field: &str) -> GsError {
    bad("MISSING_ARGUMENT", format!("`{field}` is required"))
}
fn not_found(what: impl Into<String>) -> GsError {
    err(404, "NOT_FOUND", what)
}
fn status_error(message: impl Into<String>) -> GsError {
    bad("INVALID_STATUS", message)
}
fn insufficient(currency: &str) -> GsError {
    bad(
        "INSUFFICIENT_BALANCE",
        format!("insufficient {currency} balance"),
    )
}

pub(crate) fn error_body(code: &str, message: &str, biz: &str) -> Value {
    json!({"biz_result": biz, "error_code": code, "message": message})
}

// ---------------------------------------------------------------- records

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Wallet {
    currency: String,
    amount: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct WalletTxn {
    transaction_id: String,
    txn_type: String,
    currency: String,
    amount: Decimal,
    balance: Decimal,
    at: i64,
    description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Holder {
    card_holder_id: String,
    at: i64,
    fields: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Apply {
    request_id: String,
    status: String,
    at: i64,
    card_id: Option<String>,
    product_code: String,
    currency: String,
    card_holder_id: String,
    limit_per_day: Option<Decimal>,
    limit_per_month: Option<Decimal>,
    limit_per_transaction: Option<Decimal>,
    init_balance: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Card {
    card_id: String,
    card_holder_id: String,
    product_code: String,
    currency: String,
    balance: Decimal,
    limit_per_day: Option<Decimal>,
    limit_per_month: Option<Decimal>,
    limit_per_transaction: Option<Decimal>,
    status: String,
    card_type: String,
    brand: String,
    card_name: Option<String>,
    email: Option<String>,
    pan: String,
    cvv: String,
    expire_year: String,
    expire_month: String,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Modify {
    gsalary_request_id: String,
    request_id: String,
    card_id: String,
    status: String,
    at: i64,
    amount: Decimal,
    kind: String,
    post_balance: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CardHistory {
    log_id: String,
    card_id: String,
    transaction_id: String,
    biz_type: String,
    currency: String,
    amount: Decimal,
    post_balance: Decimal,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payee {
    payee_id: String,
    active: bool,
    currency: String,
    fields: Map<String, Value>,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Account {
    account_id: String,
    payee_id: String,
    payment_method: String,
    currencies: Vec<String>,
    account_no: Option<String>,
    status: String,
    require_clearing_network: bool,
    form_fields: Vec<Value>,
    removed: bool,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payer {
    payer_id: String,
    fields: Map<String, Value>,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Quote {
    quote_id: String,
    remittance: bool,
    pay_currency: String,
    pay_amount: Decimal,
    receive_currency: String,
    receive_amount: Decimal,
    surcharge: Decimal,
    rate: Decimal,
    expire_at: i64,
    used: bool,
    payee_id: Option<String>,
    payee_account_id: Option<String>,
    payer_id: Option<String>,
    payment_method: Option<String>,
    remark: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RemitOrder {
    order_id: String,
    client_order_id: String,
    quote_id: String,
    status: String,
    at: i64,
    finish_at: Option<i64>,
    payee_id: Option<String>,
    payee_account_id: Option<String>,
    payer_id: Option<String>,
    payment_method: Option<String>,
    pay_currency: String,
    pay_amount: Decimal,
    receive_currency: String,
    receive_amount: Decimal,
    surcharge: Decimal,
    rate: Decimal,
    fail: bool,
    error_message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExOrder {
    order_id: String,
    request_id: String,
    quote_id: String,
    status: String,
    sell_currency: String,
    sell_amount: Decimal,
    buy_currency: String,
    buy_amount: Decimal,
    rate: Decimal,
    at: i64,
}

/// The due steps of GSalary.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Job {
    CardIssue { request_id: String },
    AccountActive { account_id: String },
    Remittance { order_id: String },
}

// ---------------------------------------------------------------- seeding and admin

pub(crate) fn seed(tx: &mut Txn<'_>, now: i64) {
    for (cur, cents) in STARTING_BALANCES {
        set_wallet(tx, cur, Decimal::new(cents, 2));
    }
    let _ = now;
}

fn set_wallet(tx: &mut Txn<'_>, currency: &str, amount: Decimal) {
    tx.put(
        W,
        currency,
        &Wallet {
            currency: currency.to_owned(),
            amount,
        },
    );
}

/// Admin: sets a wallet balance (recorded as a `BALANCE_RECHARGE` or
/// `OTHER` transaction).
pub(crate) fn admin_set_balance(tx: &mut Txn<'_>, now: i64, currency: &str, amount: Decimal) {
    let old = wallet(tx, currency);
    let delta = amount - old;
    set_wallet(tx, currency, amount);
    let kind = if delta >= Decimal::ZERO {
        "BALANCE_RECHARGE"
    } else {
        "OTHER"
    };
    record_txn(tx, now, kind, currency, delta, amount, "sandbox admin");
}

fn wallet(tx: &Txn<'_>, currency: &str) -> Decimal {
    tx.get::<Wallet>(W, currency)
        .map(|w| w.amount)
        .unwrap_or(Decimal::ZERO)
}

fn record_txn(
    tx: &mut Txn<'_>,
    now: i64,
    kind: &str,
    currency: &str,
    amount: Decimal,
    balance: Decimal,
    description: &str,
) {
    let seq = tx.next_seq();
    let id = format!("wtx_{seq:010}");
    tx.put(
        WTXN,
        &id,
        &WalletTxn {
            transaction_id: id.clone(),
            txn_type: kind.to_owned(),
            currency: currency.to_owned(),
            amount,
            balance,
            at: now,
            description: description.to_owned(),
        },
    );
}

/// Moves `delta` (negative: debit) on a wallet; refuses to go below zero.
fn move_wallet(
    tx: &mut Txn<'_>,
    now: i64,
    currency: &str,
    delta: Decimal,
    kind: &str,
    description: &str,
) -> R<Decimal> {
    let have = wallet(tx, currency);
    let after = have + delta;
    if after < Decimal::ZERO {
        return Err(insufficient(currency));
    }
    set_wallet(tx, currency, after);
    record_txn(tx, now, kind, currency, delta, after, description);
    Ok(after)
}

// ---------------------------------------------------------------- protocol

/// Serves one request.
pub(crate) fn handle(shared: &Shared, req: &Request) -> Reply {
    let signed_path = signing::unescaped_path_and_query(&req.path_and_query());
    if let Err(e) = authenticate(shared, req, &signed_path) {
        return Reply::json(e.status, &error_body(e.code, &e.message, e.biz));
    }
    let (status, body) = {
        let mut tx = shared.store.begin();
        shared.run_due(&mut tx);
        let _ = tx.commit();
        let mut tx = shared.store.begin();
        let now = shared.now_ms();
        let mut cx = Cx {
            shared,
            tx: &mut tx,
            now,
            req,
            query: req.query_pairs(),
        };
        match route(&mut cx) {
            Ok(data) => match tx.commit() {
                Ok(()) => {
                    let mut root = Map::new();
                    root.insert(
                        "result".into(),
                        json!({"result": "S", "code": "SUCCESS", "message": "success"}),
                    );
                    if let Some(d) = data {
                        root.insert("data".into(), d);
                    }
                    (200, Value::Object(root))
                }
                Err(e) => (
                    500,
                    error_body("SYSTEM_ERROR", &format!("state not saved: {e}"), "U"),
                ),
            },
            Err(e) => (e.status, error_body(e.code, &e.message, e.biz)),
        }
    };
    sign_reply(
        shared,
        &req.method,
        &signed_path,
        Reply::json(status, &body),
    )
}

/// Signs an answer as the platform does.
pub(crate) fn sign_reply(shared: &Shared, method: &str, signed_path: &str, reply: Reply) -> Reply {
    match signing::sign(
        shared.keys.gsalary_platform.as_ref(),
        method,
        signed_path,
        &shared.cfg.identities.gsalary_appid,
        real_now_ms(),
        Some(&reply.body),
    ) {
        Ok(auth) => reply
            .header("authorization", auth)
            .header("x-appid", shared.cfg.identities.gsalary_appid.clone()),
        Err(e) => {
            tracing::error!(error = %e, "sandbox: cannot sign a GSalary answer");
            reply
        }
    }
}

fn authenticate(shared: &Shared, req: &Request, signed_path: &str) -> R<()> {
    let forbidden = |m: &str| err(403, "FORBIDDEN", m);
    let appid = req
        .header("x-appid")
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad("MISSING_ARGUMENT", "the x-appid header is required"))?;
    if appid != shared.cfg.identities.gsalary_appid {
        return Err(forbidden("unknown appid"));
    }
    let auth = req
        .header("authorization")
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| bad("MISSING_ARGUMENT", "the authorization header is required"))?;
    let parsed = signing::Authorization::parse(auth)
        .map_err(|_| forbidden("malformed authorization header"))?;
    let now = real_now_ms();
    if (now - parsed.time).abs() > REQUEST_WINDOW_MS {
        return Err(forbidden(
            "the request time is more than 5 minutes from the server's clock",
        ));
    }
    signing::verify(
        shared.keys.gsalary_merchant.as_ref(),
        Some(auth),
        &req.method,
        signed_path,
        appid,
        &req.body,
    )
    .map_err(|_| forbidden("signature verification failed"))?;
    Ok(())
}

/// A fault's replacement answers, GSalary style (unsigned).
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    use crate::config::FaultKind as K;
    match kind {
        K::SystemBusy => Reply::json(423, &error_body("SYSTEM_BUSY", "系统繁忙，请稍后重试", "F")),
        _ => Reply::json(500, &error_body("SYSTEM_ERROR", "系统错误", "U")),
    }
}

// ---------------------------------------------------------------- routing

struct Cx<'a, 't> {
    shared: &'a Shared,
    tx: &'a mut Txn<'t>,
    now: i64,
    req: &'a Request,
    query: Vec<(String, String)>,
}

impl Cx<'_, '_> {
    fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn q_req(&self, name: &str) -> R<&str> {
        self.q(name).ok_or_else(|| missing(name))
    }

    fn paging(&self) -> R<(u32, u32)> {
        let n = |name: &str, default: u32| -> R<u32> {
            match self.q(name) {
                None => Ok(default),
                Some(t) => t
                    .parse::<u32>()
                    .ok()
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| invalid(format!("`{name}` must be a positive integer"))),
            }
        };
        let (page, limit) = (n("page", 1)?, n("limit", 20)?);
        if limit > 1000 {
            return Err(invalid("`limit` must be at most 1000"));
        }
        Ok((page, limit))
    }

    /// `time_start` (inclusive) / `time_end` (exclusive) as milliseconds.
    fn window(&self, start: &str, end: &str) -> R<(Option<i64>, Option<i64>)> {
        let t = |name: &str| -> R<Option<i64>> {
            match self.q(name) {
                None => Ok(None),
                Some(v) => parse_iso(v)
                    .map(Some)
                    .ok_or_else(|| invalid(format!("`{name}` is not an ISO-8601 date-time"))),
            }
        };
        Ok((t(start)?, t(end)?))
    }

    fn body<T: DeserializeOwned>(&self) -> R<T> {
        if self.req.body.iter().all(u8::is_ascii_whitespace) {
            return Err(bad("MISSING_ARGUMENT", "a JSON body is required"));
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.req.body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let m = inner.to_string();
                    if m.starts_with("missing field") {
                        bad("MISSING_ARGUMENT", strip_position(&m))
                    } else {
                        invalid(format!("{path}: {}", strip_position(&m)))
                    }
                }
                _ => bad("BAD_REQUEST", "the body is not well-formed JSON"),
            }
        })
    }

    fn id(&mut self, prefix: &str) -> String {
        let seq = self.tx.next_seq();
        format!("{prefix}{seq:010}")
    }

    fn event(&mut self, business_type: &str, business_id: &str, data: Value) {
        let body = json!({
            "business_type": business_type,
            "event_time": iso(self.now),
            "business_id": business_id,
            "data": data,
        })
        .to_string();
        let url = self.shared.cfg.callbacks.gsalary.clone();
        self.shared.enqueue(
            self.tx,
            Delivery::new(
                Provider::Gsalary,
                url.as_deref(),
                business_type,
                business_id,
                Payload::Gsalary { body },
            ),
        );
    }
}

fn strip_position(m: &str) -> String {
    match m.find(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m.to_owned(),
    }
}

fn route(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let path = cx.req.path.clone();
    let method = cx.req.method.clone();
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let rest: &[&str] = match segs.as_slice() {
        ["v1", "gateway", "v1", "acquiring", rest @ ..]
        | ["gateway", "v1", "acquiring", rest @ ..] => {
            return acquiring(cx, &method, rest);
        }
        ["v1", rest @ ..] => rest,
        _ => return Err(not_found("no such endpoint")),
    };
    match (method.as_str(), rest) {
        ("GET", ["wallets", "balance"]) => wallet_balance(cx),
        ("GET", ["wallets", "transactions"]) => wallet_transactions(cx),
        ("GET", ["exchange", "orders"]) => exchange_orders(cx),
        ("POST", ["exchange", "quotes"]) => exchange_quote(cx),
        ("GET", ["exchange", "current_exchange_rate"]) => current_rate(cx),
        ("POST", ["exchange", "submit_request"]) => exchange_submit(cx),
        ("GET", ["card_holders"]) => holders_list(cx),
        ("POST", ["card_holders"]) => holder_create(cx),
        ("GET", ["card_holders", id]) => holder_get(cx, id),
        ("PUT", ["card_holders", id]) => holder_update(cx, id),
        ("GET", ["cards", "available_quotas"]) => quotas(cx),
        ("GET", ["card_support", "products"]) => products(cx),
        ("POST", ["card_applies"]) => card_apply(cx),
        ("GET", ["card_applies", id]) => card_apply_result(cx, id),
        ("GET", ["cards"]) => cards_list(cx),
        ("POST", ["cards", "balance_modifies"]) => balance_modify(cx),
        ("GET", ["cards", "balance_modifies", id]) => balance_modify_result(cx, id),
        ("POST", ["cards", "assign_card"]) => assign_card(cx),
        ("GET", ["cards", id]) => card_get(cx, id),
        ("PUT", ["cards", id]) => card_update(cx, id),
        ("DELETE", ["cards", id]) => card_cancel(cx, id),
        ("GET", ["cards", id, "secure_info"]) => secure_info(cx, id),
        ("PUT", ["cards", id, "freeze_status"]) => freeze(cx, id),
        ("PUT", ["cards", id, "contact"]) => contact(cx, id),
        ("DELETE", ["cards", id, "email"]) => delete_email(cx, id),
        ("POST", ["cards", id, "active_card"]) => activate(cx, id),
        ("POST", ["cards", id, "reset_card_pin"]) => reset_pin(cx, id),
        ("GET", ["card_bill", "card_transactions"]) => card_transactions(cx),
        ("GET", ["card_bill", "balance_history"]) => balance_history(cx),
        ("POST", ["remittance", "payees"]) => payee_create(cx),
        ("GET", ["remittance", "payees"]) => payees_list(cx),
        ("PUT", ["remittance", "payees", id]) => payee_update(cx, id),
        ("DELETE", ["remittance", "payees", id]) => payee_deactivate(cx, id),
        ("GET", ["remittance", "available_payment_methods"]) => Ok(Some(
            json!({"payment_methods": ["ALIPAY", "WECHATPAY", "BANK_TRANSFER"]}),
        )),
        ("POST", ["remittance", "payees", id, "accounts"]) => account_add(cx, id),
        ("GET", ["remittance", "payees", id, "accounts"]) => accounts_list(cx, id),
        ("PUT", ["remittance", "payees", pid, "payee_accounts", aid]) => {
            account_update(cx, Some(pid), aid)
        }
        ("GET", ["remittance", "payees", id, "account_register_format"]) => account_form(cx, id),
        ("POST", ["remittance", "payees", id, "account_registry"]) => account_register(cx, id),
        ("PUT", ["remittance", "payee_accounts", aid]) => account_update(cx, None, aid),
        ("DELETE", ["remittance", "payee_accounts", aid]) => account_remove(cx, aid),
        ("GET", ["remittance", "payout_currencies"]) => payout_currencies(cx),
        ("POST", ["attachments"]) => attachment(cx),
        ("POST", ["remittance", "payers"]) => payer_create(cx),
        ("GET", ["remittance", "payers"]) => payers_list(cx),
        ("GET", ["remittance", "payers", id]) => payer_get(cx, id),
        ("PUT", ["remittance", "payers", id]) => payer_update(cx, id),
        ("DELETE", ["remittance", "payers", id]) => payer_remove(cx, id),
        ("GET", ["remittance", "clearing_networks"]) => clearing_networks(cx),
        ("POST", ["remittance", "quotes"]) => remittance_quote(cx),
        ("POST", ["remittance", "orders"]) => remittance_order(cx),
        ("GET", ["remittance", "orders"]) => remittance_orders(cx),
        _ => Err(not_found("no such endpoint")),
    }
}

// ---------------------------------------------------------------- helpers

fn scale_of(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "IDR" | "VND" => 0,
        _ => 2,
    }
}

fn check_currency(field: &str, c: &str) -> R<()> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{field}` is not an ISO-4217 currency code"
        )))
    }
}

fn check_amount(field: &str, currency: &str, d: Decimal, allow_zero: bool) -> R<()> {
    if d < Decimal::ZERO || (!allow_zero && d.is_zero()) {
        return Err(invalid(format!("`{field}` must be greater than 0")));
    }
    if d.normalize().scale() > scale_of(currency) {
        return Err(invalid(format!(
            "`{field}` has more decimals than {currency} allows"
        )));
    }
    Ok(())
}

fn per_usd(currency: &str) -> R<Decimal> {
    PER_USD
        .iter()
        .find(|(c, _, _)| *c == currency)
        .map(|(_, n, s)| Decimal::new(*n, *s))
        .ok_or_else(|| invalid(format!("currency {currency} is not supported")))
}

/// Units of `buy` for one unit of `sell`.
fn rate(sell: &str, buy: &str) -> R<Decimal> {
    let (s, b) = (per_usd(sell)?, per_usd(buy)?);
    Ok(round(b / s, 6))
}

fn paged(
    field: &str,
    items: Vec<Value>,
    page: u32,
    limit: u32,
    query: &[(String, String)],
) -> Value {
    let total = items.len();
    let mut q = Map::new();
    for (k, v) in query {
        q.insert(k.clone(), Value::String(v.clone()));
    }
    json!({
        "query": q,
        field: page_of(&items, page, limit),
        "page": page,
        "limit": limit,
        "total_count": total,
        "total_page": total_pages(total, limit),
    })
}

fn in_window(at: i64, w: (Option<i64>, Option<i64>)) -> bool {
    w.0.is_none_or(|s| at >= s) && w.1.is_none_or(|e| at < e)
}

fn insert_opt(m: &mut Map<String, Value>, k: &str, v: Option<Decimal>) {
    if let Some(v) = v {
        m.insert(k.into(), num(v));
    }
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

// ---------------------------------------------------------------- wallet

fn wallet_balance(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let currency = cx.q_req("currency")?.to_owned();
    check_currency("currency", &currency)?;
    let amount = wallet(cx.tx, &currency);
    Ok(Some(json!({
        "currency": currency,
        "amount": num(amount),
        "share_card_account_balance": num(Decimal::ZERO),
        "available": num(amount),
        "account_type": "BALANCE",
        "query_time": iso(cx.now),
    })))
}

fn wallet_transactions(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let currency = cx.q("currency").map(str::to_owned);
    let kind = cx.q("txn_type").map(str::to_owned);
    let items: Vec<Value> = cx
        .tx
        .scan::<WalletTxn>(WTXN)
        .into_iter()
        .filter(|t| in_window(t.at, w))
        .filter(|t| currency.as_deref().is_none_or(|c| c == t.currency))
        .filter(|t| kind.as_deref().is_none_or(|k| k == t.txn_type))
        .map(|t| {
            json!({
                "transaction_id": t.transaction_id,
                "txn_type": t.txn_type,
                "currency": t.currency,
                "amount": num(t.amount),
                "balance": num(t.balance),
                "account_type": "BALANCE",
                "transaction_time": iso(t.at),
                "description": t.description,
            })
        })
        .collect();
    Ok(Some(paged("transactions", items, page, limit, &cx.query)))
}

// ---------------------------------------------------------------- exchange

fn current_rate(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let buy = cx.q_req("buy_currency")?.to_owned();
    let sell = cx.q_req("sell_currency")?.to_owned();
    let r = rate(&sell, &buy)?;
    Ok(Some(json!({
        "sell_currency": sell,
        "buy_currency": buy,
        "exchange_rate": num(r),
        "quote_time": iso(cx.now),
    })))
}

fn quote_json(q: &Quote) -> Value {
    if q.remittance {
        let mut m = json!({
            "quote_id": q.quote_id,
            "pay_amount": {"currency": q.pay_currency, "amount": num(q.pay_amount)},
            "receive_amount": {"currency": q.receive_currency, "amount": num(q.receive_amount)},
            "surcharge": {"currency": q.pay_currency, "amount": num(q.surcharge)},
            "exchange_rate": num(q.rate),
            "expire_at": iso(q.expire_at),
        });
        if let (Some(pm), Some(o)) = (&q.payment_method, m.as_object_mut()) {
            o.insert("payment_method".into(), json!(pm));
        }
        m
    } else {
        json!({
            "quote_id": q.quote_id,
            "sell_currency": q.pay_currency,
            "buy_currency": q.receive_currency,
            "sell_amount": {"currency": q.pay_currency, "amount": num(q.pay_amount)},
            "buy_amount": {"currency": q.receive_currency, "amount": num(q.receive_amount)},
            "exchange_rate": num(q.rate),
            "expire_at": iso(q.expire_at),
        })
    }
}

fn exchange_quote(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        sell_currency: String,
        buy_currency: String,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        sell_amount: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        buy_amount: Option<Decimal>,
    }
    let b: B = cx.body()?;
    check_currency("sell_currency", &b.sell_currency)?;
    check_currency("buy_currency", &b.buy_currency)?;
    if b.sell_currency == b.buy_currency {
        return Err(invalid("sell_currency and buy_currency must differ"));
    }
    let r = rate(&b.sell_currency, &b.buy_currency)?;
    let (sell, buy) = match (b.sell_amount, b.buy_amount) {
        (Some(s), None) => {
            check_amount("sell_amount", &b.sell_currency, s, false)?;
            (s, round(s * r, scale_of(&b.buy_currency)))
        }
        (None, Some(bu)) => {
            check_amount("buy_amount", &b.buy_currency, bu, false)?;
            (round(bu / r, scale_of(&b.sell_currency)), bu)
        }
        _ => {
            return Err(invalid(
                "exactly one of sell_amount and buy_amount is required",
            ));
        }
    };
    let q = Quote {
        quote_id: cx.id("exq_"),
        remittance: false,
        pay_currency: b.sell_currency,
        pay_amount: sell,
        receive_currency: b.buy_currency,
        receive_amount: buy,
        surcharge: Decimal::ZERO,
        rate: r,
        expire_at: cx.now + secs(cx.shared.cfg.delays.quote_ttl),
        used: false,
        payee_id: None,
        payee_account_id: None,
        payer_id: None,
        payment_method: None,
        remark: None,
    };
    cx.tx.put(QUOTES, &q.quote_id, &q);
    Ok(Some(quote_json(&q)))
}

fn take_quote(cx: &mut Cx<'_, '_>, quote_id: &str, remittance: bool) -> R<Quote> {
    let mut q: Quote = cx
        .tx
        .get(QUOTES, quote_id)
        .filter(|q: &Quote| q.remittance == remittance)
        .ok_or_else(|| not_found("quote not found"))?;
    if q.used {
        return Err(status_error("the quote has been used"));
    }
    if cx.now > q.expire_at {
        return Err(bad("QUOTE_EXPIRE", "the quote has expired"));
    }
    q.used = true;
    cx.tx.put(QUOTES, quote_id, &q);
    Ok(q)
}

fn exorder_json(o: &ExOrder) -> Value {
    json!({
        "order_id": o.order_id,
        "request_id": o.request_id,
        "quote_id": o.quote_id,
        "status": o.status,
        "sell_amount": {"currency": o.sell_currency, "amount": num(o.sell_amount)},
        "buy_amount": {"currency": o.buy_currency, "amount": num(o.buy_amount)},
        "exchange_rate": num(o.rate),
        "create_time": iso(o.at),
        "finish_time": iso(o.at),
    })
}

fn exchange_submit(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        request_id: String,
        quote_id: String,
    }
    let b: B = cx.body()?;
    if b.request_id.is_empty() || b.request_id.chars().count() > 50 {
        return Err(invalid("`request_id` must be 1 to 50 characters"));
    }
    if cx.tx.contains(EXREQ, &b.request_id) {
        return Err(bad("DUPLICATED", "request_id has been used"));
    }
    let q = take_quote(cx, &b.quote_id, false)?;
    let now = cx.now;
    move_wallet(
        cx.tx,
        now,
        &q.pay_currency,
        -q.pay_amount,
        "EXCHANGE_OUT",
        "exchange",
    )?;
    move_wallet(
        cx.tx,
        now,
        &q.receive_currency,
        q.receive_amount,
        "EXCHANGE_IN",
        "exchange",
    )?;
    let o = ExOrder {
        order_id: cx.id("exo_"),
        request_id: b.request_id.clone(),
        quote_id: q.quote_id,
        status: "SUCCESS".into(),
        sell_currency: q.pay_currency,
        sell_amount: q.pay_amount,
        buy_currency: q.receive_currency,
        buy_amount: q.receive_amount,
        rate: q.rate,
        at: now,
    };
    cx.tx.put(EXREQ, &b.request_id, &o.order_id);
    cx.tx.put(EXORDERS, &o.order_id, &o);
    Ok(Some(exorder_json(&o)))
}

fn exchange_orders(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let status = cx.q("status").map(str::to_owned);
    let buy = cx.q("buy_currency").map(str::to_owned);
    let sell = cx.q("sell_currency").map(str::to_owned);
    let items: Vec<Value> = cx
        .tx
        .scan::<ExOrder>(EXORDERS)
        .into_iter()
        .filter(|o| in_window(o.at, w))
        .filter(|o| status.as_deref().is_none_or(|s| s == o.status))
        .filter(|o| buy.as_deref().is_none_or(|s| s == o.buy_currency))
        .filter(|o| sell.as_deref().is_none_or(|s| s == o.sell_currency))
        .map(|o| exorder_json(&o))
        .collect();
    Ok(Some(paged("orders", items, page, limit, &cx.query)))
}

// ---------------------------------------------------------------- card holders

fn holder_json(h: &Holder) -> Value {
    let mut m = h.fields.clone();
    m.insert("card_holder_id".into(), json!(h.card_holder_id));
    m.insert("create_time".into(), json!(iso(h.at)));
    Value::Object(m)
}

fn holder_fields(cx: &Cx<'_, '_>, partial: bool) -> R<Map<String, Value>> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    let text = |k: &str| m.get(k).and_then(Value::as_str);
    for k in ["first_name", "last_name", "birth", "email", "region"] {
        match m.get(k) {
            None if partial => {}
            None => return Err(missing(k)),
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            Some(_) => return Err(invalid(format!("`{k}` must be a non-empty string"))),
        }
    }
    for k in ["first_name", "last_name"] {
        if let Some(n) = text(k)
            && (n.chars().count() > 40 || !n.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
        {
            return Err(invalid(format!("`{k}` must be 1 to 40 letters and spaces")));
        }
    }
    if let Some(e) = text("email")
        && !e.contains('@')
    {
        return Err(invalid("`email` is not an e-mail address"));
    }
    match m.get("mobile") {
        None if partial => {}
        Some(Value::Object(mo))
            if mo
                .get("mobile")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty()) => {}
        _ => return Err(missing("mobile")),
    }
    Ok(m)
}

fn holder_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let fields = holder_fields(cx, false)?;
    let h = Holder {
        card_holder_id: cx.id("holder_"),
        at: cx.now,
        fields,
    };
    cx.tx.put(HOLDERS, &h.card_holder_id, &h);
    Ok(Some(holder_json(&h)))
}

fn holder_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    Ok(Some(holder_json(&h)))
}

fn holder_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut h: Holder = cx
        .tx
        .get(HOLDERS, id)
        .ok_or_else(|| not_found("card holder not found"))?;
    let fields = holder_fields(cx, true)?;
    if fields.is_empty() {
        return Err(invalid("an update needs at least one field"));
    }
    h.fields.extend(fields);
    cx.tx.put(HOLDERS, id, &h);
    Ok(Some(holder_json(&h)))
}

fn holders_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let items: Vec<Value> = cx
        .tx
        .scan::<Holder>(HOLDERS)
        .iter()
        .filter(|h| in_window(h.at, w))
        .map(holder_json)
        .collect();
    Ok(Some(paged("card_holders", items, page, limit, &cx.query)))
}

// ---------------------------------------------------------------- cards

/// The sandbox's card products.
const PRODUCTS: [(&str, &str, &str, &str); 3] = [
    ("SBX_VISA_USD", "Sandbox Visa USD", "VISA", "USD"),
    ("SBX_MASTER_USD", "Sandbox Mastercard USD", "MASTER", "USD"),
    ("SBX_VISA_HKD", "Sandbox Visa HKD", "VISA", "HKD"),
];

fn products(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let brand = cx.q("brand_code");
    let currency = cx.q("currency");
    let card_type = cx.q("card_type");
    let list: Vec<Value> = PRODUCTS
        .iter()
        .filter(|(_, _, b, c)| brand.is_none_or(|x| x == *b) && currency.is_none_or(|x| x == *c))
        .filter(|_| card_type.is_none_or(|t| t == "VIRTUAL"))
        .map(|(code, name, brand, cur)| {
            json!({
                "product_code": code,
                "product_name": name,
                "card_type": "VIRTUAL",
                "brand_code": brand,
                "accounting_type": "RECHARGE",
                "currency": cur,
            })
        })
        .collect();
    Ok(Some(json!({"products": list})))
}

fn quotas(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let currency = cx.q_req("currency")?.to_owned();
    check_currency("currency", &currency)?;
    Ok(Some(json!({"quota": {
        "currency": currency,
        "accounting_card_type": cx.q("accounting_card_type").unwrap_or("RECHARGE"),
        "available_quota": num(wallet(cx.tx, &currency)),
    }})))
}

fn luhn_pan(prefix: &str, seq: u64) -> String {
    let body = format!(
        "{prefix}{:0>width$}",
        seq % 10u64.pow(11),
        width = 15 - prefix.len()
    );
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn mask(pan: &str) -> String {
    if pan.len() < 10 {
        return "****".into();
    }
    format!("{}******{}", &pan[..6], &pan[pan.len() - 4..])
}

fn card_json(cx: &Cx<'_, '_>, c: &Card) -> Value {
    let holder: Option<Holder> = cx.tx.get(HOLDERS, &c.card_holder_id);
    let hf = |k: &str| {
        holder
            .as_ref()
            .and_then(|h| h.fields.get(k).cloned())
            .unwrap_or(Value::Null)
    };
    let mut m = Map::new();
    m.insert("card_id".into(), json!(c.card_id));
    if let Some(n) = &c.card_name {
        m.insert("card_name".into(), json!(n));
    }
    m.insert("product_code".into(), json!(c.product_code));
    m.insert("mask_card_number".into(), json!(mask(&c.pan)));
    m.insert("card_currency".into(), json!(c.currency));
    m.insert("available_balance".into(), num(c.balance));
    m.insert("brand_code".into(), json!(c.brand));
    m.insert("status".into(), json!(c.status));
    m.insert("card_type".into(), json!(c.card_type));
    m.insert("accounting_type".into(), json!("RECHARGE"));
    m.insert("card_region".into(), json!("US"));
    m.insert("card_holder_id".into(), json!(c.card_holder_id));
    for k in ["first_name", "last_name", "mobile", "bill_address"] {
        let v = hf(k);
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    }
    let email = c
        .email
        .clone()
        .map(Value::String)
        .unwrap_or_else(|| hf("email"));
    if !email.is_null() {
        m.insert("email".into(), email);
    }
    insert_opt(&mut m, "limit_per_day", c.limit_per_day);
    insert_opt(&mut m, "limit_per_month", c.limit_per_month);
    insert_opt(&mut m, "limit_per_transaction", c.limit_per_transaction);
    m.insert("support_tds_trans".into(), json!(true));
    m.insert("create_time".into(), json!(iso(c.at)));
    Value::Object(m)
}

fn get_card(cx: &Cx<'_, '_>, id: &str) -> R<Card> {
    cx.tx
        .get(CARDS, id)
        .ok_or_else(|| not_found("card not found"))
}

fn check_limits(pt: Option<Decimal>, pd: Option<Decimal>, pm: Option<Decimal>) -> R<()> {
    for (k, v) in [
        ("limit_per_transaction", pt),
        ("limit_per_day", pd),
        ("limit_per_month", pm),
    ] {
        if let Some(v) = v
            && v <= Decimal::ZERO
        {
            return Err(invalid(format!("`{k}` must be greater than 0")));
        }
    }
    if let (Some(t), Some(d)) = (pt, pd)
        && t > d
    {
        return Err(invalid("limit_per_transaction exceeds limit_per_day"));
    }
    if let (Some(d), Some(m)) = (pd, pm)
        && d > m
    {
        return Err(invalid("limit_per_day exceeds limit_per_month"));
    }
    Ok(())
}

fn card_apply(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        request_id: String,
        product_code: String,
        currency: String,
        card_holder_id: String,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_day: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_month: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_transaction: Option<Decimal>,
        #[serde(with = "walletbridge_core::money::number")]
        init_balance: Decimal,
    }
    let b: B = cx.body()?;
    if b.request_id.is_empty() || b.request_id.chars().count() > 50 {
        return Err(invalid("`request_id` must be 1 to 50 characters"));
    }
    if cx.tx.contains(APPLIES, &b.request_id) {
        return Err(bad("DUPLICATED", "request_id has been used"));
    }
    check_currency("currency", &b.currency)?;
    let Some(product) = PRODUCTS.iter().find(|p| p.0 == b.product_code) else {
        return Err(invalid("unknown product_code"));
    };
    if product.3 != b.currency {
        return Err(invalid("the product does not issue cards in this currency"));
    }
    if !cx.tx.contains(HOLDERS, &b.card_holder_id) {
        return Err(not_found("card holder not found"));
    }
    check_limits(b.limit_per_transaction, b.limit_per_day, b.limit_per_month)?;
    check_amount("init_balance", &b.currency, b.init_balance, true)?;
    let now = cx.now;
    if !b.init_balance.is_zero() {
        move_wallet(
            cx.tx,
            now,
            &b.currency,
            -b.init_balance,
            "ACCOUNT_PAY",
            "card initial balance",
        )?;
    }
    let a = Apply {
        request_id: b.request_id.clone(),
        status: "PENDING".into(),
        at: now,
        card_id: None,
        product_code: b.product_code,
        currency: b.currency,
        card_holder_id: b.card_holder_id,
        limit_per_day: b.limit_per_day,
        limit_per_month: b.limit_per_month,
        limit_per_transaction: b.limit_per_transaction,
        init_balance: b.init_balance,
    };
    cx.tx.put(APPLIES, &a.request_id, &a);
    schedule(
        cx.tx,
        now + secs(cx.shared.cfg.delays.card_issue),
        AnyJob::Gsalary(Job::CardIssue {
            request_id: a.request_id.clone(),
        }),
    );
    Ok(Some(
        json!({"request_id": a.request_id, "status": "PENDING"}),
    ))
}

fn card_apply_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let a: Apply = cx
        .tx
        .get(APPLIES, id)
        .ok_or_else(|| not_found("card application not found"))?;
    let detail = match &a.card_id {
        Some(cid) => {
            let c = get_card(cx, cid)?;
            card_json(cx, &c)
        }
        None => json!({}),
    };
    Ok(Some(json!({
        "request_id": a.request_id,
        "status": a.status,
        "create_time": iso(a.at),
        "card_detail": detail,
    })))
}

fn cards_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("create_start", "create_end")?;
    let holder = cx.q("card_holder_id").map(str::to_owned);
    let status = cx.q("status").map(str::to_owned);
    let product = cx.q("product_code").map(str::to_owned);
    let brand = cx.q("brand_code").map(str::to_owned);
    let cards: Vec<Card> = cx
        .tx
        .scan::<Card>(CARDS)
        .into_iter()
        .filter(|c| in_window(c.at, w))
        .filter(|c| holder.as_deref().is_none_or(|h| h == c.card_holder_id))
        .filter(|c| status.as_deref().is_none_or(|s| s == c.status))
        .filter(|c| product.as_deref().is_none_or(|s| s == c.product_code))
        .filter(|c| brand.as_deref().is_none_or(|s| s == c.brand))
        .collect();
    let items = cards.iter().map(|c| card_json(cx, c)).collect();
    Ok(Some(paged("cards", items, page, limit, &cx.query)))
}

fn card_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let c = get_card(cx, id)?;
    Ok(Some(card_json(cx, &c)))
}

fn live(c: &Card) -> R<()> {
    if c.status == "CANCELLED" {
        Err(status_error("the card is cancelled"))
    } else {
        Ok(())
    }
}

fn card_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(default)]
        card_name: Option<String>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_day: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_month: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_transaction: Option<Decimal>,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    live(&c)?;
    let pt = b.limit_per_transaction.or(c.limit_per_transaction);
    let pd = b.limit_per_day.or(c.limit_per_day);
    let pm = b.limit_per_month.or(c.limit_per_month);
    check_limits(pt, pd, pm)?;
    (c.limit_per_transaction, c.limit_per_day, c.limit_per_month) = (pt, pd, pm);
    if let Some(n) = b.card_name {
        c.card_name = Some(n);
    }
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_json(cx, &c)))
}

fn status_event(cx: &mut Cx<'_, '_>, c: &Card) {
    let data = json!({
        "card_id": c.card_id,
        "mask_card_number": mask(&c.pan),
        "status": c.status,
        "card_holder_id": c.card_holder_id,
    });
    let bid = format!("{}_{}_{}", c.card_id, c.status, cx.tx.next_seq());
    cx.event("CARD_STATUS_UPDATE", &bid, data);
}

fn card_cancel(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut c = get_card(cx, id)?;
    live(&c)?;
    let now = cx.now;
    if !c.balance.is_zero() {
        move_wallet(
            cx.tx,
            now,
            &c.currency,
            c.balance,
            "OTHER",
            "card cancelled: balance returned",
        )?;
        history(
            cx,
            &c.card_id,
            "DECREASE",
            &c.currency,
            -c.balance,
            Decimal::ZERO,
            None,
        );
        c.balance = Decimal::ZERO;
    }
    c.status = "CANCELLED".into();
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

fn secure_info(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let c = get_card(cx, id)?;
    live(&c)?;
    Ok(Some(json!({
        "pan": c.pan,
        "expire_year": c.expire_year,
        "expire_month": c.expire_month,
        "cvv": c.cvv,
    })))
}

fn history(
    cx: &mut Cx<'_, '_>,
    card_id: &str,
    biz_type: &str,
    currency: &str,
    amount: Decimal,
    post: Decimal,
    txn: Option<&str>,
) {
    let log_id = cx.id("log_");
    let h = CardHistory {
        transaction_id: txn.map(str::to_owned).unwrap_or_else(|| log_id.clone()),
        log_id: log_id.clone(),
        card_id: card_id.to_owned(),
        biz_type: biz_type.to_owned(),
        currency: currency.to_owned(),
        amount,
        post_balance: post,
        at: cx.now,
    };
    cx.tx.put(CARD_HIST, &log_id, &h);
}

fn modify_json(m: &Modify) -> Value {
    json!({
        "gsalary_request_id": m.gsalary_request_id,
        "request_id": m.request_id,
        "card_id": m.card_id,
        "status": m.status,
        "create_time": iso(m.at),
        "finish_time": iso(m.at),
        "amount": num(m.amount),
        "type": m.kind,
        "post_balance": num(m.post_balance),
    })
}

fn balance_modify(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        card_id: String,
        #[serde(with = "walletbridge_core::money::number")]
        amount: Decimal,
        #[serde(rename = "type")]
        kind: String,
        request_id: String,
    }
    let b: B = cx.body()?;
    if b.request_id.is_empty() || b.request_id.chars().count() > 50 {
        return Err(invalid("`request_id` must be 1 to 50 characters"));
    }
    if cx.tx.contains(MODIFIES, &b.request_id) {
        return Err(bad("DUPLICATED", "request_id has been used"));
    }
    let mut c = get_card(cx, &b.card_id)?;
    check_amount("amount", &c.currency, b.amount, false)?;
    if c.status != "ACTIVE" && c.status != "FROZEN" {
        return Err(status_error(format!("the card is {}", c.status)));
    }
    let now = cx.now;
    match b.kind.as_str() {
        "INCREASE" => {
            move_wallet(
                cx.tx,
                now,
                &c.currency,
                -b.amount,
                "ACCOUNT_PAY",
                "card top-up",
            )?;
            c.balance += b.amount;
        }
        "DECREASE" => {
            if c.balance < b.amount {
                return Err(insufficient(&c.currency));
            }
            c.balance -= b.amount;
            move_wallet(
                cx.tx,
                now,
                &c.currency,
                b.amount,
                "OTHER",
                "card withdrawal",
            )?;
        }
        _ => return Err(invalid("`type` must be INCREASE or DECREASE")),
    }
    let m = Modify {
        gsalary_request_id: cx.id("gsr_"),
        request_id: b.request_id.clone(),
        card_id: c.card_id.clone(),
        status: "SUCCESS".into(),
        at: now,
        amount: b.amount,
        kind: b.kind.clone(),
        post_balance: c.balance,
    };
    cx.tx.put(CARDS, &c.card_id, &c);
    cx.tx.put(MODIFIES, &m.request_id, &m);
    let signed = if b.kind == "INCREASE" {
        b.amount
    } else {
        -b.amount
    };
    let gid = m.gsalary_request_id.clone();
    history(
        cx,
        &c.card_id,
        &b.kind,
        &c.currency,
        signed,
        c.balance,
        Some(&gid),
    );
    Ok(Some(modify_json(&m)))
}

fn balance_modify_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let m: Modify = cx
        .tx
        .get(MODIFIES, id)
        .ok_or_else(|| not_found("balance modify request not found"))?;
    Ok(Some(modify_json(&m)))
}

fn freeze(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        freeze: bool,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    c.status = match (c.status.as_str(), b.freeze) {
        ("ACTIVE", true) => "FROZEN".into(),
        ("FROZEN", false) => "ACTIVE".into(),
        (s, _) => return Err(status_error(format!("the card is {s}"))),
    };
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

fn contact(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(default)]
        email: Option<String>,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    live(&c)?;
    if let Some(e) = b.email {
        if !e.contains('@') {
            return Err(invalid("`email` is not an e-mail address"));
        }
        c.email = Some(e);
    }
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_json(cx, &c)))
}

fn delete_email(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut c = get_card(cx, id)?;
    live(&c)?;
    c.email = Some(String::new());
    cx.tx.put(CARDS, id, &c);
    let mut v = card_json(cx, &c);
    if let Some(o) = v.as_object_mut() {
        o.remove("email");
    }
    Ok(Some(v))
}

fn assign_card(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        card_number: String,
        card_holder_id: String,
        card_currency: String,
    }
    let b: B = cx.body()?;
    let n = &b.card_number;
    if n.len() < 12 || n.len() > 19 || !n.bytes().all(|c| c.is_ascii_digit()) {
        return Err(invalid("`card_number` must be 12 to 19 digits"));
    }
    check_currency("card_currency", &b.card_currency)?;
    if !cx.tx.contains(HOLDERS, &b.card_holder_id) {
        return Err(not_found("card holder not found"));
    }
    if cx.tx.scan::<Card>(CARDS).iter().any(|c| &c.pan == n) {
        return Err(bad("DUPLICATED", "the card has been assigned"));
    }
    let c = Card {
        card_id: cx.id("card_"),
        card_holder_id: b.card_holder_id,
        product_code: "SBX_PHYSICAL".into(),
        currency: b.card_currency,
        balance: Decimal::ZERO,
        limit_per_day: None,
        limit_per_month: None,
        limit_per_transaction: None,
        status: "INACTIVE".into(),
        card_type: "PHYSICAL".into(),
        brand: if n.starts_with('5') { "MASTER" } else { "VISA" }.into(),
        card_name: None,
        email: None,
        pan: n.clone(),
        cvv: "123".into(),
        expire_year: "2030".into(),
        expire_month: "12".into(),
        at: cx.now,
    };
    cx.tx.put(CARDS, &c.card_id, &c);
    let bid = format!("{}_activation", c.card_id);
    cx.event(
        "CARD_ACTIVATION_CODE",
        &bid,
        json!({"card_id": c.card_id, "mask_card_number": mask(&c.pan), "activation_code": ACTIVATION_CODE}),
    );
    Ok(Some(json!({"card_id": c.card_id})))
}

fn check_pin(pin: &str) -> R<()> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid("`pin` must be 6 digits"))
    }
}

fn activate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        activation_code: String,
        pin: String,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    if c.status != "INACTIVE" {
        return Err(status_error(format!("the card is {}", c.status)));
    }
    if b.activation_code != ACTIVATION_CODE {
        return Err(invalid("wrong activation_code"));
    }
    check_pin(&b.pin)?;
    c.status = "ACTIVE".into();
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

fn reset_pin(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        pin: String,
    }
    let b: B = cx.body()?;
    let c = get_card(cx, id)?;
    live(&c)?;
    check_pin(&b.pin)?;
    Ok(None)
}

fn card_transactions(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let card = cx.q("card_id").map(str::to_owned);
    let items: Vec<Value> = cx
        .tx
        .scan::<Value>(CARD_TXNS)
        .into_iter()
        .filter(|t| {
            card.as_deref()
                .is_none_or(|c| t.get("card_id").and_then(Value::as_str) == Some(c))
        })
        .collect();
    Ok(Some(paged("transactions", items, page, limit, &cx.query)))
}

fn balance_history(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let card = cx.q("card_id").map(str::to_owned);
    let txn = cx.q("transaction_id").map(str::to_owned);
    let log = cx.q("log_id").map(str::to_owned);
    let items: Vec<Value> = cx
        .tx
        .scan::<CardHistory>(CARD_HIST)
        .into_iter()
        .filter(|h| in_window(h.at, w))
        .filter(|h| card.as_deref().is_none_or(|c| c == h.card_id))
        .filter(|h| txn.as_deref().is_none_or(|c| c == h.transaction_id))
        .filter(|h| log.as_deref().is_none_or(|c| c == h.log_id))
        .map(|h| {
            json!({
                "log_id": h.log_id,
                "card_id": h.card_id,
                "transaction_id": h.transaction_id,
                "biz_type": h.biz_type,
                "currency": h.currency,
                "amount": num(h.amount),
                "post_balance": num(h.post_balance),
                "create_time": iso(h.at),
            })
        })
        .collect();
    Ok(Some(paged("history", items, page, limit, &cx.query)))
}

// ---------------------------------------------------------------- payees

fn payee_json(p: &Payee) -> Value {
    let mut m = p.fields.clone();
    m.remove("currency");
    m.insert("payee_id".into(), json!(p.payee_id));
    m.insert("currencies".into(), json!([p.currency]));
    Value::Object(m)
}

fn payee_fields(cx: &Cx<'_, '_>) -> R<(Map<String, Value>, String)> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    for k in ["subject_type", "account_type", "country", "currency"] {
        match m.get(k) {
            Some(Value::String(s)) if !s.is_empty() => {}
            None => return Err(missing(k)),
            Some(_) => return Err(invalid(format!("`{k}` must be a non-empty string"))),
        }
    }
    let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
    if !matches!(get("subject_type"), "INDIVIDUAL" | "ENTERPRISE") {
        return Err(invalid("`subject_type` must be INDIVIDUAL or ENTERPRISE"));
    }
    if !matches!(get("account_type"), "E_WALLET" | "BANK_ACCOUNT") {
        return Err(invalid("`account_type` must be E_WALLET or BANK_ACCOUNT"));
    }
    let currency = get("currency").to_owned();
    check_currency("currency", &currency)?;
    Ok((m, currency))
}

fn payee_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (fields, currency) = payee_fields(cx)?;
    let p = Payee {
        payee_id: cx.id("payee_"),
        active: true,
        currency,
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYEES, &p.payee_id, &p);
    Ok(Some(payee_json(&p)))
}

fn get_payee(cx: &Cx<'_, '_>, id: &str) -> R<Payee> {
    cx.tx
        .get::<Payee>(PAYEES, id)
        .filter(|p| p.active)
        .ok_or_else(|| not_found("payee not found"))
}

fn payee_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payee(cx, id)?;
    let (fields, currency) = payee_fields(cx)?;
    p.fields = fields;
    p.currency = currency;
    cx.tx.put(PAYEES, id, &p);
    Ok(Some(payee_json(&p)))
}

fn payee_deactivate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payee(cx, id)?;
    p.active = false;
    cx.tx.put(PAYEES, id, &p);
    let bid = format!("{id}_deactivated");
    cx.event(
        "PAYEE_DEACTIVATED",
        &bid,
        json!({"deactivate_payee_id": id, "deactivated_payee_ids": [id]}),
    );
    Ok(None)
}

fn payees_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let id = cx.q("payee_id").map(str::to_owned);
    let country = cx.q("country").map(str::to_owned);
    let currency = cx.q("currency").map(str::to_owned);
    let name = cx.q("name").map(str::to_lowercase);
    let items: Vec<Value> = cx
        .tx
        .scan::<Payee>(PAYEES)
        .into_iter()
        .filter(|p| p.active)
        .filter(|p| id.as_deref().is_none_or(|x| x == p.payee_id))
        .filter(|p| currency.as_deref().is_none_or(|x| x == p.currency))
        .filter(|p| {
            country
                .as_deref()
                .is_none_or(|x| p.fields.get("country").and_then(Value::as_str) == Some(x))
        })
        .filter(|p| {
            name.as_deref().is_none_or(|n| {
                ["first_name", "last_name", "account_holder"]
                    .iter()
                    .any(|k| {
                        p.fields
                            .get(*k)
                            .and_then(Value::as_str)
                            .is_some_and(|v| v.to_lowercase().contains(n))
                    })
            })
        })
        .map(|p| payee_json(&p))
        .collect();
    Ok(Some(paged("payees", items, page, limit, &cx.query)))
}

fn account_json(a: &Account) -> Value {
    let mut m = json!({
        "account_id": a.account_id,
        "payee_id": a.payee_id,
        "payment_method": a.payment_method,
        "currencies": a.currencies,
        "status": a.status,
        "require_clearing_network": a.require_clearing_network,
        "form_fields": a.form_fields,
    });
    if let (Some(no), Some(o)) = (&a.account_no, m.as_object_mut()) {
        o.insert("account_no".into(), json!(no));
    }
    m
}

fn new_account(
    cx: &mut Cx<'_, '_>,
    payee: &Payee,
    method: &str,
    no: Option<String>,
    currency: Option<String>,
    fields: Vec<Value>,
) -> Account {
    let a = Account {
        account_id: cx.id("acct_"),
        payee_id: payee.payee_id.clone(),
        payment_method: method.to_owned(),
        currencies: vec![currency.unwrap_or_else(|| payee.currency.clone())],
        account_no: no,
        status: "PENDING".into(),
        require_clearing_network: method == "BANK_TRANSFER",
        form_fields: fields,
        removed: false,
        at: cx.now,
    };
    cx.tx.put(ACCOUNTS, &a.account_id, &a);
    schedule(
        cx.tx,
        cx.now + secs(cx.shared.cfg.delays.payee_account),
        AnyJob::Gsalary(Job::AccountActive {
            account_id: a.account_id.clone(),
        }),
    );
    a
}

#[derive(Deserialize)]
struct EWallet {
    payment_method: String,
    account_no: String,
}

fn check_ewallet(b: &EWallet) -> R<()> {
    if !matches!(b.payment_method.as_str(), "ALIPAY" | "WECHATPAY") {
        return Err(invalid("`payment_method` must be ALIPAY or WECHATPAY"));
    }
    if b.account_no.trim().is_empty() {
        return Err(missing("account_no"));
    }
    Ok(())
}

fn account_add(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    let b: EWallet = cx.body()?;
    check_ewallet(&b)?;
    let p = get_payee(cx, payee_id)?;
    let a = new_account(
        cx,
        &p,
        &b.payment_method,
        Some(b.account_no),
        None,
        Vec::new(),
    );
    Ok(Some(account_json(&a)))
}

fn accounts_list(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    get_payee(cx, payee_id)?;
    let items: Vec<Value> = cx
        .tx
        .scan::<Account>(ACCOUNTS)
        .iter()
        .filter(|a| a.payee_id == payee_id && !a.removed)
        .map(account_json)
        .collect();
    Ok(Some(json!({"accounts": items})))
}

fn get_account(cx: &Cx<'_, '_>, id: &str) -> R<Account> {
    cx.tx
        .get::<Account>(ACCOUNTS, id)
        .filter(|a| !a.removed)
        .ok_or_else(|| not_found("payee account not found"))
}

fn account_update(cx: &mut Cx<'_, '_>, payee_id: Option<&str>, id: &str) -> R<Option<Value>> {
    let mut a = get_account(cx, id)?;
    if payee_id.is_some_and(|p| p != a.payee_id) {
        return Err(not_found("payee account not found"));
    }
    if payee_id.is_some() {
        let b: EWallet = cx.body()?;
        check_ewallet(&b)?;
        a.payment_method = b.payment_method;
        a.account_no = Some(b.account_no);
    } else {
        #[derive(Deserialize)]
        struct B {
            #[serde(default)]
            currency: Option<String>,
            fields: Vec<Value>,
        }
        let b: B = cx.body()?;
        if a.payment_method != "BANK_TRANSFER" {
            return Err(status_error("not a bank account"));
        }
        if let Some(c) = b.currency {
            check_currency("currency", &c)?;
            a.currencies = vec![c];
        }
        a.form_fields = b.fields;
    }
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(Some(account_json(&a)))
}

fn account_form(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    let p = get_payee(cx, payee_id)?;
    let method = cx.q_req("payment_method")?.to_owned();
    if method != "BANK_TRANSFER" {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let currency = cx.q("currency").unwrap_or(&p.currency).to_owned();
    Ok(Some(json!({
        "account_type": "BANK_ACCOUNT",
        "payment_method": "BANK_TRANSFER",
        "subject_type": p.fields.get("subject_type").cloned().unwrap_or(Value::Null),
        "currency": currency,
        "country": p.fields.get("country").cloned().unwrap_or(Value::Null),
        "fields": [
            {"field_name": "account_number", "required": true, "description": "bank account number"},
            {"field_name": "bank_name", "required": true, "description": "bank name"},
            {"field_name": "swift_code", "required": false, "description": "SWIFT/BIC code"},
        ],
    })))
}

fn account_register(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        payment_method: String,
        #[serde(default)]
        currency: Option<String>,
        fields: Vec<Value>,
    }
    let b: B = cx.body()?;
    if b.payment_method != "BANK_TRANSFER" {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let has = |name: &str| {
        b.fields.iter().any(|f| {
            f.get("field_name").and_then(Value::as_str) == Some(name)
                && f.get("field_value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| !v.is_empty())
        })
    };
    for f in ["account_number", "bank_name"] {
        if !has(f) {
            return Err(missing(f));
        }
    }
    if let Some(c) = &b.currency {
        check_currency("currency", c)?;
    }
    let p = get_payee(cx, payee_id)?;
    let no = b
        .fields
        .iter()
        .find(|f| f.get("field_name").and_then(Value::as_str) == Some("account_number"))
        .and_then(|f| f.get("field_value").and_then(Value::as_str))
        .map(str::to_owned);
    let a = new_account(cx, &p, "BANK_TRANSFER", no, b.currency, b.fields);
    Ok(Some(account_json(&a)))
}

fn account_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut a = get_account(cx, id)?;
    a.removed = true;
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(None)
}

fn payout_currencies(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let method = cx.q_req("payment_method")?.to_owned();
    let list = match method.as_str() {
        "ALIPAY" | "WECHATPAY" => json!([{"country": "CN", "currencies": ["CNY"]}]),
        "BANK_TRANSFER" => json!([
            {"country": "CN", "currencies": ["CNY"]},
            {"country": "HK", "currencies": ["HKD", "USD"]},
            {"country": "US", "currencies": ["USD"]},
            {"country": "PH", "currencies": ["PHP"]},
        ]),
        _ => return Err(invalid("unknown payment_method")),
    };
    Ok(Some(json!({"payment_method": method, "countries": list})))
}

// ---------------------------------------------------------------- payers and attachments

fn attachment(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(rename = "type")]
        kind: String,
        filename: String,
        base64: String,
    }
    let b: B = cx.body()?;
    if b.filename.trim().is_empty() {
        return Err(missing("filename"));
    }
    let Some(rest) = b.base64.strip_prefix("data:") else {
        return Err(invalid("`base64` must be a data URL"));
    };
    let Some((mime, data)) = rest.split_once(";base64,") else {
        return Err(invalid("`base64` must be a base64 data URL"));
    };
    let bytes = walletbridge_core::encoding::decode_base64_lenient(data)
        .map_err(|_| invalid("`base64` does not decode"))?;
    if bytes.is_empty() {
        return Err(invalid("the file is empty"));
    }
    if bytes.len() > 5 * 1024 * 1024 {
        return Err(invalid("the file is larger than 5 MB"));
    }
    let id = cx.id("file_");
    cx.tx.put(
        ATTACHMENTS,
        &id,
        &json!({"file_id": id, "type": b.kind, "filename": b.filename, "mime": mime, "size": bytes.len()}),
    );
    Ok(Some(json!({"file_id": id})))
}

fn payer_fields(cx: &Cx<'_, '_>) -> R<Map<String, Value>> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    for k in [
        "subject_type",
        "cert_type",
        "cert_number",
        "region",
        "address",
    ] {
        if m.get(k).is_none_or(Value::is_null) {
            return Err(missing(k));
        }
    }
    let files = m
        .get("cert_files")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("cert_files"))?;
    for f in files {
        let id = f.as_str().unwrap_or_default();
        if !cx.tx.contains(ATTACHMENTS, id) {
            return Err(invalid(format!("cert_files: unknown file id `{id}`")));
        }
    }
    Ok(m)
}

fn payer_json(p: &Payer) -> Value {
    let mut m = p.fields.clone();
    m.insert("payer_id".into(), json!(p.payer_id));
    Value::Object(m)
}

fn payer_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let fields = payer_fields(cx)?;
    let p = Payer {
        payer_id: cx.id("payer_"),
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYERS, &p.payer_id, &p);
    Ok(Some(payer_json(&p)))
}

fn get_payer(cx: &Cx<'_, '_>, id: &str) -> R<Payer> {
    cx.tx
        .get(PAYERS, id)
        .ok_or_else(|| not_found("payer not found"))
}

fn payer_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    Ok(Some(payer_json(&get_payer(cx, id)?)))
}

fn payer_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payer(cx, id)?;
    p.fields = payer_fields(cx)?;
    cx.tx.put(PAYERS, id, &p);
    Ok(Some(payer_json(&p)))
}

fn payer_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    get_payer(cx, id)?;
    cx.tx.delete(PAYERS, id);
    Ok(None)
}

fn payers_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let items: Vec<Value> = cx.tx.scan::<Payer>(PAYERS).iter().map(payer_json).collect();
    Ok(Some(json!({"payers": items})))
}

// ---------------------------------------------------------------- remittance

fn surcharge(currency: &str) -> Decimal {
    if scale_of(currency) == 0 {
        Decimal::new(100, 0)
    } else {
        Decimal::new(100, 2)
    }
}

fn active_account(cx: &Cx<'_, '_>, id: &str) -> R<(Account, Payee)> {
    let a = get_account(cx, id)?;
    if a.status != "ACTIVE" {
        return Err(status_error("the payee account is not active yet"));
    }
    let p = get_payee(cx, &a.payee_id)?;
    Ok((a, p))
}

fn clearing_networks(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let account_id = cx.q_req("payee_account_id")?.to_owned();
    let pay = cx.q_req("pay_currency")?.to_owned();
    let recv = cx.q_req("receive_currency")?.to_owned();
    let amount_type = cx.q_req("amount_type")?.to_owned();
    let amount: Decimal = cx
        .q_req("amount")?
        .parse()
        .map_err(|_| invalid("`amount` is not a number"))?;
    let (a, p) = active_account(cx, &account_id)?;
    let networks = if a.payment_method == "BANK_TRANSFER" {
        json!([
            {"network": "SWIFT", "fee": num(Decimal::new(1500, 2)), "estimated_arrival_time": iso(cx.now + 2 * 86_400_000)},
            {"network": "ACH", "fee": num(Decimal::new(300, 2)), "estimated_arrival_time": iso(cx.now + 86_400_000)},
        ])
    } else {
        json!([])
    };
    Ok(Some(json!({
        "clearing_networks": networks,
        "payee_account_id": account_id,
        "pay_currency": pay,
        "receive_currency": recv,
        "amount": num(amount),
        "amount_type": amount_type,
        "country": p.fields.get("country").cloned().unwrap_or(Value::Null),
    })))
}

fn remittance_quote(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        payee_account_id: String,
        #[serde(default)]
        payer_id: Option<String>,
        purpose: String,
        pay_currency: String,
        #[serde(default)]
        receive_currency: Option<String>,
        #[serde(with = "walletbridge_core::money::number")]
        amount: Decimal,
        amount_type: String,
        #[serde(default)]
        clearing_network: Option<String>,
        #[serde(default)]
        remark: Option<String>,
    }
    let b: B = cx.body()?;
    if b.purpose.trim().is_empty() {
        return Err(missing("purpose"));
    }
    check_currency("pay_currency", &b.pay_currency)?;
    let (a, p) = active_account(cx, &b.payee_account_id)?;
    if let Some(payer) = &b.payer_id {
        get_payer(cx, payer)?;
    }
    if a.require_clearing_network && b.clearing_network.is_none() {
        return Err(missing("clearing_network"));
    }
    let recv = b
        .receive_currency
        .clone()
        .or_else(|| a.currencies.first().cloned())
        .unwrap_or_else(|| p.currency.clone());
    if !a.currencies.contains(&recv) {
        return Err(invalid("the payee account does not receive this currency"));
    }
    let r = if recv == b.pay_currency {
        Decimal::ONE
    } else {
        rate(&b.pay_currency, &recv)?
    };
    let (pay, receive) = match b.amount_type.as_str() {
        "PAY_AMOUNT" => {
            check_amount("amount", &b.pay_currency, b.amount, false)?;
            (b.amount, round(b.amount * r, scale_of(&recv)))
        }
        "RECEIVE_AMOUNT" => {
            check_amount("amount", &recv, b.amount, false)?;
            (round(b.amount / r, scale_of(&b.pay_currency)), b.amount)
        }
        _ => {
            return Err(invalid(
                "`amount_type` must be PAY_AMOUNT or RECEIVE_AMOUNT",
            ));
        }
    };
    let q = Quote {
        quote_id: cx.id("rq_"),
        remittance: true,
        surcharge: surcharge(&b.pay_currency),
        pay_currency: b.pay_currency,
        pay_amount: pay,
        receive_currency: recv,
        receive_amount: receive,
        rate: r,
        expire_at: cx.now + secs(cx.shared.cfg.delays.quote_ttl),
        used: false,
        payee_id: Some(a.payee_id.clone()),
        payee_account_id: Some(a.account_id.clone()),
        payer_id: b.payer_id,
        payment_method: Some(a.payment_method.clone()),
        remark: b.remark,
    };
    cx.tx.put(QUOTES, &q.quote_id, &q);
    Ok(Some(quote_json(&q)))
}

fn order_json(o: &RemitOrder) -> Value {
    let mut m = json!({
        "order_id": o.order_id,
        "order_source": "API",
        "client_order_id": o.client_order_id,
        "create_time": iso(o.at),
        "finish_time": o.finish_at.map(iso).unwrap_or_default(),
        "status": o.status,
        "pay_amount": {"currency": o.pay_currency, "amount": num(o.pay_amount)},
        "receive_amount": {"currency": o.receive_currency, "amount": num(o.receive_amount)},
        "surcharge": {"currency": o.pay_currency, "amount": num(o.surcharge)},
        "exchange_rate": num(o.rate),
        "error_message": o.error_message,
    });
    if let Some(obj) = m.as_object_mut() {
        for (k, v) in [
            ("payee_id", &o.payee_id),
            ("payee_account_id", &o.payee_account_id),
            ("payer_id", &o.payer_id),
            ("payment_method", &o.payment_method),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), json!(v));
            }
        }
    }
    m
}

fn remittance_order(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        quote_id: String,
        client_order_id: String,
    }
    let b: B = cx.body()?;
    if b.client_order_id.trim().is_empty() || b.client_order_id.chars().count() > 64 {
        return Err(invalid("`client_order_id` must be 1 to 64 characters"));
    }
    let dup_key = format!("client_order_id:{}", b.client_order_id);
    if cx.tx.contains(REMIT, &dup_key) {
        return Err(bad("DUPLICATED", "client_order_id has been used"));
    }
    let q = take_quote(cx, &b.quote_id, true)?;
    let now = cx.now;
    move_wallet(
        cx.tx,
        now,
        &q.pay_currency,
        -(q.pay_amount + q.surcharge),
        "ACCOUNT_PAY",
        "remittance",
    )?;
    let o = RemitOrder {
        order_id: cx.id("ro_"),
        client_order_id: b.client_order_id.clone(),
        quote_id: q.quote_id.clone(),
        status: "CREATED".into(),
        at: now,
        finish_at: None,
        payee_id: q.payee_id.clone(),
        payee_account_id: q.payee_account_id.clone(),
        payer_id: q.payer_id.clone(),
        payment_method: q.payment_method.clone(),
        pay_currency: q.pay_currency.clone(),
        pay_amount: q.pay_amount,
        receive_currency: q.receive_currency.clone(),
        receive_amount: q.receive_amount,
        surcharge: q.surcharge,
        rate: q.rate,
        fail: q.remark.as_deref() == Some(FAIL_REMARK),
        error_message: String::new(),
    };
    cx.tx.put(REMIT, &o.order_id, &o);
    cx.tx.put(REMIT, &dup_key, &o.order_id);
    schedule(
        cx.tx,
        now + secs(cx.shared.cfg.delays.remittance),
        AnyJob::Gsalary(Job::Remittance {
            order_id: o.order_id.clone(),
        }),
    );
    Ok(Some(order_json(&o)))
}

fn remittance_orders(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("time_start", "time_end")?;
    let f = |k: &str| cx.q(k).map(str::to_owned);
    let (payee, payer, oid, coid) = (
        f("payee_id"),
        f("payer_id"),
        f("order_id"),
        f("client_order_id"),
    );
    let items: Vec<Value> = cx
        .tx
        .scan::<Value>(REMIT)
        .into_iter()
        .filter_map(|v| serde_json::from_value::<RemitOrder>(v).ok())
        .filter(|o| in_window(o.at, w))
        .filter(|o| payee.is_none() || o.payee_id == payee)
        .filter(|o| payer.is_none() || o.payer_id == payer)
        .filter(|o| oid.as_deref().is_none_or(|x| x == o.order_id))
        .filter(|o| coid.as_deref().is_none_or(|x| x == o.client_order_id))
        .map(|o| order_json(&o))
        .collect();
    Ok(Some(paged("orders", items, page, limit, &cx.query)))
}

// ---------------------------------------------------------------- acquiring

fn acquiring(cx: &mut Cx<'_, '_>, method: &str, rest: &[&str]) -> R<Option<Value>> {
    if method != "POST" {
        return Err(not_found("no such endpoint"));
    }
    let v: Value = cx.body()?;
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let require = |k: &str| -> R<()> {
        if v.get(k).is_none_or(Value::is_null) {
            Err(missing(k))
        } else {
            Ok(())
        }
    };
    require("mch_app_id")?;
    match rest {
        ["pay_consult"] => {
            require("payment_currency")?;
            require("payment_amount")?;
            Ok(Some(json!({"payment_options": [
                {"payment_method_type": "ALIPAY_CN", "currency": s("payment_currency"),
                 "limit": {"min": num(Decimal::new(1, 2)), "max": num(Decimal::new(10000, 0))}, "country": "CN"},
                {"payment_method_type": "CARD", "currency": s("payment_currency"),
                 "limit": {"min": num(Decimal::new(1, 2)), "max": num(Decimal::new(50000, 0))}, "country": "US"},
            ]})))
        }
        ["pay_session"] | ["easy_safe_pay", "pay_session"] | ["card_auto_debit", "pay_session"] => {
            require("payment_request_id")?;
            let id = s("payment_request_id");
            let key = format!("session:{id}");
            if cx.tx.contains(ACQ, &key) {
                return Err(bad("DUPLICATED", "payment_request_id has been used"));
            }
            let sid = cx.id("session_");
            cx.tx.put(ACQ, &key, &sid);
            Ok(Some(json!({
                "payment_session_data": format!("sandbox-session-data-{sid}"),
                "payment_session_expiry_time": iso(cx.now + 3_600_000),
                "payment_session_id": sid,
                "normal_url": format!("https://sandbox.invalid/pay/{sid}"),
            })))
        }
        ["easy_safe_pay", "pay"] | ["card_auto_debit", "pay"] => {
            require("payment_request_id")?;
            require("payment_method_id")?;
            let id = s("payment_request_id");
            let key = format!("payment:{id}");
            if cx.tx.contains(ACQ, &key) {
                return Err(bad("DUPLICATED", "payment_request_id has been used"));
            }
            let pid = cx.id("pay_");
            cx.tx.put(ACQ, &key, &pid);
            Ok(Some(json!({
                "payment_request_id": id,
                "payment_id": pid,
                "payment_currency": s("payment_currency"),
                "payment_amount": v.get("payment_amount").cloned().unwrap_or(Value::Null),
                "normal_url": format!("https://sandbox.invalid/pay/{pid}"),
            })))
        }
        ["auth_refresh_token"] => {
            require("refresh_token")?;
            let n = cx.tx.next_seq();
            Ok(Some(json!({
                "access_token": format!("sandbox_access_{n}"),
                "access_token_expiry_time": iso(cx.now + 86_400_000),
                "refresh_token": format!("sandbox_refresh_{n}"),
                "refresh_token_expiry_time": iso(cx.now + 30 * 86_400_000),
            })))
        }
        ["auth_revoke_token"] => {
            require("access_token")?;
            Ok(None)
        }
        ["cancel"] => Ok(None),
        _ => Err(not_found("no such endpoint")),
    }
}

// ---------------------------------------------------------------- due steps

pub(crate) fn run_job(shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    let req = Request {
        method: String::new(),
        path: String::new(),
        query: None,
        headers: Default::default(),
        body: Default::default(),
        host: String::new(),
    };
    let mut cx = Cx {
        shared,
        tx,
        now: due,
        req: &req,
        query: Vec::new(),
    };
    match job {
        Job::CardIssue { request_id } => {
            let Some(mut a) = cx.tx.get::<Apply>(APPLIES, &request_id) else {
                return;
            };
            if a.status != "PENDING" {
                return;
            }
            let seq = cx.tx.next_seq();
            let brand = PRODUCTS
                .iter()
                .find(|p| p.0 == a.product_code)
                .map(|p| p.2)
                .unwrap_or("VISA");
            let c = Card {
                card_id: format!("card_{seq:010}"),
                card_holder_id: a.card_holder_id.clone(),
                product_code: a.product_code.clone(),
                currency: a.currency.clone(),
                balance: a.init_balance,
                limit_per_day: a.limit_per_day,
                limit_per_month: a.limit_per_month,
                limit_per_transaction: a.limit_per_transaction,
                status: "ACTIVE".into(),
                card_type: "VIRTUAL".into(),
                brand: brand.into(),
                card_name: None,
                email: None,
                pan: luhn_pan(if brand == "MASTER" { "5555" } else { "4111" }, seq),
                cvv: format!("{:03}", seq % 1000),
                expire_year: "2030".into(),
                expire_month: format!("{:02}", seq % 12 + 1),
                at: due,
            };
            a.status = "SUCCESS".into();
            a.card_id = Some(c.card_id.clone());
            cx.tx.put(CARDS, &c.card_id, &c);
            cx.tx.put(APPLIES, &request_id, &a);
            if !a.init_balance.is_zero() {
                history(
                    &mut cx,
                    &c.card_id,
                    "INCREASE",
                    &c.currency,
                    a.init_balance,
                    a.init_balance,
                    None,
                );
            }
            status_event(&mut cx, &c);
        }
        Job::AccountActive { account_id } => {
            let Some(mut a) = cx.tx.get::<Account>(ACCOUNTS, &account_id) else {
                return;
            };
            if a.status != "PENDING" || a.removed {
                return;
            }
            a.status = "ACTIVE".into();
            cx.tx.put(ACCOUNTS, &account_id, &a);
            let bid = format!("{account_id}_active");
            cx.event(
                "PAYEE_ACCOUNT_ACTIVE",
                &bid,
                json!({"payee_id": a.payee_id, "account_id": a.account_id, "payment_method": a.payment_method}),
            );
        }
        Job::Remittance { order_id } => {
            let Some(mut o) = cx.tx.get::<RemitOrder>(REMIT, &order_id) else {
                return;
            };
            if o.status != "CREATED" {
                return;
            }
            o.finish_at = Some(due);
            let kind = if o.fail {
                o.status = "FAILED".into();
                o.error_message = "sandbox: the payee's bank refused the transfer".into();
                let _ = move_wallet(
                    cx.tx,
                    due,
                    &o.pay_currency,
                    o.pay_amount + o.surcharge,
                    "OTHER",
                    "remittance refunded",
                );
                "REMITTANCE_FAIL"
            } else {
                o.status = "SUCCESS".into();
                "REMITTANCE_COMPLETE"
            };
            cx.tx.put(REMIT, &order_id, &o);
            let bid = format!("{order_id}_{}", o.status);
            cx.event(
                kind,
                &bid,
                json!({"order_id": o.order_id, "client_order_id": o.client_order_id, "request_id": o.client_order_id, "status": o.status}),
            );
        }
    }
}
