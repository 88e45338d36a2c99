//! Card bills: card transactions and card balance history (`/v1/card_bill/...`).

use super::*;

pub(super) fn card_transactions(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn balance_history(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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
