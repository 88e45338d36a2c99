//! Remittance: clearing networks, quotes and orders (`/v1/remittance/...`).

use super::exchange::{quote_json, take_quote};
use super::payees::{get_account, get_payee};
use super::payers::get_payer;
use super::*;

pub(super) fn surcharge(currency: &str) -> Decimal {
    if scale_of(currency) == 0 {
        Decimal::new(100, 0)
    } else {
        Decimal::new(100, 2)
    }
}

pub(super) fn active_account(cx: &Cx<'_, '_>, id: &str) -> R<(Account, Payee)> {
    let a = get_account(cx, id)?;
    if a.status != "ACTIVE" {
        return Err(status_error("the payee account is not active yet"));
    }
    let p = get_payee(cx, &a.payee_id)?;
    Ok((a, p))
}

pub(super) fn clearing_networks(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn remittance_quote(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn order_json(o: &RemitOrder) -> Value {
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

pub(super) fn remittance_order(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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
        return Err(bad(EC::DUPLICATED, "client_order_id has been used"));
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

pub(super) fn remittance_orders(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

/// The due step of a remittance order: it completes or fails.
pub(super) fn finish_order(cx: &mut Cx<'_, '_>, order_id: &str, due: i64) {
    let Some(mut o) = cx.tx.get::<RemitOrder>(REMIT, order_id) else {
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
    cx.tx.put(REMIT, order_id, &o);
    let bid = format!("{order_id}_{}", o.status);
    cx.event(
        kind,
        &bid,
        json!({"order_id": o.order_id, "client_order_id": o.client_order_id, "request_id": o.client_order_id, "status": o.status}),
    );
}
