//! Asynchronous notifications: verification, typed events, acknowledgement.
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use walletbridge_adapay::models::Status;
use walletbridge_adapay::webhooks::{
    Event, NotificationForm, NotificationType, NotificationVerifier, ack_body, sign_notification,
};
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{RsaPublicKey, SignatureProblem};

const CASH_ID: &str = "0021120200225003546239388799481234";

fn form(event_type: &str, data: serde_json::Value) -> NotificationForm {
    NotificationForm {
        id: data["id"].as_str().unwrap_or(CASH_ID).to_owned(),
        event_type: event_type.to_owned(),
        app_id: APP_ID.to_owned(),
        object: data["object"].as_str().unwrap_or("cash").to_owned(),
        created_time: "1579163032".to_owned(),
        prod_mode: "true".to_owned(),
        data: data.to_string(),
    }
}

fn cash(status: &str) -> serde_json::Value {
    let mut d = cash_data(status);
    d["id"] = json!(CASH_ID);
    if status == "failed" {
        d["error_code"] = json!("card_invalid");
        d["error_msg"] = json!("结算卡无效");
        d["real_amt"] = json!("");
    }
    d
}

fn body(key: &str, event_type: &str, data: serde_json::Value) -> String {
    sign_notification(&signer(key), &form(event_type, data)).unwrap()
}

fn verifier() -> NotificationVerifier {
    client_with(Arc::new(MockTransport::new())).webhooks()
}

#[test]
fn a_valid_cash_succeeded_notification() {
    let b = body(PLATFORM_KEY, "cash.succeeded", cash("succeeded"));
    // the form is encoded: `+`, `/` and `=` of the signature do not appear raw
    assert!(
        b.starts_with("created_time=1579163032&data=%7B%22app_id%22"),
        "{b}"
    );
    let n = verifier().verify(b.as_bytes()).unwrap();
    assert_eq!(n.event_type, NotificationType::CashSucceeded);
    assert_eq!(n.id, CASH_ID);
    assert_eq!(n.app_id, APP_ID);
    assert_eq!(n.object, "cash");
    assert_eq!(n.status, Status::Succeeded);
    assert_eq!(n.order_no.as_deref(), Some("cash_20240101_0001"));
    let created = n.created_time.as_ref().unwrap();
    assert_eq!(created.text, "1579163032");
    assert_eq!(created.at.unwrap().unix_timestamp(), 1579163032);
    assert_eq!(n.prod_mode.as_deref(), Some("true"));
    let Event::CashSucceeded(c) = &n.event else {
        panic!("{:?}", n.event)
    };
    assert_eq!(c.status, Status::Succeeded);
    assert_eq!(c.real_amt, Some(Decimal::from_str("0.10").unwrap()));
    assert_eq!(c.order_no.as_deref(), Some("cash_20240101_0001"));
}

#[test]
fn a_valid_cash_failed_notification_keeps_the_error() {
    let n = verifier()
        .verify(body(PLATFORM_KEY, "cash.failed", cash("failed")).as_bytes())
        .unwrap();
    let Event::CashFailed(c) = &n.event else {
        panic!("{:?}", n.event)
    };
    assert_eq!(c.status, Status::Failed);
    assert_eq!(c.error_code.as_deref(), Some("card_invalid"));
    assert_eq!(c.error_msg.as_deref(), Some("结算卡无效"));
    assert_eq!(c.real_amt, None);
}

#[test]
fn tampered_data_is_refused() {
    let b = body(PLATFORM_KEY, "cash.succeeded", cash("succeeded"));
    let tampered = b.replace("0.10", "9.10");
    assert_ne!(b, tampered);
    let err = verifier().verify(tampered.as_bytes()).unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[test]
fn a_notification_signed_by_another_key_is_refused() {
    let err = verifier()
        .verify(body(OTHER_KEY, "cash.succeeded", cash("succeeded")).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    // the merchant's key is not the platform's either
    let err = verifier()
        .verify(body(MERCHANT_KEY, "cash.succeeded", cash("succeeded")).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[test]
fn a_missing_sign_or_data_is_refused() {
    let b = body(PLATFORM_KEY, "cash.succeeded", cash("succeeded"));
    let without_sign: Vec<&str> = b.split('&').filter(|p| !p.starts_with("sign=")).collect();
    let err = verifier()
        .verify(without_sign.join("&").as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Missing);
    let without_data: Vec<&str> = b.split('&').filter(|p| !p.starts_with("data=")).collect();
    let err = verifier()
        .verify(without_data.join("&").as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Missing);
}

#[test]
fn an_unsigned_type_that_contradicts_the_signed_object_is_refused() {
    // a genuine cash.failed object relabelled as cash.succeeded
    let err = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", cash("failed")).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    // a genuine payment object relabelled as a cash event
    let payment = json!({"id": "002110078055560567775232", "object": "payment", "status": "succeeded", "app_id": APP_ID});
    let err = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", payment).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

#[test]
fn another_apps_notification_is_refused() {
    let mut data = cash("succeeded");
    data["app_id"] = json!("app_someone_else");
    let err = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", data.clone()).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    // a verifier for that app accepts it
    let theirs = NotificationVerifier::new(
        RsaPublicKey::parse(PLATFORM_PUBLIC).unwrap(),
        "app_someone_else",
    );
    let mut f = form("cash.succeeded", data);
    f.app_id = "app_someone_else".into();
    let b = sign_notification(&signer(PLATFORM_KEY), &f).unwrap();
    assert!(theirs.verify(b.as_bytes()).is_ok());
}

#[test]
fn unknown_and_other_types_keep_their_type_and_json() {
    let payment = json!({"id": "002110078055560567775232", "object": "payment", "status": "succeeded",
                         "app_id": APP_ID, "pay_amt": "0.01", "pay_channel": "alipay"});
    let n = verifier()
        .verify(body(PLATFORM_KEY, "payment.succeeded", payment).as_bytes())
        .unwrap();
    assert_eq!(n.event_type, NotificationType::PaymentSucceeded);
    let Event::Other { event_type, data } = &n.event else {
        panic!("{:?}", n.event)
    };
    assert_eq!(*event_type, NotificationType::PaymentSucceeded);
    assert_eq!(data["pay_amt"], "0.01");

    let novel =
        json!({"id": "0021xyz", "object": "corp_member", "status": "succeeded", "app_id": APP_ID});
    let n = verifier()
        .verify(body(PLATFORM_KEY, "corp_member.succeeded", novel).as_bytes())
        .unwrap();
    assert_eq!(
        n.event_type,
        NotificationType::Other("corp_member.succeeded".into())
    );
    let Event::Other { data, .. } = &n.event else {
        panic!("{:?}", n.event)
    };
    assert_eq!(data["object"], "corp_member");
    assert_eq!(n.data, novel_text());
}

fn novel_text() -> String {
    json!({"id": "0021xyz", "object": "corp_member", "status": "succeeded", "app_id": APP_ID})
        .to_string()
}

#[test]
fn fields_from_a_framework_and_an_unescaped_plus_in_the_sign() {
    let b = body(PLATFORM_KEY, "cash.succeeded", cash("succeeded"));
    // a framework that already decoded the form
    let fields: Vec<(String, String)> = b
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), percent_decode(v))
        })
        .collect();
    let n = verifier().verify_fields(&fields).unwrap();
    assert_eq!(n.event_type, NotificationType::CashSucceeded);
    // a sender that did not escape `+` in the sign: it arrives as a space
    let spaced: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if k == "sign" {
                    v.replace('+', " ")
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    assert!(
        spaced.iter().any(|(k, v)| k == "sign" && v.contains(' ')),
        "the test signature has no `+`"
    );
    assert!(verifier().verify_fields(&spaced).is_ok());
}

fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_ack_body() {
    let n = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", cash("succeeded")).as_bytes())
        .unwrap();
    assert_eq!(
        n.ack_body(),
        format!("RECV_ORD_ID_{}", &CASH_ID[CASH_ID.len() - 32..])
    );
    assert_eq!(n.ack_body(), "RECV_ORD_ID_21120200225003546239388799481234");
    assert_eq!(ack_body("0021"), "RECV_ORD_ID_0021");
}

#[test]
fn signed_data_without_app_id_is_refused() {
    let mut data = cash("succeeded");
    data.as_object_mut().unwrap().remove("app_id");
    // the unsigned form field names the right app: it does not count
    let err = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", data).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
    assert!(err.to_string().contains("app_id"), "{err}");
}

#[test]
fn unsigned_fields_that_disagree_make_it_invalid() {
    // type: a genuine succeeded cash object, relabelled
    for relabel in ["cash.failed", "payment.succeeded", "cash.pending"] {
        let err = verifier()
            .verify(body(PLATFORM_KEY, relabel, cash("succeeded")).as_bytes())
            .unwrap_err();
        assert_signature(&err, SignatureProblem::Mismatch);
    }
    // object and app_id form fields
    let mut f = form("cash.succeeded", cash("succeeded"));
    f.object = "payment".into();
    let b = sign_notification(&signer(PLATFORM_KEY), &f).unwrap();
    assert_signature(
        &verifier().verify(b.as_bytes()).unwrap_err(),
        SignatureProblem::Mismatch,
    );
    let mut f = form("cash.succeeded", cash("succeeded"));
    f.app_id = "app_other".into();
    let b = sign_notification(&signer(PLATFORM_KEY), &f).unwrap();
    assert_signature(
        &verifier().verify(b.as_bytes()).unwrap_err(),
        SignatureProblem::Mismatch,
    );
    // absent unsigned fields are fine: everything comes from the signed data
    let b = body(PLATFORM_KEY, "cash.succeeded", cash("succeeded"));
    let only_signed: Vec<&str> = b
        .split('&')
        .filter(|p| p.starts_with("data=") || p.starts_with("sign="))
        .collect();
    let n = verifier().verify(only_signed.join("&").as_bytes()).unwrap();
    assert_eq!(n.event_type, NotificationType::CashSucceeded);
    assert_eq!(n.id, CASH_ID);
    assert_eq!(n.event_id, None);
}

#[test]
fn an_unknown_status_is_an_unknown_event_never_a_success() {
    for status in ["processing", "SUCCEEDED", "succeeded "] {
        let data = cash(status);
        let n = verifier()
            .verify(body(PLATFORM_KEY, &format!("cash.{status}"), data).as_bytes())
            .unwrap();
        assert!(
            matches!(n.event, Event::Other { .. }),
            "{status}: {:?}",
            n.event
        );
        assert!(n.event_type.is_other(), "{status}");
        assert!(n.status.is_other(), "{status}");
    }
    // a signed object without a status is refused
    let mut data = cash("succeeded");
    data.as_object_mut().unwrap().remove("status");
    let err = verifier()
        .verify(body(PLATFORM_KEY, "cash.succeeded", data).as_bytes())
        .unwrap_err();
    assert_signature(&err, SignatureProblem::Mismatch);
}

/// The shape of the example on Adapay's notification page: the form's `id`
/// is the event's own id, `data.id` the object's, and the form's
/// `created_time` is Unix seconds while the object's is `yyyyMMddHHmmss`.
#[test]
fn the_event_id_is_not_the_object_id() {
    let mut data = cash("succeeded");
    data["id"] = json!("002112020010310514810059003925284544512");
    data["created_time"] = json!("20200103105148");
    let mut f = form("cash.succeeded", data);
    f.id = "002110059003969967001600".into();
    f.created_time = "1578019908".into();
    let b = sign_notification(&signer(PLATFORM_KEY), &f).unwrap();
    let n = verifier().verify(b.as_bytes()).unwrap();
    assert_eq!(n.id, "002112020010310514810059003925284544512");
    assert_eq!(n.event_id.as_deref(), Some("002110059003969967001600"));
    // the acknowledgement names the object: the last 32 characters of its id
    assert_eq!(n.ack_body(), "RECV_ORD_ID_20010310514810059003925284544512");
    let Event::CashSucceeded(c) = &n.event else {
        panic!("{:?}", n.event)
    };
    let created = c.created_time.as_ref().unwrap();
    assert_eq!(created.text, "20200103105148");
    // 2020-01-03 10:51:48 at +08:00
    assert_eq!(created.at.unwrap().unix_timestamp(), 1578019908);
}
