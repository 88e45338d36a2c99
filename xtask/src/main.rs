//! Project tasks: `cargo xtask ci | snapshots | coverage | features`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(program: &str, args: &[&str]) -> bool {
    eprintln!("$ {program} {}", args.join(" "));
    match Command::new(program).args(args).current_dir(root()).status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("cannot run {program}: {e}");
            false
        }
    }
}

fn cargo(args: &[&str]) -> bool {
    run(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()), args)
}

/// Builds the umbrella with no provider, each provider alone, and all of them.
fn features() -> bool {
    let sets: &[&[&str]] = &[
        &["check", "-p", "walletbridge", "--no-default-features"],
        &["check", "-p", "walletbridge", "--no-default-features", "--features", "gsalary"],
        &["check", "-p", "walletbridge", "--no-default-features", "--features", "adapay"],
        &["check", "-p", "walletbridge", "--features", "gsalary"],
        &["check", "-p", "walletbridge", "--features", "adapay"],
        &["check", "-p", "walletbridge", "--features", "full"],
    ];
    sets.iter().all(|args| cargo(args))
}

fn ci() -> bool {
    cargo(&["fmt", "--all", "--check"])
        && cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"])
        && cargo(&["test", "--workspace", "--all-features"])
        && features()
        && doc()
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
            eprintln!("usage: cargo xtask <ci|features|doc|snapshots|coverage>");
            false
        }
    };
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
