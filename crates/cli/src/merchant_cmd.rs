//! `walletbridge merchant-wallet ...`.

use serde_json::{Value, json};
use walletbridge::merchant_wallet::pay::OrderStatus;
use walletbridge::merchant_wallet::wallet::{RechargeOrderQuery, RechargeWallet};
use walletbridge::merchant_wallet::{Client, ClientBuilder, RechargeStatus};

use crate::Ctx;
use crate::cli::{MerchantCmd, MerchantConn};
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output::{print_list, print_record};

/// Flags over profile over `MERCHANT_WALLET_*` variables.
pub fn settings(ctx: &Ctx, conn: &MerchantConn) -> Settings {
    let mut s = Settings::new(ctx.profile.as_ref(), "merchant-wallet", "MERCHANT_WALLET_");
    s.flag(
        "MERCHANT_WALLET_BASE_URL",
        "--base-url",
        conn.base_url.as_deref(),
    )
    .flag(
        "MERCHANT_WALLET_USERNAME",
        "--username",
        conn.username.as_deref(),
    );
    s
}

/// A client from the settings.
pub fn client(s: &Settings) -> CliResult<Client> {
    ClientBuilder::from_lookup(s.lookup())
        .and_then(|b| b.build())
        .map_err(|e| s.explain(e))
}

/// The public order status as text.
pub fn status_text(s: &OrderStatus) -> String {
    match s {
        OrderStatus::Unpaid => "unpaid".into(),
        OrderStatus::Paid => "paid".into(),
        OrderStatus::Closed => "closed".into(),
        OrderStatus::Refunded => "refunded".into(),
        OrderStatus::NotFound => "not found".into(),
        OrderStatus::Other { status, message } => format!("other ({status}: {message})"),
        _ => format!("{s:?}"),
    }
}

fn parse_status(text: &str) -> CliResult<RechargeStatus> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "unpaid" | "0" => RechargeStatus::Unpaid,
        "paid" | "1" => RechargeStatus::Paid,
        "closed" | "2" => RechargeStatus::Closed,
        "refunded" | "3" => RechargeStatus::Refunded,
        _ => {
            return Err(CliError::usage(format!(
                "--status must be unpaid, paid, closed or refunded, not `{text}`"
            )));
        }
    })
}

/// Runs one `merchant-wallet` subcommand.
pub async fn run(ctx: &Ctx, cmd: MerchantCmd) -> CliResult {
    match cmd {
        MerchantCmd::Balance { conn } => {
            let c = client(&settings(ctx, &conn))?;
            let b = c.wallet().balance().await?;
            print_record(
                ctx.format,
                &json!({
                    "money": b.money.to_string(),
                    "freeze_money": b.freeze_money.to_string(),
                    "deposit_money": b.deposit_money.to_string(),
                }),
            );
        }
        MerchantCmd::TotalMoney { conn } => {
            let c = client(&settings(ctx, &conn))?;
            let t = c.wallet().total_money().await?;
            print_record(
                ctx.format,
                &json!({
                    "total_money": t.total_money.to_string(),
                    "today_income": t.today_income.to_string(),
                    "promote_income": t.promote_income.map(|d| d.to_string()),
                }),
            );
        }
        MerchantCmd::Channels { conn } => {
            let c = client(&settings(ctx, &conn))?;
            let ch = c.wallet().recharge_channels().await?;
            let items: Vec<Value> = ch
                .channels
                .iter()
                .map(|c| json!({"id": c.id, "name": c.name}))
                .collect();
            print_list(
                ctx.format,
                &items,
                &["id", "name"],
                json!({"fee_rate": ch.fee_rate.to_string()}),
            );
        }
        MerchantCmd::Recharge {
            amount,
            channel_id,
            conn,
        } => {
            let amt = crate::amount("--amount", &amount, Some(2))?;
            let c = client(&settings(ctx, &conn))?;
            let r = c
                .wallet()
                .recharge(&RechargeWallet::new(amt, channel_id))
                .await?;
            print_record(
                ctx.format,
                &json!({
                    "trade_no": r.trade_no,
                    "amount": amt.to_string(),
                    "pay_url": r.url,
                    "auto_close_seconds": r.order_auto_close_time.as_secs(),
                }),
            );
        }
        MerchantCmd::Orders { status, page, conn } => {
            if page.page == 0 || page.limit == 0 {
                return Err(CliError::usage("--page and --limit start at 1"));
            }
            let mut q = RechargeOrderQuery::new();
            if let Some(s) = status {
                q = q.status(parse_status(&s)?);
            }
            q.page = page.page;
            q.limit = page.limit;
            let c = client(&settings(ctx, &conn))?;
            let p = c.wallet().recharge_orders(&q).await?;
            let items: Vec<Value> = p
                .items
                .iter()
                .map(|o| {
                    json!({
                        "trade_no": o.trade_no,
                        "status": format!("{:?}", o.status),
                        "total_price": o.total_price.to_string(),
                        "finally_money": o.finally_money.to_string(),
                        "fee": o.fee.to_string(),
                        "channel_id": o.channel_id,
                        "create_at": o.create_at.to_string(),
                    })
                })
                .collect();
            print_list(
                ctx.format,
                &items,
                &[
                    "trade_no",
                    "status",
                    "total_price",
                    "fee",
                    "finally_money",
                    "create_at",
                ],
                json!({"page": p.page, "total_count": p.total_count}),
            );
        }
        MerchantCmd::OrderStatus { trade_no, conn } => {
            let c = client(&settings(ctx, &conn))?;
            let s = c.pay().order_status(&trade_no).await?;
            print_record(
                ctx.format,
                &json!({"trade_no": trade_no, "status": status_text(&s), "final": s.is_final()}),
            );
        }
    }
    Ok(())
}
