//! Card bills: card transactions and card balance history
//! (`/v1/card_bill/...`), on the crate's wire types; and the simulated card
//! network that records card transactions (the admin call
//! `POST /__sandbox/gsalary/cards/{card_id}/transactions`).

use walletbridge_gsalary::Money;
use walletbridge_gsalary::card_bills::{
    BalanceHistoryEntry, BalanceHistoryList, BalanceHistoryQuery, BalanceHistoryType,
    CardTransaction, CardTransactionList, CardTransactionsQuery, CardTxnStatus, CardTxnType,
};
use walletbridge_gsalary::webhooks::{CardTransactionData, Notification, WebhookEvent};

use super::cards::{get_card, history, mask};
use super::*;

/// A card transaction as the sandbox keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct CardTxn {
    transaction_id: String,
    #[serde(default)]
    mch_request_id: Option<String>,
    card_id: String,
    mask_card_number: String,
    /// `AUTH` (a purchase), `REFUND` or `REVERSAL`.
    biz_type: String,
    /// `AUTHORIZED`, `COMPLETED` or `FAILED`.
    status: String,
    #[serde(default)]
    status_description: Option<String>,
    currency: String,
    amount: Decimal,
    accounting_currency: String,
    accounting_amount: Decimal,
    merchant_name: String,
    #[serde(default)]
    merchant_region: Option<String>,
    /// A purchase that a reversal released.
    #[serde(default)]
    reversed: bool,
    at: i64,
}

impl CardTxn {
    fn approved(&self) -> bool {
        self.status != "FAILED"
    }
}

/// A stored transaction as the crate's model.
fn transaction_of(t: &CardTxn) -> CardTransaction {
    let mut m = CardTransaction::default();
    m.transaction_id = Some(t.transaction_id.clone());
    m.mch_request_id = t.mch_request_id.clone();
    m.card_id = Some(t.card_id.clone());
    m.mask_card_number = Some(t.mask_card_number.clone());
    m.transaction_time = Some(wire_time(t.at));
    if t.approved() {
        m.confirm_time = Some(wire_time(t.at));
    }
    m.transaction_amount = Some(Money::new(&t.currency, t.amount.normalize()));
    m.accounting_amount = Some(Money::new(
        &t.accounting_currency,
        t.accounting_amount.normalize(),
    ));
    m.biz_type = Some(CardTxnType::from(t.biz_type.as_str()));
    m.status = Some(CardTxnStatus::from(t.status.as_str()));
    m.status_description = t.status_description.clone();
    m.merchant_name = Some(t.merchant_name.clone());
    m.merchant_region = t.merchant_region.clone();
    m
}

pub(super) fn card_transactions(cx: &mut Cx<'_, '_>) -> R<Option<CardTransactionList>> {
    let q: CardTransactionsQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    let items: Vec<CardTransaction> = cx
        .tx
        .scan::<CardTxn>(CARD_TXNS)
        .iter()
        .filter(|t| in_window(t.at, w))
        .filter(|t| q.card_id.as_deref().is_none_or(|c| c == t.card_id))
        .filter(|t| {
            q.transaction_id
                .as_deref()
                .is_none_or(|c| c == t.transaction_id)
        })
        .filter(|t| {
            q.mch_request_id
                .as_deref()
                .is_none_or(|c| Some(c) == t.mch_request_id.as_deref())
        })
        .map(transaction_of)
        .collect();
    Ok(Some(list_answer!(
        CardTransactionList,
        transactions,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}

pub(super) fn balance_history(cx: &mut Cx<'_, '_>) -> R<Option<BalanceHistoryList>> {
    let q: BalanceHistoryQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.time_start, q.time_end);
    let items: Vec<BalanceHistoryEntry> = cx
        .tx
        .scan::<CardHistory>(CARD_HIST)
        .into_iter()
        .filter(|h| in_window(h.at, w))
        .filter(|h| q.card_id.as_deref().is_none_or(|c| c == h.card_id))
        .filter(|h| {
            q.transaction_id
                .as_deref()
                .is_none_or(|c| c == h.transaction_id)
        })
        .filter(|h| q.log_id.as_deref().is_none_or(|c| c == h.log_id))
        .map(|h| {
            let mut m = BalanceHistoryEntry::default();
            m.log_id = Some(h.log_id);
            m.card_id = Some(h.card_id);
            m.transaction_id = Some(h.transaction_id);
            m.biz_type = Some(BalanceHistoryType::from(h.biz_type.as_str()));
            m.currency = Some(h.currency);
            m.amount = Some(h.amount.normalize());
            m.post_balance = Some(h.post_balance.normalize());
            m.create_time = Some(wire_time(h.at));
            m
        })
        .collect();
    Ok(Some(list_answer!(
        BalanceHistoryList,
        history,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}

// ---------------------------------------------------------------- the card network

/// What a card network sends to a GSalary card: a purchase, a refund or the
/// reversal of an earlier purchase. Recorded by
/// [`Sandbox::gsalary_card_transaction`](crate::Sandbox::gsalary_card_transaction)
/// or the admin call `POST /__sandbox/gsalary/cards/{card_id}/transactions`
/// (this type is its JSON body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardNetworkTransaction {
    /// What happens (default: a purchase).
    #[serde(default)]
    pub kind: CardNetworkKind,
    /// The merchant's name.
    #[serde(alias = "merchant")]
    pub merchant_name: String,
    /// The merchant's region (two letters), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_region: Option<String>,
    /// The amount in `currency`; for a reversal, the original's when absent.
    #[serde(
        default,
        with = "walletbridge_core::money::lenient::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// The transaction currency; the card's when absent (another currency
    /// is converted at the sandbox's fixed rates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The purchase a reversal releases (required for a reversal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_transaction_id: Option<String>,
    /// A merchant request id to show on the transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mch_request_id: Option<String>,
}

/// What a [`CardNetworkTransaction`] does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CardNetworkKind {
    /// A purchase (`AUTH`): approved, it debits the card.
    #[default]
    Purchase,
    /// A refund (`REFUND`): it credits the card.
    Refund,
    /// The reversal (`REVERSAL`) of an approved purchase: it releases it.
    Reversal,
}

impl CardNetworkTransaction {
    fn new(
        kind: CardNetworkKind,
        merchant_name: impl Into<String>,
        amount: Option<Decimal>,
    ) -> Self {
        Self {
            kind,
            merchant_name: merchant_name.into(),
            merchant_region: None,
            amount,
            currency: None,
            original_transaction_id: None,
            mch_request_id: None,
        }
    }

    /// A purchase of `amount` in the card's currency at `merchant_name`.
    pub fn purchase(merchant_name: impl Into<String>, amount: Decimal) -> Self {
        Self::new(CardNetworkKind::Purchase, merchant_name, Some(amount))
    }

    /// A refund of `amount` in the card's currency from `merchant_name`.
    pub fn refund(merchant_name: impl Into<String>, amount: Decimal) -> Self {
        Self::new(CardNetworkKind::Refund, merchant_name, Some(amount))
    }

    /// The reversal of the approved purchase `original_transaction_id`, for
    /// its whole amount.
    pub fn reversal(
        merchant_name: impl Into<String>,
        original_transaction_id: impl Into<String>,
    ) -> Self {
        let mut t = Self::new(CardNetworkKind::Reversal, merchant_name, None);
        t.original_transaction_id = Some(original_transaction_id.into());
        t
    }

    /// The transaction's currency, when it is not the card's.
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = Some(currency.into());
        self
    }

    /// The merchant's region (two letters).
    pub fn merchant_region(mut self, region: impl Into<String>) -> Self {
        self.merchant_region = Some(region.into());
        self
    }

    /// A merchant request id to show on the transaction.
    pub fn mch_request_id(mut self, id: impl Into<String>) -> Self {
        self.mch_request_id = Some(id.into());
        self
    }
}

/// What the simulated card network did with a [`CardNetworkTransaction`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CardNetworkOutcome {
    /// Whether the card approved it (a decline is recorded as `FAILED`).
    pub approved: bool,
    /// The transaction as the card transactions endpoint lists it.
    pub transaction: CardTransaction,
}

/// The UTC day (`YYYY-MM-DD`) and month (`YYYY-MM`) of a time, for limits.
fn day_and_month(ms: i64) -> (String, String) {
    let t = iso(ms);
    (t[..10].to_owned(), t[..7].to_owned())
}

/// Records a transaction on a card as a card network would, moves the card
/// balance when approved, and sends the `CARD_TRANSACTION` webhook.
/// Declines are recorded (status `FAILED`) and answered like approvals; a
/// request the network could not even read is an error.
pub(crate) fn admin_card_transaction(
    shared: &Shared,
    tx: &mut Txn<'_>,
    now: i64,
    card_id: &str,
    r: &CardNetworkTransaction,
) -> crate::error::Result<CardNetworkOutcome> {
    use crate::error::Error;
    with_cx(shared, tx, now, |cx| {
        let card = get_card(cx, card_id).map_err(|e| Error::NotFound(e.message))?;
        let t = network(cx, card, r).map_err(|e| Error::Config(e.message))?;
        let model = transaction_of(&t);
        let event = WebhookEvent::CardTransaction(Box::new(Notification::new(
            t.transaction_id.clone(),
            iso(cx.now),
            CardTransactionData::new(model.clone()),
        )));
        cx.event_body("CARD_TRANSACTION", &t.transaction_id, &event);
        Ok(CardNetworkOutcome {
            approved: t.approved(),
            transaction: model,
        })
    })
}

/// The network's rules. An error is a request it cannot read (a bad
/// amount, an unknown original); a decline is a recorded `FAILED`
/// transaction.
fn network(cx: &mut Cx<'_, '_>, mut card: Card, r: &CardNetworkTransaction) -> R<CardTxn> {
    let biz_type = match r.kind {
        CardNetworkKind::Purchase => "AUTH",
        CardNetworkKind::Refund => "REFUND",
        CardNetworkKind::Reversal => "REVERSAL",
    };
    if r.merchant_name.trim().is_empty() {
        return Err(missing("merchant_name"));
    }
    let mut original = match (biz_type, &r.original_transaction_id) {
        ("REVERSAL", None) => return Err(missing("original_transaction_id")),
        (_, None) => None,
        (_, Some(id)) => {
            let o: CardTxn = cx
                .tx
                .get(CARD_TXNS, id)
                .filter(|o: &CardTxn| o.card_id == card.card_id)
                .ok_or_else(|| not_found("original transaction not found on this card"))?;
            Some(o)
        }
    };
    let currency = r
        .currency
        .clone()
        .or_else(|| original.as_ref().map(|o| o.currency.clone()))
        .unwrap_or_else(|| card.currency.clone());
    check_currency("currency", &currency)?;
    let amount = match (r.amount, &original) {
        (Some(a), _) => a,
        (None, Some(o)) if biz_type == "REVERSAL" => o.amount,
        (None, _) => return Err(missing("amount")),
    };
    check_amount("amount", &currency, amount, false)?;
    let accounting = round(
        amount * rate(&currency, &card.currency)?,
        scale_of(&card.currency),
    );

    let mut decline: Option<String> = None;
    if card.status == "CANCELLED" {
        decline = Some("the card is cancelled".into());
    } else if biz_type == "AUTH" && card.status != "ACTIVE" {
        decline = Some(format!("the card is {}", card.status.to_lowercase()));
    } else if biz_type == "AUTH" {
        let (day, month) = day_and_month(cx.now);
        let spent = |same: &dyn Fn(i64) -> bool| -> Decimal {
            cx.tx
                .scan::<CardTxn>(CARD_TXNS)
                .iter()
                .filter(|t| t.card_id == card.card_id && t.biz_type == "AUTH")
                .filter(|t| t.approved() && !t.reversed && same(t.at))
                .map(|t| t.accounting_amount)
                .sum()
        };
        let today = spent(&|at| day_and_month(at).0 == day);
        let this_month = spent(&|at| day_and_month(at).1 == month);
        if card.limit_per_transaction.is_some_and(|l| accounting > l) {
            decline = Some("above the card's per-transaction limit".into());
        } else if card.limit_per_day.is_some_and(|l| today + accounting > l) {
            decline = Some("above the card's daily limit".into());
        } else if card
            .limit_per_month
            .is_some_and(|l| this_month + accounting > l)
        {
            decline = Some("above the card's monthly limit".into());
        } else if accounting > card.balance {
            decline = Some("insufficient card balance".into());
        }
    } else if biz_type == "REVERSAL" {
        match &original {
            Some(o) if o.biz_type == "AUTH" && o.approved() && !o.reversed => {
                if amount > o.amount || currency != o.currency {
                    return Err(invalid(
                        "a reversal cannot exceed its purchase or change its currency",
                    ));
                }
            }
            _ => {
                return Err(status_error(
                    "only an approved, unreversed purchase can be reversed",
                ));
            }
        }
    }

    let transaction_id = cx.id("ctx_");
    let approved = decline.is_none();
    if approved {
        let (delta, history_type) = match biz_type {
            "AUTH" => (-accounting, "CARD_PAYMENT"),
            _ => (accounting, "CARD_REFUND"),
        };
        card.balance += delta;
        cx.tx.put(CARDS, &card.card_id, &card);
        history(
            cx,
            &card.card_id,
            history_type,
            &card.currency,
            delta,
            card.balance,
            Some(&transaction_id),
        );
        if biz_type == "REVERSAL"
            && let Some(o) = original.as_mut()
        {
            o.reversed = true;
            cx.tx.put(CARD_TXNS, &o.transaction_id, &*o);
        }
    }
    let t = CardTxn {
        transaction_id: transaction_id.clone(),
        mch_request_id: r.mch_request_id.clone(),
        card_id: card.card_id.clone(),
        mask_card_number: mask(&card.pan),
        biz_type: biz_type.to_owned(),
        status: match (approved, biz_type) {
            (false, _) => "FAILED",
            (true, "AUTH") => "AUTHORIZED",
            (true, _) => "COMPLETED",
        }
        .to_owned(),
        status_description: decline,
        currency,
        amount,
        accounting_currency: card.currency.clone(),
        accounting_amount: accounting,
        merchant_name: r.merchant_name.clone(),
        merchant_region: r.merchant_region.clone(),
        reversed: false,
        at: cx.now,
    };
    cx.tx.put(CARD_TXNS, &transaction_id, &t);
    Ok(t)
}
