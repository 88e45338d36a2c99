//! `walletbridge`: the command line of the walletbridge SDK.
//!
//! Signature tools, provider calls, raw signed calls, an offline sandbox and
//! an end-to-end demo. Exit codes: 0 success, 1 a provider or verification
//! failure, 2 a usage or configuration error.

// A command-line tool prints its answers on stdout.
#![allow(clippy::print_stdout, clippy::print_stderr)]
// The doc comments on the argument structs are the `--help` text clap shows
// (`[GSALARY_APPID]` names a variable, URLs are examples), not rustdoc links.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]

mod adapay_cmd;
mod cli;
mod config;
mod demo;
mod error;
mod gsalary_cmd;
mod merchant_cmd;
mod output;
mod progress;
mod raw;
mod sandbox_cmd;
mod senior_cmd;
mod sign;
mod trigger;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use crate::cli::{Cli, Command};
use crate::error::{CliError, CliResult};
use crate::output::Format;

/// What every command gets: the output format and the chosen profile.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Text or JSON.
    pub format: Format,
    /// The `--profile`, loaded.
    pub profile: Option<config::Profile>,
}

fn main() -> ExitCode {
    // RUST_LOG=walletbridge=debug shows one line per call; nothing by default.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(error::FAILURE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.one_line());
            ExitCode::from(e.code)
        }
    }
}

/// Help and version go to stdout with exit 0; every other parse error is
/// one line on stderr with exit 2.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(error::USAGE)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            let usage = rendered
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("Usage: "))
                .map(|u| format!(" ({u}; see --help)"))
                .unwrap_or_else(|| " (see --help)".to_owned());
            eprintln!("error: {first}{usage}");
            ExitCode::from(error::USAGE)
        }
    }
}

async fn run(cli: Cli) -> CliResult {
    let format = if cli.global.json {
        Format::Json
    } else {
        Format::Text
    };
    let profile = match &cli.global.profile {
        Some(name) => Some(config::load_profile(name, cli.global.config.as_deref())?),
        None => None,
    };
    let ctx = Ctx { format, profile };
    match cli.command {
        Command::Gsalary { cmd } => gsalary_cmd::run(&ctx, cmd).await,
        Command::Adapay { cmd } => adapay_cmd::run(&ctx, cmd).await,
        Command::WalletSenior { cmd } => senior_cmd::run(&ctx, cmd).await,
        Command::MerchantWallet { cmd } => merchant_cmd::run(&ctx, cmd).await,
        Command::Sandbox(args) => sandbox_cmd::run(&ctx, args).await,
        Command::Demo(args) => demo::run(&ctx, args).await,
        Command::Trigger { cmd } => trigger::run(&ctx, cmd).await,
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "walletbridge", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// Parses an amount exactly (never through a float).
pub fn amount(flag: &str, text: &str, max_scale: Option<u32>) -> CliResult<walletbridge::Decimal> {
    walletbridge::core::money::parse_decimal(text, max_scale)
        .map_err(|why| CliError::usage(format!("invalid amount for {flag}: {why}")))
}
