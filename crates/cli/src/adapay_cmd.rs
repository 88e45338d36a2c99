//! `walletbridge adapay ...`.

use serde_json::{Value, json};
use walletbridge::adapay::wallet::{BalanceQuery, CashStatusQuery, DrawCash};
use walletbridge::adapay::{CashType, Client, ClientBuilder};
use walletbridge::core::Method;

use crate::Ctx;
use crate::cli::{AdapayCmd, AdapayConn};
use crate::config::Settings;
use crate::error::CliResult;
use crate::gsalary_cmd::dec;
use crate::output::{print_json, print_record};
use crate::raw::{AdapayRaw, body_arg};

/// Flags over profile over `ADAPAY_*` variables.
pub fn settings(ctx: &Ctx, conn: &AdapayConn) -> Settings {
    let mut s = Settings::new(ctx.profile.as_ref(), "adapay", "ADAPAY_");
    let path = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    s.flag("ADAPAY_APP_ID", "--app-id", conn.app_id.as_deref())
        .flag(
            "ADAPAY_PRIVATE_KEY",
            "--private-key",
            path(&conn.private_key).as_deref(),
        )
        .flag(
            "ADAPAY_PLATFORM_PUBLIC_KEY",
            "--platform-public-key",
            path(&conn.platform_public_key).as_deref(),
        )
        .flag("ADAPAY_BASE_URL", "--base-url", conn.base_url.as_deref())
        .flag("ADAPAY_API_KEY", "secret", None);
    s
}

/// A client from the settings; errors name the variable and the flag.
pub fn client(s: &Settings) -> CliResult<Client> {
    ClientBuilder::from_lookup(s.lookup())
        .and_then(|b| b.build())
        .map_err(|e| s.explain(e))
}

/// A cash object as the CLI shows it.
pub fn cash_json(c: &walletbridge::adapay::models::Cash) -> Value {
    json!({
        "id": c.id,
        "order_no": c.order_no,
        "status": c.status.to_string(),
        "cash_type": c.cash_type.as_ref().map(|t| t.to_string()),
        "cash_amt": dec(c.cash_amt),
        "fee_amt": dec(c.fee_amt),
        "real_amt": dec(c.real_amt),
        "member_id": c.member_id,
        "prod_mode": c.prod_mode,
        "error_code": c.error_code,
        "error_msg": c.error_msg,
    })
}

/// Runs one `adapay` subcommand.
pub async fn run(ctx: &Ctx, cmd: AdapayCmd) -> CliResult {
    match cmd {
        AdapayCmd::Sign(a) => crate::sign::adapay_sign(
            &a.private_key,
            &a.url,
            a.body_file.as_deref(),
            &a.param,
            a.explain,
        ),
        AdapayCmd::Verify(a) => {
            crate::sign::adapay_verify(a.public_key.as_deref(), &a.data_file, &a.signature)
        }
        AdapayCmd::Get(a) => raw(ctx, Method::Get, a).await,
        AdapayCmd::Post(a) => raw(ctx, Method::Post, a).await,
        AdapayCmd::Balance {
            member_id,
            settle_account_id,
            conn,
        } => {
            let c = client(&settings(ctx, &conn))?;
            let q = match (member_id, settle_account_id) {
                (Some(m), Some(s)) => BalanceQuery::member(m, s),
                _ => BalanceQuery::merchant(),
            };
            let b = c.wallet().balance(&q).await?;
            let v = json!({
                "status": b.status.to_string(),
                "acct_balance": dec(b.acct_balance),
                "avl_balance": dec(b.avl_balance),
                "frz_balance": dec(b.frz_balance),
                "app_id": b.app_id,
                "prod_mode": b.prod_mode,
            });
            print_record(ctx.format, &v);
            Ok(())
        }
        AdapayCmd::DrawCash {
            amount,
            order_no,
            member_id,
            cash_type,
            notify_url,
            conn,
        } => {
            let amt = crate::amount("--amount", &amount, Some(2))?;
            let c = client(&settings(ctx, &conn))?;
            let order_no = order_no.unwrap_or_else(|| c.new_order_no());
            let mut order =
                DrawCash::new(order_no, CashType::from(cash_type.as_str()), amt, member_id);
            if let Some(u) = notify_url {
                order = order.notify_url(u);
            }
            let cash = c.wallet().draw_cash(&order).await?;
            print_record(ctx.format, &cash_json(&cash));
            Ok(())
        }
        AdapayCmd::CashStatus { order_no, conn } => {
            let c = client(&settings(ctx, &conn))?;
            let cash = c
                .wallet()
                .cash_status(&CashStatusQuery::new(order_no))
                .await?;
            print_record(ctx.format, &cash_json(&cash));
            Ok(())
        }
    }
}

async fn raw(ctx: &Ctx, method: Method, a: crate::cli::AdRawArgs) -> CliResult {
    let body = body_arg(a.body.as_deref())?;
    let s = settings(ctx, &a.conn);
    let r = AdapayRaw::from_settings(&s)?;
    let data = r.call(method, &a.path, a.page_host, &a.param, body).await?;
    print_json(&data);
    Ok(())
}
