//! Project tasks: `cargo xtask ci | snapshots | coverage | features | doc | fuzz [cases]`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(program: &str, args: &[&str]) -> bool {
    eprintln!("$ {program} {}", args.join(" "));
    match Command::new(program)
        .args(args)
        .current_dir(root())
        .status()
    {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("cannot run {program}: {e}");
            false
        }
    }
}

fn cargo(args: &[&str]) -> bool {
    run(
        &std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        args,
    )
}

/// Builds the umbrella with no provider, each provider alone, and all of them.
fn features() -> bool {
    const PROVIDERS: [&str; 4] = ["gsalary", "adapay", "wallet-senior", "merchant-wallet"];
    let mut sets: Vec<Vec<&str>> =
        vec![vec!["check", "-p", "walletbridge", "--no-default-features"]];
    for p in PROVIDERS {
        // Alone without a transport (the caller brings one), and alone with the default TLS.
        sets.push(vec![
            "check",
            "-p",
            "walletbridge",
            "--no-default-features",
            "--features",
            p,
        ]);
        sets.push(vec!["check", "-p", "walletbridge", "--features", p]);
        // The provider's server side alone: no transport needed.
        let server = match p {
            "gsalary" => "gsalary,server",
            "adapay" => "adapay,server",
            "wallet-senior" => "wallet-senior,server",
            _ => "merchant-wallet,server",
        };
        sets.push(vec![
            "check",
            "-p",
            "walletbridge",
            "--no-default-features",
            "--features",
            server,
        ]);
    }
    sets.push(vec!["check", "-p", "walletbridge", "--features", "full"]);
    // The native TLS build, which needs OpenSSL headers, is checked on its own.
    sets.push(vec![
        "check",
        "-p",
        "walletbridge",
        "--no-default-features",
        "--features",
        "full,native-tls",
    ]);
    sets.iter().all(|args| cargo(args)) && gating()
}

/// What `cargo tree` prints for `args`, or None when it fails.
fn tree(args: &[&str]) -> Option<String> {
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo_bin)
        .arg("tree")
        .args(args)
        .current_dir(root())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Checks that features really gate dependencies: a provider left out is not
/// compiled, a build without a transport has no HTTP stack, and the default
/// TLS brings no OpenSSL.
fn gating() -> bool {
    let mut ok = true;
    let mut expect = |what: &str, args: &[&str], must_contain: &[&str], must_not: &[&str]| {
        let Some(t) = tree(args) else {
            eprintln!("FAIL {what}: cargo tree failed");
            ok = false;
            return;
        };
        let mut good = true;
        for needle in must_contain {
            if !t.contains(needle) {
                eprintln!("FAIL {what}: `{needle}` should be in the tree");
                good = false;
            }
        }
        for needle in must_not {
            if t.contains(needle) {
                eprintln!("FAIL {what}: `{needle}` should not be in the tree");
                good = false;
            }
        }
        if good {
            eprintln!("ok   {what}");
        }
        ok &= good;
    };
    let base = ["-p", "walletbridge", "-e", "normal", "--prefix", "none"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    expect(
        "no features: no provider, no HTTP stack",
        &with(&["--no-default-features"]),
        &["walletbridge-core"],
        &[
            "walletbridge-gsalary",
            "walletbridge-adapay",
            "walletbridge-wallet-senior",
            "walletbridge-merchant-wallet",
            "reqwest ",
            "openssl-sys",
        ],
    );
    expect(
        "gsalary alone",
        &with(&["--features", "gsalary"]),
        &["walletbridge-gsalary", "reqwest ", "rustls ", "aws-lc-rs "],
        &[
            "walletbridge-adapay",
            "walletbridge-wallet-senior",
            "walletbridge-merchant-wallet",
            "openssl-sys",
        ],
    );
    expect(
        "adapay alone",
        &with(&["--features", "adapay"]),
        &["walletbridge-adapay", "reqwest "],
        &[
            "walletbridge-gsalary",
            "walletbridge-wallet-senior",
            "openssl-sys",
        ],
    );
    expect(
        "wallet-senior alone",
        &with(&["--features", "wallet-senior"]),
        &["walletbridge-wallet-senior", "reqwest "],
        &[
            "walletbridge-gsalary",
            "walletbridge-adapay",
            "walletbridge-merchant-wallet",
            "openssl-sys",
        ],
    );
    expect(
        "merchant-wallet alone",
        &with(&["--features", "merchant-wallet"]),
        &["walletbridge-merchant-wallet", "reqwest "],
        &[
            "walletbridge-gsalary",
            "walletbridge-adapay",
            "walletbridge-wallet-senior",
            "openssl-sys",
        ],
    );
    expect(
        "the server side of every provider: no HTTP stack",
        &with(&["--no-default-features", "--features", "full,server"]),
        &[
            "walletbridge-gsalary",
            "walletbridge-adapay",
            "walletbridge-wallet-senior",
            "walletbridge-merchant-wallet",
        ],
        &["reqwest ", "hyper ", "axum ", "openssl-sys"],
    );
    expect(
        "full, default TLS: no OpenSSL",
        &with(&["--features", "full"]),
        &[
            "walletbridge-gsalary",
            "walletbridge-adapay",
            "walletbridge-wallet-senior",
            "walletbridge-merchant-wallet",
            "rustls ",
        ],
        &["openssl-sys", "native-tls "],
    );
    ok
}

fn ci() -> bool {
    cargo(&["fmt", "--all", "--check"])
        && cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])
        && cargo(&["test", "--workspace", "--all-features"])
        && fuzz("20000")
        && features()
        && doc()
}

/// Runs every `fuzz_` property test of the workspace with `cases` inputs each.
///
/// It uses the test profile, so after `cargo test --workspace --all-features`
/// nothing is rebuilt (a release build of the workspace costs far more than
/// the fuzzing itself saves).
fn fuzz(cases: &str) -> bool {
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!(
        "$ WALLETBRIDGE_FUZZ_CASES={cases} cargo test --workspace --all-features --tests fuzz_"
    );
    Command::new(cargo_bin)
        .args(["test", "--workspace", "--all-features", "--tests", "fuzz_"])
        .env("WALLETBRIDGE_FUZZ_CASES", cases)
        .current_dir(root())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn doc() -> bool {
    // rustdoc warnings (broken links, missing docs) are errors, for the child only.
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --all-features");
    Command::new(cargo_bin)
        .args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(root())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let ok = match task.as_str() {
        "ci" => ci(),
        "features" => features(),
        "doc" => doc(),
        "fuzz" => {
            let cases = std::env::args().nth(2).unwrap_or_else(|| "20000".into());
            if cases.parse::<u32>().is_ok() {
                fuzz(&cases)
            } else {
                eprintln!("usage: cargo xtask fuzz [cases]");
                false
            }
        }
        // Review snapshots that tests wrote as pending (needs cargo-insta).
        "snapshots" => {
            if !run("cargo-insta", &["--version"]) {
                eprintln!("install it with: cargo install cargo-insta --locked");
                false
            } else {
                cargo(&["insta", "review", "--workspace"])
            }
        }
        "coverage" => run("python3", &["../shared/tools/spec-coverage", "--root", "."]),
        _ => {
            eprintln!("usage: cargo xtask <ci|features|doc|fuzz [cases]|snapshots|coverage>");
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
