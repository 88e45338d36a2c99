//! `walletbridge demo` with every log line on (TRACE) prints no key
//! material, API key, token, signing secret or password.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use walletbridge_core::test_util::assert_no_secrets;

fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

#[test]
fn the_demo_at_trace_level_leaks_no_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_walletbridge"))
        .arg("demo")
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "demo failed:\n{text}");
    // The log really is at TRACE: the executor's per-attempt spans are there.
    assert!(
        text.contains("walletbridge.call"),
        "no call spans in the log"
    );
    // The in-memory sandbox's private keys (crates/sandbox/tests/fixtures/keys).
    let keys = [
        pem_body(include_str!(
            "../../sandbox/tests/fixtures/keys/gsalary-platform-private.pem"
        )),
        pem_body(include_str!(
            "../../sandbox/tests/fixtures/keys/gsalary-merchant-private.pem"
        )),
        pem_body(include_str!(
            "../../sandbox/tests/fixtures/keys/adapay-platform-private.pem"
        )),
        pem_body(include_str!(
            "../../sandbox/tests/fixtures/keys/adapay-merchant-private.pem"
        )),
    ];
    assert_no_secrets(
        "`walletbridge demo` at TRACE",
        &text,
        &[
            &keys[0],
            &keys[1],
            &keys[2],
            &keys[3],
            // The sandbox's default identities (sandbox::Identities).
            "sandbox_api_key",
            "sandbox-access-token",
            "sandbox-sign-secret",
            "sandbox-password",
        ],
    );
}
