//! What a user's own integration test looks like with the umbrella's
//! `testing` feature: start the sandbox in-process, take ready clients, and
//! run real signed calls against it.
#![allow(clippy::unwrap_used)]

use walletbridge::Decimal;
use walletbridge::sandbox::{Sandbox, SandboxConfig};

#[tokio::test]
async fn a_users_test_runs_every_provider_against_the_sandbox() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let clients = sandbox.clients().unwrap();

    // GSalary: a signed read whose signed answer the client verified.
    sandbox
        .set_gsalary_balance("USD", Decimal::new(12_345, 2))
        .unwrap();
    let balance = clients.gsalary.wallet().balance("USD").await.unwrap();
    assert_eq!(balance.amount, Decimal::new(12_345, 2));

    // Merchant wallet: the client logs in on first use; amounts come back exact.
    let mut set = sandbox.merchant_balances().unwrap();
    set.money = Decimal::new(31_500, 3);
    set.deposit_money = Decimal::new(12, 2);
    sandbox.set_merchant_balances(&set).unwrap();
    let got = clients.merchant_wallet.wallet().balance().await.unwrap();
    assert_eq!(got.money, Decimal::new(31_500, 3));
    assert_eq!(got.deposit_money, Decimal::new(12, 2));

    sandbox.shutdown().await;
}

/// A list stream owns what it needs: it can be returned from a function,
/// moved into `tokio::spawn` and iterated there without pinning.
fn all_recharge_orders(
    client: &walletbridge::merchant_wallet::Client,
) -> walletbridge::Items<walletbridge::merchant_wallet::wallet::RechargeOrder> {
    client.wallet().recharge_orders_stream(
        walletbridge::merchant_wallet::wallet::RechargeOrderQuery::new().limit(2),
    )
}

#[tokio::test]
async fn a_list_stream_moves_into_a_spawned_task() {
    use walletbridge::prelude::*;

    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = sandbox.merchant_wallet_client().unwrap();
    let mut made = Vec::new();
    for _ in 0..5 {
        let order =
            walletbridge::merchant_wallet::wallet::RechargeWallet::new(Decimal::new(100, 0), 1);
        made.push(client.wallet().recharge(&order).await.unwrap().trade_no);
    }
    let stream = all_recharge_orders(&client);
    drop(client); // the stream keeps its own handle
    let seen = tokio::spawn(async move {
        let mut stream = stream;
        let mut seen = Vec::new();
        while let Some(order) = stream.try_next().await.unwrap() {
            seen.push(order.trade_no);
        }
        seen
    })
    .await
    .unwrap();
    // Five orders over three pages of two, each once.
    assert_eq!(seen.len(), 5, "{seen:?}");
    for t in &made {
        assert!(seen.contains(t), "{t} missing from {seen:?}");
    }
    sandbox.shutdown().await;
}

/// The up-front platform key checks: the sandbox's own key passes, a
/// foreign key is a signature error before any money moves.
#[tokio::test]
async fn platform_keys_are_checked_up_front() {
    use walletbridge::prelude::*;

    const FOREIGN: &str = include_str!("../fixtures/keys/other_spki.pem");
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let signature_error =
        |e: &walletbridge::Error| matches!(e.kind(), walletbridge::ErrorKind::Signature { .. });

    sandbox
        .gsalary_client()
        .unwrap()
        .check_platform_key()
        .await
        .unwrap();
    let gsalary = walletbridge::gsalary::Client::builder()
        .appid(sandbox.identities().gsalary_appid.clone())
        .base_url(sandbox.urls().gsalary.clone())
        .private_key_pem(sandbox.gsalary_merchant_private_key_pem().unwrap())
        .platform_public_key_pem(FOREIGN)
        .build()
        .unwrap();
    let err = gsalary.check_platform_key().await.unwrap_err();
    assert!(signature_error(&err), "{err:?}");

    sandbox
        .adapay_client()
        .unwrap()
        .check_platform_key()
        .await
        .unwrap();
    let adapay = walletbridge::adapay::Client::builder()
        .api_key(sandbox.identities().adapay_api_key.clone())
        .app_id(sandbox.identities().adapay_app_id.clone())
        .base_url(sandbox.urls().adapay.clone())
        .page_url(sandbox.urls().adapay_page.clone())
        .private_key_pem(sandbox.adapay_merchant_private_key_pem().unwrap())
        .platform_public_key_pem(FOREIGN)
        .build()
        .unwrap();
    let err = adapay.check_platform_key().await.unwrap_err();
    assert!(signature_error(&err), "{err:?}");
    sandbox.shutdown().await;
}
