//! Exchange: rates, quotes, submits and orders (`/v1/exchange/...`).

use super::*;

pub(super) fn current_rate(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn quote_json(q: &Quote) -> Value {
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

pub(super) fn exchange_quote(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn take_quote(cx: &mut Cx<'_, '_>, quote_id: &str, remittance: bool) -> R<Quote> {
    let mut q: Quote = cx
        .tx
        .get(QUOTES, quote_id)
        .filter(|q: &Quote| q.remittance == remittance)
        .ok_or_else(|| not_found("quote not found"))?;
    if q.used {
        return Err(status_error("the quote has been used"));
    }
    if cx.now > q.expire_at {
        return Err(bad(EC::QUOTE_EXPIRE, "the quote has expired"));
    }
    q.used = true;
    cx.tx.put(QUOTES, quote_id, &q);
    Ok(q)
}

pub(super) fn exorder_json(o: &ExOrder) -> Value {
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

pub(super) fn exchange_submit(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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
        return Err(bad(EC::DUPLICATED, "request_id has been used"));
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

pub(super) fn exchange_orders(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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
