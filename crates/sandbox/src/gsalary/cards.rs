//! Cards: products, quotas, applies, cards, balance modifies, physical
//! cards (`/v1/card_applies`, `/v1/cards/...`, `/v1/card_support/...`), on
//! the crate's wire types.

use walletbridge_core::SecretString;
use walletbridge_gsalary::cards::{
    AccountingType, ActivateCard, ApplyCard, AssignCard, AssignedCard, Brand, Card as CardModel,
    CardApplication, CardApplyResult, CardBalanceChange, CardBalanceChangeType, CardList,
    CardProduct, CardProducts, CardQuota, CardQuotas, CardStatus, CardType, CardsQuery,
    FreezeStatus, ModifyCardBalance, ProductsQuery, QuotasQuery, RequestStatus, ResetCardPin,
    SecureInfo, UpdateCard, UpdateContact,
};

use walletbridge_gsalary::webhooks::{
    ActivationCodeData, CardStatusData, Notification, WebhookEvent,
};

use super::card_holders::holder_fields;
use super::*;

/// The sandbox's card products.
pub(super) const PRODUCTS: [(&str, &str, &str, &str); 3] = [
    ("SBX_VISA_USD", "Sandbox Visa USD", "VISA", "USD"),
    ("SBX_MASTER_USD", "Sandbox Mastercard USD", "MASTER", "USD"),
    ("SBX_VISA_HKD", "Sandbox Visa HKD", "VISA", "HKD"),
];

pub(super) fn products(cx: &mut Cx<'_, '_>) -> R<Option<CardProducts>> {
    let q: ProductsQuery = cx.query_as()?;
    let mut out = CardProducts::default();
    out.products = PRODUCTS
        .iter()
        .filter(|(_, _, b, c)| {
            q.brand_code.as_ref().is_none_or(|x| x.as_str() == *b)
                && q.currency.as_deref().is_none_or(|x| x == *c)
        })
        .filter(|_| q.card_type.as_ref().is_none_or(|t| *t == CardType::Virtual))
        .map(|(code, name, brand, cur)| {
            let mut p = CardProduct::default();
            p.product_code = Some((*code).to_owned());
            p.product_name = Some((*name).to_owned());
            p.card_type = Some(CardType::Virtual);
            p.brand_code = Some(Brand::from(*brand));
            p.accounting_type = Some(AccountingType::Recharge);
            p.currency = Some((*cur).to_owned());
            p
        })
        .collect();
    Ok(Some(out))
}

pub(super) fn quotas(cx: &mut Cx<'_, '_>) -> R<Option<CardQuotas>> {
    let q: QuotasQuery = cx.query_as()?;
    check_currency("currency", &q.currency)?;
    let mut quota = CardQuota::default();
    quota.available_quota = Some(wallet(cx.tx, &q.currency).normalize());
    quota.currency = Some(q.currency);
    quota.accounting_card_type = Some(q.accounting_card_type.unwrap_or(AccountingType::Recharge));
    let mut out = CardQuotas::default();
    out.quota = Some(quota);
    Ok(Some(out))
}

pub(super) fn luhn_pan(prefix: &str, seq: u64) -> String {
    let body = format!(
        "{prefix}{:0>width$}",
        seq % 10u64.pow(11),
        width = 15 - prefix.len()
    );
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    format!("{body}{}", (10 - sum % 10) % 10)
}

pub(super) fn mask(pan: &str) -> String {
    if pan.len() < 10 {
        return "****".into();
    }
    format!("{}******{}", &pan[..6], &pan[pan.len() - 4..])
}

/// A card as the crate's model, with its holder's names and contact.
pub(super) fn card_of(cx: &Cx<'_, '_>, c: &Card) -> CardModel {
    let holder = cx
        .tx
        .get::<Holder>(HOLDERS, &c.card_holder_id)
        .map(|h| holder_fields(&h))
        .unwrap_or_default();
    let mut m = CardModel::default();
    m.card_id = c.card_id.clone();
    m.card_name = c.card_name.clone();
    m.product_code = Some(c.product_code.clone());
    m.mask_card_number = Some(mask(&c.pan));
    m.card_currency = Some(c.currency.clone());
    m.available_balance = Some(c.balance.normalize());
    m.brand_code = Some(Brand::from(c.brand.as_str()));
    m.status = Some(CardStatus::from(c.status.as_str()));
    m.card_type = Some(CardType::from(c.card_type.as_str()));
    m.accounting_type = Some(AccountingType::Recharge);
    m.card_region = Some("US".into());
    m.card_holder_id = Some(c.card_holder_id.clone());
    m.first_name = holder.first_name;
    m.last_name = holder.last_name;
    m.mobile = holder.mobile;
    m.bill_address = holder.bill_address;
    // An e-mail deleted from the card is kept as "" and not shown.
    m.email = match &c.email {
        Some(e) if e.is_empty() => None,
        Some(e) => Some(e.clone()),
        None => holder.email,
    };
    m.limit_per_day = c.limit_per_day.map(|d| d.normalize());
    m.limit_per_month = c.limit_per_month.map(|d| d.normalize());
    m.limit_per_transaction = c.limit_per_transaction.map(|d| d.normalize());
    m.support_tds_trans = Some(true);
    m.create_time = Some(wire_time(c.at));
    m
}

pub(super) fn get_card(cx: &Cx<'_, '_>, id: &str) -> R<Card> {
    cx.tx
        .get(CARDS, id)
        .ok_or_else(|| not_found("card not found"))
}

pub(super) fn check_limits(pt: Option<Decimal>, pd: Option<Decimal>, pm: Option<Decimal>) -> R<()> {
    for (k, v) in [
        ("limit_per_transaction", pt),
        ("limit_per_day", pd),
        ("limit_per_month", pm),
    ] {
        if let Some(v) = v
            && v <= Decimal::ZERO
        {
            return Err(invalid(format!("`{k}` must be greater than 0")));
        }
    }
    if let (Some(t), Some(d)) = (pt, pd)
        && t > d
    {
        return Err(invalid("limit_per_transaction exceeds limit_per_day"));
    }
    if let (Some(d), Some(m)) = (pd, pm)
        && d > m
    {
        return Err(invalid("limit_per_day exceeds limit_per_month"));
    }
    Ok(())
}

pub(super) fn card_apply(cx: &mut Cx<'_, '_>) -> R<Option<CardApplication>> {
    let b: ApplyCard = cx.body()?;
    if b.request_id.is_empty() || b.request_id.chars().count() > 50 {
        return Err(invalid("`request_id` must be 1 to 50 characters"));
    }
    if cx.tx.contains(APPLIES, &b.request_id) {
        return Err(bad(EC::DUPLICATED, "request_id has been used"));
    }
    check_currency("currency", &b.currency)?;
    let Some(product) = PRODUCTS.iter().find(|p| p.0 == b.product_code) else {
        return Err(invalid("unknown product_code"));
    };
    if product.3 != b.currency {
        return Err(invalid("the product does not issue cards in this currency"));
    }
    if !cx.tx.contains(HOLDERS, &b.card_holder_id) {
        return Err(not_found("card holder not found"));
    }
    check_limits(b.limit_per_transaction, b.limit_per_day, b.limit_per_month)?;
    check_amount("init_balance", &b.currency, b.init_balance, true)?;
    let now = cx.now;
    if !b.init_balance.is_zero() {
        move_wallet(
            cx.tx,
            now,
            &b.currency,
            -b.init_balance,
            "ACCOUNT_PAY",
            "card initial balance",
        )?;
    }
    let a = Apply {
        request_id: b.request_id.clone(),
        status: "PENDING".into(),
        at: now,
        card_id: None,
        product_code: b.product_code,
        currency: b.currency,
        card_holder_id: b.card_holder_id,
        limit_per_day: b.limit_per_day,
        limit_per_month: b.limit_per_month,
        limit_per_transaction: b.limit_per_transaction,
        init_balance: b.init_balance,
    };
    cx.tx.put(APPLIES, &a.request_id, &a);
    schedule(
        cx.tx,
        now + secs(cx.shared.cfg.delays.card_issue),
        AnyJob::Gsalary(Job::CardIssue {
            request_id: a.request_id.clone(),
        }),
    );
    let mut out = CardApplication::default();
    out.request_id = Some(a.request_id);
    out.status = Some(RequestStatus::Pending);
    Ok(Some(out))
}

pub(super) fn card_apply_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardApplyResult>> {
    let a: Apply = cx
        .tx
        .get(APPLIES, id)
        .ok_or_else(|| not_found("card application not found"))?;
    let detail = match &a.card_id {
        Some(cid) => {
            let c = get_card(cx, cid)?;
            Some(card_of(cx, &c))
        }
        None => None,
    };
    let mut out = CardApplyResult::default();
    out.request_id = Some(a.request_id);
    out.status = Some(RequestStatus::from(a.status.as_str()));
    out.create_time = Some(wire_time(a.at));
    out.card_detail = detail;
    Ok(Some(out))
}

pub(super) fn cards_list(cx: &mut Cx<'_, '_>) -> R<Option<CardList>> {
    let q: CardsQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let w = window_of(q.create_start, q.create_end);
    let cards: Vec<Card> = cx
        .tx
        .scan::<Card>(CARDS)
        .into_iter()
        .filter(|c| in_window(c.at, w))
        .filter(|c| {
            q.card_holder_id
                .as_deref()
                .is_none_or(|h| h == c.card_holder_id)
        })
        .filter(|c| q.status.as_ref().is_none_or(|s| s.as_str() == c.status))
        .filter(|c| {
            q.product_code
                .as_deref()
                .is_none_or(|s| s == c.product_code)
        })
        .filter(|c| q.brand_code.as_ref().is_none_or(|s| s.as_str() == c.brand))
        .collect();
    let items: Vec<CardModel> = cards.iter().map(|c| card_of(cx, c)).collect();
    Ok(Some(list_answer!(
        CardList, cards, items, q.page, q.limit, &cx.query
    )))
}

pub(super) fn card_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardModel>> {
    let c = get_card(cx, id)?;
    Ok(Some(card_of(cx, &c)))
}

pub(super) fn live(c: &Card) -> R<()> {
    if c.status == "CANCELLED" {
        Err(status_error("the card is cancelled"))
    } else {
        Ok(())
    }
}

pub(super) fn card_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardModel>> {
    let b: UpdateCard = cx.body()?;
    let mut c = get_card(cx, id)?;
    live(&c)?;
    let pt = b.limit_per_transaction.or(c.limit_per_transaction);
    let pd = b.limit_per_day.or(c.limit_per_day);
    let pm = b.limit_per_month.or(c.limit_per_month);
    check_limits(pt, pd, pm)?;
    (c.limit_per_transaction, c.limit_per_day, c.limit_per_month) = (pt, pd, pm);
    if let Some(n) = b.card_name {
        c.card_name = Some(n);
    }
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_of(cx, &c)))
}

pub(super) fn status_event(cx: &mut Cx<'_, '_>, c: &Card) {
    let bid = format!("{}_{}_{}", c.card_id, c.status, cx.tx.next_seq());
    let data = CardStatusData::new(
        &c.card_id,
        mask(&c.pan),
        CardStatus::from(c.status.as_str()),
        &c.card_holder_id,
    );
    let event = WebhookEvent::CardStatusUpdate(Notification::new(&bid, iso(cx.now), data));
    cx.event_body("CARD_STATUS_UPDATE", &bid, &event);
}

pub(super) fn card_cancel(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let mut c = get_card(cx, id)?;
    live(&c)?;
    let now = cx.now;
    if !c.balance.is_zero() {
        move_wallet(
            cx.tx,
            now,
            &c.currency,
            c.balance,
            "OTHER",
            "card cancelled: balance returned",
        )?;
        history(
            cx,
            &c.card_id,
            "DECREASE",
            &c.currency,
            -c.balance,
            Decimal::ZERO,
            None,
        );
        c.balance = Decimal::ZERO;
    }
    c.status = "CANCELLED".into();
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

pub(super) fn secure_info(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<SecureInfo>> {
    let c = get_card(cx, id)?;
    live(&c)?;
    let mut out = SecureInfo::default();
    out.pan = SecretString::from(c.pan);
    out.expire_year = SecretString::from(c.expire_year);
    out.expire_month = SecretString::from(c.expire_month);
    out.cvv = SecretString::from(c.cvv);
    Ok(Some(out))
}

pub(super) fn history(
    cx: &mut Cx<'_, '_>,
    card_id: &str,
    biz_type: &str,
    currency: &str,
    amount: Decimal,
    post: Decimal,
    txn: Option<&str>,
) {
    let log_id = cx.id("log_");
    let h = CardHistory {
        transaction_id: txn.map(str::to_owned).unwrap_or_else(|| log_id.clone()),
        log_id: log_id.clone(),
        card_id: card_id.to_owned(),
        biz_type: biz_type.to_owned(),
        currency: currency.to_owned(),
        amount,
        post_balance: post,
        at: cx.now,
    };
    cx.tx.put(CARD_HIST, &log_id, &h);
}

/// A balance change as the crate's model.
pub(super) fn modify_of(m: &Modify) -> CardBalanceChange {
    let mut out = CardBalanceChange::default();
    out.gsalary_request_id = Some(m.gsalary_request_id.clone());
    out.request_id = Some(m.request_id.clone());
    out.card_id = Some(m.card_id.clone());
    out.status = Some(RequestStatus::from(m.status.as_str()));
    out.create_time = Some(wire_time(m.at));
    out.finish_time = Some(wire_time(m.at));
    out.amount = Some(m.amount.normalize());
    out.modify_type = Some(CardBalanceChangeType::from(m.kind.as_str()));
    out.post_balance = Some(m.post_balance.normalize());
    out
}

pub(super) fn balance_modify(cx: &mut Cx<'_, '_>) -> R<Option<CardBalanceChange>> {
    let b: ModifyCardBalance = cx.body()?;
    let kind = b.modify_type.as_str().to_owned();
    if b.request_id.is_empty() || b.request_id.chars().count() > 50 {
        return Err(invalid("`request_id` must be 1 to 50 characters"));
    }
    if cx.tx.contains(MODIFIES, &b.request_id) {
        return Err(bad(EC::DUPLICATED, "request_id has been used"));
    }
    let mut c = get_card(cx, &b.card_id)?;
    check_amount("amount", &c.currency, b.amount, false)?;
    if c.status != "ACTIVE" && c.status != "FROZEN" {
        return Err(status_error(format!("the card is {}", c.status)));
    }
    let now = cx.now;
    match kind.as_str() {
        "INCREASE" => {
            move_wallet(
                cx.tx,
                now,
                &c.currency,
                -b.amount,
                "ACCOUNT_PAY",
                "card top-up",
            )?;
            c.balance += b.amount;
        }
        "DECREASE" => {
            if c.balance < b.amount {
                return Err(insufficient(&c.currency));
            }
            c.balance -= b.amount;
            move_wallet(
                cx.tx,
                now,
                &c.currency,
                b.amount,
                "OTHER",
                "card withdrawal",
            )?;
        }
        _ => return Err(invalid("`type` must be INCREASE or DECREASE")),
    }
    let m = Modify {
        gsalary_request_id: cx.id("gsr_"),
        request_id: b.request_id.clone(),
        card_id: c.card_id.clone(),
        status: "SUCCESS".into(),
        at: now,
        amount: b.amount,
        kind: kind.clone(),
        post_balance: c.balance,
    };
    cx.tx.put(CARDS, &c.card_id, &c);
    cx.tx.put(MODIFIES, &m.request_id, &m);
    let signed = if kind == "INCREASE" {
        b.amount
    } else {
        -b.amount
    };
    let gid = m.gsalary_request_id.clone();
    history(
        cx,
        &c.card_id,
        &kind,
        &c.currency,
        signed,
        c.balance,
        Some(&gid),
    );
    Ok(Some(modify_of(&m)))
}

pub(super) fn balance_modify_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardBalanceChange>> {
    let m: Modify = cx
        .tx
        .get(MODIFIES, id)
        .ok_or_else(|| not_found("balance modify request not found"))?;
    Ok(Some(modify_of(&m)))
}

pub(super) fn freeze(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let b: FreezeStatus = cx.body()?;
    let mut c = get_card(cx, id)?;
    c.status = match (c.status.as_str(), b.freeze) {
        ("ACTIVE", true) => "FROZEN".into(),
        ("FROZEN", false) => "ACTIVE".into(),
        (s, _) => return Err(status_error(format!("the card is {s}"))),
    };
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

pub(super) fn contact(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardModel>> {
    let b: UpdateContact = cx.body()?;
    let mut c = get_card(cx, id)?;
    live(&c)?;
    if let Some(e) = b.email {
        if !e.contains('@') {
            return Err(invalid("`email` is not an e-mail address"));
        }
        c.email = Some(e);
    }
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_of(cx, &c)))
}

pub(super) fn delete_email(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<CardModel>> {
    let mut c = get_card(cx, id)?;
    live(&c)?;
    c.email = Some(String::new());
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_of(cx, &c)))
}

pub(super) fn assign_card(cx: &mut Cx<'_, '_>) -> R<Option<AssignedCard>> {
    let b: AssignCard = cx.body()?;
    let n = b.card_number.expose();
    if n.len() < 12 || n.len() > 19 || !n.bytes().all(|c| c.is_ascii_digit()) {
        return Err(invalid("`card_number` must be 12 to 19 digits"));
    }
    check_currency("card_currency", &b.card_currency)?;
    if !cx.tx.contains(HOLDERS, &b.card_holder_id) {
        return Err(not_found("card holder not found"));
    }
    if cx.tx.scan::<Card>(CARDS).iter().any(|c| c.pan == *n) {
        return Err(bad(EC::DUPLICATED, "the card has been assigned"));
    }
    let c = Card {
        card_id: cx.id("card_"),
        card_holder_id: b.card_holder_id,
        product_code: "SBX_PHYSICAL".into(),
        currency: b.card_currency,
        balance: Decimal::ZERO,
        limit_per_day: None,
        limit_per_month: None,
        limit_per_transaction: None,
        status: "INACTIVE".into(),
        card_type: "PHYSICAL".into(),
        brand: if n.starts_with('5') { "MASTER" } else { "VISA" }.into(),
        card_name: None,
        email: None,
        pan: n.clone(),
        cvv: "123".into(),
        expire_year: "2030".into(),
        expire_month: "12".into(),
        at: cx.now,
    };
    cx.tx.put(CARDS, &c.card_id, &c);
    let bid = format!("{}_activation", c.card_id);
    let data = ActivationCodeData::new(&c.card_id, mask(&c.pan), ACTIVATION_CODE);
    let event = WebhookEvent::CardActivationCode(Notification::new(&bid, iso(cx.now), data));
    cx.event_body("CARD_ACTIVATION_CODE", &bid, &event);
    let mut out = AssignedCard::default();
    out.card_id = c.card_id;
    Ok(Some(out))
}

pub(super) fn check_pin(pin: &str) -> R<()> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid("`pin` must be 6 digits"))
    }
}

pub(super) fn activate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let b: ActivateCard = cx.body()?;
    let mut c = get_card(cx, id)?;
    if c.status != "INACTIVE" {
        return Err(status_error(format!("the card is {}", c.status)));
    }
    if b.activation_code.expose() != ACTIVATION_CODE {
        return Err(invalid("wrong activation_code"));
    }
    check_pin(b.pin.expose())?;
    c.status = "ACTIVE".into();
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

pub(super) fn reset_pin(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let b: ResetCardPin = cx.body()?;
    let c = get_card(cx, id)?;
    live(&c)?;
    check_pin(b.pin.expose())?;
    Ok(None)
}

/// The due step of a card apply: the card is issued.
pub(super) fn issue(cx: &mut Cx<'_, '_>, request_id: &str, due: i64) {
    let Some(mut a) = cx.tx.get::<Apply>(APPLIES, request_id) else {
        return;
    };
    if a.status != "PENDING" {
        return;
    }
    let seq = cx.tx.next_seq();
    let brand = PRODUCTS
        .iter()
        .find(|p| p.0 == a.product_code)
        .map(|p| p.2)
        .unwrap_or("VISA");
    let c = Card {
        card_id: format!("card_{seq:010}"),
        card_holder_id: a.card_holder_id.clone(),
        product_code: a.product_code.clone(),
        currency: a.currency.clone(),
        balance: a.init_balance,
        limit_per_day: a.limit_per_day,
        limit_per_month: a.limit_per_month,
        limit_per_transaction: a.limit_per_transaction,
        status: "ACTIVE".into(),
        card_type: "VIRTUAL".into(),
        brand: brand.into(),
        card_name: None,
        email: None,
        pan: luhn_pan(if brand == "MASTER" { "5555" } else { "4111" }, seq),
        cvv: format!("{:03}", seq % 1000),
        expire_year: "2030".into(),
        expire_month: format!("{:02}", seq % 12 + 1),
        at: due,
    };
    a.status = "SUCCESS".into();
    a.card_id = Some(c.card_id.clone());
    cx.tx.put(CARDS, &c.card_id, &c);
    cx.tx.put(APPLIES, request_id, &a);
    if !a.init_balance.is_zero() {
        history(
            cx,
            &c.card_id,
            "INCREASE",
            &c.currency,
            a.init_balance,
            a.init_balance,
            None,
        );
    }
    status_event(cx, &c);
}
