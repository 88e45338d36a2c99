//! `walletbridge demo`.

use crate::Ctx;
use crate::cli::DemoArgs;
use crate::error::{CliError, CliResult};

/// Runs every provider's flagship flow against an in-process sandbox.
pub async fn run(_ctx: &Ctx, _args: DemoArgs) -> CliResult {
    Err(CliError::failure(
        "the sandbox is not built into this binary yet",
    ))
}
