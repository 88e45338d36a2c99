//! `walletbridge sandbox`.

use crate::Ctx;
use crate::cli::SandboxArgs;
use crate::error::{CliError, CliResult};

/// Runs the sandbox until Ctrl-C.
pub async fn run(_ctx: &Ctx, _args: SandboxArgs) -> CliResult {
    Err(CliError::failure(
        "the sandbox is not built into this binary yet",
    ))
}
