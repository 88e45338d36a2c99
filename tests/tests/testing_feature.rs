//! What the umbrella's `testing` feature gives a user's unit tests without a
//! running sandbox: a mock transport, request rendering, the sandbox's
//! throwaway test keys, and (through the providers' `server` side) answers
//! written and signed as the platform writes and signs them.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use walletbridge::core::{HashAlgorithm, HttpRequest, HttpResponse, RsaPrivateKey, RsaSigner};
use walletbridge::gsalary::wallet::WalletBalance;
use walletbridge::gsalary::{Client, envelope, signing};
use walletbridge::prelude::*;
use walletbridge::sandbox::test_keys;
use walletbridge::test_util::{MockTransport, render_request};
use walletbridge::{Decimal, RetryPolicy};

const APPID: &str = "my-test-appid";

#[tokio::test]
async fn a_unit_test_answers_the_client_as_the_platform_would() {
    // The platform's answer: the crate's own model, envelope and signature.
    let mut balance = WalletBalance::default();
    balance.currency = "USD".into();
    balance.amount = Decimal::new(123_456, 2);
    let body = envelope::encode_success(Some(&balance)).unwrap();
    let platform = RsaSigner::new(
        &RsaPrivateKey::parse(test_keys::GSALARY_PLATFORM_PRIVATE).unwrap(),
        HashAlgorithm::Sha256,
    )
    .unwrap();
    let transport = Arc::new(MockTransport::with_responder(move |req: &HttpRequest| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        Ok(signing::sign_response(
            &platform,
            req,
            APPID,
            i64::try_from(now).unwrap(),
            HttpResponse::new(200, body.clone()),
        )
        .unwrap())
    }));
    let client = Client::builder()
        .appid(APPID)
        .private_key_pem(test_keys::GSALARY_MERCHANT_PRIVATE)
        .platform_public_key_pem(test_keys::GSALARY_PLATFORM_PUBLIC)
        .retry_policy(RetryPolicy::none())
        .transport(transport.clone())
        .build()
        .unwrap();

    let got = client.wallet().balance("USD").await.unwrap();
    assert_eq!(got.amount, Decimal::new(123_456, 2));
    assert_eq!(got.currency, "USD");

    // What went out, as the request snapshots show it.
    let sent = render_request(&transport.last_request().unwrap());
    assert!(
        sent.starts_with("GET /v1/wallets/balance?currency=USD\n"),
        "{sent}"
    );

    // An answer signed with another key is refused.
    let foreign = Client::builder()
        .appid(APPID)
        .private_key_pem(test_keys::GSALARY_MERCHANT_PRIVATE)
        .platform_public_key_pem(test_keys::ADAPAY_PLATFORM_PUBLIC)
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap();
    let e = foreign.wallet().balance("USD").await.unwrap_err();
    assert!(
        matches!(e.kind(), walletbridge::ErrorKind::Signature { .. }),
        "{e}"
    );
}
