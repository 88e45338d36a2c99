//! The senior wallet through the real client crate: collect with SMS, then
//! agent pay and refund checked against the collect.

use walletbridge_wallet_senior::collect::{
    AgentPayReceiver, BalancePay, BankCardPay, CreateAgentPay, CreateCollect, CreateRefund,
};
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::{Fen, NextStep, OrderStatus};

use crate::common::start;

#[tokio::test]
async fn collect_with_sms_then_agent_pay_and_refund() {
    let sb = start().await;
    let c = sb.wallet_senior_client().expect("client");
    let sms = sb.identities().senior_sms_code.clone();

    // amount must be fee + receivers.
    let wrong = CreateCollect::new(
        1001,
        "biz-bad",
        Fen(10_000),
        BankCardPay::new("6222020000000000000", Fen(10_000)),
    )
    .receiver(2001, Fen(9_000))
    .fee(Fen(500));
    // The client refuses it before sending; the sandbox's own check is in
    // protocol::senior_and_merchant_refuse_bad_credentials.
    let e = c
        .collect()
        .create(&wrong)
        .await
        .expect_err("amount mismatch");
    assert!(
        matches!(e.kind(), walletbridge_core::ErrorKind::Validation { .. }),
        "{e}"
    );

    let req = CreateCollect::new(
        1001,
        "biz-collect-1",
        Fen(10_000),
        BankCardPay::new("6222020000000000000", Fen(10_000)),
    )
    .receiver(2001, Fen(6_000))
    .receiver(2002, Fen(3_000))
    .fee(Fen(1_000));
    let answer = c.collect().create(&req).await.expect("collect");
    assert_eq!(answer.order.status, Some(OrderStatus::InProgress));
    let NextStep::SmsCode(challenge) = answer.next_step() else {
        panic!(
            "a bank card collect asks for the SMS code: {:?}",
            answer.next_step()
        );
    };
    let collect_no = answer.order.order_no.clone().expect("order_no");
    c.sms().resend(&challenge.resend()).await.expect("resend");
    let bad = c
        .sms()
        .confirm(&challenge.confirm("000000", "127.0.0.1"))
        .await
        .expect_err("wrong code");
    assert_eq!(bad.code(), Some("1009"));
    // Agent pay before the collect succeeded: refused.
    let early = c
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "biz-ap-0",
            &collect_no,
            AgentPayReceiver::new(2001, Fen(1_000)),
        ))
        .await
        .expect_err("not paid yet");
    assert_eq!(early.code(), Some("1010"));
    c.sms()
        .confirm(&challenge.confirm(&sms, "127.0.0.1"))
        .await
        .expect("confirm");
    let q = c
        .order()
        .query(&OrderQuery::new(&collect_no))
        .await
        .expect("query");
    assert_eq!(q.status, Some(OrderStatus::Success));

    let ap = c
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "biz-ap-1",
            &collect_no,
            AgentPayReceiver::new(2001, Fen(4_000)).fee_amount(Fen(100)),
        ))
        .await
        .expect("agent pay");
    assert_eq!(
        ap.order.as_ref().and_then(|o| o.status),
        Some(OrderStatus::Success)
    );
    assert_eq!(sb.senior_balance(2001), Some(3_900));
    // More than remains for the receiver, a stranger, a reused biz_no.
    let over = c
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "biz-ap-2",
            &collect_no,
            AgentPayReceiver::new(2001, Fen(2_001)),
        ))
        .await
        .expect_err("over");
    assert_eq!(over.code(), Some("1005"));
    let stranger = c
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "biz-ap-3",
            &collect_no,
            AgentPayReceiver::new(2003, Fen(1)),
        ))
        .await
        .expect_err("not a receiver");
    assert_eq!(stranger.code(), Some("1005"));
    let dup = c
        .collect()
        .agent_pay(&CreateAgentPay::new(
            "biz-ap-1",
            &collect_no,
            AgentPayReceiver::new(2001, Fen(1)),
        ))
        .await
        .expect_err("dup");
    assert_eq!(dup.code(), Some("1008"));

    // Refund what remains for 2001 and part of 2002; more is refused.
    let refund = c
        .collect()
        .refund(
            &CreateRefund::new("biz-rf-1", &collect_no)
                .line(2001, Fen(2_000))
                .line(2002, Fen(1_000)),
        )
        .await
        .expect("refund");
    assert_eq!(refund.status, Some(OrderStatus::Success));
    assert_eq!(refund.amount, Some(Fen(3_000)));
    let over = c
        .collect()
        .refund(&CreateRefund::new("biz-rf-2", &collect_no).line(2001, Fen(1)))
        .await
        .expect_err("nothing left");
    assert_eq!(over.code(), Some("1005"));
    let rq = c
        .order()
        .query(&OrderQuery::new(refund.order_no.clone().expect("no")))
        .await
        .expect("query refund");
    assert_eq!(rq.status, Some(OrderStatus::Success));
    sb.shutdown().await;
}

#[tokio::test]
async fn balance_collect_needs_no_sms_and_checks_the_balance() {
    let sb = start().await;
    sb.set_senior_balance(1001, 5_000).expect("set");
    let c = sb.wallet_senior_client().expect("client");
    let req = CreateCollect::new(1001, "biz-bal-1", Fen(5_000), BalancePay::new(Fen(5_000)))
        .receiver(2001, Fen(5_000));
    let a = c.collect().create(&req).await.expect("collect");
    assert_eq!(a.order.status, Some(OrderStatus::Success));
    assert!(!matches!(a.next_step(), NextStep::SmsCode(_)));
    assert_eq!(sb.senior_balance(1001), Some(0));
    let again = CreateCollect::new(1001, "biz-bal-2", Fen(1), BalancePay::new(Fen(1)))
        .receiver(2001, Fen(1));
    let e = c.collect().create(&again).await.expect_err("insufficient");
    assert_eq!(e.code(), Some("1007"));
    // A balance collect refunds to the payer's wallet.
    let no = a.order.order_no.clone().expect("no");
    c.collect()
        .refund(&CreateRefund::new("biz-bal-rf", &no).line(2001, Fen(5_000)))
        .await
        .expect("refund");
    assert_eq!(sb.senior_balance(1001), Some(5_000));
    sb.shutdown().await;
}
