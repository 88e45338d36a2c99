//! The admin surface: the operations tests drive the sandbox with, as Rust
//! methods (on [`crate::Sandbox`]) and as JSON over HTTP under `/__sandbox/`
//! on every provider's server (a prefix no provider uses).
//!
//! | method and path | body | does |
//! |---|---|---|
//! | `GET /__sandbox/health` | | `{"ok":true}` |
//! | `POST /__sandbox/reset` | | forgets all state (keys kept), seeds again, clock and faults back to the start |
//! | `GET /__sandbox/clock` | | `{"now_ms", "offset_ms"}` |
//! | `POST /__sandbox/clock/advance` | `{"seconds": n}` or `{"millis": n}` | moves the sandbox clock forward and runs what became due |
//! | `GET /__sandbox/faults` | | every provider's faults |
//! | `PUT /__sandbox/faults` | `Faults` | replaces all faults |
//! | `GET`/`PUT /__sandbox/faults/{provider}` | `FaultConfig` | one provider's faults |
//! | `POST /__sandbox/gsalary/balances` | `{"currency","amount"}` | sets a wallet balance |
//! | `POST /__sandbox/gsalary/cards/{card_id}/transactions` | `{"kind":"purchase"\|"refund"\|"reversal","merchant_name","amount","currency"?,"merchant_region"?,"original_transaction_id"?,"mch_request_id"?}` | records a card transaction as a card network would (declines recorded as `FAILED`) and sends `CARD_TRANSACTION`; answers `{"approved","transaction"}` |
//! | `POST /__sandbox/adapay/balances` | `{"member_id","avl_balance","frz_balance"?,"settle_account_id"?}` | sets a member's balance (creates the member); answers its `settle_account_id` |
//! | `POST /__sandbox/wallet-senior/wallets` | `{"wallet_id","balance"}` (fen) | sets (creates) a wallet |
//! | `GET`/`POST /__sandbox/merchant-wallet/balances` | `MerchantBalances` | reads or sets the merchant's balances |
//! | `POST /__sandbox/merchant-wallet/orders/{trade_no}/pay` | | pays an unpaid recharge order |
//! | `POST /__sandbox/merchant-wallet/orders/{trade_no}/close` | | closes an unpaid recharge order |
//! | `POST /__sandbox/merchant-wallet/orders/{trade_no}/refund` | | refunds a paid recharge order |
//! | `GET /__sandbox/deliveries` | | every webhook and notification with its delivery state |
//!
//! Answers: `{"ok":true,...}`, or `{"ok":false,"error":"..."}` with 400 or 404.

use std::sync::atomic::Ordering;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{FaultConfig, Faults, Provider};
use crate::error::{Error, Result};
use crate::merchant::MerchantBalances;
use crate::runtime::{DELIVERIES, Delivery, Shared};
use crate::wire::Reply;
use crate::{adapay, gsalary, merchant, senior};

impl Shared {
    pub(crate) fn lock_faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        match self.faults.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    pub(crate) fn admin_reset(&self) -> Result<()> {
        let mut tx = self.store.begin();
        tx.clear_all();
        self.offset_ms.store(0, Ordering::Relaxed);
        self.seed(&mut tx);
        tx.commit()?;
        *self.lock_faults() = self.cfg.faults.clone();
        Ok(())
    }

    pub(crate) fn admin_advance(&self, ms: i64) -> Result<i64> {
        let mut tx = self.store.begin();
        let offset = self
            .offset_ms
            .load(Ordering::Relaxed)
            .saturating_add(ms.max(0));
        tx.put("meta", "clock_offset_ms", &offset);
        self.offset_ms.store(offset, Ordering::Relaxed);
        self.run_due(&mut tx);
        match tx.commit() {
            Ok(()) => {
                self.wake.notify_one();
                Ok(self.now_ms())
            }
            Err(e) => {
                self.offset_ms.fetch_sub(ms.max(0), Ordering::Relaxed);
                Err(e)
            }
        }
    }

    pub(crate) fn admin_settle_due(&self) -> Result<()> {
        let mut tx = self.store.begin();
        self.run_due(&mut tx);
        tx.commit()
    }

    pub(crate) fn admin_gsalary_balance(&self, currency: &str, amount: Decimal) -> Result<()> {
        if currency.len() != 3 || amount < Decimal::ZERO {
            return Err(Error::Config(
                "a currency code and a non-negative amount are required".into(),
            ));
        }
        let mut tx = self.store.begin();
        gsalary::admin_set_balance(&mut tx, self.now_ms(), currency, amount);
        tx.commit()
    }

    /// Records a card transaction through the simulated card network.
    pub(crate) fn admin_gsalary_card_transaction(
        &self,
        card_id: &str,
        transaction: &crate::CardNetworkTransaction,
    ) -> Result<crate::CardNetworkOutcome> {
        let mut tx = self.store.begin();
        self.run_due(&mut tx);
        let out =
            gsalary::admin_card_transaction(self, &mut tx, self.now_ms(), card_id, transaction)?;
        tx.commit()?;
        Ok(out)
    }

    pub(crate) fn admin_adapay_balance(
        &self,
        member_id: &str,
        avl: Decimal,
        frz: Option<Decimal>,
        settle_account_id: Option<String>,
    ) -> Result<String> {
        if member_id.is_empty() || avl < Decimal::ZERO {
            return Err(Error::Config(
                "a member_id and a non-negative balance are required".into(),
            ));
        }
        let mut tx = self.store.begin();
        let settle = adapay::set_balance(&mut tx, member_id, settle_account_id, avl, frz);
        tx.commit()?;
        Ok(settle)
    }

    pub(crate) fn admin_senior_balance(&self, wallet_id: i64, fen: i64) -> Result<()> {
        if fen < 0 {
            return Err(Error::Config("the balance must not be negative".into()));
        }
        let mut tx = self.store.begin();
        senior::set_balance(&mut tx, wallet_id, fen);
        tx.commit()
    }

    pub(crate) fn admin_merchant_balances(
        &self,
        b: Option<&MerchantBalances>,
    ) -> Result<MerchantBalances> {
        let mut tx = self.store.begin();
        if let Some(b) = b {
            merchant::set_balances(&mut tx, b);
        }
        let out = merchant::balances(&tx);
        tx.commit()?;
        Ok(out)
    }

    pub(crate) fn admin_merchant_order(&self, trade_no: &str, to: i64) -> Result<()> {
        let mut tx = self.store.begin();
        self.run_due(&mut tx);
        merchant::admin_settle(&mut tx, self.now_ms(), trade_no, to)?;
        tx.commit()
    }

    pub(crate) fn admin_deliveries(&self) -> Vec<Delivery> {
        self.store.begin().scan(DELIVERIES)
    }
}

fn reply(status: u16, v: Value) -> Reply {
    Reply::json(status, &v)
}

fn done(r: Result<Value>) -> Reply {
    match r {
        Ok(mut v) => {
            if let Some(o) = v.as_object_mut() {
                o.insert("ok".into(), json!(true));
            }
            reply(200, v)
        }
        Err(e) => {
            let status = match e {
                Error::NotFound(_) => 404,
                Error::Store(_) => 500,
                _ => 400,
            };
            reply(status, json!({"ok": false, "error": e.to_string()}))
        }
    }
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::Config(format!("malformed admin body: {e}")))
}

/// Serves one admin request (`path` starts with `/__sandbox`).
pub(crate) fn handle(shared: &Shared, method: &str, path: &str, body: &[u8]) -> Reply {
    let rest = path.trim_start_matches("/__sandbox").trim_matches('/');
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (method, segs.as_slice()) {
        ("GET", ["health"]) => done(Ok(json!({}))),
        ("POST", ["reset"]) => done(shared.admin_reset().map(|()| json!({}))),
        ("GET", ["clock"]) => done(Ok(json!({
            "now_ms": shared.now_ms(),
            "offset_ms": shared.offset_ms.load(Ordering::Relaxed),
        }))),
        ("POST", ["clock", "advance"]) => {
            #[derive(Deserialize)]
            struct B {
                #[serde(default)]
                seconds: Option<i64>,
                #[serde(default)]
                millis: Option<i64>,
            }
            done(parse::<B>(body).and_then(|b| {
                let ms = b
                    .millis
                    .or(b.seconds.map(|s| s.saturating_mul(1000)))
                    .ok_or_else(|| Error::Config("`seconds` or `millis` is required".into()))?;
                shared.admin_advance(ms).map(|now| json!({"now_ms": now}))
            }))
        }
        ("GET", ["faults"]) => done(
            serde_json::to_value(&*shared.lock_faults())
                .map_err(|e| Error::Config(e.to_string()))
                .map(|f| json!({"faults": f})),
        ),
        ("PUT", ["faults"]) => done(parse::<Faults>(body).map(|f| {
            *shared.lock_faults() = f;
            json!({})
        })),
        ("GET", ["faults", p]) => done(
            Provider::parse(p)
                .ok_or_else(|| Error::NotFound(format!("provider {p}")))
                .map(|p| json!({"faults": shared.lock_faults().get(p).clone()})),
        ),
        ("PUT", ["faults", p]) => done(
            Provider::parse(p)
                .ok_or_else(|| Error::NotFound(format!("provider {p}")))
                .and_then(|p| {
                    let f: FaultConfig = parse(body)?;
                    *shared.lock_faults().get_mut(p) = f;
                    Ok(json!({}))
                }),
        ),
        ("POST", ["gsalary", "balances"]) => {
            #[derive(Deserialize)]
            struct B {
                currency: String,
                #[serde(with = "walletbridge_core::money::lenient")]
                amount: Decimal,
            }
            done(parse::<B>(body).and_then(|b| {
                shared
                    .admin_gsalary_balance(&b.currency, b.amount)
                    .map(|()| json!({}))
            }))
        }
        ("POST", ["gsalary", "cards", card_id, "transactions"]) => {
            done(parse::<crate::CardNetworkTransaction>(body).and_then(|t| {
                let out = shared.admin_gsalary_card_transaction(card_id, &t)?;
                let transaction = serde_json::to_value(&out.transaction)
                    .map_err(|e| Error::Config(e.to_string()))?;
                Ok(json!({"approved": out.approved, "transaction": transaction}))
            }))
        }
        ("POST", ["adapay", "balances"]) => {
            #[derive(Deserialize)]
            struct B {
                member_id: String,
                #[serde(with = "walletbridge_core::money::lenient")]
                avl_balance: Decimal,
                #[serde(default, with = "walletbridge_core::money::lenient::option")]
                frz_balance: Option<Decimal>,
                #[serde(default)]
                settle_account_id: Option<String>,
            }
            done(parse::<B>(body).and_then(|b| {
                shared
                    .admin_adapay_balance(
                        &b.member_id,
                        b.avl_balance,
                        b.frz_balance,
                        b.settle_account_id,
                    )
                    .map(|s| json!({"settle_account_id": s}))
            }))
        }
        ("POST", ["wallet-senior", "wallets"]) => {
            #[derive(Deserialize)]
            struct B {
                wallet_id: i64,
                balance: i64,
            }
            done(parse::<B>(body).and_then(|b| {
                shared
                    .admin_senior_balance(b.wallet_id, b.balance)
                    .map(|()| json!({}))
            }))
        }
        ("GET", ["merchant-wallet", "balances"]) => done(
            shared
                .admin_merchant_balances(None)
                .map(|b| json!({"balances": b})),
        ),
        ("POST", ["merchant-wallet", "balances"]) => {
            done(parse::<MerchantBalances>(body).and_then(|b| {
                shared
                    .admin_merchant_balances(Some(&b))
                    .map(|b| json!({"balances": b}))
            }))
        }
        ("POST", ["merchant-wallet", "orders", no, action]) => {
            let to = match *action {
                "pay" => 1,
                "close" => 2,
                "refund" => 3,
                _ => return done(Err(Error::NotFound(format!("admin action {action}")))),
            };
            done(shared.admin_merchant_order(no, to).map(|()| json!({})))
        }
        ("GET", ["deliveries"]) => done(Ok(json!({"deliveries": shared.admin_deliveries()}))),
        _ => done(Err(Error::NotFound(format!(
            "admin endpoint {method} {path}"
        )))),
    }
}
