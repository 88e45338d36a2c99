//! `walletbridge trigger`.

use crate::Ctx;
use crate::cli::TriggerCmd;
use crate::error::{CliError, CliResult};

/// Sends a signed webhook or notification.
pub async fn run(_ctx: &Ctx, _cmd: TriggerCmd) -> CliResult {
    Err(CliError::failure("not yet"))
}
