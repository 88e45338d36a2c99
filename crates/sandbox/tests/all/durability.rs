//! State directory: keys on disk, state that survives a restart and a
//! `kill -9`, and merchant keys a user puts in place.

use std::path::PathBuf;
use std::time::Duration;

use walletbridge_gsalary::card_holders::CreateCardHolder;
use walletbridge_gsalary::models::MobileNumber;
use walletbridge_merchant_wallet::pay::OrderStatus;
use walletbridge_merchant_wallet::wallet::RechargeWallet;
use walletbridge_sandbox::{KEY_FILES, Sandbox};

use crate::common::{config, dec};

fn temp_dir(tag: &str) -> PathBuf {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("t")
        .as_nanos();
    let d = std::env::temp_dir().join(format!("wb-sandbox-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn holder() -> CreateCardHolder {
    CreateCardHolder::builder()
        .first_name("Alan")
        .last_name("Turing")
        .birth("1912-06-23")
        .email("alan@example.com")
        .mobile(MobileNumber::new("1", "2025550100"))
        .region("US")
        .build()
        .expect("valid request")
}

#[tokio::test]
async fn state_and_keys_survive_a_restart() {
    let dir = temp_dir("restart");
    let sb = Sandbox::start(config().state_dir(&dir))
        .await
        .expect("start");
    for f in KEY_FILES {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    let gs = sb.gsalary_client().expect("client");
    let h = gs.card_holders().create(&holder()).await.expect("holder");
    sb.set_gsalary_balance("EUR", dec("12.34")).expect("set");
    let mw = sb.merchant_wallet_client().expect("client");
    let order = mw
        .wallet()
        .recharge(&RechargeWallet::new(dec("10"), 1))
        .await
        .expect("recharge");
    sb.pay_merchant_order(&order.trade_no).expect("pay");
    sb.advance_clock(Duration::from_secs(3600))
        .expect("advance");
    let clock = sb.now_ms();
    let env = sb.env_vars();
    sb.shutdown().await;

    let sb = Sandbox::start(config().state_dir(&dir))
        .await
        .expect("restart");
    assert!(sb.now_ms() >= clock, "the clock offset is kept");
    // The same keys: a client configured from the first run's variables works.
    let lookup = |n: &str| {
        env.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .map(|v| {
                if n.ends_with("_BASE_URL") {
                    sb.urls().gsalary.clone()
                } else {
                    v
                }
            })
    };
    let gs = walletbridge_gsalary::ClientBuilder::from_lookup(lookup)
        .expect("env")
        .build()
        .expect("client");
    assert_eq!(
        gs.card_holders()
            .get(&h.card_holder_id)
            .await
            .expect("holder kept")
            .card_holder_id,
        h.card_holder_id
    );
    assert_eq!(
        gs.wallet().balance("EUR").await.expect("balance").amount,
        dec("12.34")
    );
    let mw = sb.merchant_wallet_client().expect("client");
    assert_eq!(
        mw.pay()
            .order_status(&order.trade_no)
            .await
            .expect("status"),
        OrderStatus::Paid
    );
    assert_eq!(
        mw.wallet().balance().await.expect("balance").deposit_money,
        dec("10")
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_merchant_public_key_put_in_place_is_trusted() {
    let dir = temp_dir("ownkey");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
    std::fs::copy(
        fixtures.join("gsalary-merchant-public.pem"),
        dir.join("gsalary-merchant-public.pem"),
    )
    .expect("copy");
    let sb = Sandbox::start(config().state_dir(&dir))
        .await
        .expect("start");
    assert!(
        !dir.join("gsalary-merchant-private.pem").exists(),
        "the user's key is not replaced"
    );
    assert!(
        sb.env_vars()
            .iter()
            .all(|(k, _)| k != "GSALARY_PRIVATE_KEY")
    );
    use walletbridge_gsalary::prelude::*;
    let own = std::fs::read_to_string(fixtures.join("gsalary-merchant-private.pem")).expect("key");
    let c = walletbridge_gsalary::Client::builder()
        .appid(sb.identities().gsalary_appid.clone())
        .base_url(sb.urls().gsalary.clone())
        .private_key_pem(&own)
        .platform_public_key_pem(sb.gsalary_platform_public_key_pem())
        .build()
        .expect("client");
    c.wallet()
        .balance("USD")
        .await
        .expect("signed with the user's own key");
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

const CHILD_ENV: &str = "WB_SANDBOX_CHILD_DIR";

/// Not a test of its own: the body of the child process of
/// `kill_9_loses_nothing_committed` (it returns at once otherwise).
#[tokio::test]
async fn child_process() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let sb = Sandbox::start(config().state_dir(&dir))
        .await
        .expect("child start");
    let ready = serde_json::to_string(sb.urls()).expect("json");
    std::fs::write(PathBuf::from(&dir).join("ready.json.tmp"), ready).expect("ready");
    std::fs::rename(
        PathBuf::from(&dir).join("ready.json.tmp"),
        PathBuf::from(&dir).join("ready.json"),
    )
    .expect("ready");
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}

#[tokio::test]
async fn kill_9_loses_nothing_committed() {
    let dir = temp_dir("kill9");
    let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args([
            "durability::child_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the child");
    let ready = dir.join("ready.json");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !ready.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the child did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let urls: walletbridge_sandbox::Urls =
        serde_json::from_slice(&std::fs::read(&ready).expect("read")).expect("urls");
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/__sandbox/gsalary/balances", urls.gsalary))
        .json(&serde_json::json!({"currency": "SGD", "amount": "77.70"}))
        .send()
        .await
        .expect("admin");
    assert_eq!(r.status().as_u16(), 200);
    let r = http
        .post(format!("{}/__sandbox/wallet-senior/wallets", urls.gsalary))
        .json(&serde_json::json!({"wallet_id": 4242, "balance": 123}))
        .send()
        .await
        .expect("admin");
    assert_eq!(r.status().as_u16(), 200);
    child.kill().expect("kill -9");
    let _ = child.wait();

    let sb = Sandbox::start(config().state_dir(&dir))
        .await
        .expect("restart after kill");
    assert_eq!(sb.senior_balance(4242), Some(123));
    let gs = sb.gsalary_client().expect("client");
    assert_eq!(
        gs.wallet().balance("SGD").await.expect("balance").amount,
        dec("77.70")
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
