//! Webhooks: signature, tolerance, typed events.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use walletbridge_core::webhook::Tolerance;
use walletbridge_core::{ErrorKind, FixedClock, SignatureProblem};
use walletbridge_gsalary::card_bills::CardTxnType;
use walletbridge_gsalary::cards::CardStatus;
use walletbridge_gsalary::webhooks::{WebhookEvent, WebhookVerifier, sign_webhook};

const PATH: &str = "/gsalary/webhook";

fn signed(key: &str, path: &str, at_ms: i64, body: &str) -> Vec<(String, String)> {
    sign_webhook(&signer(key), APPID, path, at_ms, body.as_bytes()).unwrap()
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_pem(APPID, PLATFORM_PUBLIC)
        .unwrap()
        .clock(Arc::new(FixedClock::new(NOW_MS)))
}

fn problem(err: &walletbridge_core::Error) -> SignatureProblem {
    match err.kind() {
        ErrorKind::Signature { problem, .. } => *problem,
        other => panic!("not a signature error: {other}"),
    }
}

fn card_txn_body() -> String {
    json!({"business_type": "CARD_TRANSACTION", "event_time": "2025-05-20T13:08:02Z", "business_id": "111111",
           "data": {"transaction_id": "2025052013080222465300228999", "card_id": "c1",
                    "mask_card_number": "536025******4433", "transaction_time": "2025-05-20T13:08:02Z",
                    "transaction_amount": {"currency": "USD", "amount": 100.00},
                    "accounting_amount": {"currency": "USD", "amount": 100.00},
                    "surcharge": {"currency": "USD", "amount": 2.00}, "biz_type": "AUTH",
                    "status": "AUTHORIZED", "status_description": "succeed", "merchant_name": "FACEBK",
                    "merchant_region": "US", "auth_code": "A1B2"}})
    .to_string()
}

#[test]
fn a_valid_delivery_decodes_into_a_typed_event() {
    let body = card_txn_body();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let event = verifier().verify(&headers, body.as_bytes(), PATH).unwrap();
    assert_eq!(event.business_type(), "CARD_TRANSACTION");
    assert_eq!(event.business_id(), "111111");
    assert_eq!(event.event_time(), "2025-05-20T13:08:02Z");
    let WebhookEvent::CardTransaction(n) = event else {
        panic!("wrong variant")
    };
    let t = &n.data.transaction;
    assert_eq!(t.card_id.as_deref(), Some("c1"));
    assert_eq!(t.biz_type, Some(CardTxnType::Auth));
    assert_eq!(
        t.surcharge.as_ref().unwrap().amount,
        Decimal::from_str("2").unwrap()
    );
    assert_eq!(t.extra.get("auth_code"), Some(&json!("A1B2")));
    assert_eq!(n.data.raw["merchant_name"], json!("FACEBK"));
}

#[test]
fn the_client_builds_a_verifier_with_its_key_and_clock() {
    let client = client_with(signed_transport(200, ok_body(json!({}))));
    let body = card_txn_body();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS - 60_000, &body);
    let event = client
        .webhooks()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap();
    assert_eq!(event.business_id(), "111111");
    assert_eq!(client.webhooks().appid(), APPID);
}

#[test]
fn header_names_are_case_insensitive_and_urls_are_cut_to_the_path() {
    let body = card_txn_body();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap()
        .1
        .clone();
    let mixed: Vec<(&str, &str)> = vec![
        ("X-APPID", APPID),
        ("Authorization", auth.as_str()),
        ("Host", "x"),
    ];
    let v = verifier();
    assert!(v.verify(mixed.iter(), body.as_bytes(), PATH).is_ok());
    assert!(
        v.verify(
            mixed.clone(),
            body.as_bytes(),
            "https://merchant.example/gsalary/webhook"
        )
        .is_ok()
    );
    // without x-appid the configured appid is used
    assert!(
        v.verify(
            vec![("authorization", auth.as_str())],
            body.as_bytes(),
            PATH
        )
        .is_ok()
    );
}

#[test]
fn a_tampered_body_is_rejected() {
    let body = card_txn_body();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let tampered = body.replace("100.0", "900.0");
    assert_ne!(tampered, body);
    let err = verifier()
        .verify(&headers, tampered.as_bytes(), PATH)
        .unwrap_err();
    assert_eq!(problem(&err), SignatureProblem::Mismatch);
    assert_eq!(err.provider(), Some("gsalary"));
}

#[test]
fn another_keys_signature_is_rejected() {
    let body = card_txn_body();
    let headers = signed(OTHER_KEY, PATH, NOW_MS, &body);
    let err = verifier()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap_err();
    assert_eq!(problem(&err), SignatureProblem::Mismatch);
    // and a verifier with the merchant's own public key does not accept the platform's signature
    let wrong = WebhookVerifier::from_pem(APPID, MERCHANT_PUBLIC)
        .unwrap()
        .tolerance(Tolerance::Disabled);
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    assert_eq!(
        problem(&wrong.verify(&headers, body.as_bytes(), PATH).unwrap_err()),
        SignatureProblem::Mismatch
    );
}

#[test]
fn another_path_or_appid_is_rejected() {
    let body = card_txn_body();
    let headers = signed(PLATFORM_KEY, "/other/hook", NOW_MS, &body);
    let err = verifier()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap_err();
    assert_eq!(problem(&err), SignatureProblem::Mismatch);

    let mut headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    headers[0].1 = "someone_else".into();
    let err = verifier()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap_err();
    assert_eq!(problem(&err), SignatureProblem::Mismatch);
    assert!(err.to_string().contains("x-appid"), "{err}");
}

#[test]
fn missing_and_malformed_signatures_are_rejected() {
    let body = card_txn_body();
    let none: Vec<(String, String)> = vec![("x-appid".into(), APPID.into())];
    assert_eq!(
        problem(&verifier().verify(&none, body.as_bytes(), PATH).unwrap_err()),
        SignatureProblem::Missing
    );
    let empty = vec![("authorization", "")];
    assert_eq!(
        problem(&verifier().verify(empty, body.as_bytes(), PATH).unwrap_err()),
        SignatureProblem::Missing
    );
    for bad in [
        "garbage",
        "algorithm=RSA2,time=abc,signature=AQ==",
        "algorithm=RSA2,time=1,signature=!!",
    ] {
        let h = vec![("authorization", bad)];
        let err = verifier().verify(h, body.as_bytes(), PATH).unwrap_err();
        assert_eq!(problem(&err), SignatureProblem::Malformed, "{bad}");
    }
}

#[test]
fn stale_and_future_timestamps_are_rejected() {
    let body = card_txn_body();
    for skew in [-6 * 60_000, 6 * 60_000] {
        let headers = signed(PLATFORM_KEY, PATH, NOW_MS + skew, &body);
        let err = verifier()
            .verify(&headers, body.as_bytes(), PATH)
            .unwrap_err();
        assert_eq!(problem(&err), SignatureProblem::Stale, "{skew}");
    }
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS - 4 * 60_000, &body);
    assert!(verifier().verify(&headers, body.as_bytes(), PATH).is_ok());
    // a tighter window
    let tight = verifier().tolerance(Tolerance::Within(Duration::from_secs(60)));
    let err = tight.verify(&headers, body.as_bytes(), PATH).unwrap_err();
    assert_eq!(problem(&err), SignatureProblem::Stale);
    // the clock is the injected one: moving it makes the same delivery valid
    let clock = Arc::new(FixedClock::new(NOW_MS + 10 * 60_000));
    let later = verifier().clock(clock.clone());
    assert_eq!(
        problem(&later.verify(&headers, body.as_bytes(), PATH).unwrap_err()),
        SignatureProblem::Stale
    );
    clock.set(NOW_MS - 4 * 60_000);
    assert!(later.verify(&headers, body.as_bytes(), PATH).is_ok());
}

#[test]
fn disabled_tolerance_accepts_old_deliveries_but_still_checks_signatures() {
    let body = card_txn_body();
    let day_old = signed(PLATFORM_KEY, PATH, NOW_MS - 86_400_000, &body);
    let manual = verifier().tolerance(Tolerance::Disabled);
    assert!(manual.verify(&day_old, body.as_bytes(), PATH).is_ok());
    let tampered = body.replace("FACEBK", "EVILCO");
    assert_eq!(
        problem(
            &manual
                .verify(&day_old, tampered.as_bytes(), PATH)
                .unwrap_err()
        ),
        SignatureProblem::Mismatch
    );
    let forged = signed(OTHER_KEY, PATH, NOW_MS - 86_400_000, &body);
    assert_eq!(
        problem(&manual.verify(&forged, body.as_bytes(), PATH).unwrap_err()),
        SignatureProblem::Mismatch
    );
}

#[test]
fn unknown_business_types_are_kept() {
    let body = json!({"business_type": "CARD_LIMIT_CHANGED", "event_time": "2025-09-01T00:00:00Z",
                      "business_id": 42, "data": {"card_id": "c1", "new_limit": 500}})
    .to_string();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let event = verifier().verify(&headers, body.as_bytes(), PATH).unwrap();
    assert!(event.is_unknown());
    assert_eq!(event.business_type(), "CARD_LIMIT_CHANGED");
    assert_eq!(event.business_id(), "42");
    assert_eq!(event.event_time(), "2025-09-01T00:00:00Z");
    let WebhookEvent::Unknown { raw, .. } = event else {
        panic!()
    };
    assert_eq!(raw["new_limit"], json!(500));
}

fn deactivated(data: serde_json::Value) -> Vec<String> {
    let body = json!({"business_type": "PAYEE_DEACTIVATED", "event_time": "2025-03-24T00:00:00Z",
                      "business_id": "p-evt", "data": data})
    .to_string();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let WebhookEvent::PayeeDeactivated(n) =
        verifier().verify(&headers, body.as_bytes(), PATH).unwrap()
    else {
        panic!("wrong variant")
    };
    n.data.payee_ids().into_iter().map(str::to_owned).collect()
}

#[test]
fn payee_deactivated_reads_the_old_and_the_new_field() {
    assert_eq!(deactivated(json!({"deactivate_payee_id": "p1"})), ["p1"]);
    assert_eq!(
        deactivated(json!({"deactivated_payee_ids": ["p1", "p2"]})),
        ["p1", "p2"]
    );
    assert_eq!(
        deactivated(json!({"deactivate_payee_id": "p1", "deactivated_payee_ids": ["p1"]})),
        ["p1"]
    );
    assert_eq!(
        deactivated(json!({"deactivated_payee_ids": "p3, p4"})),
        ["p3", "p4"]
    );
    assert!(deactivated(json!({})).is_empty());
}

#[test]
fn codes_and_tokens_are_secrets() {
    let cases = [
        (
            "THREE_DS_VERIFICATION_CODE",
            json!({"card_id": "c1", "verification_code": "918273"}),
            "918273",
        ),
        (
            "CARD_TOKEN_OTP_CODE",
            json!({"card_id": "c1", "otp": "564738"}),
            "564738",
        ),
        (
            "CARD_VERIFICATION_CODE",
            json!({"card_id": "c1", "code": "102938", "merchant_name": "PAYPAL"}),
            "102938",
        ),
        (
            "CARD_ACTIVATION_CODE",
            json!({"card_id": "pc1", "activation_code": "ACT-99887766"}),
            "ACT-99887766",
        ),
        (
            "ACQUIRING_AUTH_TOKEN",
            json!({"access_token": "tok-abcdef123456", "payment_method": "ALIPAY_CN"}),
            "tok-abcdef123456",
        ),
    ];
    for (kind, data, secret) in cases {
        let body =
            json!({"business_type": kind, "event_time": "t", "business_id": "b", "data": data})
                .to_string();
        let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
        let event = verifier().verify(&headers, body.as_bytes(), PATH).unwrap();
        assert_eq!(event.business_type(), kind);
        let debug = format!("{event:?} {event:#?}");
        assert!(!debug.contains(secret), "{kind}: {debug}");
        let exposed = match &event {
            WebhookEvent::ThreeDsVerificationCode(n)
            | WebhookEvent::CardTokenOtpCode(n)
            | WebhookEvent::CardVerificationCode(n) => {
                n.data.code.as_ref().unwrap().expose().clone()
            }
            WebhookEvent::CardActivationCode(n) => {
                n.data.activation_code.as_ref().unwrap().expose().clone()
            }
            WebhookEvent::AcquiringAuthToken(n) => {
                n.data.access_token.as_ref().unwrap().expose().clone()
            }
            other => panic!("wrong variant {other:?}"),
        };
        assert_eq!(exposed, secret);
    }
}

#[test]
fn every_known_business_type_has_its_variant() {
    let kinds = [
        "CARD_TRANSACTION",
        "CARD_STATUS_UPDATE",
        "THREE_DS_VERIFICATION_CODE",
        "CARD_TOKEN_OTP_CODE",
        "CARD_VERIFICATION_CODE",
        "CARD_ACTIVATION_CODE",
        "CARD_PIN_RETRY_LIMIT",
        "PAYEE_ACCOUNT_ACTIVE",
        "REMITTANCE_FAIL",
        "REMITTANCE_COMPLETE",
        "REMITTANCE_REVERSE",
        "PAYEE_DEACTIVATED",
        "ACQUIRING_PAYMENT_SUCCEED",
        "ACQUIRING_PAYMENT_FAILED",
        "ACQUIRING_REFUND_SUCCEED",
        "ACQUIRING_REFUND_FAILED",
        "ACQUIRING_CAPTURE_SUCCEED",
        "ACQUIRING_CAPTURE_FAILED",
        "ACQUIRING_AUTH_TOKEN",
    ];
    for kind in kinds {
        for data in [json!({}), json!(null)] {
            let body = json!({"business_type": kind, "event_time": "2025-01-01T00:00:00Z", "business_id": "id-1",
                              "data": data})
            .to_string();
            let event = WebhookEvent::from_slice(body.as_bytes()).unwrap();
            assert!(!event.is_unknown(), "{kind}");
            assert_eq!(event.business_type(), kind);
            assert_eq!(event.business_id(), "id-1");
            assert_eq!(event.event_time(), "2025-01-01T00:00:00Z");
        }
    }
}

#[test]
fn typed_data_of_other_events() {
    let parse = |kind: &str, data: serde_json::Value| {
        let body =
            json!({"business_type": kind, "event_time": "t", "business_id": "b", "data": data})
                .to_string();
        WebhookEvent::from_slice(body.as_bytes()).unwrap()
    };
    let WebhookEvent::CardStatusUpdate(n) = parse(
        "CARD_STATUS_UPDATE",
        json!({"card_id": "c1", "status": "FROZEN"}),
    ) else {
        panic!()
    };
    assert_eq!(n.data.status, Some(CardStatus::Frozen));
    let WebhookEvent::PayeeAccountActive(n) = parse(
        "PAYEE_ACCOUNT_ACTIVE",
        json!({"payee_id": "p1", "account_id": "a1", "payment_method": "PAYPAL_USD"}),
    ) else {
        panic!()
    };
    assert_eq!(n.data.account_id.as_deref(), Some("a1"));
    let WebhookEvent::AcquiringPaymentSucceed(n) = parse(
        "ACQUIRING_PAYMENT_SUCCEED",
        json!({"payment_request_id": "PAY_1", "payment_id": "P1", "payment_amount": {"currency": "USD", "amount": 100.5},
               "settlement_quote": {"exchange_rate": 7.2}}),
    ) else {
        panic!()
    };
    assert_eq!(
        n.data.payment_amount.unwrap().amount,
        Decimal::from_str("100.5").unwrap()
    );
    let raw: serde_json::Value = serde_json::from_str(n.data.raw.expose()).unwrap();
    assert_eq!(raw["settlement_quote"]["exchange_rate"], json!(7.2));
    let WebhookEvent::RemittanceReverse(n) = parse("REMITTANCE_REVERSE", json!({"order_id": "o1"}))
    else {
        panic!()
    };
    assert_eq!(n.data.order_id.as_deref(), Some("o1"));
}

#[test]
fn undecodable_bodies_are_decode_errors_that_do_not_quote_the_body() {
    let body = r#"{"business_type": "CARD_ACTIVATION_CODE", "data": {"activation_code": "SECRET-1", "card_id": 5"#;
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, body);
    let err = verifier()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err}");
    assert!(!format!("{err} {err:?}").contains("SECRET-1"));
    // a field of the wrong shape is left out (issue 14, rule 2); the rest is read
    let body = json!({"business_type": "CARD_ACTIVATION_CODE", "business_id": "b",
                      "data": {"card_id": {"nested": "SECRET-2"}, "activation_code": "123456"}})
    .to_string();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let WebhookEvent::CardActivationCode(n) =
        verifier().verify(&headers, body.as_bytes(), PATH).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(n.data.card_id, None);
    assert_eq!(n.data.activation_code.unwrap().expose(), "123456");
    // data that is not an object at all names the path
    let body = json!({"business_type": "CARD_ACTIVATION_CODE", "business_id": "b",
                      "data": ["SECRET-2"]})
    .to_string();
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, &body);
    let err = verifier()
        .verify(&headers, body.as_bytes(), PATH)
        .unwrap_err();
    let ErrorKind::Decode { path, .. } = err.kind() else {
        panic!("{err}")
    };
    assert!(path.starts_with("data"), "{path}");
    assert!(!format!("{err} {err:?}").contains("SECRET-2"));
}

#[test]
fn sign_webhook_produces_the_documented_headers() {
    let headers = signed(PLATFORM_KEY, PATH, NOW_MS, "{}");
    assert_eq!(headers[0], ("x-appid".to_owned(), APPID.to_owned()));
    assert!(
        headers[1]
            .1
            .starts_with(&format!("algorithm=RSA2,time={NOW_MS},signature="))
    );
    assert_eq!(
        headers[2],
        ("content-type".to_owned(), "application/json".to_owned())
    );
}

#[test]
fn acquiring_payment_succeed_exposes_the_card_token_as_a_secret() {
    let token = "ctok_4f1e9a0b77";
    let WebhookEvent::AcquiringPaymentSucceed(n) = parse(
        "ACQUIRING_PAYMENT_SUCCEED",
        json!({"payment_request_id": "PAY_1", "payment_id": "P1", "payment_status": "SUCCESS",
               "payment_result_info": {"card_token": token, "card_brand": "VISA"}}),
    ) else {
        panic!()
    };
    let info = n.data.payment_result_info.clone().unwrap();
    assert_eq!(info.card_token.as_ref().unwrap().expose(), token);
    assert!(info.extra.contains_key("card_brand"));
    let shown = format!("{n:?}");
    assert!(!shown.contains(token), "{shown}");
    assert!(!shown.contains("ctok_"), "{shown}");
}

#[test]
fn acquiring_auth_token_says_granted_or_cancelled() {
    use walletbridge_gsalary::webhooks::AuthTokenState;
    let state = |data: serde_json::Value| {
        let WebhookEvent::AcquiringAuthToken(n) = parse("ACQUIRING_AUTH_TOKEN", data) else {
            panic!()
        };
        n.data.state
    };
    assert_eq!(
        state(json!({"access_token": "at_1", "refresh_token": "rt_1", "auth_state": "s1"})),
        AuthTokenState::Granted
    );
    assert_eq!(
        state(json!({"auth_state": "s1"})),
        AuthTokenState::Cancelled
    );
    assert_eq!(
        state(json!({"auth_status": "CANCELLED", "access_token": "at_1"})),
        AuthTokenState::Cancelled
    );
    assert_eq!(
        state(json!({"status": "AUTHORIZED"})),
        AuthTokenState::Granted
    );
    assert_eq!(
        state(json!({"status": "PAUSED"})),
        AuthTokenState::Other("PAUSED".into())
    );
    let WebhookEvent::AcquiringAuthToken(n) = parse(
        "ACQUIRING_AUTH_TOKEN",
        json!({"access_token": "at_SECRET", "auth_state": "s1"}),
    ) else {
        panic!()
    };
    assert_eq!(n.data.auth_state.as_deref(), Some("s1"));
    assert!(!format!("{n:?}").contains("at_SECRET"));
}

#[test]
fn remittance_events_carry_the_client_order_id_and_a_typed_status() {
    use walletbridge_gsalary::remittance::OrderStatus;
    for (business_type, status, expected) in [
        ("REMITTANCE_COMPLETE", "SUCCESS", OrderStatus::Success),
        (
            "REMITTANCE_FAIL",
            "PROCESS_FAILED",
            OrderStatus::ProcessFailed,
        ),
        ("REMITTANCE_REVERSE", "REVERSED", OrderStatus::Reversed),
        (
            "REMITTANCE_FAIL",
            "SOMETHING_NEW",
            OrderStatus::Other("SOMETHING_NEW".into()),
        ),
    ] {
        let data = json!({"order_id": "order_123456789", "client_order_id": "order_987654321",
                          "status": status});
        let (client_order_id, got) = match parse(business_type, data) {
            WebhookEvent::RemittanceComplete(n)
            | WebhookEvent::RemittanceFail(n)
            | WebhookEvent::RemittanceReverse(n) => (n.data.client_order_id, n.data.status),
            other => panic!("{other:?}"),
        };
        assert_eq!(client_order_id.as_deref(), Some("order_987654321"));
        assert_eq!(got, Some(expected));
    }
}

#[test]
fn unknown_events_debug_shows_no_values() {
    let event = parse(
        "NEW_EVENT",
        json!({"secret_code": "918273", "card_id": "c1"}),
    );
    let shown = format!("{event:?}");
    assert!(!shown.contains("918273"), "{shown}");
    assert!(shown.contains("secret_code"), "{shown}");
}

fn parse(kind: &str, data: serde_json::Value) -> WebhookEvent {
    let body = json!({"business_type": kind, "event_time": "2024-03-04T10:00:00Z",
                      "business_id": "b", "data": data})
    .to_string();
    WebhookEvent::from_slice(body.as_bytes()).unwrap()
}
