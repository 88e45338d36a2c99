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
