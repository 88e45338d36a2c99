//! Property tests that feed the client arbitrary answers and arbitrary
//! requests: any panic fails. Each runs `WALLETBRIDGE_FUZZ_CASES` cases (256
//! by default; CI runs tens of thousands).
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::{Arc, OnceLock};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use walletbridge_core::date::from_unix_seconds;
use walletbridge_core::test_util::fuzz_cases;
use walletbridge_core::{ErrorKind, HttpResponse};
use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, AlipayPay, AlipayPayType, BalancePay, BankCardPay, CodePay, CreateAgentPay,
    CreateCollect, CreateRefund, WalletPayMethod, WechatPay, WechatPayType,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::{ConfirmSms, ResendSms};
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Client, Fen};

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

/// A client whose transport answers every request with `status` and `body`.
fn answering_client(status: u16, body: Vec<u8>) -> Client {
    client_with(Arc::new(MockTransport::with_responder(move |_| {
        Ok(HttpResponse::new(status, body.clone()))
    })))
}

/// Runs all eight calls against `client`; nothing may panic. Returns how
/// many succeeded.
fn all_calls(client: &Client) -> usize {
    runtime().block_on(async {
        let collect = CreateCollect::new(1001, "biz-1", Fen(100), BalancePay::new(Fen(100)))
            .receiver(2001, Fen(100));
        let results = [
            client.collect().create(&collect).await.map(|a| {
                let _ = a.next_step();
            }),
            client
                .collect()
                .agent_pay(&CreateAgentPay::new(
                    "biz-1",
                    "W1",
                    AgentPayReceiver::new(2001, Fen(100)),
                ))
                .await
                .map(drop),
            client
                .collect()
                .refund(&CreateRefund::new("biz-1", "W1").line(2001, Fen(100)))
                .await
                .map(drop),
            client
                .recharge()
                .create(&CreateRecharge::new(1001, "C1", Fen(100)))
                .await
                .map(|a| {
                    let _ = a.next_step();
                }),
            client
                .withdraw()
                .create(&CreateWithdrawal::new(
                    1001,
                    "C1",
                    Fen(100),
                    "10.0.0.1",
                    "https://x.example",
                ))
                .await
                .map(|a| {
                    let _ = a.next_step();
                }),
            client
                .sms()
                .confirm(&ConfirmSms::new("TK", "123456", "10.0.0.1"))
                .await,
            client.sms().resend(&ResendSms::new("TK")).await,
            client.order().query(&OrderQuery::new("W1")).await.map(drop),
        ];
        for r in &results {
            if let Err(e) = r {
                // Display and Debug never panic either
                let _ = format!("{e} {e:?}");
            }
        }
        results.iter().filter(|r| r.is_ok()).count()
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => Just(201),
        1 => Just(302),
        1 => Just(400),
        1 => Just(401),
        1 => Just(500),
        1 => Just(502),
        1 => 100u16..600,
    ]
}

/// Text that is sometimes what the wallet sends and often not.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("biz-1".to_owned()),
        Just("W1".to_owned()),
        Just("1001".to_owned()),
        Just("2".to_owned()),
        Just("2024-01-01 08:00:00".to_owned()),
        Just("2024-01-01 08:00:00.0".to_owned()),
        Just("2024-02-30 25:61:61".to_owned()),
        Just("2024-01-01T08:00:00+08:00".to_owned()),
        Just("1704067200000".to_owned()),
        "-?[0-9]{0,25}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9a-z]{0,3})?",
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
        (0i64..10).prop_map(|n| json!(n)),
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

/// Every field name the answers carry.
const FIELDS: &[&str] = &[
    "amount",
    "batch_no",
    "biz_no",
    "biz_tag",
    "create_time",
    "curr_try_times",
    "end_time",
    "expire_time",
    "id",
    "locked",
    "notified",
    "order_no",
    "progress",
    "start_time",
    "status",
    "tunnel_err_code",
    "tunnel_err_msg",
    "tunnel_order_no",
    "tunnel_status",
    "tunnel_succ_time",
    "tunnel_type",
    "type",
    "wallet_id",
    "ticket",
    "pay_info",
    "signed_params",
    "trade_no",
    "we_chat_a_p_p_info",
    "we_chat_appinfo",
    "extend_info",
    "password_confirm",
    "sms_confirm",
    "biz_user_id",
    "clearing",
    "order",
    "collect_info_id",
    "collect_order_no",
    "order_id",
    "payee_wallet_id",
];

/// An object with the answers' field names and arbitrary values; `order`
/// and `clearing` are often objects of the same kind.
fn data_object() -> impl Strategy<Value = Value> {
    let object =
        prop::collection::vec((prop::sample::select(FIELDS), value()), 0..14).prop_map(|pairs| {
            let mut m = Map::new();
            for (k, v) in pairs {
                m.insert(k.to_owned(), v);
            }
            Value::Object(m)
        });
    object.prop_recursive(1, 40, 2, |inner| {
        (inner.clone(), inner)
            .prop_map(|(order, clearing)| json!({"order": order, "clearing": clearing}))
    })
}

fn code() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => Just(json!(1001)),
        2 => Just(json!("1001")),
        1 => Just(json!(" 1001 ")),
        1 => Just(json!(1001.0)),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => leaf(),
    ]
}

fn envelope() -> impl Strategy<Value = Vec<u8>> {
    (
        code(),
        prop::option::of(leaf()),
        prop_oneof![
            6 => data_object(),
            1 => value(),
        ],
        any::<bool>(),
    )
        .prop_map(|(code, msg, data, with_data)| {
            let mut m = Map::new();
            m.insert("code".into(), code);
            if let Some(msg) = msg {
                m.insert("msg".into(), msg);
            }
            if with_data {
                m.insert("data".into(), data);
            }
            Value::Object(m).to_string().into_bytes()
        })
}

#[test]
fn fuzz_answers_with_random_bodies() {
    let body = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => value().prop_map(|v| v.to_string().into_bytes()),
        6 => envelope(),
    ];
    TestRunner::new(config())
        .run(&(status(), body), |(status, body)| {
            let ok_code = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("code").cloned())
                .is_some_and(|c| c == json!(1001) || c.as_str().map(str::trim) == Some("1001"));
            let succeeded = all_calls(&answering_client(status, body));
            // nothing but a 2xx envelope with code 1001 is ever a success
            if !(200..300).contains(&status) || !ok_code {
                prop_assert_eq!(succeeded, 0);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_answers_with_the_wallet_order_fields() {
    TestRunner::new(config())
        .run(&data_object(), |data| {
            let body = json!({"code": 1001, "msg": "", "data": data})
                .to_string()
                .into_bytes();
            // the two acknowledged calls always succeed on code 1001
            prop_assert!(all_calls(&answering_client(200, body)) >= 2);
            Ok(())
        })
        .unwrap();
}

fn any_ip() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("10.0.0.1".to_owned()),
        Just("::1".to_owned()),
        "[0-9.:a-f]{0,20}",
        any::<String>(),
    ]
}

fn pay_method() -> impl Strategy<Value = WalletPayMethod> {
    let fen = any::<i64>().prop_map(Fen);
    prop_oneof![
        fen.clone().prop_map(|a| BalancePay::new(a).into()),
        (any::<i64>(), fen.clone(), prop::option::of(any_ip())).prop_map(|(t, a, ip)| {
            let mut w = WechatPay::new(WechatPayType::from(t), a);
            w.cusip = ip;
            w.into()
        }),
        (any::<i64>(), fen.clone(), prop::option::of(any::<String>())).prop_map(|(t, a, u)| {
            let mut p = AlipayPay::new(AlipayPayType::from(t), a);
            p.user_id = u;
            p.into()
        }),
        (fen.clone(), any::<String>()).prop_map(|(a, c)| CodePay::new(a, c).into()),
        (any::<String>(), fen).prop_map(|(n, a)| BankCardPay::new(n, a).into()),
    ]
}

#[test]
fn fuzz_requests_are_validated_without_panicking() {
    let fen = || any::<i64>().prop_map(Fen);
    let collect = (
        any::<i64>(),
        any::<String>(),
        fen(),
        fen(),
        prop::collection::vec((any::<i64>(), fen()), 0..4),
        pay_method(),
        prop::option::of(any::<i64>()),
        prop::option::of(any_ip()),
        prop::option::of(any::<String>()),
    );
    let others = (
        any::<String>(),
        any::<String>(),
        any::<i64>(),
        fen(),
        prop::option::of(fen()),
        any_ip(),
        any::<String>(),
    );
    TestRunner::new(config())
        .run(
            &(collect, others),
            |(
                (payer, biz_no, amount, fee, receivers, method, expiry, ip, url),
                (text, code, wallet, amt, fee_amount, ip2, url2),
            )| {
                let transport = answering(200, ack());
                let client = client_with(transport.clone());
                let mut c = CreateCollect::new(payer, biz_no.clone(), amount, method).fee(fee);
                for (w, a) in receivers {
                    c = c.receiver(w, a);
                }
                c.expire_time = expiry.and_then(|s| from_unix_seconds(s % 10_000_000_000).ok());
                c.customer_ip = ip;
                c.jump_url = url;
                let mut receiver = AgentPayReceiver::new(wallet, amt);
                receiver.fee_amount = fee_amount;
                let refund = CreateRefund::new(biz_no.clone(), text.clone()).line(wallet, amt);
                let results = runtime().block_on(async {
                    vec![
                        client.collect().create(&c).await.map(drop),
                        client
                            .collect()
                            .agent_pay(&CreateAgentPay::new(biz_no.clone(), text.clone(), receiver))
                            .await
                            .map(drop),
                        client.collect().refund(&refund).await.map(drop),
                        client
                            .recharge()
                            .create(
                                &CreateRecharge::new(wallet, text.clone(), amt)
                                    .customer_ip(ip2.clone())
                                    .jump_url(url2.clone()),
                            )
                            .await
                            .map(drop),
                        client
                            .withdraw()
                            .create(&CreateWithdrawal::new(
                                wallet,
                                text.clone(),
                                amt,
                                ip2.clone(),
                                url2,
                            ))
                            .await
                            .map(drop),
                        client
                            .sms()
                            .confirm(&ConfirmSms::new(text.clone(), code, ip2))
                            .await,
                        client.sms().resend(&ResendSms::new(text.clone())).await,
                        client.order().query(&OrderQuery::new(text)).await.map(drop),
                    ]
                });
                // a request refused by validation was never sent
                let refused = results
                    .iter()
                    .filter(
                        |r| matches!(r, Err(e) if matches!(e.kind(), ErrorKind::Validation { .. })),
                    )
                    .count();
                prop_assert_eq!(transport.requests().len() + refused, results.len());
                Ok(())
            },
        )
        .unwrap();
}
