//! The senior wallet through the real client crate: collect with SMS, then
//! agent pay and refund checked against the collect; recharge and withdraw
//! with their SMS step and the balance rules.

use walletbridge::wallet_senior::collect::{
    AgentPayReceiver, BalancePay, BankCardPay, CreateAgentPay, CreateCollect, CreateRefund,
};
use walletbridge::wallet_senior::models::OrderType;
use walletbridge::wallet_senior::order::OrderQuery;
use walletbridge::wallet_senior::recharge::CreateRecharge;
use walletbridge::wallet_senior::withdraw::CreateWithdrawal;
use walletbridge::wallet_senior::{Fen, NextStep, OrderStatus};

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
        matches!(e.kind(), walletbridge::core::ErrorKind::Validation { .. }),
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

#[tokio::test]
async fn recharge_waits_for_the_sms_code_then_credits_the_wallet() {
    let sb = start().await;
    sb.set_senior_balance(2003, 1_000).expect("set");
    let c = sb.wallet_senior_client().expect("client");
    let sms = sb.identities().senior_sms_code.clone();

    let answer = c
        .recharge()
        .create(&CreateRecharge::new(2003, "card-0001", Fen(25_000)).customer_ip("127.0.0.1"))
        .await
        .expect("recharge");
    assert_eq!(answer.order.status, Some(OrderStatus::InProgress));
    assert_eq!(answer.order.order_type, Some(OrderType::Recharge));
    assert_eq!(answer.order.amount, Some(Fen(25_000)));
    assert_eq!(answer.order.wallet_id, Some(2003));
    assert_eq!(answer.sms_confirm, Some(true));
    let no = answer.order.order_no.clone().expect("order_no");
    assert_eq!(answer.trade_no.as_deref(), Some(no.as_str()));
    let NextStep::SmsCode(challenge) = answer.next_step() else {
        panic!("a recharge asks for the SMS code: {:?}", answer.next_step());
    };
    // Nothing is credited before the code.
    assert_eq!(sb.senior_balance(2003), Some(1_000));
    let q = c.order().query(&OrderQuery::new(&no)).await.expect("query");
    assert_eq!(q.status, Some(OrderStatus::InProgress));
    assert_eq!(q.order_type, Some(OrderType::Recharge));
    assert_eq!(q.amount, Some(Fen(25_000)));
    assert_eq!(q.wallet_id, Some(2003));
    assert_eq!(q.end_time, None);

    // A wrong code credits nothing; the ticket stays open for a resend.
    let bad = c
        .sms()
        .confirm(&challenge.confirm("000000", "127.0.0.1"))
        .await
        .expect_err("wrong code");
    assert_eq!(bad.code(), Some("1009"));
    assert_eq!(sb.senior_balance(2003), Some(1_000));
    c.sms().resend(&challenge.resend()).await.expect("resend");

    c.sms()
        .confirm(&challenge.confirm(&sms, "127.0.0.1"))
        .await
        .expect("confirm");
    assert_eq!(sb.senior_balance(2003), Some(26_000));
    let q = c.order().query(&OrderQuery::new(&no)).await.expect("query");
    assert_eq!(q.status, Some(OrderStatus::Success));
    assert_eq!(q.amount, Some(Fen(25_000)));
    assert!(q.end_time.is_some());
    // The ticket is spent: a second confirmation credits nothing more.
    let again = c
        .sms()
        .confirm(&challenge.confirm(&sms, "127.0.0.1"))
        .await
        .expect_err("spent ticket");
    assert_eq!(again.code(), Some("1010"));
    assert_eq!(sb.senior_balance(2003), Some(26_000));

    // A credit that would overflow the balance is refused, not wrapped.
    let huge = c
        .recharge()
        .create(&CreateRecharge::new(2003, "card-0001", Fen(i64::MAX)))
        .await
        .expect("recharge");
    let NextStep::SmsCode(huge_code) = huge.next_step() else {
        panic!("SMS");
    };
    let e = c
        .sms()
        .confirm(&huge_code.confirm(&sms, "127.0.0.1"))
        .await
        .expect_err("out of range");
    assert_eq!(e.code(), Some("1005"));
    assert_eq!(sb.senior_balance(2003), Some(26_000));

    // A wallet the sandbox does not have.
    let missing = c
        .recharge()
        .create(&CreateRecharge::new(9_999, "card-0001", Fen(1)))
        .await
        .expect_err("no such wallet");
    assert_eq!(missing.code(), Some("1006"));
    sb.shutdown().await;
}

#[tokio::test]
async fn withdraw_debits_on_the_sms_code_and_never_more_than_the_balance() {
    let sb = start().await;
    sb.set_senior_balance(2003, 10_000).expect("set");
    let c = sb.wallet_senior_client().expect("client");
    let sms = sb.identities().senior_sms_code.clone();
    let withdrawal = |amount: i64| {
        CreateWithdrawal::new(
            2003,
            "card-0001",
            Fen(amount),
            "127.0.0.1",
            "https://shop.example.com/withdrawn",
        )
    };

    let answer = c
        .withdraw()
        .create(&withdrawal(4_000))
        .await
        .expect("withdraw");
    assert_eq!(answer.order.status, Some(OrderStatus::InProgress));
    assert_eq!(answer.order.order_type, Some(OrderType::Withdraw));
    assert_eq!(answer.order.amount, Some(Fen(4_000)));
    let no = answer.order.order_no.clone().expect("order_no");
    let NextStep::SmsCode(challenge) = answer.next_step() else {
        panic!(
            "a withdrawal asks for the SMS code: {:?}",
            answer.next_step()
        );
    };
    assert_eq!(sb.senior_balance(2003), Some(10_000), "held until the code");
    let bad = c
        .sms()
        .confirm(&challenge.confirm("000000", "127.0.0.1"))
        .await
        .expect_err("wrong code");
    assert_eq!(bad.code(), Some("1009"));
    assert_eq!(sb.senior_balance(2003), Some(10_000));
    c.sms()
        .confirm(&challenge.confirm(&sms, "127.0.0.1"))
        .await
        .expect("confirm");
    assert_eq!(sb.senior_balance(2003), Some(6_000));
    let q = c.order().query(&OrderQuery::new(&no)).await.expect("query");
    assert_eq!(q.status, Some(OrderStatus::Success));
    assert_eq!(q.order_type, Some(OrderType::Withdraw));
    assert_eq!(q.amount, Some(Fen(4_000)));

    // More than the balance: the provider's error, no order, nothing moved.
    let over = c
        .withdraw()
        .create(&withdrawal(6_001))
        .await
        .expect_err("over the balance");
    assert_eq!(over.code(), Some("1007"));
    assert_eq!(over.message(), Some("余额不足"));
    assert!(!over.is_outcome_unknown() && !over.is_retryable());
    assert_eq!(sb.senior_balance(2003), Some(6_000));

    // The balance is checked again when the code debits it: two withdrawals
    // that each fit, but not together; the second fails and moves nothing.
    let first = c
        .withdraw()
        .create(&withdrawal(4_000))
        .await
        .expect("first");
    let second = c
        .withdraw()
        .create(&withdrawal(4_000))
        .await
        .expect("second");
    let (NextStep::SmsCode(one), NextStep::SmsCode(two)) = (first.next_step(), second.next_step())
    else {
        panic!("both ask for the SMS code");
    };
    c.sms()
        .confirm(&one.confirm(&sms, "127.0.0.1"))
        .await
        .expect("first confirm");
    assert_eq!(sb.senior_balance(2003), Some(2_000));
    let short = c
        .sms()
        .confirm(&two.confirm(&sms, "127.0.0.1"))
        .await
        .expect_err("no longer covered");
    assert_eq!(short.code(), Some("1007"));
    assert_eq!(sb.senior_balance(2003), Some(2_000));
    let q = c
        .order()
        .query(&OrderQuery::new(second.order.order_no.clone().expect("no")))
        .await
        .expect("query");
    assert_eq!(q.status, Some(OrderStatus::InProgress));

    // Exactly the balance empties the wallet.
    let all = c.withdraw().create(&withdrawal(2_000)).await.expect("all");
    let NextStep::SmsCode(last) = all.next_step() else {
        panic!("SMS");
    };
    c.sms()
        .confirm(&last.confirm(&sms, "127.0.0.1"))
        .await
        .expect("confirm all");
    assert_eq!(sb.senior_balance(2003), Some(0));
    sb.shutdown().await;
}
