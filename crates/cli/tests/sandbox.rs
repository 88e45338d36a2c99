//! The binary against a running sandbox: demo, calls in text and JSON,
//! the sandbox command, and trigger.

#![allow(clippy::unwrap_used, missing_docs)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use walletbridge_sandbox::{Sandbox, SandboxConfig};

fn wb(env: &[(String, String)]) -> Command {
    let mut c = Command::cargo_bin("walletbridge").unwrap();
    c.env_clear().env("HOME", "/nonexistent-home");
    for (k, v) in env {
        c.env(k, v);
    }
    c.timeout(Duration::from_secs(60));
    c
}

/// Runs a blocking assertion off the async runtime that serves the sandbox.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[test]
fn demo_passes_with_a_line_per_step() {
    let out = wb(&[])
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("demo passed"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for needle in [
        "gsalary         cards.freeze",
        "gsalary         remittance.submit_order",
        "adapay          wallet.draw_cash",
        "wallet-senior   sms.confirm",
        "wallet-senior   collect.refund",
        "merchant-wallet wallet.recharge",
        "merchant-wallet pay.order_status",
    ] {
        assert!(text.contains(needle), "{needle} in\n{text}");
    }
    assert!(!text.contains("FAIL"), "{text}");
    // No secret of the sandbox shows.
    for secret in [
        "sandbox_api_key",
        "sandbox-password",
        "sandbox-access-token",
        "PRIVATE KEY",
    ] {
        assert!(!text.contains(secret), "{secret}");
    }
}

#[test]
fn demo_only_runs_one_provider_and_refuses_unknown_ones() {
    wb(&[])
        .args(["demo", "--only", "adapay"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("ok  adapay")
                .and(predicate::str::contains("ok  gsalary").not()),
        );
    wb(&[]).args(["demo", "--only", "paypal"]).assert().code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_print_the_expected_fields_in_text_and_json() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let env = sb.env_vars();
    blocking(move || {
        wb(&env)
            .args(["gsalary", "balance", "--currency", "USD"])
            .assert()
            .success()
            .stdout(predicate::str::contains("currency").and(predicate::str::contains("USD")))
            .stdout(predicate::str::contains("available"));
        let out = wb(&env)
            .args(["--json", "gsalary", "balance"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["currency"], "USD");
        assert!(v["amount"].as_str().unwrap().parse::<f32>().is_ok(), "{v}");
        // Raw signed call: the verified `data`.
        let out = wb(&env)
            .args(["gsalary", "get", "/v1/wallets/balance?currency=USD"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["currency"], "USD");
        let out = wb(&env)
            .args(["--json", "adapay", "balance"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["status"], "succeeded");
        assert!(v["avl_balance"].is_string());
        wb(&env)
            .args([
                "adapay",
                "draw-cash",
                "--amount",
                "1.50",
                "--order-no",
                "cli_t_1",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("cli_t_1").and(predicate::str::contains("1.50")));
        let out = wb(&env)
            .args(["--json", "adapay", "cash-status", "cli_t_1"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["order_no"], "cli_t_1");
        assert_eq!(v["cash_amt"], "1.50");
        let out = wb(&env)
            .args([
                "adapay",
                "get",
                "/v1/settle_accounts/balance",
                "--param",
                "member_id=0",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["object"], "account_balance");
        wb(&env)
            .args(["merchant-wallet", "channels"])
            .assert()
            .success()
            .stdout(predicate::str::contains("fee_rate"));
        let out = wb(&env)
            .args([
                "--json",
                "merchant-wallet",
                "recharge",
                "--amount",
                "20.00",
                "--channel-id",
                "1",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let trade_no = v["trade_no"].as_str().unwrap().to_owned();
        wb(&env)
            .args(["merchant-wallet", "order-status", &trade_no])
            .assert()
            .success()
            .stdout(predicate::str::contains("unpaid"));
        // Provider errors exit 1 with one line.
        wb(&env)
            .args(["gsalary", "card", "card_nope"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("NOT_FOUND"));
        wb(&env)
            .args(["wallet-senior", "order", "nope"])
            .assert()
            .code(1);
    })
    .await;
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_signed_by_another_key_are_not_shown() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut env = sb.env_vars();
    let other =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/keys/other_spki.pem");
    for (k, v) in env.iter_mut() {
        if k == "GSALARY_PLATFORM_PUBLIC_KEY" || k == "ADAPAY_PLATFORM_PUBLIC_KEY" {
            *v = other.display().to_string();
        }
    }
    blocking(move || {
        for args in [
            &["gsalary", "balance"][..],
            &["gsalary", "get", "/v1/wallets/balance?currency=USD"],
            &["adapay", "balance"],
            &[
                "adapay",
                "get",
                "/v1/settle_accounts/balance",
                "--param",
                "member_id=0",
            ],
        ] {
            wb(&env)
                .args(args)
                .assert()
                .code(1)
                .stdout("")
                .stderr(predicate::str::contains("signature"));
        }
    })
    .await;
    sb.shutdown().await;
}

#[test]
fn sandbox_writes_its_ready_file_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let ready = dir.path().join("urls.json");
    let state = dir.path().join("state");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("walletbridge"))
        .args(["sandbox", "--print-env", "--ready-file"])
        .arg(&ready)
        .arg("--state-dir")
        .arg(&state)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "no ready file");
        std::thread::sleep(Duration::from_millis(50));
    }
    let urls: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ready).unwrap()).unwrap();
    for k in [
        "gsalary",
        "adapay",
        "adapay_page",
        "wallet_senior",
        "merchant_wallet",
    ] {
        assert!(
            urls[k].as_str().unwrap().starts_with("http://127.0.0.1:"),
            "{k}"
        );
    }
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("export GSALARY_APPID="), "{first}");
    let _ = child.kill();
    let _ = child.wait();
    assert!(state.join("gsalary-platform-private.pem").is_file());
    wb(&[])
        .args(["sandbox", "--listen", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--listen"));
}

/// Headers (lower-case names) and body of a received request.
type Received = (Vec<(String, String)>, Vec<u8>);

/// A one-shot HTTP server: answers 200 and hands back the request.
fn one_shot() -> (String, std::thread::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/in", listener.local_addr().unwrap());
    let h = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut r = BufReader::new(stream.try_clone().unwrap());
        let mut headers = Vec::new();
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        let mut s = stream;
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .unwrap();
        (headers, body)
    });
    (url, h)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trigger_sends_webhooks_the_libraries_accept() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_path_buf();
    Sandbox::start(SandboxConfig::default().state_dir(&state))
        .await
        .unwrap()
        .shutdown()
        .await;
    let st = state.clone();
    let (headers, body) = blocking(move || {
        let (url, server) = one_shot();
        wb(&[])
            .args([
                "trigger",
                "gsalary",
                "REMITTANCE_COMPLETE",
                "--forward-to",
                &url,
                "--state-dir",
            ])
            .arg(&st)
            .assert()
            .success()
            .stdout(predicate::str::contains("HTTP 200"));
        server.join().unwrap()
    })
    .await;
    let public = std::fs::read_to_string(state.join("gsalary-platform-public.pem")).unwrap();
    let verifier = walletbridge::gsalary::webhooks::WebhookVerifier::from_pem(
        "sandbox-gsalary-appid",
        &public,
    )
    .unwrap();
    let event = verifier.verify(
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &body,
        "/hooks/in",
    );
    assert!(event.is_ok(), "{:?}", event.err());
    assert_eq!(event.unwrap().business_type(), "REMITTANCE_COMPLETE");

    let st = state.clone();
    let (_, body) = blocking(move || {
        let (url, server) = one_shot();
        wb(&[])
            .args([
                "trigger",
                "adapay",
                "cash.failed",
                "--forward-to",
                &url,
                "--state-dir",
            ])
            .arg(&st)
            .assert()
            .success();
        server.join().unwrap()
    })
    .await;
    let public =
        walletbridge::core::RsaPublicKey::from_file(state.join("adapay-platform-public.pem"))
            .unwrap();
    let n = walletbridge::adapay::webhooks::NotificationVerifier::new(public, "app_sandbox")
        .verify(&body);
    assert!(n.is_ok(), "{:?}", n.err());
    wb(&[])
        .args([
            "trigger",
            "adapay",
            "cash.succeeded",
            "--forward-to",
            "http://127.0.0.1:9/x",
            "--state-dir",
            "/no/such/dir",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("adapay-platform-private.pem"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_configures_the_calls_with_keys_relative_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let sb = Sandbox::start(SandboxConfig::default().state_dir(&state))
        .await
        .unwrap();
    let url = sb.urls().gsalary.clone();
    let adapay = sb.urls().adapay.clone();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.local.gsalary]\nappid = \"sandbox-gsalary-appid\"\nprivate_key = \"state/gsalary-merchant-private.pem\"\n\
             platform_public_key = \"state/gsalary-platform-public.pem\"\nbase_url = \"{url}\"\n\n\
             [profiles.local.adapay]\napp_id = \"app_sandbox\"\nprivate_key = \"state/adapay-merchant-private.pem\"\n\
             platform_public_key = \"state/adapay-platform-public.pem\"\nbase_url = \"{adapay}\"\n"
        ),
    )
    .unwrap();
    blocking(move || {
        wb(&[])
            .args(["--profile", "local", "--config"])
            .arg(&config)
            .args(["--json", "gsalary", "balance"])
            .assert()
            .success()
            .stdout(predicate::str::contains("\"currency\": \"USD\""));
        // A flag overrides the profile.
        wb(&[])
            .args(["--profile", "local", "--config"])
            .arg(&config)
            .args(["gsalary", "balance", "--appid", "someone-else"])
            .assert()
            .code(1);
        // The API key is a secret: named, never echoed.
        wb(&[])
            .args(["--profile", "local", "--config"])
            .arg(&config)
            .args(["adapay", "balance"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("ADAPAY_API_KEY")
                    .and(predicate::str::contains("[profiles.local.adapay]")),
            );
    })
    .await;
    sb.shutdown().await;
}
