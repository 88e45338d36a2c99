//! The fault matrix: every call that moves money (collect, agent pay,
//! refund, recharge, withdraw, SMS confirm) and the SMS resend, against a
//! local server that redirects, fails, stalls, resets, truncates or answers
//! HTML. Each request is sent exactly once, even by a client whose retry
//! policy would repeat anything, and each error says correctly whether it is
//! transient and whether the outcome is unknown. The order query is a read:
//! retried with backoff, and it gives up in bounded time.
#![allow(clippy::unwrap_used)]
mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use walletbridge_core::Result;
use walletbridge_core::test_util::{Fault, FaultServer};
use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, BalancePay, CreateAgentPay, CreateCollect, CreateRefund,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::recharge::CreateRecharge;
use walletbridge_wallet_senior::sms::{ConfirmSms, ResendSms};
use walletbridge_wallet_senior::withdraw::CreateWithdrawal;
use walletbridge_wallet_senior::{Client, Fen, unknown_outcome_advice};

const TIMEOUT: Duration = Duration::from_millis(400);

/// A client on `server` that would retry anything three times.
fn client(server: &FaultServer) -> Client {
    builder(&server.url(""))
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Call {
    Collect,
    AgentPay,
    Refund,
    Recharge,
    Withdraw,
    SmsConfirm,
    SmsRetry,
}

impl Call {
    const ALL: [Call; 7] = [
        Call::Collect,
        Call::AgentPay,
        Call::Refund,
        Call::Recharge,
        Call::Withdraw,
        Call::SmsConfirm,
        Call::SmsRetry,
    ];

    fn path(self) -> &'static str {
        match self {
            Call::Collect => COLLECT_SYNC,
            Call::AgentPay => AGENT_PAY,
            Call::Refund => REFUND,
            Call::Recharge => RECHARGE,
            Call::Withdraw => WITHDRAW,
            Call::SmsConfirm => SMS_CONFIRM,
            Call::SmsRetry => SMS_RETRY,
        }
    }

    /// Whether a successful answer carries `data` (the SMS calls are only acknowledged).
    fn has_data(self) -> bool {
        !matches!(self, Call::SmsConfirm | Call::SmsRetry)
    }

    async fn run(self, c: &Client) -> Result<()> {
        match self {
            Call::Collect => {
                let r = CreateCollect::new(1001, "biz-1", Fen(100), BalancePay::new(Fen(100)))
                    .receiver(2001, Fen(100));
                c.collect().create(&r).await.map(drop)
            }
            Call::AgentPay => {
                let r = CreateAgentPay::new("biz-1", "W1", AgentPayReceiver::new(2001, Fen(100)));
                c.collect().agent_pay(&r).await.map(drop)
            }
            Call::Refund => {
                let r = CreateRefund::new("biz-1", "W1").line(2001, Fen(100));
                c.collect().refund(&r).await.map(drop)
            }
            Call::Recharge => {
                let r = CreateRecharge::new(1001, "CARD-1", Fen(100));
                c.recharge().create(&r).await.map(drop)
            }
            Call::Withdraw => {
                let r = CreateWithdrawal::new(
                    1001,
                    "CARD-1",
                    Fen(100),
                    "10.0.0.1",
                    "https://x.example",
                );
                c.withdraw().create(&r).await.map(drop)
            }
            Call::SmsConfirm => {
                c.sms()
                    .confirm(&ConfirmSms::new("TK-1", "123456", "10.0.0.1"))
                    .await
            }
            Call::SmsRetry => c.sms().resend(&ResendSms::new("TK-1")).await,
        }
    }
}

/// `(name, fault, retryable, outcome unknown)` for `call` on `server`.
fn matrix(server: &FaultServer, call: Call) -> Vec<(&'static str, Fault, bool, bool)> {
    let data = &if call.has_data() {
        ok(order_data("biz-1"))
    } else {
        ack()
    };
    let busy = json!({"code": 5000, "msg": "系统繁忙"}).to_string();
    let refused = json!({"code": 2003, "msg": "余额不足"}).to_string();
    let mut cases = vec![
        (
            "301 redirect",
            Fault::redirect(301, server.url("/elsewhere")),
            false,
            true,
        ),
        (
            "302 redirect away",
            Fault::redirect(302, "https://elsewhere.example/"),
            false,
            true,
        ),
        (
            "307 redirect",
            Fault::redirect(307, server.url("/elsewhere")),
            false,
            true,
        ),
        (
            "308 redirect",
            Fault::redirect(308, server.url("/elsewhere")),
            false,
            true,
        ),
        ("500 empty", Fault::status(500, ""), true, true),
        ("502 HTML", Fault::gateway_html(), true, true),
        ("503 envelope", Fault::json(503, busy), true, true),
        (
            "504 with a success code",
            Fault::json(504, data.to_owned()),
            true,
            true,
        ),
        ("timeout", Fault::delay(Duration::from_secs(3)), true, true),
        ("reset after send", Fault::close_after_request(), true, true),
        (
            "truncated 200",
            Fault::truncated(200, data.to_owned()),
            true,
            true,
        ),
        (
            "200 HTML",
            Fault::status(200, "<html><body>ok?</body></html>"),
            false,
            true,
        ),
        ("200 empty", Fault::status(200, ""), false, true),
        (
            "200 JSON without code",
            Fault::json(200, r#"{"data":{}}"#),
            false,
            true,
        ),
        // the definite answers: a refusal in the envelope, and a 401
        (
            "200 refusal",
            Fault::json(200, refused.clone()),
            false,
            false,
        ),
        ("400 refusal", Fault::json(400, refused), false, false),
        (
            "401",
            Fault::json(401, r#"{"code":4001,"msg":"token"}"#),
            false,
            false,
        ),
    ];
    if call.has_data() {
        // a success code whose data cannot be read: the wallet acted
        let order = json!({"status": "soon"});
        let data = match call {
            Call::AgentPay => json!({"order": order}),
            _ => order,
        };
        let bad = json!({"code": 1001, "data": data}).to_string();
        cases.push(("200 undecodable data", Fault::json(200, bad), false, true));
    }
    cases
}

#[tokio::test]
async fn every_money_moving_call_is_sent_once_and_every_error_says_what_it_is() {
    let mut failures = Vec::new();
    for call in Call::ALL {
        let probe = FaultServer::start(Fault::status(200, "")).await.unwrap();
        let cases = matrix(&probe, call);
        drop(probe);
        for (i, (name, _, retryable, unknown)) in cases.iter().enumerate() {
            let server = FaultServer::start(Fault::status(599, "unscripted"))
                .await
                .unwrap();
            // the fault again, for this server's own address
            let fault = matrix(&server, call).swap_remove(i).1;
            server.on(call.path(), [fault]);
            let started = Instant::now();
            let result = call.run(&client(&server)).await;
            let elapsed = started.elapsed();
            let Err(err) = result else {
                failures.push(format!("{call:?} {name}: accepted as a success"));
                continue;
            };
            let hits = server.hits(call.path());
            if hits != 1 || server.total() != 1 {
                failures.push(format!(
                    "{call:?} {name}: sent {hits} times ({} requests in all)",
                    server.total()
                ));
            }
            if err.is_retryable() != *retryable {
                failures.push(format!(
                    "{call:?} {name}: is_retryable {} for {err}",
                    err.is_retryable()
                ));
            }
            if err.is_outcome_unknown() != *unknown {
                failures.push(format!(
                    "{call:?} {name}: is_outcome_unknown {} for {err}",
                    err.is_outcome_unknown()
                ));
            }
            if *unknown && unknown_outcome_advice(&err).is_none_or(|a| !a.contains("query")) {
                failures.push(format!("{call:?} {name}: no advice for {err}"));
            }
            // The error names the order to look up.
            let names_order = match call {
                Call::Collect | Call::AgentPay | Call::Refund => err.id("biz_no").is_some(),
                Call::Recharge | Call::Withdraw => err.id("wallet_id").is_some(),
                Call::SmsConfirm | Call::SmsRetry => true,
            };
            if !names_order || (err.id("biz_no").is_some() && !err.to_string().contains("biz_no="))
            {
                failures.push(format!("{call:?} {name}: the error names no order: {err}"));
            }
            if elapsed > Duration::from_secs(3) {
                failures.push(format!("{call:?} {name}: took {elapsed:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_order_query_is_retried_with_backoff_and_gives_up_in_bounded_time() {
    let faults = vec![
        ("503", Fault::status(503, "busy"), 3usize),
        (
            "503 envelope",
            Fault::json(503, r#"{"code":5000,"msg":"busy"}"#),
            3,
        ),
        ("502 HTML", Fault::gateway_html(), 3),
        ("timeout", Fault::delay(Duration::from_secs(3)), 3),
        ("reset", Fault::close_after_request(), 3),
        ("truncated", Fault::truncated(200, ok(order_data("b"))), 3),
        // not transient: asked once
        ("200 HTML", Fault::status(200, "<html></html>"), 1),
        (
            "200 refusal",
            Fault::json(200, r#"{"code":4004,"msg":"no order"}"#),
            1,
        ),
        (
            "redirect",
            Fault::redirect(307, "https://elsewhere.example/"),
            1,
        ),
    ];
    for (name, fault, expected) in faults {
        let server = FaultServer::start(fault).await.unwrap();
        let started = Instant::now();
        let err = client(&server)
            .order()
            .query(&OrderQuery::new("W1"))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(server.hits(ORDER_QUERY), expected, "{name}: {err}");
        // a read changed nothing
        assert!(!err.is_outcome_unknown(), "{name}: {err}");
        assert!(unknown_outcome_advice(&err).is_none(), "{name}");
        // three attempts of at most the timeout each, plus short backoffs
        assert!(
            elapsed < TIMEOUT * 3 + Duration::from_secs(2),
            "{name}: {elapsed:?}"
        );
    }
    // a read that succeeds after a transient failure returns the order
    let server = FaultServer::start(Fault::status(599, "")).await.unwrap();
    server.on(
        ORDER_QUERY,
        [
            Fault::status(503, "busy"),
            Fault::json(200, ok(order_data("b"))),
        ],
    );
    let order = client(&server)
        .order()
        .query(&OrderQuery::new("W202401010001"))
        .await
        .unwrap();
    assert_eq!(order.amount, Some(Fen(10_000)));
    assert_eq!(server.hits(ORDER_QUERY), 2);
    // each attempt was signed afresh and verifies
    for r in server.requests() {
        let form = walletbridge_core::form::parse(&r.body);
        assert!(signer().verify(&form));
    }
}
