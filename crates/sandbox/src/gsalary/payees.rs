//! Payees and their accounts (`/v1/remittance/payees...`, `/v1/remittance/payee_accounts/...`).

use super::*;

pub(super) fn payment_methods(_cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    Ok(Some(
        json!({"payment_methods": ["ALIPAY", "WECHATPAY", "BANK_TRANSFER"]}),
    ))
}

pub(super) fn payee_json(p: &Payee) -> Value {
    let mut m = p.fields.clone();
    m.remove("currency");
    m.insert("payee_id".into(), json!(p.payee_id));
    m.insert("currencies".into(), json!([p.currency]));
    Value::Object(m)
}

pub(super) fn payee_fields(cx: &Cx<'_, '_>) -> R<(Map<String, Value>, String)> {
    let v: Value = cx.body()?;
    let Value::Object(m) = v else {
        return Err(invalid("the body must be a JSON object"));
    };
    for k in ["subject_type", "account_type", "country", "currency"] {
        match m.get(k) {
            Some(Value::String(s)) if !s.is_empty() => {}
            None => return Err(missing(k)),
            Some(_) => return Err(invalid(format!("`{k}` must be a non-empty string"))),
        }
    }
    let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
    if !matches!(get("subject_type"), "INDIVIDUAL" | "ENTERPRISE") {
        return Err(invalid("`subject_type` must be INDIVIDUAL or ENTERPRISE"));
    }
    if !matches!(get("account_type"), "E_WALLET" | "BANK_ACCOUNT") {
        return Err(invalid("`account_type` must be E_WALLET or BANK_ACCOUNT"));
    }
    let currency = get("currency").to_owned();
    check_currency("currency", &currency)?;
    Ok((m, currency))
}

pub(super) fn payee_create(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (fields, currency) = payee_fields(cx)?;
    let p = Payee {
        payee_id: cx.id("payee_"),
        active: true,
        currency,
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYEES, &p.payee_id, &p);
    Ok(Some(payee_json(&p)))
}

pub(super) fn get_payee(cx: &Cx<'_, '_>, id: &str) -> R<Payee> {
    cx.tx
        .get::<Payee>(PAYEES, id)
        .filter(|p| p.active)
        .ok_or_else(|| not_found("payee not found"))
}

pub(super) fn payee_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payee(cx, id)?;
    let (fields, currency) = payee_fields(cx)?;
    p.fields = fields;
    p.currency = currency;
    cx.tx.put(PAYEES, id, &p);
    Ok(Some(payee_json(&p)))
}

pub(super) fn payee_deactivate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut p = get_payee(cx, id)?;
    p.active = false;
    cx.tx.put(PAYEES, id, &p);
    let bid = format!("{id}_deactivated");
    cx.event(
        "PAYEE_DEACTIVATED",
        &bid,
        json!({"deactivate_payee_id": id, "deactivated_payee_ids": [id]}),
    );
    Ok(None)
}

pub(super) fn payees_list(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let (page, limit) = cx.paging()?;
    let id = cx.q("payee_id").map(str::to_owned);
    let country = cx.q("country").map(str::to_owned);
    let currency = cx.q("currency").map(str::to_owned);
    let name = cx.q("name").map(str::to_lowercase);
    let items: Vec<Value> = cx
        .tx
        .scan::<Payee>(PAYEES)
        .into_iter()
        .filter(|p| p.active)
        .filter(|p| id.as_deref().is_none_or(|x| x == p.payee_id))
        .filter(|p| currency.as_deref().is_none_or(|x| x == p.currency))
        .filter(|p| {
            country
                .as_deref()
                .is_none_or(|x| p.fields.get("country").and_then(Value::as_str) == Some(x))
        })
        .filter(|p| {
            name.as_deref().is_none_or(|n| {
                ["first_name", "last_name", "account_holder"]
                    .iter()
                    .any(|k| {
                        p.fields
                            .get(*k)
                            .and_then(Value::as_str)
                            .is_some_and(|v| v.to_lowercase().contains(n))
                    })
            })
        })
        .map(|p| payee_json(&p))
        .collect();
    Ok(Some(paged("payees", items, page, limit, &cx.query)))
}

pub(super) fn account_json(a: &Account) -> Value {
    let mut m = json!({
        "account_id": a.account_id,
        "payee_id": a.payee_id,
        "payment_method": a.payment_method,
        "currencies": a.currencies,
        "status": a.status,
        "require_clearing_network": a.require_clearing_network,
        "form_fields": a.form_fields,
    });
    if let (Some(no), Some(o)) = (&a.account_no, m.as_object_mut()) {
        o.insert("account_no".into(), json!(no));
    }
    m
}

pub(super) fn new_account(
    cx: &mut Cx<'_, '_>,
    payee: &Payee,
    method: &str,
    no: Option<String>,
    currency: Option<String>,
    fields: Vec<Value>,
) -> Account {
    let a = Account {
        account_id: cx.id("acct_"),
        payee_id: payee.payee_id.clone(),
        payment_method: method.to_owned(),
        currencies: vec![currency.unwrap_or_else(|| payee.currency.clone())],
        account_no: no,
        status: "PENDING".into(),
        require_clearing_network: method == "BANK_TRANSFER",
        form_fields: fields,
        removed: false,
        at: cx.now,
    };
    cx.tx.put(ACCOUNTS, &a.account_id, &a);
    schedule(
        cx.tx,
        cx.now + secs(cx.shared.cfg.delays.payee_account),
        AnyJob::Gsalary(Job::AccountActive {
            account_id: a.account_id.clone(),
        }),
    );
    a
}

#[derive(Deserialize)]
struct EWallet {
    payment_method: String,
    account_no: String,
}

fn check_ewallet(b: &EWallet) -> R<()> {
    if !matches!(b.payment_method.as_str(), "ALIPAY" | "WECHATPAY") {
        return Err(invalid("`payment_method` must be ALIPAY or WECHATPAY"));
    }
    if b.account_no.trim().is_empty() {
        return Err(missing("account_no"));
    }
    Ok(())
}

pub(super) fn account_add(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    let b: EWallet = cx.body()?;
    check_ewallet(&b)?;
    let p = get_payee(cx, payee_id)?;
    let a = new_account(
        cx,
        &p,
        &b.payment_method,
        Some(b.account_no),
        None,
        Vec::new(),
    );
    Ok(Some(account_json(&a)))
}

pub(super) fn accounts_list(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    get_payee(cx, payee_id)?;
    let items: Vec<Value> = cx
        .tx
        .scan::<Account>(ACCOUNTS)
        .iter()
        .filter(|a| a.payee_id == payee_id && !a.removed)
        .map(account_json)
        .collect();
    Ok(Some(json!({"accounts": items})))
}

pub(super) fn get_account(cx: &Cx<'_, '_>, id: &str) -> R<Account> {
    cx.tx
        .get::<Account>(ACCOUNTS, id)
        .filter(|a| !a.removed)
        .ok_or_else(|| not_found("payee account not found"))
}

pub(super) fn account_update(
    cx: &mut Cx<'_, '_>,
    payee_id: Option<&str>,
    id: &str,
) -> R<Option<Value>> {
    let mut a = get_account(cx, id)?;
    if payee_id.is_some_and(|p| p != a.payee_id) {
        return Err(not_found("payee account not found"));
    }
    if payee_id.is_some() {
        let b: EWallet = cx.body()?;
        check_ewallet(&b)?;
        a.payment_method = b.payment_method;
        a.account_no = Some(b.account_no);
    } else {
        #[derive(Deserialize)]
        struct B {
            #[serde(default)]
            currency: Option<String>,
            fields: Vec<Value>,
        }
        let b: B = cx.body()?;
        if a.payment_method != "BANK_TRANSFER" {
            return Err(status_error("not a bank account"));
        }
        if let Some(c) = b.currency {
            check_currency("currency", &c)?;
            a.currencies = vec![c];
        }
        a.form_fields = b.fields;
    }
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(Some(account_json(&a)))
}

pub(super) fn account_form(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    let p = get_payee(cx, payee_id)?;
    let method = cx.q_req("payment_method")?.to_owned();
    if method != "BANK_TRANSFER" {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let currency = cx.q("currency").unwrap_or(&p.currency).to_owned();
    Ok(Some(json!({
        "account_type": "BANK_ACCOUNT",
        "payment_method": "BANK_TRANSFER",
        "subject_type": p.fields.get("subject_type").cloned().unwrap_or(Value::Null),
        "currency": currency,
        "country": p.fields.get("country").cloned().unwrap_or(Value::Null),
        "fields": [
            {"field_name": "account_number", "required": true, "description": "bank account number"},
            {"field_name": "bank_name", "required": true, "description": "bank name"},
            {"field_name": "swift_code", "required": false, "description": "SWIFT/BIC code"},
        ],
    })))
}

pub(super) fn account_register(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<Value>> {
    #[derive(Deserialize)]
    struct B {
        payment_method: String,
        #[serde(default)]
        currency: Option<String>,
        fields: Vec<Value>,
    }
    let b: B = cx.body()?;
    if b.payment_method != "BANK_TRANSFER" {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let has = |name: &str| {
        b.fields.iter().any(|f| {
            f.get("field_name").and_then(Value::as_str) == Some(name)
                && f.get("field_value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| !v.is_empty())
        })
    };
    for f in ["account_number", "bank_name"] {
        if !has(f) {
            return Err(missing(f));
        }
    }
    if let Some(c) = &b.currency {
        check_currency("currency", c)?;
    }
    let p = get_payee(cx, payee_id)?;
    let no = b
        .fields
        .iter()
        .find(|f| f.get("field_name").and_then(Value::as_str) == Some("account_number"))
        .and_then(|f| f.get("field_value").and_then(Value::as_str))
        .map(str::to_owned);
    let a = new_account(cx, &p, "BANK_TRANSFER", no, b.currency, b.fields);
    Ok(Some(account_json(&a)))
}

pub(super) fn account_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<Value>> {
    let mut a = get_account(cx, id)?;
    a.removed = true;
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(None)
}

pub(super) fn payout_currencies(cx: &mut Cx<'_, '_>) -> R<Option<Value>> {
    let method = cx.q_req("payment_method")?.to_owned();
    let list = match method.as_str() {
        "ALIPAY" | "WECHATPAY" => json!([{"country": "CN", "currencies": ["CNY"]}]),
        "BANK_TRANSFER" => json!([
            {"country": "CN", "currencies": ["CNY"]},
            {"country": "HK", "currencies": ["HKD", "USD"]},
            {"country": "US", "currencies": ["USD"]},
            {"country": "PH", "currencies": ["PHP"]},
        ]),
        _ => return Err(invalid("unknown payment_method")),
    };
    Ok(Some(json!({"payment_method": method, "countries": list})))
}

/// The due step of a payee account: it becomes active.
pub(super) fn activate_account(cx: &mut Cx<'_, '_>, account_id: &str) {
    let Some(mut a) = cx.tx.get::<Account>(ACCOUNTS, account_id) else {
        return;
    };
    if a.status != "PENDING" || a.removed {
        return;
    }
    a.status = "ACTIVE".into();
    cx.tx.put(ACCOUNTS, account_id, &a);
    let bid = format!("{account_id}_active");
    cx.event(
            "PAYEE_ACCOUNT_ACTIVE",
            &bid,
            json!({"payee_id": a.payee_id, "account_id": a.account_id, "payment_method": a.payment_method}),
        );
}
