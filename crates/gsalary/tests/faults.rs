//! Fault matrix: every money-moving GSalary call against a local server that
//! answers 3xx, 5xx, 423, timeouts, a reset after the request, truncated,
//! HTML, unsigned and wrongly signed bodies. Each request is sent exactly
//! once, and each error says correctly whether it is retryable and whether
//! the outcome is unknown. Reads are retried with backoff and give up in
//! bounded time.
#![allow(clippy::unwrap_used)]
mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use walletbridge_core::test_util::{Fault, FaultServer};
use walletbridge_core::{ErrorKind, FixedClock, RetryPolicy};
use walletbridge_gsalary::Client;
use walletbridge_gsalary::prelude::*;

use common::*;

const TIMEOUT: Duration = Duration::from_millis(300);

fn client(server: &FaultServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(server.url(""))
        .clock(Arc::new(FixedClock::new(NOW_MS)))
        .retry_policy(retry)
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .build()
        .unwrap()
}

type Outcome<'a> = Pin<Box<dyn Future<Output = walletbridge_core::Result<()>> + 'a>>;

/// A money-moving call: its name, wire path, and how to make it.
struct MoneyCall {
    name: &'static str,
    path: &'static str,
    call: for<'a> fn(&'a Client) -> Outcome<'a>,
}

fn usd(v: i64) -> walletbridge_gsalary::Money {
    walletbridge_gsalary::Money::new("USD", Decimal::from(v))
}

fn token_payment() -> walletbridge_gsalary::acquiring::PayWithToken {
    use walletbridge_gsalary::acquiring::*;
    PayWithToken::builder()
        .mch_app_id("1234567890")
        .payment_request_id("PAY_9876543211")
        .payment(usd(10))
        .token("token")
        .method(PaymentMethodType::AlipayCn)
        .redirect_url("https://merchant.com/callback")
        .order(AcquiringOrder::new("ORD_1", "Order").amount(usd(10)))
        .settlement_currency("USD")
        .terminal(TerminalType::Web)
        .build()
        .unwrap()
}

fn money_calls() -> Vec<MoneyCall> {
    use walletbridge_gsalary::{
        cards::{ApplyCard, ModifyCardBalance},
        exchange::SubmitExchange,
        remittance::SubmitRemittanceOrder,
    };
    vec![
        MoneyCall {
            name: "apply card",
            path: "/v1/card_applies",
            call: |c| {
                Box::pin(async move {
                    let r = ApplyCard::builder()
                        .request_id("apply-1")
                        .product_code("G12345")
                        .currency("USD")
                        .card_holder_id("h1")
                        .init_balance(Decimal::from(100))
                        .build()
                        .unwrap();
                    c.cards().apply(&r).await.map(drop)
                })
            },
        },
        MoneyCall {
            name: "top up card",
            path: "/v1/cards/balance_modifies",
            call: |c| {
                Box::pin(async move {
                    let r = ModifyCardBalance::increase("bm-1", "c1", Decimal::from(25));
                    c.cards().modify_balance(&r).await.map(drop)
                })
            },
        },
        MoneyCall {
            name: "remittance order",
            path: "/v1/remittance/orders",
            call: |c| {
                Box::pin(async move {
                    let r = SubmitRemittanceOrder::new("q1", "co-1");
                    c.remittance().submit_order(&r).await.map(drop)
                })
            },
        },
        MoneyCall {
            name: "exchange submit",
            path: "/v1/exchange/submit_request",
            call: |c| {
                Box::pin(async move {
                    let r = SubmitExchange::new("ex-1", "q-1");
                    c.exchange().submit(&r).await.map(drop)
                })
            },
        },
        MoneyCall {
            name: "EasySafePay payment",
            path: "/gateway/v1/acquiring/easy_safe_pay/pay",
            call: |c| {
                Box::pin(async move {
                    c.acquiring()
                        .easy_safe_pay(&token_payment())
                        .await
                        .map(drop)
                })
            },
        },
        MoneyCall {
            name: "CardAutoDebit payment",
            path: "/gateway/v1/acquiring/card_auto_debit/pay",
            call: |c| {
                Box::pin(async move {
                    c.acquiring()
                        .card_auto_debit_pay(&token_payment())
                        .await
                        .map(drop)
                })
            },
        },
    ]
}

/// One row of the matrix: a fault and what the error must say.
struct Row {
    name: &'static str,
    fault: Fault,
    retryable: bool,
    unknown: bool,
}

fn rows(path: &str) -> Vec<Row> {
    let refusal = r#"{"biz_result":"F","error_code":"INSUFFICIENT_BALANCE","message":"no"}"#;
    let busy = r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#;
    let ok = ok_body(serde_json::json!({"status": "PENDING"}));
    let good = answer_signature(PLATFORM_KEY, "POST", path, &ok);
    let forged = answer_signature(OTHER_KEY, "POST", path, &ok);
    let signed_refusal = answer_signature(PLATFORM_KEY, "POST", path, refusal);
    let row = |name, fault, retryable, unknown| Row {
        name,
        fault,
        retryable,
        unknown,
    };
    vec![
        row(
            "307 redirect",
            Fault::redirect(307, "http://127.0.0.1:9/elsewhere"),
            false,
            true,
        ),
        row(
            "308 redirect",
            Fault::redirect(308, "/v1/elsewhere"),
            false,
            true,
        ),
        row(
            "302 redirect",
            Fault::redirect(302, "/v1/elsewhere"),
            false,
            true,
        ),
        row("500 envelope F", Fault::json(500, refusal), true, true),
        row("502 gateway HTML", Fault::gateway_html(), true, true),
        row("503 empty", Fault::status(503, ""), true, true),
        row("423 busy, unsigned", Fault::json(423, busy), true, true),
        row("timeout", Fault::delay(TIMEOUT * 4), true, true),
        row(
            "reset after the request",
            Fault::close_after_request(),
            true,
            true,
        ),
        row(
            "truncated 200",
            Fault::truncated(200, ok.clone()).header("Authorization", good.clone()),
            true,
            true,
        ),
        row(
            "200 HTML",
            Fault::status(200, "<html>ok</html>"),
            false,
            true,
        ),
        row("200 unsigned", Fault::json(200, ok.clone()), false, true),
        row(
            "200 wrongly signed",
            Fault::json(200, ok.clone()).header("Authorization", forged),
            false,
            true,
        ),
        row(
            "400 refusal, unsigned",
            Fault::json(400, refusal),
            false,
            true,
        ),
        // the one definite answer: a refusal signed by the platform
        row(
            "400 refusal, signed",
            Fault::json(400, refusal).header("Authorization", signed_refusal),
            false,
            false,
        ),
    ]
}

#[tokio::test]
async fn money_moving_calls_are_sent_once_and_report_faults_correctly() {
    for call in money_calls() {
        for row in rows(call.path) {
            let server = FaultServer::start(Fault::status(599, "unscripted"))
                .await
                .unwrap();
            server.on(call.path, [row.fault]);
            let c = client(&server, quick_retries(4));
            let err = (call.call)(&c).await.expect_err(row.name);
            let what = format!("{} / {}: {err}", call.name, row.name);
            // a timeout's request may still be in flight: give it a moment
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert_eq!(server.hits(call.path), 1, "sent exactly once: {what}");
            assert_eq!(
                server.total(),
                1,
                "no other request (no redirect followed): {what}"
            );
            assert_eq!(err.is_retryable(), row.retryable, "retryable: {what}");
            assert_eq!(
                err.is_outcome_unknown(),
                row.unknown,
                "outcome unknown: {what}"
            );
            assert!(!err.is_not_sent(), "{what}");
        }
    }
}

#[tokio::test]
async fn a_redirect_is_never_followed_to_another_host() {
    let elsewhere = FaultServer::start(Fault::status(200, "{}")).await.unwrap();
    let server = FaultServer::start(Fault::redirect(307, elsewhere.url("/steal")))
        .await
        .unwrap();
    let c = client(&server, quick_retries(4));
    let r = walletbridge_gsalary::cards::ModifyCardBalance::increase("bm-1", "c1", Decimal::ONE);
    let err = c.cards().modify_balance(&r).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { status: 307, .. }),
        "{err}"
    );
    assert_eq!(elsewhere.total(), 0, "the body went nowhere else");
}

#[tokio::test]
async fn reads_are_retried_with_backoff_and_give_up_in_bounded_time() {
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .base_delay(Duration::from_millis(10));
    for (name, fault) in [
        ("503", Fault::status(503, "")),
        ("gateway HTML", Fault::gateway_html()),
        (
            "423 busy",
            Fault::json(
                423,
                r#"{"biz_result":"F","error_code":"SYSTEM_BUSY","message":"busy"}"#,
            ),
        ),
        ("timeout", Fault::delay(TIMEOUT * 4)),
        ("reset", Fault::close_after_request()),
    ] {
        let server = FaultServer::start(fault).await.unwrap();
        let c = client(&server, policy.clone());
        let started = Instant::now();
        let err = c.wallet().balance("USD").await.unwrap_err();
        let took = started.elapsed();
        assert_eq!(server.hits("/v1/wallets/balance"), 4, "{name}: {err}");
        assert!(!err.is_outcome_unknown(), "a read changes nothing: {name}");
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
    // a read that then succeeds
    let body = ok_body(serde_json::json!({"currency": "USD", "amount": 1}));
    let sig = answer_signature(
        PLATFORM_KEY,
        "GET",
        "/v1/wallets/balance?currency=USD",
        &body,
    );
    let server = FaultServer::start(Fault::json(200, body).header("Authorization", sig))
        .await
        .unwrap();
    server.on(
        "/v1/wallets/balance",
        [Fault::status(503, ""), Fault::gateway_html()],
    );
    let c = client(&server, policy);
    c.wallet().balance("USD").await.unwrap();
    assert_eq!(server.hits("/v1/wallets/balance"), 3);
}
