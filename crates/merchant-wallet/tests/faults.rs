//! The fault matrix: the recharge (the one call that creates an order)
//! against a local server that redirects, fails, stalls, resets, truncates or
//! answers HTML. Each recharge is sent exactly once and its outcome is
//! unknown; each error says correctly whether it is transient. Reads are
//! retried with backoff and give up in bounded time.
#![allow(clippy::unwrap_used)]
mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use walletbridge_core::test_util::{Fault, FaultServer};
use walletbridge_merchant_wallet::Client;
use walletbridge_merchant_wallet::wallet::RechargeWallet;

const TIMEOUT: Duration = Duration::from_millis(400);

/// A client on `server` that would retry anything three times: the
/// recharge must still go out once.
fn client(server: &FaultServer) -> Client {
    Client::builder()
        .base_url(server.url(""))
        .token(TOKEN)
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap()
}

fn recharge() -> RechargeWallet {
    RechargeWallet::new("300".parse().unwrap(), 1)
}

/// `(name, fault, retryable, outcome unknown)`.
fn matrix(server: &FaultServer) -> Vec<(&'static str, Fault, bool, bool)> {
    let refusal = json!({"code": 0, "msg": "系统繁忙"}).to_string();
    vec![
        (
            "307 redirect",
            Fault::redirect(307, server.url(RECHARGE)),
            false,
            true,
        ),
        (
            "308 redirect",
            Fault::redirect(308, server.url("/elsewhere")),
            false,
            true,
        ),
        (
            "302 to another host",
            Fault::redirect(302, "https://elsewhere.example/"),
            false,
            true,
        ),
        (
            "301 with an envelope",
            Fault::json(301, refusal.clone()),
            false,
            true,
        ),
        ("500 empty", Fault::status(500, ""), true, true),
        (
            "500 envelope",
            Fault::json(500, refusal.clone()),
            true,
            true,
        ),
        ("502 HTML", Fault::gateway_html(), true, true),
        ("503 envelope", Fault::json(503, refusal), true, true),
        (
            "504 HTML",
            Fault::status(504, "<html>gateway timeout</html>"),
            true,
            true,
        ),
        ("timeout", Fault::delay(Duration::from_secs(3)), true, true),
        ("reset after send", Fault::close_after_request(), true, true),
        (
            "truncated 200",
            Fault::truncated(200, ok(common::recharge())),
            true,
            true,
        ),
        (
            "200 HTML",
            Fault::status(200, "<html>ok?</html>"),
            false,
            true,
        ),
        ("200 empty", Fault::status(200, ""), false, true),
        (
            "200 unknown code",
            Fault::json(200, json!({"code": 2, "msg": "处理中"}).to_string()),
            false,
            true,
        ),
        (
            "200 without data",
            Fault::json(200, json!({"code": 1, "msg": ""}).to_string()),
            false,
            true,
        ),
        // the only definite failures: the platform said no, or refused the token
        (
            "200 code 0",
            Fault::json(
                200,
                json!({"code": 0, "msg": "金额错误", "data": "error"}).to_string(),
            ),
            false,
            false,
        ),
        (
            "404 envelope",
            Fault::json(404, json!({"code": 0, "msg": "not found"}).to_string()),
            false,
            false,
        ),
        (
            "401",
            Fault::json(401, json!({"code": 0, "msg": "请登录"}).to_string()),
            false,
            false,
        ),
    ]
}

#[tokio::test]
async fn the_recharge_is_sent_once_and_every_error_says_what_it_is() {
    let probe = FaultServer::start(Fault::status(200, "")).await.unwrap();
    let cases = matrix(&probe);
    drop(probe);
    let mut failures = Vec::new();
    for (i, (name, _, retryable, unknown)) in cases.iter().enumerate() {
        let server = FaultServer::start(Fault::status(599, "unscripted"))
            .await
            .unwrap();
        let fault = matrix(&server).swap_remove(i).1;
        server.on(RECHARGE, [fault]);
        let started = Instant::now();
        let result = client(&server).wallet().recharge(&recharge()).await;
        let elapsed = started.elapsed();
        let Err(err) = result else {
            failures.push(format!("{name}: accepted as a success"));
            continue;
        };
        let hits = server.hits(RECHARGE);
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
        if *unknown && !err.to_string().contains("outcome unknown") {
            failures.push(format!("{name}: the message does not say so: {err}"));
        }
        if elapsed > Duration::from_secs(3) {
            failures.push(format!("{name}: took {elapsed:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn with_credentials_a_failed_recharge_is_still_sent_once() {
    let server = FaultServer::start(Fault::status(599, "")).await.unwrap();
    server.on(LOGIN, [Fault::json(200, login_answer(TOKEN))]);
    server.on(RECHARGE, [Fault::close_after_request()]);
    let client = Client::builder()
        .base_url(server.url(""))
        .credentials(USERNAME, PASSWORD)
        .timeout(TIMEOUT)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let err = client.wallet().recharge(&recharge()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!((server.hits(LOGIN), server.hits(RECHARGE)), (1, 1));
    let sent = &server.requests()[1];
    assert_eq!(sent.header("authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn reads_are_retried_with_backoff_and_give_up_in_bounded_time() {
    let faults = || {
        vec![
            ("503", Fault::status(503, "busy"), 3usize),
            ("502 HTML", Fault::gateway_html(), 3),
            ("timeout", Fault::delay(Duration::from_secs(3)), 3),
            ("reset", Fault::close_after_request(), 3),
            ("truncated", Fault::truncated(200, "{\"code\":1,"), 3),
            // not transient: asked once
            (
                "redirect",
                Fault::redirect(307, "https://elsewhere.example/"),
                1,
            ),
            ("404", Fault::status(404, "<html>no</html>"), 1),
        ]
    };
    for (name, fault, expected) in faults() {
        for path in [USER_BALANCE, ORDER_STATUS] {
            let server = FaultServer::start(fault.clone()).await.unwrap();
            let c = client(&server);
            let started = Instant::now();
            let err = if path == ORDER_STATUS {
                c.pay().order_status("M1").await.unwrap_err()
            } else {
                c.wallet().balance().await.unwrap_err()
            };
            let elapsed = started.elapsed();
            assert_eq!(server.hits(path), expected, "{name} {path}: {err}");
            // a read changed nothing
            assert!(!err.is_outcome_unknown(), "{name} {path}: {err}");
            assert!(
                elapsed < TIMEOUT * 3 + Duration::from_secs(2),
                "{name} {path}: {elapsed:?}"
            );
        }
    }
    // and a read that succeeds after a transient failure returns the data
    let server = FaultServer::start(Fault::status(599, "")).await.unwrap();
    server.on(
        USER_BALANCE,
        [
            Fault::status(503, "busy"),
            Fault::json(200, ok(user_balance())),
        ],
    );
    let b = client(&server).wallet().balance().await.unwrap();
    assert_eq!(b.deposit_money, "200.00".parse().unwrap());
    assert_eq!(server.hits(USER_BALANCE), 2);
}

#[tokio::test]
async fn a_handle_with_options_applies_its_own_deadline() {
    let server = FaultServer::start(Fault::delay(Duration::from_secs(2)))
        .await
        .unwrap();
    let base = Client::builder()
        .base_url(server.url(""))
        .token(TOKEN)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    let quick = base
        .with_options(&walletbridge_core::CallOptions::new().deadline(Duration::from_millis(300)));
    let started = Instant::now();
    let err = quick.wallet().balance().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(err.kind(), walletbridge_core::ErrorKind::Timeout),
        "{err:?}"
    );
    // The original client keeps its own settings.
    assert_eq!(format!("{base:?}"), format!("{quick:?}"));
}
