//! Remittance: clearing networks, quotes and orders (`/v1/remittance/...`),
//! on the crate's wire types.

use walletbridge_gsalary::Money;
use walletbridge_gsalary::payees::{AccountStatus, PaymentMethod};
use walletbridge_gsalary::remittance::{
    self as wire, AmountType, ClearingNetwork, ClearingNetworkOption, OrderStatus,
};
use walletbridge_gsalary::webhooks::{Notification, RemittanceData, WebhookEvent};

use super::exchange::take_quote;
use super::payees::{get_account, get_payee, request_of};
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
    if a.status != AccountStatus::Active.as_str() {
        return Err(status_error("the payee account is not active yet"));
    }
    let p = get_payee(cx, &a.payee_id)?;
    Ok((a, p))
}

/// The bank networks: fee (in cents of the pay currency) and days to arrive.
const NETWORKS: [(ClearingNetwork, i64, i64); 2] = [
    (ClearingNetwork::Swift, 1500, 2),
    (ClearingNetwork::Ach, 300, 1),
];

pub(super) fn clearing_networks(cx: &mut Cx<'_, '_>) -> R<Option<wire::ClearingNetworks>> {
    let q: wire::ClearingNetworksQuery = cx.query_as()?;
    let (a, p) = active_account(cx, &q.payee_account_id)?;
    let mut m = wire::ClearingNetworks::default();
    if a.payment_method == PaymentMethod::BankTransfer.as_str() {
        m.clearing_networks = NETWORKS
            .iter()
            .map(|(network, fee, days)| {
                let mut o = ClearingNetworkOption::new(network.clone());
                o.fee = Some(Decimal::new(*fee, 2).normalize());
                o.estimated_arrival_time = Some(wire_time(cx.now + days * 86_400_000));
                o
            })
            .collect();
    }
    m.country = request_of(&p).map(|r| r.country);
    m.payee_account_id = Some(q.payee_account_id);
    m.pay_currency = Some(q.pay_currency);
    m.receive_currency = Some(q.receive_currency);
    m.amount = Some(q.amount.normalize());
    m.amount_type = Some(q.amount_type);
    Ok(Some(m))
}

pub(super) fn remittance_quote(cx: &mut Cx<'_, '_>) -> R<Option<wire::Quote>> {
    let b: wire::CreateRemittanceQuote = cx.body()?;
    if b.purpose.as_str().trim().is_empty() {
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
    let (pay, receive) = match b.amount_type {
        AmountType::PayAmount => {
            check_amount("amount", &b.pay_currency, b.amount, false)?;
            (b.amount, round(b.amount * r, scale_of(&recv)))
        }
        AmountType::ReceiveAmount => {
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
    Ok(Some(quote_of(&q)))
}

/// A remittance quote as the crate's model.
fn quote_of(q: &Quote) -> wire::Quote {
    let mut m = wire::Quote::default();
    m.quote_id = q.quote_id.clone();
    m.payment_method = q.payment_method.as_deref().map(PaymentMethod::from);
    m.pay_amount = Some(Money::new(&q.pay_currency, q.pay_amount.normalize()));
    m.receive_amount = Some(Money::new(
        &q.receive_currency,
        q.receive_amount.normalize(),
    ));
    m.surcharge = Some(Money::new(&q.pay_currency, q.surcharge.normalize()));
    m.exchange_rate = Some(q.rate.normalize());
    m.expire_at = Some(wire_time(q.expire_at));
    m
}

/// A payout order as the crate's model.
pub(super) fn order_of(o: &RemitOrder) -> wire::RemittanceOrder {
    let mut m = wire::RemittanceOrder::default();
    m.order_id = o.order_id.clone();
    m.order_source = Some("API".into());
    m.client_order_id = Some(o.client_order_id.clone());
    m.create_time = Some(wire_time(o.at));
    m.finish_time = o.finish_at.map(wire_time);
    m.status = Some(OrderStatus::from(o.status.as_str()));
    m.pay_amount = Some(Money::new(&o.pay_currency, o.pay_amount.normalize()));
    m.receive_amount = Some(Money::new(
        &o.receive_currency,
        o.receive_amount.normalize(),
    ));
    m.surcharge = Some(Money::new(&o.pay_currency, o.surcharge.normalize()));
    m.exchange_rate = Some(o.rate.normalize());
    m.error_message = Some(o.error_message.clone()).filter(|e| !e.is_empty());
    m.payee_id = o.payee_id.clone();
    m.payee_account_id = o.payee_account_id.clone();
    m.payer_id = o.payer_id.clone();
    m.payment_method = o.payment_method.as_deref().map(PaymentMethod::from);
    m
}

pub(super) fn remittance_order(cx: &mut Cx<'_, '_>) -> R<Option<wire::RemittanceOrder>> {
    let b: wire::SubmitRemittanceOrder = cx.body()?;
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
        status: OrderStatus::Created.as_str().to_owned(),
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
    Ok(Some(order_of(&o)))
}

pub(super) fn remittance_orders(cx: &mut Cx<'_, '_>) -> R<Option<wire::RemittanceOrders>> {
    let q: wire::OrdersQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    // The table also keeps the `client_order_id:` keys (plain ids): only
    // orders decode as orders.
    let items: Vec<wire::RemittanceOrder> = cx
        .tx
        .scan::<RemitOrder>(REMIT)
        .into_iter()
        .filter(|o| in_window(o.at, w))
        .filter(|o| q.payee_id.is_none() || o.payee_id == q.payee_id)
        .filter(|o| q.payer_id.is_none() || o.payer_id == q.payer_id)
        .filter(|o| q.order_id.as_deref().is_none_or(|x| x == o.order_id))
        .filter(|o| {
            q.client_order_id
                .as_deref()
                .is_none_or(|x| x == o.client_order_id)
        })
        .map(|o| order_of(&o))
        .collect();
    Ok(Some(list_answer!(
        wire::RemittanceOrders,
        orders,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}

/// The due step of a remittance order: it completes or fails.
pub(super) fn finish_order(cx: &mut Cx<'_, '_>, order_id: &str, due: i64) {
    let Some(mut o) = cx.tx.get::<RemitOrder>(REMIT, order_id) else {
        return;
    };
    if o.status != OrderStatus::Created.as_str() {
        return;
    }
    o.finish_at = Some(due);
    let fail = o.fail;
    if fail {
        o.status = OrderStatus::Failed.as_str().to_owned();
        o.error_message = "sandbox: the payee's bank refused the transfer".into();
        let _ = move_wallet(
            cx.tx,
            due,
            &o.pay_currency,
            o.pay_amount + o.surcharge,
            "OTHER",
            "remittance refunded",
        );
    } else {
        o.status = OrderStatus::Success.as_str().to_owned();
    }
    cx.tx.put(REMIT, order_id, &o);
    let bid = format!("{order_id}_{}", o.status);
    let data = RemittanceData::new(
        o.order_id.clone(),
        o.client_order_id.clone(),
        Some(o.client_order_id.clone()),
        OrderStatus::from(o.status.as_str()),
    );
    let n = Notification::new(bid.clone(), iso(due), data);
    let event = if fail {
        WebhookEvent::RemittanceFail(n)
    } else {
        WebhookEvent::RemittanceComplete(n)
    };
    cx.event_body(event.business_type(), &bid, &event);
}
