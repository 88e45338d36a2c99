//! Measures the CPU cost of one whole signed GSalary call with RSA-4096 keys:
//! build, sign, "send" through an in-process transport, verify the signed
//! answer, decode. No network, one thread.
//!
//! ```sh
//! cargo run --release -p walletbridge-gsalary --example sign_cost
//! ```
//!
//! The official GSalary Python SDK spends about 2.6 ms of CPU per signed call
//! on this kind of machine (the figure in the project's issue).
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use walletbridge_core::test_util::MockTransport;
use walletbridge_core::{
    Clock, HashAlgorithm, HttpResponse, RetryPolicy, RsaPrivateKey, RsaSigner, SystemClock,
};
use walletbridge_gsalary::prelude::*;
use walletbridge_gsalary::{Client, signing};

const KEY_4096: &str = include_str!("../../../tests/fixtures/keys/merchant4096_pkcs8.pem");
const PUB_4096: &str = include_str!("../../../tests/fixtures/keys/merchant4096_spki.pem");

/// CPU time of this process (user + system), from /proc; None elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn main() {
    let platform = RsaSigner::new(
        &RsaPrivateKey::parse(KEY_4096).unwrap(),
        HashAlgorithm::Sha256,
    )
    .unwrap();
    let body = r#"{"result":{"result":"S","code":"","message":""},"data":{"currency":"USD","amount":1000.10}}"#;
    // The platform's signature is made once and replayed: that cost is the server's.
    let ts = SystemClock.now_millis();
    let auth = signing::sign(
        &platform,
        "GET",
        "/v1/wallets/balance?currency=USD",
        "bench",
        ts,
        Some(body.as_bytes()),
    )
    .unwrap();
    let transport = Arc::new(MockTransport::with_responder(move |_| {
        Ok(HttpResponse::new(200, body).header("Authorization", auth.clone()))
    }));
    let client = Client::builder()
        .appid("bench")
        .private_key_pem(KEY_4096)
        .platform_public_key_pem(PUB_4096)
        .base_url("https://api-test.gsalary.com")
        .retry_policy(RetryPolicy::none())
        .transport(transport)
        .build()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let n = 300u32;
    rt.block_on(async {
        for _ in 0..20 {
            client.wallet().balance("USD").await.unwrap();
        }
        let cpu0 = cpu_time();
        let t0 = Instant::now();
        for _ in 0..n {
            client.wallet().balance("USD").await.unwrap();
        }
        let wall = t0.elapsed() / n;
        let cpu = cpu_time().zip(cpu0).map(|(a, b)| (a - b) / n);
        println!(
            "signed GSalary call, RSA-4096, {n} calls: {wall:?} wall per call, {cpu:?} CPU per call"
        );
        println!("(official Python SDK: ~2.6 ms CPU per signed call)");
    });

    // Signing alone, per backend.
    let key = RsaPrivateKey::parse(KEY_4096).unwrap();
    let msg = b"GET /v1/wallets/balance?currency=USD\nbench\n1732241600000\n\n";
    for (name, signer) in [
        (
            "default backend",
            RsaSigner::new(&key, HashAlgorithm::Sha256).unwrap(),
        ),
        (
            "pure-Rust rsa",
            RsaSigner::pure_rust(&key, HashAlgorithm::Sha256),
        ),
    ] {
        let runs = 50u32;
        let t0 = Instant::now();
        for _ in 0..runs {
            walletbridge_core::Signer::sign(&signer, msg).unwrap();
        }
        let per = t0.elapsed() / runs;
        println!(
            "RSA-4096 SHA-256 sign, {name} ({}): {per:?} per signature",
            signer.backend_name()
        );
    }
}
