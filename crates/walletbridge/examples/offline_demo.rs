//! The offline demo: walletbridge against a local mock of GSalary, with real
//! RSA signing both ways and nothing leaving this machine.
//!
//! ```sh
//! cargo run -p walletbridge --example offline_demo --all-features
//! ```
//!
//! The mock listens on 127.0.0.1, answers like GSalary and signs its answers
//! with a throwaway "platform" key (tests/fixtures/keys). The client signs
//! every request with a throwaway "merchant" key and refuses any answer whose
//! signature does not verify, which the last step shows.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use futures_util::TryStreamExt as _;
use httpmock::prelude::*;
use serde_json::json;
use walletbridge::core::{HashAlgorithm, RetryPolicy, RsaPrivateKey, RsaSigner};
use walletbridge::gsalary::wallet::TransactionsQuery;
use walletbridge::gsalary::{Client, signing};
use walletbridge::prelude::*;

const MERCHANT_KEY: &str = include_str!("../../../tests/fixtures/keys/merchant_pkcs8.pem");
const PLATFORM_KEY: &str = include_str!("../../../tests/fixtures/keys/platform_pkcs8.pem");
const PLATFORM_PUBLIC: &str = include_str!("../../../tests/fixtures/keys/platform_spki.pem");
const APPID: &str = "demo_appid";

/// A GSalary-style success answer for `path_and_query`, signed by the platform key.
fn signed_answer(
    path_and_query: &str,
    data: serde_json::Value,
) -> walletbridge::Result<(String, String)> {
    let body =
        json!({"result": {"result": "S", "code": "", "message": ""}, "data": data}).to_string();
    let key = RsaPrivateKey::parse(PLATFORM_KEY)?;
    let signer = RsaSigner::new(&key, HashAlgorithm::Sha256)?;
    let now = walletbridge::core::Clock::now_millis(&walletbridge::core::SystemClock);
    let auth = signing::sign(
        &signer,
        "GET",
        path_and_query,
        APPID,
        now,
        Some(body.as_bytes()),
    )?;
    Ok((auth, body))
}

#[tokio::main]
async fn main() -> walletbridge::Result<()> {
    // RUST_LOG=walletbridge=debug shows one event per call; trace shows every attempt.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let server = MockServer::start_async().await;
    println!("mock GSalary listening on {}", server.base_url());

    let (auth, body) = signed_answer(
        "/v1/wallets/balance?currency=USD",
        json!({"currency": "USD", "amount": 1250.75, "available": 1000.00, "account_type": "BALANCE"}),
    )?;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/wallets/balance")
                .query_param("currency", "USD")
                .header_exists("authorization");
            then.status(200)
                .header("Authorization", auth.as_str())
                .body(body.as_str());
        })
        .await;
    for page in 1..=2u32 {
        let rows: Vec<_> = (0..2)
            .map(|i| json!({"transaction_id": format!("T{page}{i}"), "txn_type": "CARD_PAYMENT", "currency": "USD", "amount": -12.5}))
            .collect();
        let (auth, body) = signed_answer(
            &format!("/v1/wallets/transactions?limit=2&page={page}"),
            json!({"transactions": rows, "page": page, "limit": 2, "total_count": 4, "total_page": 2}),
        )?;
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v1/wallets/transactions")
                    .query_param("page", page.to_string());
                then.status(200)
                    .header("Authorization", auth.as_str())
                    .body(body.as_str());
            })
            .await;
    }

    let client = Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .build()?;

    let started = Instant::now();
    let balance = client.wallet().balance("USD").await?;
    println!(
        "1. wallet balance: {} {} (available {:?}), verified in {:?}",
        balance.amount,
        balance.currency,
        balance.available,
        started.elapsed()
    );

    let txns: Vec<_> = client
        .wallet()
        .transactions_stream(TransactionsQuery::new().limit(2))
        .try_collect()
        .await?;
    println!("2. streamed {} transactions over 2 pages:", txns.len());
    for t in &txns {
        println!("   {:?} {:?} {:?}", t.transaction_id, t.txn_type, t.amount);
    }

    // The same answer with one byte changed must be refused.
    let tampered = MockServer::start_async().await;
    let (auth, body) = signed_answer(
        "/v1/wallets/balance?currency=USD",
        json!({"currency": "USD", "amount": 1.00}),
    )?;
    let forged = body.replace("1.0", "9.0");
    tampered
        .mock_async(|when, then| {
            when.method(GET).path("/v1/wallets/balance");
            then.status(200)
                .header("Authorization", auth.as_str())
                .body(forged.as_str());
        })
        .await;
    let client = Client::builder()
        .appid(APPID)
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(tampered.base_url())
        .retry_policy(RetryPolicy::none())
        .build()?;
    match client.wallet().balance("USD").await {
        Err(e) => println!("3. tampered answer refused: {e}"),
        Ok(b) => {
            println!("3. BUG: a tampered answer was accepted: {b:?}");
            std::process::exit(1);
        }
    }

    #[cfg(feature = "adapay")]
    adapay_demo().await?;
    Ok(())
}

/// Adapay: draw cash against a local mock that answers `{data, signature}`
/// signed SHA1withRSA, then verify a signed notification.
#[cfg(feature = "adapay")]
async fn adapay_demo() -> walletbridge::Result<()> {
    use walletbridge::adapay::wallet::{CashType, DrawCash};
    use walletbridge::adapay::webhooks::{Event, NotificationForm, sign_notification};

    let platform = RsaSigner::new(&RsaPrivateKey::parse(PLATFORM_KEY)?, HashAlgorithm::Sha1)?;
    let cash = json!({"id": "0021110063798536337944576", "object": "cash", "app_id": "app_demo",
        "order_no": "demo_0001", "cash_type": "T1", "cash_amt": "100.05", "fee_amt": "0.00",
        "status": "pending", "created_time": "1732240000", "prod_mode": "false"})
    .to_string();
    let signature = walletbridge::core::encoding::base64_encode(&walletbridge::core::Signer::sign(
        &platform,
        cash.as_bytes(),
    )?);
    let answer = json!({"data": cash, "signature": signature}).to_string();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/cashs")
                .header_exists("signature");
            then.status(200).body(answer.as_str());
        })
        .await;
    let client = walletbridge::adapay::Client::builder()
        .api_key("api_demo_key")
        .app_id("app_demo")
        .private_key_pem(MERCHANT_KEY)
        .platform_public_key_pem(PLATFORM_PUBLIC)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .build()?;
    let amount: walletbridge::Decimal = "100.05"
        .parse()
        .map_err(|_| walletbridge::Error::config("bad amount"))?;
    let order = DrawCash::new("demo_0001", CashType::T1, amount, "0");
    let cash = client.wallet().draw_cash(&order).await?;
    println!(
        "4. adapay draw cash {} yuan: status {:?}, verified",
        amount, cash.status
    );

    let form = NotificationForm {
        id: "0021110063798536337944576".into(),
        event_type: "cash.succeeded".into(),
        app_id: "app_demo".into(),
        object: "cash".into(),
        created_time: "1732240100".into(),
        prod_mode: "false".into(),
        data: json!({"id": "0021110063798536337944576", "object": "cash", "app_id": "app_demo", "order_no": "demo_0001",
            "cash_type": "T1", "cash_amt": "100.05", "real_amt": "100.05", "fee_amt": "0.00", "status": "succeeded"})
        .to_string(),
    };
    let body = sign_notification(&platform, &form)?;
    let note = client.webhooks().verify(body.as_bytes())?;
    if let Event::CashSucceeded(c) = &note.event {
        println!(
            "5. adapay notification verified: cash {:?} succeeded; answer {:?}",
            c.order_no,
            note.ack_body()
        );
    }
    Ok(())
}
