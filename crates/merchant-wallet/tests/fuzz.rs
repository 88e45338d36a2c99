//! Fuzzing as bounded tests: random bodies and statuses through every
//! decoder of a client over the core `MockTransport` (random bytes, random
//! JSON, and envelopes around random data), random tokens through the JWT
//! reader, and every request rule on random values. Any panic fails.
//!
//! Cases per target: `WALLETBRIDGE_FUZZ_CASES` (default 256); CI runs tens of
//! thousands.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use walletbridge_core::{Decimal, HttpRequest, HttpResponse, RetryPolicy};
use walletbridge_merchant_wallet::Client;
use walletbridge_merchant_wallet::auth::token_lifetime;
use walletbridge_merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};

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
    "code",
    "msg",
    "data",
    "status",
    "list",
    "total",
    "total_money",
    "today_income",
    "promote_income",
    "money",
    "freeze_money",
    "deposit_money",
    "fee_rate",
    "channels",
    "value",
    "label",
    "ico",
    "trade_no",
    "url",
    "order_auto_close_time",
    "id",
    "user_type",
    "goods_name",
    "total_price",
    "finally_money",
    "user_id",
    "channel_account_id",
    "channel_id",
    "recharge_type",
    "fee",
    "create_at",
    "pay_at",
    "transaction_id",
    "access_token",
    "token",
    "userinfo",
    "username",
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
        (-3i64..5).prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
        proptest::sample::select(
            &[
                "",
                "1",
                "0",
                "315.000",
                "1e400",
                "-0",
                "0.05",
                "2025-11-19 15:55:28",
                "2025-02-30 25:61:61",
                "error",
                "deposit_money",
                "1763538936",
                "99999999999999999999",
            ][..]
        )
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A body: random bytes, random JSON, or an envelope around random data
/// (sometimes a page's real answer with one field replaced).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let page_answers = [
        total_money(),
        user_balance(),
        channels(),
        common::recharge(),
        orders(),
        json!({"status": 1}),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        (
            prop_oneof![
                Just(json!(1)),
                Just(json!(0)),
                Just(json!("1")),
                json_value()
            ],
            "\\PC{0,8}",
            json_value()
        )
            .prop_map(
                |(code, msg, data)| json!({"code": code, "msg": msg, "data": data})
                    .to_string()
                    .into_bytes()
            ),
        (
            proptest::sample::select(page_answers.to_vec()),
            key(),
            json_value()
        )
            .prop_map(|(mut data, k, v)| {
                if let Value::Object(m) = &mut data {
                    m.insert(k, v);
                }
                json!({"code": 1, "msg": "", "data": data})
                    .to_string()
                    .into_bytes()
            }),
        // a page of orders with one field of the order replaced
        (key(), json_value()).prop_map(|(k, v)| {
            let mut o = order(1);
            o[k] = v;
            json!({"code": 1, "data": {"list": [o], "total": 1}})
                .to_string()
                .into_bytes()
        }),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => proptest::sample::select(&[201u16, 204, 301, 302, 307, 400, 401, 403, 404, 429, 500, 502, 503][..]),
        1 => 100u16..600,
    ]
}

/// A client whose every request (login included) is answered with `status` `body`.
fn client(status: u16, body: Vec<u8>, with_login: bool) -> Client {
    let transport = Arc::new(MockTransport::with_responder(move |_req: &HttpRequest| {
        Ok(HttpResponse::new(status, body.clone()))
    }));
    let b = Client::builder()
        .base_url(BASE)
        .retry_policy(RetryPolicy::none())
        .transport(transport);
    let b = if with_login {
        b.credentials(USERNAME, PASSWORD)
    } else {
        b.token(TOKEN)
    };
    b.build().unwrap()
}

#[test]
fn fuzz_answers_never_panic() {
    let rt = runtime();
    runner()
        .run(
            &(status(), body(), any::<bool>()),
            |(status, body, with_login)| {
                let c = client(status, body, with_login);
                rt.block_on(async {
                    let w = c.wallet();
                    let _ = w.total_money().await;
                    let _ = w.balance().await;
                    let _ = w.recharge_channels().await;
                    let _ = w
                        .recharge(&RechargeWallet::new(Decimal::new(300, 0), 1))
                        .await;
                    let _ = w.recharge_orders(&RechargeOrderQuery::new()).await;
                    let _ = c.pay().order_status("M1").await;
                    let _ = c.login().await;
                    // a stream over answers that may claim anything ends
                    let mut s = w.recharge_orders_stream(RechargeOrderQuery::new());
                    let mut n = 0;
                    while let Some(item) = futures_util::StreamExt::next(&mut s).await {
                        n += 1;
                        if item.is_err() || n > 100_000 {
                            break;
                        }
                    }
                });
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn fuzz_order_status_answers_are_values_or_errors() {
    let rt = runtime();
    let answer = (
        prop_oneof![Just(json!(0)), Just(json!(1)), json_value()],
        prop_oneof![Just("订单不存在".to_owned()), "\\PC{0,12}"],
        prop_oneof![
            Just(json!("error")),
            (-2i64..6).prop_map(|s| json!({"status": s})),
            json_value().prop_map(|s| json!({"status": s})),
            json_value(),
        ],
    );
    runner()
        .run(&(status(), answer), |(status, (code, msg, data))| {
            let body = json!({"code": code, "msg": msg, "data": data})
                .to_string()
                .into_bytes();
            let c = client(status, body, true);
            let _ = rt.block_on(c.pay().order_status("202312010001"));
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_token_lifetimes_never_panic() {
    use base64::Engine as _;
    let jwt_like = (json_value(), any::<i64>()).prop_map(|(claims, _)| {
        let e = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", e(b"{}"), e(claims.to_string().as_bytes()))
    });
    let token = prop_oneof!["\\PC{0,64}", jwt_like, "[a-zA-Z0-9_=.-]{0,40}"];
    runner()
        .run(&(token, any::<i64>()), |(token, now)| {
            let _ = token_lifetime(&token, now);
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_request_rules_never_panic() {
    let rt = runtime();
    let amount = (any::<i64>(), 0u32..29).prop_map(|(m, s)| Decimal::new(m, s));
    let day = (1900i32..2200, 1u8..13, 1u8..29).prop_map(|(y, m, d)| {
        walletbridge_core::date::parse_date(&format!("{y:04}-{m:02}-{d:02}")).unwrap()
    });
    let inputs = (
        amount,
        any::<i64>(),
        any::<u32>(),
        any::<u32>(),
        proptest::option::of((day.clone(), day)),
        proptest::option::of(any::<i64>()),
        "\\PC{0,16}",
    );
    // every request goes to a transport that answers a page's answer
    let c = token_client(page_transport());
    runner()
        .run(
            &inputs,
            |(amount, channel, page, limit, range, channel_filter, trade_no)| {
                let mut q = RechargeOrderQuery::new().page(page).limit(limit);
                if let Some((a, b)) = range {
                    q = q.date_range(a, b);
                }
                if let Some(ch) = channel_filter {
                    q = q.channel_id(ch);
                }
                rt.block_on(async {
                    let _ = c
                        .wallet()
                        .recharge(&RechargeWallet::new(amount, channel))
                        .await;
                    let _ = c.wallet().recharge_orders(&q).await;
                    let _ = c.pay().order_status(&trade_no).await;
                });
                Ok(())
            },
        )
        .unwrap();
}
