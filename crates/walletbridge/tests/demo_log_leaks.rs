//! The offline demo, run with every log line on (TRACE), prints no key
//! material and no API key, neither on stdout nor in its logs.
#![cfg(all(feature = "gsalary", feature = "adapay"))]
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use walletbridge::core::test_util::assert_no_secrets;

/// `cargo test` builds the examples next to the test binaries:
/// target/<profile>/examples/offline_demo.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    path.exists().then_some(path)
}

/// The base64 body of a PEM file, without armour lines.
fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

#[test]
fn the_offline_demo_at_trace_level_leaks_no_secret() {
    let Some(demo) = example("offline_demo") else {
        // Built only when the example's features are on; `cargo test
        // --workspace` turns them on, so this is never skipped in CI.
        panic!("the offline_demo example was not built next to the tests");
    };
    let out = Command::new(demo)
        // Everything at TRACE (the SDK, reqwest, hyper, rustls) except the
        // in-process httpmock server, which plays the provider and logs what
        // it receives, as a provider's own logs would.
        .env("RUST_LOG", "trace,httpmock=off")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The log really is at TRACE: the transport's per-attempt spans are in it.
    assert!(
        text.contains("walletbridge.call"),
        "no call spans in the log"
    );
    let merchant = pem_body(include_str!(
        "../../../tests/fixtures/keys/merchant_pkcs8.pem"
    ));
    let platform = pem_body(include_str!(
        "../../../tests/fixtures/keys/platform_pkcs8.pem"
    ));
    assert_no_secrets(
        "the offline demo's TRACE output",
        &text,
        &[&merchant, &platform, "api_demo_key"],
    );
}
