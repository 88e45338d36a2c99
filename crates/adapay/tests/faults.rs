//! The fault matrix: draw cash (the one call that moves money) against a
//! local server that redirects, fails, stalls, resets, truncates, answers
//! HTML, or answers unsigned and wrongly signed bodies. Each request is sent
//! exactly once, and each error says correctly whether it may be retried and
//! whether the outcome is unknown. Reads are retried with backoff and give up
//! in bounded time.
#![allow(clippy::unwrap_used)]
mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use walletbridge_adapay::Client;
use walletbridge_adapay::wallet::{BalanceQuery, CashStatusQuery, CashType, DrawCash};
use walletbridge_core::test_util::{Fault, FaultServer};

const TIMEOUT: Duration = Duration::from_millis(400);

/// A client on `server` that would retry anything three times: draw cash
/// must still go out once.
fn client(server: &FaultServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .app_id(APP_ID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(server.url(""))
        .page_url(server.url(""))
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap()
}

fn order() -> DrawCash {
    DrawCash::new(
        "cash_20240101_0001",
        CashType::T1,
        "0.10".parse().unwrap(),
        "0",
    )
}

fn signed(key: &str, data: serde_json::Value) -> Vec<u8> {
    signed_answer(key, &data.to_string()).into_bytes()
}

fn failed_cash() -> serde_json::Value {
    json!({"app_id": APP_ID, "object": "cash", "order_no": "cash_20240101_0001",
           "status": "failed", "error_code": "balance_not_enough", "error_msg": "可用余额不足"})
}

/// `(name, fault, retryable, outcome unknown)`.
fn matrix(server: &FaultServer) -> Vec<(&'static str, Fault, bool, bool)> {
    let unsigned_error = br#"{"error_code":"balance_not_enough","error_msg":"no"}"#.to_vec();
    let mut other_order = cash_data("succeeded");
    other_order["order_no"] = json!("cash_someone_elses");
    vec![
        (
            "307 redirect",
            Fault::redirect(307, server.url("/v1/cashs2")),
            false,
            true,
        ),
        (
            "308 redirect",
            Fault::redirect(308, server.url("/v1/cashs2")),
            false,
            true,
        ),
        (
            "302 redirect",
            Fault::redirect(302, "https://elsewhere.example/"),
            false,
            true,
        ),
        ("500 empty", Fault::status(500, ""), true, true),
        ("502 HTML", Fault::gateway_html(), true, true),
        (
            "503 unsigned error",
            Fault::json(503, unsigned_error.clone()),
            true,
            true,
        ),
        // signed, but a 5xx: the provider may have failed after acting
        (
            "500 signed failure",
            Fault::json(500, signed(PLATFORM_KEY, failed_cash())),
            true,
            true,
        ),
        // 423 is a busy server (core's `is_transient_status`): retryable,
        // and still never repeated on a payout.
        (
            "423 unsigned error",
            Fault::json(423, unsigned_error.clone()),
            true,
            true,
        ),
        (
            "423 HTML",
            Fault::status(423, "<html>locked</html>"),
            true,
            true,
        ),
        (
            "400 unsigned error",
            Fault::json(400, unsigned_error),
            false,
            true,
        ),
        (
            "404 HTML",
            Fault::status(404, "<html>not found</html>"),
            false,
            true,
        ),
        ("timeout", Fault::delay(Duration::from_secs(3)), true, true),
        ("reset after send", Fault::close_after_request(), true, true),
        (
            "truncated 200",
            Fault::truncated(200, signed(PLATFORM_KEY, cash_data("pending"))),
            true,
            true,
        ),
        (
            "200 HTML",
            Fault::status(200, "<html>ok?</html>"),
            false,
            true,
        ),
        (
            "200 unsigned data",
            Fault::json(
                200,
                json!({"data": cash_data("pending").to_string()}).to_string(),
            ),
            false,
            true,
        ),
        (
            "200 bare object",
            Fault::json(200, cash_data("succeeded").to_string()),
            false,
            true,
        ),
        (
            "200 wrongly signed",
            Fault::json(200, signed(OTHER_KEY, cash_data("succeeded"))),
            false,
            true,
        ),
        (
            "200 signed by the merchant key",
            Fault::json(200, signed(MERCHANT_KEY, cash_data("succeeded"))),
            false,
            true,
        ),
        (
            "200 signed balance answer",
            Fault::json(200, signed(PLATFORM_KEY, balance_data())),
            false,
            true,
        ),
        (
            "200 signed answer for another order",
            Fault::json(200, signed(PLATFORM_KEY, other_order)),
            false,
            true,
        ),
        // the only definite failures: a signed refusal, and a 401
        (
            "200 signed failure",
            Fault::json(200, signed(PLATFORM_KEY, failed_cash())),
            false,
            false,
        ),
        (
            "400 signed failure",
            Fault::json(400, signed(PLATFORM_KEY, failed_cash())),
            false,
            false,
        ),
        (
            "401 unsigned",
            Fault::json(401, r#"{"error_msg":"api_key 无效"}"#),
            false,
            false,
        ),
    ]
}

#[tokio::test]
async fn draw_cash_is_sent_once_and_every_error_says_what_it_is() {
    let probe = FaultServer::start(Fault::status(200, "")).await.unwrap();
    let cases = matrix(&probe);
    drop(probe);
    let mut failures = Vec::new();
    for (i, (name, _, retryable, unknown)) in cases.iter().enumerate() {
        let server = FaultServer::start(Fault::status(599, "unscripted"))
            .await
            .unwrap();
        // the fault again, for this server's own address
        let fault = matrix(&server).swap_remove(i).1;
        server.on("/v1/cashs", [fault]);
        let started = Instant::now();
        let result = client(&server).wallet().draw_cash(&order()).await;
        let elapsed = started.elapsed();
        let Err(err) = result else {
            failures.push(format!("{name}: accepted as a success"));
            continue;
        };
        let hits = server.hits("/v1/cashs");
        if hits != 1 || server.total() != 1 {
            failures.push(format!(
                "{name}: sent {hits} times ({} requests in all)",
                server.total()
            ));
        }
        if err.is_retryable() != *retryable {
            failures.push(format!(
                "{name}: is_retryable {} for {err}",
                err.is_retryable()
            ));
        }
        if err.is_outcome_unknown() != *unknown {
            failures.push(format!(
                "{name}: is_outcome_unknown {} for {err}",
                err.is_outcome_unknown()
            ));
        }
        if elapsed > Duration::from_secs(3) {
            failures.push(format!("{name}: took {elapsed:?}"));
        }
        // The error names the order to look up.
        if err.id("order_no") != Some(order().order_no.as_str())
            || !err.to_string().contains("order_no=")
        {
            failures.push(format!("{name}: the error names no order: {err}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_unsigned_error_is_reported_but_marked_unverified() {
    let server = FaultServer::start(Fault::status(599, "")).await.unwrap();
    server.on(
        "/v1/cashs",
        [Fault::json(
            400,
            br#"{"error_code":"balance_not_enough","error_msg":"no money"}"#.to_vec(),
        )],
    );
    let err = client(&server)
        .wallet()
        .draw_cash(&order())
        .await
        .unwrap_err();
    let api = err.api_error().expect("reported as the provider's code");
    assert_eq!(api.code, "balance_not_enough");
    assert_eq!(api.message, "no money");
    assert_eq!(api.get_detail("signature"), Some("unverified"));
    assert!(err.is_outcome_unknown(), "{err}");
}

#[tokio::test]
async fn reads_are_retried_with_backoff_and_give_up_in_bounded_time() {
    let faults = || {
        vec![
            ("503", Fault::status(503, "busy"), 3usize),
            ("502 HTML", Fault::gateway_html(), 3),
            ("timeout", Fault::delay(Duration::from_secs(3)), 3),
            ("reset", Fault::close_after_request(), 3),
            ("truncated", Fault::truncated(200, "{\"data\":"), 3),
            // a busy server (core's `is_transient_status`): retried like a 503
            ("423", Fault::status(423, "locked"), 3),
            // not transient: asked once
            (
                "redirect",
                Fault::redirect(307, "https://elsewhere.example/"),
                1,
            ),
        ]
    };
    for (name, fault, expected) in faults() {
        for path in ["/v1/settle_accounts/balance", "/v1/cashs/stat"] {
            let server = FaultServer::start(fault.clone()).await.unwrap();
            let c = client(&server);
            let started = Instant::now();
            let err = if path == "/v1/cashs/stat" {
                c.wallet()
                    .cash_status(&CashStatusQuery::new("cash_1"))
                    .await
                    .unwrap_err()
            } else {
                c.wallet()
                    .balance(&BalanceQuery::merchant())
                    .await
                    .unwrap_err()
            };
            let elapsed = started.elapsed();
            assert_eq!(server.hits(path), expected, "{name} {path}: {err}");
            // a read changed nothing
            assert!(!err.is_outcome_unknown(), "{name} {path}: {err}");
            // three attempts of at most the timeout each, plus short backoffs
            assert!(
                elapsed < TIMEOUT * 3 + Duration::from_secs(2),
                "{name} {path}: {elapsed:?}"
            );
        }
    }
    // and a read that succeeds after a transient failure returns the data
    let server = FaultServer::start(Fault::status(599, "")).await.unwrap();
    server.on(
        "/v1/settle_accounts/balance",
        [
            Fault::status(503, "busy"),
            Fault::json(200, signed(PLATFORM_KEY, balance_data())),
        ],
    );
    let bal = client(&server)
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.avl_balance, Some("90.00".parse().unwrap()));
    assert_eq!(server.hits("/v1/settle_accounts/balance"), 2);
}
