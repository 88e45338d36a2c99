//! Wallet: balance and transactions (`/v1/wallets/...`).

use super::*;

pub(super) fn wallet_balance(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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

pub(super) fn wallet_transactions(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
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
