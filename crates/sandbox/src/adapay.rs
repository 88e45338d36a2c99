//! The simulated Adapay (wallet part): draw cash, draw cash status,
//! balance, wallet login (page host) and the wallet page.
//!
//! Built on the client crate's own wire types (`walletbridge-adapay` with
//! its `server` feature): requests are routed by its endpoint table
//! ([`endpoints::ALL`]), bodies and queries decode into its request types
//! ([`DrawCashBody`], [`CashStatusQuery`], [`BalanceParams`],
//! [`WalletLoginBody`]), and answers are its models ([`CashObject`],
//! [`AccountBalance`], [`WalletLogin`], [`ErrorObject`]) written by its
//! envelope encoders and signed by its signing code. Only the state (what
//! is kept in redb) and the rules are the sandbox's own.
//!
//! Protocol (PROTOCOL-NOTES, Adapay): `Authorization` must be the configured
//! api key (else HTTP 401, unsigned), and `Signature` a SHA1withRSA signature
//! with the merchant key over the full URL (`http://{Host}{path}`) followed
//! by the exact body bytes (POST) or the non-empty parameters sorted by key
//! as `k=v&k2=v2` (GET). Every other answer is
//! `{"data":"<JSON text>","signature":"..."}` signed with the platform key;
//! business failures are `status: failed` inside `data` with `error_code`,
//! `error_msg`, `error_type` and `invalid_param` (HTTP 200).
//!
//! Error codes (the provider's page does not list them; these are the
//! sandbox's): `invalid_signature`, `parameter_error` (with
//! `invalid_param`: a missing, empty or ill-typed field is named),
//! `order_no_used`, `balance_not_enough`, `member_not_exists`,
//! `order_not_exists`, `resource_not_found` (HTTP 404, an unknown method
//! and path).

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use walletbridge_adapay::config::DEFAULT_WALLET_PAGE_PATH;
use walletbridge_adapay::endpoints::{self, Endpoint, Host};
use walletbridge_adapay::envelope::{self, ErrorObject};
use walletbridge_adapay::models::{Cash as CashObject, wire_time};
use walletbridge_adapay::signing;
use walletbridge_adapay::wallet::{
    AccountBalance, BalanceParams, CashStatusQuery, CashType, DrawCashBody, MERCHANT_MEMBER_ID,
    Status, WalletLogin, WalletLoginBody,
};
use walletbridge_core::SecretString;

use crate::config::Provider;
use crate::runtime::{Delivery, Job as AnyJob, Payload, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, round, without_position};

const BALANCES: &str = "ad_balances";
const CASHS: &str = "ad_cashs";
const LOGINS: &str = "ad_logins";

/// What the sandbox answers in `prod_mode`: it is Adapay's mock mode.
const PROD_MODE: &str = "false";

/// A draw cash whose `order_no` starts with this fails (`cash.failed`) and
/// is refunded, instead of succeeding.
pub const FAIL_PREFIX: &str = "fail";

/// The merchant's own balance every sandbox starts with (member `0`), yuan.
pub const STARTING_BALANCE_FEN: i64 = 1_000_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Balance {
    member_id: String,
    settle_account_id: Option<String>,
    avl: Decimal,
    frz: Decimal,
}

/// A draw cash as the sandbox keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CashRecord {
    id: String,
    order_no: String,
    member_id: String,
    cash_type: String,
    cash_amt: Decimal,
    status: String,
    created: i64,
    notify_url: Option<String>,
    error_code: Option<String>,
    error_msg: Option<String>,
}

/// A wallet login token as the sandbox keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LoginRecord {
    member_id: String,
    sign: String,
    expires: i64,
}

/// Due steps of Adapay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Job {
    CashSettle { order_no: String },
}

pub(crate) fn seed(tx: &mut Txn<'_>) {
    set_balance(
        tx,
        MERCHANT_MEMBER_ID,
        None,
        Decimal::new(STARTING_BALANCE_FEN, 2),
        None,
    );
}

/// Admin: sets a member's balances (creating the member).
pub(crate) fn set_balance(
    tx: &mut Txn<'_>,
    member_id: &str,
    settle_account_id: Option<String>,
    avl: Decimal,
    frz: Option<Decimal>,
) -> String {
    let old: Option<Balance> = tx.get(BALANCES, member_id);
    let settle = settle_account_id
        .or_else(|| old.as_ref().and_then(|b| b.settle_account_id.clone()))
        .or_else(|| {
            (member_id != MERCHANT_MEMBER_ID).then(|| {
                let n = tx.next_seq();
                format!("{:016}", 3_517_252_166_508_800 + n)
            })
        });
    let b = Balance {
        member_id: member_id.to_owned(),
        settle_account_id: settle.clone(),
        avl,
        frz: frz.or_else(|| old.map(|o| o.frz)).unwrap_or(Decimal::ZERO),
    };
    tx.put(BALANCES, member_id, &b);
    settle.unwrap_or_default()
}

struct Fail {
    code: &'static str,
    msg: String,
    param: Option<String>,
    status: u16,
}

fn fail(code: &'static str, msg: impl Into<String>) -> Fail {
    Fail {
        code,
        msg: msg.into(),
        param: None,
        status: 200,
    }
}

fn param(name: impl Into<String>, msg: impl Into<String>) -> Fail {
    Fail {
        code: "parameter_error",
        msg: msg.into(),
        param: Some(name.into()),
        status: 200,
    }
}

/// A required text field that arrived empty: named like a missing one.
fn required(name: &str, value: &str) -> R<()> {
    if value.is_empty() {
        return Err(param(name, format!("{name} is required")));
    }
    Ok(())
}

type R<T> = Result<T, Fail>;

/// A successful answer: one of the crate's answer models, written as is.
#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Cash(Box<CashObject>),
    Balance(Box<AccountBalance>),
    Login(Box<WalletLogin>),
}

/// An unsigned refusal (a 401, a fault), as the crate writes it.
fn unsigned(status: u16, error: &ErrorObject) -> Reply {
    Reply::json_bytes(status, envelope::encode_unsigned_error(error))
}

/// Serves one request on the API host (`page` false) or the page host.
pub(crate) fn handle(shared: &Shared, req: &Request, page: bool) -> Reply {
    if page && req.method == "POST" && req.path.trim_end_matches('/') == DEFAULT_WALLET_PAGE_PATH {
        return wallet_page(shared, req);
    }
    let ids = &shared.cfg.identities;
    if req.header(signing::API_KEY_HEADER).map(str::trim) != Some(ids.adapay_api_key.as_str()) {
        return unsigned(
            401,
            &ErrorObject::new("unauthorized", "the api key is missing or wrong"),
        );
    }
    let url = format!("http://{}{}", req.host, req.path);
    let message: Vec<u8> = if req.method == "GET" {
        signing::get_signing_string(&url, &signing::canonical_query(&req.query_pairs()))
            .into_bytes()
    } else {
        signing::post_signing_string(&url, &req.body)
    };
    let host = if page { Host::Page } else { Host::Api };
    let endpoint = endpoints::route(host, &req.method, &req.path);
    let verified = signing::verify(
        shared.keys.adapay_merchant.as_ref(),
        &message,
        req.header(signing::SIGNATURE_HEADER),
    );
    let result = if verified.is_err() {
        Err(fail(
            "invalid_signature",
            "the request signature does not verify with the merchant public key",
        ))
    } else {
        let mut tx = shared.store.begin();
        shared.run_due(&mut tx);
        let _ = tx.commit();
        let mut tx = shared.store.begin();
        let now = shared.now_ms();
        match route(shared, &mut tx, req, endpoint, now) {
            Ok(v) => match tx.commit() {
                Ok(()) => Ok(v),
                Err(e) => Err(Fail {
                    code: "api_error",
                    msg: format!("state not saved: {e}"),
                    param: None,
                    status: 500,
                }),
            },
            Err(f) => Err(f),
        }
    };
    let platform = shared.keys.adapay_platform.as_ref();
    let (status, encoded) = match result {
        Ok(answer) => (200, envelope::encode_success(platform, &answer)),
        Err(f) => {
            let error_type = if f.status >= 500 {
                "api_error"
            } else {
                "invalid_request_error"
            };
            let mut e = ErrorObject::new(f.code, f.msg)
                .app_id(ids.adapay_app_id.as_str())
                .prod_mode(PROD_MODE)
                .error_type(error_type);
            if let Some(ep) = endpoint {
                e = e.object(ep.object);
            }
            if let Some(p) = f.param {
                e = e.invalid_param(p);
            }
            (f.status, envelope::encode_error(platform, &e))
        }
    };
    match encoded {
        Ok(body) => Reply::json_bytes(status, body),
        Err(e) => unsigned(500, &ErrorObject::new("api_error", e.to_string())),
    }
}

/// Replacement answers of faults, Adapay style (unsigned).
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => {
            unsigned(423, &ErrorObject::new("system_busy", "the system is busy"))
        }
        _ => unsigned(500, &ErrorObject::new("api_error", "system error")),
    }
}

/// A decoding error as Adapay's parameter error, naming the field: a
/// missing one (`missing field `x``, which serde reports at its parent) or
/// one of the wrong type or form (at its path).
fn decode_fail(e: serde_path_to_error::Error<serde_json::Error>, what: &str) -> Fail {
    let path = e.path().to_string();
    let first = e.path().iter().next().cloned();
    let inner = e.into_inner();
    if inner.classify() != serde_json::error::Category::Data {
        return fail(
            "parameter_error",
            format!("the {what} is not a JSON object"),
        );
    }
    let text = inner.to_string();
    let message = without_position(&text);
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return param(name, format!("{name} is required"));
    }
    // Only a field of an object is a parameter (a struct also reads from an
    // array in serde, whose elements are no parameters).
    if !matches!(first, Some(serde_path_to_error::Segment::Map { .. })) {
        return fail(
            "parameter_error",
            format!("the {what} is not a JSON object"),
        );
    }
    param(path.clone(), format!("{path}: {message}"))
}

/// The JSON body, decoded into the crate's request type.
fn json_body<T: DeserializeOwned>(req: &Request) -> R<T> {
    let mut de = serde_json::Deserializer::from_slice(&req.body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| decode_fail(e, "body"))?;
    de.end()
        .map_err(|_| fail("parameter_error", "the body is not a JSON object"))?;
    Ok(value)
}

/// The query's pairs (empty values dropped, the first of a repeated name
/// kept), decoded into the crate's request type.
fn query<T: DeserializeOwned>(req: &Request) -> R<T> {
    let mut map = serde_json::Map::new();
    for (k, v) in req.query_pairs() {
        if !v.is_empty() && !map.contains_key(&k) {
            map.insert(k, serde_json::Value::String(v));
        }
    }
    serde_path_to_error::deserialize(serde_json::Value::Object(map))
        .map_err(|e| decode_fail(e, "query"))
}

fn route(
    shared: &Shared,
    tx: &mut Txn<'_>,
    req: &Request,
    endpoint: Option<&Endpoint>,
    now: i64,
) -> R<Answer> {
    let app = &shared.cfg.identities.adapay_app_id;
    let unknown_app = || param("app_id", "unknown app_id");
    match endpoint {
        Some(ep) if *ep == endpoints::DRAW_CASH => {
            let body: DrawCashBody = json_body(req)?;
            if body.app_id != *app {
                return Err(unknown_app());
            }
            draw_cash(shared, tx, body, now).map(|c| Answer::Cash(Box::new(c)))
        }
        Some(ep) if *ep == endpoints::CASH_STATUS => {
            let q: CashStatusQuery = query(req)?;
            let c: CashRecord = tx
                .get(CASHS, &q.order_no)
                .ok_or_else(|| fail("order_not_exists", "no draw cash with this order_no"))?;
            Ok(Answer::Cash(Box::new(cash_object(shared, &c))))
        }
        Some(ep) if *ep == endpoints::BALANCE => {
            let q: BalanceParams = query(req)?;
            if q.app_id != *app {
                return Err(unknown_app());
            }
            let b: Balance = tx
                .get(BALANCES, &q.member_id)
                .ok_or_else(|| fail("member_not_exists", "no such member"))?;
            if q.member_id != MERCHANT_MEMBER_ID && q.settle_account_id != b.settle_account_id {
                return Err(param(
                    "settle_account_id",
                    "the settle account is not the member's",
                ));
            }
            let mut a = AccountBalance::new(Status::Succeeded);
            a.app_id = Some(app.clone());
            a.object = Some(endpoints::BALANCE.object.to_owned());
            a.prod_mode = Some(PROD_MODE.to_owned());
            a.acct_balance = Some(yuan(b.avl + b.frz));
            a.avl_balance = Some(yuan(b.avl));
            a.frz_balance = Some(yuan(b.frz));
            Ok(Answer::Balance(Box::new(a)))
        }
        Some(ep) if *ep == endpoints::WALLET_LOGIN => {
            let body: WalletLoginBody = json_body(req)?;
            required("app_id", &body.app_id)?;
            if body.app_id != *app {
                return Err(unknown_app());
            }
            required("member_id", &body.member_id)?;
            required("ip", &body.ip)?;
            if !tx.contains(BALANCES, &body.member_id) {
                return Err(fail("member_not_exists", "no such member"));
            }
            let n = tx.next_seq();
            let token = format!("sbx_token_{n:010}");
            let sign = format!("sbx_sign_{:x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            tx.put(
                LOGINS,
                &token,
                &LoginRecord {
                    member_id: body.member_id,
                    sign: sign.clone(),
                    expires: now + 600_000,
                },
            );
            let mut l = WalletLogin::new();
            l.app_id = Some(app.clone());
            l.object = Some(endpoints::WALLET_LOGIN.object.to_owned());
            l.prod_mode = Some(PROD_MODE.to_owned());
            l.token = Some(SecretString::new(token));
            l.sign = Some(SecretString::new(sign));
            l.status = Some(Status::Succeeded);
            Ok(Answer::Login(Box::new(l)))
        }
        _ => Err(Fail {
            code: "resource_not_found",
            msg: "no such endpoint".into(),
            param: None,
            status: 404,
        }),
    }
}

/// Yuan with exactly two decimals, as Adapay writes amounts (`10.00`).
fn yuan(d: Decimal) -> Decimal {
    let mut r = round(d, 2);
    r.rescale(2);
    r
}

/// The crate's cash object for a kept draw cash: the answer to draw cash
/// and its status, and the `data` of its notification.
fn cash_object(shared: &Shared, c: &CashRecord) -> CashObject {
    let mut o = CashObject::new(Status::from(c.status.as_str()));
    o.id = Some(c.id.clone());
    o.app_id = Some(shared.cfg.identities.adapay_app_id.clone());
    o.object = Some(endpoints::DRAW_CASH.object.to_owned());
    o.created_time = Some(wire_time(&(c.created / 1000).to_string()));
    o.prod_mode = Some(PROD_MODE.to_owned());
    o.order_no = Some(c.order_no.clone());
    o.cash_type = Some(CashType::from(c.cash_type.as_str()));
    o.cash_amt = Some(yuan(c.cash_amt));
    o.fee_amt = Some(yuan(Decimal::ZERO));
    o.real_amt = Some(yuan(c.cash_amt));
    o.member_id = Some(c.member_id.clone());
    if c.error_code.is_some() {
        o.error_code = c.error_code.clone();
        o.error_type = Some("channel_error".to_owned());
    }
    o.error_msg = c.error_msg.clone();
    o
}

fn draw_cash(shared: &Shared, tx: &mut Txn<'_>, body: DrawCashBody, now: i64) -> R<CashObject> {
    let order_no = body.order_no;
    required("order_no", &order_no)?;
    if order_no.len() > 64
        || !order_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(param(
            "order_no",
            "order_no must be 1 to 64 letters, digits or underscores",
        ));
    }
    if body.cash_type != CashType::T1 {
        return Err(param("cash_type", "only T1 is supported"));
    }
    let amt = body.cash_amt;
    if amt <= Decimal::ZERO {
        return Err(param("cash_amt", "cash_amt must be greater than 0"));
    }
    let member = body.member_id;
    required("member_id", &member)?;
    let notify_url = body.notify_url.filter(|s| !s.is_empty());
    if tx.contains(CASHS, &order_no) {
        return Err(fail("order_no_used", "order_no has been used"));
    }
    let mut b: Balance = tx
        .get(BALANCES, &member)
        .ok_or_else(|| fail("member_not_exists", "no such member"))?;
    if b.avl < amt {
        return Err(fail(
            "balance_not_enough",
            "the available balance is not enough",
        ));
    }
    b.avl -= amt;
    b.frz += amt;
    tx.put(BALANCES, &member, &b);
    let seq = tx.next_seq();
    let c = CashRecord {
        id: format!("00211100{:017}", seq),
        order_no: order_no.clone(),
        member_id: member,
        cash_type: body.cash_type.as_str().to_owned(),
        cash_amt: amt,
        status: Status::Pending.as_str().to_owned(),
        created: now,
        notify_url,
        error_code: None,
        error_msg: None,
    };
    tx.put(CASHS, &order_no, &c);
    let delay = i64::try_from(shared.cfg.delays.adapay_cash.as_millis()).unwrap_or(0);
    schedule(
        tx,
        now + delay,
        AnyJob::Adapay(Job::CashSettle { order_no }),
    );
    Ok(cash_object(shared, &c))
}

pub(crate) fn run_job(shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    let Job::CashSettle { order_no } = job;
    let Some(mut c) = tx.get::<CashRecord>(CASHS, &order_no) else {
        return;
    };
    if c.status != Status::Pending.as_str() {
        return;
    }
    let Some(mut b) = tx.get::<Balance>(BALANCES, &c.member_id) else {
        return;
    };
    b.frz -= c.cash_amt;
    if c.order_no.starts_with(FAIL_PREFIX) {
        b.avl += c.cash_amt;
        c.status = Status::Failed.as_str().to_owned();
        c.error_code = Some("cash_failed".into());
        c.error_msg = Some("sandbox: the settlement bank refused the transfer".into());
    } else {
        c.status = Status::Succeeded.as_str().to_owned();
    }
    tx.put(BALANCES, &c.member_id, &b);
    tx.put(CASHS, &order_no, &c);
    let object = cash_object(shared, &c);
    // The notification's type is `{object}.{status}` of the signed object.
    let event_type = format!("{}.{}", endpoints::DRAW_CASH.object, c.status);
    let url = c
        .notify_url
        .clone()
        .or_else(|| shared.cfg.callbacks.adapay.clone());
    let seq = tx.next_seq();
    // The crate's cash model, as the client reads it in a notification.
    let data = serde_json::to_string(&object).unwrap_or_default();
    shared.enqueue(
        tx,
        Delivery::new(
            Provider::Adapay,
            url.as_deref(),
            event_type.clone(),
            c.id.clone(),
            Payload::Adapay {
                id: format!("evt_{seq:012}"),
                event_type,
                object: endpoints::DRAW_CASH.object.to_owned(),
                created_time: (due / 1000).to_string(),
                data,
            },
        ),
    );
}

fn wallet_page(shared: &Shared, req: &Request) -> Reply {
    let form: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (Some(token), Some(sign)) = (get("token"), get("sign")) else {
        return Reply::html(400, "<html><body>missing token or sign</body></html>");
    };
    let tx = shared.store.begin();
    let login: Option<LoginRecord> = tx.get(LOGINS, &token);
    match login {
        Some(l) if l.sign == sign && l.expires >= shared.now_ms() => {
            let member = walletbridge_core::encoding::html_escape(&l.member_id);
            Reply::html(
                200,
                format!(
                    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Adapay sandbox wallet</title></head><body><h1>Adapay sandbox wallet</h1><p>member {member}</p></body></html>"
                ),
            )
        }
        _ => Reply::html(
            403,
            "<html><body>the login token is unknown or expired</body></html>",
        ),
    }
}
