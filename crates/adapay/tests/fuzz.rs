//! Property tests that feed the client and the notification verifier
//! arbitrary input: any panic fails. Each runs `WALLETBRIDGE_FUZZ_CASES`
//! cases (256 by default; CI runs tens of thousands).
//!
//! Inputs that once crashed or misbehaved are kept as regression tests at the
//! end of this file.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::{Arc, OnceLock};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use walletbridge_adapay::Client;
use walletbridge_adapay::wallet::{
    BalanceQuery, CashStatusQuery, CashType, CreateWalletLogin, DrawCash, Status,
};
use walletbridge_adapay::webhooks::{Event, NotificationForm, sign_notification};
use walletbridge_core::test_util::{MockTransport, fuzz_cases};
use walletbridge_core::{HttpResponse, RsaSigner};

fn config() -> Config {
    Config {
        cases: fuzz_cases(),
        failure_persistence: None,
        ..Config::default()
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

fn platform() -> &'static RsaSigner {
    static S: OnceLock<RsaSigner> = OnceLock::new();
    S.get_or_init(|| signer(PLATFORM_KEY))
}

/// A client whose transport answers every request with `status` and `body`.
/// The answer path is what is fuzzed: requests go unsigned (NullSigner), so
/// each case costs the decoding, not four RSA signatures.
fn answering(status: u16, body: Vec<u8>) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .signer(Arc::new(walletbridge_core::test_util::NullSigner))
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .retry_policy(walletbridge_core::RetryPolicy::none())
        .transport(Arc::new(MockTransport::with_responder(move |_| {
            Ok(HttpResponse::new(status, body.clone()))
        })))
        .build()
        .unwrap()
}

fn order() -> DrawCash {
    DrawCash::new("cash_20240101_0001", CashType::T1, Decimal::new(10, 2), "0")
}

/// Runs all four calls against `client`; nothing may panic. Returns the
/// draw-cash result for further checks.
fn all_calls(client: &Client) -> walletbridge_core::Result<walletbridge_adapay::wallet::Cash> {
    runtime().block_on(async {
        let w = client.wallet();
        let _ = w.cash_status(&CashStatusQuery::new("cash_1")).await;
        let _ = w.balance(&BalanceQuery::merchant()).await;
        if let Ok(login) = w.login(&CreateWalletLogin::new("0", "10.0.0.1")).await {
            let _ = w.page(&login);
        }
        w.draw_cash(&order()).await
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(201),
        Just(302),
        Just(400),
        Just(401),
        Just(423),
        Just(500),
        Just(503),
        100u16..600,
    ]
}

/// Text that is sometimes what Adapay sends and often not.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(APP_ID.to_owned()),
        Just("cash_1".to_owned()),
        Just("0".to_owned()),
        Just("cash".to_owned()),
        Just("account_balance".to_owned()),
        Just("login".to_owned()),
        Just("succeeded".to_owned()),
        Just("failed".to_owned()),
        Just("pending".to_owned()),
        Just("T1".to_owned()),
        Just("1579163032".to_owned()),
        Just("20200103105148".to_owned()),
        "[0-9]{0,20}(\\.[0-9]{0,30})?",
        "-?[0-9]{1,40}\\.?[0-9]{0,40}e?[0-9]{0,3}",
        any::<String>(),
        ".{0,8}\u{0}[\\PC]{0,4}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "object",
    "status",
    "order_no",
    "app_id",
    "member_id",
    "id",
    "cash_type",
    "cash_amt",
    "real_amt",
    "fee_amt",
    "created_time",
    "prod_mode",
    "error_code",
    "error_msg",
    "error_type",
    "invalid_param",
    "acct_balance",
    "avl_balance",
    "frz_balance",
    "token",
    "sign",
];

/// A `data` object with Adapay's field names and arbitrary values.
fn data_object() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec((prop::sample::select(FIELDS), value()), 0..12),
        prop::collection::vec(("[a-z_]{1,10}", value()), 0..3),
    )
        .prop_map(|(known, unknown)| {
            let mut m = Map::new();
            for (k, v) in known {
                m.insert(k.to_owned(), v);
            }
            for (k, v) in unknown {
                m.insert(k, v);
            }
            Value::Object(m)
        })
}

/// Signed `data` text: usually an object, sometimes any JSON or any text.
fn data_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => data_object().prop_map(|v| v.to_string()),
        1 => value().prop_map(|v| v.to_string()),
        1 => any::<String>(),
    ]
}

#[test]
fn fuzz_answers_with_random_bodies() {
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        value().prop_map(|v| v.to_string().into_bytes()),
        (value(), value())
            .prop_map(|(d, s)| json!({"data": d, "signature": s}).to_string().into_bytes()),
        (data_text(), "[A-Za-z0-9+/=]{0,200}")
            .prop_map(|(d, s)| json!({"data": d, "signature": s}).to_string().into_bytes()),
    ];
    TestRunner::new(config())
        .run(&(status(), body), |(status, body)| {
            let result = all_calls(&answering(status, body));
            // nothing unsigned is ever taken for a draw-cash answer
            prop_assert!(result.is_err());
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_answers_with_validly_signed_random_data() {
    TestRunner::new(config())
        .run(&(status(), data_text()), |(status, data)| {
            let body = walletbridge_adapay::signing::signed_answer(platform(), &data)
                .unwrap()
                .into_bytes();
            let result = all_calls(&answering(status, body));
            if let Ok(cash) = result {
                // only a signed cash object for this order and app is a success
                let v: Value = serde_json::from_str(&data).unwrap();
                prop_assert!((200..300).contains(&status));
                prop_assert_eq!(v["object"].as_str(), Some("cash"));
                prop_assert!(
                    cash.order_no
                        .as_deref()
                        .is_none_or(|o| o == "cash_20240101_0001")
                );
                prop_assert!(cash.app_id.as_deref().is_none_or(|a| a == APP_ID));
                prop_assert!(cash.status != Status::Failed);
            }
            Ok(())
        })
        .unwrap();
}

fn verify(body: &[u8]) -> walletbridge_core::Result<walletbridge_adapay::webhooks::Notification> {
    static C: OnceLock<Client> = OnceLock::new();
    C.get_or_init(|| client_with(Arc::new(MockTransport::new())))
        .webhooks()
        .verify(body)
}

#[test]
fn fuzz_notifications_with_random_forms() {
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(("[a-z_%+=&]{0,10}", "[\\PC%+=&]{0,40}"), 0..10).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes()
        }),
    ];
    TestRunner::new(config())
        .run(&body, |body| {
            prop_assert!(verify(&body).is_err());
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_notifications_with_validly_signed_random_data() {
    let form = (
        data_text(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
    );
    TestRunner::new(config())
        .run(&form, |(data, event_type, app_id, object, id)| {
            let f = NotificationForm {
                id,
                event_type,
                app_id: app_id.unwrap_or_default(),
                object: object.unwrap_or_default(),
                created_time: "1579163032".to_owned(),
                prod_mode: "true".to_owned(),
                data: data.clone(),
            };
            let body = sign_notification(platform(), &f).unwrap();
            if let Ok(n) = verify(body.as_bytes()) {
                let v: Value = serde_json::from_str(&data).unwrap();
                // everything the notification says is signed
                prop_assert_eq!(v["app_id"].as_str(), Some(APP_ID));
                prop_assert_eq!(v["id"].as_str(), Some(n.id.as_str()));
                prop_assert_eq!(v["status"].as_str(), Some(n.status.as_str()));
                if let Event::CashSucceeded(c) = &n.event {
                    prop_assert_eq!(v["status"].as_str(), Some("succeeded"));
                    prop_assert_eq!(v["object"].as_str(), Some("cash"));
                    prop_assert_eq!(&c.status, &Status::Succeeded);
                }
            }
            Ok(())
        })
        .unwrap();
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s))
}

#[test]
fn fuzz_validators_through_the_requests() {
    let input = (
        any::<String>(),
        text(),
        decimal(),
        any::<String>(),
        prop::option::of(any::<String>()),
        any::<String>(),
        prop::option::of(any::<String>()),
    );
    let client = client_with(signed_transport(200, cash_data("pending").to_string()));
    TestRunner::new(config())
        .run(
            &input,
            |(order_no, cash_type, amount, member, notify, ip, settle)| {
                runtime().block_on(async {
                    let w = client.wallet();
                    let mut o = DrawCash::new(
                        order_no.clone(),
                        CashType::from(cash_type.as_str()),
                        amount,
                        member.clone(),
                    );
                    if let Some(u) = notify {
                        o = o.notify_url(u);
                    }
                    let _ = w.draw_cash(&o).await;
                    let _ = w.cash_status(&CashStatusQuery::new(order_no)).await;
                    let q = match settle {
                        Some(s) => BalanceQuery::member(member.clone(), s),
                        None => BalanceQuery::merchant(),
                    };
                    let _ = w.balance(&q).await;
                    let _ = w.login(&CreateWalletLogin::new(member, ip)).await;
                });
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn fuzz_builder_values() {
    use walletbridge_adapay::prelude::*;
    TestRunner::new(config())
        .run(
            &(
                any::<String>(),
                any::<String>(),
                any::<String>(),
                any::<String>(),
            ),
            |(key, app, base, page)| {
                let _ = Client::builder()
                    .api_key(key)
                    .app_id(app)
                    .private_key_pem(MERCHANT_KEY)
                    .base_url(base)
                    .page_url(page.clone())
                    .wallet_page_url(page)
                    .build();
                Ok(())
            },
        )
        .unwrap();
}

// ---- regressions -------------------------------------------------------------

/// An api key with a line break is a configuration error when the client is
/// built, and the error does not quote the key.
#[test]
fn regression_api_key_with_a_line_break() {
    use walletbridge_adapay::prelude::*;
    for key in ["api_live_1\n", "api_live_1\r\nX-Evil: 1", "\napi"] {
        let err = Client::builder()
            .api_key(key)
            .app_id(APP_ID)
            .private_key_pem(MERCHANT_KEY)
            .build()
            .unwrap_err();
        assert!(
            matches!(err.kind(), walletbridge_core::ErrorKind::Config { .. }),
            "{err}"
        );
        assert!(!err.to_string().contains("api_live_1"), "{err}");
    }
}

/// Amounts with many decimals, exponents and huge magnitudes decode exactly
/// or fail as decode errors; none panics.
#[test]
fn regression_amounts_that_are_not_two_decimals() {
    for (amt, expected) in [
        ("100.055", Some("100.055")),
        ("0.1", Some("0.1")),
        ("12345678901234567.89", Some("12345678901234567.89")),
        ("1e3", None),
        ("99999999999999999999999999999999999", None),
    ] {
        let mut data = cash_data("succeeded");
        data["cash_amt"] = json!(amt);
        let result = all_calls(&answering(
            200,
            walletbridge_adapay::signing::signed_answer(platform(), &data.to_string())
                .unwrap()
                .into_bytes(),
        ));
        match expected {
            Some(e) => assert_eq!(result.unwrap().cash_amt, Some(e.parse().unwrap()), "{amt}"),
            None => assert!(result.is_err(), "{amt}"),
        }
    }
}
