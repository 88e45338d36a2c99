//! Acquiring (`/gateway/v1/acquiring/...`).

use super::*;

pub(super) fn acquiring(cx: &mut Cx<'_, '_>, rest: &[&str]) -> R<Option<Value>> {
    let v: Value = cx.body()?;
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let require = |k: &str| -> R<()> {
        if v.get(k).is_none_or(Value::is_null) {
            Err(missing(k))
        } else {
            Ok(())
        }
    };
    require("mch_app_id")?;
    match rest {
        ["pay_consult"] => {
            require("payment_currency")?;
            require("payment_amount")?;
            Ok(Some(json!({"payment_options": [
                {"payment_method_type": "ALIPAY_CN", "currency": s("payment_currency"),
                 "limit": {"min": num(Decimal::new(1, 2)), "max": num(Decimal::new(10000, 0))}, "country": "CN"},
                {"payment_method_type": "CARD", "currency": s("payment_currency"),
                 "limit": {"min": num(Decimal::new(1, 2)), "max": num(Decimal::new(50000, 0))}, "country": "US"},
            ]})))
        }
        ["pay_session"] | ["easy_safe_pay", "pay_session"] | ["card_auto_debit", "pay_session"] => {
            require("payment_request_id")?;
            let id = s("payment_request_id");
            let key = format!("session:{id}");
            if cx.tx.contains(ACQ, &key) {
                return Err(bad(EC::DUPLICATED, "payment_request_id has been used"));
            }
            let sid = cx.id("session_");
            cx.tx.put(ACQ, &key, &sid);
            Ok(Some(json!({
                "payment_session_data": format!("sandbox-session-data-{sid}"),
                "payment_session_expiry_time": iso(cx.now + 3_600_000),
                "payment_session_id": sid,
                "normal_url": format!("https://sandbox.invalid/pay/{sid}"),
            })))
        }
        ["easy_safe_pay", "pay"] | ["card_auto_debit", "pay"] => {
            require("payment_request_id")?;
            require("payment_method_id")?;
            let id = s("payment_request_id");
            let key = format!("payment:{id}");
            if cx.tx.contains(ACQ, &key) {
                return Err(bad(EC::DUPLICATED, "payment_request_id has been used"));
            }
            let pid = cx.id("pay_");
            cx.tx.put(ACQ, &key, &pid);
            Ok(Some(json!({
                "payment_request_id": id,
                "payment_id": pid,
                "payment_currency": s("payment_currency"),
                "payment_amount": v.get("payment_amount").cloned().unwrap_or(Value::Null),
                "normal_url": format!("https://sandbox.invalid/pay/{pid}"),
            })))
        }
        ["auth_refresh_token"] => {
            require("refresh_token")?;
            let n = cx.tx.next_seq();
            Ok(Some(json!({
                "access_token": format!("sandbox_access_{n}"),
                "access_token_expiry_time": iso(cx.now + 86_400_000),
                "refresh_token": format!("sandbox_refresh_{n}"),
                "refresh_token_expiry_time": iso(cx.now + 30 * 86_400_000),
            })))
        }
        ["auth_revoke_token"] => {
            require("access_token")?;
            Ok(None)
        }
        ["cancel"] => Ok(None),
        _ => Err(not_found("no such endpoint")),
    }
}
