//! Wallet: balance and transactions (`/v1/wallets/...`), on the crate's
//! wire types.

use walletbridge_gsalary::wallet::{
    AccountType, BalanceQuery, TransactionsQuery, TxnType, WalletBalance, WalletTransaction,
    WalletTransactions,
};

use super::*;

pub(super) fn wallet_balance(cx: &mut Cx<'_, '_>) -> R<Option<WalletBalance>> {
    let q: BalanceQuery = cx.query_as()?;
    check_currency("currency", &q.currency)?;
    let amount = wallet(cx.tx, &q.currency);
    let mut b = WalletBalance::default();
    b.currency = q.currency;
    b.amount = amount.normalize();
    b.share_card_account_balance = Some(Decimal::ZERO);
    b.available = Some(amount.normalize());
    b.account_type = Some(AccountType::Balance);
    b.query_time = Some(wire_time(cx.now));
    Ok(Some(b))
}

pub(super) fn wallet_transactions(cx: &mut Cx<'_, '_>) -> R<Option<WalletTransactions>> {
    let q: TransactionsQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    let items: Vec<WalletTransaction> = cx
        .tx
        .scan::<WalletTxn>(WTXN)
        .into_iter()
        .filter(|t| in_window(t.at, w))
        .filter(|t| q.currency.as_deref().is_none_or(|c| c == t.currency))
        .filter(|t| q.txn_type.as_ref().is_none_or(|k| k.as_str() == t.txn_type))
        .map(|t| {
            let mut m = WalletTransaction::default();
            m.transaction_id = Some(t.transaction_id);
            m.txn_type = Some(TxnType::from(t.txn_type.as_str()));
            m.currency = Some(t.currency);
            m.amount = Some(t.amount.normalize());
            m.balance = Some(t.balance.normalize());
            m.account_type = Some(AccountType::Balance);
            m.transaction_time = Some(wire_time(t.at));
            m.description = Some(t.description);
            m
        })
        .collect();
    Ok(Some(list_answer!(
        WalletTransactions,
        transactions,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}
