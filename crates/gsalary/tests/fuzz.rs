//! Fuzzing as bounded tests: GSalary answers through a client over the core
//! `MockTransport` (random bodies, random headers, validly signed random
//! JSON), webhooks (random bodies and headers, validly signed random JSON),
//! and every validator on random strings and decimals. Any panic fails.
//!
//! Cases per target: `WALLETBRIDGE_FUZZ_CASES` (default 256). CI runs them
//! with tens of thousands. Crashing inputs found are committed at the end of
//! this file as regression tests.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{FixedClock, HttpRequest, HttpResponse};
use walletbridge_gsalary::webhooks::{WebhookEvent, WebhookVerifier, sign_webhook};
use walletbridge_gsalary::{Client, signing, validate};

use common::*;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: walletbridge_core::test_util::fuzz_cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Field names the models read, so random objects reach real decoders.
const KEYS: &[&str] = &[
    "result",
    "code",
    "message",
    "data",
    "currency",
    "amount",
    "available",
    "card_id",
    "card_holder_id",
    "status",
    "pan",
    "cvv",
    "expire_year",
    "expire_month",
    "page",
    "limit",
    "total_count",
    "total_page",
    "cards",
    "transactions",
    "orders",
    "payees",
    "payers",
    "card_holders",
    "history",
    "products",
    "request_id",
    "client_order_id",
    "order_id",
    "card_detail",
    "mobile",
    "bill_address",
    "sell_amount",
    "buy_amount",
    "transaction_amount",
    "accounting_amount",
    "surcharge",
    "pay_amount",
    "receive_amount",
    "payment_amount",
    "business_type",
    "business_id",
    "event_time",
    "payment_result_info",
    "card_token",
    "access_token",
    "refresh_token",
    "deactivated_payee_ids",
    "deactivate_payee_id",
    "biz_result",
    "error_code",
    "quota",
    "post_balance",
    "create_time",
    "extra",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        proptest::sample::select(
            &[
                "S",
                "F",
                "U",
                "USD",
                "IDR",
                "",
                "1.005",
                "-0",
                "1e400",
                "ACTIVE",
                "PENDING",
                "SUCCESS",
                "2024-03-04T10:00:00Z"
            ][..]
        )
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..7)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("authorization".to_owned()),
        Just("x-appid".to_owned()),
        Just("retry-after".to_owned()),
        "[a-zA-Z-]{1,12}",
    ];
    let value = prop_oneof![
        Just(format!("algorithm=RSA2,time={NOW_MS},signature=AQ==")),
        "\\PC{0,40}",
        "algorithm=[A-Z0-9]{0,5},time=[0-9-]{0,20},signature=[A-Za-z0-9%+/=_-]{0,40}",
    ];
    proptest::collection::vec((name, value), 0..4)
}

fn client(transport: Arc<MockTransport>) -> Client {
    // The answer path is what is fuzzed: requests go unsigned (NullSigner)
    // so each case costs the decoding, not an RSA-4096 signature.
    Client::builder()
        .appid(APPID)
        .signer(Arc::new(walletbridge_core::test_util::NullSigner))
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url("https://api-test.gsalary.com")
        .clock(Arc::new(walletbridge_core::FixedClock::new(NOW_MS)))
        .retry_policy(walletbridge_core::RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap()
}

/// Calls a spread of endpoints (reads, writes, sensitive ones); every result
/// is acceptable, a panic is not.
async fn exercise(c: &Client) {
    use walletbridge_gsalary::{
        card_bills::CardTransactionsQuery, cards::CardsQuery, cards::ModifyCardBalance,
        exchange::ExchangeOrdersQuery, payees::PayeesQuery, remittance::SubmitRemittanceOrder,
        wallet::TransactionsQuery,
    };
    let _ = c.wallet().balance("USD").await;
    let _ = c.wallet().transactions(&TransactionsQuery::new()).await;
    let _ = c.cards().get("c1").await;
    let _ = c.cards().list(&CardsQuery::new()).await;
    let _ = c.cards().secure_info("c1").await;
    let _ = c.cards().apply_result("r1").await;
    let _ = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase("r1", "c1", Decimal::ONE))
        .await;
    let _ = c.card_holders().get("h1").await;
    let _ = c
        .card_bills()
        .transactions(&CardTransactionsQuery::new())
        .await;
    let _ = c.payees().list(&PayeesQuery::new()).await;
    let _ = c.exchange().orders(&ExchangeOrdersQuery::new()).await;
    let _ = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new("q1", "co1"))
        .await;
}

#[test]
fn fuzz_answers_random_bodies_and_headers() {
    let rt = runtime();
    let strategy = (
        proptest::sample::select(&[200u16, 201, 204, 302, 400, 401, 404, 423, 429, 500, 503][..]),
        proptest::collection::vec(any::<u8>(), 0..256),
        headers(),
    );
    runner()
        .run(&strategy, |(status, body, headers)| {
            let transport = Arc::new(MockTransport::with_responder(move |_req: &HttpRequest| {
                let mut r = HttpResponse::new(status, body.clone());
                for (k, v) in &headers {
                    r = r.header(k.clone(), v.clone());
                }
                Ok(r)
            }));
            rt.block_on(exercise(&client(transport)));
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_answers_validly_signed_random_json() {
    let rt = runtime();
    let strategy = (
        json_value(),
        proptest::sample::select(&["S", "F", "U", "X"][..]),
        any::<bool>(),
    );
    runner()
        .run(&strategy, |(data, letter, wrap)| {
            let body = if wrap {
                json!({"result": {"result": letter, "code": "", "message": ""}, "data": data})
                    .to_string()
            } else {
                data.to_string()
            };
            let transport = Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
                let auth = answer_signature(
                    PLATFORM_KEY,
                    req.method.as_str(),
                    &signing::unescaped_path_and_query(req.path_and_query()),
                    &body,
                );
                Ok(HttpResponse::new(200, body.clone()).header("Authorization", auth))
            }));
            rt.block_on(exercise(&client(transport)));
            Ok(())
        })
        .unwrap();
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_pem(APPID, PLATFORM_PUBLIC)
        .unwrap()
        .clock(Arc::new(FixedClock::new(NOW_MS)))
}

/// Everything a caller may print or read of an event; must not panic.
fn touch(event: &WebhookEvent) {
    let _ = format!("{event:?}");
    let _ = (
        event.business_type(),
        event.business_id(),
        event.event_time(),
    );
}

#[test]
fn fuzz_webhooks_random_bodies_and_headers() {
    let v = verifier();
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..256),
        headers(),
        "\\PC{0,20}",
    );
    runner()
        .run(&strategy, |(body, headers, path)| {
            if let Ok(e) = v.verify(&headers, &body, &path) {
                touch(&e);
            }
            if let Ok(e) = WebhookEvent::from_slice(&body) {
                touch(&e);
            }
            Ok(())
        })
        .unwrap();
}

const BUSINESS_TYPES: &[&str] = &[
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
    "NEW_ONE",
];

#[test]
fn fuzz_webhooks_validly_signed_random_json() {
    let v = verifier();
    let signer = signer(PLATFORM_KEY);
    let strategy = (
        proptest::sample::select(BUSINESS_TYPES),
        json_value(),
        json_value(),
    );
    runner()
        .run(&strategy, |(business_type, data, id)| {
            let body = json!({"business_type": business_type, "event_time": id,
                              "business_id": "b1", "data": data})
            .to_string();
            let headers = sign_webhook(&signer, APPID, "/hook", NOW_MS, body.as_bytes()).unwrap();
            if let Ok(e) = v.verify(&headers, body.as_bytes(), "/hook") {
                touch(&e);
            }
            Ok(())
        })
        .unwrap();
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
    ]
}

#[test]
fn fuzz_validators_on_random_strings() {
    let text = || prop_oneof!["\\PC{0,60}", "[0-9T:+.Z -]{0,30}", "\\PC{20,30}"];
    runner()
        .run(&(text(), text(), text()), |(a, b, c)| {
            let _ = validate::request_id("f", &a);
            let _ = validate::region("f", &a);
            let _ = validate::currency("f", &a);
            let _ = validate::iso_date("f", &a);
            let _ = validate::iso_datetime("f", &a);
            let _ = validate::holder_name("f", &a);
            let _ = validate::mobile("f", &a, &b);
            let _ = validate::pin("f", &a);
            let _ = validate::remark("f", &a);
            let _ = validate::not_empty("f", &a);
            let _ = validate::email("f", &a);
            let _ = validate::iso_datetime("time_start", &a)
                .and(validate::iso_datetime("time_end", &c));
            let _ = validate::positive_amount("f", &b, Decimal::ONE);
            let _ = validate::amount_scale("f", &c, Decimal::new(1, 3));
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_validators_on_random_decimals() {
    let currency =
        proptest::sample::select(&["USD", "IDR", "JPY", "KWD", "BHD", "", "usd", "XXXX"][..]);
    runner()
        .run(
            &(
                decimal(),
                decimal(),
                decimal(),
                currency,
                any::<u32>(),
                any::<u32>(),
            ),
            |(a, b, c, cur, p, l)| {
                let _ = validate::positive_amount("f", cur, a);
                let _ = validate::amount_scale("f", cur, b);
                let _ = validate::card_apply_limits(cur, Some(a), Some(b), Some(c));
                let _ = validate::card_update_limits(Some(a), Some(b), Some(c));
                let _ = validate::card_update_limits(None, Some(b), None);
                let _ = validate::page(p, l);
                Ok(())
            },
        )
        .unwrap();
}

// Regression inputs found by the targets above.

#[test]
fn regression_multibyte_time_is_an_error_not_a_panic() {
    assert!(validate::iso_datetime("time_start", "2024-03-04T00:00:0é0000Z").is_err());
    assert!(validate::iso_datetime("time_start", "2024-03-04T00:00:00ééé").is_err());
}
