//! `walletbridge sandbox`: the simulator of all four providers, until Ctrl-C.

use std::net::SocketAddr;
use std::path::Path;

use walletbridge_sandbox::{Sandbox, SandboxConfig};

use crate::Ctx;
use crate::cli::SandboxArgs;
use crate::error::{CliError, CliResult};
use crate::output::Format;

/// `export K='V'`, quoted for a POSIX shell.
pub fn export_line(k: &str, v: &str) -> String {
    format!("export {k}='{}'", v.replace('\'', r"'\''"))
}

fn write_ready_file(path: &Path, json: &str) -> CliResult {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| CliError::usage(format!("cannot write --ready-file {}: {e}", path.display())))
}

/// Runs the sandbox until Ctrl-C (or SIGTERM).
pub async fn run(ctx: &Ctx, args: SandboxArgs) -> CliResult {
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        CliError::usage(format!(
            "--listen must be IP:PORT (127.0.0.1:4010, 0.0.0.0:4010), not `{}`",
            args.listen
        ))
    })?;
    let mut config = SandboxConfig::default().listen(addr);
    if !addr.ip().is_loopback() {
        // Asked for explicitly (a container): the sandbox's keys are public
        // test keys, so say so.
        config = config.allow_non_loopback(true);
        eprintln!(
            "warning: listening on {addr}: the sandbox accepts throwaway credentials; never expose it beyond a test network"
        );
    }
    if let Some(dir) = &args.state_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::usage(format!("cannot create --state-dir {}: {e}", dir.display()))
        })?;
        config = config.state_dir(dir);
    }
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|e| CliError::failure(format!("the sandbox did not start: {e}")))?;
    let urls = sandbox.urls().clone();
    let json = serde_json::to_string_pretty(&urls)
        .map_err(|e| CliError::failure(format!("cannot encode the URLs: {e}")))?;
    if args.print_env {
        for (k, v) in sandbox.env_vars() {
            println!("{}", export_line(&k, &v));
        }
    } else if ctx.format == Format::Json {
        println!("{json}");
    } else {
        println!("walletbridge sandbox is listening (Ctrl-C to stop)");
        println!("  gsalary          {}", urls.gsalary);
        println!("  adapay           {}", urls.adapay);
        println!("  adapay page      {}", urls.adapay_page);
        println!("  wallet-senior    {}", urls.wallet_senior);
        println!("  merchant-wallet  {}", urls.merchant_wallet);
        println!("  admin            {}", sandbox.admin_url());
        match &args.state_dir {
            Some(d) => println!("  state and keys   {}", d.display()),
            None => println!(
                "  state            in memory (pass --state-dir DIR to keep it and its keys)"
            ),
        }
        println!(
            "Point the clients (from_env) at it: run with --print-env > sandbox.env, then `. ./sandbox.env`; or read --ready-file."
        );
    }
    if let Some(path) = &args.ready_file {
        write_ready_file(path, &json)?;
    }
    wait_for_stop().await;
    eprintln!("stopping the sandbox");
    sandbox.shutdown().await;
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
