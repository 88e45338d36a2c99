//! GSalary through its client: card issuing, balances, payout, card
//! transactions played by the sandbox's card network and their webhook.

use std::time::Duration;

use walletbridge::gsalary::Money;
use walletbridge::gsalary::card_holders::CreateCardHolder;
use walletbridge::gsalary::cards::{
    ApplyCard, CardStatus, CardsQuery, ModifyCardBalance, RequestStatus,
};
use walletbridge::gsalary::models::MobileNumber;
use walletbridge::gsalary::payees::{
    AccountStatus, AccountType, CreatePayee, EWalletAccount, PaymentMethod,
};
use walletbridge::gsalary::remittance::{
    CreateRemittanceQuote, OrderStatus, Purpose, SubmitRemittanceOrder,
};
use walletbridge::gsalary::wallet::TransactionsQuery;

use walletbridge::sandbox::CardNetworkTransaction;

use crate::common::{dec, eventually, start};

fn holder() -> CreateCardHolder {
    CreateCardHolder::builder()
        .first_name("Ada")
        .last_name("Lovelace")
        .birth("1990-01-01")
        .email("ada@example.com")
        .mobile(MobileNumber::new("1", "2025550123"))
        .region("US")
        .build()
        .expect("valid request")
}

#[tokio::test]
async fn card_issuing_flow() {
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");
    let before = c.wallet().balance("USD").await.expect("balance");
    assert_eq!(before.amount, dec("100000.00"));

    let h = c.card_holders().create(&holder()).await.expect("holder");
    let apply = ApplyCard::builder()
        .request_id("req-card-1")
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id(&h.card_holder_id)
        .init_balance(dec("50.25"))
        .build()
        .expect("valid request")
        .limit_per_transaction(dec("100"))
        .limit_per_day(dec("500"));
    let a = c.cards().apply(&apply).await.expect("apply");
    assert_eq!(a.status, Some(RequestStatus::Pending));
    // The same request id again: DUPLICATED, nothing done twice.
    let dup = c.cards().apply(&apply).await.expect_err("duplicate");
    assert_eq!(dup.code(), Some("DUPLICATED"));
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99949.75")
    );

    let pending = c.cards().apply_result("req-card-1").await.expect("result");
    assert_eq!(pending.status, Some(RequestStatus::Pending));
    assert!(pending.card_detail.is_none());
    let card = eventually(Duration::from_secs(5), || async {
        let r = c.cards().apply_result("req-card-1").await.expect("result");
        (r.status == Some(RequestStatus::Success))
            .then_some(r.card_detail)
            .flatten()
    })
    .await;
    assert_eq!(card.status, Some(CardStatus::Active));
    assert_eq!(card.available_balance, Some(dec("50.25")));
    assert_eq!(card.limit_per_transaction, Some(dec("100")));

    // Top up, then take out more than the card holds.
    let up = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase(
            "mod-1",
            &card.card_id,
            dec("10.10"),
        ))
        .await
        .expect("increase");
    assert_eq!(up.post_balance, Some(dec("60.35")));
    let too_much = c
        .cards()
        .modify_balance(&ModifyCardBalance::decrease(
            "mod-2",
            &card.card_id,
            dec("1000"),
        ))
        .await
        .expect_err("insufficient");
    assert_eq!(too_much.code(), Some("INSUFFICIENT_BALANCE"));
    let again = c
        .cards()
        .modify_balance(&ModifyCardBalance::increase(
            "mod-1",
            &card.card_id,
            dec("10.10"),
        ))
        .await
        .expect_err("duplicate");
    assert_eq!(again.code(), Some("DUPLICATED"));
    let res = c
        .cards()
        .balance_modify_result("mod-1")
        .await
        .expect("modify result");
    assert_eq!(res.status, Some(RequestStatus::Success));

    // Freeze, freeze again (invalid), unfreeze, cancel (balance returns).
    c.cards().freeze(&card.card_id).await.expect("freeze");
    assert_eq!(
        c.cards().get(&card.card_id).await.expect("get").status,
        Some(CardStatus::Frozen)
    );
    let e = c
        .cards()
        .freeze(&card.card_id)
        .await
        .expect_err("frozen twice");
    assert_eq!(e.code(), Some("INVALID_STATUS"));
    c.cards().unfreeze(&card.card_id).await.expect("unfreeze");
    let info = c
        .cards()
        .secure_info(&card.card_id)
        .await
        .expect("secure info");
    assert_eq!(info.pan.expose().len(), 16);
    c.cards().cancel(&card.card_id).await.expect("cancel");
    assert_eq!(
        c.cards().get(&card.card_id).await.expect("get").status,
        Some(CardStatus::Cancelled)
    );
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("100000.00")
    );

    // Lists are real: paging over the transactions made above.
    let page = c
        .wallet()
        .transactions(&TransactionsQuery::new().limit(2))
        .await
        .expect("txns");
    assert_eq!(page.items.len(), 2);
    assert!(page.total_count.unwrap_or(0) >= 3);
    let cards = c
        .cards()
        .list(&CardsQuery::new().card_holder_id(&h.card_holder_id))
        .await
        .expect("cards");
    assert_eq!(cards.items.len(), 1);
    let missing = c.cards().get("card_nope").await.expect_err("not found");
    assert_eq!(missing.code(), Some("NOT_FOUND"));
    sb.shutdown().await;
}

#[tokio::test]
async fn payout_flow() {
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");
    let payee = c
        .payees()
        .create(
            &CreatePayee::individual()
                .account_type(AccountType::EWallet)
                .country("CN")
                .currency("CNY")
                .first_name("San")
                .last_name("Zhang")
                .build()
                .expect("valid request"),
        )
        .await
        .expect("payee");
    let account = c
        .payees()
        .add_account(
            &payee.payee_id,
            &EWalletAccount::new(PaymentMethod::Alipay, "zhang@example.com"),
        )
        .await
        .expect("account");
    assert_eq!(account.status, Some(AccountStatus::Pending));
    let quote_req = CreateRemittanceQuote::pay(
        &account.account_id,
        Purpose::Salary,
        Money::new("USD", dec("100")),
    );
    // A quote needs an active account.
    let e = c
        .remittance()
        .quote(&quote_req)
        .await
        .expect_err("pending account");
    assert_eq!(e.code(), Some("INVALID_STATUS"));
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    let accounts = c
        .payees()
        .accounts(&payee.payee_id, None)
        .await
        .expect("accounts");
    assert_eq!(accounts[0].status, Some(AccountStatus::Active));

    let quote = c.remittance().quote(&quote_req).await.expect("quote");
    let recv = quote.receive_amount.clone().expect("receive");
    assert_eq!(recv.currency, "CNY");
    assert_eq!(recv.amount, dec("720.00"));
    let order = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&quote.quote_id, "payout-1"))
        .await
        .expect("order");
    assert_eq!(order.status, Some(OrderStatus::Created));
    // Wallet debited once: 100 + 1.00 surcharge.
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99899.00")
    );
    // The same client order id again: DUPLICATED.
    let q2 = c.remittance().quote(&quote_req).await.expect("quote 2");
    let dup = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&q2.quote_id, "payout-1"))
        .await
        .expect_err("duplicate");
    assert_eq!(dup.code(), Some("DUPLICATED"));
    // An expired quote: QUOTE_EXPIRE.
    sb.advance_clock(Duration::from_secs(120)).expect("advance");
    let late = c
        .remittance()
        .submit_order(&SubmitRemittanceOrder::new(&q2.quote_id, "payout-2"))
        .await
        .expect_err("expired");
    assert_eq!(late.code(), Some("QUOTE_EXPIRE"));
    let found = c
        .remittance()
        .find_order("payout-1")
        .await
        .expect("find")
        .expect("order");
    assert_eq!(found.status, Some(OrderStatus::Success));
    assert_eq!(
        c.wallet().balance("USD").await.expect("b").amount,
        dec("99899.00")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn insufficient_wallet_balance() {
    let sb = start().await;
    sb.set_gsalary_balance("USD", dec("10")).expect("set");
    let c = sb.gsalary_client().expect("client");
    let h = c.card_holders().create(&holder()).await.expect("holder");
    let e = c
        .cards()
        .apply(
            &ApplyCard::builder()
                .request_id("r1")
                .product_code("SBX_VISA_USD")
                .currency("USD")
                .card_holder_id(&h.card_holder_id)
                .init_balance(dec("10.01"))
                .build()
                .expect("valid request"),
        )
        .await
        .expect_err("insufficient");
    assert_eq!(e.code(), Some("INSUFFICIENT_BALANCE"));
    assert!(!e.is_outcome_unknown(), "a signed refusal decides: {e}");
    sb.shutdown().await;
}

// ---------------------------------------------------------------- card transactions

/// Issues an active USD card with `balance` and a per-transaction limit of 100.
async fn issued_card(
    sb: &walletbridge::sandbox::Sandbox,
    c: &walletbridge::gsalary::Client,
    request_id: &str,
    balance: &str,
) -> String {
    let h = c.card_holders().create(&holder()).await.expect("holder");
    let apply = ApplyCard::builder()
        .request_id(request_id)
        .product_code("SBX_VISA_USD")
        .currency("USD")
        .card_holder_id(&h.card_holder_id)
        .init_balance(dec(balance))
        .build()
        .expect("valid request")
        .limit_per_transaction(dec("100"));
    c.cards().apply(&apply).await.expect("apply");
    sb.advance_clock(Duration::from_secs(5)).expect("advance");
    eventually(Duration::from_secs(5), || async {
        let r = c.cards().apply_result(request_id).await.expect("result");
        r.card_detail.map(|d| d.card_id)
    })
    .await
}

/// The sandbox's card network, as a test plays it.
fn network(
    sb: &walletbridge::sandbox::Sandbox,
    card_id: &str,
    transaction: CardNetworkTransaction,
) -> walletbridge::sandbox::CardNetworkOutcome {
    sb.gsalary_card_transaction(card_id, &transaction)
        .expect("the network reads it")
}

#[tokio::test]
async fn card_transactions_approved_declined_and_listed() {
    use walletbridge::gsalary::card_bills::{
        BalanceHistoryQuery, CardTransactionsQuery, CardTxnStatus, CardTxnType,
    };
    let sb = start().await;
    let c = sb.gsalary_client().expect("client");
    let card_id = issued_card(&sb, &c, "req-txn-1", "80").await;

    // An approved purchase lowers the card balance.
    let r = network(
        &sb,
        &card_id,
        CardNetworkTransaction::purchase("Coffee Shop", dec("12.34"))
            .currency("USD")
            .merchant_region("US"),
    );
    assert!(r.approved, "{r:?}");
    let card = c.cards().get(&card_id).await.expect("card");
    assert_eq!(card.available_balance, Some(dec("67.66")));

    // Above the per-transaction limit, above the balance: declined, recorded.
    let over_limit = network(
        &sb,
        &card_id,
        CardNetworkTransaction::purchase("Big Store", dec("150")),
    );
    assert!(!over_limit.approved);
    let over_balance = network(
        &sb,
        &card_id,
        CardNetworkTransaction::purchase("Store", dec("70")),
    );
    assert!(!over_balance.approved);
    // What the network cannot read is refused, not recorded: an amount
    // finer than the card's currency, one past the sandbox's bound, a card
    // it does not know.
    for amount in ["1.001", "100000000000000000000"] {
        let e = sb
            .gsalary_card_transaction(
                &card_id,
                &CardNetworkTransaction::purchase("X", dec(amount)),
            )
            .expect_err(amount);
        assert!(
            matches!(e, walletbridge::sandbox::Error::Config(_)),
            "{amount}: {e}"
        );
    }
    let e = sb
        .gsalary_card_transaction(
            "no_such_card",
            &CardNetworkTransaction::purchase("X", dec("1")),
        )
        .expect_err("unknown card");
    assert!(
        matches!(e, walletbridge::sandbox::Error::NotFound(_)),
        "{e}"
    );
    // A refund credits the card.
    let refund = network(
        &sb,
        &card_id,
        CardNetworkTransaction::refund("Coffee Shop", dec("2.34")),
    );
    assert!(refund.approved);
    assert_eq!(
        c.cards()
            .get(&card_id)
            .await
            .expect("card")
            .available_balance,
        Some(dec("70"))
    );

    // The list: every transaction, paged, in a time window.
    let all = c
        .card_bills()
        .transactions(&CardTransactionsQuery::new().card_id(&card_id))
        .await
        .expect("list");
    assert_eq!(all.items.len(), 4);
    let first = &all.items[0];
    assert_eq!(first.biz_type, Some(CardTxnType::Auth));
    assert_eq!(first.status, Some(CardTxnStatus::Authorized));
    assert_eq!(first.merchant_name.as_deref(), Some("Coffee Shop"));
    let amount = first.transaction_amount.as_ref().expect("amount");
    assert_eq!(
        (amount.currency.as_str(), amount.amount),
        ("USD", dec("12.34"))
    );
    assert_eq!(all.items[1].status, Some(CardTxnStatus::Failed));
    assert!(all.items[1].status_description.is_some());
    assert_eq!(all.items[3].biz_type, Some(CardTxnType::Refund));

    let page2 = c
        .card_bills()
        .transactions(
            &CardTransactionsQuery::new()
                .card_id(&card_id)
                .limit(3)
                .page(2),
        )
        .await
        .expect("page 2");
    assert_eq!(page2.items.len(), 1);
    assert_eq!(page2.total_count, Some(4));
    let now = walletbridge::core::date::parse_iso8601("2000-01-01T00:00:00Z").expect("date");
    let none = c
        .card_bills()
        .transactions(&CardTransactionsQuery::new().card_id(&card_id).time_end(now))
        .await
        .expect("window");
    assert!(none.items.is_empty());
    let by_id = c
        .card_bills()
        .transactions(
            &CardTransactionsQuery::new().transaction_id(first.transaction_id.clone().expect("id")),
        )
        .await
        .expect("by id");
    assert_eq!(by_id.items.len(), 1);

    // The purchase is in the card's balance history.
    let hist = c
        .card_bills()
        .balance_history(
            &BalanceHistoryQuery::new()
                .card_id(&card_id)
                .transaction_id(first.transaction_id.clone().expect("id")),
        )
        .await
        .expect("history");
    assert_eq!(hist.items.len(), 1);
    assert_eq!(hist.items[0].amount, Some(dec("-12.34")));

    // A reversal releases the purchase; a second one is refused.
    let rev = network(
        &sb,
        &card_id,
        CardNetworkTransaction::reversal("Coffee Shop", first.transaction_id.clone().expect("id")),
    );
    assert!(rev.approved, "{rev:?}");
    assert_eq!(
        c.cards()
            .get(&card_id)
            .await
            .expect("card")
            .available_balance,
        Some(dec("82.34"))
    );

    // Frozen: a purchase is declined and changes nothing.
    c.cards().freeze(&card_id).await.expect("freeze");
    let frozen = network(
        &sb,
        &card_id,
        CardNetworkTransaction::purchase("Coffee Shop", dec("1")),
    );
    assert!(!frozen.approved);
    assert_eq!(frozen.transaction.status, Some(CardTxnStatus::Failed));
    assert_eq!(
        c.cards()
            .get(&card_id)
            .await
            .expect("card")
            .available_balance,
        Some(dec("82.34"))
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn card_transaction_webhook_is_signed_like_the_provider() {
    use walletbridge::gsalary::card_bills::CardTxnStatus;
    use walletbridge::gsalary::webhooks::WebhookEvent;
    use walletbridge_core::test_util::{Fault, FaultServer};
    let hooks = FaultServer::start(Fault::status(200, ""))
        .await
        .expect("bind");
    let callbacks = walletbridge::sandbox::Callbacks::none()
        .gsalary(hooks.url("/gsalary/hook"))
        .retry_schedule(vec![Duration::from_millis(50); 3])
        .timeout(Duration::from_secs(2));
    let sb = crate::common::start_with(crate::common::config().callbacks(callbacks)).await;
    let c = sb.gsalary_client().expect("client");
    let card_id = issued_card(&sb, &c, "req-txn-wh", "20").await;
    let r = network(
        &sb,
        &card_id,
        CardNetworkTransaction::purchase("Book Shop", dec("5.5")),
    );
    let txn_id = r.transaction.transaction_id.clone().expect("id");
    let hook = eventually(Duration::from_secs(10), || async {
        hooks
            .requests()
            .into_iter()
            .find(|r| String::from_utf8_lossy(&r.body).contains("CARD_TRANSACTION"))
    })
    .await;
    let event = c
        .webhooks()
        .verify(
            hook.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &hook.body,
            hook.path(),
        )
        .expect("verifies");
    let WebhookEvent::CardTransaction(n) = event else {
        panic!("not a card transaction: {event:?}");
    };
    assert_eq!(n.business_id, txn_id);
    let t = &n.data.transaction;
    assert_eq!(t.card_id.as_deref(), Some(card_id.as_str()));
    assert_eq!(t.status, Some(CardTxnStatus::Authorized));
    let acc = t.accounting_amount.as_ref().expect("accounting amount");
    assert_eq!((acc.currency.as_str(), acc.amount), ("USD", dec("5.5")));
    sb.shutdown().await;
}
