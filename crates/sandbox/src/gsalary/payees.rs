//! Payees and their accounts (`/v1/remittance/payees...`,
//! `/v1/remittance/payee_accounts/...`), on the crate's wire types.
//!
//! A payee's record keeps the request that made it ([`wire::CreatePayee`],
//! written as its wire form); an account's record keeps the form fields as
//! the client sent them.

use walletbridge_core::SecretString;
use walletbridge_gsalary::payees::{self as wire, AccountStatus, AccountType, PaymentMethod};
use walletbridge_gsalary::webhooks::{
    Notification, PayeeAccountData, PayeeDeactivatedData, WebhookEvent,
};

use super::*;

pub(super) fn payment_methods(_cx: &mut Cx<'_, '_>) -> R<Option<wire::PaymentMethods>> {
    let mut m = wire::PaymentMethods::default();
    m.payment_methods = vec![
        PaymentMethod::Alipay,
        PaymentMethod::WechatPay,
        PaymentMethod::BankTransfer,
    ];
    Ok(Some(m))
}

/// The request a payee was created (or last updated) with.
pub(super) fn request_of(p: &Payee) -> Option<wire::CreatePayee> {
    serde_json::from_value(Value::Object(p.fields.clone())).ok()
}

/// A payee as the crate's model.
pub(super) fn payee_of(p: &Payee) -> wire::Payee {
    let mut m = wire::Payee::default();
    m.payee_id = p.payee_id.clone();
    m.currencies = vec![p.currency.clone()];
    if let Some(r) = request_of(p) {
        m.subject_type = Some(r.subject_type);
        m.account_type = Some(r.account_type);
        m.first_name = r.first_name;
        m.last_name = r.last_name;
        m.country = Some(r.country);
        m.account_holder = r.account_holder;
    }
    m
}

/// The body of a create or an update, checked; returns it as the record's
/// fields, and the currency.
fn payee_fields(cx: &Cx<'_, '_>) -> R<(Map<String, Value>, String)> {
    let b: wire::CreatePayee = cx.body()?;
    for (k, v) in [("country", &b.country), ("currency", &b.currency)] {
        if v.is_empty() {
            return Err(invalid(format!("`{k}` must be a non-empty string")));
        }
    }
    if !matches!(
        b.subject_type,
        wire::SubjectType::Individual | wire::SubjectType::Enterprise
    ) {
        return Err(invalid("`subject_type` must be INDIVIDUAL or ENTERPRISE"));
    }
    if !matches!(
        b.account_type,
        AccountType::EWallet | AccountType::BankAccount
    ) {
        return Err(invalid("`account_type` must be E_WALLET or BANK_ACCOUNT"));
    }
    check_currency("currency", &b.currency)?;
    let currency = b.currency.clone();
    match serde_json::to_value(&b) {
        Ok(Value::Object(m)) => Ok((m, currency)),
        _ => Err(invalid("the payee cannot be stored")),
    }
}

pub(super) fn payee_create(cx: &mut Cx<'_, '_>) -> R<Option<wire::Payee>> {
    let (fields, currency) = payee_fields(cx)?;
    let p = Payee {
        payee_id: cx.id("payee_"),
        active: true,
        currency,
        fields,
        at: cx.now,
    };
    cx.tx.put(PAYEES, &p.payee_id, &p);
    Ok(Some(payee_of(&p)))
}

pub(super) fn get_payee(cx: &Cx<'_, '_>, id: &str) -> R<Payee> {
    cx.tx
        .get::<Payee>(PAYEES, id)
        .filter(|p| p.active)
        .ok_or_else(|| not_found("payee not found"))
}

pub(super) fn payee_update(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<wire::Payee>> {
    let mut p = get_payee(cx, id)?;
    let (fields, currency) = payee_fields(cx)?;
    p.fields = fields;
    p.currency = currency;
    cx.tx.put(PAYEES, id, &p);
    Ok(Some(payee_of(&p)))
}

pub(super) fn payee_deactivate(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let mut p = get_payee(cx, id)?;
    p.active = false;
    cx.tx.put(PAYEES, id, &p);
    let bid = format!("{id}_deactivated");
    let event = WebhookEvent::PayeeDeactivated(Notification::new(
        bid.clone(),
        iso(cx.now),
        PayeeDeactivatedData::new(id),
    ));
    cx.event_body(event.business_type(), &bid, &event);
    Ok(None)
}

pub(super) fn payees_list(cx: &mut Cx<'_, '_>) -> R<Option<wire::PayeeList>> {
    let q: wire::PayeesQuery = cx.query_as()?;
    check_paging(q.page, q.limit)?;
    let name = q.name.as_deref().map(str::to_lowercase);
    let items: Vec<wire::Payee> = cx
        .tx
        .scan::<Payee>(PAYEES)
        .into_iter()
        .filter(|p| p.active)
        .filter(|p| q.payee_id.as_deref().is_none_or(|x| x == p.payee_id))
        .filter(|p| q.currency.as_deref().is_none_or(|x| x == p.currency))
        .map(|p| payee_of(&p))
        .filter(|p| q.country.is_none() || p.country == q.country)
        .filter(|p| {
            name.as_deref().is_none_or(|n| {
                [&p.first_name, &p.last_name, &p.account_holder]
                    .into_iter()
                    .flatten()
                    .any(|v| v.to_lowercase().contains(n))
            })
        })
        .collect();
    Ok(Some(list_answer!(
        wire::PayeeList,
        payees,
        items,
        q.page,
        q.limit,
        &cx.query
    )))
}

/// An account as the crate's model.
pub(super) fn account_of(a: &Account) -> wire::PayeeAccount {
    let mut m = wire::PayeeAccount::default();
    m.account_id = a.account_id.clone();
    m.payment_method = Some(PaymentMethod::from(a.payment_method.as_str()));
    m.currencies = a.currencies.clone();
    m.account_no = a.account_no.clone().map(SecretString::from);
    m.status = Some(AccountStatus::from(a.status.as_str()));
    m.require_clearing_network = Some(a.require_clearing_network);
    m.form_fields = a.form_fields.clone();
    m.extra
        .insert("payee_id".into(), Value::String(a.payee_id.clone()));
    m
}

pub(super) fn new_account(
    cx: &mut Cx<'_, '_>,
    payee: &Payee,
    method: &PaymentMethod,
    no: Option<String>,
    currency: Option<String>,
    fields: Vec<Value>,
) -> Account {
    let a = Account {
        account_id: cx.id("acct_"),
        payee_id: payee.payee_id.clone(),
        payment_method: method.as_str().to_owned(),
        currencies: vec![currency.unwrap_or_else(|| payee.currency.clone())],
        account_no: no,
        status: AccountStatus::Pending.as_str().to_owned(),
        require_clearing_network: *method == PaymentMethod::BankTransfer,
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

fn check_ewallet(b: &wire::EWalletAccount) -> R<()> {
    if !matches!(
        b.payment_method,
        PaymentMethod::Alipay | PaymentMethod::WechatPay
    ) {
        return Err(invalid("`payment_method` must be ALIPAY or WECHATPAY"));
    }
    if b.account_no.expose().trim().is_empty() {
        return Err(missing("account_no"));
    }
    Ok(())
}

/// Filled form fields as the record keeps them (as the client sent them).
fn form_values(fields: &[wire::FormField]) -> Vec<Value> {
    fields
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok())
        .collect()
}

pub(super) fn account_add(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<wire::PayeeAccount>> {
    let b: wire::EWalletAccount = cx.body()?;
    check_ewallet(&b)?;
    let p = get_payee(cx, payee_id)?;
    let no = b.account_no.expose().to_owned();
    let a = new_account(cx, &p, &b.payment_method, Some(no), None, Vec::new());
    Ok(Some(account_of(&a)))
}

pub(super) fn accounts_list(
    cx: &mut Cx<'_, '_>,
    payee_id: &str,
) -> R<Option<wire::PayeeAccountList>> {
    // The language only picks the form descriptions' language.
    let _: wire::AccountsQuery = cx.query_as()?;
    get_payee(cx, payee_id)?;
    let mut list = wire::PayeeAccountList::default();
    list.accounts = cx
        .tx
        .scan::<Account>(ACCOUNTS)
        .iter()
        .filter(|a| a.payee_id == payee_id && !a.removed)
        .map(account_of)
        .collect();
    Ok(Some(list))
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
) -> R<Option<wire::PayeeAccount>> {
    let mut a = get_account(cx, id)?;
    if payee_id.is_some_and(|p| p != a.payee_id) {
        return Err(not_found("payee account not found"));
    }
    if payee_id.is_some() {
        let b: wire::EWalletAccount = cx.body()?;
        check_ewallet(&b)?;
        a.payment_method = b.payment_method.as_str().to_owned();
        a.account_no = Some(b.account_no.expose().to_owned());
    } else {
        let b: wire::UpdateBankAccount = cx.body()?;
        if a.payment_method != PaymentMethod::BankTransfer.as_str() {
            return Err(status_error("not a bank account"));
        }
        if let Some(c) = b.currency {
            check_currency("currency", &c)?;
            a.currencies = vec![c];
        }
        a.form_fields = form_values(&b.fields);
    }
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(Some(account_of(&a)))
}

/// The bank account form's fields: name, whether required, description.
const FORM: [(&str, bool, &str); 3] = [
    ("account_number", true, "bank account number"),
    ("bank_name", true, "bank name"),
    ("swift_code", false, "SWIFT/BIC code"),
];

pub(super) fn account_form(cx: &mut Cx<'_, '_>, payee_id: &str) -> R<Option<wire::AccountForm>> {
    let p = get_payee(cx, payee_id)?;
    let q: wire::AccountFormQuery = cx.query_as()?;
    if q.payment_method != PaymentMethod::BankTransfer {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let payee = payee_of(&p);
    let mut form = wire::AccountForm::default();
    form.account_type = Some(AccountType::BankAccount);
    form.payment_method = Some(PaymentMethod::BankTransfer);
    form.subject_type = payee.subject_type;
    form.currency = Some(q.currency.unwrap_or(p.currency));
    form.country = payee.country;
    form.fields = FORM
        .iter()
        .map(|(name, required, description)| {
            let mut f = wire::FormFieldSpec::default();
            f.field_name = (*name).to_owned();
            f.required = *required;
            f.description = Some((*description).to_owned());
            f
        })
        .collect();
    Ok(Some(form))
}

pub(super) fn account_register(
    cx: &mut Cx<'_, '_>,
    payee_id: &str,
) -> R<Option<wire::PayeeAccount>> {
    let b: wire::RegisterBankAccount = cx.body()?;
    if b.payment_method != PaymentMethod::BankTransfer {
        return Err(invalid("`payment_method` must be BANK_TRANSFER"));
    }
    let value = |name: &str| {
        b.fields
            .iter()
            .find(|f| f.field_name == name)
            .map(|f| f.field_value.expose().to_owned())
            .filter(|v| !v.is_empty())
    };
    for (name, required, _) in FORM {
        if required && value(name).is_none() {
            return Err(missing(name));
        }
    }
    if let Some(c) = &b.currency {
        check_currency("currency", c)?;
    }
    let p = get_payee(cx, payee_id)?;
    let no = value("account_number");
    let fields = form_values(&b.fields);
    let a = new_account(cx, &p, &PaymentMethod::BankTransfer, no, b.currency, fields);
    Ok(Some(account_of(&a)))
}

pub(super) fn account_remove(cx: &mut Cx<'_, '_>, id: &str) -> R<Option<()>> {
    let mut a = get_account(cx, id)?;
    a.removed = true;
    cx.tx.put(ACCOUNTS, id, &a);
    Ok(None)
}

/// Where each payout method pays out: country and currencies.
fn payout_countries(
    method: &PaymentMethod,
) -> Option<&'static [(&'static str, &'static [&'static str])]> {
    match method {
        PaymentMethod::Alipay | PaymentMethod::WechatPay => Some(&[("CN", &["CNY"])]),
        PaymentMethod::BankTransfer => Some(&[
            ("CN", &["CNY"]),
            ("HK", &["HKD", "USD"]),
            ("US", &["USD"]),
            ("PH", &["PHP"]),
        ]),
        _ => None,
    }
}

pub(super) fn payout_currencies(cx: &mut Cx<'_, '_>) -> R<Option<wire::PayoutCurrencies>> {
    let q: wire::PayoutCurrenciesQuery = cx.query_as()?;
    let countries =
        payout_countries(&q.payment_method).ok_or_else(|| invalid("unknown payment_method"))?;
    let mut m = wire::PayoutCurrencies::default();
    m.countries = countries
        .iter()
        .map(|(country, currencies)| {
            let mut c = wire::PayoutCountry::default();
            c.country = Some((*country).to_owned());
            c.currencies = currencies.iter().map(|c| (*c).to_owned()).collect();
            c
        })
        .collect();
    m.payment_method = Some(q.payment_method);
    Ok(Some(m))
}

/// The due step of a payee account: it becomes active.
pub(super) fn activate_account(cx: &mut Cx<'_, '_>, account_id: &str) {
    let Some(mut a) = cx.tx.get::<Account>(ACCOUNTS, account_id) else {
        return;
    };
    if a.status != AccountStatus::Pending.as_str() || a.removed {
        return;
    }
    a.status = AccountStatus::Active.as_str().to_owned();
    cx.tx.put(ACCOUNTS, account_id, &a);
    let bid = format!("{account_id}_active");
    let event = WebhookEvent::PayeeAccountActive(Notification::new(
        bid.clone(),
        iso(cx.now),
        PayeeAccountData::new(a.payee_id, a.account_id, a.payment_method),
    ));
    cx.event_body(event.business_type(), &bid, &event);
}
