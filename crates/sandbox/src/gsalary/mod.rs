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
//! Requests are routed by the client crate's own endpoint table
//! (`walletbridge_gsalary::endpoints::ALL`) to one module per API area,
//! named as the crate names its modules.

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use walletbridge_core::date::{DateTime, WireTime};
use walletbridge_gsalary::envelope::{self, ErrorCode, ErrorCode as EC};
use walletbridge_gsalary::models::BizResult;
use walletbridge_gsalary::webhooks::WebhookEvent;
use walletbridge_gsalary::{endpoints, signing};

mod acquiring;
mod card_bills;
mod card_holders;
mod cards;
mod exchange;
mod payees;
mod payers;
mod remittance;
mod wallet;

pub(crate) use card_bills::admin_card_transaction;
pub use card_bills::{CardNetworkKind, CardNetworkOutcome, CardNetworkTransaction};

use crate::config::Provider;
use crate::runtime::{Delivery, Job as AnyJob, Payload, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, iso, page_of, real_now_ms, round, total_pages};

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

/// An error answer: one of the page's codes (with its HTTP status), a
/// message and the `biz_result` letter.
#[derive(Debug)]
pub(crate) struct GsError {
    code: ErrorCode,
    message: String,
    biz: BizResult,
}

type R<T> = Result<T, GsError>;

fn err(code: ErrorCode, message: impl Into<String>) -> GsError {
    GsError {
        code,
        message: message.into(),
        biz: BizResult::Fail,
    }
}
fn bad(code: ErrorCode, message: impl Into<String>) -> GsError {
    err(code, message)
}
fn invalid(message: impl Into<String>) -> GsError {
    bad(EC::INVALID_ARGUMENT, message)
}
fn missing(field: &str) -> GsError {
    bad(EC::MISSING_ARGUMENT, format!("`{field}` is required"))
}
fn not_found(what: impl Into<String>) -> GsError {
    err(EC::NOT_FOUND, what)
}
fn status_error(message: impl Into<String>) -> GsError {
    bad(EC::INVALID_STATUS, message)
}
fn insufficient(currency: &str) -> GsError {
    bad(
        EC::INSUFFICIENT_BALANCE,
        format!("insufficient {currency} balance"),
    )
}

/// The error envelope, written by the crate's encoder.
fn error_reply(e: &GsError) -> Reply {
    Reply::json_bytes(
        e.code.status,
        envelope::encode_error(e.code, &e.message, &e.biz),
    )
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
        return error_reply(&e);
    }
    let reply = {
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
            Ok(data) => match envelope::encode_success(data.as_deref()) {
                Ok(body) => match tx.commit() {
                    Ok(()) => Reply::json_bytes(200, body),
                    Err(e) => error_reply(&GsError {
                        code: EC::SYSTEM_ERROR,
                        message: format!("state not saved: {e}"),
                        biz: BizResult::Unknown,
                    }),
                },
                Err(e) => error_reply(&GsError {
                    code: EC::SYSTEM_ERROR,
                    message: format!("the answer cannot be written: {e}"),
                    biz: BizResult::Fail,
                }),
            },
            Err(e) => error_reply(&e),
        }
    };
    sign_reply(shared, &req.method, &signed_path, reply)
}

/// Signs an answer as the platform does (the crate's `sign_answer`).
pub(crate) fn sign_reply(shared: &Shared, method: &str, signed_path: &str, reply: Reply) -> Reply {
    match signing::sign_answer(
        shared.keys.gsalary_platform.as_ref(),
        method,
        signed_path,
        &shared.cfg.identities.gsalary_appid,
        real_now_ms(),
        &reply.body,
    ) {
        Ok([(n1, v1), (n2, v2)]) => reply.header(n1, v1).header(n2, v2),
        Err(e) => {
            tracing::error!(error = %e, "sandbox: cannot sign a GSalary answer");
            reply
        }
    }
}

fn authenticate(shared: &Shared, req: &Request, signed_path: &str) -> R<()> {
    let forbidden = |m: &str| err(EC::FORBIDDEN, m);
    let appid = req
        .header("x-appid")
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad(EC::MISSING_ARGUMENT, "the x-appid header is required"))?;
    if appid != shared.cfg.identities.gsalary_appid {
        return Err(forbidden("unknown appid"));
    }
    let auth = req
        .header("authorization")
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| bad(EC::MISSING_ARGUMENT, "the authorization header is required"))?;
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
        K::SystemBusy => error_reply(&err(EC::SYSTEM_BUSY, "系统繁忙，请稍后重试")),
        _ => error_reply(&GsError {
            code: EC::SYSTEM_ERROR,
            message: "系统错误".to_owned(),
            biz: BizResult::Unknown,
        }),
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
    /// The query decoded into the crate's query type (empty values are
    /// absent, as before); a missing field is `MISSING_ARGUMENT`, a value
    /// that does not decode `INVALID_ARGUMENT`, both naming the field.
    fn query_as<T: DeserializeOwned>(&self) -> R<T> {
        let pairs: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        endpoints::decode_query(&pairs).map_err(|e| {
            let path = e.path().to_string();
            let m = e.into_inner().to_string();
            if let Some(field) = m.strip_prefix("missing field ") {
                bad(EC::MISSING_ARGUMENT, format!("{field} is required"))
            } else {
                invalid(format!("`{path}`: {m}"))
            }
        })
    }

    fn body<T: DeserializeOwned>(&self) -> R<T> {
        if self.req.body.iter().all(u8::is_ascii_whitespace) {
            return Err(bad(EC::MISSING_ARGUMENT, "a JSON body is required"));
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.req.body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let m = inner.to_string();
                    if m.starts_with("missing field") {
                        bad(EC::MISSING_ARGUMENT, crate::wire::without_position(&m))
                    } else {
                        invalid(format!("{path}: {}", crate::wire::without_position(&m)))
                    }
                }
                _ => bad(EC::BAD_REQUEST, "the body is not well-formed JSON"),
            }
        })
    }

    fn id(&mut self, prefix: &str) -> String {
        let seq = self.tx.next_seq();
        format!("{prefix}{seq:010}")
    }

    /// Queues a notification written by the crate's webhook types.
    fn event_body(&mut self, business_type: &str, business_id: &str, event: &WebhookEvent) {
        let body = match event.to_body() {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                tracing::error!(error = %e, "sandbox: cannot write a GSalary notification");
                return;
            }
        };
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

/// What an endpoint answers: the `data` of the success envelope, already
/// written (none for a call that answers nothing).
type Data = Option<Box<RawValue>>;

/// Writes an area's answer, a model of the crate (or, where an area is not
/// yet on the crate's types, a JSON value), as the envelope's `data`.
fn write<T: Serialize>(answer: R<Option<T>>) -> R<Data> {
    match answer? {
        None => Ok(None),
        Some(v) => serde_json::value::to_raw_value(&v)
            .map(Some)
            .map_err(|e| GsError {
                code: EC::SYSTEM_ERROR,
                message: format!("the answer cannot be written: {e}"),
                biz: BizResult::Fail,
            }),
    }
}

/// The request's method, as the endpoint table names it.
/// Routes by the crate's endpoint table ([`endpoints::ALL`]) to the
/// endpoint's area module; a method and path no endpoint has answers
/// GSalary's unknown-endpoint error (404 `NOT_FOUND`).
fn route(cx: &mut Cx<'_, '_>) -> R<Data> {
    let found = endpoints::route(&cx.req.method, &cx.req.path);
    let Some((ep, params)) = found else {
        return Err(not_found("no such endpoint"));
    };
    let p = |name: &str| params.get(name).unwrap_or_default().to_owned();
    use endpoints as E;
    match *ep {
        E::WALLET_BALANCE => write(wallet::wallet_balance(cx)),
        E::WALLET_TRANSACTIONS => write(wallet::wallet_transactions(cx)),
        E::EXCHANGE_ORDERS => write(exchange::exchange_orders(cx)),
        E::EXCHANGE_QUOTE => write(exchange::exchange_quote(cx)),
        E::EXCHANGE_CURRENT_RATE => write(exchange::current_rate(cx)),
        E::EXCHANGE_SUBMIT => write(exchange::exchange_submit(cx)),
        E::CARD_HOLDERS_LIST => write(card_holders::holders_list(cx)),
        E::CARD_HOLDER_CREATE => write(card_holders::holder_create(cx)),
        E::CARD_HOLDER_GET => write(card_holders::holder_get(cx, &p("card_holder_id"))),
        E::CARD_HOLDER_UPDATE => write(card_holders::holder_update(cx, &p("card_holder_id"))),
        E::CARD_AVAILABLE_QUOTAS => write(cards::quotas(cx)),
        E::CARD_PRODUCTS => write(cards::products(cx)),
        E::CARD_APPLY => write(cards::card_apply(cx)),
        E::CARD_APPLY_RESULT => write(cards::card_apply_result(cx, &p("request_id"))),
        E::CARDS_LIST => write(cards::cards_list(cx)),
        E::CARD_GET => write(cards::card_get(cx, &p("card_id"))),
        E::CARD_UPDATE => write(cards::card_update(cx, &p("card_id"))),
        E::CARD_CANCEL => write(cards::card_cancel(cx, &p("card_id"))),
        E::CARD_SECURE_INFO => write(cards::secure_info(cx, &p("card_id"))),
        E::CARD_BALANCE_MODIFY => write(cards::balance_modify(cx)),
        E::CARD_BALANCE_MODIFY_RESULT => write(cards::balance_modify_result(cx, &p("request_id"))),
        E::CARD_FREEZE_STATUS => write(cards::freeze(cx, &p("card_id"))),
        E::CARD_CONTACT_UPDATE => write(cards::contact(cx, &p("card_id"))),
        E::CARD_EMAIL_DELETE => write(cards::delete_email(cx, &p("card_id"))),
        E::CARD_ASSIGN => write(cards::assign_card(cx)),
        E::CARD_ACTIVATE => write(cards::activate(cx, &p("card_id"))),
        E::CARD_RESET_PIN => write(cards::reset_pin(cx, &p("card_id"))),
        E::CARD_TRANSACTIONS => write(card_bills::card_transactions(cx)),
        E::CARD_BALANCE_HISTORY => write(card_bills::balance_history(cx)),
        E::PAYEE_CREATE => write(payees::payee_create(cx)),
        E::PAYEES_LIST => write(payees::payees_list(cx)),
        E::PAYEE_UPDATE => write(payees::payee_update(cx, &p("payee_id"))),
        E::PAYEE_DEACTIVATE => write(payees::payee_deactivate(cx, &p("payee_id"))),
        E::PAYMENT_METHODS => write(payees::payment_methods(cx)),
        E::PAYEE_ACCOUNT_ADD => write(payees::account_add(cx, &p("payee_id"))),
        E::PAYEE_ACCOUNTS_LIST => write(payees::accounts_list(cx, &p("payee_id"))),
        E::PAYEE_ACCOUNT_UPDATE => write(payees::account_update(
            cx,
            Some(&p("payee_id")),
            &p("account_id"),
        )),
        E::PAYEE_ACCOUNT_FORMAT => write(payees::account_form(cx, &p("payee_id"))),
        E::PAYEE_ACCOUNT_REGISTER => write(payees::account_register(cx, &p("payee_id"))),
        E::PAYEE_BANK_ACCOUNT_UPDATE => write(payees::account_update(cx, None, &p("account_id"))),
        E::PAYEE_ACCOUNT_REMOVE => write(payees::account_remove(cx, &p("account_id"))),
        E::PAYOUT_CURRENCIES => write(payees::payout_currencies(cx)),
        E::ATTACHMENT_UPLOAD => write(payers::attachment(cx)),
        E::PAYER_CREATE => write(payers::payer_create(cx)),
        E::PAYERS_LIST => write(payers::payers_list(cx)),
        E::PAYER_GET => write(payers::payer_get(cx, &p("payer_id"))),
        E::PAYER_UPDATE => write(payers::payer_update(cx, &p("payer_id"))),
        E::PAYER_REMOVE => write(payers::payer_remove(cx, &p("payer_id"))),
        E::CLEARING_NETWORKS => write(remittance::clearing_networks(cx)),
        E::REMITTANCE_QUOTE => write(remittance::remittance_quote(cx)),
        E::REMITTANCE_ORDER_SUBMIT => write(remittance::remittance_order(cx)),
        E::REMITTANCE_ORDERS_LIST => write(remittance::remittance_orders(cx)),
        E::ACQ_PAY_CONSULT => write(acquiring::consult(cx)),
        E::ACQ_PAY_SESSION | E::ACQ_CARD_AUTO_DEBIT_SESSION => write(acquiring::pay_session(cx)),
        E::ACQ_EASY_SAFE_PAY_SESSION => write(acquiring::easy_safe_pay_session(cx)),
        E::ACQ_EASY_SAFE_PAY | E::ACQ_CARD_AUTO_DEBIT_PAY => write(acquiring::pay_with_token(cx)),
        E::ACQ_AUTH_REFRESH_TOKEN => write(acquiring::refresh_token(cx)),
        E::ACQ_AUTH_REVOKE_TOKEN => write(acquiring::revoke_token(cx)),
        E::ACQ_CANCEL => write(acquiring::cancel(cx)),
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
    // Far above any account, and small enough that no sum or conversion of
    // amounts can overflow.
    if d > Decimal::new(1_000_000_000_000_000, 0) {
        return Err(invalid(format!("`{field}` is too large")));
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

/// Checks a typed query's `page` and `limit`: from 1, at most 1000 a page.
fn check_paging(page: u32, limit: u32) -> R<()> {
    if page < 1 {
        return Err(invalid("`page` must be a positive integer"));
    }
    if limit < 1 {
        return Err(invalid("`limit` must be a positive integer"));
    }
    if limit > 1000 {
        return Err(invalid("`limit` must be at most 1000"));
    }
    Ok(())
}

/// A typed query's `time_start` / `time_end` as milliseconds.
fn window_of(start: Option<DateTime>, end: Option<DateTime>) -> (Option<i64>, Option<i64>) {
    let ms = |t: DateTime| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok();
    (start.and_then(ms), end.and_then(ms))
}

/// A time as the wire writes it (ISO-8601, UTC).
fn wire_time(ms: i64) -> WireTime {
    WireTime::parse(&iso(ms))
}

/// The query as received, for a list answer's `query` echo.
fn query_echo(query: &[(String, String)]) -> Value {
    Value::Object(
        query
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// Fills a list answer of the crate (`$list::default()`) with one page of
/// `items`, the page numbers and the `query` echo.
macro_rules! list_answer {
    ($list:ty, $field:ident, $items:expr, $page:expr, $limit:expr, $query:expr) => {{
        let items = $items;
        let (page, limit) = ($page, $limit);
        let mut out = <$list>::default();
        out.total_count = Some(items.len() as u64);
        out.total_page = u32::try_from(total_pages(items.len(), limit)).ok();
        out.$field = page_of(&items, page, limit);
        out.page = Some(page);
        out.limit = Some(limit);
        out.extra.insert("query".into(), query_echo($query));
        out
    }};
}
use list_answer;

fn in_window(at: i64, w: (Option<i64>, Option<i64>)) -> bool {
    w.0.is_none_or(|s| at >= s) && w.1.is_none_or(|e| at < e)
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

// ---------------------------------------------------------------- due steps

/// Runs `f` with a context that answers no request (admin calls, due steps).
fn with_cx<T>(
    shared: &Shared,
    tx: &mut Txn<'_>,
    now: i64,
    f: impl FnOnce(&mut Cx<'_, '_>) -> T,
) -> T {
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
        now,
        req: &req,
        query: Vec::new(),
    };
    f(&mut cx)
}

pub(crate) fn run_job(shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    with_cx(shared, tx, due, |cx| match job {
        Job::CardIssue { request_id } => cards::issue(cx, &request_id, due),
        Job::AccountActive { account_id } => payees::activate_account(cx, &account_id),
        Job::Remittance { order_id } => remittance::finish_order(cx, &order_id, due),
    })
}
