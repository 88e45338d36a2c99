//! Answers over HTTP (httpmock, the real transport): each answer decodes
//! (both WeChat APP info spellings), a non-1001 code is an API error, a
//! refused token is refreshed once and the call repeated once, and invalid
//! requests fail before anything is sent.
#![allow(clippy::unwrap_used)]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use common::*;
use httpmock::MockServer;
use serde_json::json;
use walletbridge_core::auth::{CachedTokenSource, IssuedToken};
use walletbridge_core::date::{UtcOffset, from_unix_seconds};
use walletbridge_core::{Error, ErrorKind, FixedClock};
use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, AlipayPay, AlipayPayType, BalancePay, BankCardPay, CodePay, CreateAgentPay,
    CreateCollect, CreateRefund, WechatPay, WechatPayType,
};
use walletbridge_wallet_senior::models::{
    BizTag, LockState, NextStep, NotifyState, OrderStatus, OrderType, Progress, SmsChallenge,
    TunnelType, ValidateType,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::{ConfirmSms, ResendSms};
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Client, Fen, unknown_outcome_advice};

fn collect() -> CreateCollect {
    CreateCollect::new(
        1001,
        "biz-20240101-0001",
        Fen(10_000),
        BalancePay::new(Fen(10_000)),
    )
    .receiver(2001, Fen(10_000))
    .validate_type(ValidateType::Sms)
}

fn at(text: &str) -> walletbridge_core::date::DateTime {
    walletbridge_core::date::parse_local(text, walletbridge_core::date::CHINA).unwrap()
}

#[tokio::test]
async fn a_collect_answer_decodes_under_either_wechat_spelling() {
    for key in ["we_chat_a_p_p_info", "we_chat_appinfo"] {
        let server = MockServer::start_async().await;
        let m = mount(&server, COLLECT_SYNC, 200, ok(collect_data(key))).await;
        let answer = client_on(&server)
            .collect()
            .create(&collect())
            .await
            .unwrap();
        m.assert_async().await;
        assert_eq!(
            answer.we_chat_app_info.as_deref(),
            Some(r#"{"appid":"wx123","prepayid":"p1"}"#),
            "{key}"
        );
        assert_eq!(answer.ticket.as_ref().unwrap().as_str(), "TK-77");
        assert_eq!(answer.trade_no.as_deref(), Some("TN-1"));
        assert_eq!(answer.pay_info, None, "an empty string is absent");
        assert_eq!(answer.signed_params, None);
        let o = &answer.order;
        assert_eq!(o.amount, Some(Fen(10_000)));
        assert_eq!(o.status, Some(OrderStatus::InProgress));
        assert_eq!(o.order_type, Some(OrderType::Collect));
        assert_eq!(o.progress, Some(Progress::Sent));
        assert_eq!(o.tunnel_type, Some(TunnelType::AllinpayYunst));
        assert_eq!(o.biz_tag, Some(BizTag::Booked));
        assert_eq!(o.locked, Some(LockState::Unlocked));
        assert_eq!(o.notified, Some(NotifyState::Technical));
        assert_eq!(o.curr_try_times, Some(1));
        assert_eq!(o.wallet_id, Some(1001));
        assert_eq!(o.id.as_deref(), Some("3001"));
        assert_eq!(o.order_no.as_deref(), Some("W202401010001"));
        assert_eq!(o.tunnel_status.as_deref(), Some("PROCESSING"));
        assert_eq!(o.create_time, Some(at("2024-01-01 08:00:00")));
        assert_eq!(o.create_time.unwrap().unix_timestamp(), NOW_MS / 1000);
        assert_eq!(o.end_time, None);
        // WeChat APP info wins over the ticket: the APP pays, no SMS.
        assert!(matches!(answer.next_step(), NextStep::WeChatApp(_)));
    }
}

#[tokio::test]
async fn an_sms_answer_says_so_and_its_ticket_confirms_and_resends() {
    let server = MockServer::start_async().await;
    let mut data = order_data("biz-20240101-0001");
    data["ticket"] = json!("TK-9");
    mount(&server, COLLECT_SYNC, 200, ok(data)).await;
    let confirm = server
        .mock_async(|when, then| {
            when.path(SMS_CONFIRM)
                .form_urlencoded_tuple("ticket", "TK-9")
                .form_urlencoded_tuple("verify_code", "654321")
                .form_urlencoded_tuple("customer_ip", "203.0.113.7");
            then.status(200).body(ack());
        })
        .await;
    let resend = server
        .mock_async(|when, then| {
            when.path(SMS_RETRY).form_urlencoded_tuple("ticket", "TK-9");
            then.status(200).body(ack());
        })
        .await;
    let client = client_on(&server);
    let answer = client.collect().create(&collect()).await.unwrap();
    let NextStep::SmsCode(challenge) = answer.next_step() else {
        panic!("expected an SMS code, got {:?}", answer.next_step());
    };
    assert_eq!(challenge, SmsChallenge::new("TK-9"));
    client.sms().resend(&challenge.resend()).await.unwrap();
    client
        .sms()
        .confirm(&challenge.confirm("654321", "203.0.113.7"))
        .await
        .unwrap();
    confirm.assert_async().await;
    resend.assert_async().await;
}

#[tokio::test]
async fn recharge_withdraw_agent_pay_refund_and_order_answers_decode() {
    let server = MockServer::start_async().await;
    let mut recharge = order_data("");
    recharge["type"] = json!(2);
    recharge["ticket"] = json!("TK-R");
    recharge["sms_confirm"] = json!("true");
    recharge["password_confirm"] = json!(false);
    recharge["extend_info"] = json!({"k": "v"});
    recharge["pay_info"] = json!("");
    recharge["we_chat_appinfo"] = json!("app-info");
    mount(&server, RECHARGE, 200, ok(recharge)).await;
    let mut withdraw = order_data("");
    withdraw["type"] = json!("3");
    withdraw["biz_user_id"] = json!("U-1");
    withdraw["signed_params"] = json!("sp=1&x=2");
    withdraw["ticket"] = json!("TK-W");
    mount(&server, WITHDRAW, 200, ok(withdraw)).await;
    let clearing = json!({
        "amount": 6000, "collect_info_id": 77, "collect_order_no": "W202401010001",
        "create_time": "2024-01-01 08:05:00", "id": "c1", "order_id": "o1", "payee_wallet_id": "2001"
    });
    let mut ap_order = order_data("ap-1");
    ap_order["type"] = json!(5);
    mount(
        &server,
        AGENT_PAY,
        200,
        ok(json!({"clearing": clearing, "order": ap_order})),
    )
    .await;
    let mut refund = order_data("rf-1");
    refund["type"] = json!(6);
    refund["status"] = json!(3);
    mount(&server, REFUND, 200, ok(refund)).await;
    let mut query = order_data("biz-1");
    query["status"] = json!(9);
    query["type"] = json!("8");
    query["tunnel_type"] = json!(3);
    query["amount"] = json!(12345);
    mount(&server, ORDER_QUERY, 200, ok(query)).await;

    let client = client_on(&server);
    let r = client
        .recharge()
        .create(&CreateRecharge::new(1001, "CARD-9", Fen(50_000)))
        .await
        .unwrap();
    assert_eq!(r.order.order_type, Some(OrderType::Recharge));
    assert_eq!(r.sms_confirm, Some(true));
    assert_eq!(r.password_confirm, Some(false));
    assert_eq!(r.extend_info.as_deref(), Some(r#"{"k":"v"}"#));
    assert_eq!(r.we_chat_app_info.as_deref(), Some("app-info"));
    assert_eq!(r.next_step(), NextStep::SmsCode(SmsChallenge::new("TK-R")));

    let w = client
        .withdraw()
        .create(&CreateWithdrawal::new(
            1001,
            "CARD-9",
            Fen(100),
            "203.0.113.7",
            "https://x.example/back",
        ))
        .await
        .unwrap();
    assert_eq!(w.order.order_type, Some(OrderType::Withdraw));
    assert_eq!(w.biz_user_id.as_deref(), Some("U-1"));
    assert!(matches!(
        w.next_step(),
        NextStep::Password { ref signed_params, .. } if signed_params == "sp=1&x=2"
    ));

    let ap = client
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "ap-1",
            "W202401010001",
            AgentPayReceiver::new(2001, Fen(6_000)),
        ))
        .await
        .unwrap();
    let c = ap.clearing.unwrap();
    assert_eq!(c.amount, Some(Fen(6_000)));
    assert_eq!(c.collect_info_id.as_deref(), Some("77"));
    assert_eq!(c.payee_wallet_id, Some(2001));
    assert_eq!(c.create_time, Some(at("2024-01-01 08:05:00")));
    assert_eq!(ap.order.unwrap().order_type, Some(OrderType::AgentPay));

    let rf = client
        .collect()
        .refund(&CreateRefund::new("rf-1", "W202401010001").line(2001, Fen(1)))
        .await
        .unwrap();
    assert_eq!(rf.status, Some(OrderStatus::Success));
    assert!(rf.status.unwrap().is_final());

    let q = client
        .order()
        .query(&OrderQuery::new("W202401010001"))
        .await
        .unwrap();
    // values the SDK does not know are kept
    assert_eq!(q.status, Some(OrderStatus::Other(9)));
    assert_eq!(q.order_type, Some(OrderType::Other(8)));
    assert_eq!(q.tunnel_type, Some(TunnelType::Other(3)));
    assert_eq!(q.amount, Some(Fen(12_345)));
}

#[tokio::test]
async fn absent_fields_are_none_and_times_follow_the_configured_offset() {
    let server = MockServer::start_async().await;
    mount(
        &server,
        ORDER_QUERY,
        200,
        ok(json!({"order_no": "W1", "create_time": "2024-01-01 08:00:00"})),
    )
    .await;
    let client = builder(&server.base_url())
        .utc_offset(UtcOffset::UTC)
        .build()
        .unwrap();
    let q = client.order().query(&OrderQuery::new("W1")).await.unwrap();
    assert_eq!(q.status, None);
    assert_eq!(q.amount, None);
    assert_eq!(
        q.create_time.unwrap(),
        from_unix_seconds(NOW_MS / 1000 + 8 * 3600).unwrap()
    );
}

#[tokio::test]
async fn a_code_other_than_1001_is_an_api_error_with_code_and_message() {
    let server = MockServer::start_async().await;
    let body = json!({"code": 2003, "msg": "余额不足"}).to_string();
    let m = mount(&server, COLLECT_SYNC, 200, body.clone()).await;
    let s = mount(&server, SMS_CONFIRM, 200, body.clone()).await;
    let q = mount(
        &server,
        ORDER_QUERY,
        200,
        json!({"code": "4004", "msg": "no such order"}).to_string(),
    )
    .await;
    let client = client_on(&server);
    let err = client.collect().create(&collect()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Api(_)), "{err}");
    assert_eq!(err.code(), Some("2003"));
    assert_eq!(err.message(), Some("余额不足"));
    assert!(!err.is_outcome_unknown() && !err.is_retryable(), "{err}");
    assert_eq!(err.operation(), Some("collect"));
    let err = client
        .sms()
        .confirm(&ConfirmSms::new("TK", "1", "10.0.0.1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("2003"));
    let err = client
        .order()
        .query(&OrderQuery::new("W1"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Some("4004"), Some("no such order"))
    );
    assert_eq!((m.calls(), s.calls(), q.calls()), (1, 1, 1));
}

#[tokio::test]
async fn a_body_that_is_not_the_envelope_is_an_http_error_with_a_snippet() {
    let server = MockServer::start_async().await;
    mount(&server, ORDER_QUERY, 200, "<html>maintenance</html>".into()).await;
    let err = client_on(&server)
        .order()
        .query(&OrderQuery::new("W1"))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::Http { status, snippet } => {
            assert_eq!(*status, 200);
            assert!(snippet.contains("maintenance"), "{snippet}");
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn an_answer_for_another_biz_no_is_refused_and_leaves_the_outcome_unknown() {
    let server = MockServer::start_async().await;
    mount(&server, COLLECT_SYNC, 200, ok(order_data("someone-elses"))).await;
    let err = client_on(&server)
        .collect()
        .create(&collect())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another call"), "{err}");
    assert!(err.is_outcome_unknown());
    let advice = unknown_outcome_advice(&err).unwrap();
    assert!(advice.contains("biz_no"), "{advice}");
}

/// A token source whose issuer hands out `tok-1`, `tok-2`... and moves the
/// clock on by 5 s each time, so that each attempt's timestamp differs.
fn counting_tokens(calls: Arc<AtomicU32>, clock: Arc<FixedClock>) -> CachedTokenSource {
    CachedTokenSource::new(move || {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        let clock = clock.clone();
        async move {
            if n > 1 {
                clock.advance(5_000);
            }
            Ok(IssuedToken::new(
                format!("tok-{n}"),
                Duration::from_secs(7200),
            ))
        }
    })
    .clock(clock_for_source())
}

fn clock_for_source() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(NOW_MS))
}

fn refreshing_client(server: &MockServer, calls: Arc<AtomicU32>) -> Client {
    let clock = Arc::new(FixedClock::new(NOW_MS));
    builder(&server.base_url())
        .clock(clock.clone())
        .token_source(Arc::new(counting_tokens(calls, clock)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_collect_repeated_once() {
    let server = MockServer::start_async().await;
    let refused = server
        .mock_async(|when, then| {
            when.path(COLLECT_SYNC)
                .form_urlencoded_tuple("access_token", "tok-1")
                .form_urlencoded_tuple("timestamp", "1704067200");
            then.status(401)
                .body(json!({"code": 4001, "msg": "token expired"}).to_string());
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.path(COLLECT_SYNC)
                .form_urlencoded_tuple("access_token", "tok-2")
                .form_urlencoded_tuple("timestamp", "1704067205");
            then.status(200).body(ok(collect_data("we_chat_appinfo")));
        })
        .await;
    let calls = Arc::new(AtomicU32::new(0));
    let answer = refreshing_client(&server, calls.clone())
        .collect()
        .create(&collect())
        .await
        .unwrap();
    assert_eq!(answer.trade_no.as_deref(), Some("TN-1"));
    assert_eq!((refused.calls(), accepted.calls()), (1, 1));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error() {
    let server = MockServer::start_async().await;
    let m = mount(
        &server,
        WITHDRAW,
        401,
        json!({"code": 4001, "msg": "token invalid"}).to_string(),
    )
    .await;
    let calls = Arc::new(AtomicU32::new(0));
    let err = refreshing_client(&server, calls.clone())
        .withdraw()
        .create(&CreateWithdrawal::new(
            1001,
            "CARD-9",
            Fen(100),
            "203.0.113.7",
            "https://x.example/back",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { .. }),
        "{err}"
    );
    assert_eq!(err.message(), Some("token invalid"));
    assert!(!err.is_outcome_unknown());
    assert_eq!(m.calls(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_static_token_that_is_refused_is_an_authentication_error_at_once() {
    let server = MockServer::start_async().await;
    let m = mount(&server, ORDER_QUERY, 401, "unauthorized".into()).await;
    let err = client_on(&server)
        .order()
        .query(&OrderQuery::new("W1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { .. }),
        "{err}"
    );
    assert_eq!(m.calls(), 1);
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

fn validation_field(err: &Error) -> String {
    match err.kind() {
        ErrorKind::Validation { field, .. } => field.clone(),
        other => panic!("not a validation error: {other}"),
    }
}

#[tokio::test]
async fn invalid_requests_are_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(ack());
        })
        .await;
    let client = client_on(&server);
    let now = from_unix_seconds(NOW_MS / 1000).unwrap();
    let in_25_hours = from_unix_seconds(NOW_MS / 1000 + 25 * 3600).unwrap();
    let base = collect();
    let collects: Vec<(&str, CreateCollect)> = vec![
        ("collect_req.biz_no", {
            let mut c = base.clone();
            c.biz_no = String::new();
            c
        }),
        ("collect_req.biz_no", {
            let mut c = base.clone();
            c.biz_no = "x".repeat(33);
            c
        }),
        ("collect_req.amount", base.clone().fee(Fen(1))),
        ("collect_req.amount", {
            let mut c = base.clone();
            c.amount = Fen(0);
            c
        }),
        ("collect_req.fee", base.clone().fee(Fen(-1))),
        ("collect_req.recievers", {
            let mut c = base.clone();
            c.receivers.clear();
            c
        }),
        ("collect_req.recievers[1].wallet_id", {
            let mut c = base.clone().receiver(2001, Fen(1));
            c.amount = Fen(10_001);
            c
        }),
        ("collect_req.recievers[1].amount", {
            let mut c = base.clone().receiver(2002, Fen(0));
            c.amount = Fen(10_000);
            c
        }),
        ("collect_req.payer_wallet_id", {
            let mut c = base.clone();
            c.payer_wallet_id = 0;
            c
        }),
        ("collect_req.expire_time", base.clone().expire_time(now)),
        (
            "collect_req.expire_time",
            base.clone().expire_time(in_25_hours),
        ),
        ("customer_ip", base.clone().customer_ip("not-an-ip")),
        ("jump_url", base.clone().jump_url(" ")),
        ("collect_req.note", base.clone().note("")),
        ("collect_req.wallet_pay_method.balance.amount", {
            let mut c = base.clone();
            c.wallet_pay_method = BalancePay::new(Fen(0)).into();
            c
        }),
        ("collect_req.wallet_pay_method.wechat.cusip", {
            let mut c = base.clone();
            c.wallet_pay_method = WechatPay::new(WechatPayType::Scan, Fen(1))
                .cusip("300.1.1.1")
                .into();
            c
        }),
        ("collect_req.wallet_pay_method.alipay.amount", {
            let mut c = base.clone();
            c.wallet_pay_method = AlipayPay::new(AlipayPayType::Scan, Fen(-5)).into();
            c
        }),
        ("collect_req.wallet_pay_method.code_pay.authcode", {
            let mut c = base.clone();
            c.wallet_pay_method = CodePay::new(Fen(1), "").into();
            c
        }),
        ("collect_req.wallet_pay_method.bank_card.bank_card_no", {
            let mut c = base.clone();
            c.wallet_pay_method = BankCardPay::new(" ", Fen(1)).into();
            c
        }),
    ];
    for (field, request) in collects {
        let err = client.collect().create(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
        assert!(err.is_not_sent() && !err.is_outcome_unknown());
    }
    let receiver = AgentPayReceiver::new(2001, Fen(1));
    for (field, request) in [
        ("biz_no", CreateAgentPay::new("", "W1", receiver)),
        ("collect_order_no", CreateAgentPay::new("b", "", receiver)),
        (
            "agent_pay_req.amount",
            CreateAgentPay::new("b", "W1", AgentPayReceiver::new(2001, Fen(0))),
        ),
        (
            "agent_pay_req.wallet_id",
            CreateAgentPay::new("b", "W1", AgentPayReceiver::new(-1, Fen(1))),
        ),
        (
            "agent_pay_req.fee_amount",
            CreateAgentPay::new("b", "W1", receiver.fee_amount(Fen(-1))),
        ),
    ] {
        let err = client.collect().agent_pay(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
    }
    for (field, request) in [
        ("refund_list", CreateRefund::new("b", "W1")),
        (
            "refund_list[0].amount",
            CreateRefund::new("b", "W1").line(1, Fen(0)),
        ),
        (
            "biz_no",
            CreateRefund::new("b".repeat(40), "W1").line(1, Fen(1)),
        ),
    ] {
        let err = client.collect().refund(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
    }
    for (field, request) in [
        ("amount", CreateRecharge::new(1, "C", Fen(0))),
        ("card_id", CreateRecharge::new(1, "", Fen(1))),
        ("wallet_id", CreateRecharge::new(0, "C", Fen(1))),
        (
            "customer_ip",
            CreateRecharge::new(1, "C", Fen(1)).customer_ip("1.2.3"),
        ),
    ] {
        let err = client.recharge().create(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
    }
    for (field, request) in [
        (
            "customer_ip",
            CreateWithdrawal::new(1, "C", Fen(1), "", "https://x"),
        ),
        (
            "customer_ip",
            CreateWithdrawal::new(1, "C", Fen(1), "localhost", "https://x"),
        ),
        (
            "jump_url",
            CreateWithdrawal::new(1, "C", Fen(1), "10.0.0.1", ""),
        ),
        (
            "amount",
            CreateWithdrawal::new(1, "C", Fen(-1), "10.0.0.1", "https://x"),
        ),
    ] {
        let err = client.withdraw().create(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
    }
    for (field, request) in [
        ("verify_code", ConfirmSms::new("TK", "", "10.0.0.1")),
        ("ticket", ConfirmSms::new("", "1", "10.0.0.1")),
        ("customer_ip", ConfirmSms::new("TK", "1", "")),
    ] {
        let err = client.sms().confirm(&request).await.unwrap_err();
        assert_eq!(validation_field(&err), field, "{err}");
    }
    let err = client.sms().resend(&ResendSms::new("")).await.unwrap_err();
    assert_eq!(validation_field(&err), "ticket");
    let err = client
        .order()
        .query(&OrderQuery::new(" "))
        .await
        .unwrap_err();
    assert_eq!(validation_field(&err), "order_no");
    assert_eq!(any.calls(), 0, "nothing was sent");
}
