//! `walletbridge gsalary ...`.

use serde_json::{Value, json};
use walletbridge::Decimal;
use walletbridge::core::{Method, Page};
use walletbridge::gsalary::{Client, ClientBuilder};

use crate::Ctx;
use crate::cli::{GsalaryCmd, GsalaryConn, PageArgs};
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output::{Format, print_json, print_list, print_record};
use crate::raw::{GsalaryRaw, body_arg};

/// Flags over profile over `GSALARY_*` variables.
pub fn settings(ctx: &Ctx, conn: &GsalaryConn) -> Settings {
    let mut s = Settings::new(ctx.profile.as_ref(), "gsalary", "GSALARY_");
    let path = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    s.flag("GSALARY_APPID", "--appid", conn.appid.as_deref())
        .flag(
            "GSALARY_PRIVATE_KEY",
            "--private-key",
            path(&conn.private_key).as_deref(),
        )
        .flag(
            "GSALARY_PLATFORM_PUBLIC_KEY",
            "--platform-public-key",
            path(&conn.platform_public_key).as_deref(),
        )
        .flag("GSALARY_BASE_URL", "--base-url", conn.base_url.as_deref());
    s
}

/// A client from the settings; errors name the variable and the flag.
pub fn client(s: &Settings) -> CliResult<Client> {
    ClientBuilder::from_lookup(s.lookup())
        .and_then(|b| b.build())
        .map_err(|e| s.explain(e))
}

/// A decimal as exact JSON text.
pub fn dec(d: Option<Decimal>) -> Value {
    d.map(|d| Value::String(d.to_string()))
        .unwrap_or(Value::Null)
}

fn text<T: ToString>(v: Option<&T>) -> Value {
    v.map(|v| Value::String(v.to_string()))
        .unwrap_or(Value::Null)
}

fn money(m: Option<&walletbridge::gsalary::Money>) -> Value {
    m.map(|m| Value::String(format!("{} {}", m.amount, m.currency)))
        .unwrap_or(Value::Null)
}

/// A card as the CLI shows it.
pub fn card_json(c: &walletbridge::gsalary::cards::Card) -> Value {
    json!({
        "card_id": c.card_id,
        "card_name": c.card_name,
        "mask_card_number": c.mask_card_number,
        "card_currency": c.card_currency,
        "available_balance": dec(c.available_balance),
        "status": text(c.status.as_ref()),
        "card_type": text(c.card_type.as_ref()),
        "brand_code": text(c.brand_code.as_ref()),
        "card_holder_id": c.card_holder_id,
        "limit_per_day": dec(c.limit_per_day),
        "limit_per_transaction": dec(c.limit_per_transaction),
        "create_time": c.create_time,
    })
}

/// A card holder as the CLI shows it.
pub fn holder_json(h: &walletbridge::gsalary::card_holders::CardHolder) -> Value {
    json!({
        "card_holder_id": h.card_holder_id,
        "first_name": h.first_name,
        "last_name": h.last_name,
        "email": h.email,
        "region": h.region,
        "status": text(h.status.as_ref()),
        "create_time": h.create_time,
    })
}

/// A remittance order as the CLI shows it.
pub fn order_json(o: &walletbridge::gsalary::remittance::RemittanceOrder) -> Value {
    json!({
        "order_id": o.order_id,
        "client_order_id": o.client_order_id,
        "status": text(o.status.as_ref()),
        "pay_amount": money(o.pay_amount.as_ref()),
        "receive_amount": money(o.receive_amount.as_ref()),
        "surcharge": money(o.surcharge.as_ref()),
        "exchange_rate": dec(o.exchange_rate),
        "payee_id": o.payee_id,
        "create_time": o.create_time,
        "finish_time": o.finish_time,
        "error_message": o.error_message,
    })
}

fn paging<T>(p: &Page<T>) -> Value {
    json!({
        "page": p.page,
        "total_pages": p.total_pages,
        "total_count": p.total_count,
    })
}

fn check_page(p: &PageArgs) -> CliResult {
    if p.page == 0 || p.limit == 0 {
        return Err(CliError::usage("--page and --limit start at 1"));
    }
    Ok(())
}

/// Runs one `gsalary` subcommand.
pub async fn run(ctx: &Ctx, cmd: GsalaryCmd) -> CliResult {
    match cmd {
        GsalaryCmd::Sign(a) => crate::sign::gsalary_sign(
            &a.appid,
            &a.private_key,
            &a.method,
            &a.path,
            a.escaped,
            a.body_file.as_deref(),
            a.timestamp,
            a.explain,
        ),
        GsalaryCmd::Verify(a) => crate::sign::gsalary_verify(
            &a.appid,
            &a.public_key,
            &a.method,
            &a.path,
            a.escaped,
            &a.authorization,
            a.body_file.as_deref(),
            a.now,
            a.ignore_expiry,
        ),
        GsalaryCmd::Keygen(a) => crate::sign::keygen(&a.out_dir, a.bits, a.force),
        GsalaryCmd::Get(a) => raw(ctx, Method::Get, a).await,
        GsalaryCmd::Post(a) => raw(ctx, Method::Post, a).await,
        GsalaryCmd::Put(a) => raw(ctx, Method::Put, a).await,
        GsalaryCmd::Delete(a) => raw(ctx, Method::Delete, a).await,
        GsalaryCmd::Balance { currency, conn } => {
            let c = client(&settings(ctx, &conn))?;
            let b = c.wallet().balance(&currency).await?;
            let v = json!({
                "currency": b.currency,
                "amount": b.amount.to_string(),
                "available": dec(b.available),
                "share_card_account_balance": dec(b.share_card_account_balance),
                "account_type": text(b.account_type.as_ref()),
                "query_time": b.query_time,
            });
            print_record(ctx.format, &v);
            Ok(())
        }
        GsalaryCmd::Transactions {
            currency,
            page,
            conn,
        } => {
            check_page(&page)?;
            let c = client(&settings(ctx, &conn))?;
            let mut q = walletbridge::gsalary::wallet::TransactionsQuery::new();
            if let Some(cur) = currency {
                q = q.currency(cur);
            }
            q.page = page.page;
            q.limit = page.limit;
            let p = c.wallet().transactions(&q).await?;
            let items: Vec<Value> = p
                .items
                .iter()
                .map(|t| {
                    json!({
                        "transaction_id": t.transaction_id,
                        "txn_type": text(t.txn_type.as_ref()),
                        "currency": t.currency,
                        "amount": dec(t.amount),
                        "balance": dec(t.balance),
                        "transaction_time": t.transaction_time,
                        "description": t.description,
                    })
                })
                .collect();
            print_list(
                ctx.format,
                &items,
                &[
                    "transaction_id",
                    "txn_type",
                    "currency",
                    "amount",
                    "balance",
                    "transaction_time",
                ],
                paging(&p),
            );
            Ok(())
        }
        GsalaryCmd::Card { card_id, conn } => {
            let c = client(&settings(ctx, &conn))?;
            let card = c.cards().get(&card_id).await?;
            print_record(ctx.format, &card_json(&card));
            Ok(())
        }
        GsalaryCmd::Cards {
            card_holder_id,
            page,
            conn,
        } => {
            check_page(&page)?;
            let c = client(&settings(ctx, &conn))?;
            let mut q = walletbridge::gsalary::cards::CardsQuery::new();
            if let Some(h) = card_holder_id {
                q = q.card_holder_id(h);
            }
            q.page = page.page;
            q.limit = page.limit;
            let p = c.cards().list(&q).await?;
            let items: Vec<Value> = p.items.iter().map(card_json).collect();
            print_list(
                ctx.format,
                &items,
                &[
                    "card_id",
                    "mask_card_number",
                    "card_currency",
                    "available_balance",
                    "status",
                    "card_holder_id",
                ],
                paging(&p),
            );
            Ok(())
        }
        GsalaryCmd::CardHolder {
            card_holder_id,
            conn,
        } => {
            let c = client(&settings(ctx, &conn))?;
            let h = c.card_holders().get(&card_holder_id).await?;
            print_record(ctx.format, &holder_json(&h));
            Ok(())
        }
        GsalaryCmd::CardHolders { page, conn } => {
            check_page(&page)?;
            let c = client(&settings(ctx, &conn))?;
            let mut q = walletbridge::gsalary::card_holders::CardHoldersQuery::new();
            q.page = page.page;
            q.limit = page.limit;
            let p = c.card_holders().list(&q).await?;
            let items: Vec<Value> = p.items.iter().map(holder_json).collect();
            print_list(
                ctx.format,
                &items,
                &[
                    "card_holder_id",
                    "first_name",
                    "last_name",
                    "email",
                    "status",
                ],
                paging(&p),
            );
            Ok(())
        }
        GsalaryCmd::RemittanceOrders {
            order_id,
            client_order_id,
            payee_id,
            page,
            conn,
        } => {
            check_page(&page)?;
            let c = client(&settings(ctx, &conn))?;
            let mut q = walletbridge::gsalary::remittance::OrdersQuery::new();
            if let Some(v) = order_id {
                q = q.order_id(v);
            }
            if let Some(v) = client_order_id {
                q = q.client_order_id(v);
            }
            if let Some(v) = payee_id {
                q = q.payee_id(v);
            }
            q.page = page.page;
            q.limit = page.limit;
            let p = c.remittance().orders(&q).await?;
            let items: Vec<Value> = p.items.iter().map(order_json).collect();
            print_list(
                ctx.format,
                &items,
                &[
                    "order_id",
                    "client_order_id",
                    "status",
                    "pay_amount",
                    "receive_amount",
                    "create_time",
                ],
                paging(&p),
            );
            Ok(())
        }
    }
}

async fn raw(ctx: &Ctx, method: Method, a: crate::cli::RawArgs) -> CliResult {
    let body = body_arg(a.body.as_deref())?;
    let s = settings(ctx, &a.conn);
    let r = GsalaryRaw::from_settings(&s)?;
    let data = r.call(method, &a.path, body).await?;
    match ctx.format {
        Format::Json | Format::Text => print_json(&data),
    }
    Ok(())
}
