//! The SDK against signatures made by openssl (tests/fixtures/signatures).
#![allow(clippy::unwrap_used)]
mod common;

use std::str::FromStr;

use common::*;
use rust_decimal::Decimal;
use walletbridge_adapay::signing;
use walletbridge_adapay::wallet::{BalanceQuery, CashType, DrawCash};
use walletbridge_core::{HashAlgorithm, RsaPublicKey, RsaVerifier};

const POST_INPUT: &str = fixture!("signatures/post_draw_cash.txt");
const POST_SIG: &str = fixture!("signatures/post_draw_cash.sig");
const GET_INPUT: &str = fixture!("signatures/get_balance.txt");
const GET_SIG: &str = fixture!("signatures/get_balance.sig");
const ANSWER_DATA: &str = fixture!("signatures/answer_balance_data.txt");
const ANSWER_SIG: &str = fixture!("signatures/answer_balance_data.sig");

#[test]
fn the_sdk_signs_what_openssl_signs() {
    let s = signer(MERCHANT_KEY);
    assert_eq!(
        signing::sign(&s, POST_INPUT.as_bytes()).unwrap(),
        POST_SIG.trim()
    );
    assert_eq!(
        signing::sign(&s, GET_INPUT.as_bytes()).unwrap(),
        GET_SIG.trim()
    );
}

#[tokio::test]
async fn a_draw_cash_request_is_signed_exactly_like_the_openssl_vector() {
    let order = DrawCash::new(
        "cash_20240101_0001",
        CashType::T1,
        Decimal::from_str("0.10").unwrap(),
        "0",
    )
    .notify_url("https://shop.example/adapay/notify");
    let (_, req, _) = capture(cash_data("pending"), |c| async move {
        c.wallet().draw_cash(&order).await
    })
    .await;
    let signed = signing::post_signing_string(&req.url, req.body.as_ref().unwrap());
    assert_eq!(String::from_utf8(signed).unwrap(), POST_INPUT);
    assert_eq!(req.header_value("Signature"), Some(POST_SIG.trim()));
}

#[tokio::test]
async fn a_balance_request_is_signed_exactly_like_the_openssl_vector() {
    let q = BalanceQuery::member("member_1", "0035172521665088");
    let (_, req, _) = capture(
        balance_data(),
        |c| async move { c.wallet().balance(&q).await },
    )
    .await;
    // the query sent is byte-identical to the parameters signed
    let (url, query) = req.url.split_once('?').unwrap();
    assert_eq!(signing::get_signing_string(url, query), GET_INPUT);
    assert_eq!(req.header_value("Signature"), Some(GET_SIG.trim()));
}

#[test]
fn the_sdk_accepts_openssl_signatures() {
    let merchant = RsaVerifier::new(
        RsaPublicKey::parse(MERCHANT_PUBLIC).unwrap(),
        HashAlgorithm::Sha1,
    );
    signing::verify(&merchant, POST_INPUT.as_bytes(), Some(POST_SIG)).unwrap();
    signing::verify(&merchant, GET_INPUT.as_bytes(), Some(GET_SIG)).unwrap();
    let platform = RsaVerifier::new(
        RsaPublicKey::parse(PLATFORM_PUBLIC).unwrap(),
        HashAlgorithm::Sha1,
    );
    signing::verify(&platform, ANSWER_DATA.as_bytes(), Some(ANSWER_SIG)).unwrap();
    // one byte changed no longer verifies
    let changed = ANSWER_DATA.replace("90.00", "90.01");
    assert!(signing::verify(&platform, changed.as_bytes(), Some(ANSWER_SIG)).is_err());
}

#[tokio::test]
async fn an_answer_signed_by_openssl_is_accepted_end_to_end() {
    use walletbridge_core::HttpResponse;
    use walletbridge_core::test_util::MockTransport;
    let body = serde_json::json!({"data": ANSWER_DATA, "signature": ANSWER_SIG.trim()}).to_string();
    let transport = std::sync::Arc::new(MockTransport::new());
    transport.push(HttpResponse::new(200, body));
    let client = client_with(transport);
    let bal = client
        .wallet()
        .balance(&BalanceQuery::merchant())
        .await
        .unwrap();
    assert_eq!(bal.avl_balance, Some(Decimal::from_str("90.00").unwrap()));
}
