//! Every answer of the page decodes (money as a string and as a number),
//! each order status answer maps to its value, code 0 is an API error,
//! validation stops a call before anything is sent, and the order stream
//! stops by `total`. Against httpmock, through the real transport.
#![allow(clippy::unwrap_used)]
mod common;

use std::time::Duration;

use common::*;
use futures_util::TryStreamExt;
use httpmock::MockServer;
use serde_json::json;
use walletbridge_core::{Decimal, ErrorKind, date};
use walletbridge_merchant_wallet::pay::OrderStatus;
use walletbridge_merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};
use walletbridge_merchant_wallet::{RechargeStatus, UserType};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn total_money_decodes_from_strings_and_numbers() {
    for (data, promote) in [
        (total_money(), "10"),
        (
            json!({"total_money": 1000.00, "today_income": 50, "promote_income": 10.5}),
            "10.5",
        ),
    ] {
        let server = MockServer::start_async().await;
        let m = mount(&server, TOTAL_MONEY, Some(TOKEN), 200, ok(data)).await;
        let money = token_client_on(&server)
            .wallet()
            .total_money()
            .await
            .unwrap();
        assert_eq!(money.total_money, d("1000"));
        assert_eq!(money.today_income, d("50"));
        assert_eq!(money.promote_income, Some(d(promote)));
        m.assert_async().await;
    }
    // promote_income is optional
    let server = MockServer::start_async().await;
    mount(
        &server,
        TOTAL_MONEY,
        Some(TOKEN),
        200,
        ok(json!({"total_money": "1", "today_income": "0"})),
    )
    .await;
    let money = token_client_on(&server)
        .wallet()
        .total_money()
        .await
        .unwrap();
    assert_eq!(money.promote_income, None);
}

#[tokio::test]
async fn amounts_are_exact_beyond_what_a_float_holds() {
    let server = MockServer::start_async().await;
    // Written by hand: a float would lose the last digits of both.
    let body = r#"{"code":1,"msg":"获取成功","data":{"money":12345678901234567.89,"freeze_money":"98765432109876543.21","deposit_money":0.1}}"#;
    mount(&server, USER_BALANCE, Some(TOKEN), 200, body.to_owned()).await;
    let b = token_client_on(&server).wallet().balance().await.unwrap();
    assert_eq!(b.money.to_string(), "12345678901234567.89");
    assert_eq!(b.freeze_money.to_string(), "98765432109876543.21");
    assert_eq!(b.deposit_money, d("0.1"));
}

#[tokio::test]
async fn user_balance_decodes() {
    let server = MockServer::start_async().await;
    mount(&server, USER_BALANCE, Some(TOKEN), 200, ok(user_balance())).await;
    let b = token_client_on(&server).wallet().balance().await.unwrap();
    assert_eq!(
        (b.money, b.freeze_money, b.deposit_money),
        (d("1000.00"), d("500.00"), d("200.00"))
    );
}

#[tokio::test]
async fn recharge_channels_decode_with_the_fee_rate_exact() {
    for rate in [json!(0.05), json!("0.05")] {
        let server = MockServer::start_async().await;
        let mut data = channels();
        data["fee_rate"] = rate;
        mount(&server, CHANNELS, Some(TOKEN), 200, ok(data)).await;
        let c = token_client_on(&server)
            .wallet()
            .recharge_channels()
            .await
            .unwrap();
        assert_eq!(c.fee_rate.to_string(), "0.05");
        assert_eq!(c.channels.len(), 1);
        assert_eq!(c.channels[0].id, 1);
        assert_eq!(c.channels[0].name, "支付宝");
        assert_eq!(
            c.channels[0].icon.as_deref(),
            Some("https://fast.qqss.net/static/payment/zfb.png")
        );
        assert_eq!(c.fee_for(d("300")), Some(d("15.00")));
    }
}

#[tokio::test]
async fn recharge_answers_the_order_and_its_close_time() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST)
                .path(RECHARGE)
                .header("Authorization", format!("Bearer {TOKEN}"))
                .header("Content-Type", "application/json")
                .json_body(json!({"amount": 300, "channelId": 1}));
            then.status(200)
                .body(json!({"code": 1, "msg": "", "data": recharge()}).to_string());
        })
        .await;
    let r = token_client_on(&server)
        .wallet()
        .recharge(&RechargeWallet::new(d("300.00"), 1))
        .await
        .unwrap();
    assert_eq!(r.trade_no, "202312010001");
    assert_eq!(r.url, "https://example.com/pay/202312010001");
    assert_eq!(r.order_auto_close_time, Duration::from_secs(1800));
    m.assert_async().await;
    // seconds as a string too
    let server = MockServer::start_async().await;
    let mut data = recharge();
    data["order_auto_close_time"] = json!("600");
    mount(&server, RECHARGE, Some(TOKEN), 200, ok(data)).await;
    let r = token_client_on(&server)
        .wallet()
        .recharge(&RechargeWallet::new(d("1"), 1))
        .await
        .unwrap();
    assert_eq!(r.order_auto_close_time, Duration::from_secs(600));
}

#[tokio::test]
async fn recharge_orders_decode_with_their_times_and_nulls() {
    let server = MockServer::start_async().await;
    let mut numbers = order(4);
    numbers["total_price"] = json!(315.000);
    numbers["finally_money"] = json!(300);
    numbers["fee"] = json!(15.0);
    numbers["status"] = json!(0);
    numbers["pay_at"] = json!(0);
    numbers["transaction_id"] = json!("4200001234202511190000000000");
    numbers["user_type"] = json!(2);
    mount(
        &server,
        ORDERS,
        Some(TOKEN),
        200,
        ok(json!({"list": [order(3), numbers], "total": 2})),
    )
    .await;
    let page = token_client_on(&server)
        .wallet()
        .recharge_orders(&RechargeOrderQuery::new())
        .await
        .unwrap();
    assert_eq!(
        (page.page, page.page_size, page.total_count),
        (1, Some(20), Some(2))
    );
    assert!(!page.has_next());
    let (a, b) = (&page.items[0], &page.items[1]);
    assert_eq!(a.trade_no, "M251119900053");
    assert_eq!(a.user_type, UserType::Merchant);
    assert_eq!(
        (a.total_price, a.finally_money, a.fee),
        (d("315.000"), d("300.000"), d("15.000"))
    );
    assert_eq!(a.status, RechargeStatus::Paid);
    assert_eq!(
        a.create_at,
        date::parse_local("2025-11-19 15:55:28", date::CHINA).unwrap()
    );
    assert_eq!(a.create_at.unix_timestamp(), 1_763_538_928);
    assert_eq!(a.pay_at.unwrap().unix_timestamp(), 1_763_538_936);
    assert_eq!(a.transaction_id, None);
    assert_eq!(a.channel_account_id, Some(1));
    assert_eq!(
        (b.total_price, b.finally_money, b.fee),
        (d("315"), d("300"), d("15"))
    );
    assert_eq!(b.status, RechargeStatus::Unpaid);
    assert_eq!(b.pay_at, None);
    assert_eq!(b.user_type, UserType::Other(2));
    assert_eq!(
        b.transaction_id.as_deref(),
        Some("4200001234202511190000000000")
    );
}

#[tokio::test]
async fn the_order_stream_walks_pages_and_stops_by_total() {
    let server = MockServer::start_async().await;
    // 5 orders, 2 a page: pages 1, 2 and 3, never a 4th.
    let mut mocks = Vec::new();
    for (page, ids) in [(1, vec![1, 2]), (2, vec![3, 4]), (3, vec![5])] {
        let list: Vec<_> = ids.into_iter().map(order).collect();
        let body = ok(json!({"list": list, "total": 5}));
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(httpmock::Method::POST)
                        .path(ORDERS)
                        .json_body(json!({"status": 1, "page": page, "limit": 2}));
                    then.status(200).body(body);
                })
                .await,
        );
    }
    let any_other = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST).path(ORDERS);
            then.status(500).body("unexpected page");
        })
        .await;
    let query = RechargeOrderQuery::new()
        .status(RechargeStatus::Paid)
        .limit(2);
    let orders: Vec<_> = token_client_on(&server)
        .wallet()
        .recharge_orders_stream(query)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    for m in &mocks {
        assert_eq!(m.calls_async().await, 1);
    }
    assert_eq!(any_other.calls_async().await, 0);
}

#[tokio::test]
async fn each_order_status_answer_of_the_page_maps_to_its_value() {
    let cases = [
        (
            json!({"code": 1, "msg": "订单已支付", "data": {"status": 1}}),
            OrderStatus::Paid,
        ),
        (
            json!({"code": 0, "msg": "订单不存在", "data": "error"}),
            OrderStatus::NotFound,
        ),
        (
            json!({"code": 0, "msg": "订单超时已关闭", "data": {"status": 2}}),
            OrderStatus::Closed,
        ),
        (
            json!({"code": 0, "msg": "订单已退款", "data": {"status": 3}}),
            OrderStatus::Refunded,
        ),
    ];
    for (answer, want) in cases {
        let server = MockServer::start_async().await;
        let m = server
            .mock_async(|when, then| {
                when.method(httpmock::Method::POST)
                    .path(ORDER_STATUS)
                    .header_missing("Authorization")
                    .json_body(json!({"trade_no": "202312010001"}));
                then.status(200).body(answer.to_string());
            })
            .await;
        let got = login_client_on(&server)
            .pay()
            .order_status("202312010001")
            .await
            .unwrap();
        assert_eq!(got, want, "{answer}");
        m.assert_async().await;
    }
}

#[tokio::test]
async fn code_zero_is_an_api_error_with_the_message() {
    let server = MockServer::start_async().await;
    mount(
        &server,
        RECHARGE,
        Some(TOKEN),
        200,
        json!({"code": 0, "msg": "充值金额不能小于10元", "data": "error"}).to_string(),
    )
    .await;
    let err = token_client_on(&server)
        .wallet()
        .recharge(&RechargeWallet::new(d("1"), 1))
        .await
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(
        (api.code.as_str(), api.message.as_str()),
        ("0", "充值金额不能小于10元")
    );
    assert_eq!(err.code(), Some("0"));
    assert_eq!(err.message(), Some("充值金额不能小于10元"));
    // A refusal is definite: the platform said no.
    assert!(!err.is_retryable() && !err.is_outcome_unknown(), "{err}");
    assert_eq!(err.operation(), Some("recharge operational wallet"));

    let server = MockServer::start_async().await;
    mount(
        &server,
        USER_BALANCE,
        Some(TOKEN),
        200,
        json!({"code": 0, "msg": "账户已冻结"}).to_string(),
    )
    .await;
    let err = token_client_on(&server)
        .wallet()
        .balance()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api(a) if a.message == "账户已冻结"),
        "{err}"
    );
}

#[tokio::test]
async fn validation_errors_come_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(ok(json!({})));
        })
        .await;
    let client = login_client_on(&server);
    let w = client.wallet();
    let recharge = |amount: &str, channel: i64| RechargeWallet::new(d(amount), channel);
    for (r, field) in [
        (recharge("0", 1), "amount"),
        (recharge("-5", 1), "amount"),
        (recharge("10.001", 1), "amount"),
        (recharge("10", 0), "channelId"),
        (recharge("10", -3), "channelId"),
    ] {
        let err = w.recharge(&r).await.unwrap_err();
        assert_eq!(invalid_field(&err), field, "{err}");
        assert!(err.is_not_sent() && !err.is_outcome_unknown());
    }
    let day = |s: &str| date::parse_date(s).unwrap();
    for (q, field) in [
        (RechargeOrderQuery::new().page(0), "page"),
        (RechargeOrderQuery::new().limit(0), "limit"),
        (RechargeOrderQuery::new().limit(101), "limit"),
        (RechargeOrderQuery::new().channel_id(0), "channel_id"),
        (
            RechargeOrderQuery::new().date_range(day("2025-11-30"), day("2025-11-01")),
            "date_range",
        ),
    ] {
        let err = w.recharge_orders(&q).await.unwrap_err();
        assert_eq!(invalid_field(&err), field, "{err}");
        let first: Result<Vec<_>, _> = w.recharge_orders_stream(q).try_collect().await;
        assert_eq!(invalid_field(&first.unwrap_err()), field);
    }
    for trade_no in ["", "  ", "a\r\nb"] {
        let err = client.pay().order_status(trade_no).await.unwrap_err();
        assert_eq!(invalid_field(&err), "trade_no");
    }
    // Limits at the bounds are fine.
    assert!(
        RechargeOrderQuery::new()
            .limit(100)
            .date_range(day("2025-11-01"), day("2025-11-01"))
            .page(1)
            == RechargeOrderQuery::new()
                .limit(100)
                .date_range(day("2025-11-01"), day("2025-11-01"))
    );
    // Nothing went out, not even a login.
    assert_eq!(any.calls_async().await, 0);
}
