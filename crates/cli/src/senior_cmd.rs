//! `walletbridge wallet-senior ...`.

use serde_json::{Value, json};
use walletbridge::wallet_senior::order::OrderQuery;
use walletbridge::wallet_senior::{Client, ClientBuilder};

use crate::Ctx;
use crate::cli::{SeniorCmd, SeniorConn};
use crate::config::Settings;
use crate::error::CliResult;
use crate::output::print_record;

/// Flags over profile over `WALLET_SENIOR_*` variables.
pub fn settings(ctx: &Ctx, conn: &SeniorConn) -> Settings {
    let mut s = Settings::new(ctx.profile.as_ref(), "wallet-senior", "WALLET_SENIOR_");
    s.flag(
        "WALLET_SENIOR_BASE_URL",
        "--base-url",
        conn.base_url.as_deref(),
    )
    .flag("WALLET_SENIOR_ACCESS_TOKEN", "secret", None);
    s
}

/// A client from the settings.
pub fn client(s: &Settings) -> CliResult<Client> {
    ClientBuilder::from_lookup(s.lookup())
        .and_then(|b| b.build())
        .map_err(|e| s.explain(e))
}

fn dbg<T: std::fmt::Debug>(v: Option<&T>) -> Value {
    v.map(|v| Value::String(format!("{v:?}")))
        .unwrap_or(Value::Null)
}

/// A wallet order as the CLI shows it (amounts in yuan).
pub fn order_json(o: &walletbridge::wallet_senior::models::WalletOrder) -> Value {
    json!({
        "order_no": o.order_no,
        "biz_no": o.biz_no,
        "status": dbg(o.status.as_ref()),
        "progress": dbg(o.progress.as_ref()),
        "amount_yuan": o.amount.map(|f| f.to_yuan().to_string()),
        "create_time": o.create_time.map(|t| t.to_string()),
        "end_time": o.end_time.map(|t| t.to_string()),
        "tunnel_err_code": o.tunnel_err_code,
        "tunnel_err_msg": o.tunnel_err_msg,
    })
}

/// Runs one `wallet-senior` subcommand.
pub async fn run(ctx: &Ctx, cmd: SeniorCmd) -> CliResult {
    match cmd {
        SeniorCmd::Order { order_no, conn } => {
            let c = client(&settings(ctx, &conn))?;
            let o = c.order().query(&OrderQuery::new(order_no)).await?;
            print_record(ctx.format, &order_json(&o));
            Ok(())
        }
    }
}
