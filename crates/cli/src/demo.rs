//! `walletbridge demo`: every provider's flagship flow against an
//! in-process sandbox, with real signing and verification. One line per
//! step: what was called, the outcome, the amounts.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use walletbridge::Decimal;
use walletbridge::core::money::Fen;
use walletbridge_sandbox::{Sandbox, SandboxConfig};

use crate::Ctx;
use crate::cli::DemoArgs;
use crate::error::{CliError, CliResult};

/// The providers, in the order their flows run.
pub const PROVIDERS: [&str; 4] = ["gsalary", "adapay", "wallet-senior", "merchant-wallet"];

/// Prints the steps and counts failures.
pub struct Reporter {
    bar: Option<ProgressBar>,
    steps: usize,
    failed: usize,
}

impl Reporter {
    fn line(&self, text: &str) {
        // Step lines go to stdout, under the bar (on stderr) when one is drawn.
        match &self.bar {
            Some(b) => b.suspend(|| println!("{text}")),
            None => println!("{text}"),
        }
    }

    /// Runs one call and prints its line; `Err(())` stops the flow.
    pub async fn step<T, F>(
        &mut self,
        provider: &str,
        call: &str,
        fut: F,
        describe: impl FnOnce(&T) -> String,
    ) -> Result<T, ()>
    where
        F: Future<Output = walletbridge::Result<T>>,
    {
        if let Some(b) = &self.bar {
            b.set_message(format!("{provider} {call}"));
        }
        let started = Instant::now();
        let r = fut.await;
        let ms = started.elapsed().as_millis();
        self.steps += 1;
        if let Some(b) = &self.bar {
            b.inc(1);
        }
        match r {
            Ok(v) => {
                self.line(&format!(
                    "  ok  {provider:<15} {call:<26} {} ({ms} ms)",
                    describe(&v)
                ));
                Ok(v)
            }
            Err(e) => {
                self.failed += 1;
                self.line(&format!(
                    "FAIL  {provider:<15} {call:<26} {}",
                    crate::error::one_line(&e.to_string())
                ));
                Err(())
            }
        }
    }

    /// A failed check that is not a call.
    pub fn fail(&mut self, provider: &str, call: &str, why: &str) {
        self.failed += 1;
        self.steps += 1;
        self.line(&format!("FAIL  {provider:<15} {call:<26} {why}"));
    }
}

fn dec(s: &str) -> Decimal {
    walletbridge::core::money::parse_decimal(s, None).unwrap_or_default()
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into())
}

/// An amount with at least two decimals (never fewer digits than it has).
fn amt(d: Decimal) -> String {
    if d.scale() < 2 {
        format!("{d:.2}")
    } else {
        d.to_string()
    }
}

fn oamt(d: &Option<Decimal>) -> String {
    d.map(amt).unwrap_or_else(|| "?".into())
}

fn dbg<T: std::fmt::Debug>(v: &Option<T>) -> String {
    v.as_ref()
        .map(|v| format!("{v:?}"))
        .unwrap_or_else(|| "?".into())
}

/// Runs the demo.
pub async fn run(_ctx: &Ctx, args: DemoArgs) -> CliResult {
    let only = match args.only.as_deref() {
        None => None,
        Some(p) if PROVIDERS.contains(&p) => Some(p),
        Some(p) => {
            return Err(CliError::usage(format!(
                "--only must be one of {}, not `{p}`",
                PROVIDERS.join(", ")
            )));
        }
    };
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(|e| CliError::failure(format!("the sandbox did not start: {e}")))?;
    println!(
        "walletbridge demo: every call below is signed and every answer verified, against an in-process sandbox"
    );
    println!(
        "  sandbox: gsalary {}  adapay {}  wallet-senior {}  merchant-wallet {}",
        sandbox.urls().gsalary,
        sandbox.urls().adapay,
        sandbox.urls().wallet_senior,
        sandbox.urls().merchant_wallet
    );
    let env: HashMap<String, String> = sandbox.env_vars().into_iter().collect();
    let lookup = |name: &str| env.get(name).cloned();
    let mut rep = Reporter {
        bar: crate::progress::bar(match only {
            Some("gsalary") => 14,
            Some("adapay") => 4,
            Some(_) => 5,
            None => 28,
        }),
        steps: 0,
        failed: 0,
    };
    let started = Instant::now();
    let wants = |p: &str| only.is_none_or(|o| o == p);
    if wants("gsalary") {
        let _ = gsalary(&mut rep, &sandbox, &lookup).await;
    }
    if wants("adapay") {
        let _ = adapay(&mut rep, &sandbox, &lookup).await;
    }
    if wants("wallet-senior") {
        let _ = senior(&mut rep, &lookup).await;
    }
    if wants("merchant-wallet") {
        let _ = merchant(&mut rep, &lookup).await;
    }
    if let Some(b) = rep.bar.take() {
        b.finish_and_clear();
    }
    sandbox.shutdown().await;
    let secs = started.elapsed().as_secs_f32();
    if rep.failed == 0 {
        println!("demo passed: {} steps in {secs:.1} s", rep.steps);
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "demo failed: {} of {} steps failed",
            rep.failed, rep.steps
        )))
    }
}

/// Lets the sandbox's asynchronous steps (card issue, payee account, payout,
/// draw cash) complete: they are timed on the sandbox clock.
fn later(rep: &mut Reporter, sandbox: &Sandbox, provider: &str) -> Result<(), ()> {
    sandbox
        .advance_clock(Duration::from_secs(5))
        .and_then(|()| sandbox.run_due())
        .map_err(|e| rep.fail(provider, "sandbox clock", &e.to_string()))
}

async fn gsalary(
    rep: &mut Reporter,
    sandbox: &Sandbox,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ()> {
    use walletbridge::gsalary::Money;
    use walletbridge::gsalary::card_holders::CreateCardHolder;
    use walletbridge::gsalary::cards::{ApplyCard, ModifyCardBalance};
    use walletbridge::gsalary::models::MobileNumber;
    use walletbridge::gsalary::payees::{AccountType, CreatePayee, EWalletAccount, PaymentMethod};
    use walletbridge::gsalary::remittance::{
        CreateRemittanceQuote, Purpose, SubmitRemittanceOrder,
    };
    const P: &str = "gsalary";
    let c = rep
        .step(
            P,
            "client from env",
            async { walletbridge::gsalary::ClientBuilder::from_lookup(lookup)?.build() },
            |c| format!("appid {}", c.appid()),
        )
        .await?;
    rep.step(P, "wallet.balance", c.wallet().balance("USD"), |b| {
        format!("wallet {} {}", amt(b.amount), b.currency)
    })
    .await?;
    let holder = CreateCardHolder::builder()
        .first_name("Ada")
        .last_name("Lovelace")
        .birth("1990-01-01")
        .email("ada@example.com")
        .mobile(MobileNumber::new("1", "2025550123"))
        .region("US")
        .build()
        .map_err(|e| rep.fail(P, "card_holders.create", &e.to_string()))?;
    let h = rep
        .step(
            P,
            "card_holders.create",
            c.card_holders().create(&holder),
            |h| {
                format!(
                    "holder {} {} {}",
                    h.card_holder_id,
                    opt(&h.first_name),
                    opt(&h.last_name)
                )
            },
        )
        .await?;
    let request_id = c.new_request_id();
    let apply = ApplyCard::builder()
        .request_id(&request_id)
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id(&h.card_holder_id)
        .init_balance(dec("50.00"))
        .build()
        .map_err(|e| rep.fail(P, "cards.apply", &e.to_string()))?;
    rep.step(P, "cards.apply", c.cards().apply(&apply), |a| {
        format!("SBX_VISA_USD card, initial 50.00 USD: {}", opt(&a.status))
    })
    .await?;
    later(rep, sandbox, P)?;
    let result = rep
        .step(
            P,
            "cards.apply_result",
            c.cards().apply_result(&request_id),
            |r| match &r.card_detail {
                Some(card) => format!(
                    "{}: card {} {} balance {} {}",
                    opt(&r.status),
                    card.card_id,
                    opt(&card.mask_card_number),
                    oamt(&card.available_balance),
                    opt(&card.card_currency)
                ),
                None => format!("{}: no card yet", opt(&r.status)),
            },
        )
        .await?;
    let Some(card) = result.card_detail else {
        rep.fail(P, "cards.apply_result", "the card was not issued");
        return Err(());
    };
    let top_up = ModifyCardBalance::increase(c.new_request_id(), &card.card_id, dec("25.00"));
    rep.step(
        P,
        "cards.modify_balance",
        c.cards().modify_balance(&top_up),
        |r| {
            format!(
                "top up +25.00 USD: {}, card balance {}",
                opt(&r.status),
                oamt(&r.post_balance)
            )
        },
    )
    .await?;
    rep.step(P, "cards.freeze", c.cards().freeze(&card.card_id), |()| {
        format!("card {} freeze requested", card.card_id)
    })
    .await?;
    rep.step(P, "cards.get", c.cards().get(&card.card_id), |k| {
        format!(
            "card {} {} balance {} USD",
            k.card_id,
            opt(&k.status),
            oamt(&k.available_balance)
        )
    })
    .await?;
    let new_payee = CreatePayee::individual()
        .account_type(AccountType::EWallet)
        .country("CN")
        .currency("CNY")
        .first_name("San")
        .last_name("Zhang")
        .build()
        .map_err(|e| rep.fail(P, "payees.create", &e.to_string()))?;
    let payee = rep
        .step(P, "payees.create", c.payees().create(&new_payee), |p| {
            format!("payee {} (individual, CN, CNY)", p.payee_id)
        })
        .await?;
    let account = rep
        .step(
            P,
            "payees.add_account",
            c.payees().add_account(
                &payee.payee_id,
                &EWalletAccount::new(PaymentMethod::Alipay, "zhang@example.com"),
            ),
            |a| format!("Alipay account {}: {}", a.account_id, opt(&a.status)),
        )
        .await?;
    later(rep, sandbox, P)?;
    let quote_req = CreateRemittanceQuote::pay(
        &account.account_id,
        Purpose::Salary,
        Money::new("USD", dec("100.00")),
    );
    let quote = rep
        .step(
            P,
            "remittance.quote",
            c.remittance().quote(&quote_req),
            |q| {
                let m = |m: &Option<Money>| {
                    m.as_ref()
                        .map(|m| format!("{} {}", amt(m.amount), m.currency))
                        .unwrap_or_else(|| "?".into())
                };
                format!(
                    "pay {} -> receive {} (rate {}, fee {})",
                    m(&q.pay_amount),
                    m(&q.receive_amount),
                    opt(&q.exchange_rate),
                    m(&q.surcharge)
                )
            },
        )
        .await?;
    let client_order_id = format!("demo-{}", &c.new_request_id()[..12]);
    rep.step(
        P,
        "remittance.submit_order",
        c.remittance().submit_order(&SubmitRemittanceOrder::new(
            &quote.quote_id,
            &client_order_id,
        )),
        |o| {
            format!(
                "order {} ({client_order_id}): {}",
                o.order_id,
                opt(&o.status)
            )
        },
    )
    .await?;
    later(rep, sandbox, P)?;
    let found = rep
        .step(
            P,
            "remittance.find_order",
            c.remittance().find_order(&client_order_id),
            |o| match o {
                Some(o) => format!("order {}: {}", o.order_id, opt(&o.status)),
                None => "not found".into(),
            },
        )
        .await?;
    if found.is_none() {
        rep.fail(P, "remittance.find_order", "the order was not found");
        return Err(());
    }
    rep.step(P, "wallet.balance", c.wallet().balance("USD"), |b| {
        format!(
            "wallet {} {} after card, top up and payout",
            amt(b.amount),
            b.currency
        )
    })
    .await?;
    Ok(())
}

async fn adapay(
    rep: &mut Reporter,
    sandbox: &Sandbox,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ()> {
    use walletbridge::adapay::CashType;
    use walletbridge::adapay::wallet::{BalanceQuery, CashStatusQuery, DrawCash};
    const P: &str = "adapay";
    let c = rep
        .step(
            P,
            "client from env",
            async { walletbridge::adapay::ClientBuilder::from_lookup(lookup)?.build() },
            |c| format!("app_id {}", c.app_id()),
        )
        .await?;
    rep.step(
        P,
        "wallet.balance",
        c.wallet().balance(&BalanceQuery::merchant()),
        |b| {
            format!(
                "merchant balance {} CNY (available {}, frozen {})",
                oamt(&b.acct_balance),
                oamt(&b.avl_balance),
                oamt(&b.frz_balance)
            )
        },
    )
    .await?;
    let order_no = c.new_order_no();
    let order = DrawCash::new(&order_no, CashType::T1, dec("10.00"), "0");
    rep.step(
        P,
        "wallet.draw_cash",
        c.wallet().draw_cash(&order),
        |cash| format!("draw 10.00 CNY T1, order {order_no}: {}", cash.status),
    )
    .await?;
    later(rep, sandbox, P)?;
    rep.step(
        P,
        "wallet.cash_status",
        c.wallet().cash_status(&CashStatusQuery::new(&order_no)),
        |cash| {
            format!(
                "order {order_no}: {} (amount {}, fee {}, credited {})",
                cash.status,
                oamt(&cash.cash_amt),
                oamt(&cash.fee_amt),
                oamt(&cash.real_amt)
            )
        },
    )
    .await?;
    Ok(())
}

async fn senior(rep: &mut Reporter, lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), ()> {
    use walletbridge::wallet_senior::collect::{
        AgentPayReceiver, BankCardPay, CreateAgentPay, CreateCollect, CreateRefund,
    };
    use walletbridge::wallet_senior::models::ValidateType;
    use walletbridge::wallet_senior::sms::ConfirmSms;
    const P: &str = "wallet-senior";
    let c = rep
        .step(
            P,
            "client from env",
            async { walletbridge::wallet_senior::ClientBuilder::from_lookup(lookup)?.build() },
            |_| "access token and sandbox signer".to_owned(),
        )
        .await?;
    let biz = |what: &str| {
        use walletbridge::core::IdSource as _;
        format!(
            "demo{what}{}",
            &walletbridge::core::RandomIds.next_id()[..16]
        )
    };
    let collect = CreateCollect::new(
        1001,
        biz("c"),
        Fen(10_000),
        BankCardPay::new("6222020000000000000", Fen(10_000)),
    )
    .receiver(2001, Fen(6_000))
    .receiver(2002, Fen(4_000))
    .validate_type(ValidateType::Sms)
    .customer_ip("127.0.0.1");
    let answer = rep
        .step(P, "collect.create", c.collect().create(&collect), |a| {
            format!(
                "collect 100.00 yuan from wallet 1001 to 2001 (60.00) and 2002 (40.00): order {} {}, SMS ticket {}",
                opt(&a.order.order_no),
                dbg(&a.order.status),
                if a.ticket.is_some() { "issued" } else { "none" }
            )
        })
        .await?;
    let (Some(ticket), Some(order_no)) = (answer.ticket.clone(), answer.order.order_no.clone())
    else {
        rep.fail(
            P,
            "collect.create",
            "no SMS ticket or order number in the answer",
        );
        return Err(());
    };
    rep.step(
        P,
        "sms.confirm",
        c.sms()
            .confirm(&ConfirmSms::new(ticket, "123456", "127.0.0.1")),
        |()| "SMS code 123456 accepted".to_owned(),
    )
    .await?;
    rep.step(
        P,
        "collect.agent_pay",
        c.collect().agent_pay(&CreateAgentPay::new(
            biz("a"),
            &order_no,
            AgentPayReceiver::new(2001, Fen(6_000)),
        )),
        |a| match &a.order {
            Some(o) => format!(
                "pay out 60.00 yuan to wallet 2001: order {} {}",
                opt(&o.order_no),
                dbg(&o.status)
            ),
            None => "pay out 60.00 yuan to wallet 2001".to_owned(),
        },
    )
    .await?;
    rep.step(
        P,
        "collect.refund",
        c.collect()
            .refund(&CreateRefund::new(biz("r"), &order_no).line(2002, Fen(4_000))),
        |o| {
            format!(
                "refund 40.00 yuan from wallet 2002: order {} {}",
                opt(&o.order_no),
                dbg(&o.status)
            )
        },
    )
    .await?;
    Ok(())
}

async fn merchant(rep: &mut Reporter, lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), ()> {
    use walletbridge::merchant_wallet::wallet::RechargeWallet;
    const P: &str = "merchant-wallet";
    let c = rep
        .step(
            P,
            "client from env",
            async { walletbridge::merchant_wallet::ClientBuilder::from_lookup(lookup)?.build() },
            |_| "user name and password".to_owned(),
        )
        .await?;
    rep.step(P, "login", c.login(), |l| {
        format!(
            "logged in, token valid {} days",
            l.lifetime.as_secs() / 86_400
        )
    })
    .await?;
    let channels = rep
        .step(
            P,
            "wallet.recharge_channels",
            c.wallet().recharge_channels(),
            |ch| format!("{} channels, fee rate {}", ch.channels.len(), ch.fee_rate),
        )
        .await?;
    let Some(channel) = channels.channels.first() else {
        rep.fail(P, "wallet.recharge_channels", "no channel");
        return Err(());
    };
    let created = rep
        .step(
            P,
            "wallet.recharge",
            c.wallet()
                .recharge(&RechargeWallet::new(dec("100.00"), channel.id)),
            |r| {
                format!(
                    "recharge 100.00 through {}: order {}",
                    channel.name, r.trade_no
                )
            },
        )
        .await?;
    rep.step(
        P,
        "pay.order_status",
        c.pay().order_status(&created.trade_no),
        |s| {
            format!(
                "order {}: {}",
                created.trade_no,
                crate::merchant_cmd::status_text(s)
            )
        },
    )
    .await?;
    Ok(())
}
