//! The simulated Adapay (wallet part): draw cash, draw cash status,
//! balance, wallet login (page host) and the wallet page.
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
//! `invalid_param`), `order_no_used`, `balance_not_enough`,
//! `member_not_exists`, `order_not_exists`, `resource_not_found`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use walletbridge_adapay::signing;
use walletbridge_core::money::parse_decimal;

use crate::config::Provider;
use crate::runtime::{Delivery, Job as AnyJob, Payload, Shared, schedule};
use crate::store::Txn;
use crate::wire::{Reply, Request, fixed};

const BALANCES: &str = "ad_balances";
const CASHS: &str = "ad_cashs";
const LOGINS: &str = "ad_logins";

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

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cash {
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

/// Due steps of Adapay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Job {
    CashSettle { order_no: String },
}

pub(crate) fn seed(tx: &mut Txn<'_>) {
    set_balance(tx, "0", None, Decimal::new(STARTING_BALANCE_FEN, 2), None);
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
            (member_id != "0").then(|| {
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
    param: Option<&'static str>,
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

fn param(name: &'static str, msg: impl Into<String>) -> Fail {
    Fail {
        code: "parameter_error",
        msg: msg.into(),
        param: Some(name),
        status: 200,
    }
}

type R<T> = Result<T, Fail>;

/// Serves one request on the API host (`page` false) or the page host.
pub(crate) fn handle(shared: &Shared, req: &Request, page: bool) -> Reply {
    if page && req.method == "POST" && req.path.trim_end_matches('/') == "/wallet" {
        return wallet_page(shared, req);
    }
    let ids = &shared.cfg.identities;
    if req.header("authorization").map(str::trim) != Some(ids.adapay_api_key.as_str()) {
        return Reply::json(
            401,
            &json!({"error_code": "unauthorized", "error_msg": "the api key is missing or wrong", "status": "failed"}),
        );
    }
    let url = format!("http://{}{}", req.host, req.path);
    let message: Vec<u8> = if req.method == "GET" {
        let mut pairs: Vec<(String, String)> = req
            .query_pairs()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        pairs.sort();
        let joined = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        signing::get_signing_string(&url, &joined).into_bytes()
    } else {
        signing::post_signing_string(&url, &req.body)
    };
    let object = match (page, req.path.as_str()) {
        (false, "/v1/cashs" | "/v1/cashs/stat") => "cash",
        (false, "/v1/settle_accounts/balance") => "account_balance",
        (true, "/v1/walletLogin") => "login",
        _ => "",
    };
    let verified = signing::verify(
        shared.keys.adapay_merchant.as_ref(),
        &message,
        req.header("signature"),
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
        let r = route(shared, &mut tx, req, page, now);
        match r {
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
    let (status, data) = match result {
        Ok(v) => (200, v),
        Err(f) => {
            let mut d = json!({
                "app_id": ids.adapay_app_id,
                "prod_mode": "false",
                "status": "failed",
                "error_code": f.code,
                "error_msg": f.msg,
                "error_type": if f.status >= 500 { "api_error" } else { "invalid_request_error" },
            });
            if let Some(o) = d.as_object_mut() {
                if !object.is_empty() {
                    o.insert("object".into(), json!(object));
                }
                if let Some(p) = f.param {
                    o.insert("invalid_param".into(), json!(p));
                }
            }
            (f.status, d)
        }
    };
    signed(shared, status, &data)
}

fn signed(shared: &Shared, status: u16, data: &Value) -> Reply {
    match signing::signed_answer(shared.keys.adapay_platform.as_ref(), &data.to_string()) {
        Ok(body) => Reply {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: body.into_bytes(),
        },
        Err(e) => Reply::json(
            500,
            &json!({"error_code": "api_error", "error_msg": e.to_string()}),
        ),
    }
}

/// Replacement answers of faults, Adapay style (unsigned).
pub(crate) fn fault_body(kind: crate::config::FaultKind) -> Reply {
    match kind {
        crate::config::FaultKind::SystemBusy => Reply::json(
            423,
            &json!({"error_code": "system_busy", "error_msg": "the system is busy", "status": "failed"}),
        ),
        _ => Reply::json(
            500,
            &json!({"error_code": "api_error", "error_msg": "system error", "status": "failed"}),
        ),
    }
}

fn body(req: &Request) -> R<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(fail("parameter_error", "the body is not a JSON object")),
    }
}

fn text<'a>(m: &'a serde_json::Map<String, Value>, k: &'static str) -> R<&'a str> {
    match m.get(k) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        None | Some(Value::Null) => Err(param(k, format!("{k} is required"))),
        _ => Err(param(k, format!("{k} must be a string"))),
    }
}

fn route(shared: &Shared, tx: &mut Txn<'_>, req: &Request, page: bool, now: i64) -> R<Value> {
    let app = &shared.cfg.identities.adapay_app_id;
    match (page, req.method.as_str(), req.path.as_str()) {
        (false, "POST", "/v1/cashs") => {
            let m = body(req)?;
            if text(&m, "app_id")? != app {
                return Err(param("app_id", "unknown app_id"));
            }
            draw_cash(shared, tx, &m, now)
        }
        (false, "GET", "/v1/cashs/stat") => {
            let q = req.query_pairs();
            let order_no = q
                .iter()
                .find(|(k, _)| k == "order_no")
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| param("order_no", "order_no is required"))?;
            let c: Cash = tx
                .get(CASHS, order_no)
                .ok_or_else(|| fail("order_not_exists", "no draw cash with this order_no"))?;
            Ok(cash_json(shared, &c))
        }
        (false, "GET", "/v1/settle_accounts/balance") => {
            let q = req.query_pairs();
            let get = |k: &str| {
                q.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.as_str())
                    .filter(|v| !v.is_empty())
            };
            if get("app_id") != Some(app.as_str()) {
                return Err(param("app_id", "unknown app_id"));
            }
            let member =
                get("member_id").ok_or_else(|| param("member_id", "member_id is required"))?;
            let b: Balance = tx
                .get(BALANCES, member)
                .ok_or_else(|| fail("member_not_exists", "no such member"))?;
            if member != "0" && get("settle_account_id") != b.settle_account_id.as_deref() {
                return Err(param(
                    "settle_account_id",
                    "the settle account is not the member's",
                ));
            }
            Ok(json!({
                "app_id": app,
                "object": "account_balance",
                "prod_mode": "false",
                "acct_balance": fixed(b.avl + b.frz, 2),
                "avl_balance": fixed(b.avl, 2),
                "frz_balance": fixed(b.frz, 2),
                "status": "succeeded",
            }))
        }
        (true, "POST", "/v1/walletLogin") => {
            let m = body(req)?;
            if text(&m, "app_id")? != app {
                return Err(param("app_id", "unknown app_id"));
            }
            let member = text(&m, "member_id")?.to_owned();
            text(&m, "ip")?;
            if !tx.contains(BALANCES, &member) {
                return Err(fail("member_not_exists", "no such member"));
            }
            let n = tx.next_seq();
            let token = format!("sbx_token_{n:010}");
            let sign = format!("sbx_sign_{:x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            tx.put(
                LOGINS,
                &token,
                &json!({"member_id": member, "sign": sign, "expires": now + 600_000}),
            );
            Ok(json!({
                "app_id": app,
                "object": "login",
                "prod_mode": "false",
                "token": token,
                "sign": sign,
                "status": "succeeded",
            }))
        }
        _ => Err(Fail {
            code: "resource_not_found",
            msg: "no such endpoint".into(),
            param: None,
            status: 404,
        }),
    }
}

fn cash_json(shared: &Shared, c: &Cash) -> Value {
    let mut v = json!({
        "id": c.id,
        "app_id": shared.cfg.identities.adapay_app_id,
        "object": "cash",
        "created_time": (c.created / 1000).to_string(),
        "prod_mode": "false",
        "order_no": c.order_no,
        "cash_type": c.cash_type,
        "cash_amt": fixed(c.cash_amt, 2),
        "fee_amt": "0.00",
        "real_amt": fixed(c.cash_amt, 2),
        "member_id": c.member_id,
        "status": c.status,
    });
    if let Some(o) = v.as_object_mut() {
        if let Some(e) = &c.error_code {
            o.insert("error_code".into(), json!(e));
            o.insert("error_type".into(), json!("channel_error"));
        }
        if let Some(e) = &c.error_msg {
            o.insert("error_msg".into(), json!(e));
        }
    }
    v
}

fn draw_cash(
    shared: &Shared,
    tx: &mut Txn<'_>,
    m: &serde_json::Map<String, Value>,
    now: i64,
) -> R<Value> {
    let order_no = text(m, "order_no")?.to_owned();
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
    let cash_type = text(m, "cash_type")?.to_owned();
    if cash_type != "T1" {
        return Err(param("cash_type", "only T1 is supported"));
    }
    let amt = parse_decimal(text(m, "cash_amt")?, Some(2)).map_err(|_| {
        param(
            "cash_amt",
            "cash_amt must be yuan with at most two decimals",
        )
    })?;
    if amt <= Decimal::ZERO {
        return Err(param("cash_amt", "cash_amt must be greater than 0"));
    }
    let member = text(m, "member_id")?.to_owned();
    let notify_url = match m.get("notify_url") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
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
    let c = Cash {
        id: format!("00211100{:017}", seq),
        order_no: order_no.clone(),
        member_id: member,
        cash_type,
        cash_amt: amt,
        status: "pending".into(),
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
    Ok(cash_json(shared, &c))
}

pub(crate) fn run_job(shared: &Shared, tx: &mut Txn<'_>, job: Job, due: i64) {
    let Job::CashSettle { order_no } = job;
    let Some(mut c) = tx.get::<Cash>(CASHS, &order_no) else {
        return;
    };
    if c.status != "pending" {
        return;
    }
    let Some(mut b) = tx.get::<Balance>(BALANCES, &c.member_id) else {
        return;
    };
    b.frz -= c.cash_amt;
    if c.order_no.starts_with(FAIL_PREFIX) {
        b.avl += c.cash_amt;
        c.status = "failed".into();
        c.error_code = Some("cash_failed".into());
        c.error_msg = Some("sandbox: the settlement bank refused the transfer".into());
    } else {
        c.status = "succeeded".into();
    }
    tx.put(BALANCES, &c.member_id, &b);
    tx.put(CASHS, &order_no, &c);
    let event_type = format!("cash.{}", c.status);
    let url = c
        .notify_url
        .clone()
        .or_else(|| shared.cfg.callbacks.adapay.clone());
    let seq = tx.next_seq();
    let data = cash_json(shared, &c).to_string();
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
                object: "cash".into(),
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
    let login: Option<Value> = tx.get(LOGINS, &token);
    match login {
        Some(l)
            if l.get("sign").and_then(Value::as_str) == Some(sign.as_str())
                && l.get("expires").and_then(Value::as_i64).unwrap_or(0) >= shared.now_ms() =>
        {
            let member = l.get("member_id").and_then(Value::as_str).unwrap_or("0");
            let member = crate::wire::html_escape(member);
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
