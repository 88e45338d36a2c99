//! The `server` feature: the provider's side of the wire, checked against
//! the client's own side with real bytes.
//!
//! - every request the client sends (the bytes of the request snapshots)
//!   decodes through `envelope::RequestForm` into the request type, equal to
//!   the value built, with its `access_token`, `timestamp` and `sign`;
//! - every answer model written by `envelope::encode_success` decodes back
//!   through the client (the real call path, the tolerant decoder) to an
//!   equal value, at +08:00 and at another offset;
//! - `encode_ack` and `encode_error` are what the client's envelope decoder
//!   takes as success and as each kind of error;
//! - a missing or malformed field is named, and any body decodes or fails
//!   without panicking.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used)]
mod common;

use std::future::Future;

use common::*;
use serde_json::Value;
use walletbridge_core::date::{DateTime, UtcOffset, from_unix_seconds};
use walletbridge_core::{ErrorKind, HttpRequest};
use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, AlipayPay, AlipayPayType, BalancePay, BankCardPay, CodePay, CreateAgentPay,
    CreateCollect, CreateRefund, WalletPayMethod, WechatPay, WechatPayType,
};
use walletbridge_wallet_senior::envelope::{
    FormError, RequestForm, SUCCESS_CODE, SignedRequest, encode_ack, encode_error, encode_success,
    encode_success_at,
};
use walletbridge_wallet_senior::models::{
    AgentPayAnswer, BizTag, Clearing, CollectAnswer, LockState, NotifyState, OrderStatus,
    OrderType, Progress, RechargeAnswer, Ticket, TunnelType, ValidateType, WithdrawAnswer,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::{ConfirmSms, ResendSms};
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Client, Fen, WalletOrder};

fn at(secs: i64) -> DateTime {
    from_unix_seconds(secs).unwrap()
}

/// An empty successful answer, written by the server side.
fn empty_answer() -> String {
    String::from_utf8(encode_success(&WalletOrder::default()).unwrap()).unwrap()
}

/// Sends one call, and reads the bytes it sent back as the server does.
async fn sent<T, F, Fut, A>(answer: String, f: F) -> (HttpRequest, SignedRequest<T>)
where
    T: serde::de::DeserializeOwned,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = walletbridge_core::Result<A>>,
{
    let (_, req, _) = capture(answer, f).await;
    let body = req.body.as_deref().unwrap();
    let form = RequestForm::parse(body);
    assert!(signer().verify(form.params()), "the sign verifies");
    let signed = form.decode_signed::<T>().unwrap();
    assert_eq!(signed.access_token.expose(), TOKEN);
    assert_eq!(signed.timestamp, NOW_MS / 1000);
    assert_eq!(signed.sign, field(&req, "sign").unwrap());
    (req, signed)
}

fn full_collect(method: impl Into<WalletPayMethod>) -> CreateCollect {
    CreateCollect::new(1001, "biz-20240101-0001", Fen(10_100), method)
        .fee(Fen(100))
        .receiver(2001, Fen(6_000))
        .receiver(2002, Fen(4_000))
        .note("订单 #1 & 2 = 100%")
        .validate_type(ValidateType::Sms)
        .expire_time(at(NOW_MS / 1000 + 2 * 3600))
        .industry("1010", "保险代理")
        .customer_ip("203.0.113.7")
        .jump_url("https://shop.example.com/paid?o=1&x=%20")
}

#[tokio::test]
async fn every_collect_the_client_sends_decodes_to_the_value_built() {
    let methods: Vec<WalletPayMethod> = vec![
        BalancePay::new(Fen(10_100)).into(),
        WechatPay::new(WechatPayType::Js, Fen(10_100))
            .open_id("o-abc")
            .cusip("203.0.113.7")
            .sub_app_id("wx123")
            .scene_info(r#"{"h5_info":{"type":"Wap"}}"#)
            .into(),
        WechatPay::new(WechatPayType::Scan, Fen(10_100)).into(),
        AlipayPay::new(AlipayPayType::Js, Fen(10_100))
            .user_id("2088000000000001")
            .into(),
        CodePay::new(Fen(10_100), "134567890123456789").into(),
        BankCardPay::new("6222020200112233445", Fen(10_100)).into(),
    ];
    for method in methods {
        let built = full_collect(method);
        let b = built.clone();
        let (_, signed) = sent::<CreateCollect, _, _, _>(empty_answer(), |c| async move {
            c.collect().create(&b).await
        })
        .await;
        assert_eq!(signed.request, built);
    }
    // The fewest fields: no note, validation, expiry, industry, IP or URL.
    let built = CreateCollect::new(7, "b", Fen(5), BalancePay::new(Fen(5))).receiver(8, Fen(5));
    let b = built.clone();
    let (req, signed) =
        sent::<CreateCollect, _, _, _>(
            empty_answer(),
            |c| async move { c.collect().create(&b).await },
        )
        .await;
    assert_eq!(signed.request, built);
    assert!(field(&req, "customer_ip").is_none());
}

#[tokio::test]
async fn a_collect_decodes_at_the_offset_it_was_written_at() {
    let built = full_collect(BalancePay::new(Fen(10_100)));
    let transport = answering(200, empty_answer());
    let client = builder("https://wallet.example.com")
        .transport(transport.clone())
        .utc_offset(UtcOffset::UTC)
        .build()
        .unwrap();
    client.collect().create(&built).await.unwrap();
    let req = transport.last_request().unwrap();
    let form = RequestForm::parse(req.body.as_deref().unwrap());
    assert_eq!(
        json_field(&req, "collect_req")["expire_time"],
        "2024-01-01 02:00:00"
    );
    let back: CreateCollect = form.decode_at(UtcOffset::UTC).unwrap();
    assert_eq!(back, built);
    // Read at +08:00 the same text is eight hours earlier: the offset matters.
    let china: CreateCollect = form.decode().unwrap();
    assert_ne!(china.expire_time, built.expire_time);
}

#[tokio::test]
async fn agent_pay_and_refund_the_client_sends_decode_to_the_value_built() {
    for receiver in [
        AgentPayReceiver::new(2001, Fen(6_000)),
        AgentPayReceiver::new(2001, Fen(6_000)).fee_amount(Fen(60)),
    ] {
        let built = CreateAgentPay::new("biz-ap-1", "W202401010001", receiver);
        let b = built.clone();
        let (_, signed) = sent::<CreateAgentPay, _, _, _>(
            String::from_utf8(encode_success(&AgentPayAnswer::default()).unwrap()).unwrap(),
            |c| async move { c.collect().agent_pay(&b).await },
        )
        .await;
        assert_eq!(signed.request, built);
    }
    let built = CreateRefund::new("biz-rf-1", "W202401010001")
        .line(2001, Fen(6_000))
        .line(2002, Fen(4_000));
    let b = built.clone();
    let (_, signed) =
        sent::<CreateRefund, _, _, _>(
            empty_answer(),
            |c| async move { c.collect().refund(&b).await },
        )
        .await;
    assert_eq!(signed.request, built);
}

#[tokio::test]
async fn recharge_withdraw_sms_and_order_query_decode_to_the_value_built() {
    for built in [
        CreateRecharge::new(1001, "card-9", Fen(50_000)),
        CreateRecharge::new(1001, "card-9", Fen(50_000))
            .customer_ip("2001:db8::1")
            .jump_url("https://shop.example.com/back?a=1&b=2"),
    ] {
        let b = built.clone();
        let (_, signed) = sent::<CreateRecharge, _, _, _>(empty_answer(), |c| async move {
            c.recharge().create(&b).await
        })
        .await;
        assert_eq!(signed.request, built);
    }
    let built = CreateWithdrawal::new(
        1001,
        "card-9",
        Fen(20_000),
        "203.0.113.7",
        "https://shop.example.com/w",
    );
    let b = built.clone();
    let (_, signed) = sent::<CreateWithdrawal, _, _, _>(empty_answer(), |c| async move {
        c.withdraw().create(&b).await
    })
    .await;
    assert_eq!(signed.request, built);

    let built = ConfirmSms::new("TK 1+2", "123456", "203.0.113.7");
    let b = built.clone();
    let (_, signed) =
        sent::<ConfirmSms, _, _, _>(String::from_utf8(encode_ack()).unwrap(), |c| async move {
            c.sms().confirm(&b).await
        })
        .await;
    assert_eq!(signed.request, built);
    let built = ResendSms::new("TK-1");
    let b = built.clone();
    let (_, signed) =
        sent::<ResendSms, _, _, _>(String::from_utf8(encode_ack()).unwrap(), |c| async move {
            c.sms().resend(&b).await
        })
        .await;
    assert_eq!(signed.request, built);
    let built = OrderQuery::new("W202401010001");
    let b = built.clone();
    let (_, signed) =
        sent::<OrderQuery, _, _, _>(empty_answer(), |c| async move { c.order().query(&b).await })
            .await;
    assert_eq!(signed.request, built);
}

/// A wallet order with every field set.
fn full_order(order_no: &str, biz_no: &str, wallet_id: i64) -> WalletOrder {
    let mut o = WalletOrder::default();
    o.amount = Some(Fen(10_100));
    o.batch_no = Some("B000000000042".into());
    o.biz_no = Some(biz_no.into());
    o.biz_tag = Some(BizTag::Booked);
    o.create_time = Some(at(1_704_067_200));
    o.curr_try_times = Some(1);
    o.end_time = Some(at(1_704_067_260));
    o.expire_time = Some(at(1_704_074_400));
    o.id = Some("3001".into());
    o.locked = Some(LockState::Unlocked);
    o.notified = Some(NotifyState::Business);
    o.order_no = Some(order_no.into());
    o.progress = Some(Progress::ResultReceived);
    o.start_time = Some(at(1_704_067_201));
    o.status = Some(OrderStatus::Success);
    o.tunnel_err_code = Some("E0".into());
    o.tunnel_err_msg = Some("无".into());
    o.tunnel_order_no = Some("T90001".into());
    o.tunnel_status = Some("SUCCESS".into());
    o.tunnel_succ_time = Some(at(1_704_067_259));
    o.tunnel_type = Some(TunnelType::AllinpayYunst);
    o.order_type = Some(OrderType::Collect);
    o.wallet_id = Some(wallet_id);
    o
}

/// A client whose every call is answered `body` (HTTP 200).
fn answered(body: Vec<u8>, offset: UtcOffset) -> Client {
    builder("https://wallet.example.com")
        .transport(answering(200, String::from_utf8(body).unwrap()))
        .utc_offset(offset)
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_answer_model_encoded_decodes_back_through_the_client() {
    for offset in [walletbridge_core::date::CHINA, UtcOffset::UTC] {
        let encode = |v: &dyn erased::Ser| v.encode(offset);

        let order = full_order("W1", "biz-1", 1001);
        let got = answered(encode(&order), offset)
            .order()
            .query(&OrderQuery::new("W1"))
            .await
            .unwrap();
        assert_eq!(got, order);

        let mut collect = CollectAnswer::default();
        collect.order = full_order("W2", "biz-20240101-0001", 1001);
        collect.ticket = Some(Ticket::new("TK-77"));
        collect.pay_info = Some("weixin://wxpay/bizpayurl?pr=x".into());
        collect.signed_params = Some("a=1&b=2".into());
        collect.trade_no = Some("TN-1".into());
        collect.we_chat_app_info = Some(r#"{"appid":"wx123"}"#.into());
        let req = CreateCollect::new(
            1001,
            "biz-20240101-0001",
            Fen(10_100),
            BalancePay::new(Fen(10_100)),
        )
        .receiver(2001, Fen(10_100));
        let got = answered(encode(&collect), offset)
            .collect()
            .create(&req)
            .await
            .unwrap();
        assert_eq!(got, collect);

        let mut recharge = RechargeAnswer::default();
        recharge.order = full_order("W3", "biz-3", 1001);
        recharge.ticket = Some(Ticket::new("TK-78"));
        recharge.pay_info = Some("p".into());
        recharge.signed_params = Some("s".into());
        recharge.trade_no = Some("TN-3".into());
        recharge.we_chat_app_info = Some("w".into());
        recharge.extend_info = Some(r#"{"k":"v"}"#.into());
        recharge.password_confirm = Some(false);
        recharge.sms_confirm = Some(true);
        let got = answered(encode(&recharge), offset)
            .recharge()
            .create(&CreateRecharge::new(1001, "card-9", Fen(10_100)))
            .await
            .unwrap();
        assert_eq!(got, recharge);

        let mut withdraw = WithdrawAnswer::default();
        withdraw.order = full_order("W4", "biz-4", 1001);
        withdraw.ticket = Some(Ticket::new("TK-79"));
        withdraw.signed_params = Some("s".into());
        withdraw.biz_user_id = Some("user-1".into());
        let got = answered(encode(&withdraw), offset)
            .withdraw()
            .create(&CreateWithdrawal::new(
                1001,
                "card-9",
                Fen(100),
                "203.0.113.7",
                "https://x.example/w",
            ))
            .await
            .unwrap();
        assert_eq!(got, withdraw);

        let mut clearing = Clearing::default();
        clearing.amount = Some(Fen(6_000));
        clearing.collect_info_id = Some("11".into());
        clearing.collect_order_no = Some("W2".into());
        clearing.create_time = Some(at(1_704_067_300));
        clearing.id = Some("12".into());
        clearing.order_id = Some("13".into());
        clearing.payee_wallet_id = Some(2001);
        let mut agent = AgentPayAnswer::default();
        agent.clearing = Some(clearing);
        agent.order = Some(full_order("W5", "biz-ap-1", 2001));
        let got = answered(encode(&agent), offset)
            .collect()
            .agent_pay(&CreateAgentPay::new(
                "biz-ap-1",
                "W2",
                AgentPayReceiver::new(2001, Fen(6_000)),
            ))
            .await
            .unwrap();
        assert_eq!(got, agent);

        let refund = full_order("W6", "biz-rf-1", 1001);
        let got = answered(encode(&refund), offset)
            .collect()
            .refund(&CreateRefund::new("biz-rf-1", "W2").line(2001, Fen(1)))
            .await
            .unwrap();
        assert_eq!(got, refund);
    }
}

/// Encoding any answer model at an offset, behind one trait object.
mod erased {
    pub trait Ser {
        fn encode(&self, offset: walletbridge_core::date::UtcOffset) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn encode(&self, offset: walletbridge_core::date::UtcOffset) -> Vec<u8> {
            super::encode_success_at(self, offset).unwrap()
        }
    }
}

#[test]
fn answers_are_written_in_the_wire_form_the_page_shows() {
    let mut answer = CollectAnswer::default();
    answer.order = full_order("W2", "biz-1", 1001);
    answer.we_chat_app_info = Some("w".into());
    let v: Value = serde_json::from_slice(&encode_success(&answer).unwrap()).unwrap();
    assert_eq!(v["code"], SUCCESS_CODE);
    assert_eq!(v["msg"], "");
    let d = &v["data"];
    // Amounts are integer fen, enumerations integers, times local text.
    assert_eq!(d["amount"], 10_100);
    assert_eq!(d["type"], 4);
    assert_eq!(d["status"], 3);
    assert_eq!(d["create_time"], "2024-01-01 08:00:00");
    assert_eq!(d["wallet_id"], 1001);
    // The server's spelling of the WeChat APP info; nothing absent is null.
    assert_eq!(d["we_chat_appinfo"], "w");
    assert!(d.get("we_chat_a_p_p_info").is_none() && d.get("ticket").is_none());
    assert!(d.as_object().unwrap().values().all(|x| !x.is_null()));
    // Nothing set: an empty object.
    assert_eq!(
        encode_success(&WalletOrder::default()).unwrap(),
        br#"{"code":1001,"msg":"","data":{}}"#
    );
    assert_eq!(encode_ack(), br#"{"code":1001,"msg":""}"#);
}

#[tokio::test]
async fn the_envelope_encoders_are_what_the_client_reads() {
    // Acknowledged.
    let ok = answered(encode_ack(), walletbridge_core::date::CHINA);
    ok.sms().resend(&ResendSms::new("TK")).await.unwrap();
    // A business error on HTTP 200: the code and message, final.
    let body = String::from_utf8(encode_error(1007, "余额不足")).unwrap();
    let c = client_with(answering(200, body.clone()));
    let err = c
        .withdraw()
        .create(&CreateWithdrawal::new(
            1001,
            "card",
            Fen(1),
            "10.0.0.1",
            "https://x.example",
        ))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Api(_)), "{err}");
    assert_eq!(err.code(), Some("1007"));
    assert_eq!(err.message(), Some("余额不足"));
    assert!(!err.is_retryable() && !err.is_outcome_unknown());
    // The same under a 5xx (a failing gateway or server): retryable, and for
    // a write the outcome is unknown.
    let c = client_with(answering(
        500,
        String::from_utf8(encode_error(500, "Internal Server Error")).unwrap(),
    ));
    let err = c
        .recharge()
        .create(&CreateRecharge::new(1001, "card", Fen(1)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("500"));
    assert!(err.is_retryable() && err.is_outcome_unknown(), "{err}");
    // An error written as `encode_error(1001, ..)` would be a success: the
    // code is what decides.
    let c = client_with(answering(
        200,
        String::from_utf8(encode_error(SUCCESS_CODE, "")).unwrap(),
    ));
    c.sms().resend(&ResendSms::new("TK")).await.unwrap();
}

fn form(pairs: &[(&str, &str)]) -> RequestForm {
    RequestForm::parse(walletbridge_core::form::encode(pairs.iter().copied()).as_bytes())
}

fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(f: &RequestForm) -> FormError {
    f.decode::<T>().unwrap_err()
}

#[test]
fn a_missing_or_malformed_field_is_named() {
    let e = error_of::<CreateRecharge>(&form(&[("amount", "100"), ("wallet_id", "1")]));
    assert!(e.to_string().contains("card_id"), "{e}");
    let e = error_of::<CreateRecharge>(&form(&[
        ("amount", "1.5"),
        ("card_id", "c"),
        ("wallet_id", "1"),
    ]));
    assert_eq!(e.field, "amount", "{e}");
    let e = error_of::<CreateWithdrawal>(&form(&[
        ("amount", "1"),
        ("card_id", "c"),
        ("customer_ip", "10.0.0.1"),
        ("jump_url", "u"),
        ("wallet_id", "x"),
    ]));
    assert_eq!(e.field, "wallet_id", "{e}");
    let collect = |json: &str| error_of::<CreateCollect>(&form(&[("collect_req", json)]));
    let e = collect("{not json");
    assert_eq!(e.field, "collect_req", "{e}");
    let e = collect(
        r#"{"payer_wallet_id":1,"biz_no":"b","amount":5,"recievers":[{"wallet_id":2,"amount":"5"}],"wallet_pay_method":{"balance":{"amount":5}}}"#,
    );
    assert_eq!(e.field, "collect_req", "{e}");
    assert!(e.message.contains("recievers[0].amount"), "{e}");
    let e = collect(
        r#"{"payer_wallet_id":1,"biz_no":"b","amount":5,"recievers":[],"wallet_pay_method":{"balance":{"amount":5},"wechat":{"pay_type":21,"amount":5}}}"#,
    );
    assert!(
        e.message.contains("wallet_pay_method") && e.message.contains("exactly one"),
        "{e}"
    );
    let e = collect(
        r#"{"payer_wallet_id":1,"biz_no":"b","amount":5,"wallet_pay_method":{"bank_card":{"pay_type":51,"amount":5}}}"#,
    );
    assert!(e.message.contains("bank_card_no"), "{e}");
    let e = collect(
        r#"{"payer_wallet_id":1,"biz_no":"b","amount":5,"expire_time":"tomorrow","wallet_pay_method":{"balance":{"amount":5}}}"#,
    );
    assert!(e.message.contains("collect_req.expire_time"), "{e}");
    let e = error_of::<CreateAgentPay>(&form(&[
        ("agent_pay_req", r#"{"wallet_id":2}"#),
        ("biz_no", "b"),
        ("collect_order_no", "W"),
    ]));
    assert_eq!(e.field, "agent_pay_req");
    assert!(e.message.contains("amount"), "{e}");
    let e = error_of::<ConfirmSms>(&form(&[("ticket", "T"), ("customer_ip", "1.1.1.1")]));
    assert!(e.to_string().contains("verify_code"), "{e}");

    // The envelope's own fields, for `decode_signed`.
    let body = [("order_no", "W1"), ("timestamp", "1"), ("sign", "s")];
    let e = form(&body).decode_signed::<OrderQuery>().unwrap_err();
    assert_eq!(e.field, "access_token");
    let e = form(&[
        ("access_token", "t"),
        ("order_no", "W1"),
        ("timestamp", "soon"),
        ("sign", "s"),
    ])
    .decode_signed::<OrderQuery>()
    .unwrap_err();
    assert_eq!(e.field, "timestamp");
    let e = form(&[
        ("access_token", "t"),
        ("order_no", "W1"),
        ("timestamp", "1"),
    ])
    .decode_signed::<OrderQuery>()
    .unwrap_err();
    assert_eq!(e.field, "sign");
    // A legacy `receivers` key and a missing `fee` are taken.
    let ok: CreateCollect = form(&[(
        "collect_req",
        r#"{"payer_wallet_id":1,"biz_no":"b","amount":5,"receivers":[{"wallet_id":2,"amount":5}],"wallet_pay_method":{"balance":{"amount":5}}}"#,
    )])
    .decode()
    .unwrap();
    assert_eq!(ok.receivers.len(), 1);
    assert_eq!(ok.fee, Fen(0));
    assert!(!format!("{:?}", form(&[("access_token", "secret-token")])).contains("secret-token"));
}

/// Decodes `form` as every request type; only errors, never a panic.
fn decode_all(form: &RequestForm) {
    let _ = form.decode::<CreateCollect>();
    let _ = form.decode::<CreateAgentPay>();
    let _ = form.decode::<CreateRefund>();
    let _ = form.decode::<CreateRecharge>();
    let _ = form.decode::<CreateWithdrawal>();
    let _ = form.decode::<ConfirmSms>();
    let _ = form.decode::<ResendSms>();
    let _ = form.decode::<OrderQuery>();
    let _ = form.decode_signed::<OrderQuery>();
    let _ = (form.access_token(), form.timestamp(), form.sign());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

    #[test]
    fn any_body_decodes_or_fails_without_panicking(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        decode_all(&RequestForm::parse(&body));
    }

    #[test]
    fn any_field_values_decode_or_fail_without_panicking(
        values in proptest::collection::vec(".{0,40}", 8),
        json in r#"\{("[a-z_]{1,16}":(-?[0-9]{1,20}|"[^"]{0,8}"|\{"[a-z_]{1,8}":\{"amount":-?[0-9]{1,20}\}\}|\[\]),?){0,6}\}"#,
    ) {
        let names = ["amount", "card_id", "wallet_id", "customer_ip", "jump_url", "ticket", "verify_code", "order_no"];
        let mut pairs: Vec<(&str, &str)> = names.iter().copied().zip(values.iter().map(String::as_str)).collect();
        pairs.extend([
            ("collect_req", json.as_str()),
            ("agent_pay_req", json.as_str()),
            ("refund_list", json.as_str()),
            ("biz_no", "b"),
            ("collect_order_no", "W"),
        ]);
        decode_all(&form(&pairs));
    }
}
