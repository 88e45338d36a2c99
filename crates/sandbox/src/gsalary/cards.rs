//! Cards: products, quotas, applies, cards, balance modifies, physical cards (`/v1/card_applies`, `/v1/cards/...`, `/v1/card_support/...`).

use super::*;

/// The sandbox's card products.
pub(super) const PRODUCTS: [(&str, &str, &str, &str); 3] = [
    ("SBX_VISA_USD", "Sandbox Visa USD", "VISA", "USD"),
    ("SBX_MASTER_USD", "Sandbox Mastercard USD", "MASTER", "USD"),
    ("SBX_VISA_HKD", "Sandbox Visa HKD", "VISA", "HKD"),
];

pub(super) fn products(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let brand = cx.q("brand_code");
    let currency = cx.q("currency");
    let card_type = cx.q("card_type");
    let list: Vec<Value> = PRODUCTS
        .iter()
        .filter(|(_, _, b, c)| brand.is_none_or(|x| x == *b) && currency.is_none_or(|x| x == *c))
        .filter(|_| card_type.is_none_or(|t| t == "VIRTUAL"))
        .map(|(code, name, brand, cur)| {
            json!({
                "product_code": code,
                "product_name": name,
                "card_type": "VIRTUAL",
                "brand_code": brand,
                "accounting_type": "RECHARGE",
                "currency": cur,
            })
        })
        .collect();
    Ok(Some(json!({"products": list})))
}

pub(super) fn quotas(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let currency = cx.q_req("currency")?.to_owned();
    check_currency("currency", &currency)?;
    Ok(Some(json!({"quota": {
        "currency": currency,
        "accounting_card_type": cx.q("accounting_card_type").unwrap_or("RECHARGE"),
        "available_quota": num(wallet(cx.tx, &currency)),
    }})))
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

pub(super) fn card_json(cx: &Cx<'_, '_>, c: &Card) -> Value {
    let holder: Option<Holder> = cx.tx.get(HOLDERS, &c.card_holder_id);
    let hf = |k: &str| {
        holder
            .as_ref()
            .and_then(|h| h.fields.get(k).cloned())
            .unwrap_or(Value::Null)
    };
    let mut m = Map::new();
    m.insert("card_id".into(), json!(c.card_id));
    if let Some(n) = &c.card_name {
        m.insert("card_name".into(), json!(n));
    }
    m.insert("product_code".into(), json!(c.product_code));
    m.insert("mask_card_number".into(), json!(mask(&c.pan)));
    m.insert("card_currency".into(), json!(c.currency));
    m.insert("available_balance".into(), num(c.balance));
    m.insert("brand_code".into(), json!(c.brand));
    m.insert("status".into(), json!(c.status));
    m.insert("card_type".into(), json!(c.card_type));
    m.insert("accounting_type".into(), json!("RECHARGE"));
    m.insert("card_region".into(), json!("US"));
    m.insert("card_holder_id".into(), json!(c.card_holder_id));
    for k in ["first_name", "last_name", "mobile", "bill_address"] {
        let v = hf(k);
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    }
    let email = c
        .email
        .clone()
        .map(Value::String)
        .unwrap_or_else(|| hf("email"));
    if !email.is_null() {
        m.insert("email".into(), email);
    }
    insert_opt(&mut m, "limit_per_day", c.limit_per_day);
    insert_opt(&mut m, "limit_per_month", c.limit_per_month);
    insert_opt(&mut m, "limit_per_transaction", c.limit_per_transaction);
    m.insert("support_tds_trans".into(), json!(true));
    m.insert("create_time".into(), json!(iso(c.at)));
    Value::Object(m)
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

pub(super) fn card_apply(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        request_id: String,
        product_code: String,
        currency: String,
        card_holder_id: String,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_day: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_month: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_transaction: Option<Decimal>,
        #[serde(with = "walletbridge_core::money::number")]
        init_balance: Decimal,
    }
    let b: B = cx.body()?;
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
    Ok(Some(
        json!({"request_id": a.request_id, "status": "PENDING"}),
    ))
}

pub(super) fn card_apply_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let a: Apply = cx
        .tx
        .get(APPLIES, id)
        .ok_or_else(|| not_found("card application not found"))?;
    let detail = match &a.card_id {
        Some(cid) => {
            let c = get_card(cx, cid)?;
            card_json(cx, &c)
        }
        None => json!({}),
    };
    Ok(Some(json!({
        "request_id": a.request_id,
        "status": a.status,
        "create_time": iso(a.at),
        "card_detail": detail,
    })))
}

pub(super) fn cards_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let w = cx.window("create_start", "create_end")?;
    let holder = cx.q("card_holder_id").map(str::to_owned);
    let status = cx.q("status").map(str::to_owned);
    let product = cx.q("product_code").map(str::to_owned);
    let brand = cx.q("brand_code").map(str::to_owned);
    let cards: Vec<Card> = cx
        .tx
        .scan::<Card>(CARDS)
        .into_iter()
        .filter(|c| in_window(c.at, w))
        .filter(|c| holder.as_deref().is_none_or(|h| h == c.card_holder_id))
        .filter(|c| status.as_deref().is_none_or(|s| s == c.status))
        .filter(|c| product.as_deref().is_none_or(|s| s == c.product_code))
        .filter(|c| brand.as_deref().is_none_or(|s| s == c.brand))
        .collect();
    let items = cards.iter().map(|c| card_json(cx, c)).collect();
    Ok(Some(paged("cards", items, page, limit, &cx.query)))
}

pub(super) fn card_get(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let c = get_card(cx, id)?;
    Ok(Some(card_json(cx, &c)))
}

pub(super) fn live(c: &Card) -> R<()> {
    if c.status == "CANCELLED" {
        Err(status_error("the card is cancelled"))
    } else {
        Ok(())
    }
}

pub(super) fn card_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(default)]
        card_name: Option<String>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_day: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_month: Option<Decimal>,
        #[serde(default, with = "walletbridge_core::money::number::option")]
        limit_per_transaction: Option<Decimal>,
    }
    let b: B = cx.body()?;
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
    Ok(Some(card_json(cx, &c)))
}

pub(super) fn status_event(cx: &mut Cx<'_, '_>, c: &Card) {
    let data = json!({
        "card_id": c.card_id,
        "mask_card_number": mask(&c.pan),
        "status": c.status,
        "card_holder_id": c.card_holder_id,
    });
    let bid = format!("{}_{}_{}", c.card_id, c.status, cx.tx.next_seq());
    cx.event("CARD_STATUS_UPDATE", &bid, data);
}

pub(super) fn card_cancel(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
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

pub(super) fn secure_info(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let c = get_card(cx, id)?;
    live(&c)?;
    Ok(Some(json!({
        "pan": c.pan,
        "expire_year": c.expire_year,
        "expire_month": c.expire_month,
        "cvv": c.cvv,
    })))
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

pub(super) fn modify_json(m: &Modify) -> Value {
    json!({
        "gsalary_request_id": m.gsalary_request_id,
        "request_id": m.request_id,
        "card_id": m.card_id,
        "status": m.status,
        "create_time": iso(m.at),
        "finish_time": iso(m.at),
        "amount": num(m.amount),
        "type": m.kind,
        "post_balance": num(m.post_balance),
    })
}

pub(super) fn balance_modify(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        card_id: String,
        #[serde(with = "walletbridge_core::money::number")]
        amount: Decimal,
        #[serde(rename = "type")]
        kind: String,
        request_id: String,
    }
    let b: B = cx.body()?;
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
    match b.kind.as_str() {
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
        kind: b.kind.clone(),
        post_balance: c.balance,
    };
    cx.tx.put(CARDS, &c.card_id, &c);
    cx.tx.put(MODIFIES, &m.request_id, &m);
    let signed = if b.kind == "INCREASE" {
        b.amount
    } else {
        -b.amount
    };
    let gid = m.gsalary_request_id.clone();
    history(
        cx,
        &c.card_id,
        &b.kind,
        &c.currency,
        signed,
        c.balance,
        Some(&gid),
    );
    Ok(Some(modify_json(&m)))
}

pub(super) fn balance_modify_result(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let m: Modify = cx
        .tx
        .get(MODIFIES, id)
        .ok_or_else(|| not_found("balance modify request not found"))?;
    Ok(Some(modify_json(&m)))
}

pub(super) fn freeze(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        freeze: bool,
    }
    let b: B = cx.body()?;
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

pub(super) fn contact(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        #[serde(default)]
        email: Option<String>,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    live(&c)?;
    if let Some(e) = b.email {
        if !e.contains('@') {
            return Err(invalid("`email` is not an e-mail address"));
        }
        c.email = Some(e);
    }
    cx.tx.put(CARDS, id, &c);
    Ok(Some(card_json(cx, &c)))
}

pub(super) fn delete_email(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut c = get_card(cx, id)?;
    live(&c)?;
    c.email = Some(String::new());
    cx.tx.put(CARDS, id, &c);
    let mut v = card_json(cx, &c);
    if let Some(o) = v.as_object_mut() {
        o.remove("email");
    }
    Ok(Some(v))
}

pub(super) fn assign_card(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        card_number: String,
        card_holder_id: String,
        card_currency: String,
    }
    let b: B = cx.body()?;
    let n = &b.card_number;
    if n.len() < 12 || n.len() > 19 || !n.bytes().all(|c| c.is_ascii_digit()) {
        return Err(invalid("`card_number` must be 12 to 19 digits"));
    }
    check_currency("card_currency", &b.card_currency)?;
    if !cx.tx.contains(HOLDERS, &b.card_holder_id) {
        return Err(not_found("card holder not found"));
    }
    if cx.tx.scan::<Card>(CARDS).iter().any(|c| &c.pan == n) {
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
    cx.event(
        "CARD_ACTIVATION_CODE",
        &bid,
        json!({"card_id": c.card_id, "mask_card_number": mask(&c.pan), "activation_code": ACTIVATION_CODE}),
    );
    Ok(Some(json!({"card_id": c.card_id})))
}

pub(super) fn check_pin(pin: &str) -> R<()> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid("`pin` must be 6 digits"))
    }
}

pub(super) fn activate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        activation_code: String,
        pin: String,
    }
    let b: B = cx.body()?;
    let mut c = get_card(cx, id)?;
    if c.status != "INACTIVE" {
        return Err(status_error(format!("the card is {}", c.status)));
    }
    if b.activation_code != ACTIVATION_CODE {
        return Err(invalid("wrong activation_code"));
    }
    check_pin(&b.pin)?;
    c.status = "ACTIVE".into();
    cx.tx.put(CARDS, id, &c);
    status_event(cx, &c);
    Ok(None)
}

pub(super) fn reset_pin(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        pin: String,
    }
    let b: B = cx.body()?;
    let c = get_card(cx, id)?;
    live(&c)?;
    check_pin(&b.pin)?;
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
