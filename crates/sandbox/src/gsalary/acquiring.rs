//! Acquiring (`/gateway/v1/acquiring/...`), on the crate's wire types.
//!
//! A `payment_request_id` opens one session (whichever of the three session
//! endpoints) and pays one token payment: reused, it is `DUPLICATED`.

use walletbridge_core::SecretString;
use walletbridge_gsalary::acquiring::{
    self as wire, AmountLimit, CreatePaySession, PaymentMethodType, PaymentOption,
};

use super::*;

/// What `pay_consult` offers: method, region and the amount limits (min in
/// cents, max in units).
const OPTIONS: [(PaymentMethodType, &str, i64, i64); 2] = [
    (PaymentMethodType::AlipayCn, "CN", 1, 10_000),
    (PaymentMethodType::Card, "US", 1, 50_000),
];

pub(super) fn consult(cx: &mut Cx<'_, '_>) -> R<Option<wire::PaymentOptions>> {
    let b: wire::ConsultPayment = cx.body()?;
    let mut m = wire::PaymentOptions::default();
    m.payment_options = OPTIONS
        .iter()
        .map(|(method, country, min, max)| {
            let mut limit = AmountLimit::default();
            limit.min = Some(Decimal::new(*min, 2));
            limit.max = Some(Decimal::from(*max));
            let mut o = PaymentOption::new(method.clone());
            o.currency = Some(b.payment_currency.clone());
            o.limit = Some(limit);
            o.country = Some((*country).to_owned());
            o
        })
        .collect();
    Ok(Some(m))
}

/// Opens a session for `s` (`DUPLICATED` for a reused `payment_request_id`).
fn open_session(cx: &mut Cx<'_, '_>, s: &CreatePaySession) -> R<Option<wire::PaySession>> {
    let key = format!("session:{}", s.payment_request_id);
    if cx.tx.contains(ACQ, &key) {
        return Err(bad(EC::DUPLICATED, "payment_request_id has been used"));
    }
    let sid = cx.id("session_");
    cx.tx.put(ACQ, &key, &sid);
    let mut m = wire::PaySession::default();
    m.payment_session_data = Some(format!("sandbox-session-data-{sid}"));
    m.payment_session_expiry_time = Some(wire_time(cx.now + 3_600_000));
    m.normal_url = Some(format!("https://sandbox.invalid/pay/{sid}"));
    m.payment_session_id = Some(sid);
    Ok(Some(m))
}

/// `pay_session` and `card_auto_debit/pay_session`.
pub(super) fn pay_session(cx: &mut Cx<'_, '_>) -> R<Option<wire::PaySession>> {
    let b: CreatePaySession = cx.body()?;
    open_session(cx, &b)
}

/// `easy_safe_pay/pay_session`.
pub(super) fn easy_safe_pay_session(cx: &mut Cx<'_, '_>) -> R<Option<wire::PaySession>> {
    let b: wire::CreateEasySafePaySession = cx.body()?;
    open_session(cx, &b.session)
}

/// `easy_safe_pay/pay` and `card_auto_debit/pay`: a payment with a stored
/// token (`DUPLICATED` for a reused `payment_request_id`).
pub(super) fn pay_with_token(cx: &mut Cx<'_, '_>) -> R<Option<wire::Payment>> {
    let b: wire::PayWithToken = cx.body()?;
    let key = format!("payment:{}", b.payment_request_id);
    if cx.tx.contains(ACQ, &key) {
        return Err(bad(EC::DUPLICATED, "payment_request_id has been used"));
    }
    let pid = cx.id("pay_");
    cx.tx.put(ACQ, &key, &pid);
    let mut m = wire::Payment::default();
    m.payment_request_id = Some(b.payment_request_id);
    m.payment_currency = Some(b.payment_currency);
    m.payment_amount = Some(b.payment_amount.normalize());
    m.normal_url = Some(format!("https://sandbox.invalid/pay/{pid}"));
    m.payment_id = Some(pid);
    Ok(Some(m))
}

pub(super) fn refresh_token(cx: &mut Cx<'_, '_>) -> R<Option<wire::AuthToken>> {
    let _: wire::RefreshAuthToken = cx.body()?;
    let n = cx.tx.next_seq();
    let mut m = wire::AuthToken::default();
    m.access_token = SecretString::from(format!("sandbox_access_{n}"));
    m.access_token_expiry_time = Some(wire_time(cx.now + 86_400_000));
    m.refresh_token = Some(SecretString::from(format!("sandbox_refresh_{n}")));
    m.refresh_token_expiry_time = Some(wire_time(cx.now + 30 * 86_400_000));
    Ok(Some(m))
}

pub(super) fn revoke_token(cx: &mut Cx<'_, '_>) -> R<Option<()>> {
    let _: wire::RevokeAuthToken = cx.body()?;
    Ok(None)
}

/// Accepted: the payment named by the request, cancelled now.
pub(super) fn cancel(cx: &mut Cx<'_, '_>) -> R<Option<wire::CancelResult>> {
    let b: wire::CancelPayment = cx.body()?;
    let mut m = wire::CancelResult::default();
    m.payment_id = b.payment_id;
    m.payment_request_id = b.payment_request_id;
    m.cancel_time = Some(wire_time(cx.now));
    Ok(Some(m))
}
