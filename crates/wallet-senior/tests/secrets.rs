//! Secrets never show: the access token, the sandbox secret, SMS codes,
//! tickets, payment codes and card numbers stay out of every Debug and of
//! the errors a refused or failed call produces.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use walletbridge_core::test_util::assert_no_secrets;
use walletbridge_wallet_senior::collect::{BankCardPay, CodePay, CreateCollect};
use walletbridge_wallet_senior::models::SmsChallenge;
use walletbridge_wallet_senior::order::OrderQuery;
use walletbridge_wallet_senior::sms::ConfirmSms;
use walletbridge_wallet_senior::{Fen, SandboxHmacSigner};

const CODE: &str = "987654";
const TICKET: &str = "ticket-7f3a9c2e51d04b8e";
const AUTHCODE: &str = "134567890123456789";
const CARD: &str = "6222020200112233445";

fn secrets() -> [&'static str; 6] {
    [TOKEN, SECRET, CODE, TICKET, AUTHCODE, CARD]
}

#[tokio::test]
async fn no_debug_or_error_shows_a_secret() {
    let builder = builder("https://wallet.example.com");
    assert_no_secrets("ClientBuilder", &format!("{builder:?}"), &secrets());
    let transport = answering(401, r#"{"code":4001,"msg":"token expired"}"#.into());
    let client = client_with(transport.clone());
    assert_no_secrets("Client", &format!("{client:?}"), &secrets());
    assert_no_secrets(
        "SandboxHmacSigner",
        &format!("{:?}", SandboxHmacSigner::new(SECRET)),
        &secrets(),
    );
    let challenge = SmsChallenge::new(TICKET);
    let confirm = challenge.confirm(CODE, "10.0.0.1");
    assert_no_secrets(
        "ConfirmSms",
        &format!("{confirm:?} {challenge:?}"),
        &secrets(),
    );
    let collect =
        CreateCollect::new(1, "b", Fen(2), CodePay::new(Fen(1), AUTHCODE)).receiver(2, Fen(2));
    assert_no_secrets("CreateCollect", &format!("{collect:?}"), &secrets());
    let card = BankCardPay::new(CARD, Fen(1));
    assert_no_secrets("BankCardPay", &format!("{card:?}"), &secrets());

    // errors of refused, failed and invalid calls
    let mut errors = Vec::new();
    errors.push(client.sms().confirm(&confirm).await.unwrap_err());
    errors.push(
        client
            .order()
            .query(&OrderQuery::new("W1"))
            .await
            .unwrap_err(),
    );
    let broken = client_with(answering(200, "<html>".into()));
    errors.push(broken.collect().create(&collect).await.unwrap_err());
    errors.push(
        client
            .sms()
            .confirm(&ConfirmSms::new(TICKET, CODE, "not an ip"))
            .await
            .unwrap_err(),
    );
    for e in &errors {
        assert_no_secrets("error", &format!("{e} {e:?}"), &secrets());
    }
    assert_eq!(transport.requests().len(), 2);
}
