//! Exchange: rates, quotes, submits and orders (`/v1/exchange/...`), on the
//! crate's wire types.

use walletbridge_gsalary::Money;
use walletbridge_gsalary::exchange::{
    CreateExchangeQuote, CurrentRateQuery, ExchangeOrder, ExchangeOrderStatus, ExchangeOrders,
    ExchangeOrdersQuery, ExchangeQuote, ExchangeRate, QuoteAmount, SubmitExchange,
};

use super::*;

pub(super) fn current_rate(cx: &mut Cx<'_, '_>) -> R<Option<ExchangeRate>> {
    let q: CurrentRateQuery = cx.query_as()?;
    let r = rate(&q.sell_currency, &q.buy_currency)?;
    let mut m = ExchangeRate::default();
    m.sell_currency = Some(q.sell_currency);
    m.buy_currency = Some(q.buy_currency);
    m.exchange_rate = Some(r.normalize());
    m.quote_time = Some(wire_time(cx.now));
    Ok(Some(m))
}

/// An exchange quote as the crate's model.
fn exchange_quote_of(q: &Quote) -> ExchangeQuote {
    let mut m = ExchangeQuote::default();
    m.quote_id = q.quote_id.clone();
    m.sell_currency = Some(q.pay_currency.clone());
    m.buy_currency = Some(q.receive_currency.clone());
    m.sell_amount = Some(Money::new(&q.pay_currency, q.pay_amount.normalize()));
    m.buy_amount = Some(Money::new(
        &q.receive_currency,
        q.receive_amount.normalize(),
    ));
    m.exchange_rate = Some(q.rate.normalize());
    m.expire_at = Some(wire_time(q.expire_at));
    m
}

pub(super) fn exchange_quote(cx: &mut Cx<'_, '_>) -> R<Option<ExchangeQuote>> {
    let b: CreateExchangeQuote = cx.body()?;
    check_currency("sell_currency", &b.sell_currency)?;
    check_currency("buy_currency", &b.buy_currency)?;
    if b.sell_currency == b.buy_currency {
        return Err(invalid("sell_currency and buy_currency must differ"));
    }
    let r = rate(&b.sell_currency, &b.buy_currency)?;
    let (sell, buy) = match b.amount {
        QuoteAmount::Sell(s) => {
            check_amount("sell_amount", &b.sell_currency, s, false)?;
            (s, round(s * r, scale_of(&b.buy_currency)))
        }
        QuoteAmount::Buy(bu) => {
            check_amount("buy_amount", &b.buy_currency, bu, false)?;
            (round(bu / r, scale_of(&b.sell_currency)), bu)
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
    Ok(Some(exchange_quote_of(&q)))
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

/// An exchange order as the crate's model.
fn exorder_of(o: &ExOrder) -> ExchangeOrder {
    let mut m = ExchangeOrder::default();
    m.order_id = Some(o.order_id.clone());
    m.request_id = Some(o.request_id.clone());
    m.quote_id = Some(o.quote_id.clone());
    m.status = Some(ExchangeOrderStatus::from(o.status.as_str()));
    m.sell_amount = Some(Money::new(&o.sell_currency, o.sell_amount.normalize()));
    m.buy_amount = Some(Money::new(&o.buy_currency, o.buy_amount.normalize()));
    m.exchange_rate = Some(o.rate.normalize());
    m.create_time = Some(wire_time(o.at));
    m.finish_time = Some(wire_time(o.at));
    m
}

pub(super) fn exchange_submit(cx: &mut Cx<'_, '_>) -> R<Option<ExchangeOrder>> {
    let b: SubmitExchange = cx.body()?;
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
    Ok(Some(exorder_of(&o)))
}

pub(super) fn exchange_orders(cx: &mut Cx<'_, '_>) -> R<Option<ExchangeOrders>> {
    let q: ExchangeOrdersQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    let items: Vec<ExchangeOrder> = cx
        .tx
        .scan::<ExOrder>(EXORDERS)
        .into_iter()
        .filter(|o| in_window(o.at, w))
        .filter(|o| q.status.as_ref().is_none_or(|s| s.as_str() == o.status))
        .filter(|o| {
            q.buy_currency
                .as_deref()
                .is_none_or(|s| s == o.buy_currency)
        })
        .filter(|o| {
            q.sell_currency
                .as_deref()
                .is_none_or(|s| s == o.sell_currency)
        })
        .map(|o| exorder_of(&o))
        .collect();
    Ok(Some(list_answer!(
        ExchangeOrders,
        orders,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}
