//! Bad input: one-line errors, documented exit codes, no secrets.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn keys(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/keys")
        .join(name)
}

fn wb() -> Command {
    let mut c = Command::cargo_bin("walletbridge").unwrap();
    c.env_clear().env("HOME", "/nonexistent-home");
    c
}

fn one_line() -> impl Predicate<str> {
    predicate::function(|s: &str| s.lines().count() == 1 && s.starts_with("error: "))
}

#[test]
fn missing_configuration_names_the_variable_and_the_flag() {
    wb().args(["gsalary", "balance"])
        .assert()
        .code(2)
        .stderr(one_line())
        .stderr(predicate::str::contains("GSALARY_APPID").and(predicate::str::contains("--appid")));
    wb().args(["gsalary", "balance", "--appid", "x"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("GSALARY_PRIVATE_KEY")
                .and(predicate::str::contains("--private-key")),
        );
    wb().args(["adapay", "balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ADAPAY_API_KEY"));
    wb().args(["merchant-wallet", "balance"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("MERCHANT_WALLET_BASE_URL")
                .and(predicate::str::contains("--base-url")),
        );
    wb().args(["wallet-senior", "order", "o1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("WALLET_SENIOR_BASE_URL"));
}

#[test]
fn malformed_key_files_are_named_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.pem");
    std::fs::write(
        &bad,
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXRleHQ=\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    wb().args([
        "gsalary",
        "sign",
        "--appid",
        "a",
        "--method",
        "GET",
        "--path",
        "/v1/x",
        "--private-key",
    ])
    .arg(&bad)
    .assert()
    .code(2)
    .stderr(one_line())
    .stderr(predicate::str::contains("--private-key").and(predicate::str::contains("malformed")))
    .stderr(predicate::str::contains("c2VjcmV0").not());
    wb().args([
        "gsalary",
        "sign",
        "--appid",
        "a",
        "--method",
        "GET",
        "--path",
        "/v1/x",
        "--private-key",
        "/no/such/key.pem",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("/no/such/key.pem"));
    // A key file handed over an environment variable.
    wb().env("GSALARY_APPID", "a")
        .env("GSALARY_PRIVATE_KEY", &bad)
        .args(["gsalary", "balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("GSALARY_PRIVATE_KEY is malformed"));
}

#[test]
fn invalid_amounts_are_refused_before_anything_is_sent() {
    for amount in ["0.101", "abc", "1e3", ""] {
        wb().args(["adapay", "draw-cash", "--amount", amount])
            .assert()
            .code(2)
            .stderr(one_line())
            .stderr(predicate::str::contains("invalid amount for --amount"));
    }
    wb().args([
        "merchant-wallet",
        "recharge",
        "--channel-id",
        "1",
        "--amount",
        "12.345",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("invalid amount"));
}

#[test]
fn unknown_operations_and_bad_flags_are_usage_errors() {
    wb().args(["gsalary", "frobnicate"])
        .assert()
        .code(2)
        .stderr(one_line())
        .stderr(predicate::str::contains("frobnicate"));
    wb().args(["paypal", "balance"])
        .assert()
        .code(2)
        .stderr(one_line());
    wb().args(["gsalary", "sign", "--appid", "a"])
        .assert()
        .code(2)
        .stderr(one_line());
    wb().args([
        "gsalary",
        "sign",
        "--appid",
        "a",
        "--method",
        "FETCH",
        "--path",
        "/v1/x",
        "--private-key",
    ])
    .arg(keys("merchant_pkcs8.pem"))
    .assert()
    .code(2)
    .stderr(predicate::str::contains("--method"));
    wb().args([
        "gsalary",
        "sign",
        "--appid",
        "a",
        "--method",
        "GET",
        "--path",
        "v1/x",
        "--private-key",
    ])
    .arg(keys("merchant_pkcs8.pem"))
    .assert()
    .code(2)
    .stderr(predicate::str::contains("--path"));
}

#[test]
fn profiles_name_their_file_and_section() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "[profiles.dev.gsalary]\nappid = \"from-profile\"\n").unwrap();
    wb().args(["--profile", "prod", "--config"])
        .arg(&file)
        .args(["gsalary", "balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no profile `prod`").and(predicate::str::contains("dev")));
    wb().args(["--profile", "dev", "--config"])
        .arg(&file)
        .args(["gsalary", "balance"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("GSALARY_PRIVATE_KEY")
                .and(predicate::str::contains("[profiles.dev.gsalary]")),
        );
    wb().args(["--profile", "dev", "gsalary", "balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config file"));
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    let cmds: &[&[&str]] = &[
        &[],
        &["demo"],
        &["sandbox"],
        &["completions"],
        &["gsalary", "sign"],
        &["gsalary", "verify"],
        &["gsalary", "keygen"],
        &["gsalary", "get"],
        &["gsalary", "post"],
        &["gsalary", "balance"],
        &["gsalary", "cards"],
        &["gsalary", "remittance-orders"],
        &["adapay", "sign"],
        &["adapay", "verify"],
        &["adapay", "get"],
        &["adapay", "draw-cash"],
        &["adapay", "cash-status"],
        &["wallet-senior", "order"],
        &["merchant-wallet", "recharge"],
        &["merchant-wallet", "order-status"],
        &["trigger", "gsalary"],
        &["trigger", "adapay"],
    ];
    for c in cmds {
        wb().args(*c)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
    wb().args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("walletbridge"));
}
